import Testing
import OTR

/// One DSA signature vector: domain (p, q, g), key (x, y), the signed
/// message and its SHA-1 `digest`, the signature (r, s) and the published
/// result ("P" verifies, "F" does not). `k` is given only where the source
/// publishes the nonce; `keyConsistent` says whether y = g^x mod p.
struct DSAVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let p: String
    let q: String
    let g: String
    let x: String
    let y: String
    let k: String
    let message: String
    let digest: String
    let r: String
    let s: String
    let result: String
    let reason: String
    let keyConsistent: Bool

    var testDescription: String { name }
    var shouldVerify: Bool { result == "P" }

    func mpi(_ hex: String) throws -> MPI { MPI(bytes: try unhex(hex)) }

    func publicKey() throws -> DSAPublicKey {
        DSAPublicKey(p: try mpi(p), q: try mpi(q), g: try mpi(g), y: try mpi(y))
    }
}

/// Flips the lowest bit of the last byte (or the first byte, `atStart`).
private func flipped(_ bytes: [UInt8], atStart: Bool = false) -> [UInt8] {
    var b = bytes
    b[atStart ? 0 : b.count - 1] ^= 0x01
    return b
}

@Suite("DSA known answers (FIPS 186-2 Appendix 5, CAVP SigVer) and key handling")
struct DSATests {
    static func vectors() throws -> [DSAVector] {
        try VectorFile.load("dsa", DSAVector.self).vectors
    }

    static func fipsExample() throws -> DSAVector {
        guard let v = try vectors().first(where: { $0.name.hasPrefix("FIPS 186-2 Appendix 5") }) else {
            throw VectorFileError(description: "Vectors/dsa.json has no FIPS 186-2 Appendix 5 vector")
        }
        return v
    }

    @Test("vector file holds the FIPS example and 15 CAVP L=1024 N=160 SHA-1 vectors")
    func vectorFile() throws {
        let set = try VectorFile.load("dsa", DSAVector.self)
        #expect(set.vectors.count == 16)
        #expect(set.source.contains("FIPS PUB 186-2"))
        #expect(set.source.contains("SigVer"))
        let cavp = set.vectors.filter { $0.name.contains("L=1024, N=160") }
        #expect(cavp.count == 15)
        #expect(cavp.filter(\.shouldVerify).count == 7)
        #expect(cavp.filter { !$0.shouldVerify }.count == 8)
        for v in cavp {
            #expect(try v.mpi(v.p).bitWidth == 1024)
            #expect(try v.mpi(v.q).bitWidth == 160)
        }
        #expect(set.vectors.allSatisfy { $0.result == "P" || $0.result == "F" })
    }

    @Test("SHA-1 of the message is the stored digest", arguments: try vectors())
    func digest(_ v: DSAVector) throws {
        #expect(tohex(HashFunction.sha1.digest(try unhex(v.message))) == v.digest)
    }

    @Test("verify(r:s:over: SHA-1 digest) gives the published result", arguments: try vectors())
    func verifyPublished(_ v: DSAVector) throws {
        let key = try v.publicKey()
        let digest = try unhex(v.digest)
        #expect(key.verify(r: try v.mpi(v.r), s: try v.mpi(v.s), over: digest) == v.shouldVerify)
    }

    @Test("verify(_:over:) on the encoded r || s gives the published result", arguments: try vectors())
    func verifyEncoded(_ v: DSAVector) throws {
        let key = try v.publicKey()
        #expect(key.signatureHalfLength == 20)
        let encoded = try v.mpi(v.r).bytes(paddedTo: 20) + v.mpi(v.s).bytes(paddedTo: 20)
        #expect(key.verify(encoded, over: try unhex(v.digest)) == v.shouldVerify)
        // a signature of the wrong length never verifies
        #expect(!key.verify(Array(encoded.dropLast()), over: try unhex(v.digest)))
        #expect(!key.verify(encoded + [0], over: try unhex(v.digest)))
    }

    @Test("a flipped bit in r, s or the value makes a good signature fail", arguments: try vectors().filter(\.shouldVerify))
    func tampered(_ v: DSAVector) throws {
        let key = try v.publicKey()
        let r = try unhex(v.r)
        let s = try unhex(v.s)
        let digest = try unhex(v.digest)
        #expect(key.verify(r: MPI(bytes: r), s: MPI(bytes: s), over: digest))
        #expect(!key.verify(r: MPI(bytes: flipped(r)), s: MPI(bytes: s), over: digest))
        #expect(!key.verify(r: MPI(bytes: r), s: MPI(bytes: flipped(s)), over: digest))
        #expect(!key.verify(r: MPI(bytes: r), s: MPI(bytes: s), over: flipped(digest)))
        #expect(!key.verify(r: MPI(bytes: r), s: MPI(bytes: s), over: flipped(digest, atStart: true)))
    }

