/// SMP message 1 (TLV type 2, or type 7 "1Q" with a question): Alice's
/// halves of the D-H exchanges that pick g2 and g3, with proofs that she
/// knows their exponents. MPIs g2a, c2, D2, g3a, c3, D3.
public struct SMPMessage1: SMPMessage, Equatable {
    public static let kind = TLV.Kind.smp1

    /// The question of a type 7 TLV, without its NUL; nil for type 2.
    public var question: [UInt8]?
    public var g2a: MPI
    public var g2aProof: DiscreteLogProof
    public var g3a: MPI
    public var g3aProof: DiscreteLogProof

    public var c2: MPI { g2aProof.c }
    public var D2: MPI { g2aProof.D }
    public var c3: MPI { g3aProof.c }
    public var D3: MPI { g3aProof.D }

    public init(question: [UInt8]? = nil, g2a: MPI, g2aProof: DiscreteLogProof, g3a: MPI, g3aProof: DiscreteLogProof) {
        self.question = question
        self.g2a = g2a
        self.g2aProof = g2aProof
        self.g3a = g3a
        self.g3aProof = g3aProof
    }

    public init(mpis m: [MPI]) {
        precondition(m.count == 6, "SMP message 1 has 6 MPIs")
        self.init(g2a: m[0], g2aProof: DiscreteLogProof(c: m[1], D: m[2]),
                  g3a: m[3], g3aProof: DiscreteLogProof(c: m[4], D: m[5]))
    }

    /// Message 1 also arrives as type 7, its MPIs after a NUL-terminated question.
    public init(tlv: TLV) throws {
        guard tlv.kind == .smp1 || tlv.kind == .smp1Q else {
            throw OTRError.malformed(Self.name, "TLV type \(tlv.type) is neither 2 nor 7")
        }
        guard case .smp(let question, let mpis) = try tlv.content() else {
            throw OTRError.malformed(Self.name, "not an SMP TLV")
        }
        self.init(mpis: mpis)
        self.question = question
    }

    public var mpis: [MPI] { [g2a, c2, D2, g3a, c3, D3] }

    /// Type 7 when there is a question, else type 2.
    public var tlv: TLV {
        TLV.smp(question == nil ? .smp1 : .smp1Q, question: question, mpis: mpis)
    }

    public func checkRanges() throws {
        try SMPGroup.checkGroupElement(g2a, field: Self.field("g2a"))
        try SMPGroup.checkGroupElement(g3a, field: Self.field("g3a"))
        try SMPGroup.checkExponent(D2, field: Self.field("D2"))
        try SMPGroup.checkExponent(D3, field: Self.field("D3"))
    }

    /// Everything Bob checks on receipt (spec "Receiving a type 2 TLV"):
    /// the ranges, then c2 = h(1, g1^D2 g2a^c2) and c3 = h(2, g1^D3 g3a^c3).
    /// Needs no secret, so any observer can run it.
    public func verify() throws {
        try checkRanges()
        guard g2aProof.verifies(for: g2a, version: .message1G2a) else {
            throw OTRError.checkFailed(Self.field("c2"), "proof of knowledge of log g2a does not verify: c2 != SHA256(1, g1^D2 g2a^c2)")
        }
        guard g3aProof.verifies(for: g3a, version: .message1G3a) else {
            throw OTRError.checkFailed(Self.field("c3"), "proof of knowledge of log g3a does not verify: c3 != SHA256(2, g1^D3 g3a^c3)")
        }
    }
}
