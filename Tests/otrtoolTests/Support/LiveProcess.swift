import Foundation
import Testing

/// A program that reads one line at a time and answers with JSON Lines
/// ending in a "done" event: the libotr peer and the python-potr peer in
/// `receive` mode, and `otrtool session --json`. Sending a line returns
/// the events it caused, so a test can drive a conversation step by step.
final class LiveProcess {
    let name: String
    let process = Process()
    let input = Pipe()
    let output = Pipe()
    var buffer = Data()
    /// Every event received so far, in order.
    private(set) var events: [[String: Any]] = []

    init(name: String, executable: URL, arguments: [String]) throws {
        // A party that ended is an error of the test that talks to it, not
        // a signal that ends the whole test run.
        signal(SIGPIPE, SIG_IGN)
        self.name = name
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
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
        do {
            try input.fileHandleForWriting.write(contentsOf: Data((line + "\n").utf8))
        } catch {
            throw PeerError("\(name) ended before reading \(line.prefix(60)): \(error)")
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

    func close() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
