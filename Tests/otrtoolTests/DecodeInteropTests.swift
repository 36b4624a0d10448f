import Foundation
import Testing

/// decode and encode against real traffic: conversations run by libotr
/// 4.1.1 and python-potr, checked field by field against otr_parse, against
/// the plaintext and keys the receiving library reported, and byte for byte
/// through decode --json | encode.
struct DecodeInteropTests {
    static let script = """
        alice: /start
        alice: hello bob
        bob: 
        alice: \(String(repeating: "long text ", count: 300))
        bob: grüße ✓ 日本語 \\t tab
        alice: /tlv 0 0000000000 padded
        bob: /smpq Which colour?|blue
        alice: after smp
        alice: /symkey 1 00010203
        bob: last words
        bob: /end

        """

    static func libotrConversation(version: Int, fragment: Int = 0) throws -> Conversation {
        var arguments = ["converse", "--version", "\(version)", "--alice-secret", "blue"]
        if fragment > 0 { arguments += ["--fragment", "\(fragment)"] }
        let run = try Peers.runLibotr(arguments, stdin: Data(script.utf8))
        try #require(run.status == 0, "libotr peer failed: \(run.err)")
        return try Conversation(jsonLines: run.stdout)
    }

    static func potrConversation() throws -> Conversation {
        let potrScript = script.replacingOccurrences(of: "alice: /symkey 1 00010203\n", with: "")
            .replacingOccurrences(of: "alice: /tlv 0 0000000000 padded\n", with: "alice: padded\n")
        let run = try Peers.runPotr(["converse", "--alice-secret", "blue"], stdin: Data(potrScript.utf8))
        try #require(run.status == 0, "potr peer failed: \(run.err)")
        return try Conversation(jsonLines: run.stdout)
    }

    static func decodeJSON(_ conversation: Conversation, keys: [String] = []) throws -> [[String: Any]] {
        let result = try Tool.run(["decode", "--json", "--show-keys"] + keys.flatMap { ["--dh-private", $0] },
                                  stdin: Data(conversation.captureLog.utf8))
        #expect(result.status == 0, "decode failed: \(result.err)")
        return try Tool.jsonLines(result)
    }

    // MARK: otr_parse agreement

    /// otr_parse's field names for each of ours.
    static let otrParseFields: [String: [(String, String)]] = [
        "D-H Commit Message": [("Encrypted Key", "encrypted_gx"), ("Hashed Key", "hashed_gx")],
        "D-H Key Message": [("D-H Key", "gy")],
        "Reveal Signature Message": [("Key", "revealed_key"), ("Encrypted Signature", "encrypted_signature"), ("MAC", "mac")],
        "Signature Message": [("Encrypted Signature", "encrypted_signature"), ("MAC", "mac")],
        "Data Message": [("Flags", "flags"), ("Sender keyid", "sender_keyid"), ("Rcpt keyid", "recipient_keyid"),
                         ("DH y", "next_dh_key"), ("Counter", "counter"), ("Encrypted message", "encrypted_message"),
                         ("MAC", "mac"), ("Revealed MAC keys", "old_mac_keys")],
    ]

    static let kinds = ["dh-commit": "D-H Commit Message", "dh-key": "D-H Key Message",
                        "reveal-signature": "Reveal Signature Message", "signature": "Signature Message", "data": "Data Message"]

    func checkAgainstOtrParse(_ conversation: Conversation) throws {
        let wires = conversation.encodedWires
        try #require(wires.count >= 10, "too few encoded messages: \(wires.count)")
        let input = wires.map(\.text).joined(separator: "\n") + "\n"
        let parsed = try Tool.run([], stdin: Data(input.utf8), executable: try Peers.toolkit("otr_parse"))
        let theirs = OtrParseOutput.parse(parsed.out)
        let ours = try Tool.jsonLines(try Tool.run(["decode", "--json"], stdin: Data(input.utf8)))
        try #require(theirs.count == wires.count, "otr_parse printed \(theirs.count) messages for \(wires.count)")
        try #require(ours.count == wires.count)
        for (i, (t, o)) in zip(theirs, ours).enumerated() {
            let kind = try #require(o["kind"] as? String)
            #expect(Self.kinds[kind] == t.kind, "message \(i): \(kind) vs \(t.kind)")
            #expect(Int(t.fields["Version"] ?? "") == o["version"] as? Int, "message \(i) version")
            if let s = t.fields["Sender instance"] {
                #expect(Int(s) == o["sender_instance"] as? Int, "message \(i) sender instance")
                #expect(Int(t.fields["Receiver instance"] ?? "") == o["receiver_instance"] as? Int)
            }
            for (theirName, ourName) in Self.otrParseFields[t.kind] ?? [] {
                let theirValue = t.fields[theirName] ?? ""
                let ourValue: String
                if let n = o[ourName] as? Int { ourValue = String(n) } else { ourValue = o[ourName] as? String ?? "" }
                #expect(theirValue == ourValue, "message \(i) \(t.kind) \(theirName): otr_parse \(theirValue) vs decode \(ourValue)")
            }
        }
    }

