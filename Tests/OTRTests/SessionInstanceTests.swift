import Testing
@testable import OTR

/// Several instances of the correspondent, and strangers who complete an
/// AKE: each instance has its own conversation, and no earlier text ever
/// goes to a key it was not encrypted to.
@Suite("Session: instances of the correspondent, and texts never re-sent to a stranger")
struct SessionInstanceTests {
    static let secret = "the launch code is 1234"
    static let error = Array("?OTR Error: You transmitted an unreadable encrypted message.".utf8)

    /// alice talks privately with bob; mallory (another key, another
    /// instance) hears alice and talks to her.
    static func withMallory(version: Int, alicePolicy: Policy) throws -> SessionMesh {
        var mesh = SessionMesh()
        let versions: Policy = version == 3 ? [.allowV2, .allowV3] : [.allowV2]
        try mesh.add("alice", key: 0, instance: 0x1111_1111, policy: alicePolicy.subtracting([.allowV2, .allowV3]).union(versions))
        try mesh.add("bob", key: 1, instance: 0x2222_2222, policy: versions)
        try mesh.add("mallory", key: 2, instance: 0x3333_3333, policy: versions)
        mesh.hears = ["alice": ["bob"], "bob": ["alice"], "mallory": ["alice"]]
        try mesh.act("alice") { $0.requestConversation() }
        try mesh.act("alice") { try $0.send(Array(secret.utf8)) }
        try #require(mesh.privateTexts("bob").map(\.text) == [secret])
        // From now on alice's messages reach mallory (bob is away: his
        // answers would race mallory's in version 2's single conversation).
        mesh.hears["alice"] = ["mallory"]
        mesh.clearRecords()
        return mesh
    }

    static func secureWithMallory(_ mesh: SessionMesh) -> Bool {
        mesh.events("mallory").contains { if case .secure = $0 { true } else { false } }
    }

    @Test("a stranger's AKE receives no earlier text", arguments: [2, 3])
    func strangerQuery(version: Int) throws {
        var mesh = try Self.withMallory(version: version, alicePolicy: .always)
        try mesh.act("mallory") { $0.requestConversation() }
        #expect(Self.secureWithMallory(mesh), "mallory's AKE did not complete")
        #expect(mesh.privateTexts("mallory").isEmpty, "mallory received \(mesh.privateTexts("mallory").map(\.text))")
        #expect(mesh.resent("alice").isEmpty)
    }

    @Test("a stranger's Error and AKE receive no earlier text; the refusal names the keys", arguments: [2, 3])
    func strangerError(version: Int) throws {
        var mesh = try Self.withMallory(version: version, alicePolicy: .always)
        mesh.inject(Self.error, from: "mallory")
        try mesh.act("mallory") { $0.requestConversation() }
        #expect(Self.secureWithMallory(mesh), "mallory's AKE did not complete")
        #expect(mesh.privateTexts("mallory").isEmpty, "mallory received \(mesh.privateTexts("mallory").map(\.text))")
        #expect(mesh.resent("alice").isEmpty)
        if version == 2 {
            // One conversation: mallory's AKE replaced bob's, and the text
            // marked by the Error was refused.
            let refusal = try #require(mesh.refusals("alice").first)
            #expect(refusal.contains(SessionMesh.keys[1].publicKey.fingerprint.human), "\(refusal)")
            #expect(refusal.contains(SessionMesh.keys[2].publicKey.fingerprint.human), "\(refusal)")
        } else {
            // mallory got a conversation of her own; bob's is untouched.
            #expect(mesh.sessions["alice"]!.instances.filter { $0.messageState == .encrypted }.count == 2)
        }
    }

    /// alice and two instances of bob (one key, two instance tags), all
    /// hearing each other as on one account.
    static func twoInstances() throws -> SessionMesh {
        var mesh = SessionMesh()
        try mesh.add("alice", key: 0, instance: 0x1111_1111)
        try mesh.add("bob1", key: 1, instance: 0x2222_2222, seed: "bob one")
        try mesh.add("bob2", key: 1, instance: 0x3333_3333, seed: "bob two")
        mesh.hears = ["alice": ["bob1", "bob2"], "bob1": ["alice"], "bob2": ["alice"]]
        try mesh.act("alice") { $0.requestConversation() }
        return mesh
    }

    static let bob1 = InstanceTag(0x2222_2222), bob2 = InstanceTag(0x3333_3333)

