/// The D-H keys of an encrypted conversation (spec "Key Management"): our
/// two most recent key pairs, the correspondent's two most recent public
/// keys, the data keys and counters of each pair in use, and the MAC keys
/// that rotation retired and the next Data Message must reveal.
///
/// It follows the spec step by step: sending uses our_dh[our_keyid-1] with
/// their_y[their_keyid]; a received message must name one of the two most
/// recent keys on each side, carry a valid MAC and a counter above the last
/// one seen with that pair; then the keys rotate.
public struct DataKeyRing {
    /// our_keyid: the serial number of our most recent key pair.
    public private(set) var ourKeyID: UInt32
    /// their_keyid: the serial number of their most recent public key.
    public private(set) var theirKeyID: UInt32

    private var ourCurrent: DHKeyPair
    private var ourPrevious: DHKeyPair
    private var theirCurrent: MPI
    private var theirPrevious: MPI?
    private var pairs: [KeyPairID: PairState] = [:]
    /// Retired MAC keys, 20 bytes each, not yet revealed.
    private var retiredMACKeys: [UInt8] = []
    private let random: RandomSource

    /// The serial numbers of one of our key pairs and one of their keys.
    public struct KeyPairID: Hashable, Sendable {
        public var ours: UInt32
        public var theirs: UInt32
    }

    private struct PairState {
        var keys: DataKeys
        /// The top half of the last counter we sent, and the last we accepted.
        var sent: UInt64 = 0
        var received: UInt64 = 0
        var sendingMACUsed = false
        var receivingMACUsed = false
    }

    /// Keys right after an AKE (spec "Key Management": "generate two DH key
    /// pairs for yourself, and set our_keyid = 2"; the AKE sent the first).
    /// `newKeyPair` is our_dh[our_keyid], made now from `random`.
    public init(ake: AKEResult, random: RandomSource) {
        self.random = random
        ourPrevious = ake.ourDHKeyPair
        ourCurrent = DHKeyPair(random: random)
        ourKeyID = ake.ourKeyID &+ 1
        theirCurrent = ake.theirDHPublicKey
        theirPrevious = nil
        theirKeyID = ake.theirKeyID
    }

    /// Our most recent key pair (sent as next_dh) and its serial number.
    public var ourNewestKeyPair: (keyID: UInt32, pair: DHKeyPair) { (ourKeyID, ourCurrent) }

    // MARK: Sending

    /// What one Data Message is sent with (spec "When you send a Data
    /// Message").
    public struct Sending: Sendable {
        public var senderKeyID: UInt32
        public var recipientKeyID: UInt32
        public var nextDHKey: MPI
        /// The counter's top half, 8 bytes; the low half is zero.
        public var counter: [UInt8]
        public var keys: DataKeys
        /// Retired MAC keys to reveal in this message (20 bytes each).
        public var oldMACKeys: [UInt8]
    }

    /// Keys, counter and old MAC keys for the next Data Message. The
    /// counter of the pair is incremented first, so it is never reused
    /// (libotr starts each pair at 1).
    public mutating func nextSending() throws -> Sending {
        let id = KeyPairID(ours: ourKeyID &- 1, theirs: theirKeyID)
        var state = try pairState(id, ours: ourPrevious, theirs: theirCurrent)
        guard state.sent < UInt64.max else {
            throw OTRError.limitExceeded("counter", "the counter of key pair \(id.ours)/\(id.theirs) is exhausted")
        }
        state.sent += 1
        state.sendingMACUsed = true
        pairs[id] = state
        let old = retiredMACKeys
        retiredMACKeys = []
        return Sending(senderKeyID: id.ours, recipientKeyID: id.theirs, nextDHKey: ourCurrent.publicKey,
                       counter: DataMessage.counter(state.sent), keys: state.keys, oldMACKeys: old)
    }

    // MARK: Receiving

    /// What a received Data Message was opened with.
    public struct Receiving: Sendable {
        public var keyPair: KeyPairID
        public var keys: DataKeys
        public var plaintext: SecureBytes
        /// Whether our key pair rotated (their message acknowledged our newest).
        public var rotatedOurs: Bool
        /// Whether their key rotated (their next_dh became their newest).
        public var rotatedTheirs: Bool
    }

