import Testing
@testable import OTR

/// Keys made once for the whole suite: seeded generation is deterministic.
enum SeededKeys {
    static let alice = try! DSAPrivateKey.generate(random: DeterministicRandom(seedText: "alice"))
    static let bob = try! DSAPrivateKey.generate(random: DeterministicRandom(seedText: "bob"))
}

@Suite("Long-term keys, fingerprints and libotr's key files")
struct KeyFileTests {
    @Test func seededKeysAreReproducibleOTRKeys() throws {
        let again = try DSAPrivateKey.generate(random: DeterministicRandom(seedText: "alice"))
        let key = SeededKeys.alice
        #expect(again.publicKey == key.publicKey)
        #expect(again.x == key.x)
        #expect(key.publicKey != SeededKeys.bob.publicKey)
        #expect(key.publicKey.p.bitWidth == 1024)
        #expect(key.publicKey.q.bitWidth == 160)
        #expect(key.publicKey.p.isProbablePrime() && key.publicKey.q.isProbablePrime())
        try key.publicKey.checkLongTermSizes()
        let signature = try key.sign([UInt8](repeating: 7, count: 32), random: DeterministicRandom(seedText: "k"))
        #expect(key.publicKey.verify(try signature.encoded(halfLength: 20), over: [UInt8](repeating: 7, count: 32)))
    }

    @Test func systemKeysComeFromLibgcrypt() throws {
        let key = try DSAPrivateKey.generate(random: SystemRandom(level: .veryStrong))
        try key.publicKey.checkLongTermSizes()
    }

    @Test func publicKeyEncodingRoundTripsAndFingerprintHashesTheMPIsOnly() throws {
        let pub = SeededKeys.alice.publicKey
        let encoded = pub.encoded
        #expect(Array(encoded.prefix(6)) == [0, 0, 0, 0, 0, 0x80])
        #expect(try OTRPublicKey.decode(encoded) == pub)
        #expect(pub.fingerprint.bytes == HashFunction.sha1.digest(Array(encoded.dropFirst(2))))
        var wrongType = encoded
        wrongType[1] = 0x01
        let typeError = #expect(throws: OTRError.self) { try OTRPublicKey.decode(wrongType) }
        #expect(typeError?.reason.contains("0x0001") == true)
        #expect(throws: OTRError.self) { try OTRPublicKey.decode(encoded + [0]) }
        #expect(throws: OTRError.self) { try OTRPublicKey.decode(Array(encoded.dropLast())) }
    }

    @Test func fingerprintsReadInAnySpacingAndCase() throws {
        let f = try Fingerprint(bytes: (0..<20).map { UInt8($0 * 13) })
        #expect(f.human == "000D1A27 34414E5B 6875828F 9CA9B6C3 D0DDEAF7")
        #expect(f.hex == "000d1a2734414e5b6875828f9ca9b6c3d0ddeaf7")
        #expect(try Fingerprint(parsing: "000d1a27 34414e5b\t6875828F9CA9B6C3 d0:dd:ea:f7") == f)
        #expect(throws: OTRError.self) { try Fingerprint(parsing: "000D1A27") }
        #expect(throws: OTRError.self) { try Fingerprint(parsing: String(repeating: "g", count: 40)) }
    }

    static let awkwardNames: [[UInt8]] = [
        Array("alice@example.org".utf8),
        Array("we\"ird\tname with spaces".utf8),
        Array("ünïcødé".utf8),
        Array("à".utf8),            // C3 A0: libgcrypt writes it as hex
        Array("1starts-with-digit".utf8),
        Array("back\\slash'quote\n".utf8),
    ]

    @Test func keyFilesRoundTripWithAwkwardNames() throws {
        var file = PrivateKeyFile()
        for (i, name) in Self.awkwardNames.enumerated() {
            try file.add(AccountKey(accountName: name, protocolName: Array("prpl-\(i)".utf8),
                                    key: i.isMultiple(of: 2) ? SeededKeys.alice : SeededKeys.bob), replacing: false)
        }
        let bytes = try file.serialised()
        let back = try PrivateKeyFile(parsing: bytes)
        #expect(back.accounts.map(\.accountName) == Self.awkwardNames)
        #expect(back.accounts[1].key.publicKey == SeededKeys.bob.publicKey)
        #expect(back.accounts[1].line == 15)
        #expect(try back.serialised() == bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("(privkeys\n (account\n(name \"alice@example.org\")\n(protocol prpl-0)\n(private-key \n (dsa \n  (p #00"))
        #expect(text.contains("(name #C3A0#)"))
        #expect(text.hasSuffix("  )\n )\n )\n)\n"))
    }

