/// One party's side of the Authenticated Key Exchange with one
/// correspondent (spec "Authenticated Key Exchange (AKE)" and "The protocol
/// state machine"): the authentication state, and what to send on each
/// message received in each state, in protocol versions 2 and 3.
///
/// Pure: it takes decoded messages and returns the messages to send and,
/// when the AKE completes, an `AKEResult`. Every random value (r, x, y and
/// the DSA nonces) comes from the injected `RandomSource`, so a seeded
/// source replays an AKE byte for byte.
///
/// Errors: a Reveal Signature or Signature whose commitment, MAC or
/// signature does not verify ends the AKE (authstate returns to NONE, spec
/// "Authentication state": "Regardless of whether the signature
/// verifications succeed, the authstate variable is transitioned to
/// AUTHSTATE_NONE") and throws `OTRError` with code `.checkFailed` naming
/// the check. A D-H Key whose g^y is out of range throws `.outOfRange` and
/// leaves the state as it was. Messages that are not for the current state
/// are ignored, as the spec's table says, and the output says why.
public struct AKEStateMachine {
    /// Our long-term key: it signs M_B or M_A.
    public let longTermKey: DSAPrivateKey
    /// Our instance tag, sent in every version 3 header.
    public let ourInstance: InstanceTag?
    /// The correspondent's instance tag when it is known in advance; nil
    /// accepts the instance that answers (spec "Instance Tags").
    public private(set) var theirInstance: InstanceTag?
    /// The versions this party allows (policy ALLOW_V2, ALLOW_V3).
    public let allowedVersions: Set<UInt16>
    /// The serial number of our D-H key in the AKE (spec: keyidA, keyidB,
    /// "must be greater than 0"); libotr uses 1.
    public let keyID: UInt32

    private let random: RandomSource
    private var phase: Phase = .none
    /// The instance we are running the current AKE with, once known.
    private var peer: InstanceTag?

    /// - Throws: `.invalidArgument` when a version other than 2 or 3 is
    ///   allowed, none is, version 3 is allowed without a valid instance
    ///   tag of ours, or `keyID` is 0.
    public init(longTermKey: DSAPrivateKey, random: RandomSource, ourInstance: InstanceTag? = nil,
                theirInstance: InstanceTag? = nil, allowedVersions: Set<UInt16> = [2, 3], keyID: UInt32 = 1) throws {
        guard !allowedVersions.isEmpty, allowedVersions.isSubset(of: [2, 3]) else {
            throw OTRError.invalidArgument("versions", "the AKE runs in versions 2 and 3 only, got \(allowedVersions.sorted())")
        }
        if allowedVersions.contains(3) {
            guard let ourInstance, ourInstance.isValidSender else {
                throw OTRError.invalidArgument("our instance tag", "version 3 needs an instance tag of at least 0x00000100")
            }
        }
        if let theirInstance, !theirInstance.isValidSender {
            throw OTRError.invalidArgument("their instance tag", "an instance tag is at least 0x00000100")
        }
        guard keyID > 0 else {
            throw OTRError.invalidArgument("keyid", "a D-H keyid must be greater than 0")
        }
        self.longTermKey = longTermKey
        self.random = random
        self.ourInstance = ourInstance
        self.theirInstance = theirInstance
        self.allowedVersions = allowedVersions
        self.keyID = keyID
        self.peer = theirInstance
    }

    // MARK: State

    /// Our D-H Commit with the secrets it commits to.
    private struct Commitment {
        var r: SecureBytes
        var ours: DHKeyPair
        var message: DHCommitMessage
        var version: UInt16 { message.header.version }
    }

    private enum Phase {
        case none
        case awaitingDHKey(Commitment)
        case awaitingRevealSignature(ours: DHKeyPair, sent: DHKeyMessage, theirCommit: DHCommitMessage)
        case awaitingSignature(Commitment, theirPublic: MPI, keys: AKEKeys, sent: RevealSignatureMessage)
    }

    public var state: AuthenticationState {
        switch phase {
        case .none: .none
        case .awaitingDHKey: .awaitingDHKey
        case .awaitingRevealSignature: .awaitingRevealSignature
        case .awaitingSignature: .awaitingSignature
        }
    }

    /// The protocol version of the AKE in progress, nil in AUTHSTATE_NONE.
    public var version: UInt16? {
        switch phase {
        case .none: nil
        case .awaitingDHKey(let c): c.version
        case .awaitingRevealSignature(_, let sent, _): sent.header.version
        case .awaitingSignature(let c, _, _, _): c.version
        }
    }

