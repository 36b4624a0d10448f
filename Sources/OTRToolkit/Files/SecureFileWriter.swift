import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Writes key material the way DESIGN.md asks: a temporary file in the
/// target's directory, created exclusively with mode 0600, written,
/// fsync'd, then moved into place, so a reader never sees half a file and
/// the secret is never readable by others, even for a moment. Callers go
/// through `LockedFileUpdate`, which holds the file's lock meanwhile.
public enum SecureFileWriter {
    /// Puts `bytes` in place at `target` (symbolic links already
    /// resolved) while the caller holds the lock: `replacing` is the
    /// status of the file replaced, whose owner, group and mode the new
    /// file takes (a `secret` one is 0600 whatever the old mode), or nil
    /// for a new file (mode 0600, and link(2), which refuses to clobber a
    /// file that appeared meanwhile).
    static func commit(_ bytes: some ContiguousOctets, to target: String, replacing old: stat?, secret: Bool) throws {
        let directory = parentDirectory(of: target)
        let temporary = try createTemporary(in: directory, for: target)
        InterruptCleanup.register(temporary.name)
        var committed = false
        defer {
            if !committed { unlink(temporary.name) }
            InterruptCleanup.clear()
        }
        do {
            defer { close(temporary.fd) }
            if let old, old.st_uid != geteuid() || old.st_gid != getegid() {
                // Before the mode: chown(2) may clear set-id bits.
                guard fchown(temporary.fd, old.st_uid, old.st_gid) == 0 else {
                    throw Problem("cannot keep the owner (\(old.st_uid):\(old.st_gid)) of \(target.argumentText): \(errnoText()); the file is left unchanged",
                                  status: .cannotCreate)
                }
            }
            let mode = old.map { secret ? 0o600 : $0.st_mode & 0o7777 } ?? 0o600
            guard fchmod(temporary.fd, mode) == 0 else {
                throw Problem("cannot set mode 0\(String(mode, radix: 8)) on \(temporary.shown): \(errnoText())", status: .cannotCreate)
            }
            let failure = bytes.withUnsafeBytes { StandardStreams.writeAll(temporary.fd, $0) }
            if let failure {
                throw Problem("writing \(temporary.shown): \(String(cString: strerror(failure))); the file is left unchanged", status: .ioError)
            }
            guard fsync(temporary.fd) == 0 else {
                throw Problem("fsync \(temporary.shown): \(errnoText()); the file is left unchanged", status: .ioError)
            }
        }
        let name = target.argumentBytes + [0]
        if old != nil {
            guard rename(temporary.name, name.cString) == 0 else {
                throw Problem("cannot replace \(target.argumentText): \(errnoText())", status: .cannotCreate)
            }
        } else {
            guard link(temporary.name, name.cString) == 0 else {
                let reason = errno == EEXIST ? "it already exists" : errnoText()
                throw Problem("cannot create \(target.argumentText): \(reason)", status: .cannotCreate)
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

    /// Removes the temporary files (`.NAME.tmp-XXXXXX`) a killed rewrite of
    /// `target` left. Called under the lock, when no other rewrite of the
    /// file can be filling one.
    static func removeStaleTemporaries(of target: String) {
        let directory = parentDirectory(of: target)
        let prefix = Array(".\(baseName(of: target)).tmp-".argumentBytes)
        let stale = entryNames(in: directory).filter { $0.count == prefix.count + 6 && $0.starts(with: prefix) }
        for name in stale {
            let full = directory.argumentBytes + [UInt8(ascii: "/")] + name + [0]
            var st = stat()
            // Only our own kind: a regular file, not a link planted there.
            guard full.cString.withUnsafeBufferPointer({ lstat($0.baseAddress!, &st) }) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            _ = full.cString.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        }
    }

    /// The names in `directory` (without "." and ".."), as bytes; none
    /// when it cannot be read.
    static func entryNames(in directory: String) -> [[UInt8]] {
        guard let dir = directory.withArgumentCString({ opendir($0) }) else { return [] }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix(while: { $0 != 0 })) }
            if name != [0x2e] && name != [0x2e, 0x2e] { names.append(name) }
        }
        return names
    }

    static func baseName(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// Checks, before the work that makes its contents, that `write` can
    /// create `path`: it names no directory, and a file can be created
    /// beside it (tried for real: permissions alone do not tell, e.g. for
    /// root or on a read-only file system).
    public static func checkTarget(_ path: String, option: String) throws {
        guard !path.isEmpty else {
            throw Problem("\(option) needs a file name, not an empty one", status: .usage)
        }
        let target = try LockedFileUpdate.resolveLinks(path)
        var st = stat()
        if target.withArgumentCString({ lstat($0, &st) }) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR {
                throw Problem("cannot create \(path.argumentText): \(String(cString: strerror(EISDIR)))",
                              status: .cannotCreate)
            }
            try LockedFileUpdate.checkReplaceable(st, path: path)
        }
        let probe = try createTemporary(in: parentDirectory(of: target), for: target)
        close(probe.fd)
        unlink(probe.name)
    }

    /// A file of our own beside `path`, created exclusively (mkstemp:
    /// mode 0600 and a name no one else has).
    private static func createTemporary(in directory: String, for path: String) throws -> (fd: Int32, name: [CChar], shown: String) {
        let base = baseName(of: path)
        var template = ("\(directory)/.\(base).tmp-XXXXXX").argumentBytes.map { CChar(bitPattern: $0) } + [0]
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Problem("cannot create a temporary file in \(directory.argumentText): \(errnoText())",
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

    /// Whether `path` names a file, after its symbolic links: a dangling
    /// link names none yet (a rewrite creates its target).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return path.withArgumentCString { stat($0, &st) } == 0
    }
}

/// Reads a whole input file, or standard input for "-", refusing more
/// than `limit` bytes without reading further: a hostile 1 GB file costs
/// `limit` bytes of memory, not a gigabyte.
public enum FileContents {
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let fd = try InputFile.open(path).get()
        defer { InputFile.close(fd) }
        return try read(descriptor: fd, name: displayName(path), limit: limit)
    }

    /// Reads `fd` to its end, refusing more than `limit` bytes; `name`
    /// names it in errors, and `refusal` follows the one for its size.
    /// What was read of a refused file is wiped (key files hold secrets).
    public static func read(descriptor fd: Int32, name: String, limit: Int, refusal: String = "") throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        defer { chunk.wipe() }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = errnoText()
                out.wipe()
                throw Problem("reading \(name): \(reason)", status: .ioError)
            }
            if n == 0 { return out }
            out += chunk[0..<n]
            if out.count > limit {
                out.wipe()
                throw Problem("\(name) is larger than \(limit) bytes; not a key or fingerprint file\(refusal)",
                              status: .malformedInput)
            }
        }
    }

    public static func displayName(_ path: String) -> String { InputFile.name(path) }
}

public func errnoText() -> String { String(cString: strerror(errno)) }

extension [UInt8] {
    /// NUL-terminated bytes as the C string the system calls take.
    public var cString: [CChar] { map { CChar(bitPattern: $0) } }
}