    /// Spec "When you receive a Data Message": keyids, MAC, counter,
    /// decryption, then rotation. `original` is the binary message the
    /// Data Message was read from; its MAC covers those exact bytes.
    /// Nothing changes when a check fails.
    public mutating func open(_ message: DataMessage, original: [UInt8]) throws -> Receiving {
        let id = KeyPairID(ours: message.recipientKeyID, theirs: message.senderKeyID)
        let ours: DHKeyPair
        if id.ours == ourKeyID {
            ours = ourCurrent
        } else if id.ours == ourKeyID &- 1 {
            ours = ourPrevious
        } else {
            throw OTRError.checkFailed("recipient keyid", "\(id.ours) is neither our newest key (\(ourKeyID)) nor the one before")
        }
        let theirs: MPI
        if id.theirs == theirKeyID {
            theirs = theirCurrent
        } else if id.theirs == theirKeyID &- 1, let previous = theirPrevious {
            theirs = previous
        } else {
            throw OTRError.checkFailed("sender keyid", "\(id.theirs) is neither their newest key (\(theirKeyID)) nor a previous key still known")
        }
        var state = try pairState(id, ours: ours, theirs: theirs)
        guard try message.verifyMAC(macKey: state.keys.receivingMACKey, original: original) else {
            throw OTRError.checkFailed("authenticator", "the MAC does not verify under the receiving MAC key of keys \(id.ours)/\(id.theirs)")
        }
        let counter = message.counterValue
        guard counter > state.received else {
            throw OTRError.checkFailed("counter", "\(Hex.encode(message.counter)) is not above the last counter seen with keys \(id.ours)/\(id.theirs)")
        }
        // Their next_dh becomes their_y[their_keyid+1]: it must be legal
        // before it is kept (spec "Authenticated Key Exchange" range rule).
        let willRotateTheirs = id.theirs == theirKeyID
        if willRotateTheirs {
            try DHGroup.checkPublicValue(message.nextDHKey, field: "next D-H key")
        }
        let plaintext = try message.decrypt(aesKey: state.keys.receivingAESKey)
        state.received = counter
        state.receivingMACUsed = true
        pairs[id] = state

        let rotateOurs = id.ours == ourKeyID
        if rotateOurs { rotateOurKeys() }
        if willRotateTheirs { rotateTheirKeys(next: message.nextDHKey) }
        return Receiving(keyPair: id, keys: state.keys, plaintext: plaintext,
                         rotatedOurs: rotateOurs, rotatedTheirs: willRotateTheirs)
    }

    // MARK: Rotation

    /// "He's seen the public part of our most recent DH key pair": forget
    /// our_dh[our_keyid-1], increment our_keyid, make a new pair.
    private mutating func rotateOurKeys() {
        let retiring = ourKeyID &- 1
        retire { $0.ours == retiring }
        ourPrevious = ourCurrent
        ourCurrent = DHKeyPair(random: random)
        ourKeyID &+= 1
    }

    /// Their next_dh becomes their newest key; their_y[their_keyid-1] goes.
    private mutating func rotateTheirKeys(next: MPI) {
        let retiring = theirKeyID &- 1
        retire { $0.theirs == retiring }
        theirPrevious = theirCurrent
        theirCurrent = next
        theirKeyID &+= 1
    }

    /// Drops the pairs that used a forgotten key and keeps the MAC keys
    /// they used, to reveal (spec "Revealing MAC Keys"): receiving, then
    /// sending, of each pair in order of keyids, as libotr lists them.
    private mutating func retire(where isRetired: (KeyPairID) -> Bool) {
        let gone = pairs.keys.filter(isRetired).sorted { ($0.ours, $0.theirs) > ($1.ours, $1.theirs) }
        for id in gone {
            guard let state = pairs.removeValue(forKey: id) else { continue }
            if state.receivingMACUsed { retiredMACKeys += state.keys.receivingMACKey.octets }
            if state.sendingMACUsed { retiredMACKeys += state.keys.sendingMACKey.octets }
        }
    }

    // MARK: Helpers

    private mutating func pairState(_ id: KeyPairID, ours: DHKeyPair, theirs: MPI) throws -> PairState {
        if let state = pairs[id] { return state }
        let state = PairState(keys: try DataKeys(ours: ours, theirPublic: theirs))
        pairs[id] = state
        return state
    }
}
