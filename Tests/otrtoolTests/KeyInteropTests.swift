import Foundation
import Testing

/// otrtool's key files, fingerprints and instance tags against libotr
/// 4.1.1 and python-potr. A missing peer fails these tests.
struct KeyInteropTests {
    static let awkwardAccounts: [(String, String)] = [
        ("alice@example.org", "prpl-jabber"),
        ("we\"ird\tname with spaces", "prpl-irc"),
        ("ünïcødé à", "prpl-jabber"),
        ("1-starts-with-digit", "irc"),
    ]

    @Test func libotrReadsKeyFilesOtrtoolWritesAndAgreesOnFingerprints() throws {
        let dir = try TemporaryDirectory("interop-keygen")
        let file = dir.path("keys")
        for (account, proto) in Self.awkwardAccounts.prefix(2) {
            let made = try Tool.run(["keygen", "--account", account, "--protocol", proto, "--key-file", file])
            #expect(made.status == 0, "\(made.err)")
        }
        let libotr = try Peers.runLibotr(["fingerprints", file])
        #expect(libotr.status == 0, "\(libotr.err)")
        #expect(libotr.lines.count == 2)
        let ours = try Tool.jsonLines(try Tool.run(["fingerprint", "--json", file]))
        for (line, object) in zip(libotr.lines, ours) {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            // libotr prints the name raw, so a name with a tab spans two columns.
            #expect(columns.last == object["fingerprint"] as? String)
            #expect(columns.dropLast(2).joined(separator: "\t") == object["account"] as? String)
        }
    }

    @Test func otrtoolReadsKeyFilesLibotrWritesWithAwkwardNames() throws {
        let dir = try TemporaryDirectory("interop-libotr-keys")
        let file = dir.path("keys")
        var expected: [String] = []
        for (account, proto) in Self.awkwardAccounts {
            let made = try Peers.runLibotr(["keygen", file, account, proto])
            #expect(made.status == 0, "\(made.err)")
            expected += made.lines
        }
        // libotr rewrites the accounts it holds in its own order, so
        // compare per account.
        let ours = try Tool.jsonLines(try Tool.run(["fingerprint", "--json", file]))
        #expect(ours.count == Self.awkwardAccounts.count)
        let byAccount = Dictionary(uniqueKeysWithValues: ours.map { o in
            ("\(o["account"] as? String ?? "?")\t\(o["protocol"] as? String ?? "?")", o["fingerprint"] as? String ?? "?")
        })
        for line in expected {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            #expect(byAccount[columns.dropLast().joined(separator: "\t")] == columns.last, "\(line)")
        }
        // Adding an account rewrites libotr's accounts byte for byte.
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let added = try Tool.run(["keygen", "--account", "new@example.org", "--protocol", "prpl-jabber", "--key-file", file])
        #expect(added.status == 0, "\(added.err)")
        let after = try Data(contentsOf: URL(fileURLWithPath: file))
        #expect(after.prefix(before.count - 2) == before.prefix(before.count - 2))
        let reread = try Peers.runLibotr(["fingerprints", file])
        #expect(Set(reread.lines) == Set(expected + added.lines))
    }

