import Foundation
import Testing
import OTR

/// Byte layouts of Protocol-v3.html "Data types" and "Encoded messages",
/// written out by hand here so that the reader and the writer are checked
/// against the spec rather than against each other.
private enum Layout {
    static func short(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
    static func int(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    static func data(_ b: [UInt8]) -> [UInt8] { int(UInt32(b.count)) + b }

    /// Version, type and, for version 3, the two instance tags.
    static func header(version: UInt16, type: UInt8, sender: UInt32 = 0x1234_5678, receiver: UInt32 = 0x9abc_def0) -> [UInt8] {
        short(version) + [type] + (version == 3 ? int(sender) + int(receiver) : [])
    }

    static func pattern(_ count: Int, _ seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }

    /// A D-H public value in range: 2^1535 + something, 192 bytes, high bit set.
    static let gy: [UInt8] = [0x80] + pattern(191, 3)

    static func dhCommit(version: UInt16) -> [UInt8] {
        header(version: version, type: 0x02) + data(pattern(196, 1)) + data(pattern(32, 2))
    }

    static func dhKey(version: UInt16, gy: [UInt8] = Layout.gy) -> [UInt8] {
        header(version: version, type: 0x0a) + data(gy)
    }

    static func revealSignature(version: UInt16) -> [UInt8] {
        header(version: version, type: 0x11) + data(pattern(16, 4)) + data(pattern(300, 5)) + pattern(20, 6)
    }

    static func signature(version: UInt16) -> [UInt8] {
        header(version: version, type: 0x12) + data(pattern(300, 7)) + pattern(20, 8)
    }

    static func dataMessage(version: UInt16, flags: UInt8 = 1, senderKeyID: UInt32 = 3, recipientKeyID: UInt32 = 4,
                            nextDH: [UInt8] = Layout.gy, counter: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 9],
                            encrypted: [UInt8] = Layout.pattern(40, 9), oldMACKeys: [UInt8] = Layout.pattern(40, 10),
                            sender: UInt32 = 0x1234_5678, receiver: UInt32 = 0x9abc_def0) -> [UInt8] {
        header(version: version, type: 0x03, sender: sender, receiver: receiver) + [flags] + int(senderKeyID)
            + int(recipientKeyID) + data(nextDH) + counter + data(encrypted) + pattern(20, 11) + data(oldMACKeys)
    }

    /// Every message type in both versions.
    static let all: [(String, [UInt8])] = [2, 3].flatMap { (v: UInt16) in
        [("v\(v) D-H Commit", dhCommit(version: v)), ("v\(v) D-H Key", dhKey(version: v)),
         ("v\(v) Reveal Signature", revealSignature(version: v)), ("v\(v) Signature", signature(version: v)),
         ("v\(v) Data", dataMessage(version: v))]
    }
}

private func expectMalformed(_ bytes: [UInt8], _ comment: Comment? = nil,
                             sourceLocation: SourceLocation = #_sourceLocation) -> OTRError? {
    do {
        let m = try EncodedMessage.read(bytes)
        Issue.record("read \(m.name) from \(bytes.count) bytes; expected a malformed-input error. \(comment?.description ?? "")",
                     sourceLocation: sourceLocation)
        return nil
    } catch let error as OTRError {
        #expect(error.code == .malformed, comment, sourceLocation: sourceLocation)
        #expect(error.field?.isEmpty == false, "no field named: \(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("not an OTRError: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

struct WireFormatTests {
    // MARK: Round trips

    @Test("each message type reads its fields and writes the same bytes", arguments: Layout.all)
    func roundTrip(name: String, bytes: [UInt8]) throws {
        let message = try EncodedMessage.read(bytes)
        #expect(try message.serialize() == bytes, "\(name)")
        #expect(message.name == String(name.dropFirst(3)))
        // Through the armour: "?OTR:", standard padded base64, "."; the base64
        // checked against Foundation's encoder.
        let armoured = try message.armoured()
        #expect(armoured == "?OTR:" + Data(bytes).base64EncodedString() + ".")
        #expect(try EncodedMessage.read(armoured: Array(armoured.utf8)) == message)
        #expect(try MessageHeader.peek(armoured: Array(armoured.utf8)) == message.header)
    }

    @Test func theFieldsOfAVersion3DHCommitAreWhereTheSpecPutsThem() throws {
        let bytes = Layout.dhCommit(version: 3)
        guard case .dhCommit(let c) = try EncodedMessage.read(bytes) else {
            Issue.record("not a D-H Commit")
            return
        }
        #expect(c.header == MessageHeader(version: 3, type: 0x02, senderInstance: InstanceTag(0x1234_5678),
                                          receiverInstance: InstanceTag(0x9abc_def0)))
        #expect(c.encryptedGx == Layout.pattern(196, 1))
        #expect(c.hashedGx == Layout.pattern(32, 2))
        #expect(c.violations.isEmpty)
    }

    @Test func aVersion2HeaderHasNoInstanceTags() throws {
        guard case .dhKey(let k) = try EncodedMessage.read(Layout.dhKey(version: 2)) else {
            Issue.record("not a D-H Key")
            return
        }
        #expect(k.header.senderInstance == nil && k.header.receiverInstance == nil)
        #expect(k.gy == MPI(bytes: Layout.gy))
        #expect(k.gyEncoding == nil)
    }

    @Test func theDataMessageFieldsAreReadInTheSpecOrder() throws {
        let bytes = Layout.dataMessage(version: 3, flags: 1, senderKeyID: 7, recipientKeyID: 8)
        guard case .data(let d) = try EncodedMessage.read(bytes) else {
            Issue.record("not a Data message")
            return
        }
        #expect(d.flags == DataMessage.ignoreUnreadable)
        #expect(d.senderKeyID == 7 && d.recipientKeyID == 8)
        #expect(d.nextDHKey == MPI(bytes: Layout.gy))
        #expect(d.counter == [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(d.encryptedMessage == Layout.pattern(40, 9))
        #expect(d.mac == Layout.pattern(20, 11))
        #expect(d.revealedMACKeys == [Array(Layout.pattern(40, 10)[0..<20]), Array(Layout.pattern(40, 10)[20..<40])])
        // The MAC covers everything up to the end of the encrypted message:
        // 11 header bytes, flags, two keyids, the MPI, the counter, the DATA.
        #expect(d.authenticatedRange == 0..<(11 + 1 + 8 + 4 + 192 + 8 + 4 + 40))
        #expect(d.violations.isEmpty)
    }

    /// The wrapped Data message of the spec's "Fragmentation" section, as it
    /// is printed there, over six lines.
    static let specDataMessage = """
        ?OTR:AAMDJ+MVmSfjFZcAAAAAAQAAAAIAAADA1g5IjD1ZGLDVQEyCgCyn9hb
        rL3KAbGDdzE2ZkMyTKl7XfkSxh8YJnudstiB74i4BzT0W2haClg6dMary/jo
        9sMudwmUdlnKpIGEKXWdvJKT+hQ26h9nzMgEditLB8vjPEWAJ6gBXvZrY6ZQ
        rx3gb4v0UaSMOMiR5sB7Eaulb2Yc6RmRnnlxgUUC2alosg4WIeFN951PLjSc
        ajVba6dqlDi+q1H5tPvI5SWMN7PCBWIJ41+WvF+5IAZzQZYgNaVLbAAAAAAA
        AAAEAAAAHwNiIi5Ms+4PsY/L2ipkTtquknfx6HodLvk3RAAAAAA==.
        """

    @Test func theSpecsExampleDataMessageReads() throws {
        let binary = try Armour.unwrap(Array(Self.specDataMessage.utf8))
        #expect(binary == Array(try #require(Data(base64Encoded: Self.specDataMessage.dropFirst(5).dropLast()
            .replacingOccurrences(of: "\n", with: "")))))
        guard case .data(let d) = try EncodedMessage.read(binary) else {
            Issue.record("not a Data message")
            return
        }
        #expect(d.header.senderInstance == InstanceTag(0x27e3_1599))
        #expect(d.header.receiverInstance == InstanceTag(0x27e3_1597))
        #expect(d.senderKeyID == 1 && d.recipientKeyID == 2)
        #expect(d.nextDHKey.byteCount == 192)
        #expect(d.counter == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(d.encryptedMessage.count == 7)
        #expect(d.oldMACKeys.isEmpty)
        #expect(try EncodedMessage.data(d).serialize() == binary)
    }

    // MARK: Truncation

    @Test("every truncation of a valid message throws naming a field", arguments: Layout.all)
    func everyTruncationThrows(name: String, bytes: [UInt8]) {
        for length in 0..<bytes.count {
            _ = expectMalformed(Array(bytes[0..<length]), "\(name) cut to \(length) bytes")
        }
    }

    @Test func truncationNamesTheFieldItHappenedIn() {
        let bytes = Layout.dataMessage(version: 3)
        // Header 11, flags 1, keyids 8 -> the MPI length starts at 20.
        let cases: [(Int, String)] = [(1, "protocol version"), (2, "message type"), (5, "sender instance tag"),
                                      (13, "sender keyid"), (22, "next D-H key length"), (30, "next D-H key"),
                                      (220, "counter"), (238, "encrypted message"), (280, "authenticator"),
                                      (290, "old MAC keys length"), (300, "old MAC keys")]
        // Fields after the header are named with the message they belong to.
        let headerFields: Set<String> = ["protocol version", "message type", "sender instance tag"]
        for (length, field) in cases {
            let error = expectMalformed(Array(bytes[0..<length]))
            let expected = headerFields.contains(field) ? field : "Data message \(field)"
            #expect(error?.field == expected, "cut to \(length): \(String(describing: error))")
        }
    }

    @Test func byteReaderChecksEachTypeAndLeavesTheCursorOnFailure() throws {
        let short: [UInt8] = [0x01]
        var r = ByteReader(short)
        #expect(throws: OTRError.self) { try r.readShort("a SHORT") }
        #expect(r.offset == 0)
        #expect(try r.readByte("a BYTE") == 1)

        var r2 = ByteReader([0, 0, 1])
        let error = try #require(throws: OTRError.self) { try r2.readInt("an INT") }
        #expect(error.code == .malformed && error.field == "an INT" && error.offset == 0)
        #expect(r2.offset == 0)

        // DATA of length 5 with 4 bytes: the cursor goes back before the length.
        var r3 = ByteReader([0xaa] + Layout.data([1, 2, 3, 4, 5]).dropLast())
        _ = try r3.readByte("lead")
        let overrun = try #require(throws: OTRError.self) { try r3.readData("payload") }
        #expect(overrun.field == "payload" && overrun.offset == 1)
        #expect(overrun.reason.contains("length 5") && overrun.reason.contains("4 bytes left"))
        #expect(r3.offset == 1)

        var r4 = ByteReader(Layout.data([0, 0, 0x12]) + Layout.int(0))
        let mpi = try r4.readMPI("x")
        #expect(mpi.value == MPI(0x12) && !mpi.isMinimal && mpi.encoded == 0..<7)
        let zero = try r4.readMPI("zero")
        #expect(zero.value.isZero && zero.isMinimal)
        #expect(r4.isAtEnd)
    }

    @Test func aFourGigabyteDataLengthThrowsWithoutReadingOn() throws {
        let bytes = Layout.header(version: 3, type: 0x02) + Layout.int(0xffff_ffff) + [1, 2, 3]
        let error = expectMalformed(bytes)
        #expect(error?.field == "D-H Commit message encrypted g^x")
        #expect(error?.offset == 11)
        #expect(error?.reason.contains("4294967295") == true)
    }

    // MARK: Values that read but break a rule

    @Test func aHugeMPIReadsAndIsFlaggedOutOfRange() throws {
        let huge = [UInt8](repeating: 0xff, count: 1 << 20)
        guard case .dhKey(let k) = try EncodedMessage.read(Layout.dhKey(version: 3, gy: huge)) else {
            Issue.record("not a D-H Key")
            return
        }
        #expect(k.gy.byteCount == 1 << 20)
        #expect(EncodedMessage.dhKey(k).violations.contains { $0.field == "g^y" && $0.code == .outOfRange && $0.rule.contains("2 <= g^y <= p-2") })

        guard case .data(let d) = try EncodedMessage.read(Layout.dataMessage(version: 2, nextDH: huge)) else {
            Issue.record("not a Data message")
            return
        }
        #expect(d.violations.contains { $0.description == "next D-H key must satisfy 2 <= y <= p-2" && $0.field == "next D-H key" })
    }

    @Test func publicValuesAtTheEdgesOfTheRange() throws {
        let p = DHGroup.modulus
        let values: [(MPI, Bool)] = [(MPI(0), false), (MPI(1), false), (MPI(2), true), (p - MPI(2), true),
                                     (p - MPI(1), false), (p, false)]
        for (y, valid) in values {
            guard case .dhKey(let k) = try EncodedMessage.read(Layout.dhKey(version: 3, gy: y.bytes)) else {
                Issue.record("not a D-H Key")
                continue
            }
            #expect(k.violations.isEmpty == valid, "\(y)")
        }
    }

    @Test func aNonMinimalMPIIsReportedAndWrittenBackByteForByte() throws {
        let padded: [UInt8] = [0x00, 0x00] + Layout.gy
        let bytes = Layout.dhKey(version: 3, gy: padded)
        let message = try EncodedMessage.read(bytes)
        guard case .dhKey(let k) = message else {
            Issue.record("not a D-H Key")
            return
        }
        #expect(k.gy == MPI(bytes: Layout.gy))
        #expect(k.gyEncoding == padded)
        #expect(message.violations == [RuleViolation(.malformed, "g^y", "is not minimally encoded (leading zero bytes)")])
        #expect(try message.serialize() == bytes)

        let dataBytes = Layout.dataMessage(version: 3, nextDH: padded)
        let dataMessage = try EncodedMessage.read(dataBytes)
        guard case .data(let d) = dataMessage else {
            Issue.record("not a Data message")
            return
        }
        #expect(d.nextDHKeyEncoding == padded)
        #expect(d.violations.map(\.description) == ["next D-H key is not minimally encoded (leading zero bytes)"])
        #expect(try dataMessage.serialize() == dataBytes)

        // Without the kept encoding the writer is minimal: two bytes shorter.
        var minimal = d
        minimal.nextDHKeyEncoding = nil
        #expect(try EncodedMessage.data(minimal).serialize().count == dataBytes.count - 2)
    }

    @Test func trailingBytesAfterTheLastFieldThrow() {
        for (name, bytes) in Layout.all {
            let error = expectMalformed(bytes + [0], "\(name)")
            #expect(error?.offset == bytes.count, "\(name)")
            #expect(error?.reason.contains("1 trailing bytes") == true, "\(name): \(String(describing: error))")
        }
    }

    @Test func anUnknownTypeInVersion3ThrowsNamingTheType() {
        let error = expectMalformed(Layout.header(version: 3, type: 0x05) + [0, 0, 0, 0])
        #expect(error?.field == "message type")
        #expect(error?.offset == 2)
        #expect(error?.reason.contains("0x05") == true)
    }

    @Test func version1MessagesAreRecognisedNotRead() throws {
        // "AAEK" and "AAED" are how OTR version 1 Key Exchange and Data
        // messages begin: 00 01 0a and 00 01 03.
        let keyExchange = try EncodedMessage.read(armoured: Array("?OTR:AAEKAQID.".utf8))
        #expect(keyExchange == .version1(type: 0x0a, body: [1, 2, 3]))
        #expect(keyExchange.name == "v1 Key Exchange")
        let data = try EncodedMessage.read(armoured: Array("?OTR:AAED.".utf8))
        #expect(data == .version1(type: 0x03, body: []))
        // Two bytes, version 1 and no type: malformed, not a type-0 message
        // that would serialise to three bytes.
        let typeless = #expect(throws: OTRError.self) { try EncodedMessage.read([0x00, 0x01]) }
        #expect(typeless?.field == "message type")
        #expect(data.name == "v1 Data")
        #expect(data.violations.isEmpty)
        #expect(try keyExchange.serialize() == [0, 1, 0x0a, 1, 2, 3])
    }

    @Test func anOTRv4MessageIsLabelledWithItsVersionNotMisread() throws {
        // OTRv4 messages start "?OTR:AAQ": version 0x0004, then a type byte.
        // 0x35 is OTRv4's Identity message; the rest would misread as v3.
        let body: [UInt8] = Layout.int(0x100) + Layout.int(0) + Layout.pattern(50, 1)
        let armoured = "?OTR:" + Data([0, 4, 0x35] + body).base64EncodedString() + "."
        #expect(armoured.hasPrefix("?OTR:AAQ"))
        let message = try EncodedMessage.read(armoured: Array(armoured.utf8))
        #expect(message == .unknownVersion(version: 4, type: 0x35, body: body))
        #expect(message.name == "version 4 message")
        #expect(try message.armoured() == armoured)
        // Only a version number: still labelled, with no type.
        #expect(try EncodedMessage.read([0, 4]) == .unknownVersion(version: 4, type: nil, body: []))
    }

    @Test func instanceTagsBelow0x100AreReported() throws {
        let lowSender = try EncodedMessage.read(Layout.dataMessage(version: 3, sender: 0xff, receiver: 0x100))
        #expect(lowSender.violations == [RuleViolation(.outOfRange, "sender instance tag", "000000ff is below 0x00000100")])
        let lowReceiver = try EncodedMessage.read(Layout.dataMessage(version: 3, sender: 0x100, receiver: 1))
        #expect(lowReceiver.violations.map(\.description) == ["receiver instance tag 00000001 is neither 0 nor at least 0x00000100"])
        // Receiver 0 ("not known yet") is what a D-H Commit carries: valid.
        let unknownReceiver = try EncodedMessage.read(Layout.dhCommit(version: 3))
        #expect(unknownReceiver.violations.isEmpty)
        let zeroReceiver = try EncodedMessage.read(Layout.header(version: 3, type: 0x02, sender: 0x100, receiver: 0)
                                                   + Layout.data([1]) + Layout.data(Layout.pattern(32, 0)))
        #expect(zeroReceiver.violations.isEmpty)
        let zeroSender = try EncodedMessage.read(Layout.header(version: 3, type: 0x02, sender: 0, receiver: 0)
                                                 + Layout.data([1]) + Layout.data(Layout.pattern(32, 0)))
        #expect(zeroSender.violations.map(\.description) == ["sender instance tag 00000000 is below 0x00000100"])
    }

    @Test func zeroCounterZeroKeyidsAndRaggedOldMACKeysAreReported() throws {
        let bytes = Layout.dataMessage(version: 2, senderKeyID: 0, recipientKeyID: 0, counter: [UInt8](repeating: 0, count: 8),
                                       oldMACKeys: Layout.pattern(30, 1))
        let violations = try EncodedMessage.read(bytes).violations
        let v = violations.map(\.description)
        // Each names its field and the kind of rule, not only a text.
        #expect(violations.filter { $0.code == .outOfRange }.compactMap(\.field) == ["sender keyid", "recipient keyid", "counter"])
        #expect(violations.first { $0.field == "old MAC keys" }?.code == .malformed)
        #expect(v.contains("sender keyid must be greater than 0"))
        #expect(v.contains("recipient keyid must be greater than 0"))
        #expect(v.contains("counter top half must not be all zero"))
        #expect(v.contains("old MAC keys length 30 is not a multiple of 20"))
        #expect(v.count == 4)
    }

    @Test func aShortHashOrRevealedKeyIsReported() throws {
        let commit = Layout.header(version: 3, type: 0x02) + Layout.data([1, 2]) + Layout.data(Layout.pattern(20, 1))
        #expect(try EncodedMessage.read(commit).violations.map(\.description) == ["hashed g^x must be a 32-byte SHA-256 hash, is 20 bytes"])
        let reveal = Layout.header(version: 2, type: 0x11) + Layout.data(Layout.pattern(15, 1)) + Layout.data([]) + Layout.pattern(20, 0)
        #expect(try EncodedMessage.read(reveal).violations.map(\.description) == ["revealed key r must be 16 bytes (128 bits), is 15"])
    }

    // MARK: Base64

    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test("RFC 4648 section 10 test vectors", arguments: rfc4648)
    func base64Vector(plain: String, encoded: String) throws {
        #expect(Base64.encodeString(Array(plain.utf8)) == encoded)
        #expect(try Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
    }

    @Test func base64AgreesWithFoundationOnEveryByteValueAndLength() throws {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + length * 11 + 250) }
            let encoded = Base64.encodeString(bytes)
            #expect(encoded == Data(bytes).base64EncodedString())
            #expect(try Base64.decode(Array(encoded.utf8)) == bytes)
        }
    }

    /// Whitespace (a log wrapping a message) can stand anywhere; the decoder
    /// then leaves its four-characters-at-a-time path and comes back to it,
    /// with the bytes written so far at any offset.
    @Test func base64SkipsWhitespaceAnywhereAtEveryLength() throws {
        var seed: UInt64 = 0x9e37_79b9_7f4a_7c15
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: next()) }
            var text: [UInt8] = []
            for c in Base64.encode(bytes) {
                if next() % 7 == 0 { text.append([UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t")][next() % 3]) }
                text.append(c)
            }
            #expect(try Base64.decode(text) == bytes, "length \(length)")
        }
    }

    @Test func base64RejectsABadCharacterAtItsOffset() {
        for (text, offset) in [("Zm9v!mFy", 4), ("-m9v", 0), ("Zm9vYmF_", 7), ("Zm\u{e9}v", 2)] {
            let error = #expect(throws: OTRError.self) { try Base64.decode(Array(text.utf8)) }
            #expect(error?.code == .malformed, "\(text)")
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
            #expect(error?.reason.contains("is not base64") == true, "\(text)")
        }
        // Through the armour, the offset counts the "?OTR:" prefix.
        let armoured = #expect(throws: OTRError.self) { try Armour.unwrap(Array("?OTR:AAMC*AAA.".utf8)) }
        #expect(armoured?.offset == 9)
    }

    @Test func base64RejectsDataAfterPadding() {
        for (text, offset) in [("Zg==Zg==", 4), ("Zg=a", 3), ("Zm8=Zm9v", 4)] {
            let error = #expect(throws: OTRError.self) { try Base64.decode(Array(text.utf8)) }
            #expect(error?.offset == offset, "\(text): \(String(describing: error))")
        }
        for text in ["====", "Z===", "Zg==="] {
            #expect(throws: OTRError.self, "\(text)") { try Base64.decode(Array(text.utf8)) }
        }
    }

    @Test func base64RejectsTruncatedInput() {
        for text in ["Z", "Zm", "Zm9", "Zm9vY", "Zm9vYmF", "Zg="] {
            let error = #expect(throws: OTRError.self) { try Base64.decode(Array(text.utf8)) }
            #expect(error?.offset == text.utf8.count, "\(text)")
            #expect(error?.reason.contains("multiple of 4") == true, "\(text)")
        }
        let unclosed = #expect(throws: OTRError.self) { try Armour.unwrap(Array("?OTR:AAMC".utf8)) }
        #expect(unclosed?.reason.contains("no closing") == true)
    }

    @Test func base64SkipsWhitespaceWhereALogWrappedIt() throws {
        #expect(try Base64.decode(Array("Zm9v\nYmFy".utf8)) == Array("foobar".utf8))
        #expect(try Base64.decode(Array(" Zm 9v\tYmF\r\ny \n".utf8)) == Array("foobar".utf8))
        #expect(try Base64.decode(Array("Zg=\n=".utf8)) == Array("f".utf8))
        #expect(try Base64.decode(Array(" \n\t".utf8)) == [])
    }

    @Test func base64DecodesTheSameWithALineBreakAtAnyPosition() throws {
        // The decoder takes whole quads fast and single characters around
        // whitespace: a break anywhere must not change the bytes.
        let bytes = (0..<61).map { UInt8(truncatingIfNeeded: $0 * 91 + 7) }
        let encoded = Array(Base64.encodeString(bytes).utf8)
        for position in 0...encoded.count {
            var wrapped = encoded
            wrapped.insert(UInt8(ascii: "\n"), at: position)
            #expect(try Base64.decode(wrapped) == bytes, "break at \(position)")
        }
    }
}
