/// SMP message 3 (TLV type 4): Alice's half (Pa, Qa) of the comparison
/// with its proof, and Ra = (Qa/Qb)^a3 with a proof that a3 is the exponent
/// of her g3a. MPIs Pa, Qa, cP, D5, D6, Ra, cR, D7.
public struct SMPMessage3: SMPMessage, Equatable {
    public static let kind = TLV.Kind.smp3

    public var Pa: MPI
    public var Qa: MPI
    public var PaQaProof: CoordinateEqualityProof
    public var Ra: MPI
    public var RaProof: LogEqualityProof

    public var cP: MPI { PaQaProof.cP }
    public var D5: MPI { PaQaProof.D5 }
    public var D6: MPI { PaQaProof.D6 }
    public var cR: MPI { RaProof.cR }
    public var D7: MPI { RaProof.D7 }

    public init(Pa: MPI, Qa: MPI, PaQaProof: CoordinateEqualityProof, Ra: MPI, RaProof: LogEqualityProof) {
        self.Pa = Pa
        self.Qa = Qa
        self.PaQaProof = PaQaProof
        self.Ra = Ra
        self.RaProof = RaProof
    }

    public init(mpis m: [MPI]) {
        precondition(m.count == 8, "SMP message 3 has 8 MPIs")
        self.init(Pa: m[0], Qa: m[1], PaQaProof: CoordinateEqualityProof(cP: m[2], D5: m[3], D6: m[4]),
                  Ra: m[5], RaProof: LogEqualityProof(cR: m[6], D7: m[7]))
    }

    public var mpis: [MPI] { [Pa, Qa, cP, D5, D6, Ra, cR, D7] }

    public func checkRanges() throws {
        try SMPGroup.checkGroupElement(Pa, field: Self.field("Pa"))
        try SMPGroup.checkGroupElement(Qa, field: Self.field("Qa"))
        try SMPGroup.checkGroupElement(Ra, field: Self.field("Ra"))
        try SMPGroup.checkExponent(D5, field: Self.field("D5"))
        try SMPGroup.checkExponent(D6, field: Self.field("D6"))
        try SMPGroup.checkExponent(D7, field: Self.field("D7"))
    }

    /// cP = h(6, g3^D5 Pa^cP, g1^D5 g2^D6 Qa^cP), with the shared g2, g3.
    public func verifyPaQaProof(g2: MPI, g3: MPI) throws {
        guard PaQaProof.verifies(P: Pa, Q: Qa, g2: g2, g3: g3, version: .message3PaQa) else {
            throw OTRError.checkFailed(Self.field("cP"), "proof that Pa and Qa follow the protocol does not verify: cP != SHA256(6, g3^D5 Pa^cP, g1^D5 g2^D6 Qa^cP)")
        }
    }

    /// cR = h(7, g1^D7 g3a^cR, (Qa/Qb)^D7 Ra^cR). Public values only: g3a
    /// from message 1, Qb from message 2.
    public func verifyRaProof(g3a: MPI, Qb: MPI) throws {
        let qaOverQb = SMPGroup.divide(Qa, Qb)
        guard RaProof.verifies(R: Ra, senderG3: g3a, qaOverQb: qaOverQb, version: .message3Ra) else {
            throw OTRError.checkFailed(Self.field("cR"), "proof that Ra = (Qa/Qb)^a3 does not verify: cR != SHA256(7, g1^D7 g3a^cR, (Qa/Qb)^D7 Ra^cR)")
        }
    }
}
