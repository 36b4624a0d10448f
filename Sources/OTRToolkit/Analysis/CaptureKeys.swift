import OTR

/// The secrets a user holds for a capture: any of them lets the analyser
/// verify, decrypt or derive more.

public struct CaptureKeys: Sendable {
    /// Data-message AES keys; each one's MAC key is SHA-1 of it.
    public var aesKeys: [SecureBytes]
    /// Data-message MAC keys, to verify without decrypting.
    public var macKeys: [SecureBytes]
    /// D-H private exponents of either party (AKE or data-message keys).
    public var dhKeyPairs: [DHKeyPair]
    /// AKE shared secrets s.
    public var sharedSecrets: [MPI]
    /// Secret SMP exponents of a party (a2, a3 or b2, b3): with them the
    /// proofs of P and Q and the outcome of an exchange can be checked.
    public var smpExponents: [MPI]
    /// Whether the SMP secrets both parties answered with (`--smp-secret`,
    /// twice) are the same: then x = y (spec "SMP state machine": each
    /// is SHA-256 of the same fingerprints, ssid and secret) and every
    /// exchange should succeed.
    public var smpSecretsAgree: Bool?

    public init(aesKeys: [SecureBytes] = [], macKeys: [SecureBytes] = [], dhKeyPairs: [DHKeyPair] = [],
                sharedSecrets: [MPI] = [], smpExponents: [MPI] = [], smpSecretsAgree: Bool? = nil) {
        self.aesKeys = aesKeys
        self.macKeys = macKeys
        self.dhKeyPairs = dhKeyPairs
        self.sharedSecrets = sharedSecrets
        self.smpExponents = smpExponents
        self.smpSecretsAgree = smpSecretsAgree
    }

    /// No key that opens a message (SMP exponents open none).
    public var isEmpty: Bool { aesKeys.isEmpty && macKeys.isEmpty && dhKeyPairs.isEmpty && sharedSecrets.isEmpty }
}

/// Where the keys that opened a Data Message came from.
public enum DataKeySource: Sendable, Equatable {
    /// The n-th (0-based) `--aes-key`.
    case aesKey(Int)
    /// The n-th `--mac-key` (verified only; nothing to decrypt with).
    case macKey(Int)
    /// Derived from the n-th D-H private key and a public value seen in
    /// the capture; `holderSent` says whether that key's holder sent it.
    case dhPrivateKey(Int, theirPublic: MPI, holderSent: Bool)
    /// Derived from the n-th AKE shared secret for the AKE's key pair.
    case sharedSecret(Int, holderOfGxSent: Bool)
}
