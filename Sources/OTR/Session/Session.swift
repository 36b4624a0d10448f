/// One party's OTR conversation with one correspondent (spec "The protocol
/// state machine"): the message state, the AKE, the data exchange with its
/// key rotation, SMP, the extra symmetric key, fragmentation and the
/// policy. It does no I/O: each call takes what the user did or what
/// arrived on the wire and returns the wire messages to send and the
/// events to show. Every random value comes from the injected source and
/// every time from the injected clock, so a seeded source and a virtual
/// clock replay a conversation byte for byte.
///
/// The correspondent may be logged in several times (spec "Instance
/// Tags"): each version 3 instance that talks to us gets a conversation
/// of its own (`SessionInstance`), with its own message state, keys and
/// SMP, as libotr's child contexts; version 2, and an AKE started before
/// the instance that answers is known, belong to the master instance.
/// Messages are routed by their instance tags; what the user does goes to
/// the selected instance, or by default to the best one (encrypted first,
/// then the most recently heard from), as libotr's OTRL_INSTAG_BEST.
///
/// Timers, as libotr's: a text is re-sent only under the rules of
/// `StoredMessage` (RESEND_INTERVAL); a heartbeat follows a Data message
/// received when nothing was sent for 60 s (HEARTBEAT_INTERVAL); a
/// version 3 D-H Commit no D-H Key answered in 60 s is forgotten
/// (MAX_AKE_WAIT_TIME), checked at each call as otrl_message_poll would.
///
/// Not done: version 1.
public struct Session {
    public struct Configuration: Sendable {
        public var longTermKey: DSAPrivateKey
        public var policy: Policy
        /// Our instance tag (version 3); must be at least 0x100.
        public var ourInstance: InstanceTag
        /// The correspondent's instance, when known in advance: messages
        /// from other instances are then ignored.
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

    /// A correspondent instance as the user sees it.
    public struct InstanceSummary: Sendable {
        /// nil: the master (version 2, or no instance known yet).
        public let instance: InstanceTag?
        public let messageState: MessageState
        public let theirFingerprint: Fingerprint?
    }

    /// Instances of the correspondent kept at once; a D-H Commit from one
    /// more is ignored, so hostile input cannot make the session grow
    /// without bound.
    public static let maximumInstances = 64
    /// libotr's MAX_AKE_WAIT_TIME.
    static let dhKeyWait: Int64 = 60

    public var configuration: Configuration { env.configuration }
    private var env: SessionEnvironment
    private var master: SessionInstance
    private var children: [SessionInstance] = []
    /// The instance the user chose with `select(instance:)`; nil: the best.
    public private(set) var selectedInstance: InstanceTag?
    private var reassembler = Reassembler(maximumPendingMessages: 16)
    private var wirePosition = 0
    private var arrivals: UInt64 = 0
    /// Whether a whitespace tag still goes on the next plaintext we send:
    /// libotr tags until one tagged message went out or the correspondent
    /// sent plaintext without a tag.
    private var offerPending: Bool

    public init(configuration: Configuration, random: RandomSource, clock: SessionClock = SystemClock()) throws {
        guard !configuration.policy.allowedVersions.isEmpty else {
            throw OTRError.invalidArgument("policy", "allows neither version 2 nor version 3: OTR is disabled")
        }
        if let size = configuration.maximumMessageSize, size < Fragmenter.minimumMessageSize(.v3) {
            throw OTRError.invalidArgument("maximum message size",
                                           "must be at least \(Fragmenter.minimumMessageSize(.v3)) to leave room for a fragment's header")
        }
        env = SessionEnvironment(configuration: configuration, random: random, clock: clock)
        let ake = try AKEStateMachine(longTermKey: configuration.longTermKey, random: random,
                                      ourInstance: configuration.ourInstance, theirInstance: configuration.theirInstance,
                                      allowedVersions: configuration.policy.allowedVersions)
        master = SessionInstance(tag: nil, ake: ake, random: random)
        offerPending = configuration.policy.contains(.sendWhitespaceTag)
    }

    /// Changes the fragment size for later messages (nil: never fragment).
    public mutating func setMaximumMessageSize(_ size: Int?) throws {
        if let size, size < Fragmenter.minimumMessageSize(.v3) {
            throw OTRError.invalidArgument("maximum message size",
                                           "must be at least \(Fragmenter.minimumMessageSize(.v3)) to leave room for a fragment's header")
        }
        env.configuration.maximumMessageSize = size
    }

    // MARK: Instances

