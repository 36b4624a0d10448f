import Testing
@testable import OTR

/// The Socialist Millionaires' Protocol (spec "Socialist Millionaires'
/// Protocol (SMP)", "The SMP state machine") between two state machines.
/// As in the spec, Alice starts and Bob responds. Every TLV crosses the
/// wire (written into a Data message plaintext and parsed back) before it
/// is delivered. Values the spec defines exactly (the secret, the hash, the
/// proofs' equations) are recomputed here from the spec's definitions.
@Suite("Socialist Millionaires' Protocol")
struct SMPTests {
    // MARK: Fixtures

    static let aliceFingerprint = try! Fingerprint(bytes: Array(1...20))
    static let bobFingerprint = try! Fingerprint(bytes: Array(101...120))
    static let ssid: [UInt8] = [0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]
    static let p = DHGroup.modulus
    static let q = DHGroup.order
    static let abortTLV = TLV(type: 6)

    /// The secret of `answer` in a conversation where Alice initiates SMP.
    static func secret(_ answer: String, initiator: Fingerprint = aliceFingerprint,
                       responder: Fingerprint = bobFingerprint) throws -> SMPSecret {
        try SMPSecret(initiatorFingerprint: initiator, responderFingerprint: responder, ssid: ssid,
                      userSecret: Array(answer.utf8))
    }

    /// The TLV as the other side reads it: after a Data message's NUL,
    /// between padding TLVs, parsed back out.
    static func wire(_ tlv: TLV, sourceLocation: SourceLocation = #_sourceLocation) throws -> TLV {
        let padding = TLV(type: 0, value: [0, 0, 0])
        let plain = DataPlaintext(message: [], tlvs: [padding, tlv, padding]).encoded
        let parsed = try DataPlaintext.parse(plain)
        try #require(parsed.tlvs.count == 3, sourceLocation: sourceLocation)
        #expect(parsed.tlvs[1] == tlv, sourceLocation: sourceLocation)
        return parsed.tlvs[1]
    }

    static func mpis(_ tlv: TLV) throws -> [MPI] {
        guard case .smp(_, let mpis) = try tlv.content() else { throw OTRError.malformed("test", "not an SMP TLV") }
        return mpis
    }

    /// The same SMP TLV with MPI `index` changed.
    static func replacing(_ tlv: TLV, mpi index: Int, _ change: (MPI) -> MPI) throws -> TLV {
        guard case .smp(let question, var values) = try tlv.content(), let kind = tlv.kind else {
            throw OTRError.malformed("test", "not an SMP TLV")
        }
        values[index] = change(values[index])
        return TLV.smp(kind, question: question, mpis: values)
    }

    static func cheating(_ step: SMPStep) -> OTRError? {
        if case .cheatingDetected(let error) = step.outcome { return error }
        return nil
    }

    // MARK: The spec's definitions, written out here

