import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Reads a whole source for `split --whole`, within the line limit ("-"
/// is `standardInput`, as for `InputLines`).
public enum WholeInput {
    public static func read(_ source: String, limit: Int, standardInput: Int32 = 0) -> Result<[UInt8], Problem> {
        let fd: Int32
        switch InputFile.open(source, standardInput: standardInput) {
        case .success(let opened): fd = opened
        case .failure(let problem): return .failure(problem)
        }
        defer { if source != "-" { InputFile.close(fd) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Problem("reading \(InputFile.name(source)): \(String(cString: strerror(errno)))", status: .ioError))
            }
            if n == 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > limit + 2 {
                return .failure(Problem("\(InputFile.name(source)) holds more than --max-line-length \(limit) bytes; skipped",
                                        status: .malformedInput))
            }
        }
        return .success(bytes)
    }
}
