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

    public init(proofs: [SMPProofCheck] = [], step: String? = nil) {
        self.proofs = proofs
        self.step = step
    }

    public var isEmpty: Bool { proofs.isEmpty && step == nil }
}

/// Follows the SMP exchanges of a capture, message by message, keeping of
/// each exchange the public values later proofs are checked with: g3a
/// (message 1), g3b and Qb (message 2), Qa (message 3). An exchange is a
/// pair of instance tags (version 2: one exchange); at most
/// `maximumExchanges` are kept, the oldest forgotten first.
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
        var g3a: MPI?
        var g3b: MPI?
        var Qb: MPI?
        var Qa: MPI?
        /// The message the spec's state machine expects next (2-4).
        var next = 2
    }

    private var values = BoundedTable<Exchange, Values>(limit: maximumExchanges)

    public init() {}

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
        let result = SMPMessageCheck(proofs: proofs(tlv, in: exchange), step: step)
        if tlv.kind == .smpAbort { values[exchange] = nil }
        return result
    }

    private mutating func proofs(_ tlv: TLV, in exchange: Exchange) -> [SMPProofCheck] {
        switch tlv.kind {
        case .smp1, .smp1Q:
            guard let m = try? SMPMessage1(tlv: tlv), (try? m.checkRanges()) != nil else { return [] }
            update(exchange) { $0 = Values(g3a: m.g3a, next: 2) }
            return [Self.discreteLog("c2", "D2", of: "g2a", m.g2aProof, for: m.g2a, version: .message1G2a),
                    Self.discreteLog("c3", "D3", of: "g3a", m.g3aProof, for: m.g3a, version: .message1G3a)]
        case .smp2:
            guard let m = try? SMPMessage2(tlv: tlv), (try? m.checkRanges()) != nil else { return [] }
            update(exchange) { $0.g3b = m.g3b; $0.Qb = m.Qb; $0.Qa = nil; $0.next = 3 }
            return [Self.discreteLog("c2", "D2", of: "g2b", m.g2bProof, for: m.g2b, version: .message2G2b),
                    Self.discreteLog("c3", "D3", of: "g3b", m.g3bProof, for: m.g3b, version: .message2G3b),
                    Self.sharedGenerators("cP/D5/D6", of: "Pb and Qb")]
        case .smp3:
            guard let m = try? SMPMessage3(tlv: tlv), (try? m.checkRanges()) != nil else { return [] }
            let known = values[exchange]
            update(exchange) { $0.Qa = m.Qa; $0.next = 4 }
            let ra: SMPProofCheck.Result
            if let g3a = known?.g3a, let Qb = known?.Qb {
                ra = Self.result { try m.verifyRaProof(g3a: g3a, Qb: Qb) }
            } else {
                ra = .unverifiable("needs g3a of SMP message 1 and Qb of SMP message 2, which the capture does not hold for this conversation")
            }
            return [Self.sharedGenerators("cP/D5/D6", of: "Pa and Qa"),
                    SMPProofCheck(proof: "cR/D7", claim: "Ra = (Qa/Qb)^a3, a3 the exponent of g3a", result: ra)]
        case .smp4:
            guard let m = try? SMPMessage4(tlv: tlv), (try? m.checkRanges()) != nil else { return [] }
            let known = values[exchange]
            let rb: SMPProofCheck.Result
            if let g3b = known?.g3b, let Qb = known?.Qb, let Qa = known?.Qa {
                rb = Self.result { try m.verifyRbProof(g3b: g3b, Qa: Qa, Qb: Qb) }
            } else {
                rb = .unverifiable("needs g3b and Qb of SMP message 2 and Qa of SMP message 3, which the capture does not hold for this conversation")
            }
            values[exchange] = nil  // the exchange is complete
            return [SMPProofCheck(proof: "cR/D7", claim: "Rb = (Qa/Qb)^b3, b3 the exponent of g3b", result: rb)]
        default:
            return []
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
    /// the parties' secret exponents, which no observer can compute.
    private static func sharedGenerators(_ proof: String, of values: String) -> SMPProofCheck {
        SMPProofCheck(proof: proof, claim: "\(values) were made with the same exponent and a known secret",
                      result: .unverifiable("needs g2 and g3, Diffie-Hellman values of the parties' secret SMP exponents"))
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
