/// What a `Session` tells its user, in the order things happened: what the
/// spec says to display, warn about or ask for, and every secret the
/// session used, so a transcript can be written down whole.
public enum SessionEvent: Sendable {
    /// A message to display. `encrypted` is false for plaintext; `warning`
    /// says why the user should know it was not private (spec "Receiving
    /// plaintext"). `tlvs` are those of a Data Message.
    case message(text: [UInt8], tlvs: [TLV], encrypted: Bool, warning: String?)
    /// A Query Message or whitespace tag offering these versions arrived.
    case offerReceived(versions: [OTRVersion], whitespaceTag: Bool)
    /// We started an AKE in this version (sent a D-H Commit).
    case akeStarted(version: UInt16)
    /// The AKE completed: the session is now, or again, encrypted.
    case secure(AKEResult)
    /// A received AKE message failed a check; the AKE is over.
    case akeFailed(OTRError)
    /// A received message changed nothing, and why (spec "Ignore the message").
    case ignored(String)
    /// An OTR Error Message arrived; its human-readable text.
    case errorReceived([UInt8])
    /// A Data Message could not be read; an Error Message was sent unless
    /// it carried IGNORE_UNREADABLE.
    case unreadable(OTRError, replied: Bool)
    /// A message the session sends on its own could not be built (the
    /// message held back until the conversation was private, or an SMP
    /// reply); nothing was sent for it.
    case sendFailed(OTRError)
    /// A fragment could not be used.
    case fragmentProblem(ReassemblyProblem)
    /// The message state changed.
    case stateChanged(MessageState)
    /// The correspondent ended the private conversation (TLV type 1).
    case finished
    /// What the SMP state machine made of a received TLV.
    case smp(SMPOutcome)
    /// The correspondent asked to use the extra symmetric key (TLV type 8),
    /// or we did; the 32-byte key both sides now hold.
    case extraSymmetricKey(use: UInt32, useData: [UInt8], key: SecureBytes, sent: Bool)
    /// A D-H key pair of ours came into use with this serial number.
    case dhKeyPair(keyID: UInt32, pair: DHKeyPair)
    /// The keys of one Data Message sent or received.
    case dataKeys(DataMessageKeys)
    /// The random exponents of an SMP step (spec names: a2, a3, r2, ...).
    case smpExponents([SMPExponent])
    /// A stored text went out when the AKE completed: held back until the
    /// conversation was private, or (`prefixed`, with "[resent] ") sent
    /// again after an OTR Error. `text` is what was encrypted.
    case resent(text: [UInt8], prefixed: Bool)
    /// A stored text was not sent when the AKE completed, and why (too old,
    /// or the AKE authenticated another long-term key than the one it was
    /// encrypted to).
    case resendRefused(String)
    /// A heartbeat went out: an empty Data message with IGNORE_UNREADABLE,
    /// because a Data message arrived and nothing was sent for 60 s.
    case heartbeatSent
    /// State the session kept too long was forgotten, and what.
    case expired(String)
    /// A text the user sent went out unencrypted, and why that was allowed.
    case sentUnencrypted(String)
}

/// One event and the instance of the correspondent it belongs to (spec
/// "Instance Tags"): nil for what concerns no instance in particular
/// (version 2, offers, errors, an AKE started before the correspondent's
/// instance is known).
public struct SessionRecord: Sendable {
    public let event: SessionEvent
    public let instance: InstanceTag?

    public init(_ event: SessionEvent, instance: InstanceTag?) {
        self.event = event
        self.instance = instance
    }
}

/// The keys one Data Message was sealed or opened with, as a transcript
/// records them.
public struct DataMessageKeys: Sendable {
    public enum Direction: String, Sendable { case sent, received }
    public var direction: Direction
    public var senderKeyID: UInt32
    public var recipientKeyID: UInt32
    /// The counter's top half.
    public var counter: [UInt8]
    public var aesKey: SecureBytes
    public var macKey: SecureBytes
    public var extraSymmetricKey: SecureBytes
    /// The MAC keys this message revealed.
    public var revealedMACKeys: [[UInt8]]
}

/// What one call to a `Session` produced: the wire messages to send, in
/// order, and the events for the user.
public struct SessionOutput: Sendable {
    public var wire: [[UInt8]] = []
    /// The events with their instances, in order.
    public private(set) var records: [SessionRecord] = []

    /// The events alone, in order.
    public var events: [SessionEvent] { records.map(\.event) }

    public init(wire: [[UInt8]] = [], events: [SessionEvent] = [], instance: InstanceTag? = nil) {
        self.wire = wire
        records = events.map { SessionRecord($0, instance: instance) }
    }

    mutating func note(_ event: SessionEvent, instance: InstanceTag?) {
        records.append(SessionRecord(event, instance: instance))
    }

    mutating func append(_ other: SessionOutput) {
        wire += other.wire
        records += other.records
    }
}
