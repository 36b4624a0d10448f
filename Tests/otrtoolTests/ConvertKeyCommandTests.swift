import Foundation
import Testing

struct ConvertKeyCommandTests {
    /// A key file with one seeded account, and its potr form.
    static func keys(_ dir: TemporaryDirectory) throws -> (keys: String, potr: String) {
        let keys = dir.path("keys"), potr = dir.path("a.potr")
        let made = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", keys, "--seed", "convert"])
        try #require(made.status == 0, "\(made.err)")
        let converted = try Tool.run(["convert-key", "--to", "potr", "-o", potr, keys])
        try #require(converted.status == 0, "\(converted.err)")
        return (keys, potr)
    }

    @Test("an existing --output or account without --replace is refused with 64 (a refusal the option lifts) and nothing changes")
    func existingTargetsAreUsageRefusals() throws {
        let dir = try TemporaryDirectory("convert-refuse")
        let (keys, potr) = try Self.keys(dir)
        let before = try dir.read("keys")
        let account = try Tool.run(["convert-key", "--to", "libotr", "--account", "a@x", "--protocol", "prpl-jabber", "-o", keys, potr])
        #expect(account.status == 64)
        #expect(account.err == "otrtool convert-key: \(keys): already holds a key for a@x (prpl-jabber); use --replace to replace it\n")
        #expect(try dir.read("keys") == before)
        let file = try Tool.run(["convert-key", "--to", "potr", "-o", potr, keys])
        #expect(file.status == 64)
        #expect(file.err == "otrtool convert-key: \(potr): already exists; use --replace to replace it\n")
    }

    @Test("a private key goes to a terminal only with --allow-terminal, and a potr key never")
    func aTerminalIsRefusedUnlessAsked() throws {
        let dir = try TemporaryDirectory("convert-terminal")
        let (keys, potr) = try Self.keys(dir)
        let toLibotr = ["convert-key", "--to", "libotr", "--account", "a@x", "--protocol", "p", potr]
        let refused = try Terminal.run(toLibotr)
        #expect(refused.status == 64 && refused.screen.isEmpty, "\(refused.err)")
        #expect(refused.err == "otrtool convert-key: refusing to write a private key to a terminal; give --output, redirect standard output, or give --allow-terminal\n")
        let allowed = try Terminal.run(toLibotr + ["--allow-terminal"])
        #expect(allowed.status == 0, "\(allowed.err)")
        #expect(String(decoding: allowed.screen, as: UTF8.self).contains("(privkeys"))
        let binary = try Terminal.run(["convert-key", "--to", "potr", keys, "--allow-terminal"])
        #expect(binary.status == 64 && binary.screen.isEmpty, "\(binary.err)")
        #expect(binary.err.contains("a potr key is binary"))
    }

    @Test("a private key to a file others can read on standard output is written with a one-line warning")
    func aReadableOutputFileIsWarnedAbout() throws {
        let dir = try TemporaryDirectory("convert-umask")
        let (keys, _) = try Self.keys(dir)
        let run = try Shell.run("umask 022; exec \(Shell.command(["convert-key", "--to", "potr", keys])) > \"$1\"", [dir.path("out.potr")])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err == "otrtool convert-key: warning: standard output is a file of mode 0644 that others can read; the private key written to it is not protected (chmod 600 it, or give --output)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("out.potr"))) == Data(contentsOf: URL(fileURLWithPath: dir.path("a.potr"))))
    }

    @Test("--json describes the key converted in keygen's fields; the key itself only when it goes to standard output")
    func jsonCarriesTheKeyOnlyOnStandardOutput() throws {
        let dir = try TemporaryDirectory("convert-json")
        let (keys, potr) = try Self.keys(dir)
        let fingerprint = try #require(try Tool.run(["fingerprint", keys]).lines.first?.split(separator: "\t").last.map(String.init))
        // To a file: no key in the JSON.
        let toFile = try Tool.run(["convert-key", "--to", "potr", "--json", "-o", dir.path("b.potr"), keys])
        #expect(toFile.status == 0, "\(toFile.err)")
        let described = try #require(try Tool.jsonLines(toFile).first)
        #expect(described["account"] as? String == "a@x" && described["protocol"] as? String == "prpl-jabber"
                && described["fingerprint"] as? String == fingerprint && described["format"] as? String == "potr"
                && described["output"] as? String == dir.path("b.potr") && described["key"] == nil, "\(described)")
        // To standard output: the potr key in hex, the same bytes as the text form.
        let potrJSON = try #require(try Tool.jsonLines(try Tool.run(["convert-key", "--to", "potr", "--json", keys])).first)
        let binary = try Tool.run(["convert-key", "--to", "potr", keys])
        #expect(potrJSON["key"] as? String == binary.stdout.map { String(format: "%02x", $0) }.joined() && potrJSON["output"] is NSNull)
        // libotr: the key file's text, which the text form writes.
        let libotrJSON = try #require(try Tool.jsonLines(try Tool.run(["convert-key", "--to", "libotr", "--account", "c", "--protocol", "p", "--json", potr])).first)
        let libotr = try Tool.run(["convert-key", "--to", "libotr", "--account", "c", "--protocol", "p", potr])
        #expect(libotrJSON["key"] as? String == libotr.out && libotrJSON["fingerprint"] as? String == fingerprint, "\(libotrJSON)")
        // Hex is text, but still a private key: a terminal only when asked.
        let terminal = try Terminal.run(["convert-key", "--to", "potr", "--json", keys])
        #expect(terminal.status == 64 && terminal.screen.isEmpty, "\(terminal.err)")
        let allowed = try Terminal.run(["convert-key", "--to", "potr", "--json", "--allow-terminal", keys])
        #expect(allowed.status == 0 && String(decoding: allowed.screen, as: UTF8.self).contains("\"key\""), "\(allowed.err)")
    }
}
