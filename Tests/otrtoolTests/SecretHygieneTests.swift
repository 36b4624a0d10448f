import Foundation
import Testing

/// How otrtool handles secrets (see docs/secret-hygiene.md): every secret
/// option reads file:, env: and fd: as it reads hex:; key and instance-tag
/// files are written 0600 through a temporary file and a rename, and never
/// clobber an account; seeded modes warn and stay out of chat clients'
/// files; errors and output never echo a secret.
@Suite("secret hygiene")
struct SecretHygieneTests {
    // MARK: Every secret option, every form

    /// One secret option of one command, with what it needs to run.
    enum SecretOption: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case decodeAES = "decode --aes-key"
        case decodeMAC = "decode --mac-key"
        case decodeDH = "decode --dh-private"
        case decodeAKE = "decode --ake-secret"
        case decodeSMPExponent = "decode --smp-exponent"
        case decodeSMPSecret = "decode --smp-secret"
        case encodeAES = "encode --aes-key"
        case encodeMAC = "encode --mac-key"
        case commitDH = "encode dh-commit --dh-private"
        case commitR = "encode dh-commit --r"
        case dhKeyDH = "encode dh-key --dh-private"
        case dataAES = "encode data --aes-key"
        case dataMAC = "encode data --mac-key"
        case deriveDH = "derive session --dh-private"
        case deriveTheirs = "derive session --their-public"
        case macKeyAES = "derive mac-key --aes-key"
        case reencryptAES = "forge reencrypt --aes-key"
        case reencryptMAC = "forge reencrypt --mac-key"
        case modifyMAC = "forge modify --mac-key"
        case remacMAC = "forge remac --mac-key"
        case transcriptAES = "forge transcript --aes-key"
        case transcriptMAC = "forge transcript --mac-key"

        var testDescription: String { rawValue }