    @Test func addingAnExistingAccountNeedsReplacing() throws {
        var file = PrivateKeyFile(accounts: [AccountKey(accountName: "a", protocolName: "p", key: SeededKeys.alice)])
        #expect(throws: OTRError.self) {
            try file.add(AccountKey(accountName: "a", protocolName: "p", key: SeededKeys.bob), replacing: false)
        }
        #expect(file.accounts[0].key.publicKey == SeededKeys.alice.publicKey)
        try file.add(AccountKey(accountName: "a", protocolName: "p", key: SeededKeys.bob), replacing: true)
        #expect(file.accounts.count == 1)
        #expect(file.accounts[0].key.publicKey == SeededKeys.bob.publicKey)
    }

    /// One account's text with element `name` given as `replacement`.
    static func keyFileText(replacing name: String? = nil, with replacement: String = "") -> String {
        let pub = SeededKeys.alice.publicKey
        func hex(_ m: MPI) -> String { "#00" + m.hex.uppercased() + "#" }
        var parts = [("p", hex(pub.p)), ("q", hex(pub.q)), ("g", hex(pub.g)), ("y", hex(pub.y)), ("x", hex(SeededKeys.alice.x))]
        if let name, let i = parts.firstIndex(where: { $0.0 == name }) { parts[i].1 = replacement }
        let body = parts.filter { !$0.1.isEmpty }.map { "  (\($0.0) \($0.1))" }.joined(separator: "\n")
        return "(privkeys\n (account\n(name \"alice@example.org\")\n(protocol prpl-jabber)\n(private-key \n (dsa \n\(body)\n  )\n )\n )\n)\n"
    }

    @Test func anMPIWrittenAsAQuotedStringWithRawBytesIsRead() throws {
        // libgcrypt writes an MPI whose bytes look like text as a quoted
        // string: bytes above 0xa0 raw, the rest escaped.
        let x = SeededKeys.alice.x.bytes
        var raw: [UInt8] = []
        for b in x {
            if b >= 0xa1 { raw.append(b) } else { raw += Array(String(format2: b).utf8) }
        }
        let text = Self.keyFileText(replacing: "x", with: "QUOTED")
        let parts = text.components(separatedBy: "QUOTED")
        let bytes = Array(parts[0].utf8) + [0x22] + raw + [0x22] + Array(parts[1].utf8)
        let file = try PrivateKeyFile(parsing: bytes)
        #expect(file.accounts.first?.key.x == SeededKeys.alice.x)
        #expect(raw.contains { $0 >= 0xa1 })
    }

    @Test("hostile key files fail naming the line and element", arguments: [
        ("x", "", "line 6", "has no x"),
        ("y", "#00" + String(repeating: "11", count: 128) + "#", "line 10", "y is not g^x"),
        ("p", "#00" + String(repeating: "FF", count: 64) + "#", "line 7", "1024-bit p"),
        ("q", "#00" + String(repeating: "FF", count: 32) + "#", "line 8", "160-bit q"),
        ("x", "#00#", "line 11", "0 < x < q"),
        ("g", "#01#", "line 9", "order q"),
    ])
    func hostileKeyFiles(element: String, replacement: String, line: String, reason: String) throws {
        let text = Self.keyFileText(replacing: element, with: replacement)
        let error = #expect(throws: OTRError.self) { try PrivateKeyFile(parsing: Array(text.utf8)) }
        #expect(error?.field?.hasPrefix(line + ":") == true, "\(String(describing: error))")
        #expect(error?.field?.contains(element) == true || error?.reason.contains("no \(element)") == true,
                "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("structurally wrong key files are errors", arguments: [
        "(keys (account))",
        "(privkeys (acount (name a)))",
        "(privkeys (account (name a) (protocol p)))",
        "(privkeys (account (name a b) (protocol p) (private-key (dsa))))",
        "(privkeys (account (name a) (protocol p) (private-key (rsa (n #00#)))))",
        "(privkeys (account (name a) (name b) (protocol p) (private-key (dsa))))",
        "(privkeys (account (name a) (protocol p) (private-key (dsa (p #01#)",
        "(privkeys (account (name \"a\\x00b\") (protocol p) (private-key (dsa))))",
    ])
    func structurallyWrong(text: String) throws {
        let error = #expect(throws: OTRError.self) { try PrivateKeyFile(parsing: Array(text.utf8)) }
        #expect(error?.field?.hasPrefix("line 1") == true, "\(String(describing: error))")
    }

    @Test func potrSerialisationIsPubkeyThenX() throws {
        let key = SeededKeys.bob
        let bytes = PotrKeySerialisation.encode(key).octets
        #expect(Array(bytes.prefix(key.publicKey.encoded.count)) == key.publicKey.encoded)
        #expect(Array(bytes.suffix(from: key.publicKey.encoded.count)) == key.x.encoded)
        let back = try PotrKeySerialisation.decode(bytes)
        #expect(back.publicKey == key.publicKey && back.x == key.x)
        #expect(throws: OTRError.self) { try PotrKeySerialisation.decode(bytes + [0]) }
        #expect(throws: OTRError.self) { try PotrKeySerialisation.decode(key.publicKey.encoded) }
    }

    /// What `otrl_privkey_write_fingerprints` wrote for these entries.
    static let libotrFingerprints = "bob@example.org\talice@example.org\tprpl-jabber\taabbccddeeff00112233445566778899aabbccdd\tverified\n"
        + "carol\talice@example.org\tprpl-irc\t00112233445566778899aabbccddeeff00112233\t\n"

    @Test func fingerprintStoresReadAndWriteAsLibotrDoes() throws {
        let input = "bob@example.org\talice@example.org\tprpl-jabber\tAABBCCDDEEFF00112233445566778899AABBCCDD\tverified\r\n"
            + "carol\talice@example.org\tprpl-irc\t00112233445566778899aabbccddeeff00112233\n"
        let (store, problems) = FingerprintStore.parse(Array(input.utf8))
        #expect(problems.isEmpty)
        #expect(store.entries.count == 2)
        #expect(store.entries[0].trust == Array("verified".utf8))
        #expect(store.entries[1].isTrusted == false)
        #expect(store.entries[1].line == 2)
        // Written back unchanged: the file's own bytes, not libotr's layout.
        #expect(try store.serialised() == Array(input.utf8))
        // The same entries in a new store are written as libotr writes them.
        #expect(try FingerprintStore(entries: store.entries.map { var e = $0; e.line = nil; return e }).serialised()
                == Array(Self.libotrFingerprints.utf8))
    }

    @Test("a rewritten store keeps every line it leaves alone byte for byte; a changed entry is written as libotr writes it, at the end")
    func fingerprintStoresChangeOnlyWhatChanged() throws {
        let fp1 = "AABBCCDDEEFF00112233445566778899AABBCCDD", fp2 = String(repeating: "12", count: 20)
        let input = "bob\ta\tprpl-jabber\t\(fp1)\r\n" + "\n" + "carol\ta\tprpl-irc\t\(fp2)\ttrusted-by-hand\n"
        var store = try FingerprintStore(rewriting: Array(input.utf8))
        #expect(store.entries.count == 2)
        #expect(try store.serialised() == Array(input.utf8))
        #expect(store.record(username: Array("bob".utf8), accountName: Array("a".utf8), protocolName: Array("prpl-jabber".utf8),
                             fingerprint: try Fingerprint(parsing: fp1), trust: Array("smp".utf8)))
        #expect(store.record(username: Array("dave".utf8), accountName: Array("a".utf8), protocolName: Array("xmpp".utf8),
                             fingerprint: try Fingerprint(parsing: fp2)))
        #expect(String(decoding: try store.serialised(), as: UTF8.self)
                == "\n" + "carol\ta\tprpl-irc\t\(fp2)\ttrusted-by-hand\n"
                + "bob\ta\tprpl-jabber\t\(fp1.lowercased())\tsmp\n" + "dave\ta\txmpp\t\(fp2)\t\n")
    }

    @Test("only a file of fingerprints is rewritten: a key file, an instance-tag file or a line libotr skips is refused", arguments: [
        "(privkeys\n (account\n(name x)\n )\n)\n",
        InstanceTagFile.header + "\na\tp\t00000100\n",
        "u\ta\tp\t" + String(repeating: "ab", count: 20) + "\nnot a fingerprint line\n",
    ])
    func onlyFingerprintFilesAreRewritten(_ text: String) throws {
        #expect(throws: OTRError.self) { try FingerprintStore(rewriting: Array(text.utf8)) }
    }

    @Test func fingerprintLinesLibotrSkipsAreReported() throws {
        let input = "too\tfew\n"
            + "a\tb\tc\tnothex\t\n"
            + "a\tb\tc\t00112233445566778899aabbccddeeff00112233\tweird\n"
            + "a\tb\tc\t00112233445566778899aabbccddeeff00112233\tsmp"
        let (store, problems) = FingerprintStore.parse(Array(input.utf8))
        #expect(problems.map(\.field) == ["line 1", "line 2", "line 3", "line 4"])
        #expect(store.entries.count == 1)
        #expect(problems[3].reason.contains("no newline"))
    }

    @Test func instanceTagFilesReadAndWriteAsLibotrDoes() throws {
        let input = InstanceTagFile.header + "\nalice@example.org\tprpl-jabber\t1a2b3c4d\nbob\tirc\t000000ff\nshort\tx\t123\n"
        let (file, problems) = InstanceTagFile.parse(Array(input.utf8))
        #expect(file.entries.count == 1)
        #expect(file.tag(accountName: Array("alice@example.org".utf8), protocolName: Array("prpl-jabber".utf8)) == InstanceTag(0x1a2b3c4d))
        #expect(problems.map(\.field) == ["line 3", "line 4"])
        #expect(problems[0].reason.contains("below 0x00000100"))
        var edited = file
        try edited.set(InstanceTag(0x100), accountName: Array("bob".utf8), protocolName: Array("irc".utf8))
        // Lines libotr skips are not otrtool's to drop: they stay as they were.
        #expect(String(decoding: try edited.serialised(), as: UTF8.self) == input + "bob\tirc\t00000100\n")
        try edited.set(InstanceTag(0x200), accountName: Array("alice@example.org".utf8), protocolName: Array("prpl-jabber".utf8))
        #expect(String(decoding: try edited.serialised(), as: UTF8.self)
                == InstanceTagFile.header + "\nbob\tirc\t000000ff\nshort\tx\t123\nbob\tirc\t00000100\nalice@example.org\tprpl-jabber\t00000200\n")
        let fresh = InstanceTagFile(entries: [.init(accountName: Array("a".utf8), protocolName: Array("p".utf8), tag: InstanceTag(0x100))])
        #expect(String(decoding: try fresh.serialised(), as: UTF8.self) == InstanceTagFile.header + "\na\tp\t00000100\n")
        #expect(throws: OTRError.self) { try edited.set(InstanceTag(0xff), accountName: [0x61], protocolName: [0x62]) }
        let random = DeterministicRandom(seedText: "tags")
        for _ in 0..<50 { #expect(InstanceTagFile.newTag(random: random).isValidSender) }
    }

    @Test("an instance-tag file is empty, starts with libotr's warning line or holds an entry; a key file is none of these",
          arguments: [
              ("", true), ("\n\n", true), (InstanceTagFile.header + "\n", true), (InstanceTagFile.header + "\r\n# mine\n", true),
              ("a\tp\t00000100\n", true), ("# note\na\tp\t00000100\n", true),
              ("(privkeys\n (account\n(name x)\n(protocol p)\n )\n)\n", false), ("hello\n", false), ("WARNING\n", false),
          ])
    func instanceTagFilesAreRecognised(_ text: String, _ accepted: Bool) throws {
        let (file, problems) = InstanceTagFile.parse(Array(text.utf8))
        #expect(problems.isEmpty == accepted, "\(problems)")
        if !accepted {
            #expect(problems.first?.reason.contains("not an otr.instance_tags file") == true, "\(problems)")
        } else {
            #expect(try file.serialised() == Array(text.isEmpty ? (InstanceTagFile.header + "\n").utf8 : text.utf8))
        }
    }

    @Test("a key file rewritten keeps each account it leaves alone byte for byte, comments and unknown parameters included")
    func keyFilesKeepWhatTheyDoNotUnderstand() throws {
        let text = Self.keyFileText()
        let account = text.index(text.startIndex, offsetBy: "(privkeys\n".count)
        // A comment in the account and in the private key, and a parameter
        // of libgcrypt's own inside dsa; a layout libotr never writes.
        var edited = text.replacingOccurrences(of: "(protocol prpl-jabber)", with: "(protocol prpl-jabber)\n(comment \"my laptop\")")
        edited = edited.replacingOccurrences(of: "  (x #", with: "  (extra #0102#)\n  (x #")
        edited = edited.replacingOccurrences(of: "\n  )\n )\n )\n)\n", with: "\n  ) (comment \"in the key\")\n ) (comment 7:private)\n )\n)  \n")
        #expect(edited != text && edited[account...].hasPrefix(" (account"))
        var file = try PrivateKeyFile(parsing: Array(edited.utf8))
        #expect(try file.serialised() == Array(edited.utf8))
        try file.add(AccountKey(accountName: "b@x", protocolName: "prpl-jabber", key: SeededKeys.bob), replacing: false)
        let written = String(decoding: try file.serialised(), as: UTF8.self)
        #expect(written.hasPrefix(String(edited.dropLast("\n)  \n".count))), "the first account is kept as it was")
        #expect(written.hasSuffix(" )\n)  \n"), "the file's own closing bytes are kept")
        let back = try PrivateKeyFile(parsing: Array(written.utf8))
        #expect(back.accounts.map(\.accountName) == [Array("alice@example.org".utf8), Array("b@x".utf8)])
        // Replacing the first account drops its text, comments with it.
        try file.add(AccountKey(accountName: "alice@example.org", protocolName: "prpl-jabber", key: SeededKeys.bob), replacing: true)
        let replaced = String(decoding: try file.serialised(), as: UTF8.self)
        #expect(!replaced.contains("my laptop") && replaced.hasPrefix("(privkeys\n (account\n(name \"b@x\")"), "\(replaced.prefix(80))")
    }
}

extension String {
    /// "\xHH" escape of one byte.
    init(format2 b: UInt8) {
        self = "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
    }
}
