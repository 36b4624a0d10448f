internal import CGcrypt

/// The hash functions OTR uses (spec: "SHA-1", "SHA-256" throughout the
/// AKE and data exchange), computed by libgcrypt over one or more parts.
public enum HashFunction: Sendable {
    case sha1
    case sha256

    public var digestLength: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        }
    }

    var gcryAlgorithm: Int32 {
        switch self {
        case .sha1: Int32(GCRY_MD_SHA1.rawValue)
        case .sha256: Int32(GCRY_MD_SHA256.rawValue)
        }
    }

    /// Digest of the concatenation of `parts`, into wiped memory.
    public func secretDigest(_ parts: [any ContiguousOctets]) -> SecureBytes {
        CryptoLibraries.ensureInitialised()
        var handle: gcry_md_hd_t? = nil
        let err = gcry_md_open(&handle, gcryAlgorithm, UInt32(GCRY_MD_FLAG_SECURE.rawValue))
        precondition(err == 0, "gcry_md_open failed for a built-in algorithm")
        defer { gcry_md_close(handle) }
        for part in parts {
            part.withUnsafeBytes { gcry_md_write(handle, $0.baseAddress, $0.count) }
        }
        let out = gcry_md_read(handle, gcryAlgorithm)!
        return SecureBytes(count: digestLength) { $0.copyMemory(from: UnsafeRawBufferPointer(start: out, count: digestLength)) }
    }

    /// Digest of the concatenation of `parts`.
    public func digest(_ parts: any ContiguousOctets...) -> [UInt8] {
        secretDigest(parts).octets
    }
}
