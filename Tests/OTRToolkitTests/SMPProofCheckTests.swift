import OTR
import OTRToolkit
import Testing

/// SMP's zero-knowledge proofs checked offline, as decode checks them in a
/// capture: SMP runs made by the protocol library's state machine, with
/// equal and different secrets, and with single proofs tampered.
struct SMPProofCheckTests {
    /// The four TLVs of a whole SMP run between two state machines.
    static func run(alice: UInt8, bob: UInt8, seed: String = "proof check") throws -> [TLV] {
        var a = SMPStateMachine(random: DeterministicRandom(seedText: "\(seed) alice"))
        var b = SMPStateMachine(random: DeterministicRandom(seedText: "\(seed) bob"))
        let one = try #require(a.start(secret: SMPSecret(value: MPI(UInt(alice)))).first)
        _ = b.receive(one)
        let two = try b.respond(secret: SMPSecret(value: MPI(UInt(bob))))
        let three = try #require(a.receive(two).reply.first)
        let four = try #require(b.receive(three).reply.first)
        return [one, two, three, four]
    }

    /// A whole run as `run` makes it, with the exponents each party drew
    /// (a2, a3 for alice; b2, b3 for bob; the others are one-time values).
    static func runWithExponents(alice: UInt8, bob: UInt8) throws -> (tlvs: [TLV], alice: [MPI], bob: [MPI]) {
        var a = SMPStateMachine(random: DeterministicRandom(seedText: "exponents alice"))
        var b = SMPStateMachine(random: DeterministicRandom(seedText: "exponents bob"))
        let one = try #require(a.start(secret: SMPSecret(value: MPI(UInt(alice)))).first)
        let aliceExponents = a.lastExponents.filter { ["a2", "a3"].contains($0.name) }.map(\.value)
        _ = b.receive(one)
        let two = try b.respond(secret: SMPSecret(value: MPI(UInt(bob))))
        let bobExponents = b.lastExponents.filter { ["b2", "b3"].contains($0.name) }.map(\.value)
        let three = try #require(a.receive(two).reply.first)
        let four = try #require(b.receive(three).reply.first)
        return ([one, two, three, four], aliceExponents, bobExponents)
    }

    static func results(_ tlvs: [TLV], in exchange: SMPTranscriptCheck.Exchange = .init(nil, nil)) -> [[String: String]] {
        var check = SMPTranscriptCheck()
        return tlvs.map { tlv in
            Dictionary(uniqueKeysWithValues: check.check(tlv, in: exchange).proofs.map { ($0.proof, $0.result.name) })
        }
    }

