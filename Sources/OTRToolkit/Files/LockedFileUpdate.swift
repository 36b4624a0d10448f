import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Read-modify-write of a key, instance-tags or fingerprints file, safe
/// against other writers and faithful to the file it replaces.
///
/// - Other writers: the file is read and replaced under an exclusive
///   advisory lock (flock(2)) on the file itself, or on its directory while
///   the file does not exist yet, and read again under the lock, so twenty
///   keygens adding accounts at once leave twenty accounts. The lock is
///   taken on the file that is open, so after waiting the path is checked
///   to still name that file (another writer may have replaced it).
/// - What the file is: a symbolic link is followed and its target
///   rewritten (the link stays a link); the owner and group are kept, and
///   the mode, except that a private key file is always 0600;
///   a read-only file (no owner write bit) is refused and left unchanged,
///   as its owner asked. Hard links to the file keep the old contents.
/// - Never half a file: the new contents go to a temporary file beside
///   the target (mode 0600 from creation, fsync'd), renamed into place; the
///   temporary file is removed on INT, TERM and HUP, and a stale one a
///   killed run left is removed by the next rewrite.
public enum LockedFileUpdate {
    /// Runs `transform` on the contents of `path` (nil when it does not
    /// exist) while holding the lock, and writes what it returns; nil
    /// leaves the file as it is. A file over `limit` bytes is refused.
    /// A `secret` file (a private key) is always left 0600, whatever mode
    /// the old one had; any other keeps its mode.
    public static func update<Output: ContiguousOctets>(_ path: String, limit: Int, secret: Bool,
                                                        _ transform: ([UInt8]?) throws -> Output?) throws {
        let target = try resolveLinks(path)
        let directory = SecureFileWriter.parentDirectory(of: target)
        for _ in 0..<1000 {
            switch try lock(target, directory: directory) {
            case .retry:
                continue
            case .absent(let directoryFD):
                defer { close(directoryFD) }
                SecureFileWriter.removeStaleTemporaries(of: target)
                guard let bytes = try transform(nil) else { return }
                try SecureFileWriter.commit(bytes, to: target, replacing: nil, secret: secret)
                return
            case .present(let fd, let status):
                defer { close(fd) }
                // Checked again on the file now locked (`lock` checked the
                // path before opening it, so as not to block on a FIFO).
                try checkReplaceable(status, path: target)
                SecureFileWriter.removeStaleTemporaries(of: target)
                var current = try FileContents.read(descriptor: fd, name: path.argumentText, limit: limit,
                                                    refusal: "; the file is left unchanged")
                defer { current.wipe() }
                guard let bytes = try transform(current) else { return }
                try SecureFileWriter.commit(bytes, to: target, replacing: status, secret: secret)
                return
            }
        }
        throw Problem("\(path.argumentText) keeps being replaced by another program; left alone", status: .cannotCreate)
    }

    private enum Locked {
        case present(fd: Int32, status: stat)
        case absent(directoryFD: Int32)
        case retry
    }

    private static func lock(_ target: String, directory: String) throws -> Locked {
        var st = stat()
        if target.withArgumentCString({ lstat($0, &st) }) == 0 {
            if st.st_mode & S_IFMT == S_IFDIR {
                throw Problem("cannot create \(target.argumentText): \(String(cString: strerror(EISDIR)))", status: .cannotCreate)
            }
            try checkReplaceable(st, path: target)
            let fd = target.withArgumentCString { open($0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) }
            if fd < 0 {
                if errno == ENOENT || errno == ELOOP { return .retry }
                throw Problem("cannot open \(target.argumentText): \(errnoText())", status: .noInput)
            }
            try exclusiveLock(fd, name: target)
            // The path may name another file by now: the one we waited on
            // was replaced (or removed) by the writer before us.
            var held = stat(), now = stat()
            guard fstat(fd, &held) == 0, target.withArgumentCString({ lstat($0, &now) }) == 0,
                  held.st_dev == now.st_dev, held.st_ino == now.st_ino, held.st_nlink > 0 else {
                close(fd)
                return .retry
            }
            return .present(fd: fd, status: held)
        }
        guard errno == ENOENT else {
            throw Problem("cannot create \(target.argumentText): \(errnoText())", status: .cannotCreate)
        }
        let fd = directory.withArgumentCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else {
            throw Problem("cannot create \(target.argumentText): \(errnoText())", status: .cannotCreate)
        }
        try exclusiveLock(fd, name: directory)
        if target.withArgumentCString({ lstat($0, &st) }) == 0 {
            close(fd)  // created meanwhile: lock that file instead
            return .retry
        }
        return .absent(directoryFD: fd)
    }

    private static func exclusiveLock(_ fd: Int32, name: String) throws {
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = errnoText()
            close(fd)
            throw Problem("cannot lock \(name.argumentText): \(reason)", status: .cannotCreate)
        }
    }

    /// Refuses what a rewrite must not replace: a read-only file (its
    /// owner said so), anything but a regular file. A file with several
    /// hard links is replaced like any other: the new file takes this
    /// name, the other names keep the old contents (rename(2) is what
    /// makes the change atomic).
    static func checkReplaceable(_ st: stat, path: String) throws {
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw Problem("\(path.argumentText) is not a regular file; the file is left unchanged", status: .cannotCreate)
        }
        if st.st_mode & S_IWUSR == 0 {
            let mode = String(st.st_mode & 0o7777, radix: 8)
            throw Problem("\(path.argumentText) is read-only (mode 0\(mode)); the file is left unchanged", status: .cannotCreate)
        }
    }

    /// The file a rewrite of `path` changes: `path` itself, or the target
    /// its chain of symbolic links ends at (which may not exist yet).
    public static func resolveLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<32 {
            var st = stat()
            guard current.withArgumentCString({ lstat($0, &st) }) == 0, st.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = current.withArgumentCString { name in
                buffer.withUnsafeMutableBytes { readlink(name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count - 1) }
            }
            guard n > 0 else { return current }
            let link = buffer.withUnsafeBufferPointer { ArgumentBytes.string(from: UnsafeBufferPointer(rebasing: $0[0..<n])) }
            current = link.hasPrefix("/") ? link : SecureFileWriter.parentDirectory(of: current) + "/" + link
        }
        throw Problem("\(path.argumentText): \(String(cString: strerror(ELOOP))); the file is left unchanged", status: .cannotCreate)
    }
}
