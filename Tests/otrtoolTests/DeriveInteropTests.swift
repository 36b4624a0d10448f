import Foundation
import Testing

/// derive against libotr: the keys the libotr peer used for every Data
/// message of real conversations, otr_sesskeys and otr_mackey on the same
/// values, and the ssid libotr showed its user.
struct DeriveInteropTests {
    static let script = """
        alice: /start
        alice: hello bob
        bob: hi alice
        alice: meet at noon
        bob: ok noon
        alice: bring the money
        bob: /end

        """

    static func conversation(version: Int) throws -> Conversation {
        let run = try Peers.runLibotr(["converse", "--version", "\(version)"], stdin: Data(script.utf8))
        try #require(run.status == 0, "libotr peer failed: \(run.err)")
        return try Conversation(jsonLines: run.stdout)
    }

    /// Every D-H public value's private exponent, over both parties.
    static func privateKeys(_ c: Conversation) -> [String: String] {
        var map: [String: String] = [:]
        for e in c.events("dh") {
            if let pub = e["pub"] as? String, let priv = e["priv"] as? String { map[pub] = priv }
        }
        return map
    }

    /// The "Label: hex" lines otr_sesskeys prints.
    static func sesskeysFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            fields[parts[0].split(separator: " ").joined(separator: " ")] = parts[1].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    @Test("derive gives exactly the keys libotr used and otr_sesskeys prints", arguments: [2, 3])
    func dataKeys(version: Int) throws {
        let c = try Self.conversation(version: version)
        let privs = Self.privateKeys(c)
        let sesskeys = try Peers.toolkit("otr_sesskeys")
        var checked = 0
        for keys in c.events("keys") {
            let ourPub = try #require(keys["our_pub"] as? String), theirY = try #require(keys["their_y"] as? String)
            let priv = try #require(privs[ourPub], "no private exponent for \(ourPub.prefix(16))")
            let run = try Tool.run(["derive", "--json", "--dh-private", "env:OTR_DH", "--their-public", theirY],
                                   environment: ["OTR_DH": priv])
            #expect(run.status == 0, "\(run.err)")
            let ours = try #require(try Tool.jsonLines(run).first)
            #expect(ours["sending_aes_key"] as? String == keys["sendenc"] as? String)
            #expect(ours["sending_mac_key"] as? String == keys["sendmac"] as? String)
            #expect(ours["receiving_aes_key"] as? String == keys["rcvenc"] as? String)
            #expect(ours["receiving_mac_key"] as? String == keys["rcvmac"] as? String)
            #expect(ours["extra_symmetric_key"] as? String == keys["extrakey"] as? String)
            #expect(ours["our_public"] as? String == ourPub)

            let old = try Tool.run([priv, theirY], executable: sesskeys)
            #expect(old.status == 0)
            let fields = Self.sesskeysFields(old.out)
            #expect(fields["Sending AES key"] == ours["sending_aes_key"] as? String)
            #expect(fields["Sending MAC key"] == ours["sending_mac_key"] as? String)
            #expect(fields["Receiving AES key"] == ours["receiving_aes_key"] as? String)
            #expect(fields["Receiving MAC key"] == ours["receiving_mac_key"] as? String)
            #expect(fields["Session id"] == ours["v1_session_id"] as? String)
            #expect(old.out.contains("We are the \((ours["high_end"] as? Bool) == true ? "high" : "low") end"))
            checked += 1
        }
        #expect(checked >= 10, "only \(checked) key events compared")
    }

    @Test("derive mac-key agrees with otr_mackey on every AES key libotr used")
    func macKeys() throws {
        let c = try Self.conversation(version: 3)
        let mackey = try Peers.toolkit("otr_mackey")
        let aesKeys = Set(c.events("keys").flatMap { [$0["sendenc"] as? String, $0["rcvenc"] as? String].compactMap { $0 } })
        try #require(aesKeys.count >= 4)
        for aes in aesKeys {
            let old = try Tool.run([aes], executable: mackey)
            let ours = try Tool.run(["derive", "mac-key", "--aes-key", "hex:\(aes)"])
            #expect(ours.status == 0)
            #expect(ours.out == old.out, "otr_mackey \(old.out) vs derive \(ours.out)")
        }
    }

    @Test("the ssid and its bold half are those libotr showed each party", arguments: [2, 3])
    func ssid(version: Int) throws {
        let c = try Self.conversation(version: version)
        let privs = Self.privateKeys(c)
        // The AKE's D-H values are each party's key id 1.
        func pub(_ party: String) throws -> String {
            try #require(c.events("dh").first { $0["party"] as? String == party && $0["keyid"] as? Int == 1 }?["pub"] as? String)
        }
        // Bob in the spec's naming sent the Reveal Signature (type 0x11).
        let revealType = version == 3 ? "?OTR:AAMR" : "?OTR:AAIR"
        let revealer = try #require(c.wires.first { $0.text.hasPrefix(revealType) }?.from)
        for party in ["alice", "bob"] {
            let other = party == "alice" ? "bob" : "alice"
            let secure = try #require(c.events("secure").first { $0["party"] as? String == party })
            let role = party == revealer ? "bob" : "alice"
            let run = try Tool.run(["derive", "--json", "--dh-private", "hex:\(try #require(privs[try pub(party)]))",
                                    "--their-public", try pub(other), "--ake-role", role])
            let ours = try #require(try Tool.jsonLines(run).first)
            #expect(ours["ssid"] as? String == secure["ssid"] as? String, "\(party) ssid")
            #expect(ours["ssid_bold_half"] as? Int == secure["ssid_bold_half"] as? Int, "\(party) bold half")
        }
    }
}
