import OTR

/// One zero-knowledge proof of an SMP message (spec "SMP state machine")
/// as an observer of the capture can check it: from the public values of
/// that message and of the earlier messages of the same exchange.
public struct SMPProofCheck: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        case verifies
        /// The proof does not verify: the receiver would detect cheating
        /// and abort.
        case fails(String)
        /// The proof cannot be checked from the capture: it needs a value
        /// only the parties know, or an earlier message the capture lacks.
        case unverifiable(String)

        public var name: String {
            switch self {
            case .verifies: "verifies"
            case .fails: "fails"
            case .unverifiable: "unverifiable"
            }
        }

        public var reason: String? {
            switch self {
            case .verifies: nil
            case .fails(let reason), .unverifiable(let reason): reason
            }
        }
    }

    /// The proof's values, as the spec names them: "c2/D2".
    public let proof: String
    /// What it proves, in the spec's words.
    public let claim: String
    public let result: Result

    public init(proof: String, claim: String, result: Result) {
        self.proof = proof
        self.claim = claim
        self.result = result
    }
}

/// What an observer learns of one SMP TLV of a capture: its proofs
/// checked, and where it stands in its exchange when it breaks the order
/// of the spec's state machine (or stands where another message is due).
public struct SMPMessageCheck: Sendable, Equatable {
    public var proofs: [SMPProofCheck]
    public var step: String?
    /// Whether the secrets agree (Pa/Pb = Rab), on the message that
    /// decides it, when a party's third exponent (a3 or b3) was given.
    public var secretsAgree: Bool?
    /// On SMP message 1, with both parties' secrets given: whether they
    /// agree, that is, what the exchange should come to.
    public var expectedAgreement: Bool?
    /// Where the exchange went against the secrets given: an outcome, or
    /// an abort in place of message 4, that equal (or different) secrets
    /// cannot give when both parties follow the spec.
    public var deviation: String?

    public init(proofs: [SMPProofCheck] = [], step: String? = nil, secretsAgree: Bool? = nil) {
        self.proofs = proofs
        self.step = step
        self.secretsAgree = secretsAgree
    }

    public var isEmpty: Bool {
        proofs.isEmpty && step == nil && secretsAgree == nil && expectedAgreement == nil && deviation == nil
    }

    public static func expectationText(_ agree: Bool) -> String {
        agree ? "the secrets given agree: the exchange should succeed" : "the secrets given differ: the exchange should fail"
    }

    /// "SMP Message 2 (TLV 1)": how reports name the SMP TLV at `index`
    /// of a plaintext's TLVs.
    public static func label(_ tlvs: [TLV]?, at index: Int) -> String {
        let name = tlvs.flatMap { index < $0.count ? $0[index].kind?.name : nil } ?? "SMP"
        return "\(name) (TLV \(index + 1))"
    }

    /// How the outcome reads in reports.
    public static func outcomeText(_ agree: Bool) -> String {
        agree ? "the secrets agree: Pa/Pb = Rab with the SMP exponents given, so the exchange succeeds"
            : "the secrets differ: Pa/Pb != Rab with the SMP exponents given, so the exchange fails"
    }
}

/// Follows the SMP exchanges of a capture, message by message, keeping of
/// each exchange the public values later proofs are checked with: g3a
/// (message 1), g3b and Qb (message 2), Qa (message 3). An exchange is a
/// pair of instance tags (version 2: one exchange); at most
/// `maximumExchanges` are kept, the oldest forgotten first.
///
/// Given secret SMP exponents of a party (`--smp-exponent`: a2, a3 or
/// b2, b3, told apart by the public halves g1^e the messages carry), it
/// also computes g2 and g3 (`SMPExponents`), checks the proofs cP/D5/D6
/// of messages 2 and 3 with them, and decides the outcome: with b3 at
/// message 3, with a3 at message 4.
public struct SMPTranscriptCheck {
    public static let maximumExchanges = 1024

    public struct Exchange: Hashable, Sendable {
        let low: UInt32, high: UInt32

        /// Both directions of a conversation are one exchange.
        public init(_ a: InstanceTag?, _ b: InstanceTag?) {
            let x = a?.rawValue ?? 0, y = b?.rawValue ?? 0
            (low, high) = (min(x, y), max(x, y))
        }
    }

    private struct Values {
        var g2a: MPI?
        var g3a: MPI?
        var g3b: MPI?
        var Qb: MPI?
        var Qa: MPI?
        var Pb: MPI?
        var Pa: MPI?
        /// g2 and g3, when an exponent given made one of their halves.
        var g2: MPI?
        var g3: MPI?
        /// The message the spec's state machine expects next (2-4).
        var next = 2
    }

