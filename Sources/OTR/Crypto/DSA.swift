internal import CGcrypt

/// A DSA public key as OTR uses it (spec "Public keys, signatures, and
/// fingerprints": PUBKEY type 0x0000 with p, q, g, y).
public struct DSAPublicKey: Sendable, Hashable {
    public let p: MPI
    public let q: MPI
    public let g: MPI
    public let y: MPI

    public init(p: MPI, q: MPI, g: MPI, y: MPI) {
        self.p = p
        self.q = q
        self.g = g
        self.y = y
    }

    /// Length in bytes of each half (r, s) of a signature: len(q).
    public var signatureHalfLength: Int { q.byteCount }

    /// What must hold before libgcrypt sees a key a peer sent: libgcrypt
    /// aborts the process (an assertion in its multi-exponentiation) when
    /// s has no inverse modulo q, which a composite q allows. So q must be
    /// prime, p odd and larger than q, and g and y elements of 2..p-1.
    /// A key that fails this verifies nothing.
    public var hasSaneParameters: Bool {
        let two = MPI(2)
        guard q >= two, p > q, p.isOdd, g >= two, g < p, y >= two, y < p else { return false }
        return q.isProbablePrime(rounds: 25)
    }

    /// Checks a signature over `value`, the 32-byte hash OTR signs
    /// (spec: the hash is used as the DSA input integer directly, reduced
    /// mod q, and not hashed again). `signature` is r || s, each len(q) bytes.
    public func verify(_ signature: some ContiguousOctets, over value: some ContiguousOctets) -> Bool {
        let half = signatureHalfLength
        let sig = signature.octets
        guard half > 0, sig.count == 2 * half else { return false }
        let r = MPI(bytes: sig[0..<half])
        let s = MPI(bytes: sig[half...])
        return verify(r: r, s: s, over: value)
    }

    public func verify(r: MPI, s: MPI, over value: some ContiguousOctets) -> Bool {
        guard !r.isZero, !s.isZero, r < q, s < q, hasSaneParameters else { return false }
        let h = MPI(bytes: value).mod(q)
        do {
            let key = try GcryptSexp.build("(public-key (dsa (p %m)(q %m)(g %m)(y %m)))", [p, q, g, y])
            let data = try GcryptSexp.build("(data (flags raw)(value %m))", [h])
            let sigSexp = try GcryptSexp.build("(sig-val (dsa (r %m)(s %m)))", [r, s])
            // The objects own the handles: keep them alive through the call.
            return withExtendedLifetime((sigSexp, data, key)) { gcry_pk_verify(sigSexp.handle, data.handle, key.handle) == 0 }
        } catch {
            return false
        }
    }
}

/// A DSA signature (r, s).
public struct DSASignature: Sendable, Equatable {
    public let r: MPI
    public let s: MPI

    /// r || s, each left-padded to `halfLength` (len(q)) bytes as OTR writes it.
    public func encoded(halfLength: Int) throws -> [UInt8] {
        try r.bytes(paddedTo: halfLength) + s.bytes(paddedTo: halfLength)
    }
}

/// A DSA private key: the public key and the secret x.
public struct DSAPrivateKey: Sendable {
    public let publicKey: DSAPublicKey
    public let x: MPI

    /// OTR's long-term key size (spec: "1024-bit p, 160-bit q" is what every
    /// implementation expects).
    public static let modulusBits = 1024
    public static let subgroupBits = 160

    /// Assembles a key from its parts, checking that they belong together:
    /// q divides p - 1, g has order q, y = g^x mod p, 0 < x < q.
    public init(p: MPI, q: MPI, g: MPI, y: MPI, x: MPI) throws {
        let one = MPI.one
        guard q > one, p > q, (p - one).mod(q).isZero else {
            throw OTRError.checkFailed("DSA parameters", "q must divide p-1")
        }
        guard g > one, g < p, g.power(q, modulo: p) == one else {
            throw OTRError.checkFailed("DSA g", "g must have order q modulo p")
        }
        guard !x.isZero, x < q else {
            throw OTRError.outOfRange("DSA x", "private key must satisfy 0 < x < q")
        }
        guard g.power(secretExponent: x, modulo: p) == y else {
            throw OTRError.checkFailed("DSA y", "y is not g^x mod p")
        }
        self.publicKey = DSAPublicKey(p: p, q: q, g: g, y: y)
        self.x = x
    }

    /// A new 1024/160 key from libgcrypt's very strong generator.
    public static func generate() throws -> DSAPrivateKey {
        CryptoLibraries.ensureInitialised()
        let parms = try GcryptSexp.parse("(genkey (dsa (nbits 4:1024)(qbits 3:160)))")
        var keyHandle: gcry_sexp_t? = nil
        try withExtendedLifetime(parms) { try gcryptCheck(gcry_pk_genkey(&keyHandle, parms.handle), "DSA key generation") }
        let key = GcryptSexp(owning: keyHandle!)
        guard let priv = key.find("private-key") else {
            throw OTRError.crypto("DSA key generation returned no private key")
        }
        return try DSAPrivateKey(p: priv.mpi("p"), q: priv.mpi("q"), g: priv.mpi("g"),
                                 y: priv.mpi("y"), x: priv.mpi("x"))
    }

