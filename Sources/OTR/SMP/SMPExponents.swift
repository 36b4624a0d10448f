/// What the holder of one party's secret SMP exponents can check of an
/// exchange it only watched (spec "SMP state machine"): whose exponent a
/// value is (g2a = g1^a2, g3a = g1^a3, g2b = g1^b2, g3b = g1^b3), the
/// generators g2 = g2b^a2 = g2a^b2 and g3 = g3b^a3 = g3a^b3 that the
/// proofs of P and Q need, and the final comparison: the secrets agree
/// exactly when Pa/Pb = Rab, Rab = Rb^a3 (Alice's side) = Ra^b3 (Bob's).
public enum SMPExponents {
    /// g1^e: the public half exponent `e` makes.
    public static func publicHalf(of exponent: MPI) -> MPI {
        SMPGroup.power(SMPGroup.g1, secret: exponent)
    }

    /// The other party's half raised to our exponent: g2 or g3.
    public static func sharedGenerator(_ otherHalf: MPI, exponent: MPI) -> MPI {
        SMPGroup.power(otherHalf, secret: exponent)
    }

    /// Pa/Pb = R^e, with R = Rb and e = a3, or R = Ra and e = b3: whether
    /// the two secrets were the same. Compared as the parties compare it,
    /// over the full width, without an early exit.
    public static func secretsAgree(Pa: MPI, Pb: MPI, R: MPI, exponent3: MPI) -> Bool {
        SMPStateMachine.sameElement(SMPGroup.power(R, secret: exponent3), SMPGroup.divide(Pa, Pb))
    }
}
