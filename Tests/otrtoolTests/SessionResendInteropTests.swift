import Foundation
import Testing

/// `otrtool session` never re-sends a text to a stranger; it re-sends as
/// libotr does after an Error, within 60 s; it sends heartbeats when
/// libotr would; and it keeps one conversation per instance of the peer.
/// Against otrtool sessions and libotr 4.1.1.
@Suite("session: re-sending, heartbeats and instances, against otrtool and libotr")
struct SessionResendInteropTests {
    static let secret = "the launch code is 1234"

    /// alice (otrtool, policy always) talks privately with bob, sends the
    /// secret, and then only mallory (otrtool, another key) hears her.
    static func withMallory(version: Int, libotrBob: Bool) throws -> Switchboard {
        let board = try Switchboard("session-mallory")
        let alicePolicy = version == 3 ? "0x6e" : "0x6a", peerPolicy = version == 3 ? "0x06" : "0x02"
        try board.otrtool("alice", account: "alice@example.org", arguments: ["--policy", alicePolicy])
        if libotrBob {
            try board.libotr("bob", account: "bob@example.org", key: "bob.libotr.key", arguments: ["--version", String(version)])
        } else {
            try board.otrtool("bob", account: "bob@example.org", arguments: ["--policy", peerPolicy])
        }
        try board.otrtool("mallory", account: "mallory@example.org", arguments: ["--policy", peerPolicy])
        board.hears = ["alice": ["bob"], "bob": ["alice"], "mallory": ["alice"]]
        try board.command("alice", "/query")
        try board.command("alice", "/send " + secret)
        try #require(board.privateTexts("bob") == [secret], "bob did not receive the text: \(board.events("bob").suffix(4))")
        board.hears["alice"] = ["mallory"]
        return board
    }

    @Test("a stranger who completes an AKE receives no earlier text", arguments: [2, 3], [false, true])
    func strangerQuery(version: Int, libotrBob: Bool) throws {
        let board = try Self.withMallory(version: version, libotrBob: libotrBob)
        try board.command("mallory", "/query")
        #expect(!board.events("mallory", "secure").isEmpty, "mallory's AKE did not complete")
        #expect(board.privateTexts("mallory").isEmpty, "mallory received \(board.privateTexts("mallory"))")
        #expect(board.events("alice", "resent").isEmpty)
    }

    @Test("a stranger's OTR Error and AKE get no earlier text; in version 2 the refusal says why", arguments: [2, 3], [false, true])
    func strangerError(version: Int, libotrBob: Bool) throws {
        let board = try Self.withMallory(version: version, libotrBob: libotrBob)
        try board.command("mallory", "/send ?OTR Error: You transmitted an unreadable encrypted message.")
        #expect(!board.events("mallory", "secure").isEmpty, "the Error's Query did not start an AKE with mallory")
        #expect(board.privateTexts("mallory").isEmpty, "mallory received \(board.privateTexts("mallory"))")
        #expect(board.events("alice", "resent").isEmpty)
        if version == 2 {
            let refusal = try #require(board.events("alice", "resend_refused").first?["reason"] as? String)
            #expect(refusal.contains("long-term key"), "\(refusal)")
        }
    }

    /// One character of a Data message's MAC changed: libotr cannot read it
    /// and answers with an OTR Error.
    static func corrupted(_ text: String) -> String {
        var chars = Array(text)
        let i = chars.count - 12
        chars[i] = chars[i] == "A" ? "B" : "A"
        return String(chars)
    }

    @Test("after libotr's OTR Error the last text comes back with \"[resent] \" within 60 s of virtual time, and not after",
          arguments: [30, 60, 61])
    func resentAfterLibotrError(wait: Int) throws {
        let board = try Switchboard("session-resend")
        try board.otrtool("alice", account: "alice@example.org", arguments: ["--policy", "always", "--clock", "virtual"])
        try board.libotr("bob", account: "bob@example.org", key: "bob.libotr.key", arguments: ["--version", "3"])
        board.hears = ["alice": ["bob"], "bob": ["alice"]]
        try board.command("alice", "/query")
        try board.command("alice", "/send first")
        // "second" is sent, then held on the wire while time passes.
        board.hears["alice"] = []
        try board.command("alice", "/send second")
        let second = try #require(board.events("alice", "wire").last?["text"] as? String)
        try board.command("alice", "/wait \(wait)")
        board.hears["alice"] = ["bob"]
        try board.inject(Self.corrupted(second), from: "alice")

        #expect(!board.events("bob", "error").isEmpty, "libotr read the corrupted message")
        #expect(!board.events("alice", "otr_error").isEmpty, "otrtool did not see libotr's Error")
        #expect(board.events("alice", "secure").count == 2, "the Error did not start a new AKE")
        if wait <= 60 {
            #expect(board.privateTexts("bob") == ["first", "[resent] second"], "\(board.privateTexts("bob"))")
            #expect(board.events("alice", "resent").first?["prefixed"] as? Bool == true)
        } else {
            #expect(board.privateTexts("bob") == ["first"], "\(board.privateTexts("bob"))")
            let refusal = try #require(board.events("alice", "resend_refused").first?["reason"] as? String)
            #expect(refusal.contains("\(wait) s old"), "\(refusal)")
        }
    }