    private var values = BoundedTable<Exchange, Values>(limit: maximumExchanges)
    /// Why equal secrets given can end otherwise (spec "SMP state machine").
    private static let notAsTheSpecSays = "did not derive x or y as the spec says (SHA-256 of 1, the initiator's and the responder's fingerprints, the ssid and the secret) or did not answer with the secret given"
    /// The exponents given, each with its public half g1^e.
    private let exponents: [(exponent: MPI, half: MPI)]

    /// Whether both parties' secrets, when given, are the same.
    private let expected: Bool?

    public init(exponents: [MPI] = [], secretsAgree expected: Bool? = nil) {
        self.exponents = exponents.map { ($0, SMPExponents.publicHalf(of: $0)) }
        self.expected = expected
    }

    /// The exponent given whose public half is `half`.
    private func exponent(making half: MPI?) -> MPI? {
        guard let half else { return nil }
        return exponents.first { $0.half == half }?.exponent
    }

    /// g2 (or g3) from the two halves, when an exponent of either is given.
    private func shared(_ aliceHalf: MPI?, _ bobHalf: MPI) -> MPI? {
        if let e = exponent(making: aliceHalf) { return SMPExponents.sharedGenerator(bobHalf, exponent: e) }
        if let e = exponent(making: bobHalf), let aliceHalf { return SMPExponents.sharedGenerator(aliceHalf, exponent: e) }
        return nil
    }

    /// The proofs of `tlv` checked, in the order of its MPIs (none for a
    /// TLV that is no SMP message or does not parse: its problem is the
    /// TLV's), and its step when it is out of the spec's order. An SMP
    /// abort ends the exchange.
    public mutating func check(_ tlv: TLV, in exchange: Exchange) -> SMPMessageCheck {
        let number: Int? = switch tlv.kind {
        case .smp1, .smp1Q: 1
        case .smp2: 2
        case .smp3: 3
        case .smp4: 4
        default: nil
        }
        var step: String? = nil
        if let due = values[exchange]?.next {
            if tlv.kind == .smpAbort {
                step = due == 4
                    ? "SMP aborted where SMP message 4 is due: the responder ended the exchange after message 3 instead of answering it (the spec sends message 4 whatever the comparison gives; python-potr aborts when the secrets differ)"
                    : "SMP aborted where SMP message \(due) is due"
            } else if let number, number != due, number != 1 {
                step = "SMP message \(number) where SMP message \(due) is due: a receiver following the spec aborts (spec \"SMP state machine\")"
            } else if number == 1 {
                step = "SMP message 1 where SMP message \(due) is due: by the spec the receiver aborts the exchange under way (both parties started SMP at once, or one restarted it)"
            }
        } else if let number, number > 1 {
            step = "SMP message \(number) with no earlier message of its exchange in the capture"
        }
        var result = SMPMessageCheck(step: step)
        if tlv.kind == .smpAbort, values[exchange]?.next == 4, expected == true {
            result.deviation = "the responder aborted after SMP message 3 although the secrets given agree: with equal secrets its comparison cannot fail, so it \(Self.notAsTheSpecSays)"
        }
        proofs(tlv, in: exchange, into: &result)
        if number == 1 { result.expectedAgreement = expected }
        if let expected, let agree = result.secretsAgree, agree != expected {
            result.deviation = expected
                ? "the secrets given agree, yet Pa/Pb != Rab: a party \(Self.notAsTheSpecSays)"
                : "the secrets given differ, yet Pa/Pb = Rab: the parties answered with the same secret, not with the ones given"
        }
        if tlv.kind == .smpAbort { values[exchange] = nil }
        return result
    }

