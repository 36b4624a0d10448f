import Testing
import OTR

/// dh.json: the RFC 3526 group and three vector lists.
struct DHFile: Decodable, Sendable {
    struct KeyPair: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let privateKey: String
        let publicKey: String
        var testDescription: String { name }
    }
    struct Agreement: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let privateKeyA: String
        let privateKeyB: String
        let sharedSecret: String
        var testDescription: String { name }
    }
    struct RangeCheck: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let value: String
        let valid: Bool
        var testDescription: String { "\(name) -> \(valid ? "valid" : "invalid")" }
    }

    let source: String
    let modulus: String
    let modulusBits: Int
    let generator: String
    let order: String
    let keyPairs: [KeyPair]
    let agreements: [Agreement]
    let rangeChecks: [RangeCheck]

    static func load() throws -> DHFile {
        let file = try VectorFile.decode("dh", as: DHFile.self)
        guard !file.keyPairs.isEmpty, !file.agreements.isEmpty, !file.rangeChecks.isEmpty else {
            throw VectorFileError(description: "Vectors/dh.json has an empty vector list")
        }
        return file
    }
}

private func mpi(_ hex: String) throws -> MPI { MPI(bytes: try unhex(hex)) }

@Suite("Diffie-Hellman known answers (RFC 3526 group 5)")
struct DHTests {
    @Test("vector file holds 4 key pairs, 4 agreements and 7 range checks")
    func vectorFile() throws {
        let file = try DHFile.load()
        #expect(file.source.contains("RFC 3526"))
        #expect(file.keyPairs.count == 4)
        #expect(file.agreements.count == 4)
        #expect(file.rangeChecks.count == 7)
        #expect(file.rangeChecks.filter(\.valid).count == 2)
    }

    @Test("modulus is the RFC 3526 1536-bit prime, generator 2, order (p-1)/2 prime")
    func group() throws {
        let file = try DHFile.load()
        let p = try mpi(file.modulus)
        #expect(DHGroup.modulus == p)
        #expect(DHGroup.modulus.hex == file.modulus)
        #expect(try Hex.decode(DHGroup.modulusHex) == unhex(file.modulus))
        #expect(DHGroup.modulus.bitWidth == 1536)
        #expect(file.modulusBits == 1536)
        #expect(DHGroup.modulus.byteCount == 192)
        #expect(DHGroup.generator == (try mpi(file.generator)))
        #expect(DHGroup.generator == MPI(2))
        #expect(DHGroup.order == (try mpi(file.order)))
        #expect(DHGroup.order * MPI(2) + .one == DHGroup.modulus)
        #expect(DHGroup.modulus.isProbablePrime())
        #expect(DHGroup.order.isProbablePrime())
        #expect(DHGroup.generator.power(DHGroup.order, modulo: DHGroup.modulus) == .one)
        #expect(DHGroup.privateKeyBits >= 320)
    }

    @Test("public key g^x mod p", arguments: try DHFile.load().keyPairs)
    func keyPair(_ v: DHFile.KeyPair) throws {
        let x = try mpi(v.privateKey)
        let pair = try DHKeyPair(privateKey: x)
        #expect(pair.privateKey == x)
        #expect(pair.publicKey.hex == v.publicKey)
        #expect(DHGroup.generator.power(x, modulo: DHGroup.modulus) == (try mpi(v.publicKey)))
    }

    @Test("shared secret, computed from both sides", arguments: try DHFile.load().agreements)
    func agreement(_ v: DHFile.Agreement) throws {
        let a = try DHKeyPair(privateKey: mpi(v.privateKeyA))
        let b = try DHKeyPair(privateKey: mpi(v.privateKeyB))
        let expected = try mpi(v.sharedSecret)
        #expect(try a.sharedSecret(with: b.publicKey) == expected)
        #expect(try b.sharedSecret(with: a.publicKey) == expected)
    }

    @Test("public value range 2 <= y <= p-2", arguments: try DHFile.load().rangeChecks)
    func range(_ v: DHFile.RangeCheck) throws {
        let y = try mpi(v.value)
        #expect(DHGroup.isValidPublicValue(y) == v.valid)
        let pair = try DHKeyPair(privateKey: mpi("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
        if v.valid {
            try DHGroup.checkPublicValue(y, field: "test")
            #expect(try pair.sharedSecret(with: y) == y.power(pair.privateKey, modulo: DHGroup.modulus))
        } else {
            let e1 = #expect(throws: OTRError.self) { try DHGroup.checkPublicValue(y, field: "test") }
            #expect(e1?.code == .outOfRange)
            #expect(e1?.field == "test")
            let e2 = #expect(throws: OTRError.self) { try pair.sharedSecret(with: y) }
            #expect(e2?.code == .outOfRange)
        }
    }

    @Test("a private exponent outside 1..p-1, or one whose g^x is outside 2..p-2, is rejected")
    func privateKeyRange() throws {
        // g generates the subgroup of order q = (p-1)/2: x = q and x = p-1
        // both give g^x = 1, which no correspondent may accept.
        for x in [MPI.zero, DHGroup.modulus, DHGroup.modulus + .one, DHGroup.modulus - .one, DHGroup.order] {
            let e = #expect(throws: OTRError.self) { try DHKeyPair(privateKey: x) }
            #expect(e?.code == .outOfRange)
        }
        #expect(try DHKeyPair(privateKey: .one).publicKey == DHGroup.generator)
        #expect(try DHKeyPair(privateKey: DHGroup.order - .one).publicKey > .one)
    }

    // MARK: Random key pairs

    @Test("two SystemRandom key pairs agree on the same secret")
    func randomAgreement() throws {
        let random = SystemRandom()
        let alice = DHKeyPair(random: random)
        let bob = DHKeyPair(random: random)
        #expect(alice.privateKey != bob.privateKey)
        for pair in [alice, bob] {
            #expect(pair.privateKey.bitWidth <= DHGroup.privateKeyBits)
            #expect(pair.privateKey >= MPI(2))
            #expect(DHGroup.isValidPublicValue(pair.publicKey))
            #expect(pair.publicKey == DHGroup.generator.power(pair.privateKey, modulo: DHGroup.modulus))
        }
        let s1 = try alice.sharedSecret(with: bob.publicKey)
        let s2 = try bob.sharedSecret(with: alice.publicKey)
        #expect(s1 == s2)
        #expect(s1 != .one && !s1.isZero)
    }

    @Test("sharedSecret(with:) throws .outOfRange for 1 and p-1")
    func sharedSecretRejectsOneAndPMinusOne() throws {
        let pair = DHKeyPair(random: SystemRandom())
        for bad in [MPI.one, DHGroup.modulus - .one] {
            let e = #expect(throws: OTRError.self) { try pair.sharedSecret(with: bad) }
            #expect(e?.code == .outOfRange)
        }
    }

    @Test("DeterministicRandom key pairs are reproducible")
    func deterministicKeyPair() throws {
        let a = DHKeyPair(random: DeterministicRandom(seedText: "dh"))
        let b = DHKeyPair(random: DeterministicRandom(seedText: "dh"))
        let c = DHKeyPair(random: DeterministicRandom(seedText: "dh2"))
        #expect(a.privateKey == b.privateKey && a.publicKey == b.publicKey)
        #expect(a.privateKey != c.privateKey)
    }
}
