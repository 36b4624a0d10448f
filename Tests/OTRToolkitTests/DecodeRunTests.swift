import Foundation
import OTR
import OTRToolkit
import Testing

/// decode in process, as the command runs it (DecodeSession.run over
/// standard input): finding messages where captures put them, keeping
/// input order across its two threads, reporting hostile input as one
/// line and going on, keys that do not verify. What needs the process
/// (secrets from the environment and descriptors, memory bounds under
/// ulimit) stays in the end-to-end tests.
struct DecodeRunTests {
    /// The hand-built messages and keys the toolkit's tests share.
    private typealias F = ToolkitFixtures

    static func decodeJSON(_ input: [UInt8], maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> InProcessRun {
        try InProcessRun.decode(input, keys: F.keys, maximumLineLength: maximumLineLength)
    }

    static func plaintextMessage(_ object: [String: Any]) -> String? {
        ((object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String
    }

    // MARK: Finding messages

    @Test("a log prefix is shown as the text of a query and of an encoded message alike, and a message alone has none")
    func queriesAndMessagesShowTheirLineAlike() throws {
        let message = try F.dataMessage("hi")
        let input = "[12:00] <alice> ?OTRv3? ok\n[12:01] <bob> \(message)\n\(message)\n"
        let objects = try Self.decodeJSON(Array(input.utf8)).jsonLines()
        try #require(objects.count == 3)
        #expect(objects[0]["text"] as? String == "[12:00] <alice>  ok" && objects[0]["text_offset"] as? Int == 16)
        #expect(objects[1]["text"] as? String == "[12:01] <bob> " && objects[1]["text_offset"] as? Int == 14)
        #expect(objects[2]["text"] == nil && objects[2]["text_offset"] == nil)
        let human = try InProcessRun.decode(Array(input.utf8), json: false)
        let rows = human.lines.filter { $0.hasPrefix("    text ") }
        #expect(rows == ["    text                 \"[12:00] <alice>  ok\"", "    text                 \"[12:01] <bob> \""], "\(human.out)")
    }

    @Test func findsMessagesInsideLogLinesAndReportsPlainText() throws {
        let message = try F.dataMessage("meet at noon")
        let prefix = "[2024-03-01 12:00:01] <alice@example.org/laptop> "
        let input = prefix + message + "\n" + "[2024-03-01 12:00:02] <bob@example.org> sure, see you\n"
        let result = try Self.decodeJSON(Array(input.utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .success, "\(result.errors)")
        #expect(result.errors.isEmpty)
        try #require(objects.count == 2)
        #expect(objects[0]["kind"] as? String == "data")
        #expect(objects[0]["line"] as? Int == 1)
        #expect(objects[0]["offset"] as? Int == prefix.utf8.count)
        #expect(objects[0]["raw"] as? String == message)
        // The log's prefix is the message's text, as a query's would be.
        #expect(objects[0]["text"] as? String == prefix && objects[0]["text_offset"] as? Int == prefix.utf8.count)
        #expect(Self.plaintextMessage(objects[0]) == "meet at noon")
        #expect((objects[0]["analysis"] as? [String: Any])?["mac_valid"] as? Bool == true)
        #expect(objects[1]["kind"] as? String == "plaintext")
        #expect(objects[1]["line"] as? Int == 2)
        #expect(objects[1]["text"] as? String == "[2024-03-01 12:00:02] <bob@example.org> sure, see you")

        // The text form says the same.
        let human = try InProcessRun.decode(Array(input.utf8), json: false, keys: F.keys)
        #expect(human.status == .success)
        #expect(human.out.contains("-:1: Data message"))
        #expect(human.out.contains("    text                 \"\(prefix)\"\n"), "\(human.out)")
        #expect(human.out.contains("\"meet at noon\""))
        #expect(human.out.contains("-:2: plain text (not OTR): \"[2024-03-01 12:00:02] <bob@example.org> sure, see you\""))
    }

    @Test func findsMessagesInXMPPBodiesWithEntitiesUnescaped() throws {
        let message = try F.dataMessage("over xmpp")
        let input = """
            <message from='alice@example.org/pc' to='bob@example.org/phone' type='chat'><body>?OTRv23? Alice &amp; Bob &lt;3 &#x263A; OTR</body></message>
            <message to='bob@example.org/phone'><body>?OTRv3? first line
            second &quot;line&quot;</body></message>
            <message to='bob@example.org/phone' type='chat'><body>\(message)
            </body><no-copy xmlns='urn:xmpp:hints'/></message>

            """
        let result = try Self.decodeJSON(Array(input.utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .success, "\(result.errors)")
        let queries = objects.filter { $0["kind"] as? String == "query" }
        try #require(queries.count == 2)
        #expect(queries[0]["line"] as? Int == 1)
        #expect(queries[0]["versions"] as? [Int] == [2, 3])
        #expect(queries[0]["text"] as? String == " Alice & Bob <3 \u{263A} OTR")
        // A body over two lines is one text, its line break kept.
        #expect(queries[1]["line"] as? Int == 2)
        #expect(queries[1]["versions"] as? [Int] == [3])
        #expect(queries[1]["text"] as? String == " first line\nsecond \"line\"")
        let data = objects.filter { $0["kind"] as? String == "data" }
        try #require(data.count == 1)
        #expect(data[0]["line"] as? Int == 4)
        #expect(Self.plaintextMessage(data[0]) == "over xmpp")
        // The markup around the bodies is not mistaken for OTR.
        #expect(!objects.contains { ["invalid", "unterminated", "unrecognised"].contains($0["kind"] as? String ?? "") })
    }

    @Test func readsBase64ThatALogWrappedOverThreeLines() throws {
        let message = try F.dataMessage("wrapped by the log")
        let chars = Array(message)
        let third = chars.count / 3
        let input = "12:00:03 <bob> " + String(chars[0..<third]) + "\n"
            + "    " + String(chars[third..<(2 * third)]) + "\n"
            + "\t " + String(chars[(2 * third)...]) + "\n"
            + "12:00:04 <bob> done\n"
        let result = try Self.decodeJSON(Array(input.utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .success, "\(result.errors)")
        try #require(objects.count == 2)
        #expect(objects[0]["kind"] as? String == "data")
        #expect(objects[0]["line"] as? Int == 1)
        #expect(objects[0]["raw"] as? String == message)
        #expect(Self.plaintextMessage(objects[0]) == "wrapped by the log")
        #expect(objects[1]["kind"] as? String == "plaintext")
        #expect(objects[1]["line"] as? Int == 4)
    }

    // MARK: Order across the two threads

    /// decode reads and parses on one thread and analyses and prints on
    /// another, in batches; a capture spanning many batches must still come
    /// out in input order on both streams, with problems found while
    /// reading (an over-long line, fragments) and while analysing (bad
    /// base64, a reused counter) interleaved as the lines are.
    @Test func outputAndErrorsKeepInputOrderAcrossManyBatches() throws {
        // Counters rise through the capture but for one repeat a block.
        func counter(_ value: Int) -> String { String(repeating: "0", count: 15) + String(value, radix: 16) }
        var lines: [String] = []
        var expectedErrors: [(line: Int, text: String)] = []
        for block in 0..<6 {
            let good = try F.dataMessage("in order \(block)", counter: counter(2 * block + 1))
            let repeated = try F.dataMessage("again \(block)", counter: counter(2 * block + 2))
            for i in 1...1000 {
                let n = block * 1000 + i
                switch i {
                case 17:
                    lines.append("?OTR:AAMD!!!!.")
                    expectedErrors.append((n, "base64"))
                case 100:
                    lines.append(good)
                case 400:
                    lines.append(String(repeating: "x", count: 3000))
                    expectedErrors.append((n, "--max-line-length"))
                case 600:
                    lines.append("?OTR|00000100|00000101,00002,00001,AAMD,")  // fragment 2 of 1
                    expectedErrors.append((n, "fragment"))
                case 800:
                    lines.append(repeated)
                case 801:
                    lines.append(repeated)
                    expectedErrors.append((n, "reused"))
                default:
                    lines.append("plain text line \(n)")
                }
            }
        }
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let result = try InProcessRun.decode(input, json: false, maximumLineLength: 2000)
        #expect(result.status == .malformedInput, "malformed input must give status 2: \(result.errors.prefix(3))")
        let errors = result.errors
        try #require(errors.count == expectedErrors.count,
                     "expected \(expectedErrors.count) problems, got \(errors.count): \(errors.prefix(8))")
        for (error, expected) in zip(errors, expectedErrors) {
            #expect(error.contains(": -:\(expected.line):") && error.contains(expected.text),
                    "out of order or wrong: expected line \(expected.line) (\(expected.text)), got \(error)")
        }
        // Every line but the skipped one has its title, in order.
        let titles = result.out.split(separator: "\n").filter { $0.hasPrefix("-:") }
        let numbers = titles.compactMap { Int($0.dropFirst(2).prefix { $0 != ":" }) }
        #expect(numbers == (1...6000).filter { $0 % 1000 != 400 }, "titles missing or out of order")
    }

    // MARK: Hostile input

    struct Hostile: CustomTestStringConvertible, Sendable {
        let name: String
        let input: [UInt8]
        /// What the one stderr line must say.
        let rule: String
        var maximumLineLength = LineReader.defaultMaximumLineLength
        var testDescription: String { name }
    }

    static var hostileCases: [Hostile] {
        let line = { (s: String) in Array((s + "\n").utf8) }
        // A Data message with every field intact up to a 4 GB encrypted-message length.
        let fourGB = F.header(0x03) + [0] + F.be32(1) + F.be32(1) + F.be32(1) + [5] + [0, 0, 0, 0, 0, 0, 0, 1] + F.be32(0xffff_ffff) + [1, 2, 3]
        let hugeMPI = F.header(0x0a) + F.be32(1 << 20) + [UInt8](repeating: 0xff, count: 1 << 20)
        return [
            Hostile(name: "truncated base64", input: line("?OTR:AAMDAAABAAAAAQAAAA."),
                    rule: "length is not a multiple of 4"),
            Hostile(name: "DATA length overruns", input: line(F.armour(F.header(0x02) + F.be32(16) + [1, 2, 3])),
                    rule: "encrypted g^x at byte 11: length 16 overruns the message (3 bytes left)"),
            Hostile(name: "4 GB length field", input: line(F.armour(fourGB)),
                    rule: "encrypted message at byte 33: length 4294967295 overruns"),
            Hostile(name: "huge MPI", input: line(F.armour(hugeMPI)),
                    rule: "D-H Key message: g^y must satisfy 2 <= g^y <= p-2"),
            Hostile(name: "unterminated at the end of a line", input: line("12:00 <eve> ?OTR:AAMDAAABAAAAAQ"),
                    rule: "encoded message at byte 12: no closing \".\""),
            Hostile(name: "garbage after ?OTR:", input: line("?OTR:%%%garbage%%%."),
                    rule: "encoded message at byte 0: "),
            Hostile(name: "invalid UTF-8", input: Array("?OTR:AAMD".utf8) + [0xff, 0xfe, 0xc0] + line("AAAA."),
                    rule: "encoded message at byte 0"),
            Hostile(name: "NUL bytes", input: Array("?OTR:AAMD".utf8) + [0, 0] + line("AAAA."),
                    rule: "encoded message at byte 0"),
            Hostile(name: "3 MB line", input: [UInt8](repeating: UInt8(ascii: "A"), count: 3 << 20) + line(""),
                    rule: "line of 3145728 bytes exceeds --max-line-length 1048576; skipped",
                    maximumLineLength: 1048576),
        ]
    }

    @Test("hostile input: one stderr line, exit 2, and the next message still decoded", arguments: hostileCases)
    func hostile(_ c: Hostile) throws {
        let valid = try F.dataMessage("still here")
        let result = try Self.decodeJSON(c.input + Array((valid + "\n").utf8), maximumLineLength: c.maximumLineLength)
        let objects = try result.jsonLines()
        #expect(result.status == .malformedInput)
        let errors = result.errors
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("otrtool decode: -:1: ") == true, "\(errors)")
        #expect(errors.first?.contains(c.rule) == true, "\(errors)")
        let last = try #require(objects.last)
        #expect(last["kind"] as? String == "data")
        #expect(last["line"] as? Int == 2)
        #expect(Self.plaintextMessage(last) == "still here")
    }

    @Test func anUnterminatedMessageAtTheEndOfInputIsReported() throws {
        let valid = try F.dataMessage("before the end")
        let result = try Self.decodeJSON(Array((valid + "\n?OTR:AAMDAAABAAAA").utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .malformedInput)
        #expect(result.errors == ["otrtool decode: -:2: encoded message at byte 0: no closing \".\" (truncated?)"])
        try #require(objects.count == 2)
        #expect(Self.plaintextMessage(objects[0]) == "before the end")
        #expect(objects[1]["kind"] as? String == "unterminated")
        #expect(objects[1]["raw"] as? String == "?OTR:AAMDAAABAAAA")
    }

    @Test func anInvalidMessageIsShownAsInvalidWithItsError() throws {
        let result = try Self.decodeJSON(Array((F.armour(F.header(0x05)) + "\n").utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .malformedInput)
        try #require(objects.count == 1)
        #expect(objects[0]["kind"] as? String == "invalid")
        #expect((objects[0]["error"] as? String)?.contains("0x05 is not a message type of version 3") == true)
    }

    // MARK: Keys

    @Test func aWrongAESKeyFailsEachMessageAndTheRunGoesOn() throws {
        let input = try F.dataMessage("one") + "\n" + F.dataMessage("two", counter: "0000000000000002") + "\n"
        var wrong = CaptureKeys()
        wrong.aesKeys = [SecureBytes(try Hex.decode("ff0102030405060708090a0b0c0d0e0f"))]
        let result = try InProcessRun.decode(Array(input.utf8), keys: wrong)
        #expect(result.status == .checkFailed)
        #expect(result.errors == [
            "otrtool decode: -:1: Data message: MAC does not verify with any given or derived key",
            "otrtool decode: -:2: Data message: MAC does not verify with any given or derived key",
        ])
        let objects = try result.jsonLines()
        try #require(objects.count == 2)
        for object in objects {
            #expect((object["analysis"] as? [String: Any])?["mac_valid"] as? Bool == false)
            #expect(Self.plaintextMessage(object) == nil)
        }
    }

    @Test func aCounterReusedOrGoingBackUnderTheSameKeysIsReported() throws {
        let first = try F.dataMessage("first text")
        let second = try F.dataMessage("other text")
        let third = try F.dataMessage("third text", counter: "0000000000000003")
        let fourth = try F.dataMessage("fourth text", counter: "0000000000000002")
        let result = try Self.decodeJSON(Array([first, second, third, fourth, ""].joined(separator: "\n").utf8))
        let objects = try result.jsonLines()
        #expect(result.status == .malformedInput)
        let errors = result.errors
        try #require(errors.count == 2, "\(errors)")
        #expect(errors[0].hasPrefix("otrtool decode: -:2: Data message: counter 0000000000000001 reused"), "\(errors)")
        #expect(errors[1].hasPrefix("otrtool decode: -:4: Data message: counter 0000000000000002 is lower"), "\(errors)")
        try #require(objects.count == 4)
        let problems: [String?] = objects.map { object -> String? in
            let analysis = object["analysis"] as? [String: Any]
            return analysis?["counter_problem"] as? String
        }
        #expect(problems[0] == nil && problems[2] == nil)
        #expect(problems[1]?.contains("reused") == true)
        #expect(problems[3]?.contains("must increase") == true)
        #expect((objects[1]["violations"] as? [String])?.contains { $0.contains("reused") } == true)
        // The texts still decrypt: the problem is reported, not fatal.
        #expect(Self.plaintextMessage(objects[1]) == "other text")
        #expect(Self.plaintextMessage(objects[3]) == "fourth text")
    }

    // MARK: Out-of-range group elements and broken TLVs

    static let outOfRange: [String] = ["0", "1", "p-1", "p"]

    /// 0, 1, p-1 or p as the bytes of an MPI.
    static func value(_ name: String) -> [UInt8] {
        let p = try! Hex.decode(DHGroup.modulusHex.filter(\.isHexDigit))
        switch name {
        case "0": return []
        case "1": return [1]
        case "p-1": return Array(p.dropLast()) + [p.last! - 1]
        default: return p
        }
    }

    static func expectDecoded(_ run: InProcessRun, text: String, line: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let last = try #require(try run.jsonLines().last, "no JSON output", sourceLocation: sourceLocation)
        #expect(last["kind"] as? String == "data", sourceLocation: sourceLocation)
        #expect(last["line"] as? Int == line, sourceLocation: sourceLocation)
        #expect(plaintextMessage(last) == text, "the message after the hostile input is still decrypted", sourceLocation: sourceLocation)
    }

    @Test("g^y of a D-H Key and a Data message's next D-H key of 0, 1, p-1 or p are one error each",
          arguments: outOfRange)
    func outOfRangeDHValues(_ value: String) throws {
        let y = Self.value(value)
        let dhKey = F.armour(F.header(0x0a) + F.data(y))
        let data = try F.dataMessage(plaintext: DataPlaintext(message: Array("hi".utf8)).encoded, nextDHKey: MPI(bytes: y))
        let good = try F.dataMessage("still here", counter: "0000000000000002")
        let run = try Self.decodeJSON(Array((dhKey + "\n" + data + "\n" + good + "\n").utf8))
        #expect(run.status == .malformedInput)
        #expect(run.errors == [
            "otrtool decode: -:1: D-H Key message: g^y must satisfy 2 <= g^y <= p-2",
            "otrtool decode: -:2: Data message: next D-H key must satisfy 2 <= y <= p-2",
        ])
        try Self.expectDecoded(run, text: "still here", line: 3)
    }

    @Test("a g^x of 0, 1, p-1 or p that a Reveal Signature opens from the D-H Commit is reported",
          arguments: outOfRange)
    func outOfRangeRevealedGx(_ value: String) throws {
        let r = try Hex.decode("00112233445566778899aabbccddeeff")
        let commit = try DHCommitMessage(header: MessageHeader(version: 3, type: MessageType.dhCommit.rawValue,
                                                               senderInstance: InstanceTag(rawValue: 0x100), receiverInstance: InstanceTag(rawValue: 0)),
                                         committingTo: MPI(bytes: Self.value(value)), r: r)
        let reveal = RevealSignatureMessage(header: MessageHeader(version: 3, type: MessageType.revealSignature.rawValue,
                                                                  senderInstance: InstanceTag(rawValue: 0x100), receiverInstance: InstanceTag(rawValue: 0x200)),
                                            revealedKey: r, encryptedSignature: [1, 2], mac: [UInt8](repeating: 0, count: 20))
        let input = try EncodedMessage.dhCommit(commit).armoured() + "\n" + EncodedMessage.revealSignature(reveal).armoured() + "\n"
        let run = try InProcessRun.decode(Array(input.utf8))
        let opened = try run.jsonLines().last?["analysis"] as? [String: Any]
        #expect(opened?["commitment_matches"] as? Bool == true, "the commitment opens: the test exercises the range check")
        #expect(run.status == .malformedInput, "decode ends with \(run.status) for a revealed g^x = \(value); the spec requires 2 <= g^x <= p-2")
        #expect(run.errors == ["otrtool decode: -:2: Reveal Signature message: opened g^x must satisfy 2 <= g^x <= p-2"])
    }

    /// SMP and other TLVs a decrypted Data message may carry, broken.
    static let hostileTLVs: [String: (tlv: TLV, names: String)] = [
        "SMP 1 with g2a = 1 (out of range)": (TLV(type: 2, value: try! Hex.decode("00000006" + String(repeating: "0000000101", count: 6))), "g2a"),
        "SMP 1 MPI count 0xFFFFFFFF": (TLV(type: 2, value: try! Hex.decode("ffffffff")), "MPI count"),
        "SMP 1 MPI length 0xFFFFFFFF": (TLV(type: 2, value: try! Hex.decode("00000006ffffffff01")), "4294967295"),
        "SMP 1Q question without NUL": (TLV(type: 7, value: try! Hex.decode("41424344")), "NUL"),
        "extra symmetric key shorter than its use": (TLV(type: 8, value: [1]), "use"),
    ]

    @Test("a malformed or out-of-range TLV in the plaintext is one error (status 2); the next message decodes",
          arguments: hostileTLVs.keys.sorted())
    func hostileTLVInPlaintext(_ name: String) throws {
        let (tlv, names) = try #require(Self.hostileTLVs[name])
        let built = try F.dataMessage(plaintext: DataPlaintext(message: Array("hi".utf8), tlvs: [tlv]).encoded, counter: "0000000000000005")
        let good = try F.dataMessage("still here", counter: "0000000000000006")
        let run = try Self.decodeJSON(Array((built + "\n" + good + "\n").utf8))
        try Self.expectDecoded(run, text: "still here", line: 2)
        #expect(run.status == .malformedInput, "decode ends with \(run.status) for a Data message carrying \(name)")
        #expect(run.errors.count == 1 && run.errors.allSatisfy { $0.hasPrefix("otrtool decode: -:1: Data message: ") && $0.contains(names) },
                "no one error line names \(names) for \(name): \(run.errors)")
    }

    @Test("a TLV whose length overruns the plaintext is one error (status 2)")
    func tlvOverrun() throws {
        // After the NUL: a TLV of type 2 and length 16 with 2 bytes.
        let built = try F.dataMessage(plaintext: try Hex.decode("6869000002001041"), counter: "0000000000000005")
        let good = try F.dataMessage("still here", counter: "0000000000000006")
        let run = try Self.decodeJSON(Array((built + "\n" + good + "\n").utf8))
        let first = try #require(try run.jsonLines().first?["analysis"] as? [String: Any])
        #expect((first["plaintext_error"] as? String)?.contains("overruns") == true, "decode did see the overrun")
        #expect(run.status == .malformedInput)
        #expect(run.errors.count == 1 && run.errors[0].hasPrefix("otrtool decode: -:1: Data message: plaintext: ")
                && run.errors[0].contains("overruns"), "\(run.errors)")
        try Self.expectDecoded(run, text: "still here", line: 2)
    }
}
