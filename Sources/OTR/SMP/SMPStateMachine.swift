/// One party's side of the Socialist Millionaires' Protocol (spec "The SMP
/// state machine"), for a conversation in MSGSTATE_ENCRYPTED. It turns
/// user requests and received SMP TLVs into the TLVs to send and an
/// outcome; it does no I/O and takes every random exponent from `random`,
/// so a seeded source replays a run byte for byte.
///
/// Random draws, in order: message 1 a2, a3, r2, r3; message 2 b2, b3, r2,
/// r3, r4, r5, r6; message 3 r4, r5, r6, r7; message 4 r7 (192 bytes each).
public struct SMPStateMachine {
    /// The spec's smpstate.
    public enum ExpectedMessage: Sendable, Equatable {
        case expect1, expect2, expect3, expect4
    }

    private let random: RandomSource
    private var state: SMPState = .initial
    /// The random exponents the last step drew, by their spec names, so a
    /// transcript can record every secret (empty after a step that drew none).
    public private(set) var lastExponents: [SMPExponent] = []

    public init(random: RandomSource) {
        self.random = random
    }

    public var expectedMessage: ExpectedMessage {
        switch state {
        case .expect1: .expect1
        case .expect2: .expect2
        case .expect3: .expect3
        case .expect4: .expect4
        }
    }

    /// A verified message 1 waits for `respond(secret:)`.
    public var isAwaitingSecret: Bool {
        if case .expect1(.some) = state { return true }
        return false
    }

    /// The question of the message 1 that waits for an answer, if it had one.
    public var pendingQuestion: [UInt8]? {
        if case .expect1(let pending?) = state { return pending.question }
        return nil
    }

    // MARK: User actions

    /// Spec "User requests to begin SMP": message 1 (type 7 with a
    /// question). An exchange already under way (or a request waiting for
    /// our answer) is aborted first, so the result is then [abort, message 1].
    public mutating func start(secret: SMPSecret, question: [UInt8]? = nil) -> [TLV] {
        var out: [TLV] = []
        if !isIdle { out.append(Self.abortTLV) }
        let a2 = SMPGroup.randomExponent(random)
        let a3 = SMPGroup.randomExponent(random)
        let r2 = SMPGroup.randomExponent(random)
        let r3 = SMPGroup.randomExponent(random)
        lastExponents = SMPExponent.named(["a2": a2, "a3": a3, "r2": r2, "r3": r3], order: ["a2", "a3", "r2", "r3"])
        let message = SMPMessage1(
            question: question,
            g2a: SMPGroup.power(SMPGroup.g1, secret: a2),
            g2aProof: .prove(exponent: a2, r: r2, version: .message1G2a),
            g3a: SMPGroup.power(SMPGroup.g1, secret: a3),
            g3aProof: .prove(exponent: a3, r: r3, version: .message1G3a))
        state = .expect2(.init(x: secret.value, a2: a2, a3: a3))
        out.append(message.tlv)
        return out
    }

