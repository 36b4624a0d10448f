/// One party's OTR conversation with one correspondent (spec "The protocol
/// state machine"): the message state, the AKE, the data exchange with its
/// key rotation, SMP, the extra symmetric key, fragmentation and the
/// policy. It does no I/O: each call takes what the user did or what
/// arrived on the wire and returns the wire messages to send and the
/// events to show. Every random value comes from the injected source, so
/// a seeded source replays a conversation byte for byte.
///
/// One session talks to one instance of the correspondent: the first that
/// completes an AKE with it (or the one given). Version 3 messages for
/// other instances are ignored, as the spec allows.
///
/// Not done: heartbeats (spec "Receiving a Data Message" leaves their
/// interval to the client; a session without a clock sends none) and
/// version 1.
public struct Session {
    public struct Configuration: Sendable {
        public var longTermKey: DSAPrivateKey
        public var policy: Policy
        /// Our instance tag (version 3); must be at least 0x100.
        public var ourInstance: InstanceTag
        /// The correspondent's instance, when known in advance.
        public var theirInstance: InstanceTag?
        /// Longest wire message, in characters; longer OTR messages are
        /// fragmented as libotr fragments them. nil: never fragment.
        public var maximumMessageSize: Int?
        /// Our account name, shown in the Query Message's explanation.
        public var accountName: String

        public init(longTermKey: DSAPrivateKey, policy: Policy = .manual, ourInstance: InstanceTag,
                    theirInstance: InstanceTag? = nil, maximumMessageSize: Int? = nil, accountName: String = "") {
            self.longTermKey = longTermKey
            self.policy = policy
            self.ourInstance = ourInstance
            self.theirInstance = theirInstance
            self.maximumMessageSize = maximumMessageSize
            self.accountName = accountName
        }
    }

    public private(set) var configuration: Configuration
    public private(set) var messageState: MessageState = .plaintext
    /// The last completed AKE, while the session is encrypted or finished.
    public private(set) var established: AKEResult?

    private let random: RandomSource
    private var ake: AKEStateMachine
    private var smp: SMPStateMachine
    private var keys: DataKeyRing?
    private var reassembler = Reassembler(maximumPendingMessages: 16)
    private var wirePosition = 0
    /// A message typed while REQUIRE_ENCRYPTION held it back (spec: "Store
    /// the plaintext message for possible retransmission").
    private var storedMessage: [UInt8]?
    /// Whether a whitespace tag still goes on the next plaintext we send:
    /// libotr tags until one tagged message went out or the correspondent
    /// sent plaintext without a tag.
    private var offerPending: Bool

    public init(configuration: Configuration, random: RandomSource) throws {
        guard !configuration.policy.allowedVersions.isEmpty else {
            throw OTRError.invalidArgument("policy", "allows neither version 2 nor version 3: OTR is disabled")
        }
        if let size = configuration.maximumMessageSize, size < Fragmenter.minimumMessageSize(.v3) {
            throw OTRError.invalidArgument("maximum message size",
                                           "must be at least \(Fragmenter.minimumMessageSize(.v3)) to leave room for a fragment's header")
        }
        self.configuration = configuration
        self.random = random
        ake = try AKEStateMachine(longTermKey: configuration.longTermKey, random: random,
                                  ourInstance: configuration.ourInstance, theirInstance: configuration.theirInstance,
                                  allowedVersions: configuration.policy.allowedVersions)
        smp = SMPStateMachine(random: random)
        offerPending = configuration.policy.contains(.sendWhitespaceTag)
    }

    /// Changes the fragment size for later messages (nil: never fragment).
    public mutating func setMaximumMessageSize(_ size: Int?) throws {
        if let size, size < Fragmenter.minimumMessageSize(.v3) {
            throw OTRError.invalidArgument("maximum message size",
                                           "must be at least \(Fragmenter.minimumMessageSize(.v3)) to leave room for a fragment's header")
        }
        configuration.maximumMessageSize = size
    }

