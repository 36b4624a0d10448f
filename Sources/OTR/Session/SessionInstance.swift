/// The conversation with one instance of the correspondent (spec
/// "Instance Tags"; libotr's child context): its message state, AKE, data
/// keys, SMP, the last text sent to it and its timers. The master
/// instance (`tag` nil) holds the version 2 conversation and every AKE
/// started before the correspondent's instance is known.
struct SessionInstance {
    /// libotr's HEARTBEAT_INTERVAL: after a Data message arrives, a party
    /// that sent nothing for this long sends an empty one.
    static let heartbeatInterval: Int64 = 60

    let tag: InstanceTag?
    var messageState: MessageState = .plaintext
    var ake: AKEStateMachine
    var smp: SMPStateMachine
    var keys: DataKeyRing?
    /// The last completed AKE, while encrypted or finished.
    var established: AKEResult?
    var stored: StoredMessage?
    /// When we last sent a text, a held-back text's Query, an AKE message
    /// or a heartbeat to this instance (libotr's lastsent; SMP, extra key
    /// and disconnect messages do not count, as in libotr).
    var lastSent: Int64 = 0
    /// When a message from this instance last arrived, and the order of
    /// arrivals within one second: the most recent instance is preferred.
    var lastReceived: (time: Int64, order: UInt64) = (0, 0)
    /// When our version 3 D-H Commit to receiver instance 0 went out
    /// (master only; libotr's commit_sent_time).
    var commitSentAt: Int64?
    /// Whether an instance answered that D-H Commit with a D-H Key.
    var commitAnswered = false

    init(tag: InstanceTag?, ake: AKEStateMachine, random: RandomSource) {
        self.tag = tag
        self.ake = ake
        smp = SMPStateMachine(random: random)
    }

    // MARK: AKE

    mutating func startAKE(version: UInt16, env: SessionEnvironment, into out: inout SessionOutput) throws {
        let step = try ake.start(version: version)
        out.note(.akeStarted(version: version), instance: tag)
        try env.emit(step.messages, into: &out)
        if tag == nil, version == 3 {
            // Sent to receiver instance 0: any instance may answer. libotr
            // does not count it as sent to anyone (send_or_error_auth).
            commitSentAt = env.now
            commitAnswered = false
        } else {
            lastSent = env.now
        }
    }

    mutating func receiveAKE(_ message: EncodedMessage, env: SessionEnvironment, into out: inout SessionOutput) {
        do {
            let step = try ake.receive(message)
            if let reason = step.ignoredBecause { out.note(.ignored(reason), instance: tag) }
            try env.emit(step.messages, into: &out)
            if !step.messages.isEmpty { lastSent = env.now }
            if let result = step.result { goSecure(result, env: env, into: &out) }
        } catch let error as OTRError {
            out.note(.akeFailed(error), instance: tag)
        } catch {
            preconditionFailure("the AKE throws OTRError only: \(error)")
        }
    }

    /// The AKE completed (spec "Receiving a Reveal Signature / Signature
    /// Message": "Transition msgstate to MSGSTATE_ENCRYPTED. If there is a
    /// recent stored message, encrypt it and send it"), under the rules of
    /// `StoredMessage`.
    private mutating func goSecure(_ result: AKEResult, env: SessionEnvironment, into out: inout SessionOutput) {
        established = result
        let ring = DataKeyRing(ake: result, random: env.random)
        keys = ring
        smp.reset()
        out.note(.secure(result), instance: tag)
        out.note(.dhKeyPair(keyID: result.ourKeyID, pair: result.ourDHKeyPair), instance: tag)
        out.note(.dhKeyPair(keyID: ring.ourNewestKeyPair.keyID, pair: ring.ourNewestKeyPair.pair), instance: tag)
        setState(.encrypted, into: &out)
        guard let stored else { return }
        switch stored.decision(theirs: result.theirFingerprint, now: env.now) {
        case .none:
            break
        case .refuse(let reason):
            self.stored = nil
            out.note(.resendRefused(reason), instance: tag)
        case .send(let text, let prefixed):
            do {
                try sendText(text, tlvs: [], env: env, into: &out)
                out.note(.resent(text: text, prefixed: prefixed), instance: tag)
            } catch let error as OTRError {
                self.stored = nil
                out.note(.sendFailed(error), instance: tag)
            } catch {
                preconditionFailure("sending throws OTRError only: \(error)")
            }
        }
    }

