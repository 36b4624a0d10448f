/// The group SMP computes in (spec "SMP state machine": the 1536-bit
/// modulus of the AKE, generator g1 = 2, exponents modulo q = (p - 1) / 2)
/// and the range checks a receiver applies before using a value.
public enum SMPGroup {
    public static var modulus: MPI { DHGroup.modulus }
    public static var order: MPI { DHGroup.order }
    /// g1 in the spec's notation.
    public static var g1: MPI { DHGroup.generator }

    /// Random exponents are "1536-bit numbers" (spec, SMP message 2); libotr
    /// draws 192 random bytes for each.
    public static let randomExponentBytes = 192

    /// A fresh random exponent; never zero, so that it can be used with the
    /// constant-time power.
    static func randomExponent(_ random: RandomSource) -> MPI {
        while true {
            let e = MPI(bytes: random.bytes(randomExponentBytes))
            if !e.isZero { return e }
        }
    }

    /// Spec: received group elements must be ">= 2 and <= modulus-2".
    public static func checkGroupElement(_ value: MPI, field: String) throws {
        guard DHGroup.isValidPublicValue(value) else {
            throw OTRError.outOfRange(field, "group element must satisfy 2 <= \(shortName(field)) <= p-2")
        }
    }

    /// An exponent of a proof (D2, D3, D5, D6, D7) is a residue modulo q; a
    /// zero or one of q or more was not made by the protocol, and libotr
    /// rejects it the same way.
    public static func checkExponent(_ value: MPI, field: String) throws {
        guard value >= MPI.one, value < order else {
            throw OTRError.outOfRange(field, "exponent must satisfy 1 <= \(shortName(field)) < q")
        }
    }

    /// `base^exponent mod p` for a secret exponent, in constant time. A zero
    /// exponent (a secret digest of zero, probability 2^-256) cannot go
    /// through GMP's constant-time power; its result is 1.
    static func power(_ base: MPI, secret exponent: MPI) -> MPI {
        exponent.isZero ? MPI.one : base.power(secretExponent: exponent, modulo: modulus)
    }

    /// `base^exponent mod p` for a public exponent.
    static func power(_ base: MPI, _ exponent: MPI) -> MPI {
        base.power(exponent, modulo: modulus)
    }

    static func multiply(_ a: MPI, _ b: MPI) -> MPI {
        (a * b).mod(modulus)
    }

    /// `a / b` in the group: a times the inverse of b modulo p. `b` has
    /// passed the group-element check, so it is invertible (p is prime).
    static func divide(_ a: MPI, _ b: MPI) -> MPI {
        guard let inverse = b.inverse(mod: modulus) else {
            preconditionFailure("a range-checked group element has no inverse")
        }
        return multiply(a, inverse)
    }

    /// The proofs' response `r - x c mod q`, kept non-negative.
    static func response(random r: MPI, secret x: MPI, challenge c: MPI) -> MPI {
        let q = order
        let xc = (x * c).mod(q)
        return (r.mod(q) + q - xc).mod(q)
    }

    /// "SMP Message 2 g2b" -> "g2b", for reasons that name the value.
    private static func shortName(_ field: String) -> String {
        field.split(separator: " ").last.map(String.init) ?? field
    }
}