    public var authenticationState: AuthenticationState { ake.state }
    public var smpExpectedMessage: SMPStateMachine.ExpectedMessage { smp.expectedMessage }
    /// The serial numbers of our newest D-H key and theirs, while encrypted.
    public var keyIDs: (ours: UInt32, theirs: UInt32)? { keys.map { ($0.ourKeyID, $0.theirKeyID) } }

    // MARK: User actions

    /// Spec "User requests to start an OTR conversation": a Query Message
    /// offering the versions the policy allows.
    public mutating func requestConversation() -> SessionOutput {
        SessionOutput(wire: [Array(queryMessage().utf8)])
    }

    /// Starts an AKE directly with a D-H Commit, without a Query Message
    /// (what a client does on a whitespace tag; also to re-key).
    public mutating func startAKE(version: UInt16? = nil) throws -> SessionOutput {
        let chosen = version ?? (configuration.policy.contains(.allowV3) ? 3 : 2)
        var out = SessionOutput()
        try beginAKE(version: chosen, into: &out)
        return out
    }

    /// Spec "User types a message to be sent". Throws in MSGSTATE_FINISHED
    /// ("Inform the user that the message cannot be sent at this time"); the
    /// message is stored either way.
    public mutating func send(_ text: [UInt8], tlvs: [TLV] = []) throws -> SessionOutput {
        switch messageState {
        case .plaintext:
            if configuration.policy.contains(.requireEncryption) {
                storedMessage = text
                return requestConversation()
            }
            var wire = text
            if offerPending {
                wire += WhitespaceTag.encode(versions: configuration.policy.offeredVersions)
                offerPending = false
            }
            return SessionOutput(wire: [wire])
        case .encrypted:
            storedMessage = text
            return try dataMessage(text, tlvs: tlvs, flags: 0)
        case .finished:
            storedMessage = text
            throw OTRError.invalidArgument("message", "the correspondent ended the private conversation: end it too (MSGSTATE_FINISHED) before sending")
        }
    }

    /// Spec "User requests to end an OTR conversation".
    public mutating func end() throws -> SessionOutput {
        switch messageState {
        case .plaintext:
            return SessionOutput()
        case .encrypted:
            var out = try dataMessage([], tlvs: [TLV(type: TLV.Kind.disconnected.rawValue)],
                                      flags: DataMessage.ignoreUnreadable)
            leaveEncrypted(to: .plaintext, into: &out)
            return out
        case .finished:
            var out = SessionOutput()
            setState(.plaintext, into: &out)
            return out
        }
    }

    /// Spec "User requests to begin SMP", with the user's answer and an
    /// optional question.
    public mutating func startSMP(secret: some ContiguousOctets, question: [UInt8]? = nil) throws -> SessionOutput {
        let established = try encryptedSession("SMP")
        let x = try SMPSecret(initiatorFingerprint: configuration.longTermKey.publicKey.fingerprint,
                              responderFingerprint: established.theirFingerprint,
                              ssid: established.ssid, userSecret: secret)
        let tlvs = smp.start(secret: x, question: question)
        var out = SessionOutput(events: [.smpExponents(smp.lastExponents)])
        out.append(try dataMessage([], tlvs: tlvs, flags: DataMessage.ignoreUnreadable))
        return out
    }

    /// Our answer to the correspondent's SMP request.
    public mutating func answerSMP(secret: some ContiguousOctets) throws -> SessionOutput {
        let established = try encryptedSession("SMP")
        let y = try SMPSecret(initiatorFingerprint: established.theirFingerprint,
                              responderFingerprint: configuration.longTermKey.publicKey.fingerprint,
                              ssid: established.ssid, userSecret: secret)
        let tlv = try smp.respond(secret: y)
        var out = SessionOutput(events: [.smpExponents(smp.lastExponents)])
        out.append(try dataMessage([], tlvs: [tlv], flags: DataMessage.ignoreUnreadable))
        return out
    }

