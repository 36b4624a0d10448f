import Testing
@testable import OTR

/// Two sessions in one process, wired back to back: every wire message one
/// sends is delivered to the other, in order, until both are quiet.
private struct Pair {
    var alice: Session
    var bob: Session
    var aliceEvents: [SessionEvent] = []
    var bobEvents: [SessionEvent] = []
    var wire: [(from: String, bytes: [UInt8])] = []
    /// Wire messages not yet delivered, by recipient.
    private var toAlice: [[UInt8]] = []
    private var toBob: [[UInt8]] = []

    static let keys: (DSAPrivateKey, DSAPrivateKey) = {
        let random = DeterministicRandom(seedText: "session tests long-term keys")
        return (try! DSAPrivateKey.generate(random: random), try! DSAPrivateKey.generate(random: random))
    }()

    init(seed: String, alicePolicy: Policy = .manual, bobPolicy: Policy = .manual, fragmentSize: Int? = nil) throws {
        let random = DeterministicRandom(seedText: seed)
        alice = try Session(configuration: .init(longTermKey: Self.keys.0, policy: alicePolicy, ourInstance: InstanceTag(0x1234_5678),
                                                 maximumMessageSize: fragmentSize, accountName: "alice"), random: random)
        bob = try Session(configuration: .init(longTermKey: Self.keys.1, policy: bobPolicy, ourInstance: InstanceTag(0x8765_4321),
                                               maximumMessageSize: fragmentSize, accountName: "bob"), random: random)
    }

    mutating func fromAlice(_ out: SessionOutput) {
        aliceEvents += out.events
        for w in out.wire { wire.append(("alice", w)); toBob.append(w) }
        drain()
    }

    mutating func fromBob(_ out: SessionOutput) {
        bobEvents += out.events
        for w in out.wire { wire.append(("bob", w)); toAlice.append(w) }
        drain()
    }

    /// Delivers every queued message, answers included.
    mutating func drain(limit: Int = 10_000) {
        var steps = 0
        while steps < limit, !toAlice.isEmpty || !toBob.isEmpty {
            steps += 1
            if !toBob.isEmpty {
                let out = bob.receive(toBob.removeFirst())
                bobEvents += out.events
                for w in out.wire { wire.append(("bob", w)); toAlice.append(w) }
            }
            if !toAlice.isEmpty {
                let out = alice.receive(toAlice.removeFirst())
                aliceEvents += out.events
                for w in out.wire { wire.append(("alice", w)); toBob.append(w) }
            }
        }
    }

    mutating func establish() throws {
        fromAlice(alice.requestConversation())
        #expect(alice.messageState == .encrypted)
        #expect(bob.messageState == .encrypted)
    }

    /// Texts received by a party, encrypted or not.
    static func texts(_ events: [SessionEvent]) -> [String] {
        events.compactMap { if case .message(let t, _, _, _) = $0 { String(decoding: t, as: UTF8.self) } else { nil } }
    }

    static func smpOutcomes(_ events: [SessionEvent]) -> [SMPOutcome] {
        events.compactMap { if case .smp(let o) = $0 { o } else { nil } }
    }
}

@Suite("Session: the protocol state machine end to end")
struct SessionTests {
    @Test("a query starts the AKE; both sides go secure with the same ssid", arguments: [Policy.manual, [.allowV2]])
    func akeFromQuery(policy: Policy) throws {
        var pair = try Pair(seed: "ake \(policy.rawValue)", alicePolicy: policy, bobPolicy: .manual)
        try pair.establish()
        let a = try #require(pair.alice.established), b = try #require(pair.bob.established)
        #expect(a.ssid == b.ssid)
        #expect(a.version == (policy.contains(.allowV3) ? 3 : 2))
        #expect(a.theirFingerprint == Pair.keys.1.publicKey.fingerprint)
        #expect(b.theirFingerprint == Pair.keys.0.publicKey.fingerprint)
        #expect(a.role != b.role)
        if a.version == 3 {
            #expect(a.theirInstance == InstanceTag(0x8765_4321))
            #expect(b.theirInstance == InstanceTag(0x1234_5678))
        }
        // Bob answered the query with the D-H Commit: Bob sent the Reveal
        // Signature and shows the first half in bold.
        #expect(b.role == .bob && b.ssidBoldHalf == 0)
    }