    /// Signs `value` (OTR passes a 32-byte hash, used as an integer mod q).
    ///
    /// With the system generator the signature is made by libgcrypt. With a
    /// deterministic source (seeded test vectors) the nonce k comes from
    /// that source so the same seed gives the same bytes; libgcrypt offers
    /// no way to supply k, so that path computes r = (g^k mod p) mod q,
    /// s = k^-1 (h + x r) mod q with GMP, and libgcrypt verifies the result.
    public func sign(_ value: some ContiguousOctets, random: RandomSource) throws -> DSASignature {
        let pub = publicKey
        let h = MPI(bytes: value).mod(pub.q)
        let signature: DSASignature
        if random.isDeterministic {
            signature = try signWithSuppliedNonce(h: h, random: random)
        } else {
            let key = try GcryptSexp.build("(private-key (dsa (p %m)(q %m)(g %m)(y %m)(x %m)))",
                                           [pub.p, pub.q, pub.g, pub.y, x], secret: true)
            let data = try GcryptSexp.build("(data (flags raw)(value %m))", [h])
            var sigHandle: gcry_sexp_t? = nil
            try withExtendedLifetime((data, key)) { try gcryptCheck(gcry_pk_sign(&sigHandle, data.handle, key.handle), "DSA sign") }
            let sig = GcryptSexp(owning: sigHandle!)
            signature = DSASignature(r: try sig.mpi("r"), s: try sig.mpi("s"))
        }
        guard pub.verify(r: signature.r, s: signature.s, over: value) else {
            throw OTRError.crypto("DSA signature failed to verify")
        }
        return signature
    }

    private func signWithSuppliedNonce(h: MPI, random: RandomSource) throws -> DSASignature {
        let pub = publicKey
        // k uniform in 1..q-1: take 64 extra bits and reduce, as FIPS 186-4 B.2.1.
        let extra = pub.q.byteCount + 8
        while true {
            let k = MPI(bytes: random.bytes(extra)).mod(pub.q - MPI.one) + MPI.one
            let r = pub.g.power(secretExponent: k, modulo: pub.p).mod(pub.q)
            guard !r.isZero, let kInverse = k.inverse(mod: pub.q) else { continue }
            let s = (kInverse * (h + x * r).mod(pub.q)).mod(pub.q)
            guard !s.isZero else { continue }
            return DSASignature(r: r, s: s)
        }
    }
}

/// An owned libgcrypt S-expression, released on deinit.
final class GcryptSexp {
    let handle: gcry_sexp_t

    init(owning handle: gcry_sexp_t) { self.handle = handle }
    deinit { gcry_sexp_release(handle) }

    static func parse(_ text: String) throws -> GcryptSexp {
        CryptoLibraries.ensureInitialised()
        var h: gcry_sexp_t? = nil
        try gcryptCheck(gcry_sexp_new(&h, text, 0, 1), "S-expression")
        return GcryptSexp(owning: h!)
    }

    /// Builds from a format with `%m` placeholders, one per MPI.
    static func build(_ format: String, _ values: [MPI], secret: Bool = false) throws -> GcryptSexp {
        CryptoLibraries.ensureInitialised()
        let mpis = values.map { GcryptMPI($0, secret: secret) }
        var h: gcry_sexp_t? = nil
        // The GcryptMPI objects free their handles on deinit, and Swift may
        // end an object's life right after its last use: the array must
        // outlive the C call that reads the handles.
        let err: gcry_error_t = withExtendedLifetime(mpis) {
            switch mpis.count {
            case 1: otr_gcry_sexp_build_mpi1(&h, format, mpis[0].handle)
            case 2: otr_gcry_sexp_build_mpi2(&h, format, mpis[0].handle, mpis[1].handle)
            case 4: otr_gcry_sexp_build_mpi4(&h, format, mpis[0].handle, mpis[1].handle, mpis[2].handle, mpis[3].handle)
            case 5: otr_gcry_sexp_build_mpi5(&h, format, mpis[0].handle, mpis[1].handle, mpis[2].handle, mpis[3].handle, mpis[4].handle)
            default: preconditionFailure("unsupported MPI count \(mpis.count)")
            }
        }
        try gcryptCheck(err, "S-expression build")
        return GcryptSexp(owning: h!)
    }

    func find(_ token: String) -> GcryptSexp? {
        guard let h = gcry_sexp_find_token(handle, token, 0) else { return nil }
        return GcryptSexp(owning: h)
    }

    /// The MPI that follows `token` somewhere inside this expression.
    func mpi(_ token: String) throws -> MPI {
        guard let list = find(token),
              let m = withExtendedLifetime(list, { gcry_sexp_nth_mpi(list.handle, 1, Int32(GCRYMPI_FMT_USG.rawValue)) }) else {
            throw OTRError.crypto("S-expression has no \(token)")
        }
        defer { gcry_mpi_release(m) }
        return try GcryptMPI.toMPI(m)
    }
}

/// A temporary libgcrypt MPI holding the value of one of ours.
final class GcryptMPI {
    let handle: gcry_mpi_t

    init(_ value: MPI, secret: Bool) {
        let bytes = value.secureBytes
        var h: gcry_mpi_t? = nil
        bytes.withUnsafeBytes { b in
            var zero: UInt8 = 0
            let err = b.count == 0
                ? gcry_mpi_scan(&h, GCRYMPI_FMT_USG, &zero, 1, nil)
                : gcry_mpi_scan(&h, GCRYMPI_FMT_USG, b.baseAddress, b.count, nil)
            precondition(err == 0, "gcry_mpi_scan failed")
        }
        if secret { gcry_mpi_set_flag(h, GCRYMPI_FLAG_SECURE) }
        handle = h!
    }

    deinit { gcry_mpi_release(handle) }

    static func toMPI(_ m: gcry_mpi_t) throws -> MPI {
        var needed = 0
        try gcryptCheck(gcry_mpi_print(GCRYMPI_FMT_USG, nil, 0, &needed, m), "MPI size")
        let bytes = try SecureBytes(count: needed) { out in
            var written = 0
            try gcryptCheck(gcry_mpi_print(GCRYMPI_FMT_USG, out.baseAddress, needed, &written, m), "MPI export")
        }
        return MPI(bytes: bytes)
    }
}