    /// MPI "in the usual way": 4-byte big-endian length, minimal bytes.
    static func mpi(_ value: MPI) -> [UInt8] {
        let b = value.bytes
        let n = UInt32(b.count)
        return [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + b
    }

    /// Spec "SMP Hash function": SHA-256 of the version byte and the MPIs.
    static func h(_ version: UInt8, _ values: MPI...) -> MPI {
        MPI(bytes: HashFunction.sha256.digest([version] + values.flatMap(mpi)))
    }

    static func pow(_ base: MPI, _ exponent: MPI) -> MPI { base.power(exponent, modulo: p) }
    static func mul(_ a: MPI, _ b: MPI) -> MPI { (a * b).mod(p) }
    static func div(_ a: MPI, _ b: MPI) -> MPI { mul(a, b.inverse(mod: p)!) }

    // MARK: A complete run

    struct Run {
        /// Messages 1 to 4, as received.
        var messages: [TLV]
        /// Bob after message 1, Alice after message 4.
        var bobOutcome: SMPOutcome
        var aliceOutcome: SMPOutcome
        /// The machine that receives message n, just before it does
        /// (receivers[n - 1]; copies share the machine's random source).
        var receivers: [SMPStateMachine]
        var alice: SMPStateMachine
        var bob: SMPStateMachine

        func message(_ n: Int) -> TLV { messages[n - 1] }
        func receiver(_ n: Int) -> SMPStateMachine { receivers[n - 1] }
    }

    static func machines(seed: String) -> (alice: SMPStateMachine, bob: SMPStateMachine) {
        (SMPStateMachine(random: DeterministicRandom(seedText: "\(seed) alice")),
         SMPStateMachine(random: DeterministicRandom(seedText: "\(seed) bob")))
    }

    /// Runs SMP up to the receipt of message `upTo` (0-4; 4 is a whole run);
    /// the next message is already made, with the machine that receives it.
    static func run(alice aliceSecret: SMPSecret, bob bobSecret: SMPSecret, question: [UInt8]? = nil,
                    seed: String = "smp", upTo last: Int = 4,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Run {
        var (alice, bob) = machines(seed: seed)
        var run = Run(messages: [], bobOutcome: .ignored, aliceOutcome: .ignored, receivers: [], alice: alice, bob: bob)

        let start = alice.start(secret: aliceSecret, question: question)
        try #require(start.count == 1, sourceLocation: sourceLocation)
        #expect(alice.expectedMessage == .expect2, sourceLocation: sourceLocation)
        run.messages.append(try wire(start[0], sourceLocation: sourceLocation))
        run.receivers.append(bob)
        if last >= 1 {
            let step = bob.receive(run.message(1))
            #expect(step.reply.isEmpty, sourceLocation: sourceLocation)
            #expect(step.outcome == .secretRequested(question: question), sourceLocation: sourceLocation)
            #expect(bob.isAwaitingSecret && bob.pendingQuestion == question, sourceLocation: sourceLocation)
            #expect(bob.expectedMessage == .expect1, sourceLocation: sourceLocation)
            run.bobOutcome = step.outcome
            run.messages.append(try wire(try bob.respond(secret: bobSecret), sourceLocation: sourceLocation))
            #expect(bob.expectedMessage == .expect3 && !bob.isAwaitingSecret, sourceLocation: sourceLocation)
            run.receivers.append(alice)
        }
        if last >= 2 {
            let step = alice.receive(run.message(2))
            #expect(step.outcome == .inProgress, sourceLocation: sourceLocation)
            try #require(step.reply.count == 1, sourceLocation: sourceLocation)
            #expect(alice.expectedMessage == .expect4, sourceLocation: sourceLocation)
            run.messages.append(try wire(step.reply[0], sourceLocation: sourceLocation))
            run.receivers.append(bob)
        }
        if last >= 3 {
            let step = bob.receive(run.message(3))
            try #require(step.reply.count == 1, sourceLocation: sourceLocation)
            #expect(bob.expectedMessage == .expect1, sourceLocation: sourceLocation)
            run.bobOutcome = step.outcome
            run.messages.append(try wire(step.reply[0], sourceLocation: sourceLocation))
            run.receivers.append(alice)
        }
        if last >= 4 {
            let step = alice.receive(run.message(4))
            #expect(step.reply.isEmpty, sourceLocation: sourceLocation)
            #expect(alice.expectedMessage == .expect1, sourceLocation: sourceLocation)
            run.aliceOutcome = step.outcome
        }
        run.alice = alice
        run.bob = bob
        return run
    }

    /// A run in which both use the answer "correct horse", stopped before
    /// message `n` is received: its receiver and the message.
    static func stage(_ n: Int, seed: String = "stage") throws -> (machine: SMPStateMachine, message: TLV) {
        let run = try run(alice: secret("correct horse"), bob: secret("correct horse"), seed: seed, upTo: n - 1)
        return (run.receiver(n), run.message(n))
    }

    // MARK: Outcomes

    @Test("Equal secrets: both sides succeed; a question travels in a type 7 TLV",
          arguments: [nil, "Wie heißt unser Hund?", ""] as [String?])
    func equalSecretsSucceed(question: String?) throws {
        let questionBytes = question.map { Array($0.utf8) }
        let run = try Self.run(alice: Self.secret("correct horse"), bob: Self.secret("correct horse"), question: questionBytes)
        #expect(run.aliceOutcome == .succeeded)
        #expect(run.bobOutcome == .succeeded)
        #expect(run.alice.expectedMessage == .expect1 && run.bob.expectedMessage == .expect1)
        #expect(!run.bob.isAwaitingSecret && run.bob.pendingQuestion == nil)

        // Message 1 is type 7 with the question and its NUL first, else type 2.
        let m1 = run.message(1)
        if let questionBytes {
            #expect(m1.type == 7 && m1.kind == .smp1Q)
            #expect(Array(m1.value.prefix(questionBytes.count + 1)) == questionBytes + [0])
            #expect(try SMPMessage1(tlv: m1).question == questionBytes)
        } else {
            #expect(m1.type == 2 && m1.kind == .smp1)
            #expect(Array(m1.value.prefix(4)) == [0, 0, 0, 6])
            #expect(try SMPMessage1(tlv: m1).question == nil)
        }
        // Types 3, 4, 5 with 11, 8 and 3 MPIs (spec "SMP state machine").
        #expect(run.messages.map(\.type).dropFirst() == [3, 4, 5])
        #expect(try run.messages.map { try Self.mpis($0).count } == [6, 11, 8, 3])
    }

    @Test("Different secrets: both sides learn that the comparison failed")
    func differentSecretsFail() throws {
        let run = try Self.run(alice: Self.secret("correct horse"), bob: Self.secret("battery staple"))
        #expect(run.aliceOutcome == .failed)
        #expect(run.bobOutcome == .failed)
        #expect(run.alice.expectedMessage == .expect1 && run.bob.expectedMessage == .expect1)
        // The messages themselves are valid either way.
        #expect(throws: Never.self) { try SMPMessage1(tlv: run.message(1)).verify() }
    }

    @Test("The secret binds the fingerprints: swapped initiator and responder do not match")
    func swappedFingerprintsFail() throws {
        let aliceView = try Self.secret("same answer")
        let bobView = try Self.secret("same answer", initiator: Self.bobFingerprint, responder: Self.aliceFingerprint)
        let run = try Self.run(alice: aliceView, bob: bobView)
        #expect(run.aliceOutcome == .failed && run.bobOutcome == .failed)
    }

    @Test("Secrets given as integers (zero and one included) are compared modulo q")
    func secretsGivenAsIntegers() throws {
        let same = try Self.run(alice: SMPSecret(value: .one), bob: SMPSecret(value: .one), seed: "integers")
        #expect(same.aliceOutcome == .succeeded && same.bobOutcome == .succeeded)
        // Zero cannot go through the constant-time power; it still compares.
        let zeros = try Self.run(alice: SMPSecret(value: .zero), bob: SMPSecret(value: .zero), seed: "integers")
        #expect(zeros.aliceOutcome == .succeeded && zeros.bobOutcome == .succeeded)
        let zeroAndOne = try Self.run(alice: SMPSecret(value: .zero), bob: SMPSecret(value: .one), seed: "integers")
        #expect(zeroAndOne.aliceOutcome == .failed && zeroAndOne.bobOutcome == .failed)
        let different = try Self.run(alice: SMPSecret(value: MPI(5)), bob: SMPSecret(value: MPI(5) + Self.q), seed: "integers")
        // x and x + q are the same exponent of the order-q group: SMP cannot tell them apart.
        #expect(different.aliceOutcome == .succeeded)
        let reallyDifferent = try Self.run(alice: SMPSecret(value: MPI(5)), bob: SMPSecret(value: MPI(6)), seed: "integers")
        #expect(reallyDifferent.aliceOutcome == .failed && reallyDifferent.bobOutcome == .failed)
    }

    // MARK: The spec's definitions

    @Test("SMPSecret is SHA-256(1 || initiator fp || responder fp || ssid || answer)")
    func secretFollowsTheSpec() throws {
        let answer = Array("correct horse".utf8)
        let expected = MPI(bytes: HashFunction.sha256.digest(
            [1] + Self.aliceFingerprint.bytes + Self.bobFingerprint.bytes + Self.ssid + answer))
        let secret = try Self.secret("correct horse")
        #expect(secret.value == expected)
        #expect(SMPSecret.version == 1)
        #expect(try Self.secret("correct horse") == secret)
        #expect(try Self.secret("correct horse", initiator: Self.bobFingerprint, responder: Self.aliceFingerprint) != secret)
        #expect(try Self.secret("correct horse ") != secret)
        var otherSSID = Self.ssid
        otherSSID[7] ^= 1
        #expect(try SMPSecret(initiatorFingerprint: Self.aliceFingerprint, responderFingerprint: Self.bobFingerprint,
                              ssid: otherSSID, userSecret: answer) != secret)
        for length in [0, 4, 7, 9, 32] {
            let error = #expect(throws: OTRError.self, "ssid of \(length) bytes") {
                try SMPSecret(initiatorFingerprint: Self.aliceFingerprint, responderFingerprint: Self.bobFingerprint,
                              ssid: [UInt8](repeating: 1, count: length), userSecret: answer)
            }
            #expect(error?.code == .invalidArgument)
        }
        // An empty answer is still a secret (the fingerprints and ssid remain).
        let empty = try Self.secret("")
        #expect(empty.value == MPI(bytes: HashFunction.sha256.digest(
            [1] + Self.aliceFingerprint.bytes + Self.bobFingerprint.bytes + Self.ssid)))
    }

    @Test("SMPHash is SHA-256 of the version byte and the MPIs serialized in the usual way")
    func hashFollowsTheSpec() throws {
        #expect(SMPHash.Version.allCases.map(\.rawValue) == Array(1...8))
        let one = try MPI(hex: "00 01 02 03 04 05 06 07 08 09 0a")  // leading zero: serialized without it
        let two = DHGroup.modulus - MPI(12345)
        for version in SMPHash.Version.allCases {
            #expect(SMPHash.h(version, one) == Self.h(version.rawValue, one))
            #expect(SMPHash.h(version, one, two) == Self.h(version.rawValue, one, two))
            #expect(SMPHash.h(version, two, one) != SMPHash.h(version, one, two))
        }
        // A byte-exact case: h(1, 2) = SHA-256(01 00000001 02).
        #expect(SMPHash.h(.message1G2a, MPI(2)) == MPI(bytes: HashFunction.sha256.digest([1, 0, 0, 0, 1, 2])))
        #expect(SMPHash.h(.message1G2a, MPI(2)) != SMPHash.h(.message1G3a, MPI(2)))
    }

    @Test("The group: RFC 3526's 1536-bit prime, g1 = 2, exponents modulo q = (p-1)/2")
    func groupParameters() throws {
        #expect(SMPGroup.modulus == DHGroup.modulus)
        #expect(SMPGroup.modulus.bitWidth == 1536)
        #expect(SMPGroup.g1 == MPI(2))
        #expect(SMPGroup.order * MPI(2) + .one == SMPGroup.modulus)
        // 2 generates the subgroup of order q.
        #expect(Self.pow(SMPGroup.g1, SMPGroup.order) == .one)
    }

    @Test("Every proof of a run satisfies the spec's check, recomputed here")
    func proofsSatisfyTheSpecsChecks() throws {
        let run = try Self.run(alice: Self.secret("x"), bob: Self.secret("x"), seed: "proofs")
        let m1 = try Self.mpis(run.message(1)), m2 = try Self.mpis(run.message(2))
        let m3 = try Self.mpis(run.message(3)), m4 = try Self.mpis(run.message(4))
        let g1 = MPI(2)
        // Message 1: c2 = h(1, g1^D2 g2a^c2), c3 = h(2, g1^D3 g3a^c3).
        let (g2a, c2a, D2a, g3a, c3a, D3a) = (m1[0], m1[1], m1[2], m1[3], m1[4], m1[5])
        #expect(c2a == Self.h(1, Self.mul(Self.pow(g1, D2a), Self.pow(g2a, c2a))))
        #expect(c3a == Self.h(2, Self.mul(Self.pow(g1, D3a), Self.pow(g3a, c3a))))
        // Message 2: c2 = h(3, ...), c3 = h(4, ...).
        let (g2b, c2b, D2b, g3b, c3b, D3b, Qb) = (m2[0], m2[1], m2[2], m2[3], m2[4], m2[5], m2[7])
        #expect(c2b == Self.h(3, Self.mul(Self.pow(g1, D2b), Self.pow(g2b, c2b))))
        #expect(c3b == Self.h(4, Self.mul(Self.pow(g1, D3b), Self.pow(g3b, c3b))))
        // Message 3: cR = h(7, g1^D7 g3a^cR, (Qa/Qb)^D7 Ra^cR).
        let (Qa, Ra, cRa, D7a) = (m3[1], m3[5], m3[6], m3[7])
        let QaOverQb = Self.div(Qa, Qb)
        #expect(cRa == Self.h(7, Self.mul(Self.pow(g1, D7a), Self.pow(g3a, cRa)),
                              Self.mul(Self.pow(QaOverQb, D7a), Self.pow(Ra, cRa))))
        // Message 4: cR = h(8, g1^D7 g3b^cR, (Qa/Qb)^D7 Rb^cR).
        let (Rb, cRb, D7b) = (m4[0], m4[1], m4[2])
        #expect(cRb == Self.h(8, Self.mul(Self.pow(g1, D7b), Self.pow(g3b, cRb)),
                              Self.mul(Self.pow(QaOverQb, D7b), Self.pow(Rb, cRb))))
        // The proofs are not interchangeable: a version byte changes each.
        #expect(c2a != Self.h(3, Self.mul(Self.pow(g1, D2a), Self.pow(g2a, c2a))))
        // Every group element is in 2..p-2 and every D in 1..q-1.
        for element in [g2a, g3a, g2b, g3b, m2[6], Qb, m3[0], Qa, Ra, Rb] {
            #expect(element >= MPI(2) && element <= Self.p - MPI(2))
        }
        for exponent in [D2a, D3a, D2b, D3b, m2[9], m2[10], m3[3], m3[4], D7a, D7b] {
            #expect(exponent >= .one && exponent < Self.q)
        }
        // Equal secrets: Pa/Pb = (Qa/Qb)^(a3 b3), which both Ra^b3 and Rb^a3 are;
        // observable here only as Ra and Rb differing while both succeed.
        #expect(Ra != Rb)
        #expect(run.aliceOutcome == .succeeded && run.bobOutcome == .succeeded)
    }

    // MARK: Aborts and unexpected messages

    @Test("Alice aborts while Bob holds her message 1: Bob learns it and has nothing to answer")
    func aliceAbortsBeforeBobAnswers() throws {
        var (alice, bob) = Self.machines(seed: "abort")
        _ = bob.receive(try Self.wire(alice.start(secret: Self.secret("a"))[0]))
        #expect(bob.isAwaitingSecret)
        let abort = try Self.wire(alice.abort())
        #expect(abort == Self.abortTLV && abort.value.isEmpty)
        #expect(alice.expectedMessage == .expect1)
        let step = bob.receive(abort)
        #expect(step == SMPStep(outcome: .aborted))
        #expect(!bob.isAwaitingSecret && bob.pendingQuestion == nil && bob.expectedMessage == .expect1)
        #expect(throws: OTRError.self) { _ = try bob.respond(secret: Self.secret("a")) }
    }

    @Test("Bob aborts after message 2: Alice learns it and is back to EXPECT1")
    func bobAbortsAfterMessage2() throws {
        let (aliceAwaiting2, message2) = try Self.stage(2, seed: "bob aborts")
        var alice = aliceAwaiting2
        var bob = try Self.stage(3, seed: "bob aborts").machine
        #expect(bob.expectedMessage == .expect3)
        let abort = try Self.wire(bob.abort())
        #expect(abort == Self.abortTLV)
        #expect(bob.expectedMessage == .expect1)
        #expect(alice.receive(abort) == SMPStep(outcome: .aborted))
        #expect(alice.expectedMessage == .expect1)
        // Bob's message 2, arriving late, is no longer expected.
        let late = alice.receive(message2)
        #expect(late == SMPStep(reply: [Self.abortTLV], outcome: .unexpectedMessage(.smp2)))
    }

    @Test("Alice aborts while Bob waits for message 3")
    func aliceAbortsBeforeMessage3() throws {
        let staged = try Self.stage(3, seed: "alice aborts late")
        var bob = staged.machine
        let message3 = staged.message
        #expect(bob.receive(Self.abortTLV) == SMPStep(outcome: .aborted))
        #expect(bob.expectedMessage == .expect1)
        #expect(bob.receive(message3) == SMPStep(reply: [Self.abortTLV], outcome: .unexpectedMessage(.smp3)))
        // An abort when nothing runs is harmless.
        #expect(bob.receive(Self.abortTLV) == SMPStep(outcome: .aborted))
        #expect(bob.expectedMessage == .expect1)
    }

    @Test("A message the state does not expect gives an abort and unexpectedMessage")
    func unexpectedMessages() throws {
        let run = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), seed: "unexpected")
        let fresh = Self.machines(seed: "fresh").alice
        let cases: [(name: String, machine: SMPStateMachine, message: TLV, kind: TLV.Kind)] = [
            ("message 3 in EXPECT2", run.receiver(2), run.message(3), .smp3),
            ("message 4 in EXPECT2", run.receiver(2), run.message(4), .smp4),
            ("message 1 in EXPECT2", run.receiver(2), run.message(1), .smp1),
            ("message 2 in EXPECT1", fresh, run.message(2), .smp2),
            ("message 3 in EXPECT1", fresh, run.message(3), .smp3),
            ("message 4 in EXPECT1", fresh, run.message(4), .smp4),
            ("message 2 with a message 1 pending", run.receivers[0].withMessage1(run.message(1)), run.message(2), .smp2),
            ("message 1 in EXPECT3", run.receiver(3), run.message(1), .smp1),
            ("message 2 in EXPECT3", run.receiver(3), run.message(2), .smp2),
            ("message 4 in EXPECT3", run.receiver(3), run.message(4), .smp4),
            ("message 2 in EXPECT4", run.receiver(4), run.message(2), .smp2),
            ("message 3 in EXPECT4", run.receiver(4), run.message(3), .smp3),
        ]
        for c in cases {
            var machine = c.machine
            let step = machine.receive(c.message)
            #expect(step.reply == [Self.abortTLV], "\(c.name)")
            #expect(step.outcome == .unexpectedMessage(c.kind), "\(c.name)")
            #expect(machine.expectedMessage == .expect1 && !machine.isAwaitingSecret, "\(c.name)")
        }
    }

    @Test("TLVs that are not SMP messages are ignored and change nothing")
    func otherTLVsAreIgnored() throws {
        let staged = try Self.stage(2, seed: "ignored")
        var alice = staged.machine
        let message2 = staged.message
        for tlv in [TLV(type: 0, value: [0, 0]), TLV(type: 1), TLV.extraSymmetricKey(use: 1, useData: [9]),
                    TLV(type: 99, value: [1, 2, 3])] {
            #expect(alice.receive(tlv) == SMPStep(outcome: .ignored))
            #expect(alice.expectedMessage == .expect2)
        }
        // The run goes on.
        #expect(alice.receive(message2).outcome == .inProgress)
    }

    // MARK: Cheating

    /// An MPI of one message, named as the spec names it.
    struct Field: Sendable, CustomTestStringConvertible {
        var message: Int
        var index: Int
        var name: String
        var testDescription: String { "message \(message) \(name)" }
        init(_ message: Int, _ index: Int, _ name: String) {
            self.message = message
            self.index = index
            self.name = name
        }
    }

    static let challenges = [
        Field(1, 1, "c2"), Field(1, 4, "c3"),
        Field(2, 1, "c2"), Field(2, 4, "c3"), Field(2, 8, "cP"),
        Field(3, 2, "cP"), Field(3, 6, "cR"),
        Field(4, 1, "cR"),
    ]

    static let exponents = [
        Field(1, 2, "D2"), Field(1, 5, "D3"),
        Field(2, 2, "D2"), Field(2, 5, "D3"), Field(2, 9, "D5"), Field(2, 10, "D6"),
        Field(3, 3, "D5"), Field(3, 4, "D6"), Field(3, 7, "D7"),
        Field(4, 2, "D7"),
    ]

    static let groupElements = [
        Field(1, 0, "g2a"), Field(1, 3, "g3a"),
        Field(2, 0, "g2b"), Field(2, 3, "g3b"), Field(2, 6, "Pb"), Field(2, 7, "Qb"),
        Field(3, 0, "Pa"), Field(3, 1, "Qa"), Field(3, 5, "Ra"),
        Field(4, 0, "Rb"),
    ]

    /// Delivers message `field.message` with one MPI changed; the receiver
    /// must detect it, send an abort and start over.
    static func expectCheating(_ field: Field, change: (MPI) -> MPI, code: OTRError.Code,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let staged = try stage(field.message, seed: "cheating \(field.message)")
        var machine = staged.machine
        let message = staged.message
        let changed = try wire(try replacing(message, mpi: field.index, change), sourceLocation: sourceLocation)
        #expect(changed != message, sourceLocation: sourceLocation)
        let step = machine.receive(changed)
        let error = cheating(step)
        #expect(error?.code == code, "\(step.outcome)", sourceLocation: sourceLocation)
        #expect(error?.field?.hasPrefix("SMP Message \(field.message)") == true, "\(String(describing: error))",
                sourceLocation: sourceLocation)
        #expect(step.reply == [abortTLV], sourceLocation: sourceLocation)
        #expect(machine.expectedMessage == .expect1 && !machine.isAwaitingSecret, sourceLocation: sourceLocation)
        // The genuine message is now unexpected (except message 1, which starts over).
        let again = machine.receive(message)
        if field.message == 1 {
            #expect(again.outcome == .secretRequested(question: nil), sourceLocation: sourceLocation)
        } else {
            #expect(again.outcome == .unexpectedMessage(message.kind!), sourceLocation: sourceLocation)
        }
    }

    @Test("A changed challenge c breaks its proof", arguments: challenges)
    func tamperedChallenge(field: Field) throws {
        try Self.expectCheating(field, change: { $0 + .one }, code: .checkFailed)
    }

    @Test("A changed response D breaks its proof", arguments: exponents)
    func tamperedResponse(field: Field) throws {
        try Self.expectCheating(field, change: { d in d + .one < Self.q ? d + .one : d - .one }, code: .checkFailed)
    }

    @Test("A response D outside 1..q-1 is refused", arguments: exponents, ["0", "q", "q+1"])
    func responseOutOfRange(field: Field, value: String) throws {
        let d: MPI = switch value {
        case "0": .zero
        case "q": Self.q
        default: Self.q + .one
        }
        try Self.expectCheating(field, change: { _ in d }, code: .outOfRange)
    }

    @Test("A group element outside 2..p-2 is refused", arguments: groupElements, ["0", "1", "p-1", "p"])
    func groupElementOutOfRange(field: Field, value: String) throws {
        let element: MPI = switch value {
        case "0": .zero
        case "1": .one
        case "p-1": Self.p - .one
        default: Self.p
        }
        try Self.expectCheating(field, change: { _ in element }, code: .outOfRange)
    }

    @Test("Alice's message 1 replayed as Bob's message 2 material does not verify")
    func proofsCannotBeReplayedAcrossVersions() throws {
        // Bob copies Alice's g2a proof (made with version 1) into his g2b slot.
        let staged = try Self.stage(2, seed: "replay")
        var alice = staged.machine
        let message2 = staged.message
        let m1 = try Self.mpis(try Self.stage(1, seed: "replay").message)
        var m2 = try Self.mpis(message2)
        m2[0] = m1[0]; m2[1] = m1[1]; m2[2] = m1[2]
        let step = alice.receive(TLV.smp(.smp2, mpis: m2))
        #expect(Self.cheating(step)?.code == .checkFailed)
        #expect(step.reply == [Self.abortTLV])
    }

    @Test("A TLV with the wrong number of MPIs is rejected", arguments: [1, 2, 3, 4])
    func wrongMPICount(message n: Int) throws {
        let (machine, message) = try Self.stage(n, seed: "count \(n)")
        let values = try Self.mpis(message)
        let kind = try #require(message.kind)
        let question: [UInt8]? = kind == .smp1Q ? [] : nil
        var malformed = [
            TLV.smp(kind, question: question, mpis: Array(values.dropLast())),
            TLV.smp(kind, question: question, mpis: values + [MPI(2)]),
            TLV.smp(kind, question: question, mpis: []),
            TLV(type: kind.rawValue, value: message.value + [0]),       // a byte after the last MPI
            TLV(type: kind.rawValue, value: Array(message.value.dropLast())),  // the last MPI cut short
        ]
        // The count says right but one MPI is missing.
        var short = message.value
        let lastLength = 4 + values.last!.bytes.count
        short.removeLast(lastLength)
        malformed.append(TLV(type: kind.rawValue, value: short))

        for tlv in malformed {
            // The message type refuses it...
            let decodeError: OTRError?
            switch n {
            case 1: decodeError = #expect(throws: OTRError.self) { _ = try SMPMessage1(tlv: tlv) }
            case 2: decodeError = #expect(throws: OTRError.self) { _ = try SMPMessage2(tlv: tlv) }
            case 3: decodeError = #expect(throws: OTRError.self) { _ = try SMPMessage3(tlv: tlv) }
            default: decodeError = #expect(throws: OTRError.self) { _ = try SMPMessage4(tlv: tlv) }
            }
            #expect(decodeError?.code == .malformed)
            // ... and the machine treats it as cheating.
            var receiver = machine
            let step = receiver.receive(try Self.wire(tlv))
            #expect(Self.cheating(step)?.code == .malformed, "\(step.outcome)")
            #expect(step.reply == [Self.abortTLV])
            #expect(receiver.expectedMessage == .expect1 && !receiver.isAwaitingSecret)
        }
        // The right count still decodes.
        #expect(try Self.mpis(message).count == kind.smpMPICount)
    }

    @Test("A type 7 TLV whose question has no NUL is rejected")
    func questionWithoutNUL() throws {
        var bob = Self.machines(seed: "nul").bob
        let step = bob.receive(TLV(type: 7, value: Array("no terminator".utf8)))
        #expect(Self.cheating(step)?.code == .malformed)
        #expect(step.reply == [Self.abortTLV])
        #expect(!bob.isAwaitingSecret)
    }

    @Test("Message types are not interchangeable: a type 3 TLV does not decode as message 4")
    func messageTypesAreChecked() throws {
        let run = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), seed: "types")
        #expect(throws: OTRError.self) { _ = try SMPMessage4(tlv: run.message(2)) }
        #expect(throws: OTRError.self) { _ = try SMPMessage2(tlv: run.message(1)) }
        #expect(throws: OTRError.self) { _ = try SMPMessage1(tlv: run.message(3)) }
        // The decoded messages give back the same TLVs.
        #expect(try SMPMessage1(tlv: run.message(1)).tlv == run.message(1))
        #expect(try SMPMessage2(tlv: run.message(2)).tlv == run.message(2))
        #expect(try SMPMessage3(tlv: run.message(3)).tlv == run.message(3))
        #expect(try SMPMessage4(tlv: run.message(4)).tlv == run.message(4))
    }

    // MARK: User actions

    @Test("Starting SMP while one is in progress sends an abort, then message 1")
    func startWhileInProgress() throws {
        let run = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), seed: "restart")
        let machines: [(name: String, machine: SMPStateMachine)] = [
            ("EXPECT2", run.receiver(2)),
            ("EXPECT3", run.receiver(3)),
            ("EXPECT4", run.receiver(4)),
            ("message 1 pending", run.receivers[0].withMessage1(run.message(1))),
        ]
        for c in machines {
            var machine = c.machine
            let out = machine.start(secret: try Self.secret("b"), question: Array("again?".utf8))
            try #require(out.count == 2, "\(c.name)")
            #expect(out[0] == Self.abortTLV, "\(c.name)")
            #expect(out[1].kind == .smp1Q, "\(c.name)")
            #expect(throws: Never.self, "\(c.name)") { try SMPMessage1(tlv: out[1]).verify() }
            #expect(machine.expectedMessage == .expect2 && !machine.isAwaitingSecret, "\(c.name)")
        }
        // From idle, only message 1.
        var idle = Self.machines(seed: "idle").alice
        let out = idle.start(secret: try Self.secret("b"))
        #expect(out.count == 1 && out.first?.kind == .smp1)

        // The other side, in the middle of the old run, takes the abort and the new message 1.
        var alice = run.receiver(4)
        var bob = run.receiver(3)
        let restart = alice.start(secret: try Self.secret("new"))
        #expect(bob.receive(try Self.wire(restart[0])) == SMPStep(outcome: .aborted))
        #expect(bob.receive(try Self.wire(restart[1])) == SMPStep(outcome: .secretRequested(question: nil)))
        let step2 = alice.receive(try Self.wire(try bob.respond(secret: try Self.secret("new"))))
        let step3 = bob.receive(try Self.wire(step2.reply[0]))
        let step4 = alice.receive(try Self.wire(step3.reply[0]))
        #expect(step3.outcome == .succeeded && step4.outcome == .succeeded)
    }

    @Test("respond without a pending message 1 throws")
    func respondWithoutMessage1Throws() throws {
        let run = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), seed: "respond")
        for (name, machine) in [("fresh", Self.machines(seed: "fresh").bob), ("EXPECT2", run.receiver(2)),
                                ("EXPECT3", run.receiver(3)), ("EXPECT4", run.receiver(4)), ("after the run", run.bob)] {
            var m = machine
            let before = m.expectedMessage
            let error = #expect(throws: OTRError.self, "\(name)") { _ = try m.respond(secret: Self.secret("a")) }
            #expect(error?.code == .invalidArgument, "\(name)")
            #expect(m.expectedMessage == before, "\(name)")
        }
        // Responding twice: the second time there is nothing to answer.
        var bob = run.receivers[0].withMessage1(run.message(1))
        _ = try bob.respond(secret: Self.secret("a"))
        #expect(throws: OTRError.self) { _ = try bob.respond(secret: Self.secret("a")) }
    }

    @Test("reset forgets the exchange without sending anything")
    func resetForgets() throws {
        let staged = try Self.stage(2, seed: "reset")
        var alice = staged.machine
        let message2 = staged.message
        alice.reset()
        #expect(alice.expectedMessage == .expect1)
        #expect(alice.receive(message2).outcome == .unexpectedMessage(.smp2))
    }

    // MARK: Determinism

    @Test("The same seeds give the same TLV bytes; other seeds do not")
    func sameSeedSameBytes() throws {
        let first = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), question: [0x3f], seed: "determinism")
        let second = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), question: [0x3f], seed: "determinism")
        #expect(first.messages.map(\.encoded) == second.messages.map(\.encoded))
        let other = try Self.run(alice: Self.secret("a"), bob: Self.secret("a"), question: [0x3f], seed: "other seed")
        for n in 1...4 {
            #expect(other.message(n).encoded != first.message(n).encoded, "message \(n)")
        }
        // The same machine seed with another secret changes only what the secret enters.
        let otherSecret = try Self.run(alice: Self.secret("a"), bob: Self.secret("b"), question: [0x3f], seed: "determinism")
        #expect(otherSecret.message(1) == first.message(1))
        #expect(otherSecret.message(2) != first.message(2))
    }
}

extension SMPStateMachine {
    /// This machine after receiving `message1` (it then waits for a secret).
    fileprivate func withMessage1(_ message1: TLV) -> SMPStateMachine {
        var copy = self
        let step = copy.receive(message1)
        #expect(step.outcome == .secretRequested(question: nil))
        return copy
    }
}
