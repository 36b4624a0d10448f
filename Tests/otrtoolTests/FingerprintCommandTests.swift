import Foundation
import Testing

struct FingerprintCommandTests {
    /// A seeded key file and its fingerprint, made once.
    static let keyFile: (text: Data, fingerprint: String, publicKey: String) = {
        let file = try! Tool.run(["keygen", "--account", "alice@example.org", "--protocol", "prpl-jabber", "--seed", "fp"])
        let json = try! Tool.jsonLines(try! Tool.run(["fingerprint", "--json"], stdin: file.stdout))[0]
        return (file.stdout, json["fingerprint"] as! String, json["public_key"] as! String)
    }()

    @Test func aPublicKeyInHexOrBase64GivesItsFingerprint() throws {
        let hex = Self.keyFile.publicKey
        let fromArgument = try Tool.run(["fingerprint", "--public-key", hex])
        #expect(fromArgument.status == 0, "\(fromArgument.err)")
        #expect(fromArgument.out == Self.keyFile.fingerprint + "\n")
        let bytes = try #require(Data(hexString: hex))
        let fromBase64 = try Tool.run(["fingerprint", "--public-key", "-"], input: bytes.base64EncodedString())
        #expect(fromBase64.out == Self.keyFile.fingerprint + "\n")
        let fromStdin = try Tool.run(["fingerprint"], input: hex + "\n")
        #expect(fromStdin.out == Self.keyFile.fingerprint + "\n")
        let broken = try Tool.run(["fingerprint", "--public-key", "0001" + hex.dropFirst(4)])
        #expect(broken.status == 2)
        #expect(broken.err.contains("0x0001"))
    }

    @Test func expectChecksIgnoringSpacesAndCase() throws {
        let fp = Self.keyFile.fingerprint
        let good = try Tool.run(["fingerprint", "--expect", fp.lowercased().replacingOccurrences(of: " ", with: "")],
                                stdin: Self.keyFile.text)
        #expect(good.status == 0)
        #expect(good.out.hasSuffix("\tmatches\n"))
        let bad = try Tool.run(["fingerprint", "--expect", String(repeating: "0", count: 40)], stdin: Self.keyFile.text)
        #expect(bad.status == 1)
        #expect(bad.err.contains("no key has the expected fingerprint"))
        #expect(try Tool.run(["fingerprint", "--expect", "1234"], stdin: Self.keyFile.text).status == 64)
    }

    @Test func theXMPPURIFollowsXEP0364() throws {
        let result = try Tool.run(["fingerprint", "--uri"], stdin: Self.keyFile.text)
        let hex = Self.keyFile.fingerprint.lowercased().replacingOccurrences(of: " ", with: "")
        #expect(result.out == "xmpp:alice@example.org?otr-fingerprint=\(hex)\n")
        let bare = try Tool.run(["fingerprint", "--uri", "--public-key", Self.keyFile.publicKey])
        #expect(bare.status == 64)
        let jid = try Tool.run(["fingerprint", "--uri", "--jid", "a b@x.org/phone", "--public-key", Self.keyFile.publicKey])
        #expect(jid.out == "xmpp:a%20b@x.org?otr-fingerprint=\(hex)\n")
    }

    @Test("--uri makes xmpp: URIs for XMPP accounts only: a prpl-irc key or entry is refused with 64 naming the protocol, unless --jid")
    func theURIIsForXMPPOnly() throws {
        let irc = try Tool.run(["keygen", "--account", "alice", "--protocol", "prpl-irc", "--seed", "fp"])
        let refused = try Tool.run(["fingerprint", "--uri"], stdin: irc.stdout)
        #expect(refused.status == 64)
        #expect(refused.out.isEmpty, "\(refused.out)")
        #expect(refused.err == "otrtool fingerprint: -:2: --uri makes xmpp: URIs (XEP-0364), and prpl-irc is not an XMPP protocol; give --jid to name an XMPP address for this key\n")
        let hex = Self.keyFile.fingerprint.lowercased().replacingOccurrences(of: " ", with: "")
        let named = try Tool.run(["fingerprint", "--uri", "--jid", "alice@example.org"], stdin: irc.stdout)
        #expect(named.status == 0 && named.out == "xmpp:alice@example.org?otr-fingerprint=\(hex)\n", "\(named.err)")
        // Every XMPP name clients use is accepted, whatever its case.
        for proto in ["jabber", "xmpp", "libpurple-Jabber", "libpurple-GTalk"] {
            let key = try Tool.run(["keygen", "--account", "alice@example.org", "--protocol", proto, "--seed", "fp"])
            let uri = try Tool.run(["fingerprint", "--uri"], stdin: key.stdout)
            #expect(uri.status == 0 && uri.out == "xmpp:alice@example.org?otr-fingerprint=\(hex)\n", "\(proto): \(uri.err)")
        }
        // An otr.fingerprints file: the XMPP peer's URI is printed, the IRC one refused.
        let dir = try TemporaryDirectory("fp-uri")
        let store = try dir.write("otr.fingerprints",
            "bob@example.org\talice@example.org\tprpl-jabber\taabbccddeeff00112233445566778899aabbccdd\tverified\n"
            + "carol\talice\tprpl-irc\t00112233445566778899aabbccddeeff00112233\t\n")
        let mixed = try Tool.run(["fingerprint", "--uri", store])
        #expect(mixed.status == 64)
        #expect(mixed.lines == ["xmpp:bob@example.org?otr-fingerprint=aabbccddeeff00112233445566778899aabbccdd"])
        #expect(mixed.err.contains("\(store):2: --uri makes xmpp: URIs (XEP-0364), and prpl-irc is not an XMPP protocol"), "\(mixed.err)")
    }

