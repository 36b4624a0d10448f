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

    /// The reason `path` looks like a chat client's OTR file, or nil.
    public static func clientUse(of path: String) -> String? {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if fileNames.contains(base) || fileSuffixes.contains(where: { base.hasSuffix($0) }) {
            return "\(base) is the name a chat client gives its OTR file"
        }
        let absolute = resolved(path)
        let home = getenv("HOME").map { argumentString($0) } ?? ""
        for directory in directories {
            let full = directory.hasPrefix("/") ? directory : "\(home)/\(directory)"
            guard !home.isEmpty || directory.hasPrefix("/") else { continue }
            if absolute == full || absolute.hasPrefix(full + "/") {
                return "\(full.argumentText) belongs to a chat client"
            }
        }
        return nil
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
