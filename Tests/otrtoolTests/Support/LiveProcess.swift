import Foundation
import Testing

/// A program that reads one line at a time and answers with JSON Lines
/// ending in a "done" event: the libotr peer and the python-potr peer in
/// `receive` mode, and `otrtool session --json`. Sending a line returns
/// the events it caused, so a test can drive a conversation step by step.
final class LiveProcess {
    let name: String
    let process = Process()
    /// Our end of the party's standard input: a socket, written with
    /// MSG_NOSIGNAL, so that a party that ended is an error of the test
    /// talking to it, not a SIGPIPE that ends the whole run (and SIGPIPE
    /// keeps its default for every other process the tests start).
    private let input: Int32
    let output = Pipe()
    var buffer = Data()
    /// Every event received so far, in order.
    private(set) var events: [[String: Any]] = []

    init(name: String, executable: URL, arguments: [String]) throws {
        self.name = name
        var ends: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else {
            throw PeerError("socketpair: \(String(cString: strerror(errno)))")
        }
        input = ends[1]
        let theirs = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true)
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = theirs
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try theirs.close()
    }

    /// The libotr peer (Tests/Peers/libotr) with these arguments.
    static func libotr(_ arguments: [String], name: String = "libotr") throws -> LiveProcess {
        try LiveProcess(name: name, executable: try Peers.libotr(), arguments: arguments)
    }

    /// The python-potr peer (Tests/Peers/potr) with these arguments.
    static func potr(_ arguments: [String], name: String = "potr") throws -> LiveProcess {
        try LiveProcess(name: name, executable: Peers.python, arguments: [Peers.potrScript.path] + arguments)
    }

    /// otrtool with these arguments.
    static func otrtool(_ arguments: [String], name: String = "otrtool") throws -> LiveProcess {
        try LiveProcess(name: name, executable: Tool.binary, arguments: arguments)
    }

    /// The libotr peer's escapes for a wire message on one line.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
            .replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\t", with: "\\t")
    }

    /// `{"text": ...}`: a wire message as one JSON line, which otrtool
    /// session and the potr peer both read.
    static func jsonLine(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["text": text], options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `line` and returns the events up to its "done" event.
    func send(_ line: String) throws -> [[String: Any]] {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(input, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw PeerError("\(name) ended before reading \(line.prefix(60)): \(String(cString: strerror(errno)))") }
            offset += n
        }
        var caused: [[String: Any]] = []
        while true {
            while let newline = buffer.firstIndex(of: 0x0a) {
                let lineData = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                guard let object = try JSONSerialization.jsonObject(with: lineData) as? [String: Any] else {
                    throw PeerError("\(name) wrote a line that is not a JSON object: \(String(decoding: lineData, as: UTF8.self))")
                }
                if object["event"] as? String == "done" { return caused }
                caused.append(object)
                events.append(object)
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw PeerError("\(name) ended before answering \(line.prefix(60))") }
            buffer.append(chunk)
        }
    }

    /// Between two otrtool sessions: hands the wire messages of `events`
    /// to `first`, its answers to `second`, and so on until both are quiet.
    static func relay(_ events: [[String: Any]], to first: LiveProcess, then second: LiveProcess) throws {
        var pending = events, target = first, other = second
        while true {
            let wires = pending.filter { $0["event"] as? String == "wire" }.compactMap { $0["text"] as? String }
            if wires.isEmpty { return }
            pending = try wires.flatMap { try target.send(jsonLine($0)) }
            swap(&target, &other)
        }
    }

    private var closed = false

    func close() {
        if !closed {
            closed = true
            Glibc.close(input)
        }
        process.waitUntilExit()
    }
}
