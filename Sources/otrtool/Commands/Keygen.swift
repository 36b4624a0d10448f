import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Generate an OTR long-term key (DSA, 1024-bit p, 160-bit q) in libotr's key file format.",
            discussion: """
                Without --key-file the new key is written to standard output as a \
                complete libotr private key file holding one account. With \
                --key-file FILE it is added to FILE (Pidgin's otr.private_key, \
                irssi's otr.key, BitlBee's USER.otr_keys), keeping every other \
                account; FILE is created when missing. An account and protocol that \
                FILE already holds are replaced only with --replace: without it the \
                run is refused with status 64 (usage) and nothing is generated or \
                written. Files are changed under a lock, with a temporary file that \
                is then renamed (see FILES in otrtool(1)); an existing file must be \
                valid, or it is left unchanged.

                --instance-tags FILE also gives the account an instance tag in \
                libotr's otr.instance_tags format (kept when it has one, unless \
                --replace).

                Keys come from libgcrypt's very strong random generator. --seed TEXT \
                instead derives the key from TEXT (FIPS 186-4 A.1.1.2 domain \
                parameters with SHA-1), so the same TEXT gives the same key: for \
                test vectors only. Such a key is insecure, a warning says so on \
                standard error, and it is refused for the files chat clients use.

                With --json a JSON object describes the key (account, protocol, \
                fingerprint, public_key, files written); when the key goes to \
                standard output it also carries p, q, g, y and x in hex.

                Every run ends with the new key's fingerprint on standard error, \
                one line, as ssh-keygen shows it. When the private key goes to \
                standard output (no --key-file), a terminal is refused with status \
                64 unless --allow-terminal is given, and a regular file that group \
                or others may read (the shell creates it with the umask's mode, \
                usually 0644) gets a one-line warning on standard error.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The account name, e.g. alice@example.org.", valueName: "name"))
        var account: String

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The protocol as the client names it, e.g. prpl-jabber, prpl-irc, xmpp.", valueName: "protocol"))
        var protocolName: String

        @Option(name: .long, help: ArgumentHelp("Add the key to this libotr private key file (created when missing).", valueName: "file"),
                completion: .file())
        var keyFile: String?

        @Flag(name: .long, help: "Replace the account's existing key (and instance tag) instead of refusing.")
        var replace = false

        @Option(name: .long, help: ArgumentHelp("Also record an instance tag for the account in this otr.instance_tags file.", valueName: "file"),
                completion: .file())
        var instanceTags: String?

        @Option(name: [.customLong("seed"), .customLong("insecure-seed")],
                help: ArgumentHelp("INSECURE: derive the key from this text, reproducibly, for test vectors.", valueName: "text"))
        var seed: String?

        @OptionGroup var output: OutputOptions
        @OptionGroup var terminal: TerminalOptions

        func validate() throws {
            guard !protocolName.isEmpty else { throw ValidationError("--protocol must not be empty") }
            if keyFile == "" { throw ValidationError("--key-file needs a file name, not an empty one") }
            if instanceTags == "" { throw ValidationError("--instance-tags needs a file name, not an empty one") }
            // A key file holds any name; otr.instance_tags is tab-separated lines.
            if instanceTags != nil, (account + protocolName).utf8.contains(where: { $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
                throw ValidationError("with --instance-tags, --account and --protocol must not contain tabs or line breaks")
            }
            if seed != nil {
                for path in [keyFile, instanceTags].compactMap({ $0 }) {
                    if let reason = ClientKeyPaths.clientUse(of: path) {
                        throw ValidationError("--seed makes an insecure key; refusing to write \(path.argumentText) (\(reason))")
                    }
                }
            }
        }

        func run() throws {
            let diagnostics = Diagnostics(command: "keygen")
            let name = account.argumentBytes, proto = protocolName.argumentBytes
            let random: RandomSource
            if let seed {
                writeStandardError("otrtool keygen: WARNING: --seed makes an INSECURE key: anyone who knows the seed text has the private key. Use it for test vectors only.")
                random = DeterministicRandom(seed: seed.argumentBytes)
            } else {
                random = SystemRandom(level: .veryStrong)
            }

            // Read and check everything that will be rewritten, and that
            // the files can be written, before the slow part, so a refusal
            // costs nothing.
            if let keyFile {
                try KeyFileStore.checkTarget(keyFile, option: "--key-file", diagnostics: diagnostics)
                let keys = try KeyFileStore.loadPrivateKeys(keyFile, diagnostics: diagnostics)
                if !replace, keys.file.account(name, protocolName: proto) != nil {
                    throw diagnostics.fatal(keyFile.argumentText,
                                            "already holds a key for \(display(name)) (\(display(proto))); use --replace to replace it",
                                            status: .usage)
                }
            }
            if let instanceTags {
                try KeyFileStore.checkTarget(instanceTags, option: "--instance-tags", diagnostics: diagnostics)
                _ = try KeyFileStore.loadInstanceTags(instanceTags, diagnostics: diagnostics)
            }
            // The private key itself goes to standard output (as a key file,
            // or as x in the JSON).
            if keyFile == nil {
                try PrivateKeyOutput.check(allowTerminal: terminal.allowTerminal, fileOption: "--key-file", diagnostics: diagnostics)
            }

            let key: DSAPrivateKey
            do {
                key = try DSAPrivateKey.generate(random: random)
            } catch let error as OTRError {
                throw diagnostics.fatal(nil, "key generation failed: \(error)", status: .software)
            }
            let entry = AccountKey(accountName: name, protocolName: proto, key: key)

            let out = OutputSink.standardOutput()
            defer { out.flush() }
            if let keyFile {
                // Read again under the file's lock: another program may have
                // changed the file while the key was made.
                try KeyFileStore.updatePrivateKeys(keyFile, diagnostics: diagnostics) { file in
                    if !replace, file.account(name, protocolName: proto) != nil {
                        throw diagnostics.fatal(keyFile.argumentText,
                                                "already holds a key for \(display(name)) (\(display(proto))) (added meanwhile); use --replace to replace it",
                                                status: .usage)
                    }
                    try file.add(entry, replacing: true)
                    return true
                }
            }

            var tag: InstanceTag? = nil
            if let instanceTags {
                try KeyFileStore.updateInstanceTags(instanceTags, diagnostics: diagnostics) { file in
                    if !replace, let old = file.tag(accountName: name, protocolName: proto) {
                        tag = old
                        return false
                    }
                    let fresh = InstanceTagFile.newTag(random: random.isDeterministic ? random : SystemRandom(level: .strong))
                    try file.set(fresh, accountName: name, protocolName: proto)
                    tag = fresh
                    return true
                }
            }

            let fingerprint = key.publicKey.fingerprint
            if output.json {
                var fields: [(String, JSON)] = JSON.textField("account", name) + JSON.textField("protocol", proto) + [
                    ("fingerprint", .string(fingerprint.human)),
                    ("fingerprint_hex", .hex(fingerprint.bytes)),
                    ("public_key", .hex(key.publicKey.encoded)),
                    ("key_file", keyFile.map { .argument($0) } ?? .null),
                    ("instance_tag", tag.map { .string($0.hex) } ?? .null),
                    ("instance_tags_file", instanceTags.map { .argument($0) } ?? .null),
                    ("seeded", .bool(seed != nil)),
                ]
                if keyFile == nil {
                    let pub = key.publicKey
                    fields += [("p", .hex(pub.p.bytes)), ("q", .hex(pub.q.bytes)), ("g", .hex(pub.g.bytes)),
                               ("y", .hex(pub.y.bytes)), ("x", .hex(key.x.bytes))]
                }
                out.writeLine(JSON.object(fields).render())
            } else if keyFile == nil {
                let bytes = try KeyFileStore.serialise(PrivateKeyFile(accounts: [entry]), diagnostics: diagnostics)
                out.write(bytes: bytes.octets)
            } else {
                out.writeLine("\(display(name))\t\(display(proto))\t\(fingerprint.human)")
                if let tag { out.writeLine(TextEscaping.line("instance tag \(tag.hex) in \(instanceTags!.argumentText)")) }
            }
            out.flush()
            // As ssh-keygen does: the fingerprint to compare with the one a
            // peer's client shows, whatever standard output holds.
            writeStandardError("otrtool keygen: the key fingerprint is \(fingerprint.human) for \(display(name)) (\(display(proto)))")
            try diagnostics.finish()
        }
    }
}
