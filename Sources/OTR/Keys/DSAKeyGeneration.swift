internal import CGMP

extension DSAPrivateKey {
    /// A new 1024/160 long-term key from `random`.
    ///
    /// The system source goes to libgcrypt (`generate()`). libgcrypt cannot
    /// be seeded, so for a deterministic source (test vectors) the domain
    /// parameters are generated here by FIPS 186-4 appendix A.1.1.2 with
    /// SHA-1 (L = 1024, N = 160, seedlen = 160) using a seed drawn from the
    /// source, g by A.2.1, and x by B.1.1; the same seed gives the same key.
    public static func generate(random: RandomSource) throws -> DSAPrivateKey {
        guard random.isDeterministic else { return try generate() }
        let (p, q) = probablePrimes(random: random)
        let g = generator(p: p, q: q)
        // B.1.1: c of N + 64 bits, x = (c mod (q - 1)) + 1.
        let c = MPI(bytes: random.bytes(subgroupBits / 8 + 8))
        let x = c.mod(q - MPI.one) + MPI.one
        let y = g.power(secretExponent: x, modulo: p)
        return try DSAPrivateKey(p: p, q: q, g: g, y: y, x: x)
    }

    /// FIPS 186-4 A.1.1.2, generation of the probable primes p and q using
    /// an approved hash function (SHA-1, outlen 160).
    static func probablePrimes(random: RandomSource) -> (p: MPI, q: MPI) {
        let L = modulusBits, N = subgroupBits, seedLength = 160, outLength = 160
        let n = (L + outLength - 1) / outLength - 1          // 6
        let b = L - 1 - n * outLength                          // 63
        let twoToN1 = MPI.powerOfTwo(N - 1)
        let twoToL1 = MPI.powerOfTwo(L - 1)
        let twoToSeedLength = MPI.powerOfTwo(seedLength)
        let twoToB = MPI.powerOfTwo(b)
        while true {
            // Steps 5-9: q = 2^(N-1) + U + 1 - (U mod 2), U = Hash(seed) mod 2^(N-1).
            let seed = MPI(bytes: random.bytes(seedLength / 8))
            let u = MPI(bytes: HashFunction.sha1.digest(seed.bytes(width: seedLength / 8))).mod(twoToN1)
            var q = twoToN1 + u + MPI.one
            if u.isOdd { q = q - MPI.one }
            guard q.isProbablePrime(rounds: 50) else { continue }
            // Steps 10-15.
            var offset = 1
            for _ in 0..<(4 * L) {
                var w = MPI.zero
                for j in 0...n {
                    let input = (seed + MPI(UInt(offset + j))).mod(twoToSeedLength)
                    var v = MPI(bytes: HashFunction.sha1.digest(input.bytes(width: seedLength / 8)))
                    if j == n { v = v.mod(twoToB) }
                    w = w + v * MPI.powerOfTwo(j * outLength)
                }
                let x = w + twoToL1
                let c = x.mod(q + q)
                let p = x - (c - MPI.one)
                if p >= twoToL1, p.isProbablePrime(rounds: 50) {
                    return (p, q)
                }
                offset += n + 1
            }
        }
    }

    /// FIPS 186-4 A.2.1: g = h^((p-1)/q) mod p for h = 2, 3, ... until g != 1.
    static func generator(p: MPI, q: MPI) -> MPI {
        let e = (p - MPI.one).dividedExactly(by: q)
        var h = MPI(2)
        while true {
            let g = h.power(e, modulo: p)
            if g != MPI.one { return g }
            h = h + MPI.one
        }
    }
}

extension MPI {
    static func powerOfTwo(_ exponent: Int) -> MPI {
        MPI(bytes: [UInt8(1 << (exponent % 8))] + [UInt8](repeating: 0, count: exponent / 8))
    }

    var isOdd: Bool { otr_mpz_odd_p(storage.z) != 0 }

    /// Big-endian bytes left-padded to `width` (the seed is a bit string
    /// of fixed length in FIPS 186-4, so leading zeros are hashed).
    func bytes(width: Int) -> [UInt8] {
        let minimal = bytes
        return [UInt8](repeating: 0, count: Swift.max(0, width - minimal.count)) + minimal
    }

    /// `self / d` for a divisor known to divide exactly.
    func dividedExactly(by d: MPI) -> MPI {
        precondition(!d.isZero, "division by zero")
        return MPI.make { __gmpz_divexact($0, storage.z, d.storage.z) }
    }
}
