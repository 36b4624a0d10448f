import Foundation
import Testing

/// decode end to end: finding messages where captures put them, reporting
/// hostile input as one stderr line and going on, and taking secrets from
/// the environment, files and descriptors.
struct DecodeCommandTests {
    static let aesKey = "000102030405060708090a0b0c0d0e0f"
    /// 2^16 as a D-H public value: in range (2 <= y <= p-2) and easy to check.
    static let nextDHKey = "010000"

    /// A Data message built by encode under `aesKey`.
    static func dataMessage(_ text: String, counter: String = "0000000000000001", extra: [String] = []) throws -> String {
        let result = try Tool.run(["encode", "data", "--aes-key", "hex:\(aesKey)", "--next-dh-key", nextDHKey,
                                   "--text", text, "--counter", counter] + extra)
        try #require(result.status == 0, "encode data failed: \(result.err)")
        let line = try #require(result.lines.first)
        try #require(line.hasPrefix("?OTR:AAMD") && line.hasSuffix("."), "not an armoured v3 Data message: \(line)")
        return line
    }

    /// An armoured message from raw bytes (hand-built hostile layouts).
    static func armour(_ bytes: [UInt8]) -> String { "?OTR:" + Data(bytes).base64EncodedString() + "." }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    /// A v3 header from instance 0x100 to 0x101.
    static func header(_ type: UInt8) -> [UInt8] { [0, 3, type] + be32(0x100) + be32(0x101) }

    static func decodeJSON(_ input: Data, _ extra: [String] = []) throws -> (Tool.Result, [[String: Any]]) {
        let result = try Tool.run(["decode", "--json", "--aes-key", "hex:\(aesKey)"] + extra, stdin: input)
        return (result, try Tool.jsonLines(result))
    }

