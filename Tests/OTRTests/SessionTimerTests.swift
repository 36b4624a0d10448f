import Testing
@testable import OTR

/// Re-sending, heartbeats and the D-H Commit's expiry, on a virtual clock.
@Suite("Session: re-sending, heartbeats and expiry, as libotr times them")
struct SessionTimerTests {
    static let error = Array("?OTR Error: You transmitted an unreadable encrypted message.".utf8)

    /// alice and bob, each hearing the other, encrypted (alice queried).
    static func pair(version: Int = 3, alicePolicy: Policy = .manual, bobPolicy: Policy = .manual) throws -> SessionMesh {
        var mesh = SessionMesh()
        let versions: Policy = version == 3 ? [.allowV2, .allowV3] : [.allowV2]
        try mesh.add("alice", key: 0, instance: 0x1111_1111, policy: alicePolicy.subtracting([.allowV2, .allowV3]).union(versions))
        try mesh.add("bob", key: 1, instance: 0x2222_2222, policy: bobPolicy.subtracting([.allowV2, .allowV3]).union(versions))
        mesh.hears = ["alice": ["bob"], "bob": ["alice"]]
        try mesh.act("alice") { $0.requestConversation() }
        try #require(mesh.sessions["alice"]!.messageState == .encrypted)
        try #require(mesh.sessions["bob"]!.messageState == .encrypted)
        return mesh
    }

    @Test("an OTR Error re-sends the last text with \"[resent] \" once the AKE it starts completes, within 60 s and not after",
          arguments: [2, 3], [59, 60, 61])
    func resentAfterError(version: Int, wait: Int64) throws {
        var mesh = try Self.pair(version: version, alicePolicy: .always)
        try mesh.act("alice") { try $0.send(Array("hello bob".utf8)) }
        mesh.wait(wait)
        mesh.clearRecords()
        mesh.inject(Self.error, from: "bob")
        #expect(mesh.sessions["alice"]!.messageState == .encrypted, "the Error's AKE did not complete")
        if wait <= 60 {
            #expect(mesh.resent("alice") == ["[resent] hello bob"])
            #expect(mesh.privateTexts("bob").map(\.text) == ["[resent] hello bob"])
            #expect(mesh.refusals("alice").isEmpty)
        } else {
            #expect(mesh.resent("alice").isEmpty)
            #expect(mesh.privateTexts("bob").isEmpty)
            let refusal = try #require(mesh.refusals("alice").first)
            #expect(refusal.contains("\(wait) s old"), "\(refusal)")
        }
    }

    @Test("a re-key without an Error re-sends nothing", arguments: [2, 3])
    func rekeyResendsNothing(version: Int) throws {
        var mesh = try Self.pair(version: version, alicePolicy: .always)
        try mesh.act("alice") { try $0.send(Array("once only".utf8)) }
        mesh.clearRecords()
        try mesh.act("bob") { $0.requestConversation() }
        #expect(mesh.events("alice").contains { if case .secure = $0 { true } else { false } }, "no re-key happened")
        #expect(mesh.resent("alice").isEmpty)
        #expect(mesh.privateTexts("bob").isEmpty)
    }

    @Test("a held-back text goes out once secure within 60 s of being typed, and not after")
    func heldBackWindow() throws {
        for (delay, sent) in [(60, true), (61, false)] {
            var mesh = SessionMesh()
            try mesh.add("alice", key: 0, instance: 0x1111_1111, policy: .always)
            try mesh.add("bob", key: 1, instance: 0x2222_2222)
            mesh.hears = ["alice": [], "bob": ["alice"]]
            try mesh.act("alice") { try $0.send(Array("held".utf8)) }
            mesh.wait(Int64(delay))
            mesh.hears["alice"] = ["bob"]
            try mesh.act("bob") { $0.requestConversation() }
            #expect(mesh.sessions["alice"]!.messageState == .encrypted)
            #expect(mesh.privateTexts("bob").map(\.text) == (sent ? ["held"] : []), "after \(delay) s")
            #expect(mesh.resent("alice") == (sent ? ["held"] : []))
            #expect(mesh.refusals("alice").count == (sent ? 0 : 1))
        }
    }

    @Test("a heartbeat answers a Data message when nothing was sent for more than 60 s, as libotr's")
    func heartbeats() throws {
        var mesh = try Self.pair()
        // alice's last send is her part of the AKE, at the start.
        var expected: [(wait: Int64, aliceBeats: Int)] = [(30, 0), (30, 0), (1, 1), (29, 0), (35, 1)]
        expected += [(0, 0)]
        for (wait, beats) in expected {
            mesh.wait(wait)
            mesh.clearRecords()
            try mesh.act("bob") { try $0.send(Array("ping".utf8)) }
            #expect(mesh.heartbeats("alice") == beats, "after waiting \(wait) s more")
            // bob never answers a heartbeat: it is an empty message.
            #expect(mesh.heartbeats("bob") == 0)
        }
        // The heartbeat arrived as an empty private message, and was read.
        #expect(!mesh.events("bob").contains { if case .unreadable = $0 { true } else { false } })
    }

    @Test("a D-H Commit an instance answered is forgotten after 60 s without an expiry event")
    func answeredCommitExpiresQuietly() throws {
        var mesh = SessionMesh()
        try mesh.add("alice", key: 0, instance: 0x1111_1111)
        try mesh.add("bob", key: 1, instance: 0x2222_2222)
        mesh.hears = ["alice": ["bob"], "bob": ["alice"]]
        try mesh.act("alice") { try $0.startAKE(version: 3) }
        #expect(mesh.sessions["alice"]!.messageState == .encrypted)
        mesh.wait(61)
        #expect(!mesh.events("alice").contains { if case .expired = $0 { true } else { false } })
        #expect(mesh.sessions["alice"]!.messageState == .encrypted)
    }

    @Test("a version 3 D-H Commit no D-H Key answered in 60 s is forgotten; the late D-H Key is ignored")
    func commitExpires() throws {
        var mesh = SessionMesh()
        try mesh.add("alice", key: 0, instance: 0x1111_1111)
        try mesh.add("bob", key: 1, instance: 0x2222_2222)
        mesh.hears = ["alice": ["bob"], "bob": []]
        try mesh.act("alice") { try $0.startAKE(version: 3) }
        #expect(mesh.sessions["alice"]!.authenticationState == .awaitingDHKey)
        mesh.wait(60)
        #expect(mesh.sessions["alice"]!.authenticationState == .awaitingDHKey, "expired at 60 s; libotr waits more than 60")
        mesh.wait(1)
        #expect(mesh.sessions["alice"]!.authenticationState == .none)
        #expect(mesh.events("alice").contains { if case .expired = $0 { true } else { false } })
        // bob's D-H Key, lost until now, finds nothing to answer.
        let dhKey = try #require(mesh.sent.last { $0.from == "bob" }?.bytes)
        mesh.clearRecords()
        mesh.hears["bob"] = ["alice"]
        mesh.inject(dhKey, from: "bob")
        let ignored = mesh.events("alice").compactMap { if case .ignored(let r) = $0 { r } else { nil } }
        #expect(ignored.count == 1 && ignored[0].contains("answers no D-H Commit"), "\(ignored)")
        #expect(mesh.sent.last?.from == "bob", "alice answered a D-H Key after her commitment expired")
    }
}
