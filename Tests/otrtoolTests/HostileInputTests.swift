import Foundation
import Testing

/// Hostile input for every subcommand that reads input: over-long lines,
/// 4 GB length fields, 100 000 fragments, invalid UTF-8 and NUL bytes,
/// deeply nested and truncated key files, out-of-range group elements.
///
/// Each run must end with the documented status (2 for malformed input),
/// name the place in one stderr line, go on to the next record, and never
/// crash. The child runs under `ulimit -v` (1 GiB of address space) and is
/// waited for by /bin/sh, so a crash or an allocation without bound shows
/// as a status above 128 instead of passing. No test measures speed: the
/// tests of time linear in the input give inputs that take a second or two
/// when the work is linear and minutes when it is quadratic, under a
/// generous limit (MeasuredRun); output is measured in bytes against the
/// bound decode's manual states.
///
/// What needs no process is tested in process: decode's truncated and
/// out-of-range messages and broken TLVs (OTRToolkitTests/DecodeRunTests),
/// a 4 GB length in each field (DecodeProblemTests). Here each runs where
/// a bound on memory can be seen. FragmentCommandTests,
/// FingerprintCommandTests and KeygenCommandTests cover join's
/// 65 535-fragment stream and fingerprint's nested key files; these tests
/// cover the other commands and fields.
@Suite("hostile input")
struct HostileInputTests {
    // MARK: Over-long lines

    /// The commands that read records line by line, with a good record to
    /// put after the bad one and a check that it was still handled.
    enum LineCommand: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case decode, encode
        case parseTag = "parse-tag"
        case split = "fragment split"
        case join = "fragment join"
        case reencrypt = "forge reencrypt"
        case modify = "forge modify"
        case transcript = "forge transcript"
        case simulate, session

        var testDescription: String { rawValue }

        /// forge transcript has no --max-line-length option.
        var hasMaxLineLength: Bool { self != .transcript }

