internal import CGcrypt

/// AES-128 in counter mode (spec "Data Message": "AES128-CTR"; the AKE
/// encrypts with a zero counter). OTR's initial counter block is the
/// 8-byte top half carried in the message followed by 8 zero bytes, and
/// the block counter then increments over all 16 bytes, big-endian.
public enum AESCounterMode {
    public static let keyLength = 16
    public static let blockLength = 16

    /// Encrypts or decrypts (the same operation in counter mode).
    public static func apply(key: some ContiguousOctets, initialCounterBlock: some ContiguousOctets,
                             _ data: some ContiguousOctets) throws -> SecureBytes {
        CryptoLibraries.ensureInitialised()
        guard key.octetCount == keyLength else {
            throw OTRError.invalidArgument("AES key", "must be 16 bytes, got \(key.octetCount)")
        }
        guard initialCounterBlock.octetCount == blockLength else {
            throw OTRError.invalidArgument("counter", "initial counter block must be 16 bytes")
        }
        var handle: gcry_cipher_hd_t? = nil
        try gcryptCheck(gcry_cipher_open(&handle, Int32(GCRY_CIPHER_AES.rawValue),
                                         Int32(GCRY_CIPHER_MODE_CTR.rawValue),
                                         UInt32(GCRY_CIPHER_SECURE.rawValue)), "AES open")
        defer { gcry_cipher_close(handle) }
        try key.withUnsafeBytes { try gcryptCheck(gcry_cipher_setkey(handle, $0.baseAddress, $0.count), "AES key") }
        try initialCounterBlock.withUnsafeBytes { try gcryptCheck(gcry_cipher_setctr(handle, $0.baseAddress, $0.count), "AES counter") }
        let n = data.octetCount
        return try SecureBytes(count: n) { out in
            guard n > 0 else { return }
            try data.withUnsafeBytes { input in
                try gcryptCheck(gcry_cipher_encrypt(handle, out.baseAddress, n, input.baseAddress, n), "AES-CTR")
            }
        }
    }

    /// OTR's form: `topHalf` is the 8-byte counter value of a Data message
    /// (zero in the AKE), the low half of the block is zero.
    public static func apply(key: some ContiguousOctets, counterTopHalf: some ContiguousOctets,
                             _ data: some ContiguousOctets) throws -> SecureBytes {
        guard counterTopHalf.octetCount == 8 else {
            throw OTRError.invalidArgument("counter", "top half must be 8 bytes, got \(counterTopHalf.octetCount)")
        }
        let block = counterTopHalf.octets + [UInt8](repeating: 0, count: 8)
        return try apply(key: key, initialCounterBlock: block, data)
    }
}