    /// Every instance of the correspondent known, the master first.
    public var instances: [InstanceSummary] {
        ([master] + children).map {
            InstanceSummary(instance: $0.tag, messageState: $0.messageState, theirFingerprint: $0.established?.theirFingerprint)
        }
    }

    /// The instance user actions go to: the selected one, else the best.
    public var targetInstance: InstanceTag? { self[target].tag }

    /// Sends what the user does to this instance from now on; nil goes
    /// back to the best instance.
    public mutating func select(instance: InstanceTag?) throws {
        if let instance, !children.contains(where: { $0.tag == instance }) {
            let known = children.compactMap { $0.tag?.hex }
            throw OTRError.invalidArgument("instance", "no instance \(instance.hex) of the correspondent is known"
                                           + (known.isEmpty ? "" : " (known: \(known.joined(separator: ", ")))"))
        }
        selectedInstance = instance
    }

    public var messageState: MessageState { self[target].messageState }
    /// The last completed AKE of the target instance, while it is encrypted or finished.
    public var established: AKEResult? { self[target].established }
    public var authenticationState: AuthenticationState { self[target].ake.state }
    public var smpExpectedMessage: SMPStateMachine.ExpectedMessage { self[target].smp.expectedMessage }
    /// The serial numbers of our newest D-H key and theirs, while encrypted.
    public var keyIDs: (ours: UInt32, theirs: UInt32)? { self[target].keys.map { ($0.ourKeyID, $0.theirKeyID) } }
    /// Whether a received SMP request waits for `answerSMP`, and its question.
    public var pendingSMPQuestion: (waiting: Bool, question: [UInt8]?) {
        let smp = self[target].smp
        return (smp.isAwaitingSecret, smp.pendingQuestion)
    }

    private enum Slot: Equatable {
        case master
        case child(Int)
    }

    private subscript(slot: Slot) -> SessionInstance {
        get {
            switch slot {
            case .master: master
            case .child(let i): children[i]
            }
        }
        set {
            switch slot {
            case .master: master = newValue
            case .child(let i): children[i] = newValue
            }
        }
    }

    private var target: Slot {
        if let selectedInstance, let i = children.firstIndex(where: { $0.tag == selectedInstance }) { return .child(i) }
        var best = Slot.master
        for i in children.indices where children[i].ranks(above: self[best]) { best = .child(i) }
        return best
    }

    // MARK: User actions

    /// Spec "User requests to start an OTR conversation": a Query Message
    /// offering the versions the policy allows.
    public mutating func requestConversation() -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        out.wire.append(env.queryMessage())
        return out
    }