    /// Spec "User requests to abort SMP".
    public mutating func abortSMP() throws -> SessionOutput {
        _ = try encryptedSession("SMP")
        return try dataMessage([], tlvs: [smp.abort()], flags: DataMessage.ignoreUnreadable)
    }

    /// Whether a received SMP request waits for `answerSMP`, and its question.
    public var pendingSMPQuestion: (waiting: Bool, question: [UInt8]?) { (smp.isAwaitingSecret, smp.pendingQuestion) }

    /// Spec "Extra symmetric key": tells the correspondent, in a Data
    /// Message with TLV type 8, that we use the extra symmetric key of that
    /// message for `use`; the key is in the output's events.
    public mutating func useExtraSymmetricKey(use: UInt32, useData: [UInt8] = []) throws -> SessionOutput {
        let established = try encryptedSession("the extra symmetric key")
        guard established.version >= 3 else {
            throw OTRError.invalidArgument("extra symmetric key", "version 2 has no extra symmetric key")
        }
        return try dataMessage([], tlvs: [.extraSymmetricKey(use: use, useData: useData)],
                               flags: DataMessage.ignoreUnreadable, extraKeyUse: (use, useData))
    }

    // MARK: Received messages

    /// Handles one message as it arrived on the wire.
    public mutating func receive(_ wire: [UInt8]) -> SessionOutput {
        wirePosition += 1
        if Fragment.hasFragmentPrefix(wire) {
            return receiveFragment(wire)
        }
        var out = SessionOutput()
        let findings = PlaintextScanner.scan(wire)
        if let encoded = findings.first(where: { if case .encoded = $0 { true } else { false } }) {
            receiveEncoded(Array(wire[encoded.range]), into: &out)
            return out
        }
        if let error = findings.first(where: { if case .error = $0 { true } else { false } }), case .error(let e) = error {
            out.events.append(.errorReceived(e.text))
            if configuration.policy.contains(.errorStartAKE) {
                out.wire.append(Array(queryMessage().utf8))
            }
            return out
        }
        if let query = findings.first(where: { if case .query = $0 { true } else { false } }), case .query(let q) = query {
            out.events.append(.offerReceived(versions: q.versions, whitespaceTag: false))
            startAKE(offered: q.versions, into: &out)
            return out
        }
        receivePlaintext(wire, findings: findings, into: &out)
        return out
    }

    /// Spec "Receiving plaintext without/with the whitespace tag".
    private mutating func receivePlaintext(_ wire: [UInt8], findings: [PlaintextFinding], into out: inout SessionOutput) {
        var tagVersions: [OTRVersion]?
        for case .whitespaceTag(let tag) in findings { tagVersions = tag.versions }
        let text = PlaintextScanner.displayText(wire, findings: findings)
        var warning: String?
        if messageState != .plaintext {
            warning = "received unencrypted in \(messageState.specName)"
        } else if configuration.policy.contains(.requireEncryption) {
            warning = "received unencrypted while encryption is required"
        }
        if let tagVersions {
            out.events.append(.offerReceived(versions: tagVersions, whitespaceTag: true))
        } else {
            offerPending = false
        }
        out.events.append(.message(text: text, tlvs: [], encrypted: false, warning: warning))
        if let tagVersions, configuration.policy.contains(.whitespaceStartAKE) {
            startAKE(offered: tagVersions, into: &out)
        }
    }

    private mutating func receiveFragment(_ wire: [UInt8]) -> SessionOutput {
        var out = SessionOutput()
        if let fragment = try? Fragment.parse(wire), fragment.form == .v3,
           fragment.receiverInstance != 0, fragment.receiverInstance != configuration.ourInstance.rawValue {
            out.events.append(.ignored("a fragment for instance \(InstanceTag(fragment.receiverInstance)), not ours"))
            return out
        }
        for event in reassembler.receive(wire[...], at: wirePosition) {
            switch event {
            case .completed(let message):
                out.append(receive(message.message))
            case .problem(let problem):
                out.events.append(.fragmentProblem(problem))
            }
        }
        return out
    }