    // MARK: Sending

    /// A text the user typed (or a stored one), as a Data Message: kept as
    /// the last text sent, and counted as sent for the heartbeat.
    mutating func sendText(_ text: [UInt8], tlvs: [TLV], env: SessionEnvironment, into out: inout SessionOutput) throws {
        out.append(try dataMessage(text, tlvs: tlvs, flags: 0, env: env))
        lastSent = env.now
    }

    /// Holds a text back until the conversation is private (policy
    /// REQUIRE_ENCRYPTION).
    mutating func holdBack(_ text: [UInt8], now: Int64) {
        stored = StoredMessage(text: SecureBytes(text), disposition: .heldBack, time: now, fingerprint: nil)
        lastSent = now
    }

    /// An OTR Error arrived: the last text sent privately may go again
    /// when the AKE it starts completes (libotr sets may_retransmit).
    mutating func markForRetransmission() {
        guard messageState == .encrypted, var stored, stored.disposition == .sent else { return }
        stored.disposition = .afterError
        self.stored = stored
    }

    /// Builds, seals and emits one Data Message (spec "When you send a
    /// Data Message"). Like libotr, every Data Message replaces the last
    /// text sent: an empty one (SMP, heartbeat, extra key) leaves none.
    mutating func dataMessage(_ text: [UInt8], tlvs: [TLV], flags: UInt8, env: SessionEnvironment,
                              extraKeyUse: (UInt32, [UInt8])? = nil) throws -> SessionOutput {
        guard messageState == .encrypted, var ring = keys, let established else {
            throw OTRError.invalidArgument("message", "no private conversation is established")
        }
        for tlv in tlvs { try tlv.checkLength() }
        let sending = try ring.nextSending()
        keys = ring
        let header = MessageHeader(version: established.version, type: MessageType.data.rawValue,
                                   senderInstance: established.ourInstance, receiverInstance: established.theirInstance)
        var message = DataMessage(header: header, flags: flags, senderKeyID: sending.senderKeyID,
                                  recipientKeyID: sending.recipientKeyID, nextDHKey: sending.nextDHKey,
                                  counter: sending.counter, encryptedMessage: [], mac: [], oldMACKeys: sending.oldMACKeys)
        let plaintext = SecureBytes(DataPlaintext(message: text, tlvs: tlvs).encoded)
        try message.seal(plaintext: plaintext, aesKey: sending.keys.sendingAESKey, macKey: sending.keys.sendingMACKey)
        var out = SessionOutput(events: [.dataKeys(DataMessageKeys(
            direction: .sent, senderKeyID: sending.senderKeyID, recipientKeyID: sending.recipientKeyID,
            counter: sending.counter, aesKey: sending.keys.sendingAESKey, macKey: sending.keys.sendingMACKey,
            extraSymmetricKey: sending.keys.extraSymmetricKey, revealedMACKeys: message.revealedMACKeys))], instance: tag)
        if let (use, useData) = extraKeyUse {
            out.note(.extraSymmetricKey(use: use, useData: useData, key: sending.keys.extraSymmetricKey, sent: true), instance: tag)
        }
        try env.emit([.data(message)], into: &out)
        stored = text.isEmpty ? nil : StoredMessage(text: SecureBytes(text), disposition: .sent, time: env.now,
                                                    fingerprint: established.theirFingerprint)
        return out
    }

    // MARK: Receiving

