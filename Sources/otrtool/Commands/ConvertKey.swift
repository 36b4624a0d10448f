import ArgumentParser
import OTR
import OTRToolkit
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

extension OTRTool {
    struct ConvertKey: ParsableCommand {
        enum Format: String, CaseIterable, ExpressibleByArgument {
            case potr
            case libotr
        }

        static let configuration = CommandConfiguration(
            commandName: "convert-key",
            abstract: "Convert a long-term key between libotr's key file and python-potr's key serialisation.",
            discussion: """
                --to potr reads a libotr private key file and writes the key of one \
                account in python-potr's serialisation (type 0x0000, then the MPIs \
                p, q, g, y, x); --account and --protocol choose the account and may \
                be left out when the file holds only one.

                --to libotr reads a python-potr key and writes a libotr private key \
                file with it as the account given by --account and --protocol. When \
                --output names an existing key file the account is added to it, \
                keeping the others (an account it already holds is replaced only \
                with --replace). Without --replace, an existing --output (potr) or \
                account (libotr) is refused with status 64 and nothing is written.

                The input is the file argument or standard input. Output goes to \
                --output (created with mode 0600 through a temporary file) or to \
                standard output; a potr key is binary and is never written to a \
                terminal, a libotr key file only with --allow-terminal (status 64 \
                otherwise).

                With --json one JSON object describes the key converted (account, \
                protocol, fingerprint, public_key, format, output); only when the key \
                goes to standard output does it carry the key itself, as "key": the \
                potr serialisation in hex, or the libotr key file's text (with \
                "key_hex" when that is not UTF-8; and then a \
                terminal is refused for either unless --allow-terminal). A private key written to a regular file on standard \
                output that group or others may read gets a one-line warning on \
                standard error.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The format to write.", valueName: "format"))
        var to: Format

        @Argument(help: ArgumentHelp("The key to convert; standard input when not given or \"-\".", valueName: "file"),
                  completion: .file())
        var file: String = "-"

        @Option(name: .long, help: ArgumentHelp("The account name.", valueName: "name"))
        var account: String?

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The protocol, e.g. prpl-jabber.", valueName: "protocol"))
        var protocolName: String?

        @Option(name: [.short, .long], help: ArgumentHelp("Write here instead of standard output.", valueName: "file"),
                completion: .file())
        var output: String?

        @Flag(name: .long, help: "Replace an existing output file (potr) or account (libotr).")
        var replace = false

        @OptionGroup var terminal: TerminalOptions
        @OptionGroup var jsonOutput: OutputOptions

        func validate() throws {
            if to == .libotr && (account == nil || protocolName == nil) {
                throw ValidationError("--to libotr needs --account and --protocol")
            }
            for value in [account, protocolName].compactMap({ $0 })
            where value.argumentBytes.contains(where: { $0 == 0 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
                throw ValidationError("--account and --protocol must not contain tabs, line breaks or NUL")
            }
        }

        func run() throws {
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
                } else if jsonOutput.json {
                    // Hex text: a terminal only when asked, as for a key file.
                    try PrivateKeyOutput.check(allowTerminal: terminal.allowTerminal, fileOption: "--output", diagnostics: diagnostics)
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
                    try PrivateKeyOutput.check(allowTerminal: terminal.allowTerminal, fileOption: "--output", diagnostics: diagnostics)
                    let bytes = try KeyFileStore.serialise(PrivateKeyFile(accounts: [entry]), diagnostics: diagnostics)
                    if jsonOutput.json {
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
            guard jsonOutput.json else { return }
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
}
