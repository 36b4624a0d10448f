import OTR

/// keygen's work: a DSA key made for an account, added under the lock of
/// a key file (or written to standard output), and an instance tag for the
/// account recorded in an instance-tags file, each file checked first.
public struct KeyGeneration {
    public var account: String
    public var protocolName: String
    public var keyFile: String?
    public var replace: Bool
    public var instanceTags: String?
    public var seed: String?
    public var json: Bool
    public var allowTerminal: Bool

    public init(account: String, protocolName: String, keyFile: String?, replace: Bool, instanceTags: String?, seed: String?, json: Bool, allowTerminal: Bool) {
        self.account = account
        self.protocolName = protocolName
        self.keyFile = keyFile
        self.replace = replace
        self.instanceTags = instanceTags
        self.seed = seed
        self.json = json
        self.allowTerminal = allowTerminal
    }

    /// What is wrong with the options before anything is done, if anything.
    public var optionProblem: String? {
        if protocolName.isEmpty { return "--protocol must not be empty" }
        if keyFile == "" { return "--key-file needs a file name, not an empty one" }
        if instanceTags == "" { return "--instance-tags needs a file name, not an empty one" }
        // A key file holds any name; otr.instance_tags is tab-separated lines.
        if instanceTags != nil, (account + protocolName).utf8.contains(where: { $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
            return "with --instance-tags, --account and --protocol must not contain tabs or line breaks"
        }
        if seed != nil {
            for path in [keyFile, instanceTags].compactMap({ $0 }) {
                if let reason = ClientKeyPaths.clientUse(of: path) {
                    return "--seed makes an insecure key; refusing to write \(path.argumentText) (\(reason))"
                }
            }
        }
        return nil
    }

    public func run() throws {
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
            try PrivateKeyOutput.check(allowTerminal: allowTerminal, fileOption: "--key-file", diagnostics: diagnostics)
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
        if json {
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
