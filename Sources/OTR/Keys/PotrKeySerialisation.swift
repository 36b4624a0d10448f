/// python-potr's private key serialisation (`PK.serializePrivateKey`):
/// the SHORT key type 0x0000 then the MPIs p, q, g, y and x. It is the
/// PUBKEY encoding with x appended.
public enum PotrKeySerialisation {
    public static func encode(_ key: DSAPrivateKey) -> SecureBytes {
        var writer = ByteWriter()
        writer.writeBytes(key.publicKey.encoded)
        writer.writeMPI(key.x)
        var bytes = writer.bytes
        return SecureBytes(consuming: &bytes)
    }

    /// Decodes and checks a potr key (sizes and consistency as for a key
    /// file); the bytes must hold exactly one key.
    public static func decode(_ bytes: some ContiguousOctets) throws -> DSAPrivateKey {
        var reader = ByteReader(bytes.octets)
        let pub = try OTRPublicKey.read(&reader)
        let x = try reader.readMPI("private key x").value
        guard reader.isAtEnd else {
            throw OTRError.malformed("potr key", at: reader.offset, "\(reader.remaining) bytes follow the key")
        }
        try pub.checkLongTermSizes()
        guard pub.p.isProbablePrime(rounds: 25), pub.q.isProbablePrime(rounds: 25) else {
            throw OTRError.checkFailed("potr key", "p or q is not prime")
        }
        return try DSAPrivateKey(p: pub.p, q: pub.q, g: pub.g, y: pub.y, x: x)
    }
}