    @Test("decode agrees with otr_parse on every field of a libotr conversation", arguments: [2, 3])
    func otrParseAgreement(version: Int) throws {
        try checkAgainstOtrParse(try Self.libotrConversation(version: version))
    }

    @Test func decodeAgreesWithOtrParseOnAPotrConversation() throws {
        try checkAgainstOtrParse(try Self.potrConversation())
    }

    // MARK: Plaintext, keys and signatures

    func checkDecryption(_ conversation: Conversation, libotrKeys: Bool) throws {
        let decoded = try Self.decodeJSON(conversation, keys: conversation.dhPrivateKeys(of: "alice"))
        let bySeq = Dictionary(uniqueKeysWithValues: zip(conversation.wires.map(\.seq), decoded))
        var checked = 0
        for wire in conversation.encodedWires {
            let object = try #require(bySeq[wire.seq])
            guard object["kind"] as? String == "data" else { continue }
            let analysis = try #require(object["analysis"] as? [String: Any], "seq \(wire.seq): no analysis")
            #expect(analysis["mac_valid"] as? Bool == true, "seq \(wire.seq): MAC not verified")
            guard let received = conversation.received(seq: wire.seq) else { continue }
            let plaintext = try #require(analysis["plaintext"] as? [String: Any], "seq \(wire.seq): not decrypted")
            #expect(plaintext["message_hex"] as? String == received["text_hex"] as? String, "seq \(wire.seq) text")
            let ourTLVs = (plaintext["tlvs"] as? [[String: Any]] ?? []).map { "\($0["type"] as? Int ?? -1):\($0["value"] as? String ?? "")" }
            let theirTLVs = (received["tlvs"] as? [[String: Any]] ?? []).map { "\($0["type"] as? Int ?? -1):\($0["data"] as? String ?? "")" }
            #expect(ourTLVs == theirTLVs, "seq \(wire.seq) TLVs")
            if libotrKeys, let keys = conversation.events("keys").first(where: {
                $0["seq"] as? Int == wire.seq && $0["role"] as? String == "send" }) {
                #expect(analysis["aes_key"] as? String == keys["sendenc"] as? String, "seq \(wire.seq) AES key")
                #expect(analysis["mac_key"] as? String == keys["sendmac"] as? String, "seq \(wire.seq) MAC key")
                if wire.text.hasPrefix("?OTR:AAMD") {
                    #expect(analysis["extra_symmetric_key"] as? String == keys["extrakey"] as? String, "seq \(wire.seq) extra key")
                }
            }
            checked += 1
        }
        #expect(checked >= 8, "only \(checked) Data messages were compared")
    }

    @Test("decode recovers the plaintext, TLVs and keys libotr used", arguments: [2, 3])
    func libotrPlaintext(version: Int) throws {
        try checkDecryption(try Self.libotrConversation(version: version), libotrKeys: true)
    }

    @Test func decodeRecoversThePlaintextPotrReceived() throws {
        try checkDecryption(try Self.potrConversation(), libotrKeys: false)
    }

    @Test("the AKE's signatures verify and name the parties' fingerprints", arguments: [2, 3])
    func akeSignatures(version: Int) throws {
        let conversation = try Self.libotrConversation(version: version)
        let fingerprints = Dictionary(uniqueKeysWithValues: conversation.events("party").compactMap { e -> (String, String)? in
            guard let name = e["name"] as? String, let fp = e["fingerprint"] as? String else { return nil }
            return (name, fp)
        })
        let decoded = try Self.decodeJSON(conversation, keys: conversation.dhPrivateKeys(of: "bob"))
        let reveal = try #require(decoded.first { $0["kind"] as? String == "reveal-signature" })
        let signature = try #require(decoded.first { $0["kind"] as? String == "signature" })
        for (object, sender) in [(reveal, conversation.wires.first { $0.text.hasPrefix(version == 3 ? "?OTR:AAMR" : "?OTR:AAIR") }?.from),
                                 (signature, conversation.wires.first { $0.text.hasPrefix(version == 3 ? "?OTR:AAMS" : "?OTR:AAIS") }?.from)] {
            let analysis = try #require(object["analysis"] as? [String: Any])
            #expect(analysis["signature_mac_valid"] as? Bool == true)
            #expect(analysis["signature_valid"] as? Bool == true)
            #expect(analysis["fingerprint"] as? String == fingerprints[sender ?? ""], "signer \(sender ?? "?")")
        }
        let revealAnalysis = try #require(reveal["analysis"] as? [String: Any])
        #expect(revealAnalysis["commitment_matches"] as? Bool == true)
        let secure = try #require(conversation.events("secure").first)
        #expect(revealAnalysis["ssid"] as? String == secure["ssid"] as? String)
    }

