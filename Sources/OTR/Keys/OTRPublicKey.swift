/// The PUBKEY encoding of a long-term public key (spec "Public keys,
/// signatures, and fingerprints"): a SHORT key type, 0x0000 for DSA, then
/// the MPIs p, q, g and y.
public enum OTRPublicKey {
    /// Pubkey type 0x0000: DSA, the only type the spec defines.
    public static let dsaType: UInt16 = 0x0000

    /// PUBKEY: the type, then p, q, g, y as minimal MPIs.
    public static func encode(_ key: DSAPublicKey) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeShort(dsaType)
        writer.writeBytes(key.encodedMPIs)
        return writer.bytes
    }

    /// Reads one PUBKEY at the reader's cursor. A type other than 0x0000
    /// is an error naming the type.
    public static func read(_ reader: inout ByteReader) throws -> DSAPublicKey {
        let start = reader.offset
        let type = try reader.readShort("public key type")
        guard type == dsaType else {
            throw OTRError.malformed("public key type", at: start,
                                     "type 0x\(String(format4: type)) is not 0x0000 (DSA), the only type OTR defines")
        }
        let p = try reader.readMPI("public key p").value
        let q = try reader.readMPI("public key q").value
        let g = try reader.readMPI("public key g").value
        let y = try reader.readMPI("public key y").value
        return DSAPublicKey(p: p, q: q, g: g, y: y)
    }

    /// Decodes a PUBKEY that fills `bytes` exactly.
    public static func decode(_ bytes: [UInt8]) throws -> DSAPublicKey {
        var reader = ByteReader(bytes)
        let key = try read(&reader)
        guard reader.isAtEnd else {
            throw OTRError.malformed("public key", at: reader.offset,
                                     "\(reader.remaining) bytes follow the public key")
        }
        return key
    }
}

extension DSAPublicKey {
    /// The PUBKEY encoding (type 0x0000, p, q, g, y).
    public var encoded: [UInt8] { OTRPublicKey.encode(self) }

    /// p, q, g, y as MPIs without the type: what the fingerprint hashes
    /// and what libotr keeps as a key's `pubkey_data`.
    public var encodedMPIs: [UInt8] {
        var writer = ByteWriter()
        for value in [p, q, g, y] { writer.writeMPI(value) }
        return writer.bytes
    }

    /// The key's OTR fingerprint.
    public var fingerprint: Fingerprint { Fingerprint(publicKey: self) }

    /// Checks the sizes every v2/v3 implementation expects of a long-term
    /// key: a 1024-bit p and a 160-bit q (libotr writes each half of a
    /// signature in 20 bytes).
    public func checkLongTermSizes() throws {
        guard p.bitWidth == DSAPrivateKey.modulusBits else {
            throw OTRError.outOfRange("p", "p has \(p.bitWidth) bits; an OTR key has a \(DSAPrivateKey.modulusBits)-bit p")
        }
        guard q.bitWidth == DSAPrivateKey.subgroupBits else {
            throw OTRError.outOfRange("q", "q has \(q.bitWidth) bits; an OTR key has a \(DSAPrivateKey.subgroupBits)-bit q")
        }
    }
}

extension String {
    /// Four lowercase hex digits of a SHORT.
    init(format4 value: UInt16) {
        let digits = String(value, radix: 16)
        self = String(repeating: "0", count: 4 - digits.count) + digits
    }
}
