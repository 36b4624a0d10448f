/// SMP message 4 (TLV type 5): Rb = (Qa/Qb)^b3 with a proof that b3 is the
/// exponent of Bob's g3b. MPIs Rb, cR, D7.
public struct SMPMessage4: SMPMessage, Equatable {
    public static let kind = TLV.Kind.smp4

    public var Rb: MPI
    public var RbProof: LogEqualityProof

    public var cR: MPI { RbProof.cR }
    public var D7: MPI { RbProof.D7 }

    public init(Rb: MPI, RbProof: LogEqualityProof) {
        self.Rb = Rb
        self.RbProof = RbProof
    }

    public init(mpis m: [MPI]) {
        precondition(m.count == 3, "SMP message 4 has 3 MPIs")
        self.init(Rb: m[0], RbProof: LogEqualityProof(cR: m[1], D7: m[2]))
    }

    public var mpis: [MPI] { [Rb, cR, D7] }

    public func checkRanges() throws {
        try SMPGroup.checkGroupElement(Rb, field: Self.field("Rb"))
        try SMPGroup.checkExponent(D7, field: Self.field("D7"))
    }

    /// cR = h(8, g1^D7 g3b^cR, (Qa/Qb)^D7 Rb^cR). Public values only: g3b
    /// and Qb from message 2, Qa from message 3.
    public func verifyRbProof(g3b: MPI, Qa: MPI, Qb: MPI) throws {
        try verifyRbProof(g3b: g3b, qaOverQb: SMPGroup.divide(Qa, Qb))
    }

    /// The same check with Qa/Qb already computed (Alice keeps it).
    public func verifyRbProof(g3b: MPI, qaOverQb: MPI) throws {
        guard RbProof.verifies(R: Rb, senderG3: g3b, qaOverQb: qaOverQb, version: .message4Rb) else {
            throw OTRError.checkFailed(Self.field("cR"), "proof that Rb = (Qa/Qb)^b3 does not verify: cR != SHA256(8, g1^D7 g3b^cR, (Qa/Qb)^D7 Rb^cR)")
        }
    }
}
