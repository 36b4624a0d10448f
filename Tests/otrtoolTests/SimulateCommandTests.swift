import Foundation
import Testing

/// `otrtool simulate`: scripted conversations, byte-stable from a seed,
/// whose transcripts decode, forge and libotr's toolkit read.
@Suite("simulate")
struct SimulateCommandTests {
    static let script = """
        # AKE, texts both ways, SMP with a question, symkey, disconnect
        alice: /query
        alice: hello bob
        bob: hi alice ✓
        alice:
        bob: a longer message \\t with a tab
        alice: /smpq colour?|blue
        bob: /smp blue
        alice: /symkey 1 00112233
        bob: /tlv 0x100 cafe text with a TLV
        bob: /end
        """

    static func simulate(_ arguments: [String], script: String = SimulateCommandTests.script) throws -> Tool.Result {
        try Tool.run(["simulate"] + arguments, stdin: Data((script + "\n").utf8))
    }

    static func of(_ events: [[String: Any]], _ name: String) -> [[String: Any]] {
        events.filter { $0["event"] as? String == name }
    }

    @Test("the same seed gives the same bytes; another seed other bytes", arguments: [["--protocol-version", "3"], ["--protocol-version", "2"]])
    func byteStable(version: [String]) throws {
        // Version 2 has no extra symmetric key: its script leaves /symkey out.
        let script = version.last == "2" ? Self.script.replacingOccurrences(of: "alice: /symkey 1 00112233\n", with: "") : Self.script
        let first = try Self.simulate(["--json", "--seed", "vector 1"] + version, script: script)
        let second = try Self.simulate(["--json", "--seed", "vector 1"] + version, script: script)
        let other = try Self.simulate(["--json", "--seed", "vector 2"] + version, script: script)
        #expect(first.status == 0, "\(first.err)")
        #expect(first.stdout == second.stdout)
        #expect(first.stdout != other.stdout)
        #expect(first.err.hasPrefix("otrtool simulate: WARNING: INSECURE") && first.err.split(separator: "\n").count == 1)
    }

