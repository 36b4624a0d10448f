import OTR
import OTRToolkit
import Testing

/// decode's problems as values, in process: a message the protocol library
/// cannot read keeps that library's error (code, field, offset, rule)
/// beside what it was found in, and decides its status from the one table;
/// the next message of the capture is read as if nothing happened.
struct DecodeProblemTests {
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    static func data(_ b: [UInt8]) -> [UInt8] { be32(UInt32(b.count)) + b }
    /// A version 3 header from instance 0x100 to 0x101 (11 bytes).
    static func header(_ type: UInt8) -> [UInt8] { [0, 3, type] + be32(0x100) + be32(0x101) }

    /// A length of 4 294 967 295 in each length-prefixed field of each
    /// message, and the field and byte it stands at.
    static let fourGigabyteFields: [String: (bytes: [UInt8], field: String, offset: Int)] = [
        "D-H Commit encrypted g^x": (header(0x02) + be32(0xffff_ffff) + [1, 2], "encrypted g^x", 11),
        "D-H Commit hashed g^x": (header(0x02) + data([1, 2, 3]) + be32(0xffff_ffff) + [1], "hashed g^x", 18),
        "D-H Key g^y": (header(0x0a) + be32(0xffff_ffff) + [1, 2], "g^y", 11),
        "Reveal Signature revealed key": (header(0x11) + be32(0xffff_ffff) + [1], "revealed key", 11),
        "Signature encrypted signature": (header(0x12) + be32(0xffff_ffff) + [1], "encrypted signature", 11),
        "Data next D-H key": (header(0x03) + [0] + be32(1) + be32(1) + be32(0xffff_ffff) + [1], "next D-H key", 20),
        "v2 Data encrypted message": ([0, 2, 3, 0] + be32(1) + be32(1) + data([1, 0, 0]) + [0, 0, 0, 0, 0, 0, 0, 1]
                                      + be32(0xffff_ffff) + [1], "encrypted message", 27),
    ]

    static let aesKey = SecureBytes([UInt8](repeating: 0x42, count: 16))

    static func goodMessage() throws -> [UInt8] {
        var m = DataMessage(header: MessageHeader(version: 3, type: MessageType.data.rawValue, senderInstance: InstanceTag(rawValue: 0x100),
                                                  receiverInstance: InstanceTag(rawValue: 0x101)),
                            senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(UInt(5)), counter: [0, 0, 0, 0, 0, 0, 0, 1],
                            encryptedMessage: [], mac: [])
        try m.seal(plaintext: DataPlaintext(message: Array("still here".utf8)).encoded, aesKey: aesKey, macKey: nil)
        return Array(try EncodedMessage.data(m).armoured().utf8)
    }

    @Test("a 4 GB length in a field is one problem carrying the field, its offset and the rule; the next message is read",
          arguments: fourGigabyteFields.keys.sorted())
    func fourGigabyteLength(_ name: String) throws {
        let (bytes, field, offset) = try #require(Self.fourGigabyteFields[name])
        let armoured = Array(("?OTR:" + Base64.encodeString(bytes) + ".").utf8)
        var keys = CaptureKeys()
        keys.aesKeys = [Self.aesKey]
        let session = DecodeSession(keys: keys, json: true, showKeys: false, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        let entries = ToolkitFixtures.items(ToolkitFixtures.read([armoured, try Self.goodMessage()])).map { session.decode($0) }
        try #require(entries.count == 2)
        let problem = try #require(entries[0].problems.first)
        #expect(entries[0].problems.count == 1)
        #expect(problem.subject == "encoded message at byte 0")
        #expect(problem.cause?.code == .malformed, "\(String(describing: problem.cause))")
        #expect(problem.cause?.field?.hasSuffix(field) == true, "\(String(describing: problem.cause?.field))")
        #expect(problem.cause?.offset == offset)
        #expect(problem.cause?.reason.hasPrefix("length 4294967295 overruns") == true, "\(String(describing: problem.cause?.reason))")
        #expect(problem.status == .malformedInput && ExitStatus(for: problem) == .malformedInput)
        #expect(problem.description == "encoded message at byte 0: \(problem.cause!)")
        #expect(entries[1].problems.isEmpty, "\(entries[1].problems)")
        #expect(entries[1].analysis?.data?.plaintext?.message == Array("still here".utf8))
    }

    /// A D-H Key whose g^y is 1 still reads: a violation of the rule on
    /// D-H values, kept as a value (code, field, rule) in its problem.
    @Test("a rule broken by a message still read is one problem carrying the field and the rule; status 2")
    func ruleViolationIsAValue() throws {
        let dhKey = Self.header(0x0a) + Self.data([1])
        let query = Array("?OTRv33?".utf8)
        let session = DecodeSession(keys: CaptureKeys(), json: true, showKeys: false, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        let armoured = Array(("?OTR:" + Base64.encodeString(dhKey) + ".").utf8)
        let entries = ToolkitFixtures.items(ToolkitFixtures.read([armoured, query])).map { session.decode($0) }
        try #require(entries.count == 2)
        let problem = try #require(entries[0].problems.first)
        #expect(entries[0].problems.count == 1, "\(entries[0].problems)")
        #expect(problem.cause == nil)
        #expect(problem.violation == RuleViolation.outsideGroup("g^y", as: "g^y"))
        #expect(problem.violation?.code == .outOfRange && problem.violation?.field == "g^y")
        #expect(problem.subject == "D-H Key message")
        #expect(problem.description == "D-H Key message: g^y must satisfy 2 <= g^y <= p-2")
        #expect(ExitStatus(for: problem) == .malformedInput)
        let repeated = try #require(entries[1].problems.first)
        #expect(repeated.violation?.field == "version 3" && repeated.violation?.rule == "listed more than once (2 times)")
        #expect(repeated.description == "query message at byte 0: version 3 listed more than once (2 times)")
    }
}