        static var withMaxLineLength: [LineCommand] { allCases.filter(\.hasMaxLineLength) }
    }

    @Test("a 64 MiB line streamed through a pipe is skipped with one error; the next record is handled",
          arguments: LineCommand.allCases)
    func sixtyFourMebibyteLine(_ command: LineCommand) throws {
        let fixture = try H.LineFixture()
        let length = 64 << 20
        let result = try H.streamed("head -c \(length) /dev/zero | tr '\\0' A; echo", then: try fixture.tail(command),
                                    fixture.arguments(command))
        H.expectSurvived(result, command.rawValue)
        #expect(result.status == 2, "\(command): \(H.excerpt(result.err))")
        let errors = H.errors(result)
        #expect(errors.count == 1, "\(command): \(errors.map { H.excerpt($0) })")
        let location = "-:1:"
        #expect(errors.first?.contains("\(location) line of \(length) bytes") == true, "\(command): \(errors.map { H.excerpt($0) })")
        try fixture.checkGoodRecord(command, result, line: 2)
    }

    @Test("--max-line-length 50000: a 100 000-byte line is skipped with one error; the next record is handled",
          arguments: LineCommand.withMaxLineLength)
    func smallMaxLineLength(_ command: LineCommand) throws {
        let fixture = try H.LineFixture()
        let result = try H.streamed("head -c 100000 /dev/zero | tr '\\0' A; echo", then: try fixture.tail(command),
                                    fixture.arguments(command) + ["--max-line-length", "50000"])
        H.expectSurvived(result, command.rawValue)
        #expect(result.status == 2, "\(command): \(H.excerpt(result.err))")
        let location = "-:1"
        #expect(H.errors(result) == ["otrtool \(command.rawValue): \(location): line of 100000 bytes exceeds --max-line-length 50000; skipped"])
        try fixture.checkGoodRecord(command, result, line: 2)
    }

    @Test("fragment split --whole: an input larger than --max-line-length is refused, the next file still split")
    func splitWholeOverTheLimit() throws {
        let dir = try TemporaryDirectory("hostile-whole")
        let big = try dir.write("big", String(repeating: "B", count: 5000))
        let small = try dir.write("small", String(repeating: "s", count: 100))
        let result = try H.limited(["fragment", "split", "--whole", "--size", "60", "--max-line-length", "1000", big, small])
        H.expectSurvived(result, "split --whole")
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1 && errors.first?.contains(big) == true && errors.first?.contains("1000") == true, "\(errors)")
        #expect(!result.lines.isEmpty && result.lines.allSatisfy { $0.hasPrefix("?OTR,") && $0.utf8.count < 60 }, "\(result.lines)")
    }

    // MARK: 4 GB length fields

    /// Messages with one length field set to 0xFFFFFFFF, and the field the
    /// error must name.
    static let fourGigabyteFields: [String: (bytes: [UInt8], field: String)] = [
        "D-H Commit encrypted g^x": (H.header(0x02) + H.be32(0xffff_ffff) + [1, 2], "encrypted g^x at byte 11"),
        "D-H Commit hashed g^x": (H.header(0x02) + H.data([1, 2, 3]) + H.be32(0xffff_ffff) + [1], "hashed g^x at byte 18"),
        "D-H Key g^y": (H.header(0x0a) + H.be32(0xffff_ffff) + [1, 2], "g^y at byte 11"),
        "Reveal Signature revealed key": (H.header(0x11) + H.be32(0xffff_ffff) + [1], "revealed key at byte 11"),
        "Reveal Signature encrypted signature": (H.header(0x11) + H.data([UInt8](repeating: 7, count: 16)) + H.be32(0xffff_ffff) + [1],
                                                 "encrypted signature at byte 31"),
        "Signature encrypted signature": (H.header(0x12) + H.be32(0xffff_ffff) + [1], "encrypted signature at byte 11"),
        "Data next D-H key": (H.header(0x03) + [0] + H.be32(1) + H.be32(1) + H.be32(0xffff_ffff) + [1], "next D-H key at byte 20"),
        "Data old MAC keys": (H.header(0x03) + [0] + H.be32(1) + H.be32(1) + H.data([1, 0, 0]) + [0, 0, 0, 0, 0, 0, 0, 1]
                              + H.data([1, 2, 3]) + [UInt8](repeating: 9, count: 20) + H.be32(0xffff_ffff) + [1],
                              "old MAC keys at byte 62"),
        "v2 Data encrypted message": ([0, 2, 3, 0] + H.be32(1) + H.be32(1) + H.data([1, 0, 0]) + [0, 0, 0, 0, 0, 0, 0, 1]
                                      + H.be32(0xffff_ffff) + [1], "encrypted message at byte 27"),
    ]

    @Test("decode: a 4 GB length in any field of any message is one error naming the field; the next message decodes",
          arguments: fourGigabyteFields.keys.sorted())
    func fourGigabyteLengthInDecode(_ name: String) throws {
        let (bytes, field) = try #require(Self.fourGigabyteFields[name])
        let good = try H.dataMessage("still here")
        let result = try H.limited(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"],
                                   stdin: Data((H.armour(bytes) + "\n" + good + "\n").utf8))
        H.expectSurvived(result, name)
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1, "\(errors)")
        #expect(errors.first?.hasPrefix("otrtool decode: -:1: ") == true, "\(errors)")
        #expect(errors.first?.contains("\(field): length 4294967295 overruns") == true, "\(errors)")
        try H.expectDecoded(result, text: "still here", line: 2)
    }

    @Test("decode: a 4 GB Data message cut into fragments is reported at its last fragment; the next message decodes")
    func fourGigabyteLengthInFragments() throws {
        let (bytes, _) = try #require(Self.fourGigabyteFields["Data old MAC keys"])
        let split = try Tool.run(["fragment", "split", "--size", "40", "--form", "v2"], stdin: Data((H.armour(bytes) + "\n").utf8))
        try #require(split.status == 0 && split.lines.count > 2, "\(split.err)")
        let good = try H.dataMessage("still here")
        let result = try H.limited(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"],
                                   stdin: Data((split.lines + [good]).joined(separator: "\n").utf8 + [0x0a]))
        H.expectSurvived(result, "fragments")
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1 && errors.first?.contains(": -:\(split.lines.count): ") == true
                && errors.first?.contains("length 4294967295 overruns") == true, "\(errors)")
        try H.expectDecoded(result, text: "still here", line: split.lines.count + 1)
    }

    @Test("forge reencrypt and modify: a 4 GB Data message is one error; the next message is still forged",
          arguments: ["reencrypt", "modify"])
    func fourGigabyteLengthInForge(_ subcommand: String) throws {
        let (bytes, field) = try #require(Self.fourGigabyteFields["Data old MAC keys"])
        let good = try H.dataMessage("still here")
        let mac = try H.macKey()
        let arguments = subcommand == "reencrypt"
            ? ["forge", "reencrypt", "--aes-key", "hex:\(H.aesKey)", "--text", "forged"]
            : ["forge", "modify", "--mac-key", "hex:\(mac)", "--old", "still", "--new", "STILL", "--offset", "0"]
        let result = try H.limited(arguments, stdin: Data((H.armour(bytes) + "\n" + good + "\n").utf8))
        H.expectSurvived(result, subcommand)
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1 && errors.first?.contains("-:1: ") == true
                && errors.first?.contains("\(field): length 4294967295") == true, "\(errors)")
        #expect(result.lines.count == 1)
        let decoded = try Tool.run(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"], stdin: result.stdout)
        #expect(H.plaintexts(decoded) == [subcommand == "reencrypt" ? "forged" : "STILL here"])
    }

    @Test("session: 4 GB length fields in received messages are errors naming the line, status 2; the session goes on")
    func fourGigabyteLengthInSession() throws {
        let fixture = try H.LineFixture()
        let dataMessage = try #require(Self.fourGigabyteFields["Data old MAC keys"]).bytes
        let dhKey = try #require(Self.fourGigabyteFields["D-H Key g^y"]).bytes
        let input = [H.armour(dataMessage), H.armour(dhKey), "/query"].joined(separator: "\n") + "\n"
        let result = try H.limited(fixture.arguments(.session), stdin: Data(input.utf8))
        H.expectSurvived(result, "session")
        #expect(result.status == 2,
                "session exits \(result.status) (a failed check) for received messages that cannot be parsed; the manual makes a malformed input line status 2")
        let errors = H.errors(result)
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.first?.contains("-:1: ") == true && errors.first?.contains("old MAC keys at byte 62: length 4294967295") == true)
        #expect(errors.last?.contains("-:2: ") == true && errors.last?.contains("g^y at byte 11: length 4294967295") == true)
        let wires = H.events(result, "wire").compactMap { $0["text"] as? String }
        #expect(wires.count == 1 && wires.first?.hasPrefix("?OTRv") == true, "\(wires)")
    }

    @Test("fingerprint and convert-key: a 4 GB MPI length in a public or potr key is one error; other keys still read")
    func fourGigabyteLengthInKeys() throws {
        let hostile = [0, 0] + H.be32(0xffff_ffff) + [1, 2]
        let key = try H.seededKey()
        let fingerprint = try H.limited(["fingerprint", "--public-key", H.hex(hostile), "--public-key", key.publicKey])
        H.expectSurvived(fingerprint, "fingerprint")
        #expect(fingerprint.status == 2)
        let errors = H.errors(fingerprint)
        #expect(errors.count == 1 && errors.first?.contains("public key p at byte 2: length 4294967295") == true, "\(errors)")
        #expect(fingerprint.lines == [key.fingerprint])

        let convert = try H.limited(["convert-key", "--to", "libotr", "--account", "a", "--protocol", "p"], stdin: Data(hostile))
        H.expectSurvived(convert, "convert-key")
        #expect(convert.status == 2)
        #expect(H.errors(convert).count == 1 && convert.err.contains("length 4294967295"), "\(convert.err)")
        #expect(convert.out.isEmpty)
    }

    // MARK: 100 000 fragments

    @Test("100 000 fragments of one message claiming n=100000: each named on its line, the next message still handled",
          arguments: ["decode", "fragment join"])
    func hundredThousandMalformedFragments(_ command: String) throws {
        let good = try H.dataMessage("still here")
        let arguments = command == "decode" ? ["decode", "--json", "--aes-key", "hex:\(H.aesKey)"] : ["fragment", "join"]
        let result = try H.streamed("seq 1 100000 | sed 's/.*/?OTR,&,100000,x,/'", then: Data((good + "\n").utf8), arguments,
                                    keepLast: 2)
        H.expectSurvived(result, command)
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 100_000)
        #expect(errors.first?.contains(": -:1: ") == true && errors.last?.contains(": -:100000: ") == true)
        #expect(errors.allSatisfy { $0.contains("n must be in 1...65535 (n=100000)") })
        if command == "decode" {
            try H.expectDecoded(result, text: "still here", line: 100_001)
        } else {
            #expect(result.lines.last == good)
        }
    }

    @Test("decode: a real message in 64 094 one-byte fragments is reassembled and decrypted, then the next one")
    func sixtyFourThousandFragments() throws {
        let long = try H.dataMessage(String(repeating: "x", count: 48_000), counter: "0000000000000002")
        let split = try Tool.run(["fragment", "split", "--size", "20", "--form", "v2"], stdin: Data((long + "\n").utf8))
        try #require(split.status == 0, "\(split.err)")
        #expect(split.lines.count == long.utf8.count, "one byte of the message per fragment")
        let good = try H.dataMessage("still here")
        let result = try H.limited(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"],
                                   stdin: split.stdout + Data((good + "\n").utf8))
        H.expectSurvived(result, "decode")
        #expect(result.status == 0, "\(H.excerpt(result.err))")
        #expect(H.plaintexts(result) == [String(repeating: "x", count: 48_000), "still here"])
    }

    @Test("fragment join: first fragments of 100 000 instances stay within the pending limit; each lost message is named")
    func hundredThousandInstances() throws {
        let good = try H.dataMessage("still here")
        let result = try H.streamed("printf '?OTR|%08x|00000100,1,2,x,\\n' $(seq 256 100255)", then: Data((good + "\n").utf8),
                                    ["fragment", "join"], keepLast: 2)
        H.expectSurvived(result, "fragment join")
        #expect(result.status == 2)
        // Each message is either evicted (the table holds 4096) or reported
        // incomplete at the end of the input: one line each.
        let errors = H.errors(result)
        #expect(errors.count == 100_000)
        #expect(errors.filter { $0.contains("evicted") }.count == 100_000 - 4096)
        #expect(result.lines == [good])
    }

    @Test("session: 100 000 malformed fragments from the peer must each be named with the input line and give status 2")
    func hundredThousandFragmentsInSession() throws {
        let fixture = try H.LineFixture()
        let result = try H.streamed("seq 1 100000 | sed 's/.*/?OTR,&,100000,x,/'", then: Data("/query\n".utf8),
                                    fixture.arguments(.session).filter { $0 != "--json" }, keepLast: 2)
        H.expectSurvived(result, "session")
        #expect(result.lines.last?.hasPrefix("?OTRv") == true, "the /query after the fragments is still answered")
        let errors = H.errors(result)
        #expect(errors.count == 100_000)
        #expect(result.status == 2,
                "session exits \(result.status) after 100 000 malformed fragments from the peer; malformed input is status 2")
        #expect(errors.first?.contains("-:1:") == true && errors.last?.contains("-:100000:") == true,
                "session's fragment errors do not name the input line: \(errors.first ?? "")")
    }

    // MARK: Invalid UTF-8 and NUL bytes

    @Test("encode: JSON with invalid UTF-8 or a NUL in a string is one error each; the next line is still encoded")
    func encodeRejectsInvalidUTF8AndNUL() throws {
        let fixture = try H.LineFixture()
        var input = Data(#"{"kind":"plaintext","text":""#.utf8) + Data([0xff, 0xfe]) + Data("\"}\n".utf8)
        input += Data(#"{"kind":"plaintext","text":"a"#.utf8) + Data([0]) + Data("b\"}\n".utf8)
        input += Data(#"{"kind":"data","version":3,"sender_instance":256"#.utf8) + Data("\n".utf8)  // truncated
        input += try fixture.tail(.encode)
        let result = try H.limited(["encode"], stdin: input)
        H.expectSurvived(result, "encode")
        #expect(result.status == 2)
        let errors = H.errors(result)
        try #require(errors.count == 3, "\(errors)")
        #expect(errors[0].hasPrefix("otrtool encode: -:1: ") && errors[0].contains("not UTF-8"), "\(errors[0])")
        #expect(errors[1].hasPrefix("otrtool encode: -:2: ") && errors[1].contains("control character"), "\(errors[1])")
        #expect(errors[2].hasPrefix("otrtool encode: -:3: ") && errors[2].contains("JSON at byte"), "\(errors[2])")
        #expect(result.lines == [fixture.good])
    }

    @Test("fragment split | join carries invalid UTF-8 and NUL bytes byte for byte")
    func splitAndJoinBinaryBytes() throws {
        let line: [UInt8] = Array("start ".utf8) + [0xff, 0xfe, 0x00, 0xc0, 0x80, 0xed, 0xa0, 0x80] + Array(" end of a long enough line".utf8)
        let split = try H.limited(["fragment", "split", "--size", "30"], stdin: Data(line + [0x0a]))
        H.expectSurvived(split, "split")
        #expect(split.status == 0, "\(split.err)")
        #expect(split.lines.count > 1)
        let joined = try H.limited(["fragment", "join"], stdin: split.stdout)
        H.expectSurvived(joined, "join")
        #expect(joined.status == 0, "\(joined.err)")
        #expect(joined.stdout == Data(line + [0x0a]))
    }

    @Test("parse-tag: NUL and invalid UTF-8 inside a query and an error message; the next line is parsed")
    func parseTagBinaryBytes() throws {
        let input = Data("?OTRv2".utf8) + Data([0, 0xff]) + Data("?\n?OTR Error: ".utf8) + Data([0xc0, 0]) + Data("\n?OTRv23?\n".utf8)
        let result = try H.limited(["parse-tag", "--json"], stdin: input)
        H.expectSurvived(result, "parse-tag")
        #expect(result.status == 0 || result.status == 2)
        let objects = try Tool.jsonLines(result)
        #expect(objects.count == 3)
        let last = try #require(objects.last)
        #expect(last["line"] as? Int == 3)
        #expect(last["best_version"] as? Int == 3)
    }

    @Test("session: a received line with invalid UTF-8 and NUL is delivered as bytes; the next command works")
    func sessionBinaryBytes() throws {
        let fixture = try H.LineFixture()
        let result = try H.limited(fixture.arguments(.session), stdin: Data([0xff, 0xfe, 0x00, 0x61, 0x0a]) + Data("/query\n".utf8))
        H.expectSurvived(result, "session")
        #expect(result.status == 0, "\(result.err)")
        let received = H.events(result, "received")
        #expect(received.count == 1 && received.first?["text_hex"] as? String == "fffe0061", "\(received)")
        #expect(H.events(result, "wire").count == 1)
    }

    @Test("simulate: a script line with invalid UTF-8 must send those bytes (or be refused), not U+FFFD; the run goes on")
    func simulateBinaryBytes() throws {
        let script = Data("alice: /query\nalice: \\xff\\xfeA\nalice: ".utf8) + Data([0xff, 0xfe, 0x41]) + Data("\nalice\nbob: after\n".utf8)
        let result = try H.limited(["simulate", "--json"], stdin: script)
        H.expectSurvived(result, "simulate")
        #expect(result.status == 2)
        #expect(H.errors(result).contains { $0.contains("-:4") }, "\(result.err)")
        let received = H.events(result, "received").map { $0["text_hex"] as? String ?? H.hex(Array(($0["text"] as? String ?? "").utf8)) }
        // The escapes \xff\xfe give the bytes; a raw line must not give other bytes.
        #expect(received.first == "fffe41" && received.last == "6166746572", "\(received)")
        #expect(!received.contains("efbfbdefbfbd41"),
                "simulate replaced the script's raw bytes ff fe with U+FFFD and sent ef bf bd ef bf bd 41 (session's /send does the same)")
    }

    @Test("fingerprint: NUL and invalid UTF-8 in an otr.fingerprints entry are escaped; the next entry is listed")
    func fingerprintsFileBinaryBytes() throws {
        let dir = try TemporaryDirectory("hostile-fp")
        let fp = String(repeating: "ab", count: 20)
        let text = Data("bob".utf8) + Data([0xff, 0x00]) + Data("\talice\tprpl\t\(fp)\tverified\nshort\tline\ncarol\talice\tprpl\t\(fp)\tsmp\n".utf8)
        let path = dir.path("otr.fingerprints")
        try text.write(to: URL(fileURLWithPath: path))
        let result = try H.limited(["fingerprint", path])
        H.expectSurvived(result, "fingerprint")
        #expect(result.status == 2)
        #expect(H.errors(result).count == 1 && result.err.contains("line 2"), "\(result.err)")
        #expect(result.lines.count == 2)
        #expect(result.lines.first?.hasPrefix("bob\\xff\\x00\t") == true, "\(result.lines)")
        #expect(result.lines.last?.hasPrefix("carol\t") == true)
    }

    // MARK: Key files: nesting, truncation, broken instance tags

    enum KeyFileReader: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case convertKey = "convert-key", keygen, simulate, session
        var testDescription: String { rawValue }
    }

    static let hostileKeyFiles: [(name: String, text: String, rule: String)] = [
        ("100 000 open parentheses", String(repeating: "(", count: 100_000), "line 1 at byte 32: nesting deeper than 32 lists"),
        ("truncated", "(privkeys (account (name a) (protocol p) (private-key (dsa (p #00", "line 1 at byte 62: truncated"),
    ]

    @Test("a key file nested 100 000 deep or truncated is one error naming line and byte; nothing is written",
          arguments: KeyFileReader.allCases, [0, 1])
    func hostileKeyFile(_ reader: KeyFileReader, _ which: Int) throws {
        let (_, text, rule) = Self.hostileKeyFiles[which]
        let dir = try TemporaryDirectory("hostile-key")
        let path = try dir.write("keys", text)
        let arguments: [String]
        switch reader {
        case .convertKey: arguments = ["convert-key", "--to", "potr", "-o", dir.path("out.potr"), path]
        case .keygen: arguments = ["keygen", "--account", "b", "--protocol", "p", "--key-file", path, "--seed", "x"]
        case .simulate: arguments = ["simulate", "--key-file", path]
        case .session: arguments = ["session", "--key-file", path, "--account", "a", "--protocol", "p"]
        }
        let result = try H.limited(arguments, stdin: Data("alice: hi\n".utf8))
        H.expectSurvived(result, reader.rawValue)
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1 && errors.first?.contains("\(path): \(rule)") == true, "\(errors)")
        #expect(try dir.read("keys") == text, "the key file is left unchanged")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["keys"], "nothing else is written")
    }

    @Test("a broken otr.instance_tags file is one error for keygen and session, and is left unchanged",
          arguments: ["keygen", "session"])
    func hostileInstanceTags(_ command: String) throws {
        let fixture = try H.LineFixture()
        let text = "a@x\tprpl-jabber\tzzzz\n"
        let path = try fixture.dir.write("tags", text)
        let arguments = command == "keygen"
            ? ["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--instance-tags", path, "--seed", "x"]
            : fixture.arguments(.session) + ["--instance-tags", path]
        let result = try H.limited(arguments, stdin: Data("/query\n".utf8))
        H.expectSurvived(result, command)
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 1 && errors.first?.contains("\(path): line 1: instance tag is not 8 hex digits") == true, "\(errors)")
        #expect(try fixture.dir.read("tags") == text)
    }

    @Test("convert-key --to libotr: a truncated potr key is one error and no output")
    func truncatedPotrKey() throws {
        let key = try H.seededKey()
        let potr = try Tool.run(["convert-key", "--to", "potr"], stdin: key.file)
        try #require(potr.status == 0 && potr.stdout.count > 100, "\(potr.err)")
        let result = try H.limited(["convert-key", "--to", "libotr", "--account", "a", "--protocol", "p"],
                                   stdin: potr.stdout.prefix(potr.stdout.count - 7))
        H.expectSurvived(result, "convert-key")
        #expect(result.status == 2)
        #expect(H.errors(result).count == 1 && result.err.contains("private key x"), "\(result.err)")
        #expect(result.out.isEmpty)
    }

    // MARK: Truncated records

    @Test("truncated records (unfinished fragment stream, query, base64, script and JSON lines) are named; the run goes on")
    func truncatedRecords() throws {
        let fixture = try H.LineFixture()
        let good = fixture.good

        // Two fragments of three, then a good message.
        let fragments = "?OTR,1,3,?OTR:AAMD,\n?OTR,2,3,AAAB,\n"
        let decode = try H.limited(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"], stdin: Data((fragments + good + "\n").utf8))
        H.expectSurvived(decode, "decode")
        #expect(decode.status == 2)
        #expect(H.errors(decode).count == 1 && decode.err.contains("-:1: fragment: ") && decode.err.contains("fragment 3 of 3 is missing"),
                "\(decode.err)")
        try H.expectDecoded(decode, text: "still here", line: 3)
        let join = try H.limited(["fragment", "join"], stdin: Data((fragments + good + "\n").utf8))
        #expect(join.status == 2 && join.lines == [good] && H.errors(join).count == 1, "\(join.err)")

        // An unterminated query, then a good one.
        let tag = try H.limited(["parse-tag", "--json"], stdin: Data("?OTRv23\n?OTRv3?\n".utf8))
        H.expectSurvived(tag, "parse-tag")
        #expect(tag.status == 2 && H.errors(tag).count == 1 && tag.err.contains("-:1: "), "\(tag.err)")
        #expect(try Tool.jsonLines(tag).last?["best_version"] as? Int == 3)

        // Truncated base64 before a good message, for the forge commands.
        let reencrypt = try H.limited(["forge", "reencrypt", "--aes-key", "hex:\(H.aesKey)", "--text", "x"],
                                      stdin: Data(("?OTR:AAMDAAABAAAAAQAAAA.\n" + good + "\n").utf8))
        H.expectSurvived(reencrypt, "reencrypt")
        #expect(reencrypt.status == 2 && H.errors(reencrypt).count == 1 && reencrypt.err.contains("-:1: "), "\(reencrypt.err)")
        #expect(reencrypt.lines.count == 1)

        // A last line without its newline is still read.
        let split = try H.limited(["fragment", "split", "--size", "60"], stdin: Data(good.utf8))
        #expect(split.status == 0, "\(split.err)")
        #expect(try Tool.run(["fragment", "join"], stdin: split.stdout).lines == [good])

        // A JSON line cut short is an error event, and the session goes on.
        let session = try H.limited(fixture.arguments(.session), stdin: Data("{\"text\":\"abc\n/query\n".utf8))
        H.expectSurvived(session, "session")
        #expect(session.status == 2)
        #expect(H.events(session, "error").first?["line"] as? Int == 1)
        #expect(H.events(session, "wire").count == 1)

        // A truncated public key before a good one.
        let key = try H.seededKey()
        let fingerprint = try H.limited(["fingerprint", "--public-key", String(key.publicKey.dropLast(10)), "--public-key", key.publicKey])
        #expect(fingerprint.status == 2 && fingerprint.lines == [key.fingerprint] && H.errors(fingerprint).count == 1,
                "\(fingerprint.err)")
    }

    // MARK: Out-of-range group elements

    static let outOfRange: [String] = ["0", "1", "p-1", "p"]

    @Test("forge remac: a next D-H key of 0, p-1, p or 30 000 bytes is refused with one error naming the field",
          arguments: ["0", "p-1", "p", "huge"])
    func outOfRangeNextDHKeyInRemac(_ value: String) throws {
        let y = value == "huge" ? String(repeating: "ff", count: 30_000) : value == "0" ? "00" : H.hex(H.value(value))
        let result = try H.limited(["forge", "remac", "--mac-key", "hex:\(try H.macKey())", "--sender-keyid", "1", "--recipient-keyid", "1",
                                    "--next-dh-key", y, "--counter", "0000000000000001", "--encrypted", "c0ffee"])
        H.expectSurvived(result, value)
        #expect(result.status == 64)
        #expect(H.errors(result) == ["otrtool forge remac: Data message: next D-H key must satisfy 2 <= y <= p-2 (--allow-violations builds it anyway)"])
        #expect(result.out.isEmpty)
    }

    @Test("derive: --their-public 0, 1, p-1, p and a 30 000-byte value are one error each; the good value is still derived")
    func outOfRangeTheirPublic() throws {
        let dir = try TemporaryDirectory("hostile-derive")
        let huge = try dir.write("huge.hex", String(repeating: "ff", count: 30_000))
        var arguments = ["derive", "--json", "--dh-private", "hex:1234"]
        for value in Self.outOfRange { arguments += ["--their-public", value == "0" ? "00" : H.hex(H.value(value))] }
        arguments += ["--their-public", "file:\(huge)", "--their-public", "010000"]
        let result = try H.limited(arguments)
        H.expectSurvived(result, "derive")
        #expect(result.status == 2)
        let errors = H.errors(result)
        #expect(errors.count == 5 && errors.allSatisfy { $0.contains("--their-public") && $0.contains("2 <= g^x <= p-2") }, "\(errors)")
        let objects = try Tool.jsonLines(result)
        #expect(objects.count == 1 && objects.first?["their_public"] as? String == "010000")
    }

    @Test("derive: --dh-private 0, p and a 30 000-byte value are refused with one error naming the option",
          arguments: ["0", "p", "huge"])
    func outOfRangeDHPrivate(_ value: String) throws {
        let hex = value == "huge" ? String(repeating: "ff", count: 30_000) : value == "0" ? "00" : H.hex(H.value(value))
        let result = try H.limited(["derive", "--dh-private", "env:OTRTOOL_HOSTILE_X", "--their-public", "010000"],
                                   environment: ["OTRTOOL_HOSTILE_X": hex])
        H.expectSurvived(result, value)
        #expect(result.status == 64 || result.status == 2, "\(result.status)")
        #expect(H.errors(result).count == 1 && result.err.contains("--dh-private") && result.err.contains("1..p-1"), "\(result.err)")
        #expect(result.out.isEmpty)
    }

    @Test("derive: --dh-private p-1 gives our public value g^(p-1) = 1, outside 2..p-2, and must be refused")
    func dhPrivatePMinusOne() throws {
        let result = try H.limited(["derive", "--json", "--dh-private", "hex:\(H.hex(H.value("p-1")))", "--their-public", "010000"])
        H.expectSurvived(result, "derive")
        let ours = try? Tool.jsonLines(result).first?["our_public"] as? String
        #expect(result.status != 0,
                "derive accepts the exponent p-1 (exit 0) and derives keys from our public value \(ours ?? "?"), which every peer rejects")
    }

    @Test("session: a D-H Key with g^y 0, 1, p-1 or p fails the AKE with one error naming g^y; the session goes on",
          arguments: outOfRange)
    func outOfRangeDHKeyInSession(_ value: String) throws {
        let fixture = try H.LineFixture()
        let dhKey = [0, 3, 0x0a] + H.be32(0x101) + H.be32(0x100) + H.data(H.value(value))
        let input = "/ake 3\n" + H.armour(dhKey) + "\n/query\n"
        let result = try H.limited(fixture.arguments(.session) + ["--instance-tag", "00000100"], stdin: Data(input.utf8))
        H.expectSurvived(result, value)
        #expect(result.status == 1 || result.status == 2, "\(result.status): \(result.err)")
        #expect(H.errors(result).count == 1 && result.err.contains("-:2: ") && result.err.contains("g^y")
                && result.err.contains("2 <= g^x <= p-2"), "\(result.err)")
        let wires = H.events(result, "wire").compactMap { $0["text"] as? String }
        #expect(wires.count == 2 && wires.last?.hasPrefix("?OTRv") == true, "the /query after the bad D-H Key is answered")
    }

    /// SMP TLVs a decrypted Data message may carry, broken (decode's
    /// reading of these and others: DecodeRunTests).
    static let hostileTLVs: [String: String] = [
        "SMP 1 with g2a = 1 (out of range)": "2:00000006" + String(repeating: "0000000101", count: 6),
        "SMP 1 MPI count 0xFFFFFFFF": "2:ffffffff",
        "SMP 1 MPI length 0xFFFFFFFF": "2:00000006ffffffff01",
        "SMP 1Q question without NUL": "7:41424344",
    ]

    @Test("simulate: out-of-range and malformed SMP TLVs make the receiver detect cheating; the run goes on")
    func hostileTLVsInSimulate() throws {
        var script = "alice: /query\n"
        for name in Self.hostileTLVs.keys.sorted() {
            let parts = try #require(Self.hostileTLVs[name]).split(separator: ":")
            script += "alice: /tlv \(parts[0]) \(parts[1]) t\n"
        }
        script += "alice: still fine\n"
        let result = try H.limited(["simulate", "--json"], stdin: Data(script.utf8))
        H.expectSurvived(result, "simulate")
        let smp = H.events(result, "smp").filter { $0["party"] as? String == "bob" }
        #expect(smp.count == 4 && smp.allSatisfy { $0["outcome"] as? String == "cheating_detected" }, "\(smp)")
        #expect((smp.compactMap { $0["error"] as? String }.first { $0.contains("g2a") }) != nil)
        #expect(H.events(result, "received").last?["text"] as? String == "still fine")
    }

    // MARK: Bounded memory and bounded error output

    @Test("parse-tag: a version repeated 200 000 times in one query or tag must not give 200 000 error lines",
          arguments: ["query", "whitespace tag"])
    func repeatedVersionsAreReportedOnce(_ kind: String) throws {
        let generator = kind == "query"
            ? "printf '?OTRv'; head -c 200000 /dev/zero | tr '\\0' 2; printf '?\\n'"
            // The tag base, a v2 block, then 200 000 more v2 blocks.
            : "printf 'hi \\040\\011\\040\\040\\011\\011\\011\\011\\040\\011\\040\\011\\040\\011\\040\\040'; "
            + "yes '  \t\t  \t ' | head -n 200001 | tr -d '\\n'; echo"
        let result = try H.streamed(generator, then: Data("?OTRv3?\n".utf8), ["parse-tag", "--json"], keepLast: 1)
        H.expectSurvived(result, kind)
        #expect(result.status == 2)
        #expect(try Tool.jsonLines(result).last?["line"] as? Int == 2, "the next line is still parsed")
        let errors = H.errors(result)
        #expect(errors.count <= 16,
                "one \(kind) with a repeated version gives \(errors.count) stderr lines (one per repetition): \(H.excerpt(errors.first ?? ""))")
    }

    @Test("decode --json: a query repeating one version 4 000 000 times (a 4 MB line) must not exhaust 1 GiB")
    func repeatedVersionsInDecodeStayBounded() throws {
        let good = try H.dataMessage("still here")
        let result = try H.streamed("printf '?OTRv'; head -c 4000000 /dev/zero | tr '\\0' 2; printf '?\\n'",
                                    then: Data((good + "\n").utf8), ["decode", "--json", "--aes-key", "hex:\(H.aesKey)"], keepLast: 1,
                                    keepLastErrors: 5)
        #expect(result.status < 128,
                "decode --json killed by signal \(result.status - 128) under ulimit -v 1 GiB: every repetition is kept as a violation string")
        if result.status < 128 {
            try H.expectDecoded(result, text: "still here", line: 2)
        }
    }

    @Test("parse-tag --json: 3 000 000 queries on one 15 MB line (under the 16 MiB limit) must not exhaust 1 GiB")
    func manyFindingsOnOneLine() throws {
        let result = try H.streamed("yes '?OTR?' | head -n 3000000 | tr -d '\\n'; echo", then: Data("?OTRv3?\n".utf8),
                                    ["parse-tag", "--json"], keepLast: 1, keepLastErrors: 5)
        #expect(result.status < 128,
                "parse-tag --json killed by signal \(result.status - 128) under ulimit -v 1 GiB for one 15 MB line: \(H.excerpt(result.err))")
        if result.status < 128 {
            #expect(try Tool.jsonLines(result).last?["line"] as? Int == 2)
        }
    }

    /// 8 Mi lines kept as an array each would take over 440 MiB (a heap
    /// object of 48 bytes and a pointer per line); kept as forge transcript
    /// keeps them, in one buffer with a table of offsets, well under 128
    /// MiB. The limit of 256 MiB tells the two apart.
    @Test("forge transcript: 16 MiB of two-byte lines must not exhaust 256 MiB (every line is kept as its own array)")
    func transcriptOfManyShortLines() throws {
        let good = try H.dataMessage("still here")
        let result = try H.streamed("yes a | head -c 16777216", then: Data((good + "\n").utf8), ["forge", "transcript", "--json"],
                                    keepLast: 2, memoryKB: 256 << 10)
        #expect(result.status < 128,
                "forge transcript killed by signal \(result.status - 128) under ulimit -v 256 MiB: memory grows without bound with the capture")
        if result.status < 128 {
            let data = try Tool.jsonLines(result).first { $0["kind"] as? String == "data" }
            #expect(data?["line"] as? Int == (16 << 20) / 2 + 1)
        }
    }

    @Test("forge transcript --modify: a capture with a line too long to keep must not be written back with that line lost")
    func transcriptWithSkippedLineIsNotWrittenBack() throws {
        let good = try H.dataMessage("still here")
        // 17 000 000 bytes: over the 16 MiB line limit.
        let result = try H.streamed("head -c 17000000 /dev/zero | tr '\\0' a; echo", then: Data((good + "\n").utf8),
                                    ["forge", "transcript", "--mac-key", "hex:\(try H.macKey())", "--modify", "2:0:still:STILL"])
        H.expectSurvived(result, "transcript")
        #expect(result.status == 2, "forge transcript exits \(result.status) after skipping line 1: \(H.excerpt(result.err))")
        #expect(result.stdout.isEmpty,
                "forge transcript wrote \(result.stdout.count) bytes: the capture with its over-long line 1 turned into an empty line")
        #expect(result.err.contains("-:1: this line is longer than forge transcript keeps"), "\(H.excerpt(result.err))")
    }

    @Test("forge transcript: malformed encoded messages (4 GB length, truncated base64) must be reported with status 2")
    func transcriptReportsMalformedMessages() throws {
        let (bytes, _) = try #require(Self.fourGigabyteFields["Data old MAC keys"])
        let good = try H.dataMessage("still here")
        let input = H.armour(bytes) + "\n?OTR:AAMDAAABAAAAAQAAAA.\n" + good + "\n"
        let result = try H.limited(["forge", "transcript", "--json"], stdin: Data(input.utf8))
        H.expectSurvived(result, "transcript")
        let data = try Tool.jsonLines(result).filter { $0["kind"] as? String == "data" }
        #expect(data.count == 1 && data.first?["line"] as? Int == 3, "the good message is assessed at its line")
        #expect(result.status == 2, "forge transcript exits \(result.status) and says nothing about two malformed messages")
        let errors = H.errors(result)
        #expect(errors.contains { $0.contains("-:1: ") && $0.contains("4294967295") }, "line 1 not reported: \(result.err)")
        #expect(errors.contains { $0.contains("-:2: ") }, "line 2 not reported: \(result.err)")
    }

    enum OversizedTLV: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case tlv = "/tlv 2 with 70 000 bytes"
        case smpQuestion = "/smpq with a 70 000-byte question"
        case symkey = "/symkey with 70 000 bytes of use data"

        var testDescription: String { rawValue }

        var command: String {
            switch self {
            case .tlv: "/tlv 2 \(String(repeating: "00", count: 70_000)) big"
            case .smpQuestion: "/smpq \(String(repeating: "q", count: 70_000))|secret"
            case .symkey: "/symkey 1 \(String(repeating: "ab", count: 70_000))"
            }
        }
    }

    @Test("simulate: a TLV value over 65 535 bytes must be refused, not sent with its length cut to 16 bits",
          arguments: OversizedTLV.allCases)
    func oversizedTLVInSimulate(_ tlv: OversizedTLV) throws {
        let script = "alice: /query\nalice: \(tlv.command)\nbob: after\n"
        let result = try H.limited(["simulate", "--json"], stdin: Data(script.utf8))
        H.expectSurvived(result, tlv.rawValue)
        #expect(H.events(result, "received").last?["text"] as? String == "after", "the run goes on")
        let unreadable = H.events(result, "unreadable").compactMap { $0["error"] as? String }
        let spurious = H.events(result, "received").first { (($0["tlvs"] as? [Any])?.count ?? 0) > 1 }
        #expect(unreadable.isEmpty && spurious == nil,
                "\(tlv) was sent with its 16-bit TLV length wrapped: the peer got \(unreadable.first ?? "\((spurious?["tlvs"] as? [Any])?.count ?? 0) TLVs")")
        #expect(result.status == 2 && H.errors(result).contains { $0.contains(": -:2: ") },
                "\(tlv) is not refused as malformed (status \(result.status)): \(H.excerpt(result.err))")
    }

    // MARK: Control bytes in text output

    /// Bytes a terminal acts on or cannot show: ESC sequences (colour,
    /// clear screen, window title), CR, NUL, BEL, a C1 CSI and a byte that
    /// is not UTF-8.
    static let terminalBytes: [UInt8] = [0x1b] + Array("[31m".utf8) + [0x0d, 0x00] + [0xc2, 0x9b] + Array("2J".utf8)
        + [0x1b] + Array("]0;title".utf8) + [0x07, 0xff]
    /// The same, less NUL and the byte that is not UTF-8, for arguments.
    static let terminalText = "\u{1b}[31m\r\u{9b}2J\u{1b}]0;title\u{7}"

    /// Where `output` holds a byte a terminal would act on: a C0 control
    /// other than tab and newline, DEL, a C1 control, or bytes that are not
    /// UTF-8; nil when there is none.
    static func rawControl(_ output: Data) -> String? {
        guard let text = String(validating: output, as: UTF8.self) else {
            return "bytes that are not UTF-8 in \(H.excerpt(String(decoding: output, as: UTF8.self)))"
        }
        for (i, scalar) in text.unicodeScalars.enumerated() {
            let v = scalar.value
            if (v < 0x20 && v != 0x09 && v != 0x0a) || (0x7f...0x9f).contains(v) {
                let around = String(String.UnicodeScalarView(text.unicodeScalars.dropFirst(max(0, i - 40)).prefix(60)))
                return "U+\(String(v, radix: 16)) in \(around.debugDescription)"
            }
        }
        return nil
    }

    /// The text reports of every command, each run on input (a file whose
    /// name holds the bytes too, or arguments) carrying `terminalBytes`.
    enum TextReport: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case decode, parseTag = "parse-tag", forgeTranscript = "forge transcript", fingerprint
        case keygen, derive, convertKey = "convert-key", usageError = "a usage error"
        case join = "fragment join (standard error)", encode = "encode (standard error)", simulate, session
        var testDescription: String { rawValue }
    }

    @Test("text output quotes ESC, CR, NUL, C1 controls and bytes that are not UTF-8 as escapes, never raw",
          arguments: TextReport.allCases)
    func noRawControlBytesInTextOutput(_ report: TextReport) throws {
        let dir = try TemporaryDirectory("hostile-terminal")
        let evil = Self.terminalBytes, text = Self.terminalText
        let named = dir.path("capture" + text + ".log")
        let good = try H.dataMessage(text)
        let question = [UInt8](Array("ask".utf8) + evil.filter { $0 != 0 } + [0])
        let smp = try Tool.run(["encode", "data", "--aes-key", "hex:\(H.aesKey)", "--next-dh-key", "010000", "--text", "q",
                                "--tlv", "7:" + H.hex(question + [0, 0, 0, 0]), "--counter", "0000000000000020"])
        try #require(smp.status == 0, "\(smp.err)")
        let capture = Data(evil + Array(" plain\n".utf8) + evil + Array("?OTRv3?".utf8) + evil + Array("\n?OTR Error: ".utf8) + evil
            + Array("\n?OTR".utf8) + evil + Array("\n?OTR,".utf8) + evil + Array(",\n?OTR:AA".utf8) + evil + Array(".\n?OTR:AAMD".utf8)
            + evil + Array("\n".utf8)) + Data((good + "\n").utf8) + smp.stdout
        try capture.write(to: URL(fileURLWithPath: named))
        let key = dir.path("key" + text)
        let keygen = try Tool.run(["keygen", "--account", "a" + text, "--protocol", "p" + text, "--key-file", key, "--seed", "t"])
        try #require(keygen.status == 0, "\(keygen.err)")

        var results: [Tool.Result] = []
        switch report {
        case .decode:
            results.append(try H.limited(["decode", "--aes-key", "hex:\(H.aesKey)", named]))
        case .parseTag:
            results.append(try H.limited(["parse-tag", named]))
        case .forgeTranscript:
            results.append(try H.limited(["forge", "transcript", named]))
            results.append(try H.limited(["forge", "reencrypt", "--aes-key", "hex:\(String(repeating: "00", count: 16))", "--text", "x", named]))
        case .fingerprint:
            let fp = String(repeating: "ab", count: 20)
            let store = Data(evil + Array("\t".utf8) + evil + Array("\tprpl\t\(fp)\t".utf8) + evil + Array("\n".utf8))
            let path = dir.path("otr.fingerprints" + text)
            try store.write(to: URL(fileURLWithPath: path))
            results.append(try H.limited(["fingerprint", path, key]))
            results.append(try H.limited(["fingerprint", "--expect", "zz" + text, path]))
        case .keygen:
            // otr.instance_tags is tab-separated lines: no CR in its account names.
            results.append(try H.limited(["keygen", "--account", "b\u{1b}[31m\u{9b}2J", "--protocol", "p", "--key-file", key,
                                          "--instance-tags", dir.path("tags" + text), "--seed", "u"]))
        case .derive:
            results.append(try H.limited(["derive", "--dh-private", "hex:1234", "--their-public", "01" + text]))
            results.append(try H.limited(["derive", "mac-key", "--aes-key", "file:" + dir.path("none" + text)]))
        case .convertKey:
            results.append(try H.limited(["convert-key", "--to", "potr", named]))
            results.append(try H.limited(["convert-key", "--to", "potr", dir.path("none" + text)]))
        case .usageError:
            results.append(try H.limited(["decode", "--max-line-length", text]))
            results.append(try H.limited(["forge", "transcript", "--modify", text, named]))
        case .join:
            let result = try H.limited(["fragment", "join"], stdin: capture)
            results.append(Tool.Result(status: result.status, stdout: Data(), stderr: result.stderr))
        case .encode:
            let result = try H.limited(["encode"], stdin: Data((#"{"kind":"\u001b[31m\r\u009b2J\u0000"}"# + "\n").utf8))
            results.append(Tool.Result(status: result.status, stdout: Data(), stderr: result.stderr))
        case .simulate:
            let script = Data("alice: /query\nalice: ".utf8 + evil + "\nbob: /smpq ".utf8 + evil + "|s\nalice: /".utf8 + evil + "\n".utf8)
            results.append(try H.limited(["simulate", "--alice-account", "alice" + text], stdin: script))
        case .session:
            results.append(try H.limited(["session", "--key-file", key, "--account", "a" + text, "--protocol", "p" + text],
                                         stdin: capture))
        }
        #expect(results.contains { ($0.out + $0.err).contains("\\x1b") },
                "\(report): no output shows the escaped bytes, so the input never reached it: \(results.map { H.excerpt($0.out + $0.err) })")
        for result in results {
            H.expectSurvived(result, report.rawValue)
            if let found = Self.rawControl(result.stdout) { Issue.record("\(report): standard output holds \(found)") }
            if let found = Self.rawControl(result.stderr) { Issue.record("\(report): standard error holds \(found)") }
        }
    }

    @Test("printable UTF-8 in text output is kept as it is; tab, CR, a C1 control and a lone continuation byte are escaped")
    func printableUTF8IsKept() throws {
        let line = Array("caf\u{e9} \u{263a} \u{1d11e} \u{a0}\u{ff}\t".utf8) + [0x0d] + [0xc2, 0x85] + [0x80] + Array(" end".utf8)
        let result = try H.limited(["decode"], stdin: Data(line + [0x0a]))
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out == "-:1: plain text (not OTR): \"caf\u{e9} \u{263a} \u{1d11e} \u{a0}\u{ff}\\t\\r\\xc2\\x85\\x80 end\"\n")
    }

    // MARK: Output linear in the input

    /// Lines of many small items; each once made every offer carry the
    /// rest of its line (100 KB gave 500 MB), or each broken encoded
    /// message the rest of the line up to a ".". Short lines show the cost
    /// of a line.
    enum ManyItems: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case queries = "20 000 ?OTR? on one line"
        case tags = "12 000 whitespace tags on one line"
        case brokenEncoded = "20 000 ?OTR:A and a closing . on one line"
        case emptyEncoded = "20 000 ?OTR: and a closing . on one line"
        case fragmentOfQueries = "one fragment of a message of 9 999 ?OTRv?"
        case emptyLines = "100 000 empty lines"
        case bareFragments = "20 000 lines of ?OTR,"

        var testDescription: String { rawValue }

        var text: String {
            let tag = " \t  \t\t\t\t \t \t \t  " + "  \t\t  \t "
            switch self {
            case .queries: return String(repeating: "?OTR?", count: 20_000) + "\n"
            case .tags: return String(repeating: tag + "x", count: 12_000) + "\n"
            case .brokenEncoded: return String(repeating: "?OTR:A ", count: 20_000) + ".\n"
            case .emptyEncoded: return String(repeating: "?OTR:", count: 20_000) + ".\n"
            case .fragmentOfQueries: return "?OTR,00001,00001," + String(repeating: "?OTRv?", count: 9_999) + ",\n"
            case .emptyLines: return String(repeating: "\n", count: 100_000)
            case .bareFragments: return String(repeating: "?OTR,\n", count: 20_000)
            }
        }
    }

    /// The readers that report on a capture, as text and as JSON.
    enum CaptureReader: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case decode = "decode", decodeJSON = "decode --json"
        case parseTag = "parse-tag", parseTagJSON = "parse-tag --json"
        case join = "fragment join", joinJSON = "fragment join --json"
        case transcript = "forge transcript", transcriptJSON = "forge transcript --json"

        var testDescription: String { rawValue }
        var arguments: [String] { rawValue.split(separator: " ").map(String.init) }
    }

    /// The bound `decode --help` states under OUTPUT SIZE: bytes written
    /// per byte of input, and per line.
    static func statedOutputBound() throws -> (perByte: Int, perLine: Int) {
        let help = try Tool.run(["decode", "--help"]).out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let pattern = /at most (\d+) bytes for each byte of input plus (\d+) for each line/
        let match = try #require(help.firstMatch(of: pattern), "decode --help states no output bound: \(H.excerpt(help))")
        return (try #require(Int(match.1)), try #require(Int(match.2)))
    }

    @Test("what each reader writes, standard output and error together, stays within the bound decode --help states",
          arguments: CaptureReader.allCases, ManyItems.allCases)
    func outputWithinStatedBound(_ reader: CaptureReader, _ input: ManyItems) throws {
        let bound = try Self.statedOutputBound()
        let bytes = Data(input.text.utf8)
        let lines = input.text.utf8.filter { $0 == 0x0a }.count
        let result = try MeasuredRun.run(reader.arguments, input: bytes)
        #expect(!result.timedOut && result.status < 128, "\(reader): status \(result.status), timed out: \(result.timedOut)")
        #expect(result.status != 70, "\(reader): internal error: \(result.errorLines.prefix(2))")
        let written = result.outputBytes + result.errorBytes
        let limit = bound.perByte * bytes.count + bound.perLine * lines
        #expect(written <= limit,
                "\(reader) wrote \(written) bytes for \(bytes.count) bytes in \(lines) lines (\(written / bytes.count) a byte); the bound is \(limit)")
    }

    // MARK: Time linear in the input

    /// A message wrapped over 400 000 lines (1.6 MB of base64, under the
    /// 4 MiB a wrapped message may reach), and an XMPP body of as many
    /// lines: a second's work when each line is appended in place, several
    /// minutes when each line copies what came before it.
    enum WrappedInput: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case base64 = "?OTR: then 400 000 lines of base64"
        case body = "<body> then 400 000 lines of text"

        var testDescription: String { rawValue }
        static let lines = 400_000

        var bytes: Data {
            switch self {
            case .base64: Data(("?OTR:\n" + String(repeating: "QUFB\n", count: Self.lines) + ".\n").utf8)
            case .body: Data(("<body>\n" + String(repeating: "QUFB\n", count: Self.lines) + "</body>\n").utf8)
            }
        }
    }

    @Test("decode and forge transcript read a message or <body> wrapped over 400 000 lines in time linear in it",
          arguments: WrappedInput.allCases, ["decode", "forge transcript"])
    func wrappedOverManyLines(_ input: WrappedInput, _ command: String) throws {
        let good = try H.dataMessage("still here")
        let arguments = command == "decode" ? ["decode", "--json", "--aes-key", "hex:\(H.aesKey)"] : ["forge", "transcript", "--json"]
        let limit: TimeInterval = 120
        let result = try MeasuredRun.run(arguments, input: input.bytes + Data((good + "\n").utf8), timeLimit: limit)
        try #require(!result.timedOut,
                     "\(command) did not finish within \(Int(limit)) s on \(input.bytes.count) bytes: each continuation line copies the message so far")
        #expect(result.status < 128, "\(command): killed by signal \(result.status - 128)")
        let line = WrappedInput.lines + 3
        let tail = Tool.Result(status: result.status, stdout: result.outputTail, stderr: result.errorTail)
        if command == "decode" {
            try H.expectDecoded(tail, text: "still here", line: line)
            // The wrapped item is reported whole: its raw text (or the body's) is in the output.
            #expect(result.outputBytes > 4 * WrappedInput.lines, "\(result.outputBytes) bytes of output")
        } else {
            let data = result.lastLines.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
                .filter { $0["kind"] as? String == "data" }
            #expect(data.count == 1 && data.first?["line"] as? Int == line, "\(result.lastLines.suffix(2))")
        }
    }
}