    /// Spec "Receiving a Data Message".
    mutating func receiveData(_ message: DataMessage, binary: [UInt8], env: SessionEnvironment, into out: inout SessionOutput) {
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
        out.note(.dataKeys(DataMessageKeys(
            direction: .received, senderKeyID: message.senderKeyID, recipientKeyID: message.recipientKeyID,
            counter: message.counter, aesKey: opened.keys.receivingAESKey, macKey: opened.keys.receivingMACKey,
            extraSymmetricKey: opened.keys.extraSymmetricKey, revealedMACKeys: message.revealedMACKeys)), instance: tag)
        if opened.rotatedOurs {
            out.note(.dhKeyPair(keyID: ring.ourNewestKeyPair.keyID, pair: ring.ourNewestKeyPair.pair), instance: tag)
        }
        if !plaintext.message.isEmpty || plaintext.tlvs.isEmpty || plaintext.tlvs.contains(where: { $0.kind == nil }) {
            out.note(.message(text: plaintext.message, tlvs: plaintext.tlvs, encrypted: true, warning: nil), instance: tag)
        }
        for tlv in plaintext.tlvs {
            handle(tlv, keys: opened.keys, env: env, into: &out)
            if messageState != .encrypted { break }
        }
        // libotr: a Data message with text (not itself a heartbeat) while
        // nothing was sent for HEARTBEAT_INTERVAL gets an empty one back.
        if !plaintext.message.isEmpty, messageState == .encrypted, env.now - lastSent > Self.heartbeatInterval {
            do {
                out.append(try dataMessage([], tlvs: [], flags: DataMessage.ignoreUnreadable, env: env))
                lastSent = env.now
                out.note(.heartbeatSent, instance: tag)
            } catch let error as OTRError {
                out.note(.sendFailed(error), instance: tag)
            } catch {
                preconditionFailure("sending throws OTRError only: \(error)")
            }
        }
    }

    /// What a TLV of a received Data Message asks for.
    private mutating func handle(_ tlv: TLV, keys used: DataKeys, env: SessionEnvironment, into out: inout SessionOutput) {
        switch tlv.kind {
        case .disconnected:
            // "Forget all encryption keys for this correspondent, and
            // transition msgstate to MSGSTATE_FINISHED."
            out.note(.finished, instance: tag)
            leaveEncrypted(to: .finished, into: &out)
        case .smp1, .smp1Q, .smp2, .smp3, .smp4, .smpAbort:
            let step = smp.receive(tlv)
            if !smp.lastExponents.isEmpty { out.note(.smpExponents(smp.lastExponents), instance: tag) }
            out.note(.smp(step.outcome), instance: tag)
            if !step.reply.isEmpty {
                do {
                    out.append(try dataMessage([], tlvs: step.reply, flags: DataMessage.ignoreUnreadable, env: env))
                } catch let error as OTRError {
                    out.note(.sendFailed(error), instance: tag)
                } catch {
                    preconditionFailure("sending throws OTRError only: \(error)")
                }
            }
        case .extraSymmetricKey:
            if case .extraSymmetricKey(let use, let useData)? = try? tlv.content() {
                out.note(.extraSymmetricKey(use: use, useData: useData, key: used.extraSymmetricKey, sent: false), instance: tag)
            } else {
                out.note(.ignored("an extra symmetric key TLV shorter than its 4-byte use"), instance: tag)
            }
        case .padding, nil:
            break
        }
    }

    /// "Inform the user that an unreadable encrypted message was received,
    /// and reply with an Error Message", unless IGNORE_UNREADABLE is set.
    private func unreadable(_ error: OTRError, quiet: Bool, into out: inout SessionOutput) {
        out.note(.unreadable(error, replied: !quiet), instance: tag)
        if !quiet {
            out.wire.append(Array(ErrorMessage.encode(text: "You transmitted an unreadable encrypted message.").utf8))
        }
    }

    // MARK: State

    /// Forget the keys, the SMP state and the last text (spec: "If at any
    /// point MSGSTATE_ENCRYPTED becomes unset, SMP must abandon its
    /// state"; libotr forgets the stored text too).
    mutating func leaveEncrypted(to state: MessageState, into out: inout SessionOutput) {
        keys = nil
        smp.reset()
        stored = nil
        setState(state, into: &out)
    }

    mutating func setState(_ state: MessageState, into out: inout SessionOutput) {
        guard state != messageState else { return }
        messageState = state
        if state == .plaintext { established = nil }
        out.note(.stateChanged(state), instance: tag)
    }

    /// How much this instance is preferred as the target of what the user
    /// does (libotr's OTRL_INSTAG_BEST): encrypted before finished before
    /// plaintext, then the one heard from most recently.
    func ranks(above other: SessionInstance) -> Bool {
        func rank(_ s: MessageState) -> Int { s == .encrypted ? 2 : s == .finished ? 1 : 0 }
        if rank(messageState) != rank(other.messageState) { return rank(messageState) > rank(other.messageState) }
        return lastReceived.time != other.lastReceived.time ? lastReceived.time > other.lastReceived.time
                                                            : lastReceived.order > other.lastReceived.order
    }
}
