/// The signed part of the AKE's third and fourth messages (spec "Reveal
/// Signature Message" X_B, "Signature Message" X_A): the sender's
/// long-term public key, the keyid of its D-H key, and a signature over
/// M = SHA256-HMAC(m1, g^x || g^y || pub || keyid) (Bob) or
/// SHA256-HMAC(m1', g^y || g^x || pub || keyid) (Alice).
public struct AKESignedPart: Sendable, Equatable {
    public var publicKey: DSAPublicKey
    public var keyID: UInt32
    public var signature: [UInt8]

    public init(publicKey: DSAPublicKey, keyID: UInt32, signature: [UInt8]) {
        self.publicKey = publicKey
        self.keyID = keyID
        self.signature = signature
    }

    /// X: PUBKEY, keyid (INT), SIG (r || s, each len(q) bytes).
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.writeBytes(OTRPublicKey.encode(publicKey))
        w.writeInt(keyID)
        w.writeBytes(signature)
        return w.bytes
    }

    public static func parse(_ bytes: some ContiguousOctets) throws -> AKESignedPart {
        var r = ByteReader(bytes.octets)
        let key = try OTRPublicKey.read(&r)
        let keyID = try r.readInt("keyid")
        let sig = try r.readBytes(2 * key.signatureHalfLength, "signature")
        guard r.isAtEnd else {
            throw OTRError.malformed("signed part", at: r.offset, "\(r.remaining) bytes after the signature")
        }
        return AKESignedPart(publicKey: key, keyID: keyID, signature: sig)
    }

    /// M_B or M_A: the 32-byte value the signature is over. `first` is the
    /// signer's own D-H public value's partner order as the spec gives it:
    /// (g^x, g^y) for Bob's Reveal Signature, (g^y, g^x) for Alice's.
    public static func authenticator(macKey: some ContiguousOctets, first: MPI, second: MPI,
                                     publicKey: DSAPublicKey, keyID: UInt32) -> [UInt8] {
        var w = ByteWriter()
        w.writeMPI(first)
        w.writeMPI(second)
        w.writeBytes(OTRPublicKey.encode(publicKey))
        w.writeInt(keyID)
        return HMAC.sha256(key: macKey, w.bytes)
    }
}

/// What the keys of an AKE reveal about its Reveal Signature or Signature
/// message: whether its MAC verifies, the decrypted signed part, and
/// whether the signature verifies.
public struct AKESignatureCheck: Sendable {
    public var macValid: Bool
    public var signedPart: AKESignedPart?
    public var signatureValid: Bool
    /// Why the signed part could not be read, if it could not.
    public var problem: String?

    /// Checks `encryptedSignature` and `mac` of a Reveal Signature (role
    /// .bob: keys c, m1, m2) or Signature (role .alice: c', m1', m2').
    public static func check(encryptedSignature: [UInt8], mac: [UInt8], keys: AKEKeys, role: AKERole,
                             gx: MPI, gy: MPI) -> AKESignatureCheck {
        let (c, m1, m2) = role == .bob ? (keys.c, keys.m1, keys.m2) : (keys.cPrime, keys.m1Prime, keys.m2Prime)
        var field = ByteWriter()
        try? field.writeData(encryptedSignature)
        let expected = HMAC.sha256_160(key: m2, field.bytes)
        var result = AKESignatureCheck(macValid: ConstantTime.equals(expected, mac), signedPart: nil,
                                       signatureValid: false, problem: nil)
        do {
            let plain = try AESCounterMode.apply(key: c, counterTopHalf: [UInt8](repeating: 0, count: 8), encryptedSignature)
            let part = try AKESignedPart.parse(plain)
            result.signedPart = part
            let (first, second) = role == .bob ? (gx, gy) : (gy, gx)
            let m = AKESignedPart.authenticator(macKey: m1, first: first, second: second,
                                                publicKey: part.publicKey, keyID: part.keyID)
            result.signatureValid = part.publicKey.verify(part.signature, over: m)
        } catch {
            result.problem = "\(error)"
        }
        return result
    }

    /// Builds the encrypted signature and its MAC (for encode and the engine).
    public static func seal(_ part: AKESignedPart, keys: AKEKeys, role: AKERole) throws -> (encrypted: [UInt8], mac: [UInt8]) {
        let (c, m2) = role == .bob ? (keys.c, keys.m2) : (keys.cPrime, keys.m2Prime)
        let encrypted = try AESCounterMode.apply(key: c, counterTopHalf: [UInt8](repeating: 0, count: 8), part.encoded).octets
        var field = ByteWriter()
        try field.writeData(encrypted)
        return (encrypted, HMAC.sha256_160(key: m2, field.bytes))
    }
}

/// The two roles of the AKE: Bob sends the D-H Commit and the Reveal
/// Signature; Alice the D-H Key and the Signature (spec "Authenticated
/// Key Exchange").
public enum AKERole: String, CaseIterable, Sendable {
    case alice
    case bob
}

/// Opening the commitment of a D-H Commit with the r that its Reveal
/// Signature reveals (spec "D-H Commit Message": AES(r, gxmpi) and
/// SHA256(gxmpi)). Anyone who sees both messages can do it.
public enum DHCommitOpening {
    public struct Result: Sendable {
        public var gx: MPI?
        public var hashMatches: Bool
        public var problem: String?
    }

    public static func open(_ commit: DHCommitMessage, revealedKey r: [UInt8]) -> Result {
        do {
            let gxmpi = try AESCounterMode.apply(key: r, counterTopHalf: [UInt8](repeating: 0, count: 8), commit.encryptedGx)
            let hash = HashFunction.sha256.digest(gxmpi)
            var reader = ByteReader(gxmpi.octets)
            let gx = try reader.readMPI("g^x").value
            let matches = ConstantTime.equals(hash, commit.hashedGx) && reader.isAtEnd
            return Result(gx: gx, hashMatches: matches, problem: reader.isAtEnd ? nil : "bytes after g^x")
        } catch {
            return Result(gx: nil, hashMatches: false, problem: "\(error)")
        }
    }
}
