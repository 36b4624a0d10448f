import Foundation

/// Runs otrtool on hostile input where what matters is how much it writes
/// and whether it finishes: standard output and standard error are
/// counted as they stream, not kept (some inputs once made gigabytes;
/// only the end of standard output is kept, for checks that the run went
/// on), the child gets 1 GiB of address space, and it is killed once
/// `timeLimit` seconds have passed. The limit is generous: the inputs are
/// sized to take a second or two when the work is linear in them and
/// minutes when it is quadratic, so no test depends on how fast the
/// machine is.
enum MeasuredRun {
    struct Result {
        /// The exit status; 128 + N when killed by signal N.
        var status: Int32
        var outputBytes: Int
        var errorBytes: Int
        /// Whether the run was killed for taking longer than its limit.
        var timedOut: Bool
        /// The last bytes of standard output (up to `keptBytes`).
        var outputTail: Data
        /// The last bytes of standard error (up to `keptBytes`).
        var errorTail: Data

        var lastLines: [String] {
            String(decoding: outputTail, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        var errorLines: [String] {
            String(decoding: errorTail, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    static let memoryKB = 1 << 20
    static let keptBytes = 1 << 16

    static func run(_ arguments: [String], input: Data, timeLimit: TimeInterval = 120) throws -> Result {
        let dir = try TemporaryDirectory("measured")
        let inputPath = dir.path("input")
        try input.write(to: URL(fileURLWithPath: inputPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // exec: the process killed on time is otrtool itself.
        process.arguments = ["-c", "ulimit -v \(memoryKB) || exit 99; exec \"$0\" \"$@\"", Tool.binary.path] + arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        let outCounter = StreamCounter(out.fileHandleForReading), errCounter = StreamCounter(err.fileHandleForReading)
        try process.run()
        let timedOut = finished.wait(timeout: .now() + timeLimit) == .timedOut
        if timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        outCounter.wait()
        errCounter.wait()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Result(status: status, outputBytes: outCounter.count, errorBytes: errCounter.count, timedOut: timedOut,
                      outputTail: outCounter.tail, errorTail: errCounter.tail)
    }

    /// Reads a pipe to its end on a thread of its own, counting the bytes
    /// and keeping the last `keptBytes` of them.
    final class StreamCounter: @unchecked Sendable {
        private(set) var count = 0
        private(set) var tail = Data()
        private let done = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    count += chunk.count
                    tail.append(chunk)
                    if tail.count > 2 * MeasuredRun.keptBytes { tail = tail.suffix(MeasuredRun.keptBytes) }
                }
                if tail.count > MeasuredRun.keptBytes { tail = Data(tail.suffix(MeasuredRun.keptBytes)) }
                done.signal()
            }
        }

        /// Waits for the end of the stream (after which count and tail are final).
        func wait() { done.wait() }
    }
}
