import OTR

/// Loading and saving libotr's key and instance-tag files for the
/// commands that change them (keygen, convert-key): an existing file is
/// read whole and must be valid before it is rewritten, so no account in
/// it is ever lost.
public enum KeyFileStore {
    /// A key file is a few KB; the reader's limits bound hostile files.
    public static let maximumSize = SExpressionReader.Limits.keyFile.maximumSize

    /// The key file at `path`, or an empty one when none exists yet.
    public static func loadPrivateKeys(_ path: String, diagnostics: Diagnostics) throws -> (file: PrivateKeyFile, existed: Bool) {
        guard SecureFileWriter.exists(path) else { return (PrivateKeyFile(), false) }
        return (try parsePrivateKeys(try readFile(path, diagnostics: diagnostics), path: path, diagnostics: diagnostics), true)
    }

    /// A key file's bytes read; one that does not parse stops the run, so
    /// that rewriting it never drops what was in it.
    private static func parsePrivateKeys(_ bytes: [UInt8], path: String, diagnostics: Diagnostics) throws -> PrivateKeyFile {
        do {
            return try PrivateKeyFile(parsing: bytes)
        } catch let error as OTRError {
            throw diagnostics.fatal(path.argumentText, "\(error); the file is left unchanged", status: .malformedInput)
        }
    }

    public static func loadInstanceTags(_ path: String, diagnostics: Diagnostics) throws -> (file: InstanceTagFile, existed: Bool) {
        try load(path, empty: InstanceTagFile(), parse: InstanceTagFile.parse, diagnostics: diagnostics)
    }

    public static func loadFingerprints(_ path: String, diagnostics: Diagnostics) throws -> (store: FingerprintStore, existed: Bool) {
        try load(path, empty: FingerprintStore(), parse: FingerprintStore.parse, diagnostics: diagnostics)
    }

    /// A file of libotr's that the command rewrites: empty when it does not
    /// exist yet; a line it cannot read stops the run, so that rewriting
    /// the file never drops what was in it.
    private static func load<File, Problem>(_ path: String, empty: File, parse: ([UInt8]) -> (File, [Problem]),
                                            diagnostics: Diagnostics) throws -> (File, Bool) {
        guard SecureFileWriter.exists(path) else { return (empty, false) }
        return (try parseLines(try readFile(path, diagnostics: diagnostics), parse: parse, path: path, diagnostics: diagnostics), true)
    }

    private static func parseLines<File, Problem>(_ bytes: [UInt8], parse: ([UInt8]) -> (File, [Problem]), path: String,
                                                  diagnostics: Diagnostics) throws -> File {
        let (file, problems) = parse(bytes)
        if let first = problems.first {
            throw diagnostics.fatal(path.argumentText, "\(first); the file is left unchanged", status: .malformedInput)
        }
        return file
    }

    public static func readFile(_ path: String, diagnostics: Diagnostics) throws -> [UInt8] {
        try reportingFailure(diagnostics) { try FileContents.read(path, limit: maximumSize) }
    }

    /// Runs `body`, a step of the file layer: a `Problem` it throws (a
    /// file that cannot be read, locked or replaced) is reported and ends
    /// the run.
    private static func reportingFailure<T>(_ diagnostics: Diagnostics, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let failure as Problem {
            throw diagnostics.fatal(nil, failure)
        }
    }

    /// Changes the key file at `path` under its lock: the file is read
    /// again there (another program may have added an account since it was
    /// last read), `change` edits it and says whether to write it back.
    public static func updatePrivateKeys(_ path: String, diagnostics: Diagnostics,
                                         _ change: (inout PrivateKeyFile) throws -> Bool) throws {
        try update(path, secret: true, diagnostics: diagnostics) { current -> SecureBytes? in
            var file = try current.map { try parsePrivateKeys($0, path: path, diagnostics: diagnostics) } ?? PrivateKeyFile()
            guard try change(&file) else { return nil }
            return try serialise(file, diagnostics: diagnostics)
        }
    }

    public static func updateInstanceTags(_ path: String, diagnostics: Diagnostics,
                                          _ change: (inout InstanceTagFile) throws -> Bool) throws {
        try updateLines(path, empty: InstanceTagFile(), parse: InstanceTagFile.parse, diagnostics: diagnostics,
                        change: change, serialise: { try $0.serialised() })
    }

    public static func updateFingerprints(_ path: String, diagnostics: Diagnostics,
                                          _ change: (inout FingerprintStore) throws -> Bool) throws {
        try updateLines(path, empty: FingerprintStore(), parse: FingerprintStore.parse, diagnostics: diagnostics,
                        change: change, serialise: { try $0.serialised() })
    }

    /// Replaces the private key file at `path` by `bytes` under its lock;
    /// `check` sees the old contents first and may refuse them.
    public static func replace(_ path: String, with bytes: SecureBytes, diagnostics: Diagnostics,
                               check: ([UInt8]) throws -> Void) throws {
        try update(path, secret: true, diagnostics: diagnostics) { current -> SecureBytes? in
            if let current { try check(current) }
            return bytes
        }
    }

    private static func updateLines<File, Problem>(_ path: String, empty: File, parse: ([UInt8]) -> (File, [Problem]),
                                                   diagnostics: Diagnostics, change: (inout File) throws -> Bool,
                                                   serialise: (File) throws -> [UInt8]) throws {
        try update(path, secret: false, diagnostics: diagnostics) { current -> [UInt8]? in
            var file = try current.map { try parseLines($0, parse: parse, path: path, diagnostics: diagnostics) } ?? empty
            guard try change(&file) else { return nil }
            do { return try serialise(file) } catch {
                throw diagnostics.fatal(path.argumentText, "\(error)", status: .usage)
            }
        }
    }

    private static func update<Output: ContiguousOctets>(_ path: String, secret: Bool, diagnostics: Diagnostics,
                                                         _ transform: ([UInt8]?) throws -> Output?) throws {
        try reportingFailure(diagnostics) { try LockedFileUpdate.update(path, limit: maximumSize, secret: secret, transform) }
    }

    /// Refuses, before any work, a target `save` could not write.
    public static func checkTarget(_ path: String, option: String, diagnostics: Diagnostics) throws {
        try reportingFailure(diagnostics) { try SecureFileWriter.checkTarget(path, option: option) }
    }

    public static func serialise(_ file: PrivateKeyFile, diagnostics: Diagnostics) throws -> SecureBytes {
        do {
            var bytes = try file.serialised()
            return SecureBytes(consuming: &bytes)
        } catch let error as OTRError {
            throw diagnostics.fatal(nil, error.description, status: .usage)
        }
    }
}

/// Text for names that may hold any byte.
public func display(_ bytes: [UInt8]) -> String { TextEscaping.escaped(bytes) }