    private mutating func receiveEncoded(_ armoured: [UInt8], into out: inout SessionOutput) {
        let binary: [UInt8]
        let message: EncodedMessage
        do {
            binary = try Armour.unwrap(armoured)
            message = try EncodedMessage.read(binary)
        } catch let error as OTRError {
            out.events.append(.unreadable(error, replied: false))
            return
        } catch {
            preconditionFailure("the decoder throws OTRError only: \(error)")
        }
        switch message {
        case .data(let data):
            receiveData(data, binary: binary, into: &out)
        case .dhCommit, .dhKey, .revealSignature, .signature:
            receiveAKE(message, into: &out)
        case .version1:
            out.events.append(.ignored("a version 1 message: version 1 is recognised, not spoken"))
        case .unknownVersion(let version, _, _):
            out.events.append(.ignored("a version \(version) message: not a version this session speaks"))
        }
    }

    // MARK: AKE

    private mutating func startAKE(offered: [OTRVersion], into out: inout SessionOutput) {
        guard let version = configuration.policy.bestVersion(offered: offered) else {
            out.events.append(.ignored("the offer names no version the policy allows"))
            return
        }
        do {
            try beginAKE(version: version, into: &out)
        } catch let error as OTRError {
            out.events.append(.akeFailed(error))
        } catch {
            preconditionFailure("the AKE throws OTRError only: \(error)")
        }
    }

    private mutating func beginAKE(version: UInt16, into out: inout SessionOutput) throws {
        let step = try ake.start(version: version)
        out.events.append(.akeStarted(version: version))
        try emit(step.messages, into: &out)
    }

    private mutating func receiveAKE(_ message: EncodedMessage, into out: inout SessionOutput) {
        do {
            let step = try ake.receive(message)
            if let reason = step.ignoredBecause { out.events.append(.ignored(reason)) }
            try emit(step.messages, into: &out)
            if let result = step.result { goSecure(result, into: &out) }
        } catch let error as OTRError {
            out.events.append(.akeFailed(error))
        } catch {
            preconditionFailure("the AKE throws OTRError only: \(error)")
        }
    }

    /// The AKE completed (spec "Receiving a Reveal Signature / Signature
    /// Message": "Transition msgstate to MSGSTATE_ENCRYPTED. If there is a
    /// recent stored message, encrypt it and send it").
    private mutating func goSecure(_ result: AKEResult, into out: inout SessionOutput) {
        established = result
        let ring = DataKeyRing(ake: result, random: random)
        keys = ring
        smp.reset()
        out.events.append(.secure(result))
        out.events.append(.dhKeyPair(keyID: result.ourKeyID, pair: result.ourDHKeyPair))
        out.events.append(.dhKeyPair(keyID: ring.ourNewestKeyPair.keyID, pair: ring.ourNewestKeyPair.pair))
        setState(.encrypted, into: &out)
        if let stored = storedMessage {
            storedMessage = nil
            do {
                out.append(try dataMessage(stored, tlvs: [], flags: 0))
            } catch let error as OTRError {
                out.events.append(.sendFailed(error))
            } catch {
                preconditionFailure("sending throws OTRError only: \(error)")
            }
        }
    }

    // MARK: Data messages

