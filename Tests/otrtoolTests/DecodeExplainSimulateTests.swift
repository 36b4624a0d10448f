import Foundation
import Testing

/// decode --explain on faults libotr's test peer cannot make (it delivers
/// in order): simulate's !late and !corrupt, its --delivered capture of
/// what the receivers were handed, and the receivers' own verdicts.
struct DecodeExplainSimulateTests {
    struct Run {
        /// simulate --delivered: one line per message delivered.
        var capture: String
        /// The seq of each delivered line, and the seqs a receiver found
        /// unreadable, from the same script's --json events.
        var seqs: [Int]
        var unreadable: Set<Int>
        /// alice's D-H private exponents, as decode takes them.
        var aliceKeys: [String]
    }

    static func simulate(_ script: String, arguments: [String] = []) throws -> Run {
        let delivered = try Tool.run(["simulate", "--delivered"] + arguments, stdin: Data(script.utf8))
        try #require(delivered.status == 0, "\(delivered.err)")
        let events = try Tool.jsonLines(try Tool.run(["simulate", "--json"] + arguments, stdin: Data(script.utf8)))
        func named(_ name: String) -> [[String: Any]] { events.filter { $0["event"] as? String == name } }
        return Run(capture: delivered.out,
                   seqs: named("delivered").compactMap { $0["seq"] as? Int },
                   unreadable: Set(named("unreadable").compactMap { $0["seq"] as? Int }),
                   aliceKeys: named("dh").filter { $0["party"] as? String == "alice" }.compactMap { $0["private"] as? String }
                       .flatMap { ["--dh-private", "hex:" + $0] })
    }

    /// decode --explain's first explanation of each line that is not an
    /// OTR Error, by seq.
    static func explained(_ run: Run, keys: Bool = false) throws -> [Int: String] {
        let result = try Tool.run(["decode", "--json", "--explain"] + (keys ? run.aliceKeys : []), stdin: Data(run.capture.utf8))
        var found: [Int: String] = [:]
        for object in try Tool.jsonLines(result) {
            guard object["kind"] as? String != "error", let first = (object["explanations"] as? [String])?.first,
                  let line = object["line"] as? Int else { continue }
            found[run.seqs[line - 1]] = first
        }
        return found
    }

    /// alice's first text is held while both parties move on to new keys
    /// twice (each message sent, then delivered ahead of it with !late).
    static let late = """
        alice: /query
        alice: first
        bob: first reply
        !hold
        alice: held text
        bob: b1
        !late
        !step
        alice: a2
        !late
        !step
        bob: b2
        !late
        !step
        alice: a3
        !late
        !step
        bob: b3
        !late
        !step
        alice: a4
        !late
        !step
        bob: b4
        !late
        !step
        !flush

        """

    @Test("a message delivered after its receiver made two new keys: its stale recipient key id is named, where bob found it unreadable")
    func lateMessageHasAStaleKey() throws {
        let run = try Self.simulate(Self.late)
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let explained = try Self.explained(run)
        #expect(Set(explained.keys) == run.unreadable, "decode explains \(explained), bob found \(run.unreadable) unreadable")
        #expect(explained.values.allSatisfy { $0.hasPrefix("recipient keyid 2 is stale:") }, "\(explained)")
        // simulate's own text names the late delivery.
        let transcript = try Tool.run(["simulate"], stdin: Data(Self.late.utf8))
        #expect(transcript.out.contains("now travels after #"), "\(transcript.out)")
    }

    @Test("version 2 names no instances; with alice's D-H keys its directions are known and a late message's stale key id is named")
    func versionTwoLateMessage() throws {
        let run = try Self.simulate(Self.late.replacingOccurrences(of: "alice: /query", with: "alice: /ake 2"))
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let explained = try Self.explained(run, keys: true)
        #expect(Set(explained.keys) == run.unreadable, "decode explains \(explained), bob found \(run.unreadable) unreadable")
        #expect(explained.values.allSatisfy { $0.hasPrefix("recipient keyid 2 is stale: its peer holds its keys") }, "\(explained)")
        // Without keys the directions are unknown: no key id is followed.
        #expect(try Self.explained(run).values.allSatisfy { !$0.contains("keyid") })
    }