    @Test("texts both ways decrypt, keys rotate and retired MAC keys are revealed")
    func dataExchange() throws {
        var pair = try Pair(seed: "data")
        try pair.establish()
        let start = try #require(pair.alice.keyIDs)
        var sent: [String] = []
        for i in 0..<12 {
            let text = i % 3 == 0 ? "" : (i % 3 == 1 ? "msg \(i) ✓ ünïcödé" : String(repeating: "long \(i) ", count: 500))
            sent.append(text)
            if i % 2 == 0 { pair.fromAlice(try pair.alice.send(Array(text.utf8))) } else { pair.fromBob(try pair.bob.send(Array(text.utf8))) }
        }
        #expect(Pair.texts(pair.bobEvents) == sent.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(Pair.texts(pair.aliceEvents) == sent.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        let end = try #require(pair.alice.keyIDs)
        #expect(end.ours > start.ours && end.theirs > start.theirs)
        let revealed = pair.aliceEvents.contains {
            if case .dataKeys(let k) = $0 { k.direction == .sent && !k.revealedMACKeys.isEmpty } else { false }
        }
        #expect(revealed)
        // Every Data message on the wire is one a decoder reads as valid.
        for (_, bytes) in pair.wire where bytes.starts(with: Array("?OTR:AAMD".utf8)) {
            _ = try EncodedMessage.read(armoured: bytes)
        }
    }

    @Test("a replayed Data message is rejected by its counter; a tampered one by its MAC, with an Error reply")
    func replayAndTamper() throws {
        var pair = try Pair(seed: "replay")
        try pair.establish()
        let out = try pair.alice.send(Array("once".utf8))
        let message = try #require(out.wire.first)
        pair.fromAlice(out)
        let replay = pair.bob.receive(message)
        guard case .unreadable(let error, let replied)? = replay.events.first else {
            Issue.record("replay accepted: \(replay.events)"); return
        }
        #expect(error.field?.contains("counter") == true)
        #expect(replied)
        #expect(replay.wire.first.map { $0.starts(with: Array("?OTR Error:".utf8)) } == true)

        var tampered = try #require(try pair.alice.send(Array("twice".utf8)).wire.first)
        let body = try Armour.unwrap(tampered)
        var flipped = body
        flipped[flipped.count - 30] ^= 0x01
        tampered = Armour.wrap(flipped)
        let result = pair.bob.receive(tampered)
        guard case .unreadable(let macError, _)? = result.events.first else {
            Issue.record("tampered message accepted: \(result.events)"); return
        }
        #expect(macError.code == .checkFailed)
    }

    @Test("SMP with a question succeeds with equal answers and fails with different ones", arguments: [true, false])
    func smp(equal: Bool) throws {
        var pair = try Pair(seed: "smp \(equal)")
        try pair.establish()
        pair.fromAlice(try pair.alice.startSMP(secret: Array("blue".utf8), question: Array("colour?".utf8)))
        #expect(pair.bob.pendingSMPQuestion.waiting)
        #expect(pair.bob.pendingSMPQuestion.question == Array("colour?".utf8))
        pair.fromBob(try pair.bob.answerSMP(secret: Array((equal ? "blue" : "red").utf8)))
        let expected: SMPOutcome = equal ? .succeeded : .failed
        #expect(Pair.smpOutcomes(pair.aliceEvents).last == expected)
        #expect(Pair.smpOutcomes(pair.bobEvents).last == expected)
    }

    @Test("both sides get the same extra symmetric key, and the use data arrives")
    func extraSymmetricKey() throws {
        var pair = try Pair(seed: "symkey")
        try pair.establish()
        pair.fromAlice(try pair.alice.useExtraSymmetricKey(use: 7, useData: [1, 2, 3]))
        var keys: [[UInt8]] = []
        for case .extraSymmetricKey(let use, let data, let key, _) in pair.aliceEvents + pair.bobEvents {
            #expect(use == 7 && data == [1, 2, 3])
            keys.append(key.octets)
        }
        #expect(keys.count == 2)
        #expect(keys.first?.count == 32)
        #expect(Set(keys).count == 1)
    }

    @Test("ending the conversation puts the other side in FINISHED, where sending fails")
    func disconnect() throws {
        var pair = try Pair(seed: "end")
        try pair.establish()
        pair.fromAlice(try pair.alice.end())
        #expect(pair.alice.messageState == .plaintext)
        #expect(pair.bob.messageState == .finished)
        #expect(throws: OTRError.self) { try pair.bob.send(Array("too late".utf8)) }
        _ = try pair.bob.end()
        #expect(pair.bob.messageState == .plaintext)
    }