    /// Spec "Receiving a Data Message".
    private mutating func receiveData(_ message: DataMessage, binary: [UInt8], into out: inout SessionOutput) {
        if let reason = dataAdmission(message.header) {
            out.events.append(.ignored(reason))
            return
        }
        let ignoreUnreadable = message.flags & DataMessage.ignoreUnreadable != 0
        guard messageState == .encrypted, var ring = keys else {
            unreadable(.checkFailed("Data message", "no private conversation is established (\(messageState.specName))"),
                       quiet: ignoreUnreadable, into: &out)
            return
        }
        let opened: DataKeyRing.Receiving
        let plaintext: DataPlaintext
        do {
            opened = try ring.open(message, original: binary)
            plaintext = try DataPlaintext.parse(opened.plaintext)
        } catch let error as OTRError {
            unreadable(error.within("Data message"), quiet: ignoreUnreadable, into: &out)
            return
        } catch {
            preconditionFailure("opening a Data message throws OTRError only: \(error)")
        }
        keys = ring
        out.events.append(.dataKeys(DataMessageKeys(
            direction: .received, senderKeyID: message.senderKeyID, recipientKeyID: message.recipientKeyID,
            counter: message.counter, aesKey: opened.keys.receivingAESKey, macKey: opened.keys.receivingMACKey,
            extraSymmetricKey: opened.keys.extraSymmetricKey, revealedMACKeys: message.revealedMACKeys)))
        if opened.rotatedOurs {
            out.events.append(.dhKeyPair(keyID: ring.ourNewestKeyPair.keyID, pair: ring.ourNewestKeyPair.pair))
        }
        if !plaintext.message.isEmpty || plaintext.tlvs.isEmpty || plaintext.tlvs.contains(where: { $0.kind == nil }) {
            out.events.append(.message(text: plaintext.message, tlvs: plaintext.tlvs, encrypted: true, warning: nil))
        }
        for tlv in plaintext.tlvs {
            handle(tlv, keys: opened.keys, into: &out)
            if messageState != .encrypted { break }
        }
    }

    /// What a TLV of a received Data Message asks for.
    private mutating func handle(_ tlv: TLV, keys used: DataKeys, into out: inout SessionOutput) {
        switch tlv.kind {
        case .disconnected:
            // "Forget all encryption keys for this correspondent, and
            // transition msgstate to MSGSTATE_FINISHED."
            out.events.append(.finished)
            leaveEncrypted(to: .finished, into: &out)
        case .smp1, .smp1Q, .smp2, .smp3, .smp4, .smpAbort:
            let step = smp.receive(tlv)
            if !smp.lastExponents.isEmpty { out.events.append(.smpExponents(smp.lastExponents)) }
            out.events.append(.smp(step.outcome))
            if !step.reply.isEmpty {
                do {
                    out.append(try dataMessage([], tlvs: step.reply, flags: DataMessage.ignoreUnreadable))
                } catch let error as OTRError {
                    out.events.append(.sendFailed(error))
                } catch {
                    preconditionFailure("sending throws OTRError only: \(error)")
                }
            }
        case .extraSymmetricKey:
            if case .extraSymmetricKey(let use, let useData)? = try? tlv.content() {
                out.events.append(.extraSymmetricKey(use: use, useData: useData, key: used.extraSymmetricKey, sent: false))
            } else {
                out.events.append(.ignored("an extra symmetric key TLV shorter than its 4-byte use"))
            }
        case .padding, nil:
            break
        }
    }

    /// Why a Data Message is not for this session (spec "Instance Tags"),
    /// or nil.
    private func dataAdmission(_ header: MessageHeader) -> String? {
        guard MessageHeader.hasInstanceTags(version: header.version) else { return nil }
        let receiver = header.receiverInstance ?? .zero
        if receiver != configuration.ourInstance {
            return "a Data message for instance \(receiver), not ours (\(configuration.ourInstance))"
        }
        if let theirs = established?.theirInstance, header.senderInstance != theirs {
            return "a Data message from instance \(header.senderInstance ?? .zero), not the correspondent's (\(theirs))"
        }
        return nil
    }

    /// "Inform the user that an unreadable encrypted message was received,
    /// and reply with an Error Message", unless IGNORE_UNREADABLE is set.
    private mutating func unreadable(_ error: OTRError, quiet: Bool, into out: inout SessionOutput) {
        out.events.append(.unreadable(error, replied: !quiet))
        if !quiet {
            out.wire.append(Array(ErrorMessage.encode(text: "You transmitted an unreadable encrypted message.").utf8))
        }
    }