        /// The source file and option name that declare it.
        var declaration: String {
            switch self {
            case .decodeAES: "SecretOptions.swift aes-key"
            case .decodeMAC: "SecretOptions.swift mac-key"
            case .decodeDH: "SecretOptions.swift dh-private"
            case .decodeAKE: "SecretOptions.swift ake-secret"
            case .decodeSMPExponent: "SecretOptions.swift smp-exponent"
            case .decodeSMPSecret: "SecretOptions.swift smp-secret"
            case .encodeAES: "Encode.swift aes-key"
            case .encodeMAC: "Encode.swift mac-key"
            case .commitDH, .dhKeyDH: "EncodeFields.swift dh-private"
            case .commitR: "EncodeFields.swift r"
            case .dataAES: "EncodeFields.swift aes-key"
            case .dataMAC: "EncodeFields.swift mac-key"
            case .deriveDH: "Derive.swift dh-private"
            case .deriveTheirs: "Derive.swift their-public"
            case .macKeyAES: "Derive.swift aes-key"
            case .reencryptAES: "Forge.swift aes-key"
            case .reencryptMAC, .modifyMAC, .remacMAC: "Forge.swift mac-key"
            case .transcriptAES: "ForgeTranscript.swift aes-key"
            case .transcriptMAC: "ForgeTranscript.swift mac-key"
            }
        }
    }

    @Test("every SecretSource option in Sources/otrtool is covered by the form tests")
    func everySecretOptionIsCovered() throws {
        let folder = Tool.repositoryRoot.appendingPathComponent("Sources/otrtool")
        let files = try #require(FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String])
        var declared: [String] = []
        for file in files where file.hasSuffix(".swift") {
            let lines = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, line) in lines.enumerated()
            where line.contains("var ") && (line.contains(": SecretSource") || line.contains(": [SecretSource]")) {
                // The option's name is in the nearest customLong above the declaration.
                let option = lines[..<i].reversed().lazy.compactMap { S.capture(#"customLong\("([a-z-]+)"\)"#, in: $0) }.first
                declared.append("\((file as NSString).lastPathComponent) \(option ?? "?")")
            }
        }
        #expect(!declared.isEmpty)
        let covered = SecretOption.allCases.map(\.declaration)
        #expect(declared.sorted() == covered.sorted(),
                "secret options declared in Sources/otrtool and options these tests cover differ: \(declared.sorted()) vs \(covered.sorted())")
    }

    @Test("file:, env:, fd: and bare hex give the same result as hex:", arguments: SecretOption.allCases)
    func everyFormGivesTheSameResult(_ option: SecretOption) throws {
        let m = try S.Material()
        let (secret, stdin, build) = try m.setUp(option)
        let dir = try TemporaryDirectory("secret-forms")
        let file = try dir.write("secret", secret + "\n")

        let hex = try Tool.run(build("hex:\(secret)"), stdin: stdin)
        #expect(hex.status == 0, "\(option) with hex: failed: \(hex.err)")
        #expect(!hex.stdout.isEmpty)
        try m.check(option, hex)

        let forms: [(String, Tool.Result)] = [
            ("bare hex", try Tool.run(build(secret), stdin: stdin)),
            ("file:", try Tool.run(build("file:\(file)"), stdin: stdin)),
            ("env:", try Tool.run(build("env:OTRTOOL_TEST_SECRET"), stdin: stdin, environment: ["OTRTOOL_TEST_SECRET": secret])),
            ("fd:", try S.withDescriptor3(file, build("fd:3"), stdin: stdin)),
        ]
        for (form, result) in forms {
            #expect(result.status == hex.status, "\(option) \(form): status \(result.status): \(result.err)")
            #expect(result.stdout == hex.stdout, "\(option) \(form) gives other output than hex:")
            #expect(result.err == hex.err, "\(option) \(form): \(result.err)")
        }
    }

    @Test("an unreadable secret source is an error naming the source (a file or descriptor that cannot be opened: 66, as any input; else a usage error), and an endless one is not read to the end",
          arguments: [("env:OTRTOOL_TEST_UNSET_VARIABLE", Int32(64)), ("file:/nonexistent/secret", 66), ("fd:9", 66),
                      ("file:/dev/zero", 64), ("fd:0", 64)])
    func unreadableSecretSources(_ source: String, _ status: Int32) throws {
        // fd:0 is /dev/zero too: standard input never ends.
        let result = try Tool.run(["-c", "exec \"$0\" \"$@\" < /dev/zero", Tool.binary.path, "derive", "mac-key", "--aes-key", source],
                                  executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(result.status == status, "\(source): \(result.status) \(result.err)")
        let name = source.split(separator: ":", maxSplits: 1).last.map(String.init) ?? source
        #expect(result.err.contains("--aes-key") && result.err.contains(name), "\(result.err)")
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(result.out.isEmpty)
    }

    // MARK: Files written

    @Test("keygen creates key and instance-tag files 0600 even under umask 000, and leaves no temporary file")
    func newFilesAreOwnerOnly() throws {
        let dir = try TemporaryDirectory("secret-mode")
        let result = try Tool.run(["-c", "umask 000; exec \"$0\" \"$@\"", Tool.binary.path, "keygen", "--account", "a@x",
                                   "--protocol", "prpl-jabber", "--key-file", dir.path("keys"), "--instance-tags", dir.path("tags"),
                                   "--seed", "mode"], executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(result.status == 0, "\(result.err)")
        #expect(try dir.mode("keys") == 0o600)
        #expect(try dir.mode("tags") == 0o600)
        #expect(try S.listing(dir) == ["keys", "tags"])
    }

    @Test("keygen rewrites a key file by rename: a hard link keeps the old content, the new file is 0600")
    func keyFileIsReplacedByRename() throws {
        let dir = try TemporaryDirectory("secret-rename")
        let keys = dir.path("keys"), tags = dir.path("tags")
        #expect(try S.keygen("a@x", keys, tags: tags).status == 0)
        let oldKeys = try dir.read("keys"), oldTags = try dir.read("tags")
        try FileManager.default.linkItem(atPath: keys, toPath: dir.path("keys.link"))
        try FileManager.default.linkItem(atPath: tags, toPath: dir.path("tags.link"))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keys)

        let second = try S.keygen("b@x", keys, tags: tags)
        #expect(second.status == 0, "\(second.err)")
        #expect(try dir.read("keys.link") == oldKeys, "the old file was rewritten in place, not replaced")
        #expect(try dir.read("tags.link") == oldTags, "the old instance tags were rewritten in place, not replaced")
        #expect(try dir.read("keys") != oldKeys)
        #expect(try Tool.run(["fingerprint", keys]).lines.count == 2)
        #expect(try dir.mode("keys") == 0o600, "the replacement is 0600 whatever the old mode was")
        #expect(try dir.mode("tags") == 0o600)
        #expect(try S.listing(dir) == ["keys", "keys.link", "tags", "tags.link"])
    }

    @Test("convert-key -o: new files are 0600; an existing file or account is replaced only with --replace, by rename")
    func convertKeyOutput() throws {
        let dir = try TemporaryDirectory("secret-convert")
        let keys = dir.path("keys")
        #expect(try S.keygen("a@x", keys).status == 0)
        let potr = dir.path("a.potr")
        let first = try Tool.run(["convert-key", "--to", "potr", "-o", potr, keys])
        #expect(first.status == 0 && first.out.isEmpty, "\(first.err)")
        #expect(try dir.mode("a.potr") == 0o600)
        let old = try Data(contentsOf: URL(fileURLWithPath: potr))
        try FileManager.default.linkItem(atPath: potr, toPath: dir.path("a.potr.link"))

        // Another key over the potr file: refused, then replaced by rename.
        let other = dir.path("other")
        #expect(try S.keygen("b@x", other, seed: "other").status == 0)
        let refused = try Tool.run(["convert-key", "--to", "potr", "-o", potr, other])
        #expect(refused.status == 64 && refused.err.contains("--replace"), "\(refused.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: potr)) == old)
        let replaced = try Tool.run(["convert-key", "--to", "potr", "-o", potr, "--replace", other])
        #expect(replaced.status == 0, "\(replaced.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: potr)) != old)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.path("a.potr.link"))) == old)
        #expect(try dir.mode("a.potr") == 0o600)

        // The potr key into the libotr key file: a new account is added; the
        // same account again is refused without --replace.
        let before = try dir.read("keys")
        try FileManager.default.linkItem(atPath: keys, toPath: dir.path("keys.link"))
        let added = try Tool.run(["convert-key", "--to", "libotr", "--account", "c@x", "--protocol", "prpl-jabber", "-o", keys, potr])
        #expect(added.status == 0, "\(added.err)")
        #expect(try Tool.run(["fingerprint", keys]).lines.count == 2)
        #expect(try dir.read("keys.link") == before)
        #expect(try dir.mode("keys") == 0o600)
        let afterAdd = try dir.read("keys")
        let clobber = try Tool.run(["convert-key", "--to", "libotr", "--account", "a@x", "--protocol", "prpl-jabber", "-o", keys, potr])
        #expect(clobber.status == 64 && clobber.err.contains("already holds a key for a@x"), "\(clobber.err)")
        #expect(try dir.read("keys") == afterAdd)
        #expect(try S.listing(dir) == ["a.potr", "a.potr.link", "keys", "keys.link", "other"])
    }

    enum FailedWrite: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case newKeyFile = "keygen --key-file (new)"
        case existingKeyFile = "keygen --key-file (existing)"
        case instanceTags = "keygen --instance-tags (existing)"
        case convertPotr = "convert-key --to potr -o --replace"
        case convertLibotr = "convert-key --to libotr -o (existing)"
        var testDescription: String { rawValue }
    }

    @Test("a write that fails (no space: ulimit -f 0) exits 74 and leaves the old file and its links untouched, no temporary file",
          arguments: FailedWrite.allCases)
    func failedWriteLeavesTheOldFile(_ write: FailedWrite) throws {
        let dir = try TemporaryDirectory("secret-enospc")
        let keys = dir.path("keys"), tags = dir.path("tags"), potr = dir.path("k.potr")
        #expect(try S.keygen("a@x", keys, tags: tags).status == 0)
        #expect(try Tool.run(["convert-key", "--to", "potr", "-o", potr, keys]).status == 0)
        let target: String
        let arguments: [String]
        switch write {
        case .newKeyFile:
            target = dir.path("new")
            arguments = ["keygen", "--account", "b@x", "--protocol", "prpl-jabber", "--key-file", target, "--seed", "b"]
        case .existingKeyFile:
            target = keys
            arguments = ["keygen", "--account", "b@x", "--protocol", "prpl-jabber", "--key-file", keys, "--seed", "b"]
        case .instanceTags:
            target = tags
            arguments = ["keygen", "--account", "b@x", "--protocol", "prpl-jabber", "--instance-tags", tags, "--seed", "b"]
        case .convertPotr:
            target = potr
            arguments = ["convert-key", "--to", "potr", "-o", potr, "--replace", keys]
        case .convertLibotr:
            target = keys
            arguments = ["convert-key", "--to", "libotr", "--account", "b@x", "--protocol", "prpl-jabber", "-o", keys, potr]
        }
        let existed = FileManager.default.fileExists(atPath: target)
        let before = existed ? try Data(contentsOf: URL(fileURLWithPath: target)) : nil
        if existed { try FileManager.default.linkItem(atPath: target, toPath: target + ".link") }
        let listing = try S.listing(dir)

        let (status, output) = try S.withoutDiskSpace(arguments)
        #expect(status == 74, "\(write): status \(status): \(output)")
        #expect(output.contains("File too large"), "the error says why: \(output)")
        let after = try S.listing(dir)
        #expect(after == listing, "no temporary or partial file is left: \(after)")
        if let before {
            #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == before)
            let links = try FileManager.default.attributesOfItem(atPath: target)[.referenceCount] as? NSNumber
            #expect(links?.intValue == 2, "the old file is still the same inode")
        } else {
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    @Test("a key file in a missing directory is exit 73 and nothing is created")
    func missingDirectory() throws {
        let dir = try TemporaryDirectory("secret-nodir")
        let result = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--key-file", dir.path("missing/keys"), "--seed", "x"])
        #expect(result.status == 73)
        #expect(result.err.contains("cannot create") && result.err.contains("missing"), "\(result.err)")
        #expect(try S.listing(dir).isEmpty)
    }

    // MARK: Seeded modes

    @Test("keygen --seed and --insecure-seed warn INSECURE on stderr, whatever the output; keygen without a seed does not warn")
    func keygenSeedWarns() throws {
        let dir = try TemporaryDirectory("secret-seed")
        let runs = [
            try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "s"]),
            try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--insecure-seed", "s", "--json"]),
            try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "s", "--key-file", dir.path("k")]),
        ]
        for run in runs {
            #expect(run.status == 0, "\(run.err)")
            #expect(run.err.contains("WARNING") && run.err.contains("INSECURE"), "\(run.err)")
            #expect(!run.out.contains("INSECURE"), "the warning goes to stderr, not into the key or JSON")
        }
        let real = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--json"])
        // Standard error holds the fingerprint (and, the test's output file
        // being 0644, the mode warning), no INSECURE.
        #expect(real.status == 0 && !real.err.contains("INSECURE") && real.err.contains("the key fingerprint is"), "\(real.err)")
        #expect(try Tool.jsonLines(real).first?["seeded"] as? Bool == false)
    }

    @Test("session --insecure-seed warns on stderr; a session without it does not")
    func sessionSeedWarns() throws {
        let dir = try TemporaryDirectory("secret-session-seed")
        #expect(try S.keygen("a@x", dir.path("k")).status == 0)
        let base = ["session", "--key-file", dir.path("k"), "--account", "a@x", "--protocol", "prpl-jabber", "--json"]
        let seeded = try Tool.run(base + ["--insecure-seed", "s"], stdin: Data("/query\n".utf8))
        #expect(seeded.status == 0)
        #expect(seeded.err.contains("WARNING") && seeded.err.lowercased().contains("insecure"), "\(seeded.err)")
        let real = try Tool.run(base, stdin: Data("/query\n".utf8))
        #expect(real.status == 0 && real.err.isEmpty, "\(real.err)")
    }

    @Test("simulate: the seeded, secret-printing simulation must warn INSECURE on stderr", arguments: [[], ["--json"], ["--wire-only"]])
    func simulateWarns(_ extra: [String]) throws {
        let run = try Tool.run(["simulate"] + extra, stdin: Data("alice: /query\nalice: hi\n".utf8))
        #expect(run.status == 0)
        #expect(run.err.uppercased().contains("INSECURE"),
                "simulate \(extra.joined(separator: " ")) derives every key from a public seed (and prints the long-term private keys with --json) but prints no INSECURE warning on stderr")
    }

    @Test("keygen --seed refuses every file name and directory chat clients use, for --key-file and --instance-tags",
          arguments: ["otr.fingerprints", "otr.fp", "otr.instag", "alice.otr_fprints", "alice.otr_instags",
                      ".irssi/keys", ".config/irssi/keys", ".bitlbee/keys", ".weechat/otr/keys", ".local/share/weechat/otr/keys",
                      ".config/Adium 2.0/keys", "/var/lib/bitlbee/keys", "/etc/bitlbee/keys"])
    func seededKeysStayOutOfClientPaths(_ path: String) throws {
        let home = try TemporaryDirectory("secret-home")
        let target = path.hasPrefix("/") ? path : home.path(path)
        if path.hasPrefix("/") {
            try #require(!FileManager.default.fileExists(atPath: target), "\(target) exists on this machine; not touching it")
        }
        for option in ["--key-file", "--instance-tags"] {
            let result = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x", option, target],
                                      environment: ["HOME": home.url.path])
            #expect(result.status == 64, "\(option) \(path): \(result.status) \(result.err)")
            #expect(result.err.contains("refusing"), "\(result.err)")
            #expect(result.out.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: target))
        }
        // Without the seed the same path is a normal destination (for the relative ones).
        if !path.hasPrefix("/") {
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let real = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--key-file", target], environment: ["HOME": home.url.path])
            #expect(real.status == 0, "\(real.err)")
        }
    }

    @Test("keygen --seed refuses a client directory reached through a symbolic link")
    func seededKeysStayOutThroughSymlinks() throws {
        let home = try TemporaryDirectory("secret-link")
        try FileManager.default.createDirectory(atPath: home.path(".purple"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home.path("innocent"), withDestinationPath: home.path(".purple"))
        let result = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x", "--key-file", home.path("innocent/keys")],
                                  environment: ["HOME": home.url.path])
        #expect(result.status == 64 && result.err.contains(".purple"), "\(result.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path(".purple")).isEmpty)
    }

    // MARK: Secrets never echoed

    enum Leak: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case wrongAESFromEnv = "decode: wrong --aes-key from env:"
        case notHexFile = "decode: --aes-key file that is not hex"
        case outOfRangeDHFromFD = "decode: --dh-private p from fd:"
        case shortAESFromEnv = "encode data: 15-byte --aes-key from env:"
        case wrongAESForge = "forge reencrypt: wrong --aes-key from file:"
        case wrongMACForge = "forge modify: wrong --mac-key from env:"
        case wrongAESTranscript = "forge transcript --rewrite: wrong --aes-key from fd:"
        case shortAESDerive = "derive mac-key: 17-byte --aes-key from file:"
        case outOfRangeDerive = "derive: --dh-private 0 from env:"
        var testDescription: String { rawValue }
    }

    @Test("a rejected secret never appears on stderr or stdout", arguments: Leak.allCases)
    func rejectedSecretsAreNotEchoed(_ leak: Leak) throws {
        let m = try S.Material()
        let dir = try TemporaryDirectory("secret-leak")
        let wrongKey = "5ec7e75ec7e75ec7e75ec7e75ec7e7aa"
        let input = Data((m.message + "\n").utf8)
        let result: Tool.Result
        let secret: String
        switch leak {
        case .wrongAESFromEnv:
            secret = wrongKey
            result = try Tool.run(["decode", "--json", "--aes-key", "env:K"], stdin: input, environment: ["K": secret])
        case .notHexFile:
            secret = "5ec7e75ec7e7-not-hex-5ec7e7"
            result = try Tool.run(["decode", "--aes-key", "file:\(try dir.write("k", secret))"], stdin: input)
        case .outOfRangeDHFromFD:
            secret = S.modulusHex.lowercased()
            result = try S.withDescriptor3(try dir.write("x", secret), ["decode", "--dh-private", "fd:3"], stdin: input)
        case .shortAESFromEnv:
            secret = String(wrongKey.dropLast(2))
            result = try Tool.run(["encode", "data", "--aes-key", "env:K", "--next-dh-key", "010000", "--text", "t"],
                                  environment: ["K": secret])
        case .wrongAESForge:
            secret = wrongKey
            result = try Tool.run(["forge", "reencrypt", "--aes-key", "file:\(try dir.write("k", secret))", "--text", "x"], stdin: input)
        case .wrongMACForge:
            secret = wrongKey + "5ec7e7aa"
            result = try Tool.run(["forge", "modify", "--mac-key", "env:K", "--old", "h", "--new", "j", "--offset", "0"],
                                  stdin: input, environment: ["K": secret])
        case .wrongAESTranscript:
            secret = wrongKey
            result = try S.withDescriptor3(try dir.write("k", secret), ["forge", "transcript", "--aes-key", "fd:3", "--rewrite", "1:x"],
                                           stdin: input)
        case .shortAESDerive:
            secret = wrongKey + "aa"
            result = try Tool.run(["derive", "mac-key", "--aes-key", "file:\(try dir.write("k", secret))"])
        case .outOfRangeDerive:
            secret = String(repeating: "0", count: 32)
            result = try Tool.run(["derive", "--dh-private", "env:K", "--their-public", "010000"], environment: ["K": secret])
        }
        #expect(result.status != 0, "\(leak) should fail: \(result.err)")
        #expect(!result.err.isEmpty)
        for text in [result.err, result.out] {
            #expect(!text.lowercased().contains(secret.lowercased()), "\(leak) echoes the secret: \(text.prefix(300))")
            #expect(!text.contains("5ec7e7"), "\(leak) echoes part of the secret: \(text.prefix(300))")
        }
    }

    @Test("a malformed secret on the command line must not be echoed in the usage error",
          arguments: ["hex:5ec7e75ec7e75ec7e75ec7e75ec7e7zz", "5ec7e75ec7e75ec7e75ec7e75ec7e7a"])
    func malformedArgvSecretIsNotEchoed(_ value: String) throws {
        let result = try Tool.run(["derive", "mac-key", "--aes-key", value])
        #expect(result.status == 64)
        #expect(!result.err.contains("5ec7e75ec7e7"),
                "the argument parser prints the rejected secret back: \(result.err.split(separator: "\n").first ?? "")")
    }

    @Test("decode and encode print keys only when asked: not without --show-keys, and yes with it")
    func keysAppearOnlyWhenAsked() throws {
        let m = try S.Material()
        let input = Data((m.message + "\n").utf8)
        for arguments in [["decode", "--json"], ["decode"]] {
            let quiet = try Tool.run(arguments + ["--aes-key", "env:K"], stdin: input, environment: ["K": m.aesKey])
            #expect(quiet.status == 0)
            #expect(!quiet.out.contains(m.aesKey) && !quiet.out.contains(m.macKey), "\(arguments) prints a key without --show-keys")
            #expect(quiet.out.contains(m.text), "the message still decrypts")
            let shown = try Tool.run(arguments + ["--aes-key", "env:K", "--show-keys"], stdin: input, environment: ["K": m.aesKey])
            #expect(shown.out.contains(m.aesKey) && shown.out.contains(m.macKey), "--show-keys shows them (so the check above can fail)")
        }
        // The D-H private exponents and the keys derived from them stay hidden too.
        let capture = try m.capture()
        let quiet = try Tool.run(["decode", "--json", "--dh-private", "env:X"], stdin: capture.log, environment: ["X": capture.alicePrivate])
        #expect(quiet.status == 0, "\(quiet.err)")
        #expect(!quiet.out.contains(capture.alicePrivate))
        #expect(!quiet.out.contains("\"aes_key\"") && !quiet.out.contains("\"mac_key\""))
        #expect(quiet.out.contains("\"mac_valid\":true"))
    }

    @Test("keygen --key-file never prints the private key; only standard-output keys carry x")
    func keygenPrintsNoPrivateKeyWhenWritingAFile() throws {
        let dir = try TemporaryDirectory("secret-keygen-out")
        let toStdout = try Tool.jsonLines(try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x", "--json"]))
        let x = try #require(toStdout.first?["x"] as? String)
        for extra in [[], ["--json"]] {
            let run = try Tool.run(["keygen", "--account", "a", "--protocol", "p", "--seed", "x", "--key-file", dir.path("k\(extra.count)")] + extra)
            #expect(run.status == 0, "\(run.err)")
            #expect(!run.out.contains(x) && !run.err.contains(x), "keygen \(extra) --key-file printed x")
            #expect(!run.out.contains("\"x\""))
        }
    }

    @Test("session: SMP secrets typed on standard input never appear in either party's output or errors")
    func smpSecretsAreNotEchoed() throws {
        let dir = try TemporaryDirectory("secret-smp")
        let key = dir.path("k.key")
        for account in ["a", "b"] {
            #expect(try Tool.run(["keygen", "--account", account, "--protocol", "p", "--key-file", key, "--seed", account]).status == 0)
        }
        let secret = "Sup3r-S3cret-Phrase"
        func start(_ account: String) throws -> LiveProcess {
            // stderr goes to a file through the shell; LiveProcess discards its own.
            try LiveProcess(name: account, executable: URL(fileURLWithPath: "/bin/sh"),
                            arguments: ["-c", "errors=\"$1\"; shift; exec \"$0\" \"$@\" 2>\"$errors\"", Tool.binary.path,
                                        dir.path("\(account).err"), "session", "--json", "--key-file", key, "--account", account, "--protocol", "p"])
        }
        let a = try start("a"), b = try start("b")
        try LiveProcess.relay(try a.send("/query"), to: b, then: a)
        try LiveProcess.relay(try a.send("/smpq colour?|\(secret)"), to: b, then: a)
        try LiveProcess.relay(try b.send("/smp \(secret)"), to: a, then: b)
        a.close()
        b.close()
        let outcomes = (a.events + b.events).filter { $0["event"] as? String == "smp" }.compactMap { $0["outcome"] as? String }
        #expect(outcomes.contains("succeeded"), "SMP ran (so the secret was used): \(outcomes)")
        let everything = try (a.events + b.events).map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            + [try dir.read("a.err"), try dir.read("b.err")]
        let hex = S.hex(Array(secret.utf8))
        for text in everything {
            #expect(!text.contains(secret) && !text.contains(hex), "the SMP secret leaked: \(text.prefix(200))")
        }
        #expect(!(a.events + b.events).contains { ["dh", "keys", "smp_exponents"].contains($0["event"] as? String ?? "") },
                "secrets events without --show-secrets")
    }
}