    /// `tlv` with MPI `index` (0-based) replaced by a value in every range
    /// (a group element and an exponent alike), so only the proof fails.
    static func tampered(_ tlv: TLV, mpi index: Int) throws -> TLV {
        guard case .smp(let question, var mpis) = try tlv.content() else { throw OTRError.malformed("tlv", "not SMP") }
        mpis[index] = MPI(UInt(12345))
        return TLV.smp(try #require(tlv.kind), question: question, mpis: mpis)
    }

    static let expected: [[String: String]] = [
        ["c2/D2": "verifies", "c3/D3": "verifies"],
        ["c2/D2": "verifies", "c3/D3": "verifies", "cP/D5/D6": "unverifiable"],
        ["cP/D5/D6": "unverifiable", "cR/D7": "verifies"],
        ["cR/D7": "verifies"],
    ]

    @Test("every proof an observer can check verifies, whether the secrets are equal or not")
    func honestRunsVerify() throws {
        #expect(Self.results(try Self.run(alice: 7, bob: 7)) == Self.expected)
        // Different secrets make SMP fail at the comparison, not at a proof.
        #expect(Self.results(try Self.run(alice: 7, bob: 8)) == Self.expected)
    }

    @Test("a changed D2, D3, D7 or Rb is named as the proof that fails, at its message")
    func tamperedProofsFail() throws {
        let tlvs = try Self.run(alice: 3, bob: 3)
        // Message 1: g2a, c2, D2, g3a, c3, D3.
        var one = tlvs
        one[0] = try Self.tampered(tlvs[0], mpi: 2)
        #expect(Self.results(one)[0] == ["c2/D2": "fails", "c3/D3": "verifies"])
        // Message 2: g2b, c2, D2, g3b, c3, D3, ...
        var two = tlvs
        two[1] = try Self.tampered(tlvs[1], mpi: 5)
        #expect(Self.results(two)[1] == ["c2/D2": "verifies", "c3/D3": "fails", "cP/D5/D6": "unverifiable"])
        // Message 3: Pa, Qa, cP, D5, D6, Ra, cR, D7.
        var three = tlvs
        three[2] = try Self.tampered(tlvs[2], mpi: 7)
        #expect(Self.results(three)[2] == ["cP/D5/D6": "unverifiable", "cR/D7": "fails"])
        // Message 4: Rb, cR, D7.
        var four = tlvs
        four[3] = try Self.tampered(tlvs[3], mpi: 0)
        #expect(Self.results(four)[3] == ["cR/D7": "fails"])

        var check = SMPTranscriptCheck()
        let reason = check.check(one[0], in: .init(nil, nil)).proofs.first?.result.reason
        #expect(reason == "c2 != SHA256(1, g1^D2 g2a^c2)")
    }

    @Test("cR/D7 without the earlier messages of its exchange is unverifiable, not a failure; an abort ends the exchange")
    func missingMessagesAreUnverifiable() throws {
        let tlvs = try Self.run(alice: 5, bob: 5)
        #expect(Self.results([tlvs[2], tlvs[3]]) == [["cP/D5/D6": "unverifiable", "cR/D7": "unverifiable"],
                                                     ["cR/D7": "unverifiable"]])
        let abort = TLV(type: TLV.Kind.smpAbort.rawValue, value: [])
        #expect(Self.results([tlvs[0], tlvs[1], abort, tlvs[2]])[3]["cR/D7"] == "unverifiable")
        // Another conversation's messages 1 and 2 do not check this one's 3.
        var check = SMPTranscriptCheck()
        let ours = SMPTranscriptCheck.Exchange(InstanceTag(rawValue: 0x100), InstanceTag(rawValue: 0x200))
        let theirs = SMPTranscriptCheck.Exchange(InstanceTag(rawValue: 0x100), InstanceTag(rawValue: 0x300))
        _ = check.check(tlvs[0], in: theirs)
        _ = check.check(tlvs[1], in: theirs)
        #expect(check.check(tlvs[2], in: ours).proofs.last?.result.name == "unverifiable")
        // Both directions of one conversation are one exchange.
        #expect(SMPTranscriptCheck.Exchange(InstanceTag(rawValue: 0x200), InstanceTag(rawValue: 0x100)) == ours)
    }

    @Test("a message out of the spec's order is named with the message due; an abort where message 4 is due says so")
    func stepsOutOfOrderAreNamed() throws {
        let tlvs = try Self.run(alice: 4, bob: 4)
        let abort = TLV(type: TLV.Kind.smpAbort.rawValue, value: [])
        func steps(_ sequence: [TLV]) -> [String?] {
            var check = SMPTranscriptCheck()
            return sequence.map { check.check($0, in: .init(nil, nil)).step }
        }
        #expect(steps(tlvs) == [nil, nil, nil, nil], "an honest run has no step to note")
        let potrStyle = steps([tlvs[0], tlvs[1], tlvs[2], abort])
        #expect(potrStyle[3]?.hasPrefix("SMP aborted where SMP message 4 is due") == true, "\(potrStyle)")
        #expect(steps([tlvs[0], tlvs[2]])[1]?.hasPrefix("SMP message 3 where SMP message 2 is due") == true)
        #expect(steps([tlvs[0], tlvs[0]])[1]?.hasPrefix("SMP message 1 where SMP message 2 is due") == true)
        #expect(steps([tlvs[1]])[0] == "SMP message 2 with no earlier message of its exchange in the capture")
        #expect(steps([tlvs[0], abort])[1] == "SMP aborted where SMP message 2 is due")
        // After an abort or a whole run the next exchange starts afresh.
        #expect(steps([tlvs[0], abort, tlvs[0]])[2] == nil)
        #expect(steps(tlvs + [tlvs[0]])[4] == nil)
    }

    @Test("with one party's exponents, cP/D5/D6 verify and the outcome is decided: at message 3 with bob's, at message 4 with alice's")
    func exponentsDecideTheOutcome() throws {
        for (aliceSecret, bobSecret) in [(UInt8(5), UInt8(5)), (5, 6)] {
            let run = try Self.runWithExponents(alice: aliceSecret, bob: bobSecret)
            try #require(run.alice.count == 2 && run.bob.count == 2, "exponents \(run.alice.count), \(run.bob.count)")
            for (party, exponents, decidedAt) in [("alice", run.alice, 3), ("bob", run.bob, 2)] {
                var check = SMPTranscriptCheck(exponents: exponents)
                let results = run.tlvs.map { check.check($0, in: .init(nil, nil)) }
                let cP = results.flatMap { $0.proofs.filter { $0.proof == "cP/D5/D6" }.map(\.result.name) }
                #expect(cP == ["verifies", "verifies"], "\(party): \(cP)")
                #expect(results.map(\.secretsAgree) == (0..<4).map { $0 == decidedAt ? aliceSecret == bobSecret : nil },
                        "\(party), secrets \(aliceSecret)/\(bobSecret): \(results.map(\.secretsAgree))")
            }
            // An exponent of neither party decides nothing.
            var stranger = SMPTranscriptCheck(exponents: [MPI(UInt(424242))])
            #expect(run.tlvs.map { stranger.check($0, in: .init(nil, nil)).secretsAgree } == [nil, nil, nil, nil])
        }
        // One exponent of a pair is not enough for the proof of P and Q.
        let run = try Self.runWithExponents(alice: 1, bob: 1)
        var half = SMPTranscriptCheck(exponents: [run.alice[0]])
        let proofs = run.tlvs.map { half.check($0, in: .init(nil, nil)) }
        #expect(proofs[1].proofs.last?.result.name == "unverifiable" && proofs.allSatisfy { $0.secretsAgree == nil })
    }

    @Test("a tampered cP is named as failing once the exponents give g2 and g3")
    func tamperedCoordinateProofFails() throws {
        let run = try Self.runWithExponents(alice: 4, bob: 4)
        // Message 2: g2b, c2, D2, g3b, c3, D3, Pb, Qb, cP, D5, D6.
        var tlvs = run.tlvs
        tlvs[1] = try Self.tampered(run.tlvs[1], mpi: 9)
        var check = SMPTranscriptCheck(exponents: run.alice)
        #expect(check.check(tlvs[0], in: .init(nil, nil)).proofs.allSatisfy { $0.result == .verifies })
        let two = check.check(tlvs[1], in: .init(nil, nil))
        #expect(two.proofs.map(\.result.name) == ["verifies", "verifies", "fails"], "\(two.proofs)")
    }

    @Test("the exchanges kept are bounded: the oldest is forgotten")
    func exchangesAreBounded() throws {
        let tlvs = try Self.run(alice: 9, bob: 9)
        var check = SMPTranscriptCheck()
        let first = SMPTranscriptCheck.Exchange(InstanceTag(rawValue: 0x100), InstanceTag(rawValue: 0x101))
        _ = check.check(tlvs[0], in: first)
        _ = check.check(tlvs[1], in: first)
        for i in 0..<UInt32(SMPTranscriptCheck.maximumExchanges) {
            _ = check.check(tlvs[0], in: .init(InstanceTag(rawValue: 0x1000 + i), InstanceTag(rawValue: 0x100)))
        }
        #expect(check.check(tlvs[2], in: first).proofs.last?.result.name == "unverifiable")
    }
}