    /// Bob's answer to a message 1 received earlier: message 2 (spec
    /// "Receiving a type 2 TLV", "Create a type 3 TLV"). Throws when no
    /// message 1 waits for an answer.
    public mutating func respond(secret: SMPSecret) throws -> TLV {
        guard case .expect1(let pending?) = state else {
            throw OTRError.invalidArgument("SMP", "no SMP message 1 is waiting for an answer")
        }
        let y = secret.value
        let b2 = SMPGroup.randomExponent(random)
        let b3 = SMPGroup.randomExponent(random)
        let r2 = SMPGroup.randomExponent(random)
        let r3 = SMPGroup.randomExponent(random)
        let r4 = SMPGroup.randomExponent(random)
        let r5 = SMPGroup.randomExponent(random)
        let r6 = SMPGroup.randomExponent(random)
        lastExponents = SMPExponent.named(["b2": b2, "b3": b3, "r2": r2, "r3": r3, "r4": r4, "r5": r5, "r6": r6],
                                          order: ["b2", "b3", "r2", "r3", "r4", "r5", "r6"])
        let g2 = SMPGroup.power(pending.g2a, secret: b2)
        let g3 = SMPGroup.power(pending.g3a, secret: b3)
        let Pb = SMPGroup.power(g3, secret: r4)
        let Qb = SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, secret: r4), SMPGroup.power(g2, secret: y))
        let message = SMPMessage2(
            g2b: SMPGroup.power(SMPGroup.g1, secret: b2),
            g2bProof: .prove(exponent: b2, r: r2, version: .message2G2b),
            g3b: SMPGroup.power(SMPGroup.g1, secret: b3),
            g3bProof: .prove(exponent: b3, r: r3, version: .message2G3b),
            Pb: Pb, Qb: Qb,
            PbQbProof: .prove(g2: g2, g3: g3, r4: r4, secret: y, r5: r5, r6: r6, version: .message2PbQb))
        state = .expect3(.init(g3a: pending.g3a, g2: g2, g3: g3, b3: b3, Pb: Pb, Qb: Qb))
        return message.tlv
    }

    /// Spec "User requests to abort SMP": in all cases an abort TLV, and
    /// back to SMPSTATE_EXPECT1.
    public mutating func abort() -> TLV {
        state = .initial
        return Self.abortTLV
    }

    /// Spec "If at any point MSGSTATE_ENCRYPTED becomes unset, SMP must
    /// abandon its state": forget everything without sending.
    public mutating func reset() {
        state = .initial
    }

    // MARK: Received TLVs

    /// Handles one received TLV. Types other than 2-7 are ignored.
    public mutating func receive(_ tlv: TLV) -> SMPStep {
        lastExponents = []
        guard let kind = tlv.kind else { return SMPStep(outcome: .ignored) }
        do {
            switch kind {
            case .smp1, .smp1Q:
                guard case .expect1 = state else { return unexpected(kind) }
                let message = try SMPMessage1(tlv: tlv)
                try message.verify()
                state = .expect1(pendingMessage1: message)
                return SMPStep(outcome: .secretRequested(question: message.question))
            case .smp2:
                guard case .expect2(let alice) = state else { return unexpected(kind) }
                return try receiveMessage2(try SMPMessage2(tlv: tlv), alice)
            case .smp3:
                guard case .expect3(let bob) = state else { return unexpected(kind) }
                return try receiveMessage3(try SMPMessage3(tlv: tlv), bob)
            case .smp4:
                guard case .expect4(let alice) = state else { return unexpected(kind) }
                return try receiveMessage4(try SMPMessage4(tlv: tlv), alice)
            case .smpAbort:
                state = .initial
                return SMPStep(outcome: .aborted)
            case .padding, .disconnected, .extraSymmetricKey:
                return SMPStep(outcome: .ignored)
            }
        } catch let error as OTRError {
            // libotr answers a message that fails a check with an abort
            // and starts over; the spec leaves it open.
            state = .initial
            return SMPStep(reply: [Self.abortTLV], outcome: .cheatingDetected(error))
        } catch {
            preconditionFailure("SMP checks throw OTRError only: \(error)")
        }
    }

    /// Spec "Receiving a type 3 TLV": verify, then message 3.
    private mutating func receiveMessage2(_ message: SMPMessage2, _ alice: SMPState.AliceAwaitingMessage2) throws -> SMPStep {
        try message.verifyDiscreteLogProofs()
        let g2 = SMPGroup.power(message.g2b, secret: alice.a2)
        let g3 = SMPGroup.power(message.g3b, secret: alice.a3)
        try message.verifyPbQbProof(g2: g2, g3: g3)

        let r4 = SMPGroup.randomExponent(random)
        let r5 = SMPGroup.randomExponent(random)
        let r6 = SMPGroup.randomExponent(random)
        let r7 = SMPGroup.randomExponent(random)
        lastExponents = SMPExponent.named(["r4": r4, "r5": r5, "r6": r6, "r7": r7], order: ["r4", "r5", "r6", "r7"])
        let Pa = SMPGroup.power(g3, secret: r4)
        let Qa = SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, secret: r4), SMPGroup.power(g2, secret: alice.x))
        let QaOverQb = SMPGroup.divide(Qa, message.Qb)
        let Ra = SMPGroup.power(QaOverQb, secret: alice.a3)
        let reply = SMPMessage3(
            Pa: Pa, Qa: Qa,
            PaQaProof: .prove(g2: g2, g3: g3, r4: r4, secret: alice.x, r5: r5, r6: r6, version: .message3PaQa),
            Ra: Ra,
            RaProof: .prove(qaOverQb: QaOverQb, x3: alice.a3, r7: r7, version: .message3Ra))
        state = .expect4(.init(g3b: message.g3b, PaOverPb: SMPGroup.divide(Pa, message.Pb), QaOverQb: QaOverQb, a3: alice.a3))
        return SMPStep(reply: [reply.tlv], outcome: .inProgress)
    }

    /// Spec "Receiving a type 4 TLV": verify, message 4, then compare.
    private mutating func receiveMessage3(_ message: SMPMessage3, _ bob: SMPState.BobAwaitingMessage3) throws -> SMPStep {
        try message.checkRanges()
        try message.verifyPaQaProof(g2: bob.g2, g3: bob.g3)
        try message.verifyRaProof(g3a: bob.g3a, Qb: bob.Qb)

        let r7 = SMPGroup.randomExponent(random)
        lastExponents = [SMPExponent(name: "r7", value: r7)]
        let QaOverQb = SMPGroup.divide(message.Qa, bob.Qb)
        let reply = SMPMessage4(
            Rb: SMPGroup.power(QaOverQb, secret: bob.b3),
            RbProof: .prove(qaOverQb: QaOverQb, x3: bob.b3, r7: r7, version: .message4Rb))
        let Rab = SMPGroup.power(message.Ra, secret: bob.b3)
        let equal = Self.sameElement(Rab, SMPGroup.divide(message.Pa, bob.Pb))
        state = .initial
        return SMPStep(reply: [reply.tlv], outcome: equal ? .succeeded : .failed)
    }

    /// Spec "Receiving a type 5 TLV": verify, then compare.
    private mutating func receiveMessage4(_ message: SMPMessage4, _ alice: SMPState.AliceAwaitingMessage4) throws -> SMPStep {
        try message.checkRanges()
        try message.verifyRbProof(g3b: alice.g3b, qaOverQb: alice.QaOverQb)
        let Rab = SMPGroup.power(message.Rb, secret: alice.a3)
        let equal = Self.sameElement(Rab, alice.PaOverPb)
        state = .initial
        return SMPStep(outcome: equal ? .succeeded : .failed)
    }

    /// Spec: "If smpstate is not SMPSTATE_EXPECTn: Set smpstate to
    /// SMPSTATE_EXPECT1 and send a type 6 TLV (SMP abort)".
    private mutating func unexpected(_ kind: TLV.Kind) -> SMPStep {
        state = .initial
        return SMPStep(reply: [Self.abortTLV], outcome: .unexpectedMessage(kind))
    }

    private var isIdle: Bool {
        if case .expect1(nil) = state { return true }
        return false
    }

    /// (Pa/Pb) = Rab compared over the full 192 bytes without an early exit.
    static func sameElement(_ a: MPI, _ b: MPI) -> Bool {
        let length = SMPGroup.randomExponentBytes
        guard let x = try? a.bytes(paddedTo: length), let y = try? b.bytes(paddedTo: length) else { return false }
        return ConstantTime.equals(x, y)
    }

    static let abortTLV = TLV(type: TLV.Kind.smpAbort.rawValue)
}