    /// Builds, seals and emits one Data Message (spec "When you send a
    /// Data Message").
    private mutating func dataMessage(_ text: [UInt8], tlvs: [TLV], flags: UInt8,
                                      extraKeyUse: (UInt32, [UInt8])? = nil) throws -> SessionOutput {
        guard messageState == .encrypted, var ring = keys, let established else {
            throw OTRError.invalidArgument("message", "no private conversation is established")
        }
        for tlv in tlvs { try tlv.checkLength() }
        let sending = try ring.nextSending()
        keys = ring
        let version = established.version
        let header = MessageHeader(version: version, type: MessageType.data.rawValue,
                                   senderInstance: established.ourInstance, receiverInstance: established.theirInstance)
        var message = DataMessage(header: header, flags: flags, senderKeyID: sending.senderKeyID,
                                  recipientKeyID: sending.recipientKeyID, nextDHKey: sending.nextDHKey,
                                  counter: sending.counter, encryptedMessage: [], mac: [], oldMACKeys: sending.oldMACKeys)
        let plaintext = SecureBytes(DataPlaintext(message: text, tlvs: tlvs).encoded)
        try message.seal(plaintext: plaintext, aesKey: sending.keys.sendingAESKey, macKey: sending.keys.sendingMACKey)
        var out = SessionOutput(events: [.dataKeys(DataMessageKeys(
            direction: .sent, senderKeyID: sending.senderKeyID, recipientKeyID: sending.recipientKeyID,
            counter: sending.counter, aesKey: sending.keys.sendingAESKey, macKey: sending.keys.sendingMACKey,
            extraSymmetricKey: sending.keys.extraSymmetricKey, revealedMACKeys: message.revealedMACKeys))])
        if let (use, useData) = extraKeyUse {
            out.events.append(.extraSymmetricKey(use: use, useData: useData, key: sending.keys.extraSymmetricKey, sent: true))
        }
        try emit([.data(message)], into: &out)
        return out
    }

    // MARK: Helpers

    private func encryptedSession(_ what: String) throws -> AKEResult {
        guard messageState == .encrypted, let established else {
            throw OTRError.invalidArgument(what, "needs a private conversation (\(messageState.specName))")
        }
        return established
    }

    /// Forget the keys and SMP state (spec: "If at any point
    /// MSGSTATE_ENCRYPTED becomes unset, SMP must abandon its state").
    private mutating func leaveEncrypted(to state: MessageState, into out: inout SessionOutput) {
        keys = nil
        smp.reset()
        setState(state, into: &out)
    }

    private mutating func setState(_ state: MessageState, into out: inout SessionOutput) {
        guard state != messageState else { return }
        messageState = state
        if state == .plaintext {
            established = nil
            offerPending = configuration.policy.contains(.sendWhitespaceTag)
        }
        out.events.append(.stateChanged(state))
    }

    /// Armours each message and fragments it when it is too long: version
    /// 3 messages in the v3 form with their header's instance tags,
    /// version 2 in the v2 form (spec "Fragmentation").
    private func emit(_ messages: [EncodedMessage], into out: inout SessionOutput) throws {
        for message in messages {
            let armoured = Array(try message.armoured().utf8)
            guard let size = configuration.maximumMessageSize, armoured.count > size,
                  let header = message.header else {
                out.wire.append(armoured)
                continue
            }
            let fragmenter: Fragmenter
            if MessageHeader.hasInstanceTags(version: header.version) {
                fragmenter = try Fragmenter(form: .v3, senderInstance: header.senderInstance?.rawValue ?? 0,
                                            receiverInstance: header.receiverInstance?.rawValue ?? 0,
                                            maximumMessageSize: size)
            } else {
                fragmenter = try Fragmenter(form: .v2, maximumMessageSize: size)
            }
            out.wire += try fragmenter.fragments(of: armoured)
        }
    }

    /// A Query Message offering the policy's versions, followed by an
    /// explanation for clients without OTR.
    private func queryMessage() -> String {
        let who = configuration.accountName.isEmpty ? "Your correspondent" : configuration.accountName
        return QueryMessage.encode(versions: configuration.policy.offeredVersions)
            + " \(who) has requested an Off-the-Record private conversation, which your client does not support. "
            + "See https://otr.cypherpunks.ca/ for more information."
    }
}
