import Foundation
import Testing

/// decode checks SMP's zero-knowledge proofs offline, on SMP runs made by
/// libotr 4.1.1 and python-potr with equal and with different secrets,
/// and on a run with one proof value changed (the message re-encrypted
/// under its own key, so only the proof is wrong).
struct DecodeSMPInteropTests {
    static func script(bobSecret: String) -> String {
        """
        alice: /start
        alice: hello bob
        bob: /smpq Which colour?|\(bobSecret)
        alice: after smp
        bob: /end

        """
    }

    static func libotr(version: Int, aliceSecret: String = "blue") throws -> Conversation {
        let run = try Peers.runLibotr(["converse", "--version", "\(version)", "--alice-secret", aliceSecret],
                                      stdin: Data(script(bobSecret: "blue").utf8))
        try #require(run.status == 0, "libotr peer failed: \(run.err)")
        return try Conversation(jsonLines: run.stdout)
    }

    static func potr(aliceSecret: String = "blue") throws -> Conversation {
        let run = try Peers.runPotr(["converse", "--alice-secret", aliceSecret], stdin: Data(script(bobSecret: "blue").utf8))
        try #require(run.status == 0, "potr peer failed: \(run.err)")
        return try Conversation(jsonLines: run.stdout)
    }

    static func decode(_ capture: String, keys: [String]) throws -> (Tool.Result, [[String: Any]]) {
        let result = try Tool.run(["decode", "--json", "--show-keys"] + keys.flatMap { ["--dh-private", $0] },
                                  stdin: Data(capture.utf8))
        return (result, try Tool.jsonLines(result))
    }

    /// Each SMP TLV decoded: its type, and proof -> result.
    static func proofs(_ objects: [[String: Any]]) -> [(type: Int, line: Int, proofs: [String: String])] {
        var found: [(Int, Int, [String: String])] = []
        for object in objects {
            let plaintext = (object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any]
            for tlv in plaintext?["tlvs"] as? [[String: Any]] ?? [] {
                guard let list = tlv["proofs"] as? [[String: Any]] else { continue }
                var results: [String: String] = [:]
                for p in list { results[p["proof"] as? String ?? "?"] = p["result"] as? String }
                found.append((tlv["type"] as? Int ?? -1, object["line"] as? Int ?? -1, results))
            }
        }
        return found
    }

    /// What an observer can check of an honest run, message by message.
    static let honest: [[String: String]] = [
        ["c2/D2": "verifies", "c3/D3": "verifies"],
        ["c2/D2": "verifies", "c3/D3": "verifies", "cP/D5/D6": "unverifiable"],
        ["cP/D5/D6": "unverifiable", "cR/D7": "verifies"],
        ["cR/D7": "verifies"],
    ]

    /// The "smp_step" notes of the capture's TLVs, by TLV type.
    static func steps(_ objects: [[String: Any]]) -> [(type: Int, step: String)] {
        objects.flatMap { object in
            let plaintext = (object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any]
            return (plaintext?["tlvs"] as? [[String: Any]] ?? []).compactMap { tlv in
                (tlv["smp_step"] as? String).map { (tlv["type"] as? Int ?? -1, $0) }
            }
        }
    }

