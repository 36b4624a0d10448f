import Foundation
import Testing

/// decode --explain against libotr 4.1.1 and python-potr: on captures of
/// what each receiver was handed, the messages decode explains are exactly
/// those the receiving libotr refused (an error event during their
/// delivery), with the reason libotr's event implies; honest conversations
/// are explained by nothing.
struct DecodeExplainInteropTests {
    struct Run {
        var conversation: Conversation
        /// The capture a receiver-side log would hold: every wire message
        /// libotr handed over and did not lose, one a line.
        var capture: String
        /// The wire seq of each capture line.
        var seqs: [Int]
        /// The seqs whose delivery raised a libotr error event, with it (an
        /// OTR Error received is reported as one, and is not counted).
        var refused: [Int: String]
    }

    static func libotr(_ script: String, version: Int = 3, policy: String? = nil, extra: [String] = []) throws -> Run {
        var arguments = ["converse", "--version", "\(version)", "--alice-secret", "blue"] + extra
        if let policy { arguments += ["--policy", policy] }
        let result = try Peers.runLibotr(arguments, stdin: Data(script.utf8))
        try #require(result.status == 0, "libotr peer failed: \(result.err)")
        let conversation = try Conversation(jsonLines: result.stdout)
        var refused: [Int: String] = [:]
        var pending: [String] = []
        for event in conversation.events {
            switch event["event"] as? String {
            case "error": pending.append(event["msg_event"] as? String ?? "?")
            case "delivered":
                if let seq = event["seq"] as? Int, let first = pending.first { refused[seq] = first }
                pending = []
            default: break
            }
        }
        return delivered(conversation, refused: refused)
    }

    /// The same from python-potr, whose peer reports a refused message as
    /// an "error" event of its receiver, with the message's seq.
    static func potr(_ script: String) throws -> Run {
        let result = try Peers.runPotr(["converse", "--alice-secret", "blue"], stdin: Data(script.utf8))
        try #require(result.status == 0, "potr peer failed: \(result.err)")
        let conversation = try Conversation(jsonLines: result.stdout)
        var refused: [Int: String] = [:]
        for event in conversation.events("error") {
            if let seq = event["seq"] as? Int { refused[seq] = event["kind"] as? String ?? "?" }
        }
        return delivered(conversation, refused: refused)
    }

    /// The capture of what the receivers were handed: every wire message
    /// not lost, one a line; an OTR Error received is not a refusal.
    static func delivered(_ conversation: Conversation, refused: [Int: String]) -> Run {
        var refused = refused
        let dropped = Set(conversation.events("dropped").compactMap { $0["seq"] as? Int })
        let wires = conversation.wires.filter { !dropped.contains($0.seq) && !$0.text.isEmpty }
        for wire in wires where wire.text.hasPrefix("?OTR Error:") { refused[wire.seq] = nil }
        let capture = wires.map { "[\($0.seq)] <\($0.from)> \($0.text.replacingOccurrences(of: "\n", with: " "))" }
            .joined(separator: "\n") + "\n"
        return Run(conversation: conversation, capture: capture, seqs: wires.map(\.seq), refused: refused)
    }

    /// decode --explain of the run with alice's D-H exponents: the
    /// explanations of each line that is not an OTR Error, by wire seq.
    static func explained(_ run: Run) throws -> [Int: [String]] {
        let keys = run.conversation.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        let result = try Tool.run(["decode", "--json", "--explain"] + keys, stdin: Data(run.capture.utf8))
        var found: [Int: [String]] = [:]
        for object in try Tool.jsonLines(result) {
            guard let explanations = object["explanations"] as? [String], !explanations.isEmpty,
                  object["kind"] as? String != "error", let line = object["line"] as? Int else { continue }
            found[run.seqs[line - 1]] = explanations
        }
        return found
    }

    static let honest = """
        alice: /start
        alice: one
        alice: two
        bob: three
        alice: four
        bob: five
        bob: six
        bob: seven
        alice: eight
        bob: /smpq Which colour?|blue
        alice: nine
        bob: ten
        alice: /symkey 1 00010203
        alice: eleven
        bob: twelve
        bob: /end

        """

    @Test("honest libotr conversations (key rotation, SMP, symmetric key, disconnect) are explained by nothing", arguments: [2, 3])
    func honestLibotr(version: Int) throws {
        let run = try Self.libotr(Self.honest, version: version)
        #expect(run.refused.isEmpty, "libotr refused \(run.refused)")
        let explained = try Self.explained(run)
        #expect(explained.isEmpty, "\(explained)")
    }

