import Foundation
import Testing

struct KeygenCommandTests {
    static let seeded = ["keygen", "--account", "alice@example.org", "--protocol", "prpl-jabber", "--seed", "test vector 1"]

    @Test func aSeededKeyIsReproducibleAndWarnsOnStderr() throws {
        let first = try Tool.run(Self.seeded)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.err.contains("INSECURE"))
        #expect(first.out.hasPrefix("(privkeys\n (account\n(name \"alice@example.org\")\n(protocol prpl-jabber)\n(private-key \n (dsa \n  (p #00"))
        let second = try Tool.run(Self.seeded)
        #expect(second.stdout == first.stdout)
        let other = try Tool.run(["keygen", "--account", "alice@example.org", "--protocol", "prpl-jabber", "--insecure-seed", "test vector 2"])
        #expect(other.status == 0)
        #expect(other.stdout != first.stdout)
    }

    @Test func jsonToStandardOutputCarriesTheKeyParts() throws {
        let result = try Tool.run(Self.seeded + ["--json"])
        #expect(result.status == 0)
        let object = try #require(try Tool.jsonLines(result).first)
        #expect(object["account"] as? String == "alice@example.org")
        #expect(object["seeded"] as? Bool == true)
        let fingerprint = try #require(object["fingerprint"] as? String)
        #expect(fingerprint.range(of: #"^([0-9A-F]{8} ){4}[0-9A-F]{8}$"#, options: .regularExpression) != nil)
        #expect((object["p"] as? String)?.count == 256)
        #expect((object["q"] as? String)?.count == 40)
        #expect((object["public_key"] as? String)?.hasPrefix("000000000080") == true)
        // The same key read back from the key file has the same fingerprint.
        let file = try Tool.run(Self.seeded)
        let printed = try Tool.run(["fingerprint"], stdin: file.stdout)
        #expect(printed.out == "alice@example.org\tprpl-jabber\t\(fingerprint)\n")
    }

    @Test func accountsAreAddedToAKeyFileWhichStaysPrivate() throws {
        let dir = try TemporaryDirectory("keygen")
        let file = dir.path("keys")
        let a = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", file, "--seed", "a"])
        #expect(a.status == 0, "\(a.err)")
        #expect(try dir.mode("keys") == 0o600)
        let b = try Tool.run(["keygen", "--account", "b@x", "--protocol", "prpl-irc", "--key-file", file, "--seed", "b"])
        #expect(b.status == 0, "\(b.err)")
        let listed = try Tool.run(["fingerprint", file])
        #expect(listed.lines.count == 2)
        #expect(listed.lines[0] == a.lines[0])
        #expect(listed.lines[1] == b.lines[0])
        #expect(try dir.mode("keys") == 0o600)
        // No temporary files are left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["keys"])
    }

    @Test func anExistingAccountIsReplacedOnlyWithReplace() throws {
        let dir = try TemporaryDirectory("keygen-replace")
        let file = dir.path("keys")
        let base = ["keygen", "--account", "a@x", "--protocol", "p", "--key-file", file]
        #expect(try Tool.run(base + ["--seed", "1"]).status == 0)
        let before = try dir.read("keys")
        let refused = try Tool.run(base + ["--seed", "2"])
        // A refusal that --replace lifts is a usage matter (64), not a file
        // that cannot be created (73): the file is writable and untouched.
        #expect(refused.status == 64)
        #expect(refused.err.split(separator: "\n").filter { !$0.contains("INSECURE") }
                == ["otrtool keygen: \(file): already holds a key for a@x (p); use --replace to replace it"], "\(refused.err)")
        #expect(try dir.read("keys") == before)
        let replaced = try Tool.run(base + ["--seed", "2", "--replace"])
        #expect(replaced.status == 0)
        #expect(try dir.read("keys") != before)
        #expect(try Tool.run(["fingerprint", file]).lines == replaced.lines)
    }

    @Test func aBrokenKeyFileIsLeftAloneAndNamed() throws {
        let dir = try TemporaryDirectory("keygen-broken")
        let file = try dir.write("keys", "(privkeys\n (account\n(name a)\n")
        let result = try Tool.run(["keygen", "--account", "b", "--protocol", "p", "--key-file", file, "--seed", "x"])
        #expect(result.status == 2)
        #expect(result.err.contains("line 2"))
        #expect(result.err.contains("left unchanged"))
        #expect(try dir.read("keys") == "(privkeys\n (account\n(name a)\n")
    }

    @Test func instanceTagsAreRecordedAndKept() throws {
        let dir = try TemporaryDirectory("keygen-instag")
        let tags = dir.path("otr-tags")
        let run = { (extra: [String]) in
            try Tool.run(["keygen", "--account", "a@x", "--protocol", "p", "--key-file", dir.path("k"),
                          "--instance-tags", tags, "--json", "--seed", "t"] + extra)
        }
        let first = try run([])
        #expect(first.status == 0, "\(first.err)")
        let tag = try #require(try Tool.jsonLines(first).first?["instance_tag"] as? String)
        #expect(UInt32(tag, radix: 16).map { $0 >= 0x100 } == true)
        let text = try dir.read("otr-tags")
        #expect(text == "WARNING! You shouldn't copy this file to another computer. It is unnecessary and can cause problems.\na@x\tp\t\(tag)\n")
        #expect(try dir.mode("otr-tags") == 0o600)
        let again = try run(["--replace"])
        #expect(try Tool.jsonLines(again).first?["instance_tag"] as? String != nil)
    }

    @Test("a seeded key is refused for the files chat clients use", arguments: [
        "otr.private_key", "otr.key", "alice.otr_keys", "otr.instance_tags",
    ])
    func seededKeysStayOutOfClientFiles(name: String) throws {
        let dir = try TemporaryDirectory("keygen-client")
        let result = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x", "--key-file", dir.path(name)])
        #expect(result.status == 64)
        #expect(result.err.contains("refusing"))
        #expect(!FileManager.default.fileExists(atPath: dir.path(name)))
        let home = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x",
                                 "--key-file", dir.path(".purple/keys")], environment: ["HOME": dir.url.path])
        #expect(home.status == 64)
    }

    @Test func usageErrorsExit64() throws {
        #expect(try Tool.run(["keygen", "--protocol", "p"]).status == 64)
        #expect(try Tool.run(["keygen", "--account", "a", "--protocol", "", "--seed", "x"]).status == 64)
        #expect(try Tool.run(["keygen", "--account", "a\tb", "--protocol", "p", "--seed", "x", "--instance-tags", "/tmp/t"]).status == 64)
    }

    @Test("the new key's fingerprint is one line on standard error, with and without --key-file, text and JSON")
    func theFingerprintIsShownOnStandardError() throws {
        let dir = try TemporaryDirectory("keygen-fingerprint")
        for (n, extra) in [[], ["--json"], ["--key-file", dir.path("k")], ["--key-file", dir.path("j"), "--json"]].enumerated() {
            let run = try Tool.run(Self.seeded + extra)
            #expect(run.status == 0, "\(extra): \(run.err)")
            // The fingerprint as the fingerprint command reads it from the
            // key written, or as the JSON gives it.
            let fingerprint: String
            if n == 1 {
                fingerprint = try #require(try Tool.jsonLines(run).first?["fingerprint"] as? String)
            } else {
                let written = try Tool.run(["fingerprint"] + (extra.count > 1 ? [extra[1]] : []), stdin: n == 0 ? run.stdout : Data())
                fingerprint = try #require(written.lines.first?.split(separator: "\t").last.map(String.init), "\(written.err)")
            }
            let lines = run.err.split(separator: "\n").map(String.init).filter { $0.contains("fingerprint") }
            #expect(lines == ["otrtool keygen: the key fingerprint is \(fingerprint) for alice@example.org (prpl-jabber)"], "\(extra): \(run.err)")
        }
    }

    @Test("a private key is not written to a terminal unless --allow-terminal; a key file to a terminal is fine")
    func aTerminalIsRefusedUnlessAsked() throws {
        let refused = try Terminal.run(Self.seeded)
        #expect(refused.status == 64, "\(refused.err)")
        #expect(refused.screen.isEmpty, "the key reached the terminal")
        #expect(refused.err.contains("otrtool keygen: refusing to write a private key to a terminal; give --key-file, redirect standard output, or give --allow-terminal\n"),
                "\(refused.err)")
        #expect(!refused.err.contains("fingerprint is"), "no key was made: \(refused.err)")
        let json = try Terminal.run(Self.seeded + ["--json"])
        #expect(json.status == 64 && json.screen.isEmpty, "\(json.err)")
        let allowed = try Terminal.run(Self.seeded + ["--allow-terminal"])
        #expect(allowed.status == 0, "\(allowed.err)")
        #expect(String(decoding: allowed.screen, as: UTF8.self).contains("(privkeys"))
        // With --key-file only the account's line reaches the terminal.
        let dir = try TemporaryDirectory("keygen-terminal")
        let file = try Terminal.run(Self.seeded + ["--key-file", dir.path("k")])
        #expect(file.status == 0, "\(file.err)")
        #expect(String(decoding: file.screen, as: UTF8.self).hasPrefix("alice@example.org\tprpl-jabber\t"))
    }

    @Test("keygen > FILE warns in one line when the shell made FILE readable by others, and not when it did not")
    func aReadableOutputFileIsWarnedAbout() throws {
        let dir = try TemporaryDirectory("keygen-umask")
        let command = Shell.command(Self.seeded)
        let open = try Shell.run("umask 022; exec \(command) > \"$1\"", [dir.path("k1")])
        #expect(open.status == 0, "\(open.err)")
        let warnings = open.err.split(separator: "\n").filter { $0.contains("others can read") }
        #expect(warnings == ["otrtool keygen: warning: standard output is a file of mode 0644 that others can read; the private key written to it is not protected (chmod 600 it, or give --key-file)"],
                "\(open.err)")
        #expect(try dir.read("k1").hasPrefix("(privkeys"))
        let closed = try Shell.run("umask 077; exec \(command) > \"$1\"", [dir.path("k2")])
        #expect(closed.status == 0 && !closed.err.contains("others can read"), "\(closed.err)")
        // With --key-file the key goes to a 0600 file, whatever standard output is.
        let file = try Shell.run("umask 022; exec \(Shell.command(Self.seeded + ["--key-file", dir.path("k3")])) > \"$1\"", [dir.path("out")])
        #expect(file.status == 0 && !file.err.contains("others can read"), "\(file.err)")
    }
}
