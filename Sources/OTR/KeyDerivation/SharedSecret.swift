/// "secbytes" (spec "Computing AKE keys" / "Computing data keys"): the
/// D-H shared secret s written as a minimum-length MPI, the input of every
/// key derivation; h1 and h2 hash a byte followed by it.
public struct SharedSecret: Sendable {
    public let secbytes: SecureBytes

    public init(_ s: MPI) {
        let value = s.secureBytes
        var length = UInt32(value.count).bigEndian
        let lengthBytes = withUnsafeBytes(of: &length) { Array($0) }
        secbytes = SecureBytes(lengthBytes) + value
    }

    /// From our private exponent and their public value, range-checked.
    public init(ours: DHKeyPair, theirs: MPI) throws {
        self.init(try ours.sharedSecret(with: theirs))
    }

    /// h1(b) = SHA-1(b || secbytes), 20 bytes.
    public func h1(_ b: UInt8) -> SecureBytes {
        HashFunction.sha1.secretDigest([[b], secbytes])
    }

    /// h2(b) = SHA-256(b || secbytes), 32 bytes.
    public func h2(_ b: UInt8) -> SecureBytes {
        HashFunction.sha256.secretDigest([[b], secbytes])
    }
}

/// The keys the AKE derives from s (spec "Computing AKE keys").
public struct AKEKeys: Sendable {
    /// The secure session id, 8 bytes.
    public let ssid: [UInt8]
    public let c: SecureBytes
    public let cPrime: SecureBytes
    public let m1: SecureBytes
    public let m2: SecureBytes
    public let m1Prime: SecureBytes
    public let m2Prime: SecureBytes

    public init(_ secret: SharedSecret) {
        ssid = Array(secret.h2(0x00).octets.prefix(8))
        let h = secret.h2(0x01)
        c = h.slice(0..<16)
        cPrime = h.slice(16..<32)
        m1 = secret.h2(0x02)
        m2 = secret.h2(0x03)
        m1Prime = secret.h2(0x04)
        m2Prime = secret.h2(0x05)
    }

    /// The ssid as the spec says to show it: two "%08x" halves.
    public var ssidHalves: (String, String) {
        (Hex.encode(ssid[0..<4]), Hex.encode(ssid[4..<8]))
    }
}

/// The keys one party uses for the Data Messages of one pair of D-H keys
/// (spec "Computing data keys").
public struct DataKeys: Sendable {
    /// Whether our public key is numerically greater than theirs.
    public let isHighEnd: Bool
    public let sendingAESKey: SecureBytes
    public let sendingMACKey: SecureBytes
    public let receivingAESKey: SecureBytes
    public let receivingMACKey: SecureBytes
    /// h2(0xFF), the extra symmetric key (spec "Extra symmetric key", v3).
    public let extraSymmetricKey: SecureBytes

    public init(_ secret: SharedSecret, ourPublic: MPI, theirPublic: MPI) {
        isHighEnd = ourPublic > theirPublic
        let sendByte: UInt8 = isHighEnd ? 0x01 : 0x02
        let receiveByte: UInt8 = isHighEnd ? 0x02 : 0x01
        sendingAESKey = secret.h1(sendByte).slice(0..<16)
        receivingAESKey = secret.h1(receiveByte).slice(0..<16)
        sendingMACKey = DataKeys.macKey(forAESKey: sendingAESKey)
        receivingMACKey = DataKeys.macKey(forAESKey: receivingAESKey)
        extraSymmetricKey = secret.h2(0xff)
    }

    public init(ours: DHKeyPair, theirPublic: MPI) throws {
        self.init(try SharedSecret(ours: ours, theirs: theirPublic), ourPublic: ours.publicKey, theirPublic: theirPublic)
    }

    /// The MAC key of an AES key: SHA-1 of it (what otr_mackey prints).
    public static func macKey(forAESKey key: some ContiguousOctets) -> SecureBytes {
        HashFunction.sha1.secretDigest([key])
    }
}
