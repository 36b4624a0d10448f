import Foundation
import Testing

/// What `otrtool session` promises at its command line and in its text
/// output: secrets never echoed, control bytes escaped, arguments checked
/// before the first line, and honest reports.
@Suite("session: command line, text output and secrets")
struct SessionCommandLineTests {
    /// A key file holding account "me" (seeded, quick), in a folder that
    /// lives as long as the fixture.
    struct Fixture {
        let dir: TemporaryDirectory
        var key: String { dir.path("me.key") }
    }

    static func keyFile() throws -> Fixture {
        let fixture = Fixture(dir: try TemporaryDirectory("session-cli"))
        let made = try Tool.run(["keygen", "--account", "me", "--protocol", "p", "--key-file", fixture.key, "--seed", "me"])
        try #require(made.status == 0, "\(made.err)")
        return fixture
    }

    static func session(_ key: String, _ extra: [String] = [], stdin: String) throws -> Tool.Result {
        try Tool.run(["session", "--key-file", key, "--account", "me", "--protocol", "p"] + extra, stdin: Data(stdin.utf8))
    }

    @Test("a mistyped command that may hold a secret is never echoed, in text or JSON", arguments: ["/smpsecret-words", "/smpqsecret-words|x"])
    func unknownCommandNotEchoed(line: String) throws {
        let fixture = try Self.keyFile(), key = fixture.key
        for json in [false, true] {
            let run = try Self.session(key, json ? ["--json"] : [], stdin: line + "\n")
            #expect(run.status == 2)
            #expect(run.err.contains("unknown command"), "\(run.err)")
            #expect(!run.err.contains("secret-words") && !run.out.contains("secret-words"), "the secret was echoed: \(run.err) \(run.out)")
        }
    }

    @Test("a tab after the command name separates it as a space does: /smp<TAB>secret is /smp")
    func tabSeparates() throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let run = try Self.session(key, ["--json"], stdin: "/smp\tsecret-words\n")
        // /smp needs a private conversation: the error says so, not "unknown".
        #expect(run.status == 2)
        #expect(run.err.contains("SMP") && !run.err.contains("unknown command"), "\(run.err)")
        #expect(!run.err.contains("secret-words") && !run.out.contains("secret-words"))
    }

    @Test("control bytes from the peer are escaped in text output; --peer names the peer")
    func controlBytesEscaped() throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let run = try Self.session(key, ["--peer", "bob"], stdin: "red \u{1b}[31mtext\rover\n")
        #expect(run.status == 0, "\(run.err)")
        #expect(!run.err.utf8.contains(0x1b) && !run.err.utf8.contains(0x0d), "a raw control byte reached the terminal: \(run.err.debugDescription)")
        #expect(run.err.contains("plaintext message from bob: red \\x1b[31mtext\\rover"), "\(run.err)")

        // Errors that quote a command's argument escape it too.
        let bad = try Self.session(key, stdin: "/ake \u{1b}[2J\n/symkey 1 \u{1b}zz\n/tlv 1 \u{1b}\n{\"text\": 1, \"\u{1b}\": 2}\n")
        #expect(bad.status == 2)
        #expect(bad.err.split(separator: "\n").count == 4, "\(bad.err)")
        #expect(!bad.err.utf8.contains(0x1b), "a raw ESC reached the terminal: \(bad.err.debugDescription)")
    }

    @Test("/send in plaintext goes out unencrypted, and stderr says so")
    func sentUnencrypted() throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let run = try Self.session(key, ["--peer", "bob"], stdin: "/send hello\n")
        #expect(run.status == 0)
        #expect(run.out == "hello\n")
        #expect(run.err.contains("sent unencrypted to bob"), "\(run.err)")
    }

    @Test("--peer is checked before the first line is read", arguments: ["", "a\tb", "a\nb", "esc\u{1b}"])
    func peerChecked(peer: String) throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let run = try Self.session(key, ["--peer", peer], stdin: "/query\n")
        #expect(run.status == 64, "\(run.err)")
        #expect(run.out.isEmpty, "the session ran before refusing --peer")
        #expect(run.err.contains("--peer"))
    }

    @Test("--max-line-length applies to session's input")
    func maxLineLength() throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let run = try Self.session(key, ["--json", "--max-line-length", "10"], stdin: String(repeating: "x", count: 11) + "\n/query\n")
        #expect(run.status == 2)
        #expect(run.err.contains("-:1") && run.err.contains("exceeds --max-line-length 10"), "\(run.err)")
        let events = try Tool.jsonLines(run)
        #expect(events.contains { $0["event"] as? String == "wire" && ($0["text"] as? String)?.hasPrefix("?OTRv") == true },
                "the line after the long one was not read")
    }

    @Test("--insecure-seed writes no file: with --fingerprints it is refused before anything runs")
    func insecureSeedWritesNothing() throws {
        let fixture = try Self.keyFile(), key = fixture.key, dir = fixture.dir
        let fingerprints = dir.path("fp")
        let run = try Self.session(key, ["--insecure-seed", "s", "--fingerprints", fingerprints], stdin: "/query\n")
        #expect(run.status == 64, "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: fingerprints))
    }

    @Test("a key file that does not exist is \"cannot open\", status 66")
    func missingKeyFile() throws {
        let dir = try TemporaryDirectory("session-cli-missing")
        let run = try Tool.run(["session", "--key-file", dir.path("none.key"), "--account", "me", "--protocol", "p"])
        #expect(run.status == 66)
        #expect(run.err.contains("cannot open") && run.err.contains("No such file or directory"), "\(run.err)")
    }

    @Test("/wait moves only a virtual clock; /instance names a known instance")
    func waitAndInstance() throws {
        let fixture = try Self.keyFile(), key = fixture.key
        let real = try Self.session(key, ["--json"], stdin: "/wait 5\n")
        #expect(real.status == 2 && real.err.contains("virtual"), "\(real.err)")
        let virtual = try Self.session(key, ["--json", "--clock", "virtual"], stdin: "/wait 5\n/wait 61\n")
        #expect(virtual.status == 0, "\(virtual.err)")
        let clock = try Tool.jsonLines(virtual).filter { $0["event"] as? String == "clock" }.compactMap { $0["now"] as? Int }
        #expect(clock == [1_700_000_005, 1_700_000_066])
        let instance = try Self.session(key, ["--json"], stdin: "/instance 12345678\n/instance best\n/instance xyz\n")
        #expect(instance.status == 2)
        #expect(instance.err.contains("-:1") && instance.err.contains("no instance 12345678"), "\(instance.err)")
        #expect(!instance.err.contains("-:2"), "/instance best was refused")
        #expect(instance.err.contains("-:3") && instance.err.contains("8 hex digits"))
    }
}
