internal import CGcrypt

/// HMAC as OTR uses it: HMAC-SHA1 over Data messages (spec "Data
/// Message": MAC), HMAC-SHA256 in the AKE, and its first 160 bits
/// (SHA256-HMAC160) for the AKE's MACs over encrypted signatures.
public enum HMAC {
    public static func sha1(key: some ContiguousOctets, _ parts: any ContiguousOctets...) -> [UInt8] {
        compute(Int32(GCRY_MAC_HMAC_SHA1.rawValue), length: 20, key: key, parts).octets
    }

    public static func sha256(key: some ContiguousOctets, _ parts: any ContiguousOctets...) -> [UInt8] {
        compute(Int32(GCRY_MAC_HMAC_SHA256.rawValue), length: 32, key: key, parts).octets
    }

    /// SHA256-HMAC160: HMAC-SHA256 truncated to its first 160 bits
    /// (spec "Authenticated Key Exchange", MAC of the encrypted signature).
    public static func sha256_160(key: some ContiguousOctets, _ parts: any ContiguousOctets...) -> [UInt8] {
        Array(compute(Int32(GCRY_MAC_HMAC_SHA256.rawValue), length: 32, key: key, parts).octets.prefix(20))
    }

    static func compute(_ algorithm: Int32, length: Int, key: some ContiguousOctets, _ parts: [any ContiguousOctets]) -> SecureBytes {
        CryptoLibraries.ensureInitialised()
        var handle: gcry_mac_hd_t? = nil
        var err = gcry_mac_open(&handle, algorithm, UInt32(GCRY_MAC_FLAG_SECURE.rawValue), nil)
        precondition(err == 0, "gcry_mac_open failed for a built-in algorithm")
        defer { gcry_mac_close(handle) }
        err = key.withUnsafeBytes { k in
            // A zero-length key is legal in HMAC; libgcrypt wants a pointer anyway.
            var empty: UInt8 = 0
            return k.count == 0 ? gcry_mac_setkey(handle, &empty, 0) : gcry_mac_setkey(handle, k.baseAddress, k.count)
        }
        precondition(err == 0, "gcry_mac_setkey failed")
        for part in parts {
            part.withUnsafeBytes { p in
                if p.count > 0 { _ = gcry_mac_write(handle, p.baseAddress, p.count) }
            }
        }
        return SecureBytes(count: length) { out in
            var len = length
            let e = gcry_mac_read(handle, out.baseAddress, &len)
            precondition(e == 0 && len == length, "gcry_mac_read failed")
        }
    }
}
