import Foundation
import Testing

/// forge against libotr: byte-identical output to otr_modify and
/// otr_remac on messages of real libotr conversations, otr_readforge
/// accepting what reencrypt made, and a live libotr receiver, mid-session,
/// taking forged messages as its peer's.
struct ForgeInteropTests {
    /// A captured Data message with the keys its sender used.
    struct Sent {
        var wire: Conversation.Wire
        var aes: String
        var mac: String
        var text: String
        var fields: [String: Any]
    }

    static func sentDataMessages(version: Int) throws -> [Sent] {
        let c = try DeriveInteropTests.conversation(version: version)
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json"], stdin: Data((c.encodedWires.map(\.text).joined(separator: "\n") + "\n").utf8)))
        var result: [Sent] = []
        for (wire, fields) in zip(c.encodedWires, decoded) where fields["kind"] as? String == "data" {
            let keys = try #require(c.events("keys").first { $0["seq"] as? Int == wire.seq && $0["role"] as? String == "send" })
            let text = c.received(seq: wire.seq)?["text"] as? String ?? ""
            result.append(Sent(wire: wire, aes: try #require(keys["sendenc"] as? String), mac: try #require(keys["sendmac"] as? String),
                               text: text, fields: fields))
        }
        try #require(result.count >= 6, "only \(result.count) Data messages")
        return result
    }

    @Test("forge modify writes the same bytes as otr_modify", arguments: [2, 3])
    func modifyMatchesOtrModify(version: Int) throws {
        let otrModify = try Peers.toolkit("otr_modify")
        var compared = 0
        for sent in try Self.sentDataMessages(version: version) where sent.text.utf8.count >= 4 {
            let old = String(sent.text.prefix(4)), new = "WXYZ"
            for offset in [0, sent.text.utf8.count - 4] {
                let theirs = try Tool.run([sent.mac, old, new, "\(offset)"], stdin: Data((sent.wire.text + "\n").utf8), executable: otrModify)
                let ours = try Tool.run(["forge", "modify", "--mac-key", "hex:\(sent.mac)", "--old", old, "--new", new,
                                         "--offset", "\(offset)"], stdin: Data((sent.wire.text + "\n").utf8))
                #expect(theirs.status == 0 && ours.status == 0, "\(theirs.err) \(ours.err)")
                #expect(ours.out == theirs.out, "seq \(sent.wire.seq) offset \(offset)")
                #expect(ours.out != sent.wire.text + "\n")
                compared += 1
            }
        }
        #expect(compared >= 8)
    }

    @Test("forge remac rebuilds every captured message and matches otr_remac", arguments: [2, 3])
    func remacMatchesOtrRemac(version: Int) throws {
        let otrRemac = try Peers.toolkit("otr_remac")
        for sent in try Self.sentDataMessages(version: version) {
            let f = sent.fields
            func string(_ key: String) -> String { f[key] as? String ?? "" }
            func int(_ key: String) -> Int { f[key] as? Int ?? -1 }
            var arguments = ["forge", "remac", "--mac-key", "hex:\(sent.mac)", "--protocol-version", "\(version)",
                             "--flags", "\(int("flags"))", "--sender-keyid", "\(int("sender_keyid"))",
                             "--recipient-keyid", "\(int("recipient_keyid"))", "--next-dh-key", string("next_dh_key"),
                             "--counter", string("counter"), "--encrypted", string("encrypted_message"),
                             "--old-mac-keys", string("old_mac_keys")]
            if version == 3 {
                arguments += ["--sender-instance", String(format: "%08x", int("sender_instance")),
                              "--receiver-instance", String(format: "%08x", int("receiver_instance"))]
            }
            let ours = try Tool.run(arguments)
            #expect(ours.status == 0, "\(ours.err)")
            // Rebuilt from its own fields and MAC key, a message is itself.
            #expect(ours.out == sent.wire.text + "\n", "seq \(sent.wire.seq)")
            // otr_remac writes version 3 only.
            if version == 3 {
                let theirs = try Tool.run([sent.mac, "\(int("sender_instance"))", "\(int("receiver_instance"))", "\(int("flags"))",
                                           "\(int("sender_keyid"))", "\(int("recipient_keyid"))", string("next_dh_key"),
                                           string("counter"), string("encrypted_message"), string("old_mac_keys")],
                                          executable: otrRemac)
                #expect(theirs.status == 0)
                #expect(ours.out == theirs.out, "seq \(sent.wire.seq)")
            }
        }
    }

