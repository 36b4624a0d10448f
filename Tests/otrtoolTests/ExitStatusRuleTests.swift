import Foundation
import Testing

/// The statuses the manual promises, decided by one rule wherever they
/// arise: usage errors are 64, an input that cannot be opened or is a
/// directory is 66 and the run goes on.
struct ExitStatusRuleTests {
    @Test("bare otrtool is a usage error with the help on standard error")
    func bareCommand() throws {
        let result = try Tool.run([])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.err.contains("SUBCOMMANDS:") && result.err.contains("decode"), "\(result.err)")
    }

    @Test("help for a command that does not exist is a usage error naming it; help for one that does succeeds")
    func helpForUnknownCommand() throws {
        let unknown = try Tool.run(["help", "bogus"])
        #expect(unknown.status == 64)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.err == "otrtool help: otrtool has no command bogus; see 'otrtool --help'\n")
        let nested = try Tool.run(["help", "fragment", "bogus"])
        #expect(nested.status == 64)
        #expect(nested.err == "otrtool help: otrtool fragment has no command bogus; see 'otrtool --help'\n")
        let known = try Tool.run(["help", "fragment", "split"])
        #expect(known.status == 0, "\(known.err)")
        #expect(known.out.contains("USAGE: otrtool fragment split"))
    }

    @Test("decode: a directory and a missing file are both 66 in either order, and the file after them is read",
          arguments: [true, false])
    func unreadableInputsInEitherOrder(_ directoryFirst: Bool) throws {
        let dir = try TemporaryDirectory("status-inputs")
        let missing = dir.path("missing.log")
        let good = try dir.write("good.log", "?OTRv3?\n")
        let named = directoryFirst ? [dir.url.path, missing] : [missing, dir.url.path]
        let result = try Tool.run(["decode"] + named + [good])
        #expect(result.status == 66, "\(result.err)")
        let expected = [
            dir.url.path: "otrtool decode: cannot open \(dir.url.path): Is a directory",
            missing: "otrtool decode: cannot open \(missing): No such file or directory",
        ]
        #expect(result.err.split(separator: "\n").map(String.init) == named.map { expected[$0]! })
        #expect(result.out.contains("\(good):1:"), "the file after them is decoded: \(result.out)")
    }

    @Test("the first status from 64 up wins over malformed input, whichever comes first", arguments: [true, false])
    func unreadableOverMalformed(_ missingFirst: Bool) throws {
        let dir = try TemporaryDirectory("status-worst")
        let bad = try dir.write("bad.log", "?OTR:AAMD.\n")
        let missing = dir.path("missing.log")
        let result = try Tool.run(["decode"] + (missingFirst ? [missing, bad] : [bad, missing]))
        #expect(result.status == 66, "\(result.err)")
        #expect(result.err.split(separator: "\n").count == 2, "\(result.err)")
    }

    @Test("standard input that is a directory is 66 as a named one is")
    func directoryOnStandardInput() throws {
        let dir = try TemporaryDirectory("status-stdin")
        let result = try Shell.run("exec \"$0\" decode < \"$1\"", [dir.url.path])
        #expect(result.status == 66)
        #expect(result.err == "otrtool decode: cannot open standard input: Is a directory\n")
    }

    @Test("every reader of named files gives a directory 66", arguments: [
        ["fingerprint"], ["convert-key", "--to", "potr", "--output"], ["fragment", "split", "--whole", "--size", "60"],
        ["parse-tag"], ["encode"], ["forge", "transcript"],
    ])
    func directoryIsNoInput(_ command: [String]) throws {
        let dir = try TemporaryDirectory("status-readers")
        let arguments = command.last == "--output" ? command + [dir.path("out")] : command
        let result = try Tool.run(arguments + [dir.url.path])
        #expect(result.status == 66, "\(command): \(result.err)")
        #expect(result.err.contains("cannot open \(dir.url.path): Is a directory"), "\(command): \(result.err)")
    }

    @Test("a secret file that is a directory is 66")
    func secretFileIsADirectory() throws {
        let dir = try TemporaryDirectory("status-secret")
        let result = try Tool.run(["derive", "mac-key", "--aes-key", "file:\(dir.url.path)"])
        #expect(result.status == 66, "\(result.err)")
        #expect(result.err == "otrtool: --aes-key: cannot open \(dir.url.path): Is a directory\n")
    }
}
