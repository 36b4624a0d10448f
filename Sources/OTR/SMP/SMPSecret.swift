/// The secret x (or y) that SMP compares (spec "Socialist Millionaires'
/// Protocol (SMP)", "Secret information"): SHA-256 of the SMP version byte
/// 1, the initiator's fingerprint, the responder's fingerprint, the secure
/// session id and the user's secret, read as a big-endian integer.
///
/// Binding the fingerprints and the ssid into the secret means that equal
/// answers only match when both parties see the same keys, so a
/// man-in-the-middle cannot relay the comparison.
public struct SMPSecret: Sendable, Equatable {
    /// The version byte at the start of the hashed input; the spec defines 1.
    public static let version: UInt8 = 1

    /// The integer used as an exponent by the protocol.
    public let value: MPI

    /// `userSecret` is the answer as typed (libotr passes its bytes as they
    /// are, with no terminating NUL). `ssid` is the 8-byte secure session id.
    public init(initiatorFingerprint: Fingerprint, responderFingerprint: Fingerprint,
                ssid: [UInt8], userSecret: some ContiguousOctets) throws {
        guard ssid.count == 8 else {
            throw OTRError.invalidArgument("secure session id", "the ssid is 8 bytes, got \(ssid.count)")
        }
        let digest = HashFunction.sha256.secretDigest([
            [Self.version], initiatorFingerprint.bytes, responderFingerprint.bytes, ssid, userSecret,
        ])
        value = MPI(bytes: digest)
    }

    /// A secret given directly as the integer (test vectors, tools that
    /// were handed x).
    public init(value: MPI) {
        self.value = value
    }
}