    @Test("every step of the script happens, and every secret is written down")
    func conversation() throws {
        let run = try Self.simulate(["--json", "--fragment", "400"])
        #expect(run.status == 0, "\(run.err)")
        let events = try Tool.jsonLines(run)
        let secure = Self.of(events, "secure")
        #expect(secure.count == 2)
        #expect(Set(secure.compactMap { $0["ssid"] as? String }).count == 1)
        #expect(Set(secure.compactMap { ($0["ake_keys"] as? [String: Any])?["m1"] as? String }).count == 1)
        let texts = Self.of(events, "received").filter { $0["encrypted"] as? Bool == true }.map { "\($0["by"]!): \($0["text"]!)" }
        #expect(texts == ["bob: hello bob", "alice: hi alice ✓", "bob: ", "alice: a longer message \t with a tab",
                          "alice: text with a TLV"])
        let tlv = Self.of(events, "received").last { $0["by"] as? String == "alice" }?["tlvs"] as? [[String: Any]]
        #expect(tlv?.first?["type"] as? Int == 256 && tlv?.first?["data"] as? String == "cafe")
        #expect(Self.of(events, "smp").filter { $0["outcome"] as? String == "succeeded" }.count == 2)
        let exponents = Self.of(events, "smp_exponents").compactMap { $0["values"] as? [String: Any] }
        #expect(exponents.contains { Set($0.keys) == ["a2", "a3", "r2", "r3"] })
        #expect(exponents.contains { Set($0.keys) == ["b2", "b3", "r2", "r3", "r4", "r5", "r6"] })
        let symkeys = Self.of(events, "symkey").compactMap { $0["key"] as? String }
        #expect(symkeys.count == 2 && Set(symkeys).count == 1)
        #expect(Self.of(events, "finished").first?["party"] as? String == "alice")
        // Long messages went out in libotr's v3 fragment form.
        let wires = Self.of(events, "wire").compactMap { $0["text"] as? String }
        #expect(wires.contains { $0.hasPrefix("?OTR|") })
        #expect(wires.allSatisfy { $0.utf8.count <= 400 || $0.hasPrefix("?OTRv") })
        let keys = Self.of(events, "keys")
        #expect(keys.allSatisfy { ($0["aes_key"] as? String)?.count == 32 && ($0["mac_key"] as? String)?.count == 40 })
        #expect(!Self.of(events, "dh").isEmpty)
        let end = try #require(Self.of(events, "end").first)
        #expect(end["alice"] as? String == "finished" && end["bob"] as? String == "plaintext")
    }

    @Test("otr_readforge, libotr's own toolkit, decrypts every Data message with the keys the transcript gives")
    func libotrToolkitReadsTheTranscript() throws {
        let readforge = try Peers.toolkit("otr_readforge")
        let events = try Tool.jsonLines(try Self.simulate(["--json", "--seed", "readforge"]))
        // A party's "keys" (sent) event comes right before its wire message.
        var pendingKey: [String: String] = [:]
        var checked = 0
        for event in events {
            let party = event["party"] as? String ?? event["from"] as? String ?? ""
            if event["event"] as? String == "keys", event["direction"] as? String == "sent" {
                pendingKey[party] = event["aes_key"] as? String
            } else if event["event"] as? String == "wire", let text = event["text"] as? String, text.hasPrefix("?OTR:AAMD"),
                      let aes = pendingKey.removeValue(forKey: party) {
                let theirs = try Tool.run([aes], stdin: Data((text + "\n").utf8), executable: readforge)
                #expect(theirs.status == 0)
                #expect(!theirs.err.contains("does not verify"), "\(theirs.err)")
                #expect(theirs.out.hasPrefix("Plaintext: ``"))
                checked += 1
            }
        }
        #expect(checked == 11)
    }

    @Test("decode verifies every MAC of a --wire-only capture with the D-H keys of one party, and forge transcript finds the revealed MAC keys")
    func decodeAndForgeReadTheCapture() throws {
        let capture = try Self.simulate(["--wire-only"])
        #expect(capture.status == 0)
        #expect(capture.lines.allSatisfy { $0.hasPrefix("?OTR") })
        let events = try Tool.jsonLines(try Self.simulate(["--json"]))
        let bobKeys = Self.of(events, "dh").filter { $0["party"] as? String == "bob" }.compactMap { $0["private"] as? String }
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json"] + bobKeys.flatMap { ["--dh-private", "hex:" + $0] },
                                                      stdin: capture.stdout))
        let analyses = decoded.compactMap { $0["analysis"] as? [String: Any] }.filter { $0["mac_valid"] != nil }
        #expect(analyses.count == 11)
        #expect(analyses.allSatisfy { $0["mac_valid"] as? Bool == true })

        let forged = try Tool.run(["forge", "transcript"], stdin: capture.stdout)
        #expect(forged.status == 0, "\(forged.err)")
        #expect(forged.out.contains("forgeable by anyone"))
        #expect(forged.out.contains("0 matching no message"))
    }

    @Test("a lost D-H Key stalls the AKE until a new query; a reordered pair of Data messages fails the counter check")
    func lostAndReordered() throws {
        let script = """
            !hold
            alice: /query
            !step
            !step
            !drop
            !flush
            alice: still plaintext
            alice: /query
            alice: first
            !hold
            alice: second
            alice: third
            !swap
            !flush
            """
        let run = try Self.simulate(["--json"], script: script)
        #expect(run.status == 0, "\(run.err)")
        let events = try Tool.jsonLines(run)
        #expect(Self.of(events, "dropped").count == 1)
        #expect(Self.of(events, "secure").count == 2)
        #expect(Self.of(events, "received").first?["text"] as? String == "still plaintext")
        let bobGot = Self.of(events, "received").filter { $0["by"] as? String == "bob" && $0["encrypted"] as? Bool == true }
            .compactMap { $0["text"] as? String }
        #expect(bobGot == ["first", "third"])
        let unreadable = try #require(Self.of(events, "unreadable").first)
        #expect((unreadable["error"] as? String)?.contains("counter") == true)
    }

    @Test("!wait moves the parties' clock: heartbeats follow it, and the run stays byte-stable")
    func waitSteps() throws {
        let script = """
            alice: /query
            !wait 30
            bob: half a minute
            !wait 31
            bob: a minute on
            alice: hello
            !wait 61
            """
        let first = try Self.simulate(["--json", "--seed", "timers"], script: script)
        #expect(first.status == 0, "\(first.err)")
        let again = try Self.simulate(["--json", "--seed", "timers"], script: script)
        #expect(first.stdout == again.stdout)
        let events = try Tool.jsonLines(first)
        #expect(Self.of(events, "clock").compactMap { $0["now"] as? Int } == [1_700_000_030, 1_700_000_061, 1_700_000_122])
        // Only the text after 61 s of alice's silence got her heartbeat.
        let beats = Self.of(events, "heartbeat")
        #expect(beats.count == 1 && beats.first?["party"] as? String == "alice", "\(beats)")
        let text = try Self.simulate(["--seed", "timers"], script: script)
        #expect(text.out.contains("61 s pass") && text.out.contains("heartbeat sent"), "\(text.out)")
    }

    @Test("a bad script line is reported with its line number and status 2, and the run goes on")
    func badLine() throws {
        let run = try Self.simulate([], script: "alice: /query\ncarol: hi\nalice: /bogus\nalice: still here\n")
        #expect(run.status == 2)
        #expect(run.err.contains("-:2"))
        #expect(run.err.contains("-:3") && run.err.contains("unknown command"))
        // The line itself is not echoed: a mistyped "/smpsecret" holds a secret.
        #expect(!run.err.contains("bogus"))
        #expect(run.out.contains("still here"))
    }
}