    static func plaintextMessage(_ object: [String: Any]) -> String? {
        ((object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String
    }

    static func stderrLines(_ result: Tool.Result) -> [String] {
        result.err.split(separator: "\n").map(String.init)
    }

    // MARK: Finding messages

    @Test("a log prefix is shown as the text of a query and of an encoded message alike, and a message alone has none")
    func queriesAndMessagesShowTheirLineAlike() throws {
        let message = try Self.dataMessage("hi")
        let input = "[12:00] <alice> ?OTRv3? ok\n[12:01] <bob> \(message)\n\(message)\n"
        let (_, objects) = try Self.decodeJSON(Data(input.utf8))
        try #require(objects.count == 3)
        #expect(objects[0]["text"] as? String == "[12:00] <alice>  ok" && objects[0]["text_offset"] as? Int == 16)
        #expect(objects[1]["text"] as? String == "[12:01] <bob> " && objects[1]["text_offset"] as? Int == 14)
        #expect(objects[2]["text"] == nil && objects[2]["text_offset"] == nil)
        let human = try Tool.run(["decode"], input: input)
        let rows = human.lines.filter { $0.hasPrefix("    text ") }
        #expect(rows == ["    text                 \"[12:00] <alice>  ok\"", "    text                 \"[12:01] <bob> \""], "\(human.out)")
    }

    @Test func findsMessagesInsideLogLinesAndReportsPlainText() throws {
        let message = try Self.dataMessage("meet at noon")
        let prefix = "[2024-03-01 12:00:01] <alice@example.org/laptop> "
        let input = prefix + message + "\n" + "[2024-03-01 12:00:02] <bob@example.org> sure, see you\n"
        let (result, objects) = try Self.decodeJSON(Data(input.utf8))
        #expect(result.status == 0, "\(result.err)")
        #expect(result.err.isEmpty)
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
        let human = try Tool.run(["decode", "--aes-key", "hex:\(Self.aesKey)"], input: input)
        #expect(human.status == 0)
        #expect(human.out.contains("-:1: Data message"))
        #expect(human.out.contains("    text                 \"\(prefix)\"\n"), "\(human.out)")
        #expect(human.out.contains("\"meet at noon\""))
        #expect(human.out.contains("-:2: plain text (not OTR): \"[2024-03-01 12:00:02] <bob@example.org> sure, see you\""))
    }

    @Test func findsMessagesInXMPPBodiesWithEntitiesUnescaped() throws {
        let message = try Self.dataMessage("over xmpp")
        let input = """
            <message from='alice@example.org/pc' to='bob@example.org/phone' type='chat'><body>?OTRv23? Alice &amp; Bob &lt;3 &#x263A; OTR</body></message>
            <message to='bob@example.org/phone'><body>?OTRv3? first line
            second &quot;line&quot;</body></message>
            <message to='bob@example.org/phone' type='chat'><body>\(message)
            </body><no-copy xmlns='urn:xmpp:hints'/></message>

            """
        let (result, objects) = try Self.decodeJSON(Data(input.utf8))
        #expect(result.status == 0, "\(result.err)")
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
        let message = try Self.dataMessage("wrapped by the log")
        let chars = Array(message)
        let third = chars.count / 3
        let input = "12:00:03 <bob> " + String(chars[0..<third]) + "\n"
            + "    " + String(chars[third..<(2 * third)]) + "\n"
            + "\t " + String(chars[(2 * third)...]) + "\n"
            + "12:00:04 <bob> done\n"
        let (result, objects) = try Self.decodeJSON(Data(input.utf8))
        #expect(result.status == 0, "\(result.err)")
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
            let good = try Self.dataMessage("in order \(block)", counter: counter(2 * block + 1))
            let repeated = try Self.dataMessage("again \(block)", counter: counter(2 * block + 2))
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
        let input = Data((lines.joined(separator: "\n") + "\n").utf8)
        let result = try Tool.run(["decode", "--max-line-length", "2000"], stdin: input)
        #expect(result.status == 2, "malformed input must give status 2: \(result.err.prefix(300))")
        let errors = Self.stderrLines(result)
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
        let input: Data
        /// What the one stderr line must say.
        let rule: String
        var extra: [String] = []
        var testDescription: String { name }
    }

    static var hostileCases: [Hostile] {
        let line = { (s: String) in Data((s + "\n").utf8) }
        // A Data message with every field intact up to a 4 GB encrypted-message length.
        let fourGB = header(0x03) + [0] + be32(1) + be32(1) + be32(1) + [5] + [0, 0, 0, 0, 0, 0, 0, 1] + be32(0xffff_ffff) + [1, 2, 3]
        let hugeMPI = header(0x0a) + be32(1 << 20) + [UInt8](repeating: 0xff, count: 1 << 20)
        return [
            Hostile(name: "truncated base64", input: line("?OTR:AAMDAAABAAAAAQAAAA."),
                    rule: "length is not a multiple of 4"),
            Hostile(name: "DATA length overruns", input: line(armour(header(0x02) + be32(16) + [1, 2, 3])),
                    rule: "encrypted g^x at byte 11: length 16 overruns the message (3 bytes left)"),
            Hostile(name: "4 GB length field", input: line(armour(fourGB)),
                    rule: "encrypted message at byte 33: length 4294967295 overruns"),
            Hostile(name: "huge MPI", input: line(armour(hugeMPI)),
                    rule: "D-H Key message: g^y must satisfy 2 <= g^y <= p-2"),
            Hostile(name: "unterminated at the end of a line", input: line("12:00 <eve> ?OTR:AAMDAAABAAAAAQ"),
                    rule: "encoded message at byte 12: no closing \".\""),
            Hostile(name: "garbage after ?OTR:", input: line("?OTR:%%%garbage%%%."),
                    rule: "encoded message at byte 0: "),
            Hostile(name: "invalid UTF-8", input: Data("?OTR:AAMD".utf8) + Data([0xff, 0xfe, 0xc0]) + line("AAAA."),
                    rule: "encoded message at byte 0"),
            Hostile(name: "NUL bytes", input: Data("?OTR:AAMD".utf8) + Data([0, 0]) + line("AAAA."),
                    rule: "encoded message at byte 0"),
            Hostile(name: "3 MB line", input: Data(repeating: UInt8(ascii: "A"), count: 3 << 20) + line(""),
                    rule: "line of 3145728 bytes exceeds --max-line-length 1048576; skipped",
                    extra: ["--max-line-length", "1048576"]),
        ]
    }

    @Test("hostile input: one stderr line, exit 2, and the next message still decoded", arguments: hostileCases)
    func hostile(_ c: Hostile) throws {
        let valid = try Self.dataMessage("still here")
        let (result, objects) = try Self.decodeJSON(c.input + Data((valid + "\n").utf8), c.extra)
        #expect(result.status == 2)
        let errors = Self.stderrLines(result)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("otrtool decode: -:1: ") == true, "\(errors)")
        #expect(errors.first?.contains(c.rule) == true, "\(errors)")
        let last = try #require(objects.last)
        #expect(last["kind"] as? String == "data")
        #expect(last["line"] as? Int == 2)
        #expect(Self.plaintextMessage(last) == "still here")
    }

    @Test func anUnterminatedMessageAtTheEndOfInputIsReported() throws {
        let valid = try Self.dataMessage("before the end")
        let (result, objects) = try Self.decodeJSON(Data((valid + "\n?OTR:AAMDAAABAAAA").utf8))
        #expect(result.status == 2)
        #expect(Self.stderrLines(result) == ["otrtool decode: -:2: encoded message at byte 0: no closing \".\" (truncated?)"])
        try #require(objects.count == 2)
        #expect(Self.plaintextMessage(objects[0]) == "before the end")
        #expect(objects[1]["kind"] as? String == "unterminated")
        #expect(objects[1]["raw"] as? String == "?OTR:AAMDAAABAAAA")
    }

    @Test func anInvalidMessageIsShownAsInvalidWithItsError() throws {
        let (result, objects) = try Self.decodeJSON(Data((Self.armour(Self.header(0x05)) + "\n").utf8))
        #expect(result.status == 2)
        try #require(objects.count == 1)
        #expect(objects[0]["kind"] as? String == "invalid")
        #expect((objects[0]["error"] as? String)?.contains("0x05 is not a message type of version 3") == true)
    }

    // MARK: Keys

    @Test func aWrongAESKeyFailsEachMessageAndTheRunGoesOn() throws {
        let input = try Self.dataMessage("one") + "\n" + Self.dataMessage("two", counter: "0000000000000002") + "\n"
        let result = try Tool.run(["decode", "--json", "--aes-key", "hex:ff0102030405060708090a0b0c0d0e0f"], input: input)
        #expect(result.status == 1)
        #expect(Self.stderrLines(result) == [
            "otrtool decode: -:1: Data message: MAC does not verify with any given or derived key",
            "otrtool decode: -:2: Data message: MAC does not verify with any given or derived key",
        ])
        let objects = try Tool.jsonLines(result)
        try #require(objects.count == 2)
        for object in objects {
            #expect((object["analysis"] as? [String: Any])?["mac_valid"] as? Bool == false)
            #expect(Self.plaintextMessage(object) == nil)
        }
    }

    @Test func theAESKeyCanComeFromTheEnvironmentAFileOrADescriptor() throws {
        let input = try Self.dataMessage("secret source") + "\n"
        let dir = try TemporaryDirectory("decode-keys")
        let keyFile = try dir.write("key", Self.aesKey + "\n")
        let inputFile = try dir.write("capture", input)

        let fromEnv = try Tool.run(["decode", "--json", "--aes-key", "env:OTRTOOL_TEST_AES"], stdin: Data(input.utf8),
                                   environment: ["OTRTOOL_TEST_AES": Self.aesKey])
        let fromFile = try Tool.run(["decode", "--json", "--aes-key", "file:\(keyFile)"], input: input)
        let fromFD = try Tool.run(["-c", "exec 5<\"$1\"; exec \"$2\" decode --json --aes-key fd:5 \"$3\"", "sh",
                                   keyFile, Tool.binary.path, inputFile],
                                  executable: URL(fileURLWithPath: "/bin/sh"))
        for (name, result) in [("env", fromEnv), ("file", fromFile), ("fd", fromFD)] {
            #expect(result.status == 0, "\(name): \(result.err)")
            let object = try #require(try Tool.jsonLines(result).first, "\(name)")
            #expect(Self.plaintextMessage(object) == "secret source", "\(name)")
        }

        // An unset variable is a usage error naming it, not a silent miss.
        let unset = try Tool.run(["decode", "--aes-key", "env:OTRTOOL_TEST_UNSET_VARIABLE"], input: input)
        #expect(unset.status == 64)
        #expect(unset.err.contains("OTRTOOL_TEST_UNSET_VARIABLE"))
    }

    @Test func aCounterReusedOrGoingBackUnderTheSameKeysIsReported() throws {
        let first = try Self.dataMessage("first text")
        let second = try Self.dataMessage("other text")
        let third = try Self.dataMessage("third text", counter: "0000000000000003")
        let fourth = try Self.dataMessage("fourth text", counter: "0000000000000002")
        let (result, objects) = try Self.decodeJSON(Data([first, second, third, fourth, ""].joined(separator: "\n").utf8))
        #expect(result.status == 2)
        let errors = Self.stderrLines(result)
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
}
