import Foundation
import Testing

/// Arguments keep their bytes: a file name, account or text that is not
/// UTF-8 names that file, that account, those bytes, never U+FFFD.
struct ArgumentBytesTests {
    /// One argument: text, or raw bytes made by the shell.
    enum Argument: ExpressibleByStringInterpolation {
        case text(String)
        case bytes([UInt8])
        /// A path in the test's directory ($1) whose name is these bytes.
        case file([UInt8])

        init(stringLiteral value: String) { self = .text(value) }

        var word: String {
            switch self {
            case .text(let t): Shell.quoted(t)
            case .bytes(let b): Shell.bytes(b)
            case .file(let b): "\"$1\"/" + Shell.bytes(b)
            }
        }
    }

    static let aesKey = "000102030405060708090a0b0c0d0e0f"

    /// Runs otrtool with these arguments, `$1` being `dir`.
    static func run(_ arguments: [Argument], in dir: TemporaryDirectory, stdin: Data = Data()) throws -> Tool.Result {
        try Shell.run("exec \"$0\" " + arguments.map(\.word).joined(separator: " "), [dir.url.path], stdin: stdin)
    }

    static let latin1Name: [UInt8] = Array("caf".utf8) + [0xe9]

    @Test("decode reads a file whose name is not UTF-8, and names it with \\x escapes")
    func decodeNonUTF8FileName() throws {
        let dir = try TemporaryDirectory("argv-decode")
        let created = try Shell.run("printf '?OTRv3?\\n' > \"$1\"/" + Shell.bytes(Array("x".utf8) + [0xff] + Array(".log".utf8)),
                                    [dir.url.path])
        try #require(created.status == 0, "\(created.err)")
        let result = try Self.run(["decode", .file(Array("x".utf8) + [0xff] + Array(".log".utf8))], in: dir)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("\(dir.url.path)/x\\xff.log:1:"), "\(result.out)")
        let missing = try Self.run(["decode", .file(Array("y".utf8) + [0xfe] + Array(".log".utf8))], in: dir)
        #expect(missing.status == 66)
        #expect(missing.err == "otrtool decode: cannot open \(dir.url.path)/y\\xfe.log: No such file or directory\n")
    }

    @Test("keygen: accounts \\xff, \\xfe and U+F7FF are three accounts of one key file, under a file name that is not UTF-8")
    func distinctAccounts() throws {
        let dir = try TemporaryDirectory("argv-accounts")
        let file = Argument.file(Array("keys".utf8) + [0xfe])
        let accounts: [[UInt8]] = [[0xff], [0xfe], Array("\u{F7FF}".utf8)]
        for (i, account) in accounts.enumerated() {
            let result = try Self.run(["keygen", "--account", .bytes(account), "--protocol", "p", "--key-file", file,
                                       "--seed", "\(i)"], in: dir)
            #expect(result.status == 0, "account \(account): \(result.err)")
        }
        let listed = try Self.run(["fingerprint", file], in: dir)
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" } == ["\\xff", "\\xfe", "\u{F7FF}"])
        let chosen = try Self.run(["fingerprint", "--account", .bytes([0xfe]), file], in: dir)
        #expect(chosen.lines.count == 1 && chosen.lines.first?.hasPrefix("\\xfe\t") == true, "\(chosen.out)")
    }

    /// Bytes that are not UTF-8 (stray continuation bytes, overlong forms,
    /// surrogates, values past U+10FFFF, cut sequences), valid UTF-8 in
    /// and around the private-use scalars that stand for such bytes, and
    /// mixtures of both.
    static let byteSequences: [[UInt8]] = [
        Array(0x80...0xff).map { UInt8($0) },
        [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
        [0x61, 0xe2, 0x82], [0xe2, 0x82, 0x61], [0xf0, 0x9f, 0x98],
        Array("\u{F77F}\u{F780}\u{F7C0}\u{F7FF}\u{F800}".utf8), [0xef, 0x9e, 0x80, 0xff, 0xef, 0x9f],
        Array("é€😀".utf8) + [0xff] + Array("\u{F7FF}".utf8) + [0xfe, 0x41],
    ]

    @Test("every byte sequence comes back from argv as given", arguments: byteSequences)
    func roundTrip(_ bytes: [UInt8]) throws {
        let dir = try TemporaryDirectory("argv-round-trip")
        let result = try Self.run(["encode", "query", "--versions", "3", "--text", .bytes(bytes)], in: dir)
        #expect(result.status == 0, "\(result.err)")
        #expect(Array(result.stdout) == Array("?OTRv3?".utf8) + bytes + [0x0a])
    }

    @Test("encode data --text encrypts the bytes given")
    func dataText() throws {
        let dir = try TemporaryDirectory("argv-data")
        let encoded = try Self.run(["encode", "data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "010000",
                                    "--text", .bytes(Self.latin1Name)], in: dir)
        #expect(encoded.status == 0, "\(encoded.err)")
        let decoded = try Tool.run(["decode", "--json", "--aes-key", "hex:\(Self.aesKey)"], stdin: encoded.stdout)
        let analysis = try #require(try Tool.jsonLines(decoded).first?["analysis"] as? [String: Any])
        #expect((analysis["plaintext"] as? [String: Any])?["message_hex"] as? String == "636166e9")
    }

    @Test("the texts of encode query, tag and error and of parse-tag --make-tag keep their bytes", arguments: [
        (["encode", "query", "--text"], Array("?OTRv23?".utf8)),
        (["encode", "error", "--text"], Array("?OTR Error: ".utf8)),
        (["parse-tag", "--make-tag", "3", "--text"], []),
        (["encode", "tag", "--text"], []),
    ])
    func messageTexts(_ command: [String], _ prefix: [UInt8]) throws {
        let dir = try TemporaryDirectory("argv-texts")
        let result = try Self.run(command.map { .text($0) } + [.bytes(Self.latin1Name)], in: dir)
        #expect(result.status == 0, "\(command): \(result.err)")
        #expect(Array(result.stdout.prefix(prefix.count + Self.latin1Name.count)) == prefix + Self.latin1Name, "\(command)")
    }

    @Test("forge reencrypt --text puts the bytes given in the message")
    func forgedText() throws {
        let dir = try TemporaryDirectory("argv-forge")
        let message = try Tool.run(["encode", "data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "010000", "--text", "x"])
        let forged = try Self.run(["forge", "reencrypt", "--aes-key", "hex:\(Self.aesKey)", "--text", .bytes([0xff, 0xfe])],
                                  in: dir, stdin: message.stdout)
        #expect(forged.status == 0, "\(forged.err)")
        let decoded = try Tool.run(["decode", "--json", "--aes-key", "hex:\(Self.aesKey)"], stdin: forged.stdout)
        let analysis = try #require(try Tool.jsonLines(decoded).first?["analysis"] as? [String: Any])
        #expect((analysis["plaintext"] as? [String: Any])?["message_hex"] as? String == "fffe")
    }

    @Test("a secret in a file whose name is not UTF-8 is read")
    func secretFileName() throws {
        let dir = try TemporaryDirectory("argv-secret")
        let name = Array("key".utf8) + [0xff]
        let written = try Shell.run("printf '\(Self.aesKey)' > \"$1\"/" + Shell.bytes(name), [dir.url.path])
        try #require(written.status == 0, "\(written.err)")
        let fromFile = try Self.run(["derive", "mac-key", "--aes-key", .bytes(Array("file:".utf8) + Array(dir.url.path.utf8) + [0x2f] + name)],
                                    in: dir)
        #expect(fromFile.status == 0, "\(fromFile.err)")
        let fromArgv = try Tool.run(["derive", "mac-key", "--aes-key", "hex:\(Self.aesKey)"])
        #expect(fromFile.stdout == fromArgv.stdout)
    }

    @Test("convert-key --to libotr names the account with the bytes given")
    func convertedAccount() throws {
        let dir = try TemporaryDirectory("argv-convert")
        let keygen = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--key-file", dir.path("k.key"), "--seed", "c"])
        try #require(keygen.status == 0, "\(keygen.err)")
        let potr = try Tool.run(["convert-key", "--to", "potr", dir.path("k.key"), "--output", dir.path("k.potr")])
        try #require(potr.status == 0, "\(potr.err)")
        let converted = try Self.run(["convert-key", "--to", "libotr", "--account", .bytes([0xff, 0x40, 0x78]), "--protocol", "p",
                                      .text(dir.path("k.potr"))], in: dir)
        #expect(converted.status == 0, "\(converted.err)")
        let listed = try Tool.run(["fingerprint"], stdin: converted.stdout)
        #expect(listed.lines.first?.hasPrefix("\\xff@x\tp\t") == true, "\(listed.out)")
    }
}