    @Test("otr_readforge accepts and decrypts every message forge reencrypt made", arguments: [2, 3])
    func readforgeAcceptsReencrypted(version: Int) throws {
        let readforge = try Peers.toolkit("otr_readforge")
        for (i, sent) in try Self.sentDataMessages(version: version).enumerated() {
            let text = "forged \(i): I never said that"
            let ours = try Tool.run(["forge", "reencrypt", "--aes-key", "env:AES", "--text", text, "--tlv", "0:00000000"],
                                    stdin: Data((sent.wire.text + "\n").utf8), environment: ["AES": sent.aes])
            #expect(ours.status == 0, "\(ours.err)")
            #expect(ours.out.hasPrefix(version == 3 ? "?OTR:AAMD" : "?OTR:AAID"))
            let theirs = try Tool.run([sent.aes], stdin: ours.stdout, executable: readforge)
            #expect(theirs.status == 0)
            #expect(!theirs.err.contains("does not verify"), "seq \(sent.wire.seq): \(theirs.err)")
            // otr_readforge prints up to the NUL: the text, not the TLVs.
            #expect(theirs.out == "Plaintext: ``\(text)''\n")
        }
    }

    @Test func aLiveLibotrReceiverAcceptsForgedMessagesMidSession() throws {
        let dir = try TemporaryDirectory("forge-live")
        let alice = try LiveProcess.libotr(["receive", "--key", dir.path("alice.key"), "--account", "alice@example.org",
                                  "--peer", "bob@example.org", "--name", "alice"])
        let bob = try LiveProcess.libotr(["receive", "--key", dir.path("bob.key"), "--account", "bob@example.org",
                                "--peer", "alice@example.org", "--name", "bob"])
        defer { alice.close(); bob.close() }

        /// Delivers every message each side sends to the other until quiet.
        func relay(_ first: [[String: Any]], from start: LiveProcess) throws {
            var pending = first, sender = start
            while true {
                let wires = pending.filter { $0["event"] as? String == "wire" }.compactMap { $0["text"] as? String }
                if wires.isEmpty { return }
                let receiver = sender === alice ? bob : alice
                pending = []
                for w in wires { pending += try receiver.send("in: " + LiveProcess.escape(w)) }
                sender = receiver
            }
        }
        try relay(try alice.send("out: /start"), from: alice)
        try relay(try alice.send("out: hello bob"), from: alice)

        // Alice writes a message that is never delivered; its keys forge one in its place.
        func undelivered(_ text: String) throws -> (wire: String, keys: [String: Any]) {
            let events = try alice.send("out: \(text)")
            let wire = try #require(events.first { $0["event"] as? String == "wire" }?["text"] as? String)
            let keys = try #require(events.first { $0["event"] as? String == "keys" && $0["role"] as? String == "send" })
            return (wire, keys)
        }
        func bobReceives(_ wire: String) throws -> [String: Any]? {
            try bob.send("in: " + wire).first { $0["event"] as? String == "received" }
        }

        let first = try undelivered("meet at noon")
        let reencrypted = try Tool.run(["forge", "reencrypt", "--aes-key", "hex:\(first.keys["sendenc"] as? String ?? "")",
                                        "--text", "I never said that"], stdin: Data((first.wire + "\n").utf8))
        #expect(reencrypted.status == 0, "\(reencrypted.err)")
        let got = try bobReceives(reencrypted.out.trimmingCharacters(in: .newlines))
        #expect(got?["text"] as? String == "I never said that")
        #expect(got?["encrypted"] as? Bool == true)

        let second = try undelivered("meet at noon")
        let modified = try Tool.run(["forge", "modify", "--mac-key", "hex:\(second.keys["sendmac"] as? String ?? "")",
                                     "--old", "noon", "--new", "dawn", "--offset", "8"], stdin: Data((second.wire + "\n").utf8))
        #expect(modified.status == 0, "\(modified.err)")
        let forged = modified.out.trimmingCharacters(in: .newlines)
        #expect(try bobReceives(forged)?["text"] as? String == "meet at dawn")

        // decode calls the forgery valid with the sender's MAC key.
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--aes-key", "hex:\(second.keys["sendenc"] as? String ?? "")"],
                                                       stdin: Data((forged + "\n").utf8)))
        let analysis = try #require(decoded.first?["analysis"] as? [String: Any])
        #expect(analysis["mac_valid"] as? Bool == true)
        #expect((analysis["plaintext"] as? [String: Any])?["message"] as? String == "meet at dawn")
    }
}