    @Test("two instances each complete an AKE; each text reaches the instance chosen, and only it")
    func twoInstancesRouting() throws {
        var mesh = try Self.twoInstances()
        let alice = mesh.sessions["alice"]!
        #expect(alice.instances.compactMap(\.instance) == [Self.bob1, Self.bob2])
        #expect(alice.instances.filter { $0.messageState == .encrypted }.count == 2)
        #expect(mesh.sessions["bob1"]!.messageState == .encrypted && mesh.sessions["bob2"]!.messageState == .encrypted)
        #expect(mesh.sessions["bob1"]!.established?.ssid != mesh.sessions["bob2"]!.established?.ssid)

        try mesh.act("alice") { try $0.select(instance: Self.bob1); return try $0.send(Array("for one".utf8)) }
        try mesh.act("alice") { try $0.select(instance: Self.bob2); return try $0.send(Array("for two".utf8)) }
        #expect(mesh.privateTexts("bob1").map(\.text) == ["for one"])
        #expect(mesh.privateTexts("bob2").map(\.text) == ["for two"])
        // Each bob saw the other's message and set it aside as not for it.
        let ignored = mesh.events("bob1").compactMap { if case .ignored(let r) = $0 { r } else { nil } }
        #expect(ignored.contains { $0.contains("not ours") }, "\(ignored)")

        try mesh.act("bob2") { try $0.send(Array("from two".utf8)) }
        try mesh.act("bob1") { try $0.send(Array("from one".utf8)) }
        let received = mesh.privateTexts("alice")
        #expect(received.map(\.text) == ["from two", "from one"])
        #expect(received.map(\.instance) == [Self.bob2, Self.bob1])
    }

    @Test("SMP runs with one instance while the other's conversation is untouched")
    func twoInstancesSMP() throws {
        var mesh = try Self.twoInstances()
        try mesh.act("alice") { try $0.select(instance: Self.bob2); return try $0.startSMP(secret: Array("blue".utf8)) }
        #expect(mesh.sessions["bob2"]!.pendingSMPQuestion.waiting)
        #expect(!mesh.sessions["bob1"]!.pendingSMPQuestion.waiting)
        try mesh.act("bob2") { try $0.answerSMP(secret: Array("blue".utf8)) }
        let outcomes = (mesh.records["alice"] ?? []).compactMap { r -> (SMPOutcome, InstanceTag?)? in
            if case .smp(let o) = r.event { (o, r.instance) } else { nil }
        }
        #expect(outcomes.last?.0 == .succeeded && outcomes.last?.1 == Self.bob2, "\(outcomes)")
        // bob1's conversation still carries texts.
        try mesh.act("alice") { try $0.select(instance: Self.bob1); return try $0.send(Array("still here".utf8)) }
        #expect(mesh.privateTexts("bob1").map(\.text) == ["still here"])
    }

    @Test("by default what the user does goes to the instance heard from most recently")
    func bestInstance() throws {
        var mesh = try Self.twoInstances()
        try mesh.act("bob1") { try $0.send(Array("one".utf8)) }
        #expect(mesh.sessions["alice"]!.targetInstance == Self.bob1)
        mesh.wait(1)
        try mesh.act("bob2") { try $0.send(Array("two".utf8)) }
        #expect(mesh.sessions["alice"]!.targetInstance == Self.bob2)
        try mesh.act("alice") { try $0.send(Array("reply".utf8)) }
        #expect(mesh.privateTexts("bob2").map(\.text) == ["reply"])
        #expect(mesh.privateTexts("bob1").isEmpty)
        // Ending one conversation makes the other the best.
        try mesh.act("alice") { try $0.end() }
        #expect(mesh.sessions["alice"]!.targetInstance == Self.bob1)
        #expect(mesh.sessions["alice"]!.messageState == .encrypted)
    }

    @Test("selecting an instance nobody knows is an error naming the known ones")
    func unknownInstance() throws {
        var mesh = try Self.twoInstances()
        var alice = mesh.sessions["alice"]!
        #expect(throws: OTRError.self) { try alice.select(instance: InstanceTag(0x4444_4444)) }
        mesh.sessions["alice"] = alice
    }

    @Test("D-H Commits from more instances than the session keeps are ignored, not stored")
    func instanceLimit() throws {
        var mesh = SessionMesh()
        try mesh.add("alice", key: 0, instance: 0x1111_1111)
        mesh.hears = ["alice": []]
        for i in 0..<(Session.maximumInstances + 5) {
            let name = "bob\(i)"
            try mesh.add(name, key: 1, instance: 0x0100_0000 + UInt32(i), seed: name)
            mesh.hears[name] = ["alice"]
            try mesh.act(name) { try $0.startAKE(version: 3) }
        }
        #expect(mesh.sessions["alice"]!.instances.count == Session.maximumInstances + 1)
        let ignored = mesh.events("alice").compactMap { if case .ignored(let r) = $0 { r } else { nil } }
        #expect(ignored.filter { $0.contains("instances of the correspondent are known already") }.count == 5)
    }
}