    // MARK: Starting

    /// Starts an AKE (spec "Receiving a Query Message": "Send a version N
    /// D-H Commit Message, and transition authstate to
    /// AUTHSTATE_AWAITING_DHKEY"), from any state: an AKE in progress is
    /// forgotten.
    public mutating func start(version: UInt16) throws -> AKEOutput {
        guard allowedVersions.contains(version) else {
            throw OTRError.invalidArgument("version", "version \(version) is not allowed")
        }
        peer = theirInstance
        // Spec "D-H Commit Message": r of 128 bits, x of at least 320 bits.
        let r = random.bytes(16)
        let ours = DHKeyPair(random: random)
        let commit = try DHCommitMessage(header: header(.dhCommit, version: version, to: theirInstance ?? .zero),
                                         committingTo: ours.publicKey, r: r)
        phase = .awaitingDHKey(Commitment(r: r, ours: ours, message: commit))
        return AKEOutput(messages: [.dhCommit(commit)])
    }

    // MARK: Receiving

    /// Handles one received message by the spec's table for the current
    /// state.
    public mutating func receive(_ message: EncodedMessage) throws -> AKEOutput {
        switch message {
        case .dhCommit(let m):
            if let reason = admission(m.header, isCommit: true) { return .ignored(reason) }
            return receive(m)
        case .dhKey(let m):
            if let reason = admission(m.header, isCommit: false) { return .ignored(reason) }
            return try receive(m)
        case .revealSignature(let m):
            if let reason = admission(m.header, isCommit: false) { return .ignored(reason) }
            return try receive(m)
        case .signature(let m):
            if let reason = admission(m.header, isCommit: false) { return .ignored(reason) }
            return try receive(m)
        case .data, .version1, .unknownVersion:
            return .ignored("a \(message.name) message is not part of the AKE")
        }
    }

    /// Why a message must be dropped before the table is consulted (spec
    /// "State transitions": versions not allowed are ignored; "Instance
    /// Tags": a message for another instance, or from an invalid one, is
    /// discarded; only a D-H Commit may name receiver instance 0), or nil.
    private func admission(_ header: MessageHeader, isCommit: Bool) -> String? {
        guard allowedVersions.contains(header.version) else {
            return "version \(header.version) is not allowed"
        }
        guard MessageHeader.hasInstanceTags(version: header.version) else { return nil }
        let sender = header.senderInstance ?? .zero, receiver = header.receiverInstance ?? .zero
        if !sender.isValidSender { return "sender instance tag \(sender) is below 0x00000100" }
        if receiver == .zero {
            if !isCommit { return "receiver instance tag 0 is allowed on a D-H Commit only" }
        } else if receiver != ourInstance {
            return "receiver instance tag \(receiver) is not ours (\(ourInstance ?? .zero))"
        }
        // A new D-H Commit may come from another instance of the
        // correspondent (spec "Receiving a D-H Commit Message"); every later
        // message must come from the instance the AKE runs with.
        let expected = isCommit ? theirInstance : peer
        if let expected, sender != expected {
            return "sender instance tag \(sender) is not the correspondent's (\(expected))"
        }
        return nil
    }

    /// Spec "Receiving a D-H Commit Message".
    private mutating func receive(_ m: DHCommitMessage) -> AKEOutput {
        guard m.hashedGx.count == 32 else {
            return .ignored("hashed g^x is \(m.hashedGx.count) bytes, not a 32-byte SHA-256 hash")
        }
        switch phase {
        case .none, .awaitingSignature:
            return replyWithNewDHKey(to: m)
        case .awaitingDHKey(let ours):
            // The two hashes as 32-byte unsigned big-endian values: the
            // side whose hash is higher keeps its commitment.
            if ours.message.hashedGx.lexicographicallyPrecedes(m.hashedGx) || ours.message.hashedGx == m.hashedGx {
                return replyWithNewDHKey(to: m)
            }
            return AKEOutput(messages: [.dhCommit(ours.message)],
                             ignoredBecause: "our hashed g^x is higher: the other D-H Commit is ignored and ours resent")
        case .awaitingRevealSignature(let ours, let sent, _):
            // Retransmit the same D-H Key and use the new commitment. A
            // commit in another version or from another instance gets the
            // same g^y under the header it needs.
            var reply = sent
            reply.header = header(.dhKey, version: m.header.version, to: m.header.senderInstance ?? .zero)
            peer = m.header.senderInstance.flatMap { $0 == .zero ? nil : $0 }
            phase = .awaitingRevealSignature(ours: ours, sent: reply, theirCommit: m)
            return AKEOutput(messages: [.dhKey(reply)])
        }
    }

