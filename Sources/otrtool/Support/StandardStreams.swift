#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Buffered writer over a file descriptor: output is written in large
/// blocks, not a syscall per line, which matters for multi-megabyte runs.
final class OutputSink {
    private let fd: Int32
    /// Writers that produce megabytes (decode's text rows) write into it
    /// directly, then call `flushIfFull()`: a closure would capture, and
    /// copy, what they write from.
    var buffer: OutputBuffer
    private let capacity = 1 << 16
    private(set) var failed = false

    init(fd: Int32) {
        self.fd = fd
        buffer = OutputBuffer(capacity: capacity + capacity / 4)
    }

    static func standardOutput() -> OutputSink { OutputSink(fd: 1) }

    func write(_ text: String) {
        buffer.append(text)
        flushIfFull()
    }

    func writeLine(_ text: String) {
        buffer.append(text)
        buffer.append(UInt8(ascii: "\n"))
        flushIfFull()
    }

    func write(bytes: [UInt8]) {
        buffer.append(bytes)
        flushIfFull()
    }

    func write(bytes: ArraySlice<UInt8>) {
        buffer.append(bytes)
        flushIfFull()
    }

    /// One JSON value and a newline, rendered into the buffer.
    func writeLine(_ json: JSON) {
        json.render(into: &buffer)
        buffer.append(0x0a)
        flushIfFull()
    }

    func flushIfFull() {
        if buffer.count >= capacity { flush() }
    }

    func flush() {
        var offset = 0
        let bytes = buffer.bytes
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                failed = true
                break
            }
            offset += n
        }
        buffer.removeAll()
    }

    deinit { flush() }
}

/// Writes one diagnostic line to standard error, unbuffered. It may quote
/// input (a file name, a field, an argument): its control characters are
/// escaped (`TextEscaping.line`), so that it stays one line and a terminal
/// shows it as it is.
func writeStandardError(_ line: String) {
    var text = TextEscaping.line(line) + "\n"
    text.withUTF8 { p in
        var offset = 0
        while offset < p.count {
            let n = Glibc.write(2, p.baseAddress! + offset, p.count - offset)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
            offset += n
        }
    }
}
