import OTR

/// otrtool's version, and what `otrtool --version` says: the versions of
/// the C libraries linked beside it, which a report of a problem needs.
public enum ToolVersion {
    public static let string = "0.1.0"

    public static var line: String {
        "otrtool \(string) (libgcrypt \(CryptoLibraryVersions.libgcrypt), GMP \(CryptoLibraryVersions.gmp))"
    }
}