    // MARK: Round trip

    func checkRoundTrip(_ conversation: Conversation) throws {
        let wires = conversation.encodedWires
        let input = wires.map(\.text).joined(separator: "\n") + "\n"
        let decoded = try Tool.run(["decode", "--json"], stdin: Data(input.utf8))
        #expect(decoded.status == 0)
        let encoded = try Tool.run(["encode"], stdin: decoded.stdout)
        #expect(encoded.status == 0, "\(encoded.err)")
        #expect(encoded.out == input, "decode --json | encode changed the bytes")
    }

    @Test("decode --json | encode rebuilds every libotr message byte for byte", arguments: [2, 3])
    func libotrRoundTrip(version: Int) throws {
        try checkRoundTrip(try Self.libotrConversation(version: version))
    }

    @Test func decodeEncodeRebuildsEveryPotrMessage() throws {
        try checkRoundTrip(try Self.potrConversation())
    }

    /// A Data message that encode encrypts under libotr's key is accepted by
    /// decode with the same plaintext (libotr's layout: text, NUL, TLVs).
    @Test func reencryptingWithTheSameKeyReproducesLibotrsBytes() throws {
        let conversation = try Self.libotrConversation(version: 3)
        let decoded = try Self.decodeJSON(conversation, keys: conversation.dhPrivateKeys(of: "alice"))
        var checked = 0
        for object in decoded where object["kind"] as? String == "data" {
            guard let analysis = object["analysis"] as? [String: Any], let aes = analysis["aes_key"] as? String,
                  analysis["plaintext"] != nil else { continue }
            let line = try JSONSerialization.data(withJSONObject: object)
            let rebuilt = try Tool.run(["encode", "--aes-key", "hex:" + aes], stdin: line + Data("\n".utf8))
            #expect(rebuilt.status == 0, "\(rebuilt.err)")
            // The message back in its log line ("[N] <alice> ").
            let raw = object["raw"] as? String ?? "", text = object["text"] as? String ?? ""
            let at = text.utf8.index(text.utf8.startIndex, offsetBy: object["text_offset"] as? Int ?? 0)
            #expect(rebuilt.out == String(text[..<at]) + raw + String(text[at...]) + "\n", "re-encrypted bytes differ from libotr's")
            checked += 1
        }
        #expect(checked >= 8)
    }

    // MARK: Fragmented traffic

    @Test("decode reassembles libotr's fragments and recovers every plaintext", arguments: [2, 3])
    func fragmentedConversation(version: Int) throws {
        let conversation = try Self.libotrConversation(version: version, fragment: 150)
        #expect(conversation.wires.contains { $0.text.hasPrefix("?OTR|") || $0.text.hasPrefix("?OTR,") })
        let decoded = try Self.decodeJSON(conversation, keys: conversation.dhPrivateKeys(of: "bob"))
        let reassembled = decoded.filter { $0["reassembled"] != nil }
        #expect(reassembled.count >= 5, "only \(reassembled.count) messages were reassembled")
        let texts = Set(decoded.compactMap { (($0["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message_hex"] as? String })
        for received in conversation.events("received") {
            guard let hex = received["text_hex"] as? String, !hex.isEmpty, received["encrypted"] as? Bool == true else { continue }
            #expect(texts.contains(hex), "libotr received \(received["text"] ?? "") but decode did not recover it")
        }
        // The fragments themselves pass through encode unchanged. (Wire
        // messages with a newline inside, the query's fragments, cannot stand
        // one to a line and are left out.)
        let oneLine = conversation.wires.map(\.text).filter { !$0.contains("\n") }
        let json = try Tool.run(["decode", "--json"], stdin: Data((oneLine.joined(separator: "\n") + "\n").utf8))
        let encoded = try Tool.run(["encode"], stdin: json.stdout)
        #expect(encoded.status == 0, "\(encoded.err)")
        let rebuilt = encoded.out.split(separator: "\n").map(String.init)
        #expect(rebuilt.count == oneLine.count)
        let firstDifference = zip(rebuilt, oneLine).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "line \(firstDifference?.offset ?? -1) differs after decode | encode")
    }
}
