import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// convert-key's work: one account's key from a libotr key file to a
/// python-potr key, or back, to a file (under its lock, only over a file of
/// the same kind) or to standard output.
public struct KeyConversion {
    public var to: KeyFormat
    public var file: String
    public var account: String?
    public var protocolName: String?
    public var output: String?
    public var replace: Bool
    public var allowTerminal: Bool
    public var json: Bool

    public init(to: KeyFormat, file: String, account: String?, protocolName: String?, output: String?, replace: Bool, allowTerminal: Bool, json: Bool) {
        self.to = to
        self.file = file
        self.account = account
        self.protocolName = protocolName
        self.output = output
        self.replace = replace
        self.allowTerminal = allowTerminal
        self.json = json
    }

    public func run() throws {
        let diagnostics = Diagnostics(command: "convert-key")
        if let output {
            try KeyFileStore.checkTarget(output, option: "--output", diagnostics: diagnostics)
        }
        let input = try KeyFileStore.readFile(file, diagnostics: diagnostics)
        let location = InputFile.name(file)
        switch to {
        case .potr:
            let keys: PrivateKeyFile
            do { keys = try PrivateKeyFile(parsing: input) } catch let error as OTRError {
                throw diagnostics.fatal(location, "\(error)", status: .malformedInput)
            }
            let chosen = keys.accounts.filter { a in
                (account.map { $0.argumentBytes == a.accountName } ?? true)
                    && (protocolName.map { $0.argumentBytes == a.protocolName } ?? true)
            }
            guard chosen.count == 1, let entry = chosen.first else {
                let reason = chosen.isEmpty ? "holds no such account" : "holds \(chosen.count) accounts; choose one with --account and --protocol"
                throw diagnostics.fatal(location, reason, status: chosen.isEmpty ? .malformedInput : .usage)
            }
            let bytes = PotrKeySerialisation.encode(entry.key)
            if let output {
                if SecureFileWriter.exists(output) && !replace {
                    throw diagnostics.fatal(output.argumentText, "already exists; use --replace to replace it", status: .usage)
                }
                try KeyFileStore.replace(output, with: bytes, diagnostics: diagnostics) { old in
                    // Only a key of the same kind is replaced, never a file
                    // of another format (a libotr key file, say).
                    if !replace {
                        throw diagnostics.fatal(output.argumentText, "already exists (created meanwhile); use --replace to replace it", status: .usage)
                    }
                    do { _ = try PotrKeySerialisation.decode(old) } catch {
                        throw diagnostics.fatal(output.argumentText, "is not a python-potr key (\(error)); the file is left unchanged",
                                                status: .malformedInput)
                    }
                }
                report(entry, key: [])
            } else if json {
                // Hex text: a terminal only when asked, as for a key file.
                try PrivateKeyOutput.check(allowTerminal: allowTerminal, fileOption: "--output", diagnostics: diagnostics)
                report(entry, key: [("key", .hex(bytes.octets))])
            } else {
                guard isatty(1) == 0 else {
                    throw diagnostics.fatal(nil, "a potr key is binary; give --output or redirect standard output", status: .usage)
                }
                try PrivateKeyOutput.check(allowTerminal: false, fileOption: "--output", diagnostics: diagnostics)
                let out = OutputSink.standardOutput()
                out.write(bytes: bytes.octets)
                out.flush()
            }
        case .libotr:
            let key: DSAPrivateKey
            do { key = try PotrKeySerialisation.decode(input) } catch let error as OTRError {
                throw diagnostics.fatal(location, "not a python-potr key: \(error)", status: .malformedInput)
            }
            let (name, proto) = (account!.argumentBytes, protocolName!.argumentBytes)
            let entry = AccountKey(accountName: name, protocolName: proto, key: key)
            if let output {
                try KeyFileStore.updatePrivateKeys(output, diagnostics: diagnostics) { file in
                    do { try file.add(entry, replacing: replace) } catch {
                        throw diagnostics.fatal(output.argumentText, "already holds a key for \(display(name)) (\(display(proto))); use --replace to replace it",
                                                status: .usage)
                    }
                    return true
                }
                report(entry, key: [])
            } else {
                try PrivateKeyOutput.check(allowTerminal: allowTerminal, fileOption: "--output", diagnostics: diagnostics)
                let bytes = try KeyFileStore.serialise(PrivateKeyFile(accounts: [entry]), diagnostics: diagnostics)
                if json {
                    report(entry, key: JSON.textField("key", Array(bytes.octets)))
                } else {
                    let out = OutputSink.standardOutput()
                    out.write(bytes: bytes.octets)
                    out.flush()
                }
            }
        }
        try diagnostics.finish()
    }

    /// With --json, the one object describing the key converted, in
    /// keygen's field names; `key`, the converted key itself, only when
    /// it goes to standard output, where the text form writes it.
    func report(_ entry: AccountKey, key: [(String, JSON)]) {
        guard json else { return }
        let fingerprint = entry.key.publicKey.fingerprint
        var fields: [(String, JSON)] = JSON.textField("account", entry.accountName) + JSON.textField("protocol", entry.protocolName) + [
            ("fingerprint", .string(fingerprint.human)),
            ("fingerprint_hex", .hex(fingerprint.bytes)),
            ("public_key", .hex(entry.key.publicKey.encoded)),
            ("format", .string(to.rawValue)),
            ("output", output.map { .argument($0) } ?? .null),
        ]
        fields += key
        let out = OutputSink.standardOutput()
        out.writeLine(JSON.object(fields).render())
        out.flush()
    }
}

/// The key formats convert-key writes.
public enum KeyFormat: String, CaseIterable, Sendable {
    /// python-potr's pickled DSA key.
    case potr
    /// A libotr private key file.
    case libotr
}