    @Test("fragmented at a small size, the whole conversation still works")
    func fragmented() throws {
        var pair = try Pair(seed: "fragments", fragmentSize: 120)
        try pair.establish()
        pair.fromAlice(try pair.alice.send(Array(String(repeating: "x", count: 1000).utf8)))
        #expect(Pair.texts(pair.bobEvents).last?.count == 1000)
        #expect(pair.wire.allSatisfy { $0.bytes.count <= 120 || !$0.bytes.starts(with: Array("?OTR".utf8)) || $0.bytes.starts(with: Array("?OTRv".utf8)) })
        #expect(pair.wire.contains { $0.bytes.starts(with: Array("?OTR|".utf8)) })
    }

    @Test("opportunistic: a whitespace tag on the first plaintext starts the AKE")
    func whitespaceTag() throws {
        var pair = try Pair(seed: "tag", alicePolicy: .opportunistic, bobPolicy: .opportunistic)
        pair.fromAlice(try pair.alice.send(Array("hello".utf8)))
        #expect(Pair.texts(pair.bobEvents).first == "hello")
        #expect(pair.alice.messageState == .encrypted && pair.bob.messageState == .encrypted)
    }

    @Test("REQUIRE_ENCRYPTION holds the message back, queries, and sends it once secure")
    func requireEncryption() throws {
        var pair = try Pair(seed: "require", alicePolicy: .always, bobPolicy: .manual)
        pair.fromAlice(try pair.alice.send(Array("secret".utf8)))
        #expect(Pair.texts(pair.bobEvents) == ["secret"])
        #expect(pair.wire.allSatisfy { !$0.bytes.starts(with: Array("secret".utf8)) })
    }

    @Test("a held-back message that cannot be sent once secure is reported as a send failure, not as an unreadable message received")
    func heldBackMessageTooLongToFragment() throws {
        // 60-byte messages leave 24 bytes of each v3 fragment for the
        // message: the AKE fits in a few dozen fragments, 1.5 MB of text
        // would need more than the 65 535 fragments the spec allows.
        var pair = try Pair(seed: "too long", alicePolicy: .always, bobPolicy: .manual, fragmentSize: 60)
        pair.fromAlice(try pair.alice.send([UInt8](repeating: 0x61, count: 1_500_000)))
        #expect(pair.alice.messageState == .encrypted && pair.bob.messageState == .encrypted)
        let failures = pair.aliceEvents.compactMap { if case .sendFailed(let e) = $0 { e } else { nil } }
        #expect(failures.count == 1, "alice's events: \(pair.aliceEvents.map { "\($0)".prefix(60) })")
        #expect(failures.first.map { "\($0)".contains("65535") || "\($0)".contains("fragments") } == true, "\(failures)")
        #expect(pair.aliceEvents.allSatisfy { if case .unreadable = $0 { false } else { true } })
        #expect(Pair.texts(pair.bobEvents).isEmpty)
    }

    @Test("the same seed gives the same wire bytes")
    func deterministic() throws {
        func run() throws -> [[UInt8]] {
            var pair = try Pair(seed: "replayable")
            try pair.establish()
            pair.fromAlice(try pair.alice.send(Array("a".utf8)))
            pair.fromBob(try pair.bob.send(Array("b".utf8)))
            return pair.wire.map(\.bytes)
        }
        #expect(try run() == run())
    }

    @Test("a new AKE while encrypted re-keys: a new ssid, and messages go on under the new keys")
    func rekey() throws {
        var pair = try Pair(seed: "rekey")
        try pair.establish()
        let first = try #require(pair.alice.established?.ssid)
        pair.fromAlice(try pair.alice.send(Array("before".utf8)))
        pair.fromBob(try pair.bob.startAKE())
        let second = try #require(pair.alice.established?.ssid)
        #expect(second != first)
        #expect(pair.bob.established?.ssid == second)
        pair.fromAlice(try pair.alice.send(Array("after".utf8)))
        #expect(Pair.texts(pair.bobEvents).suffix(2) == ["before", "after"])
        #expect(pair.bobEvents.allSatisfy { if case .unreadable = $0 { false } else { true } })
    }

    @Test("a Data message for another of our instances is ignored, not answered")
    func otherInstance() throws {
        var pair = try Pair(seed: "instances")
        try pair.establish()
        let wire = try #require(try pair.alice.send(Array("hi".utf8)).wire.first)
        guard case .data(var message) = try EncodedMessage.read(armoured: wire) else {
            Issue.record("not a Data message"); return
        }
        message.header.receiverInstance = InstanceTag(0x0000_0999)
        let out = pair.bob.receive(Array(try EncodedMessage.data(message).armoured().utf8))
        #expect(out.wire.isEmpty)
        guard case .ignored(let reason)? = out.events.first else { Issue.record("\(out.events)"); return }
        #expect(reason.contains("00000999"))
    }
}