    @Test func aLibotrSessionSignsWithOtrtoolKeysAndThePeerVerifies() throws {
        let dir = try TemporaryDirectory("interop-session")
        let alice = dir.path("alice.key"), bob = dir.path("bob.key")
        let a = try Tool.run(["keygen", "--account", "alice@example.org", "--protocol", "prpl-jabber", "--key-file", alice])
        let b = try Tool.run(["keygen", "--account", "bob@example.org", "--protocol", "prpl-jabber", "--key-file", bob])
        #expect(a.status == 0 && b.status == 0)
        let fingerprint = { (r: Tool.Result) in String(r.lines[0].split(separator: "\t").last ?? "") }
        let session = try Peers.runLibotr(["converse", "--alice-key", alice, "--bob-key", bob],
                                          stdin: Data("alice: ?OTRv3?\nalice: hello\n".utf8))
        #expect(session.status == 0, "\(session.err)")
        let events = try Tool.jsonLines(session)
        let secure = events.filter { $0["event"] as? String == "secure" }
        #expect(secure.count == 2)
        #expect(secure.first { $0["party"] as? String == "bob" }?["their_fingerprint"] as? String == fingerprint(a))
        #expect(secure.first { $0["party"] as? String == "alice" }?["their_fingerprint"] as? String == fingerprint(b))

        // And a bare signature: libotr signs with the otrtool key, libotr
        // and potr verify it against the public key otrtool prints.
        let data = String(repeating: "ab", count: 32)
        let signature = try Peers.runLibotr(["sign", alice, "alice@example.org", "prpl-jabber", data])
        #expect(signature.status == 0, "\(signature.err)")
        let pub = try #require(try Tool.jsonLines(try Tool.run(["fingerprint", "--json", alice])).first?["public_key"] as? String)
        let sig = signature.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Peers.runLibotr(["verify", pub, sig, data]).out == "ok\n")
        #expect(try Peers.runPotr(["verify", pub, sig, data]).out == "ok\n")
    }

    @Test func fingerprintFilesRoundTripThroughLibotr() throws {
        let dir = try TemporaryDirectory("interop-fingerprints")
        let input = try dir.write("in",
            "bob@example.org\talice@example.org\tprpl-jabber\tAABBCCDDEEFF00112233445566778899AABBCCDD\tverified\n"
            + "carol\talice@example.org\tprpl-irc\t00112233445566778899aabbccddeeff00112233\tsmp\n"
            + "dave\talice@example.org\tprpl-irc\tffeeddccbbaa99887766554433221100ffeeddcc\n")
        let written = try Peers.runLibotr(["write-fingerprints", input, dir.path("out")])
        #expect(written.status == 0, "\(written.err)")
        let ours = try Tool.run(["fingerprint", "--json", dir.path("out")])
        #expect(ours.status == 0, "\(ours.err)")
        let libotr = try Peers.runLibotr(["read-fingerprints", dir.path("out")])
        // libotr prints account, protocol, peer, hex, trust.
        let theirs = Set(libotr.lines)
        let mine = Set(try Tool.jsonLines(ours).map { o in
            [o["account"], o["protocol"], o["username"], o["fingerprint_hex"], o["trust"]]
                .map { $0 as? String ?? "?" }.joined(separator: "\t")
        })
        #expect(mine == theirs)
        #expect(mine.count == 3)
    }

    @Test func instanceTagFilesRoundTripThroughLibotr() throws {
        let dir = try TemporaryDirectory("interop-instags")
        let tags = dir.path("instags"), keys = dir.path("keys")
        let ours = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", keys,
                                 "--instance-tags", tags, "--json"])
        #expect(ours.status == 0, "\(ours.err)")
        let tag = try #require(try Tool.jsonLines(ours).first?["instance_tag"] as? String)
        #expect(try Peers.runLibotr(["instags", tags]).lines == ["a@x\tprpl-jabber\t\(tag)"])
        // libotr rewrites the file with an account of its own; otrtool
        // reads that file, keeps both and finds its tag unchanged.
        let theirs = try Peers.runLibotr(["instag-gen", tags, "b@x", "prpl-irc"])
        #expect(theirs.status == 0, "\(theirs.err)")
        let again = try Tool.run(["keygen", "--account", "a@x", "--protocol", "prpl-jabber", "--key-file", keys,
                                  "--instance-tags", tags, "--json", "--replace"])
        #expect(again.status == 0, "\(again.err)")
        let listed = try Peers.runLibotr(["instags", tags])
        #expect(Set(listed.lines) == Set(theirs.lines + ["a@x\tprpl-jabber\t\(try #require(try Tool.jsonLines(again).first?["instance_tag"] as? String))"]))
    }


    @Test func keysConvertToAndFromPotr() throws {
        let dir = try TemporaryDirectory("interop-potr")
        // potr's key becomes a libotr account with the same fingerprint.
        let made = try Peers.runPotr(["keygen", dir.path("potr.key")])
        #expect(made.status == 0, "\(made.err)")
        let toLibotr = try Tool.run(["convert-key", "--to", "libotr", "--account", "a@x", "--protocol", "prpl-jabber",
                                     dir.path("potr.key"), "--output", dir.path("keys")])
        #expect(toLibotr.status == 0, "\(toLibotr.err)")
        let libotr = try Peers.runLibotr(["fingerprints", dir.path("keys")])
        #expect(libotr.lines == ["a@x\tprpl-jabber\t\(made.out.trimmingCharacters(in: .whitespacesAndNewlines))"])
        // An otrtool key becomes a potr key that potr reads and signs with.
        #expect(try Tool.run(["keygen", "--account", "b@x", "--protocol", "prpl-jabber", "--key-file", dir.path("keys")]).status == 0)
        let toPotr = try Tool.run(["convert-key", "--to", "potr", "--account", "b@x", "--protocol", "prpl-jabber",
                                   dir.path("keys"), "--output", dir.path("b.potr")])
        #expect(toPotr.status == 0, "\(toPotr.err)")
        #expect(try dir.mode("b.potr") == 0o600)
        let potr = try Peers.runPotr(["fingerprint", dir.path("b.potr")])
        #expect(potr.status == 0, "\(potr.err)")
        let ours = try Tool.run(["fingerprint", "--account", "b@x", dir.path("keys")])
        #expect(potr.lines.first.map { ours.out.hasSuffix("\t\($0)\n") } == true)
        let data = String(repeating: "cd", count: 32)
        let sig = try Peers.runPotr(["sign", dir.path("b.potr"), data]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Peers.runLibotr(["verify", potr.lines[1], sig, data]).out == "ok\n")
        let refused = try Tool.run(["convert-key", "--to", "potr", dir.path("keys"), "--output", dir.path("b.potr"),
                                    "--account", "b@x", "--protocol", "prpl-jabber"])
        #expect(refused.status == 64)
    }
}
