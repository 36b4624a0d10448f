internal import CGcrypt
internal import CGMP

/// One-time set-up of the C libraries. libgcrypt must see
/// `gcry_check_version` before any other call, and GMP's allocator is
/// replaced by one that wipes memory on release; a lazily-initialised
/// static runs both exactly once, and every crypto entry point touches it.
enum CryptoLibraries {
    static let version: String = {
        otr_gmp_install_wiping_allocator()
        guard let v = otr_gcry_init() else {
            fatalError("libgcrypt is older than the version otrtool was built against")
        }
        return String(cString: v)
    }()

    @inline(__always)
    static func ensureInitialised() {
        _ = version
    }
}

/// The versions of the crypto libraries in use, for `--version`.
public enum CryptoLibraryVersions {
    public static var libgcrypt: String { CryptoLibraries.version }
    public static var gmp: String {
        CryptoLibraries.ensureInitialised()
        return String(cString: __gmp_version)
    }
}

/// Wraps a gcrypt error code into our error type.
func gcryptCheck(_ err: gcry_error_t, _ what: String) throws {
    guard err == 0 else {
        let text = String(cString: gcry_strerror(err))
        throw OTRError.crypto("\(what): \(text)")
    }
}
