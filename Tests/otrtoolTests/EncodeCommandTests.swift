import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// encode end to end: every subcommand's output is read back by decode
/// with the fields it was given, the XMPP wrapping carries XEP-0364's
/// hints, unusable options are usage errors. Its JSON Lines (decode --json
/// | encode byte for byte, bad lines) are tested in process
/// (OTRToolkitTests/EncodeRunTests).
struct EncodeCommandTests {
    static let aesKey = "0f0e0d0c0b0a09080706050403020100"
    /// Protocol-v3.html "Data types": the 1536-bit modulus p of the D-H group.
    static let modulusHex = """
        FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD\
        EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
        EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F\
        83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF
        """
    /// p - 2, the largest valid public value, and p - 1, the first invalid one.
    static let pMinus2 = String(modulusHex.dropLast(1)) + "D"
    static let pMinus1 = String(modulusHex.dropLast(1)) + "E"

    static func encode(_ arguments: [String], stdin: String = "") throws -> Tool.Result {
        try Tool.run(["encode"] + arguments, input: stdin)
    }

    /// decode --json of some text, one object per item.
    static func decoded(_ text: String, _ extra: [String] = []) throws -> [[String: Any]] {
        let result = try Tool.run(["decode", "--json"] + extra, input: text)
        #expect(result.status == 0, "decode: \(result.err)")
        return try Tool.jsonLines(result)
    }

    static func single(_ text: String, _ extra: [String] = []) throws -> [String: Any] {
        let objects = try decoded(text, extra)
        try #require(objects.count == 1, "expected one item in \(text): \(objects)")
        return objects[0]
    }

    // MARK: Each subcommand, read back

    @Test func queryTagAndErrorAreTheSpecsForms() throws {
        let query = try Self.encode(["query", "--versions", "23", "--text", " let's talk"])
        #expect(query.status == 0)
        #expect(query.out == "?OTRv23? let's talk\n")
        let q = try Self.single(query.out)
        #expect(q["kind"] as? String == "query")
        #expect(q["versions"] as? [Int] == [2, 3])
        #expect(q["text"] as? String == " let's talk")

        // The base tag and the v3 tag of "Tagged plaintext messages".
        let tag = try Self.encode(["tag", "--versions", "3", "--text", "Hi"])
        #expect(tag.out == "Hi" + " \t  \t\t\t\t \t \t \t  " + "  \t\t  \t\t" + "\n")
        let t = try Self.single(tag.out)
        #expect(t["kind"] as? String == "whitespace-tag")
        #expect(t["versions"] as? [Int] == [3])
        #expect(t["text"] as? String == "Hi")

        let error = try Self.encode(["error", "--text", "I could not decrypt that"])
        #expect(error.out == "?OTR Error: I could not decrypt that\n")
        let e = try Self.single(error.out)
        #expect(e["kind"] as? String == "error")
        #expect(e["message"] as? String == "I could not decrypt that")
    }

    @Test func dhKeyCarriesGyInVersion2And3() throws {
        // y = 16 gives g^y = 2^16, whatever the implementation.
        let fromExponent = try Self.encode(["dh-key", "--dh-private", "hex:10", "--sender-instance", "00000abc",
                                            "--receiver-instance", "00000def"])
        #expect(fromExponent.status == 0, "\(fromExponent.err)")
        // 00 03 0a, tags 0xabc and 0xdef, then the MPI 00000003 010000.
        #expect(fromExponent.out == "?OTR:" + Data([0, 3, 0x0a, 0, 0, 0x0a, 0xbc, 0, 0, 0x0d, 0xef, 0, 0, 0, 3, 1, 0, 0])
            .base64EncodedString() + ".\n")
        let k = try Self.single(fromExponent.out)
        #expect(k["kind"] as? String == "dh-key")
        #expect(k["gy"] as? String == "010000")
        #expect(k["sender_instance"] as? Int == 0xabc && k["sender_instance_hex"] as? String == "00000abc")
        #expect(k["receiver_instance"] as? Int == 0xdef)