    private mutating func proofs(_ tlv: TLV, in exchange: Exchange, into result: inout SMPMessageCheck) {
        switch tlv.kind {
        case .smp1, .smp1Q:
            guard let m = try? SMPMessage1(tlv: tlv), (try? m.checkRanges()) != nil else { return }
            update(exchange) { $0 = Values(g2a: m.g2a, g3a: m.g3a, next: 2) }
            result.proofs = [Self.discreteLog("c2", "D2", of: "g2a", m.g2aProof, for: m.g2a, version: .message1G2a),
                             Self.discreteLog("c3", "D3", of: "g3a", m.g3aProof, for: m.g3a, version: .message1G3a)]
        case .smp2:
            guard let m = try? SMPMessage2(tlv: tlv), (try? m.checkRanges()) != nil else { return }
            let known = values[exchange]
            let (g2, g3) = (shared(known?.g2a, m.g2b), shared(known?.g3a, m.g3b))
            update(exchange) { $0.g3b = m.g3b; $0.Qb = m.Qb; $0.Pb = m.Pb; $0.Qa = nil; $0.g2 = g2; $0.g3 = g3; $0.next = 3 }
            result.proofs = [Self.discreteLog("c2", "D2", of: "g2b", m.g2bProof, for: m.g2b, version: .message2G2b),
                             Self.discreteLog("c3", "D3", of: "g3b", m.g3bProof, for: m.g3b, version: .message2G3b),
                             Self.sharedGenerators("cP/D5/D6", of: "Pb and Qb", g2: g2, g3: g3) { try m.verifyPbQbProof(g2: $0, g3: $1) }]
        case .smp3:
            guard let m = try? SMPMessage3(tlv: tlv), (try? m.checkRanges()) != nil else { return }
            let known = values[exchange]
            update(exchange) { $0.Qa = m.Qa; $0.Pa = m.Pa; $0.next = 4 }
            let ra: SMPProofCheck.Result
            if let g3a = known?.g3a, let Qb = known?.Qb {
                ra = Self.result { try m.verifyRaProof(g3a: g3a, Qb: Qb) }
            } else {
                ra = .unverifiable("needs g3a of SMP message 1 and Qb of SMP message 2, which the capture does not hold for this conversation")
            }
            result.proofs = [Self.sharedGenerators("cP/D5/D6", of: "Pa and Qa", g2: known?.g2, g3: known?.g3) { try m.verifyPaQaProof(g2: $0, g3: $1) },
                             SMPProofCheck(proof: "cR/D7", claim: "Ra = (Qa/Qb)^a3, a3 the exponent of g3a", result: ra)]
            // Bob's side of the comparison: Rab = Ra^b3.
            if let Pb = known?.Pb, let b3 = exponent(making: known?.g3b) {
                result.secretsAgree = SMPExponents.secretsAgree(Pa: m.Pa, Pb: Pb, R: m.Ra, exponent3: b3)
            }
        case .smp4:
            guard let m = try? SMPMessage4(tlv: tlv), (try? m.checkRanges()) != nil else { return }
            let known = values[exchange]
            let rb: SMPProofCheck.Result
            if let g3b = known?.g3b, let Qb = known?.Qb, let Qa = known?.Qa {
                rb = Self.result { try m.verifyRbProof(g3b: g3b, Qa: Qa, Qb: Qb) }
            } else {
                rb = .unverifiable("needs g3b and Qb of SMP message 2 and Qa of SMP message 3, which the capture does not hold for this conversation")
            }
            result.proofs = [SMPProofCheck(proof: "cR/D7", claim: "Rb = (Qa/Qb)^b3, b3 the exponent of g3b", result: rb)]
            // Alice's side of the comparison: Rab = Rb^a3 (decided here
            // only when Bob's exponents did not decide it at message 3).
            if let Pa = known?.Pa, let Pb = known?.Pb, exponent(making: known?.g3b) == nil,
               let a3 = exponent(making: known?.g3a) {
                result.secretsAgree = SMPExponents.secretsAgree(Pa: Pa, Pb: Pb, R: m.Rb, exponent3: a3)
            }
            values[exchange] = nil  // the exchange is complete
        default:
            return
        }
    }

    /// c = SHA256(v, g1^D X^c), v the hash version (spec: "Check that c2 = SHA256(1,
    /// g1^D2 g2a^c2)" and its kin).
    private static func discreteLog(_ c: String, _ d: String, of value: String, _ p: DiscreteLogProof, for x: MPI,
                                    version: SMPHash.Version) -> SMPProofCheck {
        SMPProofCheck(proof: "\(c)/\(d)", claim: "knowledge of log \(value)",
                      result: p.verifies(for: x, version: version) ? .verifies : .fails("\(c) != SHA256(\(version.rawValue), g1^\(d) \(value)^\(c))"))
    }

    /// The proofs that P and Q were made alike (cP, D5, D6) are checked
    /// with g2 = g^(a2 b2) and g3 = g^(a3 b3): Diffie-Hellman values of
    /// the parties' secret exponents, which no observer can compute
    /// without one party's exponents.
    private static func sharedGenerators(_ proof: String, of values: String, g2: MPI?, g3: MPI?,
                                         _ verify: (MPI, MPI) throws -> Void) -> SMPProofCheck {
        let claim = "\(values) were made with the same exponent and a known secret"
        guard let g2, let g3 else {
            return SMPProofCheck(proof: proof, claim: claim,
                                 result: .unverifiable("needs g2 and g3, Diffie-Hellman values of the parties' secret SMP exponents"))
        }
        return SMPProofCheck(proof: proof, claim: claim, result: result { try verify(g2, g3) })
    }

    private static func result(_ check: () throws -> Void) -> SMPProofCheck.Result {
        do {
            try check()
            return .verifies
        } catch let error as OTRError {
            return .fails(error.reason)
        } catch {
            return .fails("\(error)")
        }
    }

    private mutating func update(_ exchange: Exchange, _ change: (inout Values) -> Void) {
        var kept = values[exchange] ?? Values()
        change(&kept)
        values[exchange] = kept
    }
}
