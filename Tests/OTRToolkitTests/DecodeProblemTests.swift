import OTR
import OTRToolkit
import Testing

/// decode's problems as values, in process: a message the protocol library
/// cannot read keeps that library's error (code, field, offset, rule)
/// beside what it was found in, and decides its status from the one table;
/// the next message of the capture is read as if nothing happened.
struct DecodeProblemTests {
    /// The hand-built messages and keys the toolkit's tests share.
    private typealias F = ToolkitFixtures

    /// A length of 4 294 967 295 in each length-prefixed field of each
    /// message, and the field and byte it stands at.
    static let fourGigabyteFields: [String: (bytes: [UInt8], field: String, offset: Int)] = [
        "D-H Commit encrypted g^x": (F.header(0x02) + F.be32(0xffff_ffff) + [1, 2], "encrypted g^x", 11),
        "D-H Commit hashed g^x": (F.header(0x02) + F.data([1, 2, 3]) + F.be32(0xffff_ffff) + [1], "hashed g^x", 18),
        "D-H Key g^y": (F.header(0x0a) + F.be32(0xffff_ffff) + [1, 2], "g^y", 11),
        "Reveal Signature revealed key": (F.header(0x11) + F.be32(0xffff_ffff) + [1], "revealed key", 11),
        "Signature encrypted signature": (F.header(0x12) + F.be32(0xffff_ffff) + [1], "encrypted signature", 11),
        "Data next D-H key": (F.header(0x03) + [0] + F.be32(1) + F.be32(1) + F.be32(0xffff_ffff) + [1], "next D-H key", 20),
        "v2 Data encrypted message": ([0, 2, 3, 0] + F.be32(1) + F.be32(1) + F.data([1, 0, 0]) + [0, 0, 0, 0, 0, 0, 0, 1]
                                      + F.be32(0xffff_ffff) + [1], "encrypted message", 27),
    ]

    @Test("a 4 GB length in a field is one problem carrying the field, its offset and the rule; the next message is read",
          arguments: fourGigabyteFields.keys.sorted())
    func fourGigabyteLength(_ name: String) throws {
        let (bytes, field, offset) = try #require(Self.fourGigabyteFields[name])
        let armoured = Array(F.armour(bytes).utf8)
        let session = DecodeSession(keys: F.keys, json: true, showKeys: false, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        let entries = F.items(F.read([armoured, Array(try F.dataMessage("still here").utf8)])).map { session.decode($0) }
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
        let dhKey = F.header(0x0a) + F.data([1])
        let query = Array("?OTRv33?".utf8)
        let session = DecodeSession(keys: CaptureKeys(), json: true, showKeys: false, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        let armoured = Array(("?OTR:" + Base64.encodeString(dhKey) + ".").utf8)
        let entries = F.items(F.read([armoured, query])).map { session.decode($0) }
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
