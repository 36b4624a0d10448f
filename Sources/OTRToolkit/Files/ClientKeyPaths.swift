import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Where chat clients keep their OTR files. A key made from a public seed
/// must never land where a client would use it for real conversations.
public enum ClientKeyPaths {
    /// File names the clients use: Pidgin and irssi's otr.private_key,
    /// otr.key, otr.fingerprints, otr.instance_tags; BitlBee's
    /// USER.otr_keys, .otr_fprints and .otr_instags.
    public static let fileNames = ["otr.private_key", "otr.key", "otr.fingerprints", "otr.fp", "otr.instance_tags", "otr.instag"]
    public static let fileSuffixes = [".otr_keys", ".otr_fprints", ".otr_instags"]
    /// Directories (relative to $HOME unless absolute) the clients own.
    public static let directories = [".purple", ".irssi", ".config/irssi", ".bitlbee", ".weechat/otr",
                              ".local/share/weechat/otr", ".config/Adium 2.0", "/var/lib/bitlbee", "/etc/bitlbee"]

    /// The reason `path` is, or looks like, a chat client's OTR file, or
    /// nil. Names are not enough: a symbolic or hard link named
    /// innocent.key may be ~/.purple/otr.private_key. So the name is
    /// checked as given and after every link is followed, and the file
    /// itself (device and inode) is compared with each file in the
    /// clients' directories.
    public static func clientUse(of path: String) -> String? {
        var names = [path]
        if let real = realPath(path) { names.append(real) } else if let target = try? LockedFileUpdate.resolveLinks(path) { names.append(target) }
        for name in names {
            if let reason = nameReason(name) { return reason }
        }
        var st = stat()
        guard path.withArgumentCString({ stat($0, &st) }) == 0 else { return nil }
        for directory in clientDirectories() {
            for name in SecureFileWriter.entryNames(in: directory) {
                let full = directory + "/" + name.withUnsafeBufferPointer { ArgumentBytes.string(from: $0) }
                var other = stat()
                if full.withArgumentCString({ stat($0, &other) }) == 0, other.st_mode & S_IFMT == S_IFREG,
                   other.st_dev == st.st_dev, other.st_ino == st.st_ino {
                    return "it is the same file as \(full.argumentText), a chat client's"
                }
            }
        }
        return nil
    }

    private static func nameReason(_ path: String) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if fileNames.contains(base) || fileSuffixes.contains(where: { base.hasSuffix($0) }) {
            return "\(base.argumentText) is the name a chat client gives its OTR file"
        }
        let absolute = resolved(path)
        for full in clientDirectories() where absolute == full || absolute.hasPrefix(full + "/") {
            return "\(full.argumentText) belongs to a chat client"
        }
        return nil
    }

    /// The clients' directories, absolute ($HOME's only when it is set).
    private static func clientDirectories() -> [String] {
        let home = getenv("HOME").map { argumentString($0) } ?? ""
        return directories.compactMap { directory in
            if directory.hasPrefix("/") { return directory }
            return home.isEmpty ? nil : "\(home)/\(directory)"
        }
    }

    /// The path with every symbolic link resolved, when the file exists.
    private static func realPath(_ path: String) -> String? {
        guard let real = path.withArgumentCString({ realpath($0, nil) }) else { return nil }
        defer { free(real) }
        return argumentString(real)
    }

    /// The absolute path, with the parent directory's symbolic links
    /// resolved when it exists.
    public static func resolved(_ path: String) -> String {
        let parent = SecureFileWriter.parentDirectory(of: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if let real = parent.withArgumentCString({ realpath($0, nil) }) {
            defer { free(real) }
            let dir = argumentString(real)
            return dir == "/" ? "/\(base)" : "\(dir)/\(base)"
        }
        if path.hasPrefix("/") { return path }
        guard let cwd = getcwd(nil, 0) else { return path }
        defer { free(cwd) }
        return argumentString(cwd) + "/" + path
    }

    /// A path the system gave, in the form arguments take (`ArgumentBytes`).
    private static func argumentString(_ path: UnsafePointer<CChar>) -> String {
        ArgumentBytes.string(from: UnsafeBufferPointer(start: UnsafeRawPointer(path).assumingMemoryBound(to: UInt8.self),
                                                       count: strlen(path)))
    }
}