    @Test func anHonestPotrConversationIsExplainedByNothing() throws {
        let script = Self.honest.replacingOccurrences(of: "alice: /symkey 1 00010203\n", with: "")
        let result = try Peers.runPotr(["converse", "--alice-secret", "blue"], stdin: Data(script.utf8))
        try #require(result.status == 0, "potr peer failed: \(result.err)")
        let conversation = try Conversation(jsonLines: result.stdout)
        let keys = conversation.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + keys,
                                                      stdin: Data(conversation.captureLog.utf8)))
        let explained = decoded.filter { !($0["explanations"] as? [String] ?? []).isEmpty }
        #expect(explained.isEmpty, "\(explained.map { ($0["line"] ?? "?", $0["explanations"] ?? "") })")
    }

    @Test("a lost Signature message: alice's Data message is explained as sent before bob's AKE ended, the one libotr refused")
    func lostSignature() throws {
        let run = try Self.libotr("""
            !hold
            alice: /start
            !step
            !step
            !step
            !step
            !drop
            alice: hello bob
            !flush
            bob: are you there?

            """)
        let explained = try Self.explained(run)
        #expect(Set(explained.keys) == Set(run.refused.keys), "decode explains \(explained), libotr refused \(run.refused)")
        #expect(run.refused.values.allSatisfy { $0 == "RCVDMSG_NOT_IN_PRIVATE" }, "\(run.refused)")
        #expect(explained.values.allSatisfy { $0.first?.hasPrefix("Data message before the AKE between") == true }, "\(explained)")
        #expect(explained.values.allSatisfy { $0.first?.contains("the last AKE message was the Reveal Signature at line 4, and the Signature message answering it is not in the capture") == true },
                "\(explained)")
    }

    /// The seqs of the version 3 AKE messages of a type in the capture
    /// ("AAMC": D-H Commit, "AAMK": D-H Key, in base64 of 0003 02 / 0a).
    static func seqs(_ run: Run, _ prefix: String) -> [Int] {
        run.conversation.wires.filter { run.seqs.contains($0.seq) && $0.text.hasPrefix("?OTR:" + prefix) }.map(\.seq)
    }

    /// bob asks for OTR, the AKE runs `steps` deliveries (the query, then
    /// alice's D-H Commit, ...), the next message is lost; bob asks again.
    static func lostAKEMessage(after steps: Int) throws -> Run {
        try libotr("!hold\nbob: /start\n" + String(repeating: "!step\n", count: steps) + "!drop\n!flush\nbob: /start\nalice: hello\n")
    }

    @Test("a lost D-H Key: libotr begins the AKE again, and decode names the loss on the new D-H Commit")
    func lostDHKey() throws {
        let run = try Self.lostAKEMessage(after: 2)
        #expect(run.refused.isEmpty, "\(run.refused)")
        let commits = Self.seqs(run, "AAMC")
        try #require(commits.count == 2, "the scenario did not happen: D-H Commits \(commits)")
        let firstLine = try #require(run.seqs.firstIndex(of: commits[0])) + 1
        let explained = try Self.explained(run)
        #expect(explained.keys.sorted() == [commits[1]], "\(explained)")
        #expect(explained[commits[1]]?.first?.hasSuffix("its D-H Commit of line \(firstLine) got no D-H Key in the capture, which was lost (or never sent), and \(run.conversation.instance(of: "alice") ?? "?") began the AKE again") == true,
                "\(explained)")
    }

    @Test("a lost Reveal Signature: libotr begins the AKE again, bob re-sends his D-H Key, and decode names both")
    func lostRevealSignature() throws {
        let run = try Self.lostAKEMessage(after: 3)
        #expect(run.refused.isEmpty, "\(run.refused)")
        let commits = Self.seqs(run, "AAMC"), keys = Self.seqs(run, "AAMK")
        try #require(commits.count == 2 && keys.count == 2, "the scenario did not happen: D-H Commits \(commits), D-H Keys \(keys)")
        let keyLine = try #require(run.seqs.firstIndex(of: keys[0])) + 1
        let explained = try Self.explained(run)
        #expect(explained.keys.sorted() == [commits[1], keys[1]], "\(explained)")
        #expect(explained[commits[1]]?.first?.contains("got its D-H Key at line \(keyLine), and no Reveal Signature") == true, "\(explained)")
        #expect(explained[keys[1]]?.first?.hasPrefix("the D-H Key of line \(keyLine) again") == true, "\(explained)")
    }

    @Test("a fragment lost in transit: libotr never shows the message, and decode names the broken series on the next fragment")
    func brokenFragmentSeries() throws {
        let long = String(repeating: "a text too long for one fragment of two hundred bytes. ", count: 4)
        let run = try Self.libotr("""
            alice: /start
            alice: hello
            !hold
            bob: \(long)
            !step
            !drop
            !flush
            bob: after

            """, extra: ["--fragment", "200"])
        let dropped = try #require(run.conversation.events("dropped").first?["seq"] as? Int)
        let texts = run.conversation.events("received").compactMap { $0["text"] as? String }
        #expect(texts.contains("after") && !texts.contains(long), "\(texts)")
        let firstLine = try #require(run.seqs.firstIndex(of: dropped - 1)) + 1
        let explained = try Self.explained(run)
        #expect(explained.keys.sorted() == [dropped + 1], "\(explained)")
        #expect(explained[dropped + 1]?.first?.hasPrefix("a broken fragment series: fragment 3 of") == true
                && explained[dropped + 1]?.first?.contains("forgets the message whose fragments began at line \(firstLine), which is lost") == true,
                "\(explained)")
    }

    @Test("python-potr, a lost Signature message: the Data message potr refused is explained, and the OTR Error it answers with names that line")
    func potrLostSignature() throws {
        let run = try Self.potr("!hold\nalice: /start\n!step\n!step\n!step\n!step\n!drop\nalice: hello bob\n!flush\nbob: are you there?\n")
        try #require(run.refused.count == 1, "potr refused \(run.refused): the scenario did not happen")
        let refusedLine = try #require(run.seqs.firstIndex(of: run.refused.keys.first!)) + 1
        let explained = try Self.explained(run)
        #expect(Set(explained.keys) == Set(run.refused.keys), "decode explains \(explained), potr refused \(run.refused)")
        #expect(explained.values.allSatisfy { $0.first?.contains("the Signature message answering it is not in the capture") == true }, "\(explained)")
        let keys = run.conversation.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + keys, stdin: Data(run.capture.utf8)))
        let error = try #require(decoded.first { $0["kind"] as? String == "error" }, "potr sent no OTR Error")
        #expect((error["explanations"] as? [String])?.first?.hasPrefix("an OTR Error: most likely the answer to line \(refusedLine)") == true,
                "\(error)")
    }

    @Test("a text sent as the peer disconnects is explained as arriving after the session ended, as libotr refuses it")
    func textAfterDisconnect() throws {
        let run = try Self.libotr("""
            alice: /start
            alice: hello bob
            bob: hello alice
            !hold
            bob: /end
            alice: are you there?
            !flush

            """)
        let explained = try Self.explained(run)
        try #require(!run.refused.isEmpty, "libotr refused nothing: the scenario did not happen")
        #expect(Set(explained.keys) == Set(run.refused.keys), "decode explains \(explained), libotr refused \(run.refused)")
        #expect(explained.values.allSatisfy { $0.first?.contains("ended the session (disconnect TLV at line") == true }, "\(explained)")
    }

    @Test("a Data message for a third instance of bob is explained as meant for another instance, where libotr ignores it")
    func messageForAnotherInstance() throws {
        // alice's instance 11111111 talks with bob's 22222222; a message
        // from alice for 33333333 (another login of bob's) reaches 22222222.
        let other = try Tool.run(["encode", "data", "--protocol-version", "3", "--sender-instance", "11111111",
                                  "--receiver-instance", "33333333", "--aes-key", "hex:000102030405060708090a0b0c0d0e0f",
                                  "--next-dh-key", "05", "--text", "for the other login"])
        try #require(other.status == 0, "\(other.err)")
        let run = try Self.libotr("""
            alice: /start
            alice: hello bob
            alice: /inject \(other.out.trimmingCharacters(in: .newlines))
            bob: still here

            """, extra: ["--alice-instag", "11111111", "--bob-instag", "22222222"])
        #expect(run.refused.values.contains("RCVDMSG_FOR_OTHER_INSTANCE"), "\(run.refused)")
        let explained = try Self.explained(run)
        #expect(Set(explained.keys) == Set(run.refused.keys), "decode explains \(explained), libotr refused \(run.refused)")
        #expect(explained.values.allSatisfy { $0.first?.hasPrefix("Data message for instance 33333333, with which 11111111 has no session") == true },
                "\(explained)")
    }

    @Test("a malformed Data message is explained, and the OTR Error libotr answers it with names its line")
    func malformedMessageAndItsError() throws {
        let run = try Self.libotr("""
            alice: /start
            alice: first
            bob: reply
            alice: /inject ?OTR:AAIDAAAAAAEAAAABAAAAwAA=.
            bob: hello again

            """, version: 2, policy: "0x32")
        let explained = try Self.explained(run)
        #expect(Set(explained.keys) == Set(run.refused.keys), "decode explains \(explained), libotr refused \(run.refused)")
        let keys = run.conversation.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", $0] }
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + keys, stdin: Data(run.capture.utf8)))
        let injected = try #require(decoded.first { ($0["raw"] as? String)?.hasPrefix("?OTR:AAIDAAAAAAEAAAABAAAAwAA=") == true })
        let error = try #require(decoded.first { $0["kind"] as? String == "error" }, "libotr sent no OTR Error")
        #expect((error["explanations"] as? [String])?.first?.hasPrefix(
            "an OTR Error: most likely the answer to line \(injected["line"] as? Int ?? -1)") == true, "\(error)")
    }
}
