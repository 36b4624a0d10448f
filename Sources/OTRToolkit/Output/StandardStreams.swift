#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif
import Synchronization
import OTR

/// What a failed write to standard output or standard error does; every
/// byte otrtool prints goes through `OutputSink` or `writeStandardError`.
///
/// Standard output carries the results (a key, messages, reports). Once
/// a write to it fails nothing more reaches the reader, and a run that
/// went on would end as a success with its output lost, so the first
/// failure ends the run at once, from whichever thread wrote: one line on
/// standard error and status 74. A write to a pipe whose reader has gone
/// ends the process through SIGPIPE, quietly, as for cat and grep; when
/// SIGPIPE is ignored it fails with EPIPE and is such a failure.
///
/// Standard error carries the diagnostics. A failure there cannot be
/// reported; the run goes on and ends with status 74.
public enum StandardStreams {
    private static let errorWriteFailed = Atomic<Bool>(false)

    /// Descriptors 0, 1 and 2, when not open, are held open on /dev/null
    /// the wrong way round (writing to 1 or 2, or reading 0, fails with
    /// EBADF): otherwise the first file otrtool opens would take the
    /// number, and a report meant for standard output would land in it.
    public static func holdClosedDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let held = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
            if held >= 0, held != fd {
                dup2(held, fd)
                close(held)
            }
        }
    }

    /// Writes all of `bytes` to `fd`; the errno of a failure, or nil.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard var next = bytes.baseAddress else { return nil }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, next, left)
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK:
                    // A descriptor someone else made non-blocking: wait until it takes more.
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&ready, 1, -1)
                    continue
                default: return errno
                }
            }
            if n == 0 { return EIO }
            next += n
            left -= n
        }
        return nil
    }

    /// Ends the run after a failed write to standard output.
    public static func outputFailed(_ code: Int32) -> Never {
        writeStandardError("\(commandName): cannot write standard output: \(String(cString: strerror(code)))")
        exit(ExitStatus.ioError.rawValue)
    }

    public static func errorFailed() {
        errorWriteFailed.store(true, ordering: .relaxed)
    }

    /// Ends the process with `status`, or 74 when a diagnostic could not
    /// be written.
    public static func end(_ status: Int32) -> Never {
        exit(errorWriteFailed.load(ordering: .relaxed) ? ExitStatus.ioError.rawValue : status)
    }

    /// The names of the commands the leading arguments choose, from the
    /// root down; the executable sets it, since only it knows its commands.
    nonisolated(unsafe) public static var commandPath: (ArraySlice<String>) -> [String] = { _ in [] }

    /// "otrtool" and the names of the command the arguments choose
    /// ("otrtool fragment split"), as diagnostics name it.
    public static var commandName: String {
        (["otrtool"] + commandPath(ArgumentBytes.arguments.dropFirst())).joined(separator: " ")
    }
}

/// Buffered writer of standard output: output is written in large blocks,
/// not a syscall per line, which matters for multi-megabyte runs. A
/// failed write ends the run (`StandardStreams`).
public final class OutputSink {
    /// Writers that produce megabytes (decode's text rows) write into it
    /// directly, then call `flushIfFull()`: a closure would capture, and
    /// copy, what they write from.
    public var buffer: OutputBuffer
    private let capacity = 1 << 16
    private let descriptor: Int32

    /// A writer of `descriptor` (an in-process run writes into a file of
    /// its own); a failed write ends the run as one to standard output does.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer = OutputBuffer(capacity: capacity + capacity / 4)
    }

    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1) }

    public func write(_ text: String) {
        buffer.append(text)
        flushIfFull()
    }

    public func writeLine(_ text: String) {
        buffer.append(text)
        endLine()
    }

    /// Ends the line a writer put into `buffer` itself.
    public func endLine() {
        buffer.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    public func write(bytes: [UInt8]) {
        buffer.append(bytes)
        flushIfFull()
    }

    public func write(bytes: ArraySlice<UInt8>) {
        buffer.append(bytes)
        flushIfFull()
    }

    /// One JSON value and a newline, rendered into the buffer.
    public func writeLine(_ json: JSON) {
        json.render(into: &buffer)
        endLine()
    }

    public func flushIfFull() {
        if buffer.count >= capacity { flush() }
    }

    public func flush() {
        if let failure = StandardStreams.writeAll(descriptor, buffer.bytes) {
            StandardStreams.outputFailed(failure)
        }
        buffer.removeAll()
    }

    deinit { flush() }
}

/// Writes one diagnostic line to standard error, unbuffered. It may quote
/// input (a file name, a field, an argument): its control characters are
/// escaped (`TextEscaping.line`), so that it stays one line and a terminal
/// shows it as it is.
public func writeStandardError(_ line: String) {
    var text = TextEscaping.line(line) + "\n"
    let failure = text.withUTF8 { StandardStreams.writeAll(2, UnsafeRawBufferPointer($0)) }
    if failure != nil { StandardStreams.errorFailed() }
}

/// A text of several lines (an error that quotes an argument) written to
/// standard error line by line, each escaped like any diagnostic.
public func writeStandardErrorLines(_ text: String) {
    var message = Substring(text)
    while message.last == "\n" { message.removeLast() }
    for line in message.split(separator: "\n", omittingEmptySubsequences: false) { writeStandardError(String(line)) }
}
