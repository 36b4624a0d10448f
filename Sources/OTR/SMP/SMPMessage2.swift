/// SMP message 2 (TLV type 3): Bob's halves g2b and g3b with their proofs,
/// and his half (Pb, Qb) of the final comparison with a proof that it was
/// made by the protocol. MPIs g2b, c2, D2, g3b, c3, D3, Pb, Qb, cP, D5, D6.
public struct SMPMessage2: SMPMessage, Equatable {
    public static let kind = TLV.Kind.smp2

    public var g2b: MPI
    public var g2bProof: DiscreteLogProof
    public var g3b: MPI
    public var g3bProof: DiscreteLogProof
    public var Pb: MPI
    public var Qb: MPI
    public var PbQbProof: CoordinateEqualityProof

    public var c2: MPI { g2bProof.c }
    public var D2: MPI { g2bProof.D }
    public var c3: MPI { g3bProof.c }
    public var D3: MPI { g3bProof.D }
    public var cP: MPI { PbQbProof.cP }
    public var D5: MPI { PbQbProof.D5 }
    public var D6: MPI { PbQbProof.D6 }

    public init(g2b: MPI, g2bProof: DiscreteLogProof, g3b: MPI, g3bProof: DiscreteLogProof,
                Pb: MPI, Qb: MPI, PbQbProof: CoordinateEqualityProof) {
        self.g2b = g2b
        self.g2bProof = g2bProof
        self.g3b = g3b
        self.g3bProof = g3bProof
        self.Pb = Pb
        self.Qb = Qb
        self.PbQbProof = PbQbProof
    }

    public init(mpis m: [MPI]) {
        precondition(m.count == 11, "SMP message 2 has 11 MPIs")
        self.init(g2b: m[0], g2bProof: DiscreteLogProof(c: m[1], D: m[2]),
                  g3b: m[3], g3bProof: DiscreteLogProof(c: m[4], D: m[5]),
                  Pb: m[6], Qb: m[7], PbQbProof: CoordinateEqualityProof(cP: m[8], D5: m[9], D6: m[10]))
    }

    public var mpis: [MPI] { [g2b, c2, D2, g3b, c3, D3, Pb, Qb, cP, D5, D6] }

    public func checkRanges() throws {
        try SMPGroup.checkGroupElement(g2b, field: Self.field("g2b"))
        try SMPGroup.checkGroupElement(g3b, field: Self.field("g3b"))
        try SMPGroup.checkGroupElement(Pb, field: Self.field("Pb"))
        try SMPGroup.checkGroupElement(Qb, field: Self.field("Qb"))
        try SMPGroup.checkExponent(D2, field: Self.field("D2"))
        try SMPGroup.checkExponent(D3, field: Self.field("D3"))
        try SMPGroup.checkExponent(D5, field: Self.field("D5"))
        try SMPGroup.checkExponent(D6, field: Self.field("D6"))
    }

    /// The checks that need no secret: the ranges, c2 = h(3, g1^D2 g2b^c2)
    /// and c3 = h(4, g1^D3 g3b^c3).
    public func verifyDiscreteLogProofs() throws {
        try checkRanges()
        guard g2bProof.verifies(for: g2b, version: .message2G2b) else {
            throw OTRError.checkFailed(Self.field("c2"), "proof of knowledge of log g2b does not verify: c2 != SHA256(3, g1^D2 g2b^c2)")
        }
        guard g3bProof.verifies(for: g3b, version: .message2G3b) else {
            throw OTRError.checkFailed(Self.field("c3"), "proof of knowledge of log g3b does not verify: c3 != SHA256(4, g1^D3 g3b^c3)")
        }
    }

    /// cP = h(5, g3^D5 Pb^cP, g1^D5 g2^D6 Qb^cP), with the shared
    /// generators g2 and g3 that only Alice and Bob know.
    public func verifyPbQbProof(g2: MPI, g3: MPI) throws {
        guard PbQbProof.verifies(P: Pb, Q: Qb, g2: g2, g3: g3, version: .message2PbQb) else {
            throw OTRError.checkFailed(Self.field("cP"), "proof that Pb and Qb follow the protocol does not verify: cP != SHA256(5, g3^D5 Pb^cP, g1^D5 g2^D6 Qb^cP)")
        }
    }
}