    @Test("r or s of zero, or not below q, is rejected", arguments: try vectors().filter(\.shouldVerify))
    func outOfRangeSignature(_ v: DSAVector) throws {
        let key = try v.publicKey()
        let q = try v.mpi(v.q)
        let r = try v.mpi(v.r)
        let s = try v.mpi(v.s)
        let digest = try unhex(v.digest)
        #expect(!key.verify(r: .zero, s: s, over: digest))
        #expect(!key.verify(r: r, s: .zero, over: digest))
        #expect(!key.verify(r: r + q, s: s, over: digest))
        #expect(!key.verify(r: r, s: s + q, over: digest))
    }

    @Test("DSAPrivateKey accepts a consistent key and rejects one whose y is not g^x", arguments: try vectors())
    func keyConsistency(_ v: DSAVector) throws {
        if v.keyConsistent {
            let key = try DSAPrivateKey(p: v.mpi(v.p), q: v.mpi(v.q), g: v.mpi(v.g), y: v.mpi(v.y), x: v.mpi(v.x))
            #expect(key.publicKey == (try v.publicKey()))
            #expect(key.x == (try v.mpi(v.x)))
        } else {
            let error = #expect(throws: OTRError.self) {
                try DSAPrivateKey(p: v.mpi(v.p), q: v.mpi(v.q), g: v.mpi(v.g), y: v.mpi(v.y), x: v.mpi(v.x))
            }
            #expect(error?.code == .checkFailed)
        }
    }

    // MARK: The FIPS 186-2 example key

    @Test("FIPS 186-2 example: r = (g^k mod p) mod q and s = k^-1 (SHA-1(M) + x r) mod q")
    func fipsExampleArithmetic() throws {
        let v = try Self.fipsExample()
        let p = try v.mpi(v.p), q = try v.mpi(v.q), g = try v.mpi(v.g)
        let x = try v.mpi(v.x), k = try v.mpi(v.k)
        let h = try v.mpi(v.digest)
        #expect(v.digest == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(try unhex(v.message) == Array("abc".utf8))
        #expect(g.power(k, modulo: p).mod(q) == (try v.mpi(v.r)))
        let kInverse = try #require(k.inverse(mod: q))
        #expect(kInverse == (try MPI(hex: "0d5167298202e49b4116ac104fc3f415ae52f917")))
        let r = try v.mpi(v.r)
        #expect((kInverse * (h + x * r).mod(q)).mod(q) == (try v.mpi(v.s)))
        #expect(g.power(secretExponent: x, modulo: p) == (try v.mpi(v.y)))
    }

    @Test("FIPS 186-2 example key: accepted as given, rejected with y+1, x = 0, x = q, or g of wrong order")
    func fipsExampleKeyChecks() throws {
        let v = try Self.fipsExample()
        let p = try v.mpi(v.p), q = try v.mpi(v.q), g = try v.mpi(v.g)
        let x = try v.mpi(v.x), y = try v.mpi(v.y)
        let key = try DSAPrivateKey(p: p, q: q, g: g, y: y, x: x)
        #expect(key.publicKey.verify(r: try v.mpi(v.r), s: try v.mpi(v.s), over: try unhex(v.digest)))

        let badY = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q, g: g, y: y + .one, x: x) }
        #expect(badY?.code == .checkFailed)
        let zeroX = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q, g: g, y: y, x: .zero) }
        #expect(zeroX?.code == .outOfRange)
        let qX = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q, g: g, y: y, x: q) }
        #expect(qX?.code == .outOfRange)
        let bigX = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q, g: g, y: y, x: x + q) }
        #expect(bigX?.code == .outOfRange)
        // 2 and p-1 do not have order q modulo this p (p-1 has order 2)
        for wrongG in [MPI(2), p - .one] {
            #expect(wrongG.power(q, modulo: p) != .one)
            let e = #expect(throws: OTRError.self) {
                try DSAPrivateKey(p: p, q: q, g: wrongG, y: wrongG.power(x, modulo: p), x: x)
            }
            #expect(e?.code == .checkFailed)
        }
        let gOne = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q, g: .one, y: .one, x: x) }
        #expect(gOne?.code == .checkFailed)
        // q that does not divide p - 1
        let badQ = #expect(throws: OTRError.self) { try DSAPrivateKey(p: p, q: q + MPI(2), g: g, y: y, x: x) }
        #expect(badQ?.code == .checkFailed)
    }

    // MARK: Signing

    /// One freshly generated 1024/160 key, shared by the signing tests.
    static let generated: Result<DSAPrivateKey, any Error> = Result { try DSAPrivateKey.generate() }

    static let otrValue: [UInt8] = Array(HashFunction.sha256.digest(Array("otrtool DSA test value".utf8)))

    @Test("generate() gives a 1024-bit p and a 160-bit q")
    func generateSizes() throws {
        let key = try Self.generated.get()
        #expect(key.publicKey.p.bitWidth == DSAPrivateKey.modulusBits)
        #expect(key.publicKey.q.bitWidth == DSAPrivateKey.subgroupBits)
        #expect(DSAPrivateKey.modulusBits == 1024 && DSAPrivateKey.subgroupBits == 160)
        #expect(key.publicKey.p.isProbablePrime())
        #expect(key.publicKey.q.isProbablePrime())
        #expect(key.publicKey.g.power(key.publicKey.q, modulo: key.publicKey.p) == .one)
        #expect(key.publicKey.signatureHalfLength == 20)
    }

    @Test("a signature over a 32-byte value verifies, and fails on a changed value")
    func signSystemRandom() throws {
        let key = try Self.generated.get()
        let value = Self.otrValue
        #expect(value.count == 32)
        let sig = try key.sign(value, random: SystemRandom())
        #expect(key.publicKey.verify(r: sig.r, s: sig.s, over: value))
        let encoded = try sig.encoded(halfLength: 20)
        #expect(encoded.count == 40)
        #expect(key.publicKey.verify(encoded, over: value))
        #expect(!key.publicKey.verify(encoded, over: flipped(value)))
        #expect(!key.publicKey.verify(encoded, over: flipped(value, atStart: true)))
        #expect(!key.publicKey.verify(flipped(encoded), over: value))
    }

    @Test("sign with DeterministicRandom is byte-stable for a seed, differs for another seed, and verifies")
    func signDeterministic() throws {
        let key = try Self.generated.get()
        let value = Self.otrValue
        let a1 = try key.sign(value, random: DeterministicRandom(seedText: "dsa seed one"))
        let a2 = try key.sign(value, random: DeterministicRandom(seedText: "dsa seed one"))
        let b = try key.sign(value, random: DeterministicRandom(seedText: "dsa seed two"))
        #expect(a1 == a2)
        #expect(try a1.encoded(halfLength: 20) == a2.encoded(halfLength: 20))
        #expect(a1 != b)
        #expect(a1.r != b.r)
        for sig in [a1, b] {
            #expect(key.publicKey.verify(r: sig.r, s: sig.s, over: value))
            #expect(!key.publicKey.verify(r: sig.r, s: sig.s, over: flipped(value)))
        }
    }

    @Test("deterministic signing with a published key verifies and is stable")
    func signDeterministicPublishedKey() throws {
        let v = try #require(try Self.vectors().first { $0.name.contains("L=1024") && $0.keyConsistent })
        let key = try DSAPrivateKey(p: v.mpi(v.p), q: v.mpi(v.q), g: v.mpi(v.g), y: v.mpi(v.y), x: v.mpi(v.x))
        let digest = try unhex(v.digest)
        let one = try key.sign(digest, random: DeterministicRandom(seedText: "published key"))
        let two = try key.sign(digest, random: DeterministicRandom(seedText: "published key"))
        #expect(one == two)
        #expect(key.publicKey.verify(r: one.r, s: one.s, over: digest))
        // the published signature and ours both verify over the same digest
        #expect(key.publicKey.verify(r: try v.mpi(v.r), s: try v.mpi(v.s), over: digest))
    }

    @Test("a 32-byte value larger than q is reduced mod q and its signature verifies",
          arguments: ["system", "deterministic"])
    func signLargeValue(_ randomness: String) throws {
        let key = try Self.generated.get()
        let value = [UInt8](repeating: 0xff, count: 32)
        #expect(MPI(bytes: value) > key.publicKey.q)
        let random: any RandomSource = randomness == "system" ? SystemRandom() : DeterministicRandom(seedText: "large value")
        let sig = try key.sign(value, random: random)
        #expect(key.publicKey.verify(r: sig.r, s: sig.s, over: value))
        // the same integer mod q, written out, is the same signed value
        let reduced = MPI(bytes: value).mod(key.publicKey.q).bytes
        #expect(key.publicKey.verify(r: sig.r, s: sig.s, over: reduced))
        #expect(!key.publicKey.verify(r: sig.r, s: sig.s, over: flipped(value)))
    }
}
