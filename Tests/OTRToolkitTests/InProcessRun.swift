import Foundation
import OTR
import OTRToolkit
#if canImport(Glibc)
import Glibc
#endif

/// A command run in process, as the executable would run it but with its
/// standard input and output in files of the test's own and its
/// diagnostics kept: what it wrote, the lines it reported, the status it
/// would exit with. Only the command line itself (argument parsing, the
/// process's streams and signals) is left to the end-to-end tests.
struct InProcessRun {
    var stdout: [UInt8]
    /// The diagnostics, one line each, as they would reach standard error.
    var errors: [String]
    var status: ExitStatus

    var out: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }

    /// Standard output as JSON Lines.
    func jsonLines() throws -> [[String: Any]] {
        try lines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw RunError("not a JSON object: \(line)")
            }
            return object
        }
    }

    struct RunError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// `decode` over `input` as standard input ("-").
    static func decode(_ input: [UInt8], json: Bool = true, explain: Bool = false, showKeys: Bool = false,
                       keys: CaptureKeys = CaptureKeys(), maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> InProcessRun {
        try run(command: "decode", input: input) { stdin, out, diagnostics in
            try DecodeSession.run(keys: keys, json: json, showKeys: showKeys, explain: explain,
                                  lines: InputLines(sources: ["-"], maximumLineLength: maximumLineLength, standardInput: stdin),
                                  out: out, diagnostics: diagnostics)
        }
    }

    /// `encode` (its JSON Lines form) over `input` as standard input.
    static func encode(_ input: [UInt8], builder: MessageBuilder = MessageBuilder(),
                       output: EncodeOutput = EncodeOutput(xmppTo: nil, xmppFrom: nil, json: false)) throws -> InProcessRun {
        try run(command: "encode", input: input) { stdin, out, diagnostics in
            JSONLinesEncoder(builder: builder, output: output)
                .encode(InputLines(sources: ["-"], maximumLineLength: LineReader.defaultMaximumLineLength, standardInput: stdin),
                        out: out, diagnostics: diagnostics)
        }
    }

    /// `parse-tag` over `input` as standard input.
    static func parseTag(_ input: [UInt8], json: Bool = false,
                         maximumLineLength: Int = LineReader.defaultMaximumLineLength) throws -> InProcessRun {
        try run(command: "parse-tag", input: input) { stdin, out, diagnostics in
            ParseTagScan(json: json).scan(InputLines(sources: ["-"], maximumLineLength: maximumLineLength, standardInput: stdin),
                                          out: out, diagnostics: diagnostics)
        }
    }

    /// `fragment split` over `input` as standard input: line by line, or
    /// whole (`--whole`); records end at `terminator` (`-z`: NUL).
    static func fragmentSplit(_ input: [UInt8], size: Int, form: FragmentSplitter.FormChoice = .auto, sender: UInt32? = nil,
                              receiver: UInt32? = nil, padded: Bool = true, json: Bool = false, whole: Bool = false,
                              terminator: UInt8 = 0x0a) throws -> InProcessRun {
        try run(command: "fragment split", input: input) { stdin, out, diagnostics in
            let splitter = FragmentSplitter(options: .init(form: form, sender: sender, receiver: receiver, maximumSize: size,
                                                           padded: padded, json: json, terminator: terminator),
                                            out: out, diagnostics: diagnostics)
            let limit = LineReader.defaultMaximumLineLength
            if whole {
                splitter.split(wholeSources: ["-"], limit: limit, standardInput: stdin)
            } else {
                splitter.split(lines: InputLines(sources: ["-"], maximumLineLength: limit, delimiter: terminator, standardInput: stdin))
            }
        }
    }

    /// `fragment join` over `input` as standard input, with its default limits.
    static func fragmentJoin(_ input: [UInt8], json: Bool = false, terminator: UInt8 = 0x0a) throws -> InProcessRun {
        try run(command: "fragment join", input: input) { stdin, out, diagnostics in
            FragmentJoiner(maximumMessageLength: Reassembler.defaultMaximumMessageLength,
                           maximumPendingMessages: Reassembler.defaultMaximumPendingMessages, json: json)
                .join(InputLines(sources: ["-"], maximumLineLength: LineReader.defaultMaximumLineLength, delimiter: terminator,
                                 standardInput: stdin), out: out, diagnostics: diagnostics)
        }
    }

    /// Runs `body` with a descriptor holding `input`, an output sink and
    /// diagnostics of the run's own, then ends the run as a command does:
    /// output flushed, the worst status reported (or the one thrown).
    static func run(command: String, input: [UInt8],
                    _ body: (_ stdin: Int32, _ out: OutputSink, _ diagnostics: Diagnostics) throws -> Void) throws -> InProcessRun {
        let stdin = try temporaryFile(holding: input), stdout = try temporaryFile(holding: [])
        defer {
            close(stdin)
            close(stdout)
        }
        let kept = KeptLines()
        let diagnostics = Diagnostics(command: command) { kept.append($0) }
        var status = ExitStatus.success
        do {
            let out = OutputSink(descriptor: stdout)
            defer { out.flush() }
            try body(stdin, out, diagnostics)
            out.flush()
            try diagnostics.finish()
        } catch {
            status = ExitStatus(for: error)
        }
        return InProcessRun(stdout: try contents(of: stdout), errors: kept.lines, status: status)
    }

    /// An unnamed file (unlinked at once) holding `bytes`, read from its start.
    private static func temporaryFile(holding bytes: [UInt8]) throws -> Int32 {
        var template = Array((NSTemporaryDirectory() + "/otrtool-run-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw RunError("mkstemp: \(String(cString: strerror(errno)))") }
        unlink(template)
        try bytes.withUnsafeBytes { buffer in
            if let failure = StandardStreams.writeAll(fd, buffer) { throw RunError("write: \(String(cString: strerror(failure)))") }
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }

    private static func contents(of fd: Int32) throws -> [UInt8] {
        lseek(fd, 0, SEEK_SET)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw RunError("read: \(String(cString: strerror(errno)))") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }
}

/// Lines reported from whichever thread reports them.
private final class KeptLines: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []
    func append(_ line: String) { lock.withLock { kept.append(line) } }
    var lines: [String] { lock.withLock { kept } }
}