    /// "Reply with a D-H Key Message, and transition authstate to
    /// AUTHSTATE_AWAITING_REVEALSIG", with a fresh y.
    private mutating func replyWithNewDHKey(to m: DHCommitMessage) -> AKEOutput {
        let ours = DHKeyPair(random: random)
        let reply = DHKeyMessage(header: header(.dhKey, version: m.header.version, to: m.header.senderInstance ?? .zero),
                                 gy: ours.publicKey)
        peer = m.header.senderInstance.flatMap { $0 == .zero ? nil : $0 }
        phase = .awaitingRevealSignature(ours: ours, sent: reply, theirCommit: m)
        return AKEOutput(messages: [.dhKey(reply)])
    }

    /// Spec "Receiving a D-H Key Message".
    private mutating func receive(_ m: DHKeyMessage) throws -> AKEOutput {
        switch phase {
        case .awaitingDHKey(let commitment):
            guard m.header.version == commitment.version else {
                return .ignored("a version \(m.header.version) D-H Key answers no version \(commitment.version) D-H Commit")
            }
            // Spec "Authenticated Key Exchange": "Verifies that Alice's g^y
            // is a legal value"; the message is unusable, the AKE goes on.
            try DHGroup.checkPublicValue(m.gy, field: "D-H Key g^y")
            let keys = AKEKeys(try SharedSecret(ours: commitment.ours, theirs: m.gy))
            let gx = commitment.ours.publicKey
            let signed = try signedPart(macKey: keys.m1, first: gx, second: m.gy)
            let sealed = try AKESignatureCheck.seal(signed, keys: keys, role: .bob)
            let reveal = RevealSignatureMessage(
                header: header(.revealSignature, version: commitment.version, to: m.header.senderInstance ?? .zero),
                revealedKey: commitment.r.octets, encryptedSignature: sealed.encrypted, mac: sealed.mac)
            peer = m.header.senderInstance
            phase = .awaitingSignature(commitment, theirPublic: m.gy, keys: keys, sent: reveal)
            return AKEOutput(messages: [.revealSignature(reveal)])
        case .awaitingSignature(_, let theirPublic, _, let sent):
            guard m.gy == theirPublic else {
                return .ignored("a D-H Key with another g^y than the one our Reveal Signature answered")
            }
            return AKEOutput(messages: [.revealSignature(sent)])
        case .none, .awaitingRevealSignature:
            return .ignored("a D-H Key is not expected in \(state.specName)")
        }
    }

    /// Spec "Receiving a Reveal Signature Message": we are Alice.
    private mutating func receive(_ m: RevealSignatureMessage) throws -> AKEOutput {
        guard case .awaitingRevealSignature(let ours, let sent, let commit) = phase else {
            return .ignored("a Reveal Signature is not expected in \(state.specName)")
        }
        let version = sent.header.version
        guard m.header.version == version else {
            return .ignored("a version \(m.header.version) Reveal Signature in a version \(version) AKE")
        }
        guard m.revealedKey.count == 16 else {
            throw abort(.checkFailed("Reveal Signature revealed key", "r must be 16 bytes, is \(m.revealedKey.count)"))
        }
        let opening = DHCommitOpening.open(commit, revealedKey: m.revealedKey)
        guard opening.hashMatches, let gx = opening.gx else {
            throw abort(.checkFailed("D-H Commit", "the revealed r does not open the commitment: "
                                     + (opening.problem ?? "SHA-256 of g^x differs from the hashed g^x")))
        }
        guard DHGroup.isValidPublicValue(gx) else {
            throw abort(.checkFailed("D-H Commit g^x", "g^x must satisfy 2 <= g^x <= p-2"))
        }
        let keys = AKEKeys(try SharedSecret(ours: ours, theirs: gx))
        let part = try verify(AKESignatureCheck.check(encryptedSignature: m.encryptedSignature, mac: m.mac, keys: keys,
                                                      role: .bob, gx: gx, gy: ours.publicKey),
                              message: "Reveal Signature")
        let signed = try signedPart(macKey: keys.m1Prime, first: ours.publicKey, second: gx)
        let sealed = try AKESignatureCheck.seal(signed, keys: keys, role: .alice)
        let reply = SignatureMessage(header: header(.signature, version: version, to: m.header.senderInstance ?? .zero),
                                     encryptedSignature: sealed.encrypted, mac: sealed.mac)
        let result = AKEResult(version: version, ourInstance: instance(version, ourInstance),
                               theirInstance: instance(version, m.header.senderInstance), role: .alice, keys: keys,
                               theirPublicKey: part.publicKey, theirDHPublicKey: gx, theirKeyID: part.keyID,
                               ourDHKeyPair: ours, ourKeyID: keyID)
        finish()
        return AKEOutput(messages: [.signature(reply)], result: result)
    }

