#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Buffered writer over a file descriptor: output is written in large
/// blocks, not a syscall per line, which matters for multi-megabyte runs.
final class OutputSink {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    private(set) var failed = false

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(capacity)
    }

    static func standardOutput() -> OutputSink { OutputSink(fd: 1) }

    func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in append { $0.append(contentsOf: utf8) } }
    }

    func writeLine(_ text: String) {
        write(text)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= capacity { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    func write(bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    /// Appends straight into the output buffer, for writers that produce
    /// megabytes (decode's hex fields) without building Strings.
    func append(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        if buffer.count >= capacity { flush() }
    }

    /// Text report rows, written into the buffer in place (the buffer is
    /// moved into the writer and back, never copied).
    func writeRows(_ body: (inout TextRows) -> Void) {
        var rows = TextRows()
        swap(&rows.bytes, &buffer)
        body(&rows)
        swap(&rows.bytes, &buffer)
        if buffer.count >= capacity { flush() }
    }

    /// One JSON value and a newline, rendered into the buffer.
    func writeLine(_ json: JSON) {
        append { json.render(into: &$0); $0.append(0x0a) }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                failed = true
                break
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}

/// Writes one diagnostic line to standard error, unbuffered.
func writeStandardError(_ line: String) {
    var text = line + "\n"
    text.withUTF8 { p in
        var offset = 0
        while offset < p.count {
            let n = Glibc.write(2, p.baseAddress! + offset, p.count - offset)
            if n <= 0 { if n < 0 && errno == EINTR { continue }; break }
            offset += n
        }
    }
}