    @Test("a message delivered after its MAC key was revealed: the revealing line is named, and its old MAC keys hold that key")
    func lateMessageWithARevealedMACKey() throws {
        // alice sends two messages with the same keys; the second is
        // delivered first, so bob uses (and, two keys on, reveals) the MAC
        // key the first one, delivered last, is authenticated with.
        let script = Self.late.replacingOccurrences(of: "alice: held text\n", with: "alice: held text\nalice: same keys\n!late\n!step\n")
        let run = try Self.simulate(script)
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain", "--show-keys"] + run.aliceKeys,
                                                      stdin: Data(run.capture.utf8)))
        let late = try #require(decoded.first { run.unreadable.contains(run.seqs[($0["line"] as? Int ?? 1) - 1]) && $0["kind"] as? String == "data" },
                                "no line of seq \(run.unreadable)")
        let explanations = late["explanations"] as? [String] ?? []
        let revealing = try #require(explanations.compactMap { text -> Int? in
            guard let range = text.range(of: "its MAC key was revealed at line ") else { return nil }
            return Int(text[range.upperBound...].prefix { $0.isNumber })
        }.first, "\(explanations)")
        #expect(explanations.first?.hasPrefix("recipient keyid") == true, "\(explanations)")
        let macKey = try #require((late["analysis"] as? [String: Any])?["mac_key"] as? String)
        let revealed = decoded.first { $0["line"] as? Int == revealing }?["old_mac_keys"] as? String ?? ""
        #expect(revealing < late["line"] as? Int ?? 0 && revealed.contains(macKey), "line \(revealing) reveals \(revealed), the MAC key is \(macKey)")
    }

    @Test("a message delivered twice: the copy names the line of the first, where the receiver found it unreadable, and the OTR Error answers it")
    func duplicatedMessage() throws {
        let script = "alice: /query\nalice: first\n!hold\nalice: hello\n!duplicate\n!flush\nbob: reply\n"
        let run = try Self.simulate(script)
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let seq = try #require(run.unreadable.first)
        let lines = run.seqs.indices.filter { run.seqs[$0] == seq }.map { $0 + 1 }
        try #require(lines.count == 2, "seq \(seq) delivered on lines \(lines)")
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"], stdin: Data(run.capture.utf8)))
        let explained = decoded.filter { !($0["explanations"] as? [String] ?? []).isEmpty }
        #expect(explained.map { $0["line"] as? Int } == [lines[1], lines[1] + 1], "\(explained.map { ($0["line"] ?? "?", $0["explanations"] ?? "") })")
        #expect((explained.first?["explanations"] as? [String])?.first == "the same message as line \(lines[0]), delivered again (its MAC is that line's): the receiver has read it once")
        #expect((explained.last?["explanations"] as? [String])?.first?.hasPrefix("an OTR Error: most likely the answer to line \(lines[1])") == true)
        let events = try Tool.jsonLines(try Tool.run(["simulate", "--json"], stdin: Data(script.utf8)))
        #expect(events.contains { $0["event"] as? String == "duplicated" && $0["seq"] as? Int == seq })
    }

    @Test("a message corrupted in transit: with alice's D-H keys its MAC is named, where the receiver found it unreadable")
    func corruptedMessageFailsItsMAC() throws {
        let run = try Self.simulate("""
            alice: /query
            alice: hello
            !hold
            bob: this one is damaged
            !corrupt
            !flush
            alice: still talking

            """)
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let explained = try Self.explained(run, keys: true)
        #expect(Set(explained.keys) == run.unreadable, "decode explains \(explained), the receiver found \(run.unreadable) unreadable")
        #expect(explained.values.allSatisfy { $0.hasPrefix("the MAC does not verify") }, "\(explained)")
    }

    @Test("a corrupted message, the OTR Error answering it and the \"[resent] \" text after the new AKE: each names the corrupted line")
    func corruptedErrorAndResent() throws {
        let script = "alice: /query\nalice: hello\n!hold\nalice: this one is damaged\n!corrupt\n!flush\nalice: still talking\n"
        // With policy always, alice's engine answers the Error with a new
        // AKE and sends her last text again, as libotr does.
        let run = try Self.simulate(script, arguments: ["--alice-policy", "always", "--bob-policy", "always"])
        try #require(run.unreadable.count == 1, "the scenario did not happen: \(run.unreadable)")
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + run.aliceKeys, stdin: Data(run.capture.utf8)))
        let explained = decoded.filter { !($0["explanations"] as? [String] ?? []).isEmpty }
        let corrupted = try #require(run.seqs.firstIndex(of: run.unreadable.first!)) + 1
        let firsts = explained.map { ($0["line"] as? Int ?? 0, ($0["explanations"] as? [String])?.first ?? "") }
        try #require(firsts.count == 3, "\(firsts)")
        #expect(firsts[0].0 == corrupted && firsts[0].1.hasPrefix("the MAC does not verify"), "\(firsts)")
        #expect(firsts[1].0 == corrupted + 1 && firsts[1].1.hasPrefix("an OTR Error: most likely the answer to line \(corrupted)"), "\(firsts)")
        #expect(firsts[2].1 == "a re-send (\"[resent] \") of a text no readable message of the capture holds: most likely line \(corrupted), which its receiver could not read",
                "\(firsts)")
        let resent = try #require(decoded.first { $0["line"] as? Int == firsts[2].0 })
        #expect(((resent["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String == "[resent] this one is damaged")
    }

    @Test("!late and !corrupt need messages in flight; --delivered leaves out what was lost")
    func controlsAndDeliveredCapture() throws {
        for control in ["!late", "!corrupt", "!duplicate"] {
            let result = try Tool.run(["simulate"], stdin: Data("alice: hi\n\(control)\n".utf8))
            #expect(result.status == 2 && result.err.contains("\(control):"), "\(control): \(result.err)")
        }
        let script = "alice: /query\n!hold\nalice: lost\n!drop\n!flush\nalice: kept\n"
        let sent = try Tool.run(["simulate", "--wire-only"], stdin: Data(script.utf8))
        let delivered = try Tool.run(["simulate", "--delivered"], stdin: Data(script.utf8))
        #expect(delivered.lines.count == sent.lines.count - 1, "sent \(sent.lines.count), delivered \(delivered.lines.count)")
        #expect(Set(delivered.lines).isSubset(of: Set(sent.lines)))
        let both = try Tool.run(["simulate", "--delivered", "--wire-only"], stdin: Data(script.utf8))
        #expect(both.status == 64 && both.err.contains("exclude each other"))
    }
}