    /// Spec "Receiving a Signature Message": we are Bob.
    private mutating func receive(_ m: SignatureMessage) throws -> AKEOutput {
        guard case .awaitingSignature(let commitment, let theirPublic, let keys, _) = phase else {
            return .ignored("a Signature is not expected in \(state.specName)")
        }
        guard m.header.version == commitment.version else {
            return .ignored("a version \(m.header.version) Signature in a version \(commitment.version) AKE")
        }
        let part = try verify(AKESignatureCheck.check(encryptedSignature: m.encryptedSignature, mac: m.mac, keys: keys,
                                                      role: .alice, gx: commitment.ours.publicKey, gy: theirPublic),
                              message: "Signature")
        let result = AKEResult(version: commitment.version, ourInstance: instance(commitment.version, ourInstance),
                               theirInstance: instance(commitment.version, m.header.senderInstance), role: .bob,
                               keys: keys, theirPublicKey: part.publicKey, theirDHPublicKey: theirPublic,
                               theirKeyID: part.keyID, ourDHKeyPair: commitment.ours, ourKeyID: keyID)
        finish()
        return AKEOutput(result: result)
    }

    // MARK: Helpers

    private func header(_ type: MessageType, version: UInt16, to receiver: InstanceTag) -> MessageHeader {
        guard MessageHeader.hasInstanceTags(version: version) else {
            return MessageHeader(version: version, type: type.rawValue)
        }
        return MessageHeader(version: version, type: type.rawValue, senderInstance: ourInstance ?? .zero,
                             receiverInstance: receiver)
    }

    private func instance(_ version: UInt16, _ tag: InstanceTag?) -> InstanceTag? {
        MessageHeader.hasInstanceTags(version: version) ? tag : nil
    }

    /// X_B or X_A: our public key, keyid and the signature over
    /// M = SHA256-HMAC(macKey, first || second || pub || keyid).
    private func signedPart(macKey: SecureBytes, first: MPI, second: MPI) throws -> AKESignedPart {
        let pub = longTermKey.publicKey
        let m = AKESignedPart.authenticator(macKey: macKey, first: first, second: second, publicKey: pub, keyID: keyID)
        let signature = try longTermKey.sign(m, random: random)
        return AKESignedPart(publicKey: pub, keyID: keyID, signature: try signature.encoded(halfLength: pub.signatureHalfLength))
    }

    /// The signed part of a verified Reveal Signature or Signature, or the
    /// AKE ends with the check that failed.
    private mutating func verify(_ check: AKESignatureCheck, message: String) throws -> AKESignedPart {
        guard check.macValid else {
            throw abort(.checkFailed("\(message) MAC", "the MAC of the encrypted signature does not verify"))
        }
        guard let part = check.signedPart else {
            throw abort(.checkFailed("\(message) encrypted signature", "does not decrypt to a signed part: \(check.problem ?? "unreadable")"))
        }
        guard check.signatureValid else {
            throw abort(.checkFailed("\(message) signature", "the signature does not verify under the revealed public key"))
        }
        guard part.keyID > 0 else {
            throw abort(.checkFailed("\(message) keyid", "a D-H keyid must be greater than 0"))
        }
        return part
    }

    /// This AKE as it stands, continued with one instance of the
    /// correspondent: a version 3 D-H Commit sent to receiver instance 0
    /// may be answered by several instances, and each goes on with its own
    /// copy of our commitment (what libotr does when a D-H Key arrives from
    /// an instance it had no conversation with).
    public func continued(with instance: InstanceTag) -> AKEStateMachine {
        var copy = self
        copy.theirInstance = instance
        copy.peer = instance
        return copy
    }

    /// Forgets the AKE in progress (libotr's otrl_message_poll wipes a D-H
    /// Commit that no D-H Key answered in time).
    public mutating func forget() {
        finish()
    }

    /// Back to AUTHSTATE_NONE after an AKE that succeeded.
    private mutating func finish() {
        phase = .none
        peer = theirInstance
    }

    /// Back to AUTHSTATE_NONE after an AKE that failed; returns the error.
    private mutating func abort(_ error: OTRError) -> OTRError {
        finish()
        return error
    }
}
