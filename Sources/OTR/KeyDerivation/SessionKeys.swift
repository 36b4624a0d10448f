/// Everything one pair of D-H values determines (spec "Computing AKE keys"
/// and "Computing data keys"): the data-message keys of both directions,
/// the extra symmetric key, the ssid and the AKE keys, and the version 1
/// session id that libotr's otr_sesskeys prints.
public struct SessionKeys: Sendable {
    public let ourPublic: MPI
    public let theirPublic: MPI
    public let data: DataKeys
    public let ake: AKEKeys
    /// SHA-1(0x00 || secbytes), all 20 bytes: the session id of protocol
    /// version 1, which otr_sesskeys prints as "Session id".
    public let version1SessionID: [UInt8]

    /// From our private exponent and their public value. Their value must
    /// satisfy 2 <= g^y <= p-2 (spec "Authenticated Key Exchange"); the
    /// error names that rule.
    public init(ours: DHKeyPair, theirPublic: MPI) throws {
        let secret = try SharedSecret(ours: ours, theirs: theirPublic)
        ourPublic = ours.publicKey
        self.theirPublic = theirPublic
        data = DataKeys(secret, ourPublic: ours.publicKey, theirPublic: theirPublic)
        ake = AKEKeys(secret)
        version1SessionID = secret.h1(0x00).octets
    }
}

extension AKERole {
    /// The half of the ssid this party shows in bold (spec "Computing AKE
    /// keys": the Reveal Signature sender, Bob, the first 32 bits; the
    /// Signature sender, Alice, the second): 0 or 1, as libotr's
    /// OTRL_SESSIONID_FIRST_HALF_BOLD and SECOND_HALF_BOLD.
    public var ssidBoldHalf: Int { self == .bob ? 0 : 1 }
}