    /// Starts an AKE directly with a D-H Commit, without a Query Message
    /// (what a client does on a whitespace tag; also to re-key): with the
    /// target instance when it is known, else to receiver instance 0.
    public mutating func startAKE(version: UInt16? = nil) throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let chosen = version ?? (env.configuration.policy.contains(.allowV3) ? 3 : 2)
        let slot = target
        try self[slot].startAKE(version: chosen, env: env, into: &out)
        return out
    }

    /// Spec "User types a message to be sent". Throws in MSGSTATE_FINISHED
    /// ("Inform the user that the message cannot be sent at this time").
    public mutating func send(_ text: [UInt8], tlvs: [TLV] = []) throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        switch self[slot].messageState {
        case .plaintext:
            if env.configuration.policy.contains(.requireEncryption) {
                // "Store the plaintext message for possible retransmission,
                // and send a Query Message."
                self[slot].holdBack(text, now: env.now)
                out.wire.append(env.queryMessage())
                return out
            }
            var wire = text
            if offerPending {
                wire += WhitespaceTag.encode(versions: env.configuration.policy.offeredVersions)
                offerPending = false
            }
            out.wire.append(wire)
            out.note(.sentUnencrypted("no private conversation is established and the policy allows plaintext"),
                     instance: self[slot].tag)
            return out
        case .encrypted:
            try self[slot].sendText(text, tlvs: tlvs, env: env, into: &out)
            return out
        case .finished:
            throw OTRError.invalidArgument("message", "the correspondent ended the private conversation: end it too (MSGSTATE_FINISHED) before sending")
        }
    }

    /// Spec "User requests to end an OTR conversation", with the target instance.
    public mutating func end() throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        switch self[slot].messageState {
        case .plaintext:
            break
        case .encrypted:
            out.append(try self[slot].dataMessage([], tlvs: [TLV(type: TLV.Kind.disconnected.rawValue)],
                                                  flags: DataMessage.ignoreUnreadable, env: env))
            self[slot].leaveEncrypted(to: .plaintext, into: &out)
            offerPending = env.configuration.policy.contains(.sendWhitespaceTag)
        case .finished:
            self[slot].leaveEncrypted(to: .plaintext, into: &out)
            offerPending = env.configuration.policy.contains(.sendWhitespaceTag)
        }
        return out
    }

    /// Spec "User requests to begin SMP", with the user's answer and an
    /// optional question.
    public mutating func startSMP(secret: some ContiguousOctets, question: [UInt8]? = nil) throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        let established = try encryptedSession(slot, "SMP")
        let x = try SMPSecret(initiatorFingerprint: env.configuration.longTermKey.publicKey.fingerprint,
                              responderFingerprint: established.theirFingerprint,
                              ssid: established.ssid, userSecret: secret)
        let tlvs = self[slot].smp.start(secret: x, question: question)
        out.note(.smpExponents(self[slot].smp.lastExponents), instance: self[slot].tag)
        out.append(try self[slot].dataMessage([], tlvs: tlvs, flags: DataMessage.ignoreUnreadable, env: env))
        return out
    }

    /// Our answer to the correspondent's SMP request.
    public mutating func answerSMP(secret: some ContiguousOctets) throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        let established = try encryptedSession(slot, "SMP")
        let y = try SMPSecret(initiatorFingerprint: established.theirFingerprint,
                              responderFingerprint: env.configuration.longTermKey.publicKey.fingerprint,
                              ssid: established.ssid, userSecret: secret)
        let tlv = try self[slot].smp.respond(secret: y)
        out.note(.smpExponents(self[slot].smp.lastExponents), instance: self[slot].tag)
        out.append(try self[slot].dataMessage([], tlvs: [tlv], flags: DataMessage.ignoreUnreadable, env: env))
        return out
    }

    /// Spec "User requests to abort SMP".
    public mutating func abortSMP() throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        _ = try encryptedSession(slot, "SMP")
        let tlv = self[slot].smp.abort()
        out.append(try self[slot].dataMessage([], tlvs: [tlv], flags: DataMessage.ignoreUnreadable, env: env))
        return out
    }

    /// Spec "Extra symmetric key": tells the correspondent, in a Data
    /// Message with TLV type 8, that we use the extra symmetric key of that
    /// message for `use`; the key is in the output's events.
    public mutating func useExtraSymmetricKey(use: UInt32, useData: [UInt8] = []) throws -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        let slot = target
        let established = try encryptedSession(slot, "the extra symmetric key")
        guard established.version >= 3 else {
            throw OTRError.invalidArgument("extra symmetric key", "version 2 has no extra symmetric key")
        }
        out.append(try self[slot].dataMessage([], tlvs: [.extraSymmetricKey(use: use, useData: useData)],
                                              flags: DataMessage.ignoreUnreadable, env: env, extraKeyUse: (use, useData)))
        return out
    }

    /// libotr's otrl_message_poll, for a caller whose clock moved while
    /// nothing happened: forgets what waited too long.
    public mutating func poll() -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        return out
    }

    // MARK: Received messages

    /// Handles one message as it arrived on the wire.
    public mutating func receive(_ wire: [UInt8]) -> SessionOutput {
        var out = SessionOutput()
        expireStale(into: &out)
        receive(wire, into: &out)
        return out
    }

    private mutating func receive(_ wire: [UInt8], into out: inout SessionOutput) {
        wirePosition += 1
        if Fragment.hasFragmentPrefix(wire) {
            receiveFragment(wire, into: &out)
            return
        }
        let findings = PlaintextScanner.scan(wire)
        if let encoded = findings.first(where: { if case .encoded = $0 { true } else { false } }) {
            receiveEncoded(Array(wire[encoded.range]), into: &out)
            return
        }
        arrived(at: .master)
        if let error = findings.first(where: { if case .error = $0 { true } else { false } }), case .error(let e) = error {
            receiveError(e.text, into: &out)
            return
        }
        if let query = findings.first(where: { if case .query = $0 { true } else { false } }), case .query(let q) = query {
            out.note(.offerReceived(versions: q.versions, whitespaceTag: false), instance: nil)
            startAKE(offered: q.versions, into: &out)
            return
        }
        receivePlaintext(wire, findings: findings, into: &out)
    }

    /// Spec "Receiving an Error Message": "If ERROR_START_AKE is set, reply
    /// with a Query Message." The last text sent privately (to the
    /// instance the user talks to) may then be re-sent when that AKE
    /// completes, as libotr marks it.
    private mutating func receiveError(_ text: [UInt8], into out: inout SessionOutput) {
        out.note(.errorReceived(text), instance: nil)
        if env.configuration.policy.contains(.errorStartAKE) {
            out.wire.append(env.queryMessage())
            let slot = target
            self[slot].markForRetransmission()
        }
    }

    /// Spec "Receiving plaintext without/with the whitespace tag".
    private mutating func receivePlaintext(_ wire: [UInt8], findings: [PlaintextFinding], into out: inout SessionOutput) {
        var tagVersions: [OTRVersion]?
        for case .whitespaceTag(let tag) in findings { tagVersions = tag.versions }
        let text = PlaintextScanner.displayText(wire, findings: findings)
        var warning: String?
        let best = self[target].messageState
        if best != .plaintext {
            warning = "received unencrypted in \(best.specName)"
        } else if env.configuration.policy.contains(.requireEncryption) {
            warning = "received unencrypted while encryption is required"
        }
        if let tagVersions {
            out.note(.offerReceived(versions: tagVersions, whitespaceTag: true), instance: nil)
        } else {
            offerPending = false
        }
        out.note(.message(text: text, tlvs: [], encrypted: false, warning: warning), instance: nil)
        // libotr starts the AKE on a tag unless its master conversation is
        // already encrypted.
        if let tagVersions, env.configuration.policy.contains(.whitespaceStartAKE), master.messageState != .encrypted {
            startAKE(offered: tagVersions, into: &out)
        }
    }

    private mutating func receiveFragment(_ wire: [UInt8], into out: inout SessionOutput) {
        if let fragment = try? Fragment.parse(wire), fragment.form == .v3,
           fragment.receiverInstance != 0, fragment.receiverInstance != env.configuration.ourInstance.rawValue {
            out.note(.ignored("a fragment for instance \(InstanceTag(fragment.receiverInstance)), not ours"), instance: nil)
            return
        }
        for event in reassembler.receive(wire[...], at: wirePosition) {
            switch event {
            case .completed(let message):
                receive(message.message, into: &out)
            case .problem(let problem):
                out.note(.fragmentProblem(problem), instance: nil)
            }
        }
    }

    private mutating func receiveEncoded(_ armoured: [UInt8], into out: inout SessionOutput) {
        let binary: [UInt8]
        let message: EncodedMessage
        do {
            binary = try Armour.unwrap(armoured)
            message = try EncodedMessage.read(binary)
        } catch let error as OTRError {
            out.note(.unreadable(error, replied: false), instance: nil)
            return
        } catch {
            preconditionFailure("the decoder throws OTRError only: \(error)")
        }
        guard let header = message.header else {
            switch message {
            case .unknownVersion(let version, _, _):
                out.note(.ignored("a version \(version) message: not a version this session speaks"), instance: nil)
            default:
                out.note(.ignored("a version 1 message: version 1 is recognised, not spoken"), instance: nil)
            }
            return
        }
        guard env.configuration.policy.allowedVersions.contains(header.version) else {
            out.note(.ignored("a version \(header.version) \(message.name) message: the policy does not allow version \(header.version)"),
                     instance: nil)
            return
        }
        guard let slot = route(message, header: header, into: &out) else { return }
        arrived(at: slot)
        switch message {
        case .data(let data):
            self[slot].receiveData(data, binary: binary, env: env, into: &out)
        default:
            self[slot].receiveAKE(message, env: env, into: &out)
        }
    }

    /// Which instance a message is for (spec "Instance Tags": "If the
    /// receiver instance tag is not ours, discard the message"; a D-H
    /// Commit may name receiver 0), making a conversation for an instance
    /// that starts or answers an AKE; nil, with the reason noted, when the
    /// message is for no conversation of ours.
    private mutating func route(_ message: EncodedMessage, header: MessageHeader, into out: inout SessionOutput) -> Slot? {
        guard MessageHeader.hasInstanceTags(version: header.version) else { return .master }
        let ours = env.configuration.ourInstance
        let sender = header.senderInstance ?? .zero, receiver = header.receiverInstance ?? .zero
        let isCommit: Bool, isDHKey: Bool
        switch message {
        case .dhCommit: (isCommit, isDHKey) = (true, false)
        case .dhKey: (isCommit, isDHKey) = (false, true)
        default: (isCommit, isDHKey) = (false, false)
        }
        if receiver != ours, !(isCommit && receiver == .zero) {
            out.note(.ignored("a \(message.name) message for instance \(receiver), not ours (\(ours))"), instance: nil)
            return nil
        }
        guard sender.isValidSender else {
            out.note(.ignored("a \(message.name) message from sender instance \(sender), below 0x00000100"), instance: nil)
            return nil
        }
        if let only = env.configuration.theirInstance, sender != only {
            out.note(.ignored("a \(message.name) message from instance \(sender), not the correspondent's (\(only))"), instance: nil)
            return nil
        }
        let masterAwaitsKey = master.ake.state == .awaitingDHKey && master.ake.version == 3
        if let i = children.firstIndex(where: { $0.tag == sender }) {
            // An instance we talk to answers the D-H Commit we sent to all:
            // it goes on with that commitment (libotr copies the master's
            // AKE unless the instance awaits a D-H Key of its own).
            if isDHKey, masterAwaitsKey, children[i].ake.state != .awaitingDHKey {
                children[i].ake = master.ake.continued(with: sender)
                master.commitAnswered = true
            }
            return .child(i)
        }
        guard isCommit || (isDHKey && masterAwaitsKey) else {
            let why = isDHKey ? "answers no D-H Commit of ours" : "has no AKE or private conversation with us"
            out.note(.ignored("a \(message.name) message from instance \(sender), which \(why)"), instance: sender)
            return nil
        }
        guard children.count < Self.maximumInstances else {
            out.note(.ignored("a \(message.name) message from instance \(sender): \(Self.maximumInstances) instances of the correspondent are known already"),
                     instance: sender)
            return nil
        }
        let ake = isDHKey ? master.ake.continued(with: sender) : freshAKE(with: sender)
        if isDHKey { master.commitAnswered = true }
        var child = SessionInstance(tag: sender, ake: ake, random: env.random)
        // A text held back (or marked for re-sending) before any instance
        // was known goes with the first instance that talks to us.
        if let stored = master.stored, stored.mayRetransmit {
            child.stored = stored
            child.lastSent = master.lastSent
            master.stored = nil
        }
        children.append(child)
        return .child(children.count - 1)
    }

    private func freshAKE(with instance: InstanceTag) -> AKEStateMachine {
        // The configuration was checked when the session was made; the
        // instance is a valid sender tag.
        do {
            return try AKEStateMachine(longTermKey: env.configuration.longTermKey, random: env.random,
                                       ourInstance: env.configuration.ourInstance, theirInstance: instance,
                                       allowedVersions: env.configuration.policy.allowedVersions)
        } catch {
            preconditionFailure("an AKE for a valid instance cannot fail to start: \(error)")
        }
    }

    private mutating func arrived(at slot: Slot) {
        arrivals += 1
        self[slot].lastReceived = (env.now, arrivals)
    }

    // MARK: AKE

    private mutating func startAKE(offered: [OTRVersion], into out: inout SessionOutput) {
        guard let version = env.configuration.policy.bestVersion(offered: offered) else {
            out.note(.ignored("the offer names no version the policy allows"), instance: nil)
            return
        }
        do {
            try master.startAKE(version: version, env: env, into: &out)
        } catch let error as OTRError {
            out.note(.akeFailed(error), instance: nil)
        } catch {
            preconditionFailure("the AKE throws OTRError only: \(error)")
        }
    }

    /// libotr's otrl_message_poll: a version 3 D-H Commit to receiver
    /// instance 0 that no instance answered within MAX_AKE_WAIT_TIME is
    /// forgotten, with its D-H key.
    private mutating func expireStale(into out: inout SessionOutput) {
        guard let sent = master.commitSentAt else { return }
        guard master.ake.state == .awaitingDHKey, master.ake.version == 3 else {
            master.commitSentAt = nil
            return
        }
        let age = env.now - sent
        guard age > Self.dhKeyWait else { return }
        master.ake.forget()
        master.commitSentAt = nil
        // Answered: the instances that answered go on with their copies;
        // the commitment kept for others is wiped without a word.
        guard !master.commitAnswered else { return }
        out.note(.expired("our version 3 D-H Commit got no D-H Key in \(age) s (more than \(Self.dhKeyWait) s): its D-H key is forgotten"),
                 instance: nil)
    }

    // MARK: Helpers

    private func encryptedSession(_ slot: Slot, _ what: String) throws -> AKEResult {
        let instance = self[slot]
        guard instance.messageState == .encrypted, let established = instance.established else {
            throw OTRError.invalidArgument(what, "needs a private conversation (\(instance.messageState.specName))")
        }
        return established
    }
}