// MARK: - Helpers

/// Builders for hostile bytes and runners for otrtool under a memory limit.
private enum H {
    static let aesKey = "000102030405060708090a0b0c0d0e0f"
    static let sh = URL(fileURLWithPath: "/bin/sh")
    /// 1 GiB of address space for the child: an allocation without bound
    /// fails, and the shell that waits for the child reports the signal.
    static let memoryKB = 1 << 20

    /// RFC 3526's 1536-bit modulus, OTR's D-H group.
    static let modulusHex = """
        FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
        EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
        EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
        83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF
        """

    /// "0", "1", "p-1", "p" as minimal big-endian bytes (p ends in 0xFF,
    /// so p-1 only changes the last byte).
    static func value(_ name: String) -> [UInt8] {
        let p = bytes(fromHex: modulusHex)
        switch name {
        case "0": return []
        case "1": return [1]
        case "p-1": return Array(p.dropLast()) + [p.last! - 1]
        default: return p
        }
    }

    // MARK: Bytes

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }
    /// A DATA or MPI field: 4-byte length, then the bytes.
    static func data(_ b: [UInt8]) -> [UInt8] { be32(UInt32(b.count)) + b }
    /// A v3 header from instance 0x100 to 0x101.
    static func header(_ type: UInt8) -> [UInt8] { [0, 3, type] + be32(0x100) + be32(0x101) }
    static func armour(_ b: [UInt8]) -> String { "?OTR:" + Data(b).base64EncodedString() + "." }
    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }
    static func bytes(fromHex s: String) -> [UInt8] {
        let chars = Array(s.utf8)
        return stride(from: 0, to: chars.count - 1, by: 2).compactMap { UInt8(String(decoding: chars[$0...$0 + 1], as: UTF8.self), radix: 16) }
    }

    // MARK: Good records

    /// A v3 Data message under `aesKey` (next D-H key 2^16).
    static func dataMessage(_ text: String, counter: String = "0000000000000010") throws -> String {
        let run = try Tool.run(["encode", "data", "--aes-key", "hex:\(aesKey)", "--next-dh-key", "010000", "--text", text, "--counter", counter])
        try #require(run.status == 0, "encode data failed: \(run.err)")
        return try #require(run.lines.first)
    }

    /// The MAC key of `aesKey` (SHA-1 of it), as derive computes it.
    static func macKey() throws -> String {
        let run = try Tool.run(["derive", "mac-key", "--json", "--aes-key", "hex:\(aesKey)"])
        return try #require(try Tool.jsonLines(run).first?["mac_key"] as? String, "\(run.err)")
    }

    /// A seeded key file with its fingerprint and public key.
    static func seededKey() throws -> (file: Data, fingerprint: String, publicKey: String) {
        let file = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--seed", "hostile"])
        try #require(file.status == 0, "\(file.err)")
        let json = try #require(try Tool.jsonLines(try Tool.run(["fingerprint", "--json"], stdin: file.stdout)).first)
        return (file.stdout, try #require(json["fingerprint"] as? String), try #require(json["public_key"] as? String))
    }

    // MARK: Running

    /// otrtool under `ulimit -v`; /bin/sh waits for it (no exec), so a
    /// death by signal is a status above 128.
    static func limited(_ arguments: [String], stdin: Data = Data(), environment: [String: String]? = nil) throws -> Tool.Result {
        try Tool.run(["-c", "ulimit -v \(memoryKB) || exit 99; \"$0\" \"$@\"", Tool.binary.path] + arguments,
                     stdin: stdin, environment: environment, executable: sh)
    }

    /// otrtool under `ulimit -v`, its standard input the output of the
    /// shell command `generator` (hostile bytes made on the fly, through a
    /// pipe) followed by `rest`. With `keepLast` only the last lines of its
    /// standard output are kept (some outputs run to hundreds of MB).
    static func streamed(_ generator: String, then rest: Data, _ arguments: [String], keepLast: Int? = nil,
                         keepLastErrors: Int? = nil, memoryKB: Int = memoryKB) throws -> Tool.Result {
        let dir = try TemporaryDirectory("hostile-stream")
        let restPath = dir.path("rest"), statusPath = dir.path("status")
        try rest.write(to: URL(fileURLWithPath: restPath))
        // With keepLastErrors, the child's stderr goes through tail and its
        // stdout through descriptor 3.
        let redirect = keepLastErrors == nil ? "" : " 2>&1 1>&3 3>&-"
        let run = "( ulimit -v \(memoryKB) || exit 99; \"$0\" \"$@\"\(redirect); echo $? > \"$st\" )"
        var pipeline = keepLastErrors.map { "{ \(run) | tail -n \($0) >&2; } 3>&1" } ?? run
        if let keepLast { pipeline += " | tail -n \(keepLast)" }
        let script = "rest=\"$1\"; st=\"$2\"; shift 2; { \(generator); cat \"$rest\"; } | \(pipeline)"
            + "; exit $(cat \"$st\" 2>/dev/null || echo 98)"
        return try Tool.run(["-c", script, Tool.binary.path, restPath, statusPath] + arguments, executable: sh)
    }

    /// No crash: not killed by a signal, not an internal error.
    static func expectSurvived(_ result: Tool.Result, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status != 98 && result.status != 99, "\(what): the shell harness failed", sourceLocation: sourceLocation)
        #expect(result.status < 128,
                "\(what): killed by signal \(result.status - 128) (a crash, or memory beyond ulimit -v \(memoryKB) KiB): \(excerpt(result.err))",
                sourceLocation: sourceLocation)
        #expect(result.status != 70, "\(what): internal error: \(excerpt(result.err))", sourceLocation: sourceLocation)
    }

    /// The diagnostics on standard error (seeded-key warnings left out).
    static func errors(_ result: Tool.Result) -> [String] {
        result.err.split(separator: "\n").map(String.init).filter { !$0.contains(": WARNING: ") }
    }

    static func excerpt(_ text: String) -> String { text.count > 300 ? String(text.prefix(300)) + "..." : text }

    /// The JSON events of a given name (session, simulate).
    static func events(_ result: Tool.Result, _ name: String) -> [[String: Any]] {
        result.lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }.filter { $0["event"] as? String == name }
    }

    /// The decrypted texts of decode --json output, in order.
    static func plaintexts(_ result: Tool.Result) -> [String] {
        result.lines.compactMap { line in
            let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            let analysis = object?["analysis"] as? [String: Any]
            return (analysis?["plaintext"] as? [String: Any])?["message"] as? String
        }
    }

    /// decode --json's last object is the Data message `text` on `line`.
    static func expectDecoded(_ result: Tool.Result, text: String, line: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let last = try #require(result.lines.last.flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] },
                                "no JSON output", sourceLocation: sourceLocation)
        #expect(last["kind"] as? String == "data", sourceLocation: sourceLocation)
        #expect(last["line"] as? Int == line, sourceLocation: sourceLocation)
        let plaintext = ((last["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String
        #expect(plaintext == text, "the message after the hostile input is still decrypted", sourceLocation: sourceLocation)
    }

    // MARK: Line commands

    /// What the over-long-line tests run: a good record for each command
    /// and the check that it was handled.
    struct LineFixture {
        let dir: TemporaryDirectory
        /// A Data message under `aesKey`: "still here", counter 0x10.
        let good: String
        /// decode --json of `good`, the line encode reads.
        let goodJSON: String
        let keyFile: String

        init() throws {
            dir = try TemporaryDirectory("hostile-lines")
            good = try H.dataMessage("still here")
            let json = try Tool.run(["decode", "--json"], stdin: Data((good + "\n").utf8))
            goodJSON = try #require(json.lines.first, "\(json.err)")
            keyFile = dir.path("k.key")
            let keygen = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", keyFile, "--seed", "lines"])
            try #require(keygen.status == 0, "\(keygen.err)")
        }

        func arguments(_ command: HostileInputTests.LineCommand) -> [String] {
            switch command {
            case .decode: ["decode", "--json", "--aes-key", "hex:\(H.aesKey)"]
            case .encode: ["encode"]
            case .parseTag: ["parse-tag", "--json"]
            case .split: ["fragment", "split", "--size", "60"]
            case .join: ["fragment", "join"]
            case .reencrypt: ["forge", "reencrypt", "--aes-key", "hex:\(H.aesKey)", "--text", "forged"]
            case .modify: ["forge", "modify", "--mac-key", "hex:\((try? H.macKey()) ?? "")", "--old", "still", "--new", "STILL", "--offset", "0"]
            case .transcript: ["forge", "transcript", "--json"]
            case .simulate: ["simulate", "--json"]
            case .session: ["session", "--json", "--key-file", keyFile, "--account", "a@x", "--protocol", "prpl-jabber"]
            }
        }

        /// The good record(s) that follow the hostile line.
        func tail(_ command: HostileInputTests.LineCommand) throws -> Data {
            switch command {
            case .decode, .split, .reencrypt, .modify, .transcript: return Data((good + "\n").utf8)
            case .encode: return Data((goodJSON + "\n").utf8)
            case .parseTag: return Data("?OTRv23?\n".utf8)
            case .join:
                let half = good.index(good.startIndex, offsetBy: good.count / 2)
                return Data("?OTR,1,2,\(good[..<half]),\n?OTR,2,2,\(good[half...]),\n".utf8)
            case .simulate: return Data("alice: /query\nalice: after the long line\n".utf8)
            case .session: return Data("/query\n".utf8)
            }
        }

        /// The good record, starting on `line`, was handled.
        func checkGoodRecord(_ command: HostileInputTests.LineCommand, _ result: Tool.Result, line: Int,
                             sourceLocation: SourceLocation = #_sourceLocation) throws {
            switch command {
            case .decode:
                try H.expectDecoded(result, text: "still here", line: line, sourceLocation: sourceLocation)
            case .encode:
                #expect(result.lines == [good], sourceLocation: sourceLocation)
            case .parseTag:
                let last = try Tool.jsonLines(result).last
                #expect(last?["line"] as? Int == line && last?["best_version"] as? Int == 3, sourceLocation: sourceLocation)
            case .split:
                #expect(result.lines.count > 1 && result.lines.allSatisfy { $0.hasPrefix("?OTR|") && $0.utf8.count < 60 },
                        sourceLocation: sourceLocation)
                let joined = try Tool.run(["fragment", "join"], stdin: result.stdout)
                #expect(joined.lines == [good], "the fragments join back to the good message", sourceLocation: sourceLocation)
            case .join:
                #expect(result.lines == [good], sourceLocation: sourceLocation)
            case .reencrypt, .modify:
                #expect(result.lines.count == 1, sourceLocation: sourceLocation)
                let decoded = try Tool.run(["decode", "--json", "--aes-key", "hex:\(H.aesKey)"], stdin: result.stdout)
                #expect(H.plaintexts(decoded) == [command == .reencrypt ? "forged" : "STILL here"], sourceLocation: sourceLocation)
            case .transcript:
                let data = try Tool.jsonLines(result).filter { $0["kind"] as? String == "data" }
                #expect(data.count == 1, sourceLocation: sourceLocation)
                #expect(data.first?["line"] as? Int == line,
                        "forge transcript numbers the lines after a skipped over-long line one too low (says \(data.first?["line"] as? Int ?? 0), the message is on line \(line)), so --modify/--rewrite LINE miss or hit the wrong message",
                        sourceLocation: sourceLocation)
            case .simulate:
                let texts = H.events(result, "received").compactMap { $0["text"] as? String }
                #expect(texts == ["after the long line"], sourceLocation: sourceLocation)
            case .session:
                let wires = H.events(result, "wire").compactMap { $0["text"] as? String }
                #expect(wires.count == 1 && wires.first?.hasPrefix("?OTRv") == true, sourceLocation: sourceLocation)
                #expect(H.events(result, "done").compactMap { $0["line"] as? Int } == [line - 1, line], sourceLocation: sourceLocation)
            }
        }
    }
}