        let v2 = try Self.encode(["dh-key", "--protocol-version", "2", "--gy", Self.pMinus2])
        let k2 = try Self.single(v2.out)
        #expect(k2["version"] as? Int == 2)
        #expect(k2["gy"] as? String == Self.pMinus2.lowercased())
        #expect(k2["sender_instance"] == nil)
        #expect((k2["violations"] as? [String])?.isEmpty == true)
    }

    @Test func dhCommitIsOpenedOnceARevealSignatureWithTheSameRFollows() throws {
        let r = "00112233445566778899aabbccddeeff"
        let commit = try Self.encode(["dh-commit", "--dh-private", "hex:10", "--r", "hex:\(r)"])
        #expect(commit.status == 0, "\(commit.err)")
        let c = try Self.single(commit.out)
        #expect(c["kind"] as? String == "dh-commit")
        // AES-CTR keeps the length of the MPI 00000003 010000; SHA-256 is 32 bytes.
        #expect((c["encrypted_gx"] as? String)?.count == 14)
        #expect((c["hashed_gx"] as? String)?.count == 64)

        func reveal(_ key: String) -> String {
            #"{"kind":"reveal-signature","version":3,"sender_instance":256,"receiver_instance":512,"#
                + #""revealed_key":"\#(key)","encrypted_signature":"0102","mac":"\#(String(repeating: "00", count: 20))"}"#
        }
        let built = try Self.encode([], stdin: reveal(r) + "\n")
        #expect(built.status == 0, "\(built.err)")
        let objects = try Self.decoded(commit.out + built.out)
        try #require(objects.count == 2)
        let analysis = try #require(objects[1]["analysis"] as? [String: Any])
        #expect(analysis["gx"] as? String == "010000")
        #expect(analysis["commitment_matches"] as? Bool == true)

        // Another r does not open it, and decode says so with status 1.
        let wrong = try Self.encode([], stdin: reveal("ff112233445566778899aabbccddeeff") + "\n")
        let result = try Tool.run(["decode", "--json"], input: commit.out + wrong.out)
        #expect(result.status == 1)
        #expect(result.err.contains("-:2: Reveal Signature message: revealed key does not open the D-H Commit"))
        let wrongAnalysis = try #require(try Tool.jsonLines(result).last?["analysis"] as? [String: Any])
        #expect(wrongAnalysis["commitment_matches"] as? Bool == false)
    }

    @Test func dataCarriesEveryFieldItWasGiven() throws {
        let old = String(repeating: "ab", count: 20) + String(repeating: "cd", count: 20)
        let result = try Self.encode(["data", "--aes-key", "hex:\(Self.aesKey)", "--text", "fields", "--flags", "1",
                                      "--sender-keyid", "5", "--recipient-keyid", "6", "--next-dh-key", Self.pMinus2,
                                      "--counter", "00000000000000ff", "--old-mac-keys", old,
                                      "--sender-instance", "12345678", "--receiver-instance", "9abcdef0",
                                      "--protocol-version", "3"])
        #expect(result.status == 0, "\(result.err)")
        let d = try Self.single(result.out, ["--aes-key", "hex:\(Self.aesKey)"])
        #expect(d["kind"] as? String == "data")
        #expect(d["version"] as? Int == 3)
        #expect(d["sender_instance"] as? Int == 0x1234_5678)
        #expect(d["receiver_instance_hex"] as? String == "9abcdef0")
        #expect(d["flags"] as? Int == 1)
        #expect(d["sender_keyid"] as? Int == 5)
        #expect(d["recipient_keyid"] as? Int == 6)
        #expect(d["next_dh_key"] as? String == Self.pMinus2.lowercased())
        #expect(d["counter"] as? String == "00000000000000ff")
        #expect(d["old_mac_keys"] as? String == old)
        // libotr's layout: text, NUL, no TLVs: 7 bytes of ciphertext.
        #expect((d["encrypted_message"] as? String)?.count == 14)
        #expect((d["violations"] as? [String])?.isEmpty == true)
        let analysis = try #require(d["analysis"] as? [String: Any])
        #expect(analysis["mac_valid"] as? Bool == true)
        let plaintext = try #require(analysis["plaintext"] as? [String: Any])
        #expect(plaintext["message"] as? String == "fields")
        #expect(plaintext["bytes"] as? String == "6669656c647300")

        let v2 = try Self.encode(["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "02", "--protocol-version", "2"])
        let d2 = try Self.single(v2.out)
        #expect(d2["version"] as? Int == 2 && d2["sender_instance"] == nil)
    }

    @Test func aDisconnectedTLVIsShownByDecode() throws {
        let result = try Self.encode(["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "02", "--tlv", "1:"])
        #expect(result.status == 0, "\(result.err)")
        let d = try Self.single(result.out, ["--aes-key", "hex:\(Self.aesKey)"])
        let plaintext = try #require((d["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])
        #expect(plaintext["message"] as? String == "")
        // Empty text, NUL, then type 0x0001 of length 0.
        #expect(plaintext["bytes"] as? String == "0000010000")
        let tlvs = try #require(plaintext["tlvs"] as? [[String: Any]])
        try #require(tlvs.count == 1)
        #expect(tlvs[0]["type"] as? Int == 1)
        #expect(tlvs[0]["name"] as? String == "Disconnected")

        let human = try Tool.run(["decode", "--aes-key", "hex:\(Self.aesKey)"], input: result.out)
        #expect(human.out.contains("TLV type 1           Disconnected, 0 bytes"))

        // TYPE in 0x hex, as session's /tlv takes it: the same bytes.
        let hex = try Self.encode(["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "02", "--tlv", "0x1:"])
        #expect(hex.status == 0, "\(hex.err)")
        let dh = try Self.single(hex.out, ["--aes-key", "hex:\(Self.aesKey)"])
        #expect(((dh["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["bytes"] as? String == "0000010000")
    }

    @Test("encode --json writes one object per message with decode's fields, which encode reads back to the same bytes")
    func jsonOutputHasDecodesFieldsAndEncodesBack() throws {
        let dhKey = try Self.encode(["dh-key", "--gy", "0123", "--json"])
        #expect(dhKey.status == 0, "\(dhKey.err)")
        let text = try Self.encode(["dh-key", "--gy", "0123"])
        let object = try #require(try Tool.jsonLines(dhKey).first)
        #expect(object["kind"] as? String == "dh-key" && object["gy"] as? String == "0123" && object["sender_instance_hex"] as? String == "00000100")
        #expect(object["raw"] as? String == text.lines.first && object["length"] as? Int == text.lines.first?.utf8.count)
        // The same fields decode gives the message.
        let decoded = try #require(try Self.decoded(text.out).first)
        for key in ["kind", "version", "type", "sender_instance", "receiver_instance", "gy", "raw"] {
            #expect("\(object[key] ?? "none")" == "\(decoded[key] ?? "none")", "\(key)")
        }
        #expect(try Tool.run(["encode"], stdin: dhKey.stdout).out == text.out)
        // An offer, with its text; an XMPP stanza; JSON input names its line.
        let query = try #require(try Tool.jsonLines(try Self.encode(["query", "--versions", "3", "--text", " hi", "--json"])).first)
        #expect(query["kind"] as? String == "query" && query["offer"] as? String == "?OTRv3?" && query["text"] as? String == " hi"
                && query["text_offset"] as? Int == 0, "\(query)")
        let stanza = try #require(try Tool.jsonLines(try Self.encode(["error", "--text", "x", "--xmpp-to", "b@x/r", "--json"])).first)
        #expect(stanza["kind"] as? String == "error" && (stanza["stanza"] as? String)?.hasPrefix("<message to='b@x/r'") == true, "\(stanza)")
        let fromJSON = try Self.encode(["--json"], stdin: "{\"kind\":\"plaintext\",\"text\":\"a\"}\n\n{\"kind\":\"query\",\"versions\":[2]}\n")
        let lines = try Tool.jsonLines(fromJSON)
        #expect(lines.map { $0["line"] as? Int } == [1, 3] && lines.allSatisfy { $0["source"] as? String == "-" }, "\(fromJSON.out)")
        // The example capture: encode --json | encode is encode.
        let capture = try Tool.run(["decode", "--json", Tool.repositoryRoot.appendingPathComponent("examples/capture.log").path])
        let viaJSON = try Tool.run(["encode"], stdin: try Tool.run(["encode", "--json"], stdin: capture.stdout).stdout)
        #expect(viaJSON.stdout == (try Tool.run(["encode"], stdin: capture.stdout)).stdout)
    }

    @Test func decodeJSONIsEncodedBackByteForByte() throws {
        var lines: [String] = []
        for arguments in [["query", "--versions", "23"], ["dh-key", "--gy", "0123"], ["dh-key", "--protocol-version", "2", "--gy", "05"],
                          ["dh-commit", "--gx", "0100", "--r", "hex:000102030405060708090a0b0c0d0e0f"],
                          ["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "03", "--text", "x", "--old-mac-keys",
                           String(repeating: "11", count: 20)]] {
            let r = try Self.encode(arguments)
            try #require(r.status == 0, "\(arguments): \(r.err)")
            lines.append(try #require(r.lines.first))
        }
        let input = lines.joined(separator: "\n") + "\n"
        let json = try Tool.run(["decode", "--json"], input: input)
        let rebuilt = try Tool.run(["encode"], stdin: json.stdout)
        #expect(rebuilt.status == 0, "\(rebuilt.err)")
        #expect(rebuilt.out == input)
    }

    // MARK: XMPP

    @Test func xmppWrappingCarriesTheXEP0364HintsAndDecodeReadsItBack() throws {
        let plain = try Self.encode(["dh-key", "--gy", "0a0b"])
        let wrapped = try Self.encode(["dh-key", "--gy", "0a0b", "--xmpp-to", "bob@example.org/phone",
                                       "--xmpp-from", "alice@example.org/pc"])
        #expect(wrapped.status == 0)
        let stanza = try #require(wrapped.lines.first)
        #expect(wrapped.lines.count == 1)
        #expect(stanza.hasPrefix("<message "))
        #expect(stanza.hasSuffix("</message>"))
        #expect(stanza.contains("to='bob@example.org/phone'"))
        #expect(stanza.contains("from='alice@example.org/pc'"))
        #expect(stanza.contains("<body>\(try #require(plain.lines.first))</body>"))
        #expect(stanza.contains("<no-copy xmlns='urn:xmpp:hints'/>"))
        #expect(stanza.contains("<no-permanent-store xmlns='urn:xmpp:hints'/>"))
        #expect(stanza.contains("<private xmlns='urn:xmpp:carbons:2'/>"))
        #expect(stanza.contains("<encryption xmlns='urn:xmpp:eme:0' namespace='urn:xmpp:otr:0'/>"))
        // The stanza parses as XML with those elements as children of <message>.
        let document = try XMLDocument(xmlString: stanza)
        let nodes = document.rootElement()?.children ?? []
        let children = nodes.compactMap { $0.name }
        #expect(Set(children) == ["body", "encryption", "no-copy", "no-permanent-store", "private"])

        let fromStanza = try Self.single(wrapped.out)
        let fromPlain = try Self.single(plain.out)
        #expect(fromStanza["kind"] as? String == "dh-key")
        #expect(fromStanza["gy"] as? String == "0a0b")
        #expect(fromStanza["raw"] as? String == fromPlain["raw"] as? String)

        // Text with markup characters is escaped in the body and unescaped by decode.
        let query = try Self.encode(["query", "--text", " <you> & me", "--xmpp-to", "bob@example.org"])
        #expect(query.out.contains("<body>?OTRv23? &lt;you&gt; &amp; me</body>"))
        #expect(try Self.single(query.out)["text"] as? String == " <you> & me")
    }

    // MARK: Errors

    @Test func unusableOptionsAreUsageErrors() throws {
        let cases: [[String]] = [
            ["dh-key", "--protocol-version", "4", "--gy", "02"],
            ["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "01"],
            ["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", Self.pMinus1],
            ["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "not-hex"],
            ["dh-key", "--gy", "01"],
            ["dh-key", "--dh-private", "hex:00"],
            ["dh-key", "--gy", Self.pMinus1],
            ["dh-commit", "--gx", "00", "--r", "hex:000102030405060708090a0b0c0d0e0f"],
            ["dh-commit", "--gx", Self.modulusHex, "--r", "hex:000102030405060708090a0b0c0d0e0f"],
            ["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", "02", "--protocol-version", "4"],
        ]
        for arguments in cases {
            let result = try Self.encode(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.out.isEmpty, "\(arguments)")
            let option = arguments.first { ["--next-dh-key", "--gy", "--gx", "--dh-private"].contains($0) }
            #expect(result.err.contains(option != nil && !arguments.contains("4") ? option! : "--protocol-version"),
                    "\(arguments): \(result.err)")
        }
    }

    @Test func allowViolationsBuildsOutOfRangeDHValuesOnPurposeAndDecodeNamesThem() throws {
        for (arguments, violation) in [
            (["dh-key", "--gy", "01"], "g^y"),
            (["dh-commit", "--gx", Self.pMinus1, "--r", "hex:000102030405060708090a0b0c0d0e0f"], nil),
            (["data", "--aes-key", "hex:\(Self.aesKey)", "--next-dh-key", Self.pMinus1], "next D-H key"),
        ] as [([String], String?)] {
            let built = try Self.encode(arguments + ["--allow-violations"])
            #expect(built.status == 0, "\(arguments): \(built.err)")
            let decoded = try Tool.run(["decode"], input: built.out)
            // A D-H Commit hides g^x until its r is revealed: nothing to name yet.
            if let violation {
                #expect(decoded.status == 2 && decoded.err.contains(violation), "\(arguments): \(decoded.err)")
            } else {
                #expect(decoded.status == 0, "\(arguments): \(decoded.err)")
            }
        }
    }
}
