import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Writes key material the way DESIGN.md asks: a temporary file in the
/// target's directory, created exclusively with mode 0600, written,
/// fsync'd, then moved into place, so a reader never sees half a file and
/// the secret is never readable by others, even for a moment.
enum SecureFileWriter {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        let status: ExitStatus
    }

    /// Writes `bytes` to `path`. When `replacingExisting` is false the file
    /// must not exist (the final step is link(2), which refuses to clobber);
    /// when true the caller has read the old file and this replaces it.
    static func write(_ bytes: some ContiguousOctets, to path: String, replacingExisting: Bool) throws {
        let directory = parentDirectory(of: path)
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Failure(description: "cannot create a temporary file in \(directory): \(errnoText())", status: .cannotCreate)
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var committed = false
        defer { if !committed { unlink(temporary) } }
        do {
            defer { close(fd) }
            guard fchmod(fd, 0o600) == 0 else {
                throw Failure(description: "cannot set mode 0600 on \(temporary): \(errnoText())", status: .cannotCreate)
            }
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw Failure(description: "writing \(temporary): \(errnoText())", status: .ioError)
                    }
                    offset += n
                }
            }
            guard fsync(fd) == 0 else {
                throw Failure(description: "fsync \(temporary): \(errnoText())", status: .ioError)
            }
        }
        if replacingExisting {
            guard rename(temporary, path) == 0 else {
                throw Failure(description: "cannot replace \(path): \(errnoText())", status: .cannotCreate)
            }
        } else {
            guard link(temporary, path) == 0 else {
                let reason = errno == EEXIST ? "it already exists" : errnoText()
                throw Failure(description: "cannot create \(path): \(reason)", status: .cannotCreate)
            }
            unlink(temporary)
        }
        committed = true
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}

/// Reads a whole input file, or standard input for "-", refusing more
/// than `limit` bytes without reading further: a hostile 1 GB file costs
/// `limit` bytes of memory, not a gigabyte.
enum FileContents {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        let status: ExitStatus
    }

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd: Int32 = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw Failure(description: "cannot open \(path): \(errnoText())", status: .noInput)
        }
        defer { if fd != 0 { close(fd) } }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "reading \(displayName(path)): \(errnoText())", status: .ioError)
            }
            if n == 0 { break }
            out += chunk[0..<n]
            if out.count > limit {
                throw Failure(description: "\(displayName(path)) is larger than \(limit) bytes; not a key or fingerprint file",
                              status: .malformedInput)
            }
        }
        return out
    }

    static func displayName(_ path: String) -> String { path == "-" ? "standard input" : path }
}

func errnoText() -> String { String(cString: strerror(errno)) }

extension Diagnostics {
    /// Reports a problem that ends the run and returns the error to throw.
    func fatal(_ location: String?, _ message: String, status: ExitStatus) -> ExitCodeError {
        report(location, message, status: status)
        return ExitCodeError(self.status)
    }
}
