import Foundation
import Testing

struct CommandFrameTests {
    @Test func versionAndHelpWork() throws {
        let version = try Tool.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.range(of: #"^otrtool \d+\.\d+\.\d+ \(libgcrypt [0-9.]+, GMP [0-9.]+\)\n$"#,
                                  options: .regularExpression) != nil, "\(version.out)")
        // The versions are those of the libraries it was built with.
        for (library, name) in [("libgcrypt", "libgcrypt"), ("gmp", "GMP")] {
            let linked = try Tool.run(["--modversion", library], executable: URL(fileURLWithPath: "/usr/bin/pkg-config"))
            let expected = linked.out.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!expected.isEmpty && version.out.contains("\(name) \(expected)"), "\(version.out) vs \(library) \(expected)")
        }
        let help = try Tool.run(["--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("parse-tag"))
        #expect(help.out.contains("EXIT STATUS. 0 success; 1 a check failed"))
    }

    /// A subcommand named in full is parsed on its own, which gives the
    /// same command only while the commands above it take no options
    /// (`OTRTool.groupsWithoutOptions`): their help, hidden options
    /// included, must list none but help and version.
    @Test(arguments: [[], ["derive"], ["encode"], ["forge"], ["fragment"]])
    func groupCommandsTakeNoOptionsOfTheirOwn(command: [String]) throws {
        let help = try Tool.run(command + ["--help-hidden"])
        #expect(help.status == 0)
        let lines = help.out.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex(of: "OPTIONS:"), "\(command): \(help.out)")
        let options = lines[(start + 1)...].prefix { !$0.isEmpty }.filter { $0.hasPrefix("  -") }
            .map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "  ")[0] }
        #expect(Set(options).isSubset(of: ["--version", "-h, --help", "--help-hidden"]), "\(command): \(options)")
    }

    /// Help, usage errors and completion requests of a subcommand named in
    /// full come from the parse from the root, naming the whole command.
    @Test func aSubcommandsHelpAndErrorsNameTheWholeCommand() throws {
        let help = try Tool.run(["derive", "mac-key", "--help"])
        #expect(help.status == 0 && help.out.contains("USAGE: otrtool derive mac-key "), "\(help.out)")
        let missing = try Tool.run(["forge", "remac"])
        #expect(missing.status == 64 && missing.err.contains("Usage: otrtool forge remac "), "\(missing.err)")
        let unknown = try Tool.run(["fragment", "split", "--size", "100", "--no-such-option"])
        #expect(unknown.status == 64 && unknown.err.contains("Unknown option '--no-such-option'")
                && unknown.err.contains("otrtool fragment split"), "\(unknown.err)")
        let ok = try Tool.run(["derive", "mac-key", "--aes-key", "00112233445566778899aabbccddeeff"])
        #expect(ok.status == 0 && ok.out.contains("739e0e8490eacbcb2ea11d4a5dbefbae888b092e"), "\(ok.out)")
    }

    @Test("an unknown command is a usage error that lists the commands there are, at the root and in a group")
    func unknownSubcommandIsAUsageError() throws {
        let result = try Tool.run(["no-such-command"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.err == "otrtool: no command no-such-command; the commands are decode, encode, parse-tag, fragment, keygen, fingerprint, convert-key, derive, forge, simulate, session; see 'otrtool --help'\n")
        let nested = try Tool.run(["fragment", "splt", "--size", "60"])
        #expect(nested.status == 64)
        #expect(nested.err == "otrtool fragment: no command splt; the commands are split, join; see 'otrtool fragment --help'\n")
        // encode's default command takes the word as its file, as before.
        let file = try Tool.run(["encode", "no-such-file"])
        #expect(file.status == 66 && file.err.contains("cannot open no-such-file"), "\(file.err)")
        // Every command the root lists is a command.
        let help = try Tool.run(["--help"])
        for name in ["decode", "encode", "parse-tag", "fragment", "keygen", "fingerprint", "convert-key", "derive", "forge", "simulate", "session"] {
            #expect(result.err.contains(name) && help.out.contains("  \(name) "), "\(name)")
        }
    }

    @Test("standard input is named -:N in text and diagnostics and \"-\" in JSON, whether no file or \"-\" was given",
          arguments: [
              (["decode"], "x\n?OTR:AAMD.\n", "otrtool decode: -:2: "),
              (["parse-tag"], "x\n?OTRv3\n", "otrtool parse-tag: -:2: "),
              (["encode"], "{\"kind\":\"plaintext\",\"text\":\"x\"}\n{\n", "otrtool encode: -:2: "),
              (["fragment", "join"], "x\n?OTR,00000,00001,a,\n", "otrtool fragment join: -:2: "),
              (["simulate"], "alice: hi\nnobody\n", "otrtool simulate: -:2: "),
          ])
    func standardInputHasOneName(command: [String], input: String, prefix: String) throws {
        for named in [[], ["-"]] {
            let result = try Tool.run(command + named, input: input)
            let errors = result.err.split(separator: "\n").filter { !$0.contains("INSECURE") }
            #expect(result.status == 2, "\(command + named): \(result.err)")
            #expect(errors.count == 1 && errors[0].hasPrefix(prefix), "\(command + named): \(result.err)")
            #expect(!result.out.contains("line 1") && !result.err.contains("line 2"), "\(command + named)")
        }
        let text = try Tool.run(["decode", "-"], input: "x\n")
        #expect(text.out == "-:1: plain text (not OTR): \"x\"\n")
        let json = try Tool.run(["decode", "--json"], input: "x\n")
        #expect(try Tool.jsonLines(json).first?["source"] as? String == "-")
    }
}