    /// `abortsOnFailure`: python-potr answers SMP message 3 with an abort
    /// when the secrets differ, where libotr (and the spec) send message 4.
    func checkHonest(_ conversation: Conversation, secretsEqual: Bool, peer: String, abortsOnFailure: Bool = false) throws {
        let (result, objects) = try Self.decode(conversation.captureLog, keys: conversation.dhPrivateKeys(of: "alice"))
        #expect(result.status == 0, "\(peer): decode failed: \(result.err)")
        let found = Self.proofs(objects)
        let aborted = abortsOnFailure && !secretsEqual
        #expect(found.map(\.type) == (aborted ? [7, 3, 4] : [7, 3, 4, 5]), "\(peer): SMP TLVs decoded: \(found.map(\.type))")
        #expect(found.map(\.proofs) == Array(Self.honest.prefix(aborted ? 3 : 4)), "\(peer): \(found.map(\.proofs))")
        let steps = Self.steps(objects)
        if aborted {
            #expect(steps.count == 1 && steps.first?.type == 6
                    && steps.first?.step.hasPrefix("SMP aborted where SMP message 4 is due") == true, "\(peer): \(steps)")
        } else {
            #expect(steps.isEmpty, "\(peer): an honest run in the spec's order has no step to note: \(steps)")
        }
        // The peers' own verdict: the proofs verify either way; the secrets
        // decide only the comparison at the end.
        let outcomes = conversation.events("smp").compactMap { ($0["type"] ?? $0["status"]) as? String }
        #expect(outcomes.contains { $0.localizedCaseInsensitiveContains(secretsEqual ? "succe" : "fail") },
                "\(peer): SMP outcome events \(outcomes)")
    }

    @Test("libotr's SMP proofs verify offline, with equal and with different secrets", arguments: [2, 3])
    func libotrProofs(version: Int) throws {
        try checkHonest(try Self.libotr(version: version), secretsEqual: true, peer: "libotr v\(version)")
        try checkHonest(try Self.libotr(version: version, aliceSecret: "red"), secretsEqual: false, peer: "libotr v\(version)")
    }

    @Test("python-potr's SMP proofs verify offline; its abort in place of message 4 when the secrets differ is named")
    func potrProofs() throws {
        try checkHonest(try Self.potr(), secretsEqual: true, peer: "python-potr")
        try checkHonest(try Self.potr(aliceSecret: "red"), secretsEqual: false, peer: "python-potr", abortsOnFailure: true)
    }

    @Test("with libotr's own SMP exponents of either party, cP/D5/D6 verify and decode's outcome is libotr's: success with equal secrets, failure (status 1) with different ones",
          arguments: [3, 2])
    func libotrExponentsDecideTheOutcome(version: Int) throws {
        for aliceSecret in ["blue", "red"] {
            let conversation = try Self.libotr(version: version, aliceSecret: aliceSecret)
            let outcomes = Set(conversation.events("smp").compactMap { $0["type"] as? String }.filter { ["success", "failure"].contains($0) })
            try #require(outcomes.count == 1, "libotr's SMP outcomes: \(outcomes)")
            let libotrAgrees = outcomes.first == "success"
            #expect(libotrAgrees == (aliceSecret == "blue"))
            let keys = conversation.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
            for party in ["alice", "bob"] {
                let exponents = try #require(conversation.events("smp_exponents").first { $0["party"] as? String == party },
                                             "the libotr peer printed no SMP exponents of \(party)")
                let given = ["x2", "x3"].flatMap { ["--smp-exponent", "hex:" + (exponents[$0] as? String ?? "")] }
                let result = try Tool.run(["decode", "--json"] + keys + given, stdin: Data(conversation.captureLog.utf8))
                #expect(result.status == (libotrAgrees ? 0 : 1), "\(party)'s exponents, alice's secret \(aliceSecret): status \(result.status) \(result.err)")
                let decoded = try Tool.jsonLines(result)
                let cP = Self.proofs(decoded).compactMap { $0.proofs["cP/D5/D6"] }
                #expect(cP == ["verifies", "verifies"], "\(party): \(cP)")
                let tlvs = Self.smpTLVs(decoded)
                let decided = tlvs.compactMap { $0["smp_secrets_agree"] as? Bool }
                #expect(decided == [libotrAgrees], "\(party)'s exponents: decode decides \(decided), libotr \(outcomes)")
                if !libotrAgrees {
                    #expect(result.err.contains("the secrets differ: Pa/Pb != Rab"), "\(result.err)")
                }
            }
        }
    }

    /// The TLVs of every plaintext decode opened, with their JSON fields.
    static func smpTLVs(_ decoded: [[String: Any]]) -> [[String: Any]] {
        decoded.flatMap { (((($0["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["tlvs"]) as? [[String: Any]]) ?? [] }
    }

    @Test("--smp-secret: the secrets the parties are said to have answered with, against what the capture shows (libotr's outcome with its exponents, python-potr's abort)")
    func secretsGivenAgainstTheCapture() throws {
        let hex = { (text: String) in "hex:" + text.utf8.map { String(format: "%02x", $0) }.joined() }
        // libotr, alice answering "red" to bob's "blue": decode told they agree.
        let libotr = try Self.libotr(version: 3, aliceSecret: "red")
        let keys = libotr.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        let exponents = try #require(libotr.events("smp_exponents").first { $0["party"] as? String == "alice" })
        let given = ["x2", "x3"].flatMap { ["--smp-exponent", "hex:" + (exponents[$0] as? String ?? "")] }
        for (secrets, deviates) in [(["blue", "blue"], true), (["blue", "red"], false)] {
            let result = try Tool.run(["decode", "--json"] + keys + given + secrets.flatMap { ["--smp-secret", hex($0)] },
                                      stdin: Data(libotr.captureLog.utf8))
            let tlvs = Self.smpTLVs(try Tool.jsonLines(result))
            #expect(tlvs.compactMap { $0["smp_secrets_given_agree"] as? Bool } == [secrets[0] == secrets[1]])
            let deviations = tlvs.compactMap { $0["smp_deviation"] as? String }
            #expect(deviations.count == (deviates ? 1 : 0) && (deviations.first?.hasPrefix("the secrets given agree, yet Pa/Pb != Rab") ?? true),
                    "\(secrets): \(deviations)")
        }
        // python-potr aborts in place of message 4 when its secrets differ:
        // said to agree, that abort is a deviation; said to differ, it is not.
        let potr = try Self.potr(aliceSecret: "red")
        let potrKeys = potr.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        for (secrets, deviates) in [(["blue", "blue"], true), (["red", "blue"], false)] {
            let result = try Tool.run(["decode", "--json"] + potrKeys + secrets.flatMap { ["--smp-secret", hex($0)] },
                                      stdin: Data(potr.captureLog.utf8))
            let deviations = Self.smpTLVs(try Tool.jsonLines(result)).compactMap { $0["smp_deviation"] as? String }
            #expect(deviations.count == (deviates ? 1 : 0), "\(secrets): \(deviations)")
            if deviates {
                #expect(deviations.first?.hasPrefix("the responder aborted after SMP message 3 although the secrets given agree") == true)
                #expect(result.status == 1 && result.err.contains("although the secrets given agree"), "\(result.status) \(result.err)")
            }
        }
        let one = try Tool.run(["decode", "--smp-secret", hex("blue")], stdin: Data(potr.captureLog.utf8))
        #expect(one.status == 64 && one.err.contains("--smp-secret: give the secret each party answered with, twice"), "\(one.err)")
    }

    @Test("simulate's smp_exponents are what --smp-exponent takes: the initiator's a2, a3 decide the outcome at message 4")
    func simulateExponents() throws {
        for (bobSecret, agree) in [("blue", true), ("red", false)] {
            let script = "alice: /query\nalice: hi\nbob: /smp blue\nalice: /smp \(bobSecret)\nalice: bye\n"
            let events = try Tool.jsonLines(try Tool.run(["simulate", "--json"], stdin: Data(script.utf8)))
            let capture = try Tool.run(["simulate", "--wire-only"], stdin: Data(script.utf8)).out
            var arguments = ["decode", "--json"]
            for e in events where e["event"] as? String == "dh" && e["party"] as? String == "alice" {
                arguments += ["--dh-private", "hex:" + (e["private"] as? String ?? "")]
            }
            let values = try #require(events.first { $0["event"] as? String == "smp_exponents" && $0["party"] as? String == "bob" }?["values"] as? [String: String])
            arguments += ["a2", "a3"].flatMap { ["--smp-exponent", "hex:" + (values[$0] ?? "")] }
            let result = try Tool.run(arguments, stdin: Data(capture.utf8))
            #expect(result.status == (agree ? 0 : 1), "\(result.err)")
            let decided = Self.smpTLVs(try Tool.jsonLines(result)).compactMap { tlv in (tlv["smp_secrets_agree"] as? Bool).map { (tlv["type"] as? Int ?? 0, $0) } }
            #expect(decided.count == 1 && decided.first?.0 == 5 && decided.first?.1 == agree, "\(decided)")
        }
    }

    @Test("one changed proof value in libotr's SMP message 1 is named: c3/D3 fails on its line, status 1")
    func tamperedProofIsNamed() throws {
        let conversation = try Self.libotr(version: 3)
        let keys = conversation.dhPrivateKeys(of: "alice")
        let (_, objects) = try Self.decode(conversation.captureLog, keys: keys)
        // The Data message carrying SMP message 1Q, its key and TLV.
        let carrier = try #require(objects.first { object in
            let tlvs = ((object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["tlvs"] as? [[String: Any]]
            return tlvs?.contains { $0["type"] as? Int == 7 } == true
        })
        let line = try #require(carrier["line"] as? Int)
        let analysis = try #require(carrier["analysis"] as? [String: Any])
        let aes = try #require(analysis["aes_key"] as? String)
        let tlv = try #require((((analysis["plaintext"] as? [String: Any])?["tlvs"] as? [[String: Any]])?.first { $0["type"] as? Int == 7 }))
        var value = try #require(tlv["value"] as? String)
        // D3 is the TLV's last MPI: flip the lowest bit of its last byte.
        let last = try #require(UInt8(value.suffix(2), radix: 16))
        value = String(value.dropLast(2)) + String(format: "%02x", last ^ 1)

        let forged = try Tool.run(["forge", "reencrypt", "--aes-key", "hex:" + aes, "--line", "\(line)", "--text", "",
                                   "--tlv", "7:" + value], stdin: Data(conversation.captureLog.utf8))
        try #require(forged.status == 0, "\(forged.err)")
        var lines = conversation.captureLog.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let original = lines[line - 1]
        let start = try #require(original.range(of: "?OTR:")).lowerBound
        let prefix = original[..<start]
        lines[line - 1] = prefix + forged.out.trimmingCharacters(in: .newlines)

        let (result, tampered) = try Self.decode(lines.joined(separator: "\n"), keys: keys)
        #expect(result.status == 1, "decode exits \(result.status) on a tampered SMP proof: \(result.err)")
        let found = Self.proofs(tampered)
        #expect(found.first?.line == line && found.first?.proofs == ["c2/D2": "verifies", "c3/D3": "fails"], "\(found.map(\.proofs))")
        #expect(result.err.contains("-:\(line): ") && result.err.contains("proof c3/D3 of knowledge of log g3a does not verify"),
                "\(result.err)")
        // The rest of the run is still checked: message 2's proofs verify.
        #expect(found.dropFirst().first?.proofs["c2/D2"] == "verifies")
        // decode --explain names the same proof, on the same line only.
        let explained = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + keys.flatMap { ["--dh-private", $0] },
                                                        stdin: Data(lines.joined(separator: "\n").utf8)))
            .filter { !($0["explanations"] as? [String] ?? []).isEmpty }
        #expect(explained.map { $0["line"] as? Int } == [line], "\(explained.map { ($0["line"] ?? "?", $0["explanations"] ?? "") })")
        #expect((explained.first?["explanations"] as? [String])?.first?.hasPrefix(
            "SMP Message 1Q (TLV 1): proof c3/D3 of knowledge of log g3a does not verify") == true, "\(explained.first ?? [:])")
    }
}