    @Test("an otr.instance_tags file is listed, in text and JSON, not misread as an otr.fingerprints file")
    func instanceTagFilesAreListed() throws {
        let dir = try TemporaryDirectory("fp-instags")
        let tags = dir.path("instance-tags")  // seeded keys are refused for otr.instance_tags
        for (account, proto) in [("a@x", "prpl-jabber"), ("b", "prpl-irc")] {
            let made = try Tool.run(["keygen", "--account", account, "--protocol", proto, "--key-file", dir.path("keys"),
                                     "--instance-tags", tags, "--json", "--seed", account])
            try #require(made.status == 0, "\(made.err)")
        }
        let written = try Tool.jsonLines(try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", dir.path("k2"),
                                                       "--instance-tags", tags, "--json", "--seed", "a@x"]))
        let tagA = try #require(written.first?["instance_tag"] as? String)
        let listed = try Tool.run(["fingerprint", tags])
        #expect(listed.status == 0, "\(listed.err)")
        #expect(listed.lines.count == 2 && listed.lines[0] == "a@x\tprpl-jabber\t\(tagA)", "\(listed.out)")
        #expect(listed.lines[1].hasPrefix("b\tprpl-irc\t") && listed.lines[1].count == "b\tprpl-irc\t".count + 8)
        let json = try Tool.jsonLines(try Tool.run(["fingerprint", "--json", "--account", "a@x", tags]))
        #expect(json.count == 1)
        #expect(json.first?["kind"] as? String == "instance_tag" && json.first?["instance_tag"] as? String == tagA
                && json.first?["line"] as? Int == 2 && json.first?["fingerprint"] == nil, "\(json)")
        // Without libotr's warning line, three fields ending in a tag still say what the file is.
        let bare = try Tool.run(["fingerprint"], input: "c\tprpl-jabber\t0000abcd\n")
        #expect(bare.status == 0 && bare.out == "c\tprpl-jabber\t0000abcd\n", "\(bare.err)")
        // A tag is no key: --expect does not match it, --uri refuses it.
        let expect = try Tool.run(["fingerprint", "--expect", String(repeating: "0", count: 40), tags])
        #expect(expect.status == 1 && !expect.out.contains("differs"), "\(expect.out)")
        let uri = try Tool.run(["fingerprint", "--uri", tags])
        #expect(uri.status == 64 && uri.err.contains("an instance tag has no fingerprint"), "\(uri.err)")
    }

    @Test func fingerprintFilesAreListedWithTrust() throws {
        let dir = try TemporaryDirectory("fp-store")
        let store = try dir.write("otr.fingerprints",
            "bob@example.org\talice@example.org\tprpl-jabber\taabbccddeeff00112233445566778899aabbccdd\tverified\n"
            + "carol\talice@example.org\tprpl-irc\t00112233445566778899aabbccddeeff00112233\t\n"
            + "broken\tline\n")
        let result = try Tool.run(["fingerprint", store])
        #expect(result.status == 2)
        #expect(result.lines == [
            "bob@example.org\talice@example.org\tprpl-jabber\tAABBCCDD EEFF0011 22334455 66778899 AABBCCDD\tverified",
            "carol\talice@example.org\tprpl-irc\t00112233 44556677 8899AABB CCDDEEFF 00112233\tnot verified",
        ])
        #expect(result.err.contains("line 3"))
        let json = try Tool.jsonLines(try Tool.run(["fingerprint", "--json", "--protocol", "prpl-irc", store]))
        #expect(json.count == 1)
        #expect(json[0]["username"] as? String == "carol")
        #expect(json[0]["trust"] as? String == "")
        #expect(json[0]["kind"] as? String == "known_fingerprint")
        #expect(json[0]["line"] as? Int == 2)
    }

    @Test("hostile key files: a clear error, exit 2, no crash", arguments: [
        ("(privkeys (account (name a) (protocol p) (private-key (dsa (p #00", "line 1"),
        ("(privkeys\n (account\n  (name a)\n  (protocol p)\n  (private-key (dsa (p #01#) (q #01#) (g #01#) (y #01#) (x #01#)))))", "line 5: account 1 (a/p) dsa p: p has 1 bits"),
        ("(privkeys\n (account (name a) (protocol p)))", "line 2: account 1 (a/p)"),
        ("(privkeys (name a) (account))", "line 1: privkeys element 1"),
        (String(repeating: "(", count: 100_000), "nesting deeper"),
    ])
    func hostileKeyFiles(text: String, expected: String) throws {
        let result = try Tool.run(["fingerprint"], input: text)
        #expect(result.status == 2)
        #expect(result.err.contains(expected), "\(result.err)")
        #expect(result.out.isEmpty)
    }

    @Test func aGigabyteOfParenthesesIsRefusedWithoutReadingIt() throws {
        let script = "yes '(' | tr -d '\\n' | head -c 1073741824 | \"$0\" fingerprint; echo \"status $?\""
        let start = Date()
        let result = try Tool.run(["-c", script, Tool.binary.path], executable: URL(fileURLWithPath: "/bin/sh"))
        #expect(result.out.hasSuffix("status 2\n"), "\(result.out) \(result.err)")
        #expect(result.err.contains("larger than"))
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test func aMissingFileIsExit66() throws {
        let result = try Tool.run(["fingerprint", "/nonexistent/otr.private_key"])
        #expect(result.status == 66)
        #expect(result.err.contains("cannot open /nonexistent/otr.private_key"))
    }
}

extension Data {
    init?(hexString: String) {
        var bytes: [UInt8] = []
        var chars = Array(hexString.utf8)[...]
        while chars.count >= 2 {
            guard let b = UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(b)
            chars = chars.dropFirst(2)
        }
        guard chars.isEmpty else { return nil }
        self.init(bytes)
    }
}
