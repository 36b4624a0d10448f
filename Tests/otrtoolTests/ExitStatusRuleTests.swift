import Foundation
import Testing

/// The statuses the manual promises, decided by one rule wherever they
/// arise: usage errors are 64, an input that cannot be opened or is a
/// directory is 66 and the run goes on, a file that cannot be written is
/// refused before the work, and exhausted memory is 70 with one line.
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
        #expect(unknown.err == "otrtool help: otrtool has no command bogus; its commands are decode, encode, parse-tag, fragment, keygen, fingerprint, convert-key, derive, forge, simulate, session; see 'otrtool --help'\n")
        let nested = try Tool.run(["help", "fragment", "bogus"])
        #expect(nested.status == 64)
        #expect(nested.err == "otrtool help: otrtool fragment has no command bogus; its commands are split, join; see 'otrtool --help'\n")
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

    // MARK: Targets checked before the work

    static let keygen = ["keygen", "--account", "a", "--protocol", "p", "--seed", "targets"]

    @Test("keygen: an empty file name is a usage error", arguments: ["--key-file", "--instance-tags"])
    func emptyTarget(_ option: String) throws {
        let result = try Tool.run(Self.keygen + [option, ""])
        #expect(result.status == 64, "\(result.err)")
        #expect(result.err.contains("\(option) needs a file name, not an empty one"), "\(result.err)")
        #expect(result.stdout.isEmpty)
    }

    @Test("keygen: a target that is a directory, or where no file can be created, is 73")
    func unwritableTargets() throws {
        let dir = try TemporaryDirectory("status-targets")
        let cases = [
            (dir.url.path, "cannot create \(dir.url.path): Is a directory"),
            (dir.path("no-such-directory/k.key"), "cannot create a temporary file in \(dir.path("no-such-directory"))"),
            // No file can be created in /proc, whoever runs the test.
            ("/proc/otrtool-test.key", "cannot create a temporary file in /proc"),
        ]
        for (target, message) in cases {
            let result = try Tool.run(Self.keygen + ["--key-file", target])
            #expect(result.status == 73, "\(target): \(result.err)")
            #expect(result.err.contains("otrtool keygen: \(message)"), "\(target): \(result.err)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("keygen: an instance-tags file that cannot be written stops the run before the key file is written")
    func nothingWrittenWhenAnyTargetFails() throws {
        let dir = try TemporaryDirectory("status-before-work")
        let keyFile = dir.path("k.key")
        let result = try Tool.run(Self.keygen + ["--key-file", keyFile, "--instance-tags", "/proc/otrtool-test.instance_tags"])
        #expect(result.status == 73, "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: keyFile), "the key file was written although the run failed")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }

    @Test("convert-key: an --output that cannot be written is refused before the input is read")
    func convertKeyTarget() throws {
        let dir = try TemporaryDirectory("status-convert")
        // The input does not exist: a refusal of the target comes first.
        let missing = dir.path("missing.key")
        let directory = try Tool.run(["convert-key", "--to", "potr", missing, "--output", dir.url.path])
        #expect(directory.status == 73, "\(directory.err)")
        #expect(directory.err == "otrtool convert-key: cannot create \(dir.url.path): Is a directory\n")
        let empty = try Tool.run(["convert-key", "--to", "potr", missing, "--output", ""])
        #expect(empty.status == 64, "\(empty.err)")
        #expect(empty.err == "otrtool convert-key: --output needs a file name, not an empty one\n")
    }

    // MARK: Memory

    @Test("exhausted memory ends the run with 70 and one line, no backtrace")
    func outOfMemory() throws {
        // 300 MB in one line, allowed by --max-line-length, under 400 MB of
        // address space: the line cannot be held.
        let script = "head -c 300000000 /dev/zero | tr '\\0' A | ( ulimit -v 400000 || exit 99; exec \"$0\" decode --max-line-length 1000000000 )"
        let result = try Shell.run(script)
        #expect(result.status == 70, "\(result.err.prefix(500))")
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1, "\(result.err.prefix(500))")
        #expect(lines.first?.contains("allocate") == true, "\(result.err.prefix(500))")
    }
}