    /// The steps of a heartbeat run: seconds to wait, then one text.
    static let schedule: [Int] = [30, 30, 1, 29, 35, 0, 61]

    /// Runs the schedule on a fresh pair with virtual clocks; at each step
    /// the sender sends a text, and the result is whether the receiver
    /// answered with a heartbeat.
    static func heartbeats(otrtoolSends: Bool) throws -> [Bool] {
        let board = try Switchboard("session-heartbeat")
        try board.otrtool("local", account: "me@example.org", arguments: ["--clock", "virtual"])
        try board.libotr("peer", account: "them@example.org", key: "them.key",
                         arguments: ["--version", "3", "--virtual-clock", "1700000000"])
        board.hears = ["local": ["peer"], "peer": ["local"]]
        try board.command("local", "/query")
        try #require(!board.events("peer", "secure").isEmpty)
        var answered: [Bool] = []
        for (step, wait) in schedule.enumerated() {
            try board.command("local", "/wait \(wait)")
            try board.command("peer", "/wait \(wait)")
            let before = otrtoolSends ? board.msgEvents("peer", "LOG_HEARTBEAT_SENT").count : board.events("local", "heartbeat").count
            let received = board.msgEvents(otrtoolSends ? "local" : "peer", "LOG_HEARTBEAT_RCVD").count
            try board.command(otrtoolSends ? "local" : "peer", "/send ping \(step)")
            let after = otrtoolSends ? board.msgEvents("peer", "LOG_HEARTBEAT_SENT").count : board.events("local", "heartbeat").count
            answered.append(after > before)
            if !otrtoolSends {
                // What otrtool sent, libotr took for a heartbeat.
                #expect(board.msgEvents("peer", "LOG_HEARTBEAT_RCVD").count == received + (after - before))
            }
        }
        return answered
    }

    @Test("otrtool sends heartbeats exactly where libotr does on the same schedule, and libotr logs each")
    func heartbeatsAsLibotr() throws {
        let libotrAnswers = try Self.heartbeats(otrtoolSends: true)
        let otrtoolAnswers = try Self.heartbeats(otrtoolSends: false)
        #expect(libotrAnswers.contains(true), "libotr sent no heartbeat on the schedule: the virtual clock did not reach it")
        #expect(otrtoolAnswers == libotrAnswers, "otrtool \(otrtoolAnswers), libotr \(libotrAnswers)")
    }

    @Test("two libotr instances of one account: two AKEs, and each text and SMP reaches the instance chosen")
    func twoLibotrInstances() throws {
        let board = try Switchboard("session-instances")
        try board.otrtool("local", account: "me@example.org")
        try board.libotr("one", account: "them@example.org", key: "them.key", arguments: ["--instag", "11111111", "--secret", "blue"])
        try board.libotr("two", account: "them@example.org", key: "them.key", arguments: ["--instag", "22222222", "--secret", "red"])
        board.hears = ["local": ["one", "two"], "one": ["local"], "two": ["local"]]
        try board.command("local", "/query")
        let secure = board.events("local", "secure")
        #expect(Set(secure.compactMap { $0["their_instance"] as? String }) == ["11111111", "22222222"], "\(secure)")
        #expect(!board.events("one", "secure").isEmpty && !board.events("two", "secure").isEmpty)

        try board.command("local", "/instance 11111111")
        try board.command("local", "/send for one")
        try board.command("local", "/instance 22222222")
        try board.command("local", "/send for two")
        #expect(board.privateTexts("one") == ["for one"])
        #expect(board.privateTexts("two") == ["for two"])
        #expect(!board.msgEvents("one", "RCVDMSG_FOR_OTHER_INSTANCE").isEmpty, "libotr one saw no message for the other instance")

        try board.command("two", "/send from two")
        try board.command("one", "/send from one")
        let received = board.events("local", "received").filter { $0["encrypted"] as? Bool == true }
        #expect(received.compactMap { $0["text"] as? String } == ["from two", "from one"])
        #expect(received.compactMap { $0["instance"] as? String } == ["22222222", "11111111"])

        // SMP with each: one answers blue, two red.
        try board.command("local", "/instance 11111111")
        try board.command("local", "/smp blue")
        try board.command("local", "/instance 22222222")
        try board.command("local", "/smp blue")
        let outcomes = board.events("local", "smp").filter { ["succeeded", "failed"].contains($0["outcome"] as? String ?? "") }
        #expect(outcomes.map { "\($0["instance"] ?? "") \($0["outcome"] ?? "")" } == ["11111111 succeeded", "22222222 failed"])
    }
}
