/// What a successful AKE established (spec "Authenticated Key Exchange",
/// "Computing AKE keys"): the secure session id, who the other party
/// proved to be, and the D-H keys the data exchange starts from.
public struct AKEResult: Sendable {
    /// 2 or 3.
    public let version: UInt16
    /// Our and their instance tags (version 3); nil in version 2.
    public let ourInstance: InstanceTag?
    public let theirInstance: InstanceTag?
    /// The role we played: .bob sent the Reveal Signature, .alice the Signature.
    public let role: AKERole
    /// The keys derived from the shared secret, ssid included.
    public let keys: AKEKeys
    /// Their long-term public key, as their signed part revealed it.
    public let theirPublicKey: DSAPublicKey
    /// Their D-H public value and the keyid they gave it in the AKE.
    public let theirDHPublicKey: MPI
    public let theirKeyID: UInt32
    /// Our D-H key pair and the keyid we gave it in the AKE.
    public let ourDHKeyPair: DHKeyPair
    public let ourKeyID: UInt32

    public init(version: UInt16, ourInstance: InstanceTag?, theirInstance: InstanceTag?, role: AKERole, keys: AKEKeys,
                theirPublicKey: DSAPublicKey, theirDHPublicKey: MPI, theirKeyID: UInt32,
                ourDHKeyPair: DHKeyPair, ourKeyID: UInt32) {
        self.version = version
        self.ourInstance = ourInstance
        self.theirInstance = theirInstance
        self.role = role
        self.keys = keys
        self.theirPublicKey = theirPublicKey
        self.theirDHPublicKey = theirDHPublicKey
        self.theirKeyID = theirKeyID
        self.ourDHKeyPair = ourDHKeyPair
        self.ourKeyID = ourKeyID
    }

    /// The secure session id, 8 bytes.
    public var ssid: [UInt8] { keys.ssid }

    /// The half of the ssid we show in bold (spec "Computing AKE keys"):
    /// 0, the first 32 bits, for the Reveal Signature sender; 1 for the
    /// Signature sender.
    public var ssidBoldHalf: Int { role.ssidBoldHalf }

    /// The fingerprint of their long-term key.
    public var theirFingerprint: Fingerprint { theirPublicKey.fingerprint }
}

/// What one step of the AKE produced: the messages to send, in order, the
/// result when the AKE completed, and, when the received message changed
/// nothing, the reason it was ignored.
public struct AKEOutput: Sendable {
    public var messages: [EncodedMessage]
    public var result: AKEResult?
    /// Why the message was ignored (spec: "Ignore the message"), if it was.
    /// A message can be ignored and still answered: of two crossing D-H
    /// Commits, the side whose hashed g^x is higher ignores the other's and
    /// resends its own.
    public var ignoredBecause: String?

    public init(messages: [EncodedMessage] = [], result: AKEResult? = nil, ignoredBecause: String? = nil) {
        self.messages = messages
        self.result = result
        self.ignoredBecause = ignoredBecause
    }

    static func ignored(_ reason: String) -> AKEOutput { AKEOutput(ignoredBecause: reason) }
}
