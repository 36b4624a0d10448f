import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Reads lines from a file descriptor in blocks, without ever holding more
/// than `maximumLineLength` bytes of one line: a longer line is skipped to
/// its end and reported, so a hostile 1 GB line costs no memory.
public struct LineReader {
    public enum Line {
        /// A line without its terminator ("\n", and a "\r" before it).
        case text([UInt8])
        /// A line longer than the limit; `length` bytes were skipped.
        case tooLong(length: Int)
    }

    /// Default limit: far above any chat message (a 64 KiB OTR message
    /// base64-wrapped is under 100 KB), low enough to bound memory.
    public static let defaultMaximumLineLength = 16 << 20

    private let fd: Int32
    private let maximumLineLength: Int
    /// The byte ending a record: newline, or NUL for `-z` style input.
    private let delimiter: UInt8
    private var block: [UInt8]
    private var blockStart = 0
    private var blockEnd = 0
    private var atEOF = false
    public private(set) var readError: Int32? = nil

    public init(fd: Int32, maximumLineLength: Int = LineReader.defaultMaximumLineLength, delimiter: UInt8 = 0x0a) {
        self.fd = fd
        self.maximumLineLength = maximumLineLength
        self.delimiter = delimiter
        self.block = [UInt8](repeating: 0, count: 1 << 16)
    }

    private mutating func refill() -> Bool {
        if atEOF { return false }
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                readError = errno
                atEOF = true
                return false
            }
            if n == 0 {
                atEOF = true
                return false
            }
            blockStart = 0
            blockEnd = n
            return true
        }
    }

    /// The line being read. Kept between calls: once the caller has let go
    /// of the previous line its storage is reused, not allocated anew.
    private var line: [UInt8] = []

    /// The next line, or nil at end of input.
    public mutating func next() -> Line? {
        line.removeAll(keepingCapacity: true)
        var length = 0
        var sawAnything = false
        while true {
            if blockStart == blockEnd {
                if !refill() {
                    guard sawAnything else { return nil }
                    break
                }
            }
            sawAnything = true
            let newline = block.withUnsafeBytes { raw -> Int? in
                let start = raw.baseAddress! + blockStart
                guard let hit = memchr(start, Int32(delimiter), blockEnd - blockStart) else { return nil }
                return UnsafeRawPointer(raw.baseAddress!).distance(to: UnsafeRawPointer(hit))
            }
            let end = newline ?? blockEnd
            let chunk = end - blockStart
            if length + chunk <= maximumLineLength {
                line.append(contentsOf: block[blockStart..<end])
            } else if length <= maximumLineLength {
                line = []  // drop what we had (and its storage); the line is over the limit
            }
            length += chunk
            blockStart = end
            if newline != nil {
                blockStart += 1
                break
            }
        }
        if length > maximumLineLength {
            return .tooLong(length: length)
        }
        if delimiter == 0x0a, line.last == 0x0d { line.removeLast() }
        return .text(line)
    }
}