/// What one received TLV led to: the TLVs to send (at most one message,
/// or an abort) and what the user should learn.
public struct SMPStep: Sendable, Equatable {
    public var reply: [TLV]
    public var outcome: SMPOutcome

    public init(reply: [TLV] = [], outcome: SMPOutcome) {
        self.reply = reply
        self.outcome = outcome
    }
}

public enum SMPOutcome: Sendable, Equatable {
    /// Not an SMP TLV (padding, disconnect, extra symmetric key, unknown).
    case ignored
    /// A valid message 1 arrived: ask the user for the secret (and show the
    /// question of a type 7 TLV), then call `respond(secret:)`.
    case secretRequested(question: [UInt8]?)
    /// The next message was sent; more are expected.
    case inProgress
    /// The secrets are equal.
    case succeeded
    /// The secrets differ.
    case failed
    /// The other party aborted (type 6 TLV).
    case aborted
    /// A received value failed a check (count, range or proof), named by
    /// the error; an abort was sent and the state is back to EXPECT1.
    case cheatingDetected(OTRError)
    /// A message the state did not expect; an abort was sent (spec).
    case unexpectedMessage(TLV.Kind)
}

/// One random exponent of an SMP step, named as in the spec.
public struct SMPExponent: Sendable, Equatable {
    public var name: String
    public var value: MPI

    static func named(_ values: [String: MPI], order: [String]) -> [SMPExponent] {
        order.compactMap { name in values[name].map { SMPExponent(name: name, value: $0) } }
    }
}
