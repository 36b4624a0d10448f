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
public enum SecureFileWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let status: ExitStatus
    }

    /// Writes `bytes` to `path`. When `replacingExisting` is false the file
    /// must not exist (the final step is link(2), which refuses to clobber);
    /// when true the caller has read the old file and this replaces it.
    public static func write(_ bytes: some ContiguousOctets, to path: String, replacingExisting: Bool) throws {
        let directory = parentDirectory(of: path)
        let temporary = try createTemporary(in: directory, for: path)
        var committed = false
        defer { if !committed { unlink(temporary.name) } }
        do {
            defer { close(temporary.fd) }
            guard fchmod(temporary.fd, 0o600) == 0 else {
                throw Failure(description: "cannot set mode 0600 on \(temporary.shown): \(errnoText())", status: .cannotCreate)
            }
            let failure = bytes.withUnsafeBytes { StandardStreams.writeAll(temporary.fd, $0) }
            if let failure {
                throw Failure(description: "writing \(temporary.shown): \(String(cString: strerror(failure)))", status: .ioError)
            }
            guard fsync(temporary.fd) == 0 else {
                throw Failure(description: "fsync \(temporary.shown): \(errnoText())", status: .ioError)
            }
        }
        let target = path.argumentBytes + [0]
        if replacingExisting {
            guard rename(temporary.name, target.cString) == 0 else {
                throw Failure(description: "cannot replace \(path.argumentText): \(errnoText())", status: .cannotCreate)
            }
        } else {
            guard link(temporary.name, target.cString) == 0 else {
                let reason = errno == EEXIST ? "it already exists" : errnoText()
                throw Failure(description: "cannot create \(path.argumentText): \(reason)", status: .cannotCreate)
            }
            unlink(temporary.name)
        }
        committed = true
        let dirFD = directory.withArgumentCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    /// Checks, before the work that makes its contents, that `write` can
    /// create `path`: it names no directory, and a file can be created
    /// beside it (tried for real: permissions alone do not tell, e.g. for
    /// root or on a read-only file system).
    public static func checkTarget(_ path: String, option: String) throws {
        guard !path.isEmpty else {
            throw Failure(description: "\(option) needs a file name, not an empty one", status: .usage)
        }
        var st = stat()
        if path.withArgumentCString({ stat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFDIR {
            throw Failure(description: "cannot create \(path.argumentText): \(String(cString: strerror(EISDIR)))",
                          status: .cannotCreate)
        }
        let probe = try createTemporary(in: parentDirectory(of: path), for: path)
        close(probe.fd)
        unlink(probe.name)
    }

    /// A file of our own beside `path`, created exclusively (mkstemp:
    /// mode 0600 and a name no one else has).
    private static func createTemporary(in directory: String, for path: String) throws -> (fd: Int32, name: [CChar], shown: String) {
        let base = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        var template = ("\(directory)/.\(base).tmp-XXXXXX").argumentBytes.map { CChar(bitPattern: $0) } + [0]
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Failure(description: "cannot create a temporary file in \(directory.argumentText): \(errnoText())",
                          status: .cannotCreate)
        }
        let shown = template.withUnsafeBufferPointer { buffer in
            ArgumentBytes.string(from: UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                                           count: buffer.count - 1)).argumentText
        }
        return (fd, template, shown)
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return path.withArgumentCString { lstat($0, &st) } == 0
    }
}

/// Reads a whole input file, or standard input for "-", refusing more
/// than `limit` bytes without reading further: a hostile 1 GB file costs
/// `limit` bytes of memory, not a gigabyte.
public enum FileContents {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let status: ExitStatus
    }

    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd: Int32
        switch InputFile.open(path) {
        case .success(let opened): fd = opened
        case .failure(let failure): throw Failure(description: failure.description, status: failure.status)
        }
        defer { InputFile.close(fd) }
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

    public static func displayName(_ path: String) -> String { InputFile.name(path) }
}

public func errnoText() -> String { String(cString: strerror(errno)) }

extension [UInt8] {
    /// NUL-terminated bytes as the C string the system calls take.
    public var cString: [CChar] { map { CChar(bitPattern: $0) } }
}

extension Diagnostics {
    /// Reports a problem that ends the run and returns the error to throw.
    public func fatal(_ location: String?, _ message: String, status: ExitStatus) -> ExitCodeError {
        report(location, message, status: status)
        return ExitCodeError(self.status)
    }
}
