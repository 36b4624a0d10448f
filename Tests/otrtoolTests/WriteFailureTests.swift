import Foundation
import Testing

/// A failed write is never a success: every command that writes standard
/// output ends with status 74 and one line on standard error when the
/// write fails (a full disk, standard output closed), a failed write to
/// standard error makes the status 74, and a pipe whose reader has gone
/// ends the run promptly: through SIGPIPE, quietly, as cat and grep end,
/// or with 74 when SIGPIPE is ignored.
@Suite("write failures")
struct WriteFailureTests {
    /// A command that writes standard output, with its input.
    struct Writer: CustomTestStringConvertible, Sendable {
        let label: String
        /// What its diagnostics are prefixed with, after "otrtool".
        let name: String
        let arguments: [String]
        let stdin: String

        var testDescription: String { label }
    }

    static let aesKey = "000102030405060708090a0b0c0d0e0f"

    /// Files the writers read, made once.
    final class Fixture: @unchecked Sendable {
        static let shared = Fixture()
        let dir: TemporaryDirectory
        let keyFile: String
        let potrKey: String
        let message: String
        let messageJSON: String

        private init() {
            dir = try! TemporaryDirectory("write-failures")
            keyFile = dir.path("k.key")
            potrKey = dir.path("k.potr")
            let keygen = try! Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", keyFile,
                                        "--seed", "write failures"])
            precondition(keygen.status == 0, keygen.err)
            let potr = try! Tool.run(["convert-key", "--to", "potr", keyFile, "--output", potrKey])
            precondition(potr.status == 0, potr.err)
            let data = try! Tool.run(["encode", "data", "--aes-key", "hex:\(WriteFailureTests.aesKey)", "--next-dh-key", "010000",
                                      "--text", "written?"])
            message = data.lines.first ?? ""
            messageJSON = (try! Tool.run(["decode", "--json"], input: message + "\n")).lines.first ?? ""
        }
    }

    static var writers: [Writer] {
        let f = Fixture.shared
        let seeded = ["--account", "a@x", "--protocol", "prpl-jabber", "--seed", "w"]
        return [
            Writer(label: "keygen (the key)", name: "keygen", arguments: ["keygen"] + seeded, stdin: ""),
            Writer(label: "keygen --json", name: "keygen", arguments: ["keygen", "--json"] + seeded, stdin: ""),
            Writer(label: "decode", name: "decode", arguments: ["decode"], stdin: f.message + "\n"),
            Writer(label: "decode --json", name: "decode", arguments: ["decode", "--json", "--aes-key", "hex:\(aesKey)"],
                   stdin: f.message + "\n"),
            Writer(label: "session", name: "session",
                   arguments: ["session", "--json", "--key-file", f.keyFile, "--account", "a@x", "--protocol", "prpl-jabber"],
                   stdin: "/query\n"),
            Writer(label: "convert-key --to libotr", name: "convert-key",
                   arguments: ["convert-key", "--to", "libotr", "--account", "a@x", "--protocol", "p", f.potrKey], stdin: ""),
            Writer(label: "convert-key --to potr", name: "convert-key", arguments: ["convert-key", "--to", "potr", f.keyFile], stdin: ""),
            Writer(label: "fragment split", name: "fragment split", arguments: ["fragment", "split", "--size", "60"],
                   stdin: f.message + "\n"),
            Writer(label: "fragment join", name: "fragment join", arguments: ["fragment", "join"], stdin: f.message + "\n"),
            Writer(label: "simulate", name: "simulate", arguments: ["simulate", "--json"], stdin: "alice: /query\n"),
            Writer(label: "encode", name: "encode", arguments: ["encode"], stdin: f.messageJSON + "\n"),
            Writer(label: "encode query", name: "encode query", arguments: ["encode", "query"], stdin: ""),
            Writer(label: "parse-tag", name: "parse-tag", arguments: ["parse-tag"], stdin: "?OTRv23?\n"),
            Writer(label: "fingerprint", name: "fingerprint", arguments: ["fingerprint", f.keyFile], stdin: ""),
            Writer(label: "derive mac-key", name: "derive mac-key", arguments: ["derive", "mac-key", "--aes-key", "hex:\(aesKey)"],
                   stdin: ""),
            Writer(label: "forge reencrypt", name: "forge reencrypt",
                   arguments: ["forge", "reencrypt", "--aes-key", "hex:\(aesKey)", "--text", "forged"], stdin: f.message + "\n"),
            Writer(label: "forge transcript", name: "forge transcript", arguments: ["forge", "transcript"], stdin: f.message + "\n"),
            Writer(label: "--help", name: "", arguments: ["--help"], stdin: ""),
            Writer(label: "--version", name: "", arguments: ["--version"], stdin: ""),
        ]
    }

    /// The diagnostics of a run, without --seed's warnings.
    static func errors(_ result: Tool.Result) -> [String] {
        result.err.split(separator: "\n").map(String.init).filter { !$0.contains(": WARNING: ") }
    }

    static func expectedError(_ writer: Writer, _ reason: String) -> String {
        (writer.name.isEmpty ? "otrtool" : "otrtool \(writer.name)") + ": cannot write standard output: " + reason
    }

    @Test("each writer writes something when standard output works", arguments: writers)
    func writesWhenItCan(_ writer: Writer) throws {
        let result = try Tool.run(writer.arguments, input: writer.stdin)
        #expect(result.status == 0, "\(writer.label): \(result.err)")
        #expect(!result.stdout.isEmpty, "\(writer.label)")
    }

    @Test("standard output on /dev/full: status 74 and one line naming the failure", arguments: writers)
    func fullDevice(_ writer: Writer) throws {
        let result = try Shell.run("exec " + Shell.command(writer.arguments) + " > /dev/full", stdin: Data(writer.stdin.utf8))
        #expect(result.status == 74, "\(writer.label): \(result.err)")
        #expect(Self.errors(result) == [Self.expectedError(writer, "No space left on device")], "\(writer.label)")
    }

    @Test("standard output closed: status 74 and one line naming the failure", arguments: writers)
    func closedOutput(_ writer: Writer) throws {
        let result = try Shell.run("exec " + Shell.command(writer.arguments) + " >&-", stdin: Data(writer.stdin.utf8))
        #expect(result.status == 74, "\(writer.label): \(result.err)")
        #expect(Self.errors(result) == [Self.expectedError(writer, "Bad file descriptor")], "\(writer.label)")
    }

    @Test("keygen --key-file with standard output closed writes the key file, and says the report is lost")
    func keyFileWrittenReportLost() throws {
        let dir = try TemporaryDirectory("write-failures-keyfile")
        let file = dir.path("k.key")
        let result = try Shell.run("exec " + Shell.command(["keygen", "--account", "a", "--protocol", "p", "--key-file", file,
                                                           "--seed", "s"]) + " >&-")
        #expect(result.status == 74, "\(result.err)")
        #expect(Self.errors(result) == ["otrtool keygen: cannot write standard output: Bad file descriptor"])
        // The report did not land in the key file, which took descriptor 1's place.
        let listed = try Tool.run(["fingerprint", file])
        #expect(listed.status == 0 && listed.lines.count == 1, "\(listed.err)")
    }

    @Test("a diagnostic that cannot be written makes the status 74; a run with none is unaffected")
    func fullStandardError() throws {
        let malformed = try Shell.run("exec \"$0\" decode 2>/dev/full", stdin: Data("?OTR:AAMD.\n".utf8))
        #expect(malformed.status == 74)
        let clean = try Shell.run("exec \"$0\" parse-tag 2>/dev/full", stdin: Data("?OTRv3?\n".utf8))
        #expect(clean.status == 0)
        #expect(clean.out.contains("3"))
    }

    // MARK: A reader that goes away

    /// The line-by-line commands, each on a large input of lines it reports.
    static let pipeCommands: [[String]] = [["decode"], ["decode", "--json"], ["fragment", "join"], ["parse-tag", "--json"]]

    /// 16 MiB of plaintext lines, far more than anything reads ahead.
    static func largeInput() throws -> (TemporaryDirectory, String, Int) {
        let dir = try TemporaryDirectory("write-failures-pipe")
        let line = Data("a line of plain text that every command reports, one of many\n".utf8)
        var data = Data(capacity: 16 << 20)
        while data.count < 16 << 20 { data.append(line) }
        let path = dir.path("input")
        try data.write(to: URL(fileURLWithPath: path))
        return (dir, path, data.count)
    }

    /// Runs `arguments` on the large input into a pipe, reads a little of
    /// its output, closes the pipe, and waits (bounded) for it to end.
    /// Returns how it ended and how much of the input it had read.
    static func closeEarly(_ executable: URL, _ arguments: [String]) throws -> (Process, stderr: String, consumed: Int, size: Int) {
        let (dir, path, size) = try largeInput()
        let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        let errPath = dir.path("stderr")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let errHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let output = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errHandle
        try process.run()
        let first = output.fileHandleForReading.readData(ofLength: 4096)
        #expect(!first.isEmpty, "\(arguments): no output before the pipe was closed")
        try output.fileHandleForReading.close()
        // A bound on the wait, not a measure of speed: a run that goes on
        // reading the whole input is caught by the input consumed below.
        var waited = 0
        while process.isRunning && waited < 1200 {
            usleep(100_000)
            waited += 1
        }
        if process.isRunning {
            process.terminate()
            Issue.record("\(arguments): still running two minutes after its reader left")
        }
        process.waitUntilExit()
        // The child shared this descriptor's offset: where it stopped reading.
        let consumed = Int(lseek(input.fileDescriptor, 0, SEEK_CUR))
        try input.close()
        try errHandle.close()
        return (process, try String(contentsOfFile: errPath, encoding: .utf8), consumed, size)
    }

    @Test("a pipe closed early ends the run through SIGPIPE, quietly, having read little of the input",
          arguments: pipeCommands)
    func pipeClosedEarly(_ arguments: [String]) throws {
        let (process, stderr, consumed, size) = try Self.closeEarly(Tool.binary, arguments)
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE,
                "\(arguments): ended with \(process.terminationStatus): \(stderr.prefix(300))")
        #expect(stderr.isEmpty, "\(arguments): \(stderr.prefix(300))")
        #expect(consumed > 0 && consumed < size / 4, "\(arguments): read \(consumed) of \(size) bytes")
    }

    @Test("with SIGPIPE ignored, a pipe closed early is a failed write: 74, one line, having read little of the input",
          arguments: pipeCommands)
    func pipeClosedEarlySIGPIPEIgnored(_ arguments: [String]) throws {
        let (process, stderr, consumed, size) = try Self.closeEarly(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "trap '' PIPE; exec \"$0\" \"$@\"", Tool.binary.path] + arguments)
        #expect(process.terminationReason == .exit && process.terminationStatus == 74,
                "\(arguments): ended with \(process.terminationStatus): \(stderr.prefix(300))")
        let name = arguments.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
        #expect(stderr == "otrtool \(name): cannot write standard output: Broken pipe\n", "\(arguments)")
        #expect(consumed > 0 && consumed < size / 4, "\(arguments): read \(consumed) of \(size) bytes")
    }
}