// MARK: - Helpers

private enum S {
    static let modulusHex = """
        FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
        EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
        EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
        83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF
        """

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    static func capture(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(match.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    static func listing(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).sorted()
    }

    static func keygen(_ account: String, _ keyFile: String, tags: String? = nil, seed: String = "hygiene") throws -> Tool.Result {
        try Tool.run(["keygen", "--account", account, "--protocol", "prpl-jabber", "--key-file", keyFile, "--seed", seed]
                     + (tags.map { ["--instance-tags", $0] } ?? []))
    }

    /// otrtool with `file` open on descriptor 3.
    static func withDescriptor3(_ file: String, _ arguments: [String], stdin: Data = Data()) throws -> Tool.Result {
        try Tool.run(["-c", "exec 3<\"$1\"; shift; exec \"$0\" \"$@\"", Tool.binary.path, file] + arguments,
                     stdin: stdin, executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// otrtool with no file space (ulimit -f 0, SIGXFSZ ignored so writes
    /// fail with EFBIG). Its output and status come back through a pipe,
    /// which the limit does not touch.
    static func withoutDiskSpace(_ arguments: [String]) throws -> (status: Int, output: String) {
        let run = try Tool.run(["-c", "( trap '' XFSZ; ulimit -f 0 || exit 99; \"$0\" \"$@\" 2>&1; echo \"exit $?\" ) | cat",
                                Tool.binary.path] + arguments, executable: URL(fileURLWithPath: "/bin/sh"))
        let last = run.lines.last ?? ""
        return (Int(last.replacingOccurrences(of: "exit ", with: "")) ?? -1, run.out)
    }

    /// Keys and messages the secret tests share.
    struct Material {
        let aesKey = "00112233445566778899aabbccddeeff"
        let text = "hygiene"
        let macKey: String
        /// A Data message under aesKey, counter 1.
        let message: String

        init() throws {
            let mac = try Tool.run(["derive", "mac-key", "--json", "--aes-key", "hex:\(aesKey)"])
            macKey = try #require(try Tool.jsonLines(mac).first?["mac_key"] as? String, "\(mac.err)")
            let data = try Tool.run(["encode", "data", "--aes-key", "hex:\(aesKey)", "--next-dh-key", "010000", "--text", text])
            message = try #require(data.lines.first, "\(data.err)")
        }

        /// A simulated AKE and one message, alice's first D-H exponent, and
        /// the AKE's shared secret s = (bob's g^y)^x mod p.
        func capture() throws -> (log: Data, alicePrivate: String, sharedSecret: String) {
            let script = Data("alice: /query\nalice: hello\n".utf8)
            let json = try Tool.run(["simulate", "--json", "--seed", "hygiene"], stdin: script)
            let log = try Tool.run(["simulate", "--wire-only", "--seed", "hygiene"], stdin: script)
            try #require(json.status == 0 && log.status == 0, "\(json.err)\(log.err)")
            let dh = try Tool.jsonLines(json).filter { $0["event"] as? String == "dh" && $0["keyid"] as? Int == 1 }
            let x = try #require(dh.first { $0["party"] as? String == "alice" }?["private"] as? String)
            let gy = try #require(dh.first { $0["party"] as? String == "bob" }?["public"] as? String)
            // Big-integer power with Debian's python, which the peer tests use too.
            let python = URL(fileURLWithPath: "/usr/bin/python3")
            try #require(FileManager.default.isExecutableFile(atPath: python.path), "python3 is missing: apt-get install python3")
            let s = try Tool.run(["-c", "import sys; print(format(pow(int(sys.argv[1], 16), int(sys.argv[2], 16), int(sys.argv[3], 16)), 'x'))",
                                  gy, x, S.modulusHex], executable: python)
            let secret = try #require(s.lines.first, "\(s.err)")
            return (log.stdout, x, secret.count % 2 == 0 ? secret : "0" + secret)
        }

        /// A simulated SMP with equal secrets: the capture, alice's D-H
        /// exponents as decode options, and bob's SMP exponents a2, a3.
        func smpCapture() throws -> (log: Data, dh: [String], exponents: [String]) {
            let script = Data("alice: /query\nalice: hi\nbob: /smp blue\nalice: /smp blue\n".utf8)
            let json = try Tool.run(["simulate", "--json", "--seed", "hygiene"], stdin: script)
            let log = try Tool.run(["simulate", "--wire-only", "--seed", "hygiene"], stdin: script)
            try #require(json.status == 0 && log.status == 0, "\(json.err)\(log.err)")
            let events = try Tool.jsonLines(json)
            let dh = events.filter { $0["event"] as? String == "dh" && $0["party"] as? String == "alice" }
                .compactMap { $0["private"] as? String }.flatMap { ["--dh-private", "hex:" + $0] }
            let values = try #require(events.first { $0["event"] as? String == "smp_exponents" && $0["party"] as? String == "bob" }?["values"]
                                      as? [String: String])
            return (log.stdout, dh, [values["a2"] ?? "", values["a3"] ?? ""])
        }

        /// The secret, standard input and argument builder for `option`.
        func setUp(_ option: SecretHygieneTests.SecretOption) throws -> (secret: String, stdin: Data, build: (String) -> [String]) {
            let input = Data((message + "\n").utf8)
            switch option {
            case .decodeAES:
                return (aesKey, input, { ["decode", "--json", "--aes-key", $0] })
            case .decodeMAC:
                return (macKey, input, { ["decode", "--json", "--mac-key", $0] })
            case .decodeDH:
                let c = try capture()
                return (c.alicePrivate, c.log, { ["decode", "--json", "--dh-private", $0] })
            case .decodeAKE:
                let c = try capture()
                return (c.sharedSecret, c.log, { ["decode", "--json", "--ake-secret", $0] })
            case .decodeSMPExponent:
                let c = try smpCapture()
                return (c.exponents[0], c.log, { ["decode", "--json"] + c.dh + ["--smp-exponent", $0, "--smp-exponent", "hex:" + c.exponents[1]] })
            case .decodeSMPSecret:
                let c = try smpCapture()
                // "blue", the secret both parties answered with.
                return ("626c7565", c.log, { ["decode", "--json"] + c.dh + ["--smp-secret", $0, "--smp-secret", "hex:626c7565"] })
            case .encodeAES:
                let json = #"{"kind":"data","version":3,"sender_instance":256,"receiver_instance":0,"flags":0,"sender_keyid":1,"#
                    + #""recipient_keyid":1,"next_dh_key":"010000","counter":"0000000000000001","encrypted_message":"","mac":"","#
                    + #""old_mac_keys":"","plaintext":{"message":"rebuilt"}}"#
                return (aesKey, Data((json + "\n").utf8), { ["encode", "--aes-key", $0] })
            case .encodeMAC:
                let json = try Tool.run(["decode", "--json"], stdin: input)
                return (String(repeating: "ab", count: 20), json.stdout, { ["encode", "--mac-key", $0] })
            case .commitDH:
                return ("0123456789abcdef0123456789abcdef", Data(), { ["encode", "dh-commit", "--dh-private", $0, "--r", "hex:\(aesKey)"] })
            case .commitR:
                return (aesKey, Data(), { ["encode", "dh-commit", "--gx", "010000", "--r", $0] })
            case .dhKeyDH:
                return ("0123456789abcdef0123456789abcdef", Data(), { ["encode", "dh-key", "--dh-private", $0] })
            case .dataAES:
                return (aesKey, Data(), { ["encode", "data", "--aes-key", $0, "--next-dh-key", "010000", "--text", "t"] })
            case .dataMAC:
                return (String(repeating: "cd", count: 20), Data(),
                        { ["encode", "data", "--aes-key", "hex:\(aesKey)", "--mac-key", $0, "--next-dh-key", "010000", "--text", "t"] })
            case .deriveDH:
                return ("0123456789abcdef0123456789abcdef", Data(), { ["derive", "session", "--json", "--dh-private", $0, "--their-public", "010000"] })
            case .deriveTheirs:
                return ("010000", Data(), { ["derive", "session", "--json", "--dh-private", "hex:1234", "--their-public", $0] })
            case .macKeyAES:
                return (aesKey, Data(), { ["derive", "mac-key", "--aes-key", $0] })
            case .reencryptAES:
                return (aesKey, input, { ["forge", "reencrypt", "--aes-key", $0, "--text", "forged"] })
            case .reencryptMAC:
                return (String(repeating: "ef", count: 20), input,
                        { ["forge", "reencrypt", "--aes-key", "hex:\(aesKey)", "--mac-key", $0, "--text", "forged"] })
            case .modifyMAC:
                return (macKey, input, { ["forge", "modify", "--mac-key", $0, "--old", "hy", "--new", "HY", "--offset", "0"] })
            case .remacMAC:
                return (macKey, Data(), {
                    ["forge", "remac", "--mac-key", $0, "--sender-keyid", "1", "--recipient-keyid", "2", "--next-dh-key", "0a0b",
                     "--counter", "0000000000000001", "--encrypted", "c0ffee"]
                })
            case .transcriptAES:
                return (aesKey, input, { ["forge", "transcript", "--aes-key", $0, "--rewrite", "1:rewritten"] })
            case .transcriptMAC:
                return (macKey, input, { ["forge", "transcript", "--mac-key", $0, "--modify", "1:0:hy:HY"] })
            }
        }

        /// What the hex: form must have done, beyond exiting 0.
        func check(_ option: SecretHygieneTests.SecretOption, _ result: Tool.Result, sourceLocation: SourceLocation = #_sourceLocation) throws {
            func decoded(_ data: Data, key: String = "--aes-key", _ value: String? = nil) throws -> [[String: Any]] {
                try Tool.jsonLines(try Tool.run(["decode", "--json", key, "hex:\(value ?? aesKey)"], stdin: data))
            }
            func text(_ objects: [[String: Any]]) -> [String] {
                objects.compactMap { (($0["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String }
            }
            func macValid(_ objects: [[String: Any]]) -> [Bool] {
                objects.compactMap { ($0["analysis"] as? [String: Any])?["mac_valid"] as? Bool }
            }
            let objects = (try? Tool.jsonLines(result)) ?? []
            switch option {
            case .decodeAES:
                #expect(text(objects) == [self.text], sourceLocation: sourceLocation)
            case .decodeMAC:
                #expect(macValid(objects) == [true] && text(objects).isEmpty, sourceLocation: sourceLocation)
            case .decodeDH:
                #expect(!macValid(objects).isEmpty && macValid(objects).allSatisfy { $0 }, sourceLocation: sourceLocation)
                #expect(text(objects) == ["hello"], sourceLocation: sourceLocation)
            case .decodeAKE:
                let checks = objects.compactMap { ($0["analysis"] as? [String: Any])?["signature_valid"] as? Bool }
                #expect(checks == [true, true], "both AKE signatures verify with s", sourceLocation: sourceLocation)
            case .decodeSMPExponent, .decodeSMPSecret:
                let tlvs = objects.flatMap { ((($0["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["tlvs"] as? [[String: Any]]) ?? [] }
                let key = option == .decodeSMPExponent ? "smp_secrets_agree" : "smp_secrets_given_agree"
                #expect(tlvs.compactMap { $0[key] as? Bool } == [true], "\(key) in \(tlvs.count) TLVs", sourceLocation: sourceLocation)
            case .encodeAES:
                #expect(text(try decoded(result.stdout)) == ["rebuilt"], sourceLocation: sourceLocation)
            case .encodeMAC:
                #expect(macValid(try decoded(result.stdout, key: "--mac-key", String(repeating: "ab", count: 20))) == [true],
                        sourceLocation: sourceLocation)
            case .commitDH, .commitR, .dhKeyDH:
                #expect(result.out.hasPrefix("?OTR:AAM"), sourceLocation: sourceLocation)
            case .dataAES:
                #expect(text(try decoded(result.stdout)) == ["t"], sourceLocation: sourceLocation)
            case .dataMAC:
                #expect(macValid(try decoded(result.stdout, key: "--mac-key", String(repeating: "cd", count: 20))) == [true],
                        sourceLocation: sourceLocation)
            case .deriveDH, .deriveTheirs:
                #expect(objects.count == 1 && objects.first?["their_public"] as? String == "010000", sourceLocation: sourceLocation)
            case .macKeyAES:
                #expect(result.out == "AES key: \(aesKey)\nMAC key: \(macKey)\n", sourceLocation: sourceLocation)
            case .reencryptAES:
                #expect(text(try decoded(result.stdout)) == ["forged"], sourceLocation: sourceLocation)
            case .reencryptMAC:
                #expect(macValid(try decoded(result.stdout, key: "--mac-key", String(repeating: "ef", count: 20))) == [true],
                        sourceLocation: sourceLocation)
            case .modifyMAC, .transcriptMAC:
                #expect(text(try decoded(result.stdout)) == ["HYgiene"], sourceLocation: sourceLocation)
            case .remacMAC:
                #expect(macValid(try decoded(result.stdout, key: "--mac-key", macKey)) == [true], sourceLocation: sourceLocation)
            case .transcriptAES:
                #expect(text(try decoded(result.stdout)) == ["rewritten"], sourceLocation: sourceLocation)
            }
        }
    }
}

