/// The three zero-knowledge proofs of SMP (spec "SMP state machine"), each
/// made by one party and checked by the other. All exponents are reduced
/// modulo q; all group operations are modulo p.

/// Proof of knowledge of a discrete logarithm: that the sender knows the
/// exponent a of g1^a. Used for g2a, g3a (message 1) and g2b, g3b
/// (message 2): c = h(v, g1^r), D = r - a c mod q.
public struct DiscreteLogProof: Sendable, Equatable {
    public var c: MPI
    public var D: MPI

    public init(c: MPI, D: MPI) {
        self.c = c
        self.D = D
    }

    /// Proves knowledge of `exponent` with the random exponent `r`.
    static func prove(exponent: MPI, r: MPI, version: SMPHash.Version) -> DiscreteLogProof {
        let c = SMPHash.h(version, SMPGroup.power(SMPGroup.g1, secret: r))
        return DiscreteLogProof(c: c, D: SMPGroup.response(random: r, secret: exponent, challenge: c))
    }

    /// Spec: "Check that c = SHA256(v, g1^D X^c)", X being the value whose
    /// exponent is claimed.
    public func verifies(for value: MPI, version: SMPHash.Version) -> Bool {
        let commitment = SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, D), SMPGroup.power(value, c))
        return SMPHash.h(version, commitment) == c
    }
}

/// Proof that P = g3^r and Q = g1^r g2^x were made with the same r (the
/// "first coordinates" are equal) and a known x: cP = h(v, g3^r5, g1^r5
/// g2^r6), D5 = r5 - r cP, D6 = r6 - x cP. Messages 2 (Pb, Qb) and 3 (Pa, Qa).
public struct CoordinateEqualityProof: Sendable, Equatable {
    public var cP: MPI
    public var D5: MPI
    public var D6: MPI

    public init(cP: MPI, D5: MPI, D6: MPI) {
        self.cP = cP
        self.D5 = D5
        self.D6 = D6
    }

    /// Proves the pair made from `r4` and `secret`, with random r5 and r6.
    static func prove(g2: MPI, g3: MPI, r4: MPI, secret: MPI, r5: MPI, r6: MPI,
                      version: SMPHash.Version) -> CoordinateEqualityProof {
        let first = SMPGroup.power(g3, secret: r5)
        let second = SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, secret: r5), SMPGroup.power(g2, secret: r6))
        let cP = SMPHash.h(version, first, second)
        return CoordinateEqualityProof(cP: cP,
                                       D5: SMPGroup.response(random: r5, secret: r4, challenge: cP),
                                       D6: SMPGroup.response(random: r6, secret: secret, challenge: cP))
    }

    /// Spec: "Check that cP = SHA256(v, g3^D5 P^cP, g1^D5 g2^D6 Q^cP)".
    public func verifies(P: MPI, Q: MPI, g2: MPI, g3: MPI, version: SMPHash.Version) -> Bool {
        let first = SMPGroup.multiply(SMPGroup.power(g3, D5), SMPGroup.power(P, cP))
        let second = SMPGroup.multiply(
            SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, D5), SMPGroup.power(g2, D6)),
            SMPGroup.power(Q, cP))
        return SMPHash.h(version, first, second) == cP
    }
}

/// Proof that R = (Qa/Qb)^x3 uses the same exponent x3 as the sender's
/// g3 half g1^x3 (equality of two discrete logs): cR = h(v, g1^r7,
/// (Qa/Qb)^r7), D7 = r7 - x3 cR. Messages 3 (Ra) and 4 (Rb).
public struct LogEqualityProof: Sendable, Equatable {
    public var cR: MPI
    public var D7: MPI

    public init(cR: MPI, D7: MPI) {
        self.cR = cR
        self.D7 = D7
    }

    /// Proves R = qaOverQb^x3 for the sender's `x3`, with random r7.
    static func prove(qaOverQb: MPI, x3: MPI, r7: MPI, version: SMPHash.Version) -> LogEqualityProof {
        let cR = SMPHash.h(version, SMPGroup.power(SMPGroup.g1, secret: r7), SMPGroup.power(qaOverQb, secret: r7))
        return LogEqualityProof(cR: cR, D7: SMPGroup.response(random: r7, secret: x3, challenge: cR))
    }

    /// Spec: "Check that cR = SHA256(v, g1^D7 g3x^cR, (Qa/Qb)^D7 R^cR)",
    /// g3x being the sender's g3 half (g3a for Ra, g3b for Rb).
    public func verifies(R: MPI, senderG3: MPI, qaOverQb: MPI, version: SMPHash.Version) -> Bool {
        let first = SMPGroup.multiply(SMPGroup.power(SMPGroup.g1, D7), SMPGroup.power(senderG3, cR))
        let second = SMPGroup.multiply(SMPGroup.power(qaOverQb, D7), SMPGroup.power(R, cR))
        return SMPHash.h(version, first, second) == cR
    }
}