@Suite("session")
struct SessionCommandTests {
    @Test("a bad command gets an error event and status 2; a missing account status 66")
    func errors() throws {
        let dir = try TemporaryDirectory("session-errors")
        let key = dir.path("k.key")
        #expect(try Tool.run(["keygen", "--account", "me", "--protocol", "p", "--key-file", key, "--seed", "s"]).status == 0)
        let run = try Tool.run(["session", "--json", "--key-file", key, "--account", "me", "--protocol", "p"],
                               stdin: Data("/frobnicate\n/send hi\n/smp blue\n".utf8))
        #expect(run.status == 2)
        let events = try Tool.jsonLines(run)
        #expect(SimulateCommandTests.of(events, "error").count == 2)
        #expect(SimulateCommandTests.of(events, "done").count == 3)
        // In plaintext, /send goes out as it is.
        #expect(SimulateCommandTests.of(events, "wire").first?["text"] as? String == "hi")
        #expect(run.err.contains("-:1") && run.err.contains("-:3"))

        let missing = try Tool.run(["session", "--key-file", key, "--account", "nobody", "--protocol", "p"])
        #expect(missing.status == 66)
        #expect(missing.err.contains("no key for nobody"))
    }

    @Test("two otrtool sessions joined by pipes go secure and talk")
    func twoSessions() throws {
        let dir = try TemporaryDirectory("session-pair")
        let key = dir.path("k.key")
        for account in ["a", "b"] {
            #expect(try Tool.run(["keygen", "--account", account, "--protocol", "p", "--key-file", key, "--seed", account]).status == 0)
        }
        let a = try LiveProcess.otrtool(["session", "--json", "--key-file", key, "--account", "a", "--protocol", "p"], name: "a")
        let b = try LiveProcess.otrtool(["session", "--json", "--key-file", key, "--account", "b", "--protocol", "p"], name: "b")
        defer { a.close(); b.close() }
        try LiveProcess.relay(try a.send("/query"), to: b, then: a)
        try LiveProcess.relay(try a.send("/send über"), to: b, then: a)
        #expect(SimulateCommandTests.of(b.events, "received").last?["text"] as? String == "über")
        #expect(SimulateCommandTests.of(a.events, "secure").first?["ssid"] as? String
                == SimulateCommandTests.of(b.events, "secure").first?["ssid"] as? String)
    }
}
