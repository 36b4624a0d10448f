import OTR

/// The JSON Lines and text forms of what a `Session` reports, shared by
/// `simulate` and `session`. Secret values (D-H private exponents, data
/// keys, SMP exponents, AKE keys) appear only when `secrets` is set.
public struct SessionEventRenderer {
    public init(party: String, peer: String, secrets: Bool) {
        self.party = party
        self.peer = peer
        self.secrets = secrets
    }

    /// This party's name in the events ("alice", "bob", "local").
    public let party: String
    /// The correspondent's name, in text lines ("bob", or session's --peer).
    public let peer: String
    public let secrets: Bool

    // MARK: JSON

    /// The event's JSON object, with the instance of the correspondent it
    /// belongs to when there is one.
    public func json(_ record: SessionRecord, seq: Int?) -> JSON? {
        guard case .object(var fields)? = json(record.event, seq: seq) else { return nil }
        if let instance = record.instance { fields.append(("instance", .string(instance.hex))) }
        return .object(fields)
    }

    private func json(_ event: SessionEvent, seq: Int?) -> JSON? {
        var fields: [(String, JSON)] = []
        func seqField() { if let seq { fields.append(("seq", .int(seq))) } }
        switch event {
        case .message(let text, let tlvs, let encrypted, let warning):
            fields = [("event", .string("received")), ("by", .string(party))]
            seqField()
            fields += [("text", .text(text)), ("text_hex", .hex(text)), ("tlvs", Self.tlvs(tlvs)),
                       ("encrypted", .bool(encrypted))]
            if let warning { fields.append(("warning", .string(warning))) }
        case .offerReceived(let versions, let tag):
            fields = [("event", .string("offer")), ("party", .string(party)),
                      ("versions", .array(versions.map { .string($0.description) })), ("whitespace_tag", .bool(tag))]
        case .akeStarted(let version):
            fields = [("event", .string("ake_started")), ("party", .string(party)), ("version", .int(Int(version)))]
        case .secure(let result):
            fields = [("event", .string("secure")), ("party", .string(party))] + Self.secure(result)
            if secrets {
                let k = result.keys
                fields.append(("ake_keys", .object([
                    ("c", .hex(k.c.octets)), ("c_prime", .hex(k.cPrime.octets)), ("m1", .hex(k.m1.octets)),
                    ("m2", .hex(k.m2.octets)), ("m1_prime", .hex(k.m1Prime.octets)), ("m2_prime", .hex(k.m2Prime.octets)),
                ])))
            }
        case .akeFailed(let error):
            fields = [("event", .string("ake_failed")), ("party", .string(party)), ("error", .string("\(error)"))]
        case .ignored(let reason):
            fields = [("event", .string("ignored")), ("party", .string(party))]
            seqField()
            fields.append(("reason", .string(reason)))
        case .errorReceived(let text):
            fields = [("event", .string("otr_error")), ("by", .string(party)), ("text", .text(text))]
        case .unreadable(let error, let replied):
            fields = [("event", .string("unreadable")), ("by", .string(party))]
            seqField()
            fields += [("error", .string("\(error)")), ("replied", .bool(replied))]
        case .sendFailed(let error):
            fields = [("event", .string("send_failed")), ("party", .string(party)), ("error", .string("\(error)"))]
        case .fragmentProblem(let problem):
            fields = [("event", .string("fragment_problem")), ("by", .string(party)), ("problem", .string(problem.description))]
        case .stateChanged(let state):
            fields = [("event", .string("state")), ("party", .string(party)), ("msgstate", .string(state.rawValue))]
        case .finished:
            fields = [("event", .string("finished")), ("party", .string(party))]
        case .smp(let outcome):
            fields = [("event", .string("smp")), ("party", .string(party))] + Self.smp(outcome)
        case .extraSymmetricKey(let use, let useData, let key, let sent):
            fields = [("event", .string("symkey")), ("party", .string(party)), ("role", .string(sent ? "sent" : "received")),
                      ("use", .int(Int(use))), ("use_data", .hex(useData))]
            // The extra key is what the application asked for: shown always.
            fields.append(("key", .hex(key.octets)))
        case .dhKeyPair(let keyID, let pair):
            guard secrets else { return nil }
            fields = [("event", .string("dh")), ("party", .string(party)), ("keyid", .int(Int(keyID))),
                      ("private", .hex(pair.privateKey.bytes)), ("public", .hex(pair.publicKey.bytes))]
        case .dataKeys(let keys):
            guard secrets else { return nil }
            fields = [("event", .string("keys")), ("party", .string(party)), ("direction", .string(keys.direction.rawValue))]
            seqField()
            fields += [("sender_keyid", .int(Int(keys.senderKeyID))), ("recipient_keyid", .int(Int(keys.recipientKeyID))),
                       ("ctr", .hex(keys.counter)), ("aes_key", .hex(keys.aesKey.octets)), ("mac_key", .hex(keys.macKey.octets)),
                       ("extra_key", .hex(keys.extraSymmetricKey.octets)),
                       ("revealed_mac_keys", .array(keys.revealedMACKeys.map { .hex($0) }))]
        case .smpExponents(let exponents):
            guard secrets, !exponents.isEmpty else { return nil }
            fields = [("event", .string("smp_exponents")), ("party", .string(party)),
                      ("values", .object(exponents.map { ($0.name, .hex($0.value.bytes)) }))]
        case .resent(let text, let prefixed):
            fields = [("event", .string("resent")), ("party", .string(party)), ("prefixed", .bool(prefixed))]
                + JSON.textField("text", text)
        case .resendRefused(let reason):
            fields = [("event", .string("resend_refused")), ("party", .string(party)), ("reason", .string(reason))]
        case .heartbeatSent:
            fields = [("event", .string("heartbeat")), ("party", .string(party))]
        case .expired(let what):
            fields = [("event", .string("expired")), ("party", .string(party)), ("reason", .string(what))]
        case .sentUnencrypted(let reason):
            fields = [("event", .string("sent_unencrypted")), ("party", .string(party)), ("reason", .string(reason))]
        }
        return .object(fields)
    }

    /// A message put on the wire, in the form the test peers write too, so
    /// one tool's "wire" lines can be fed to another: the text, and its hex
    /// when it is not UTF-8.
    public static func wire(from: String, to: String, seq: Int, bytes: [UInt8]) -> JSON {
        let fields: [(String, JSON)] = [("event", .string("wire")), ("from", .string(from)), ("to", .string(to)),
                                        ("seq", .int(seq))]
        return .object(fields + JSON.textField("text", bytes))
    }

    public static func tlvs(_ tlvs: [TLV]) -> JSON {
        .array(tlvs.map { .object([("type", .int(Int($0.type))), ("data", .hex($0.value))]) })
    }

    public static func secure(_ r: AKEResult) -> [(String, JSON)] {
        var fields: [(String, JSON)] = [
            ("version", .int(Int(r.version))), ("ssid", .hex(r.ssid)), ("ssid_bold_half", .int(r.ssidBoldHalf)),
            ("role", .string(r.role.rawValue)),
            ("their_fingerprint", .string(r.theirFingerprint.human)),
            ("their_public_key", .hex(OTRPublicKey.encode(r.theirPublicKey))),
            ("our_keyid", .int(Int(r.ourKeyID))), ("their_keyid", .int(Int(r.theirKeyID))),
        ]
        if let ours = r.ourInstance { fields.append(("our_instance", .string(ours.hex))) }
        if let theirs = r.theirInstance { fields.append(("their_instance", .string(theirs.hex))) }
        return fields
    }

    public static func smp(_ outcome: SMPOutcome) -> [(String, JSON)] {
        switch outcome {
        case .ignored: [("outcome", .string("ignored"))]
        case .secretRequested(let question):
            [("outcome", .string("secret_requested"))] + (question.map { [("question", .text($0)), ("question_hex", .hex($0))] } ?? [])
        case .inProgress: [("outcome", .string("in_progress"))]
        case .succeeded: [("outcome", .string("succeeded"))]
        case .failed: [("outcome", .string("failed"))]
        case .aborted: [("outcome", .string("aborted"))]
        case .cheatingDetected(let error): [("outcome", .string("cheating_detected")), ("error", .string("\(error)"))]
        case .unexpectedMessage(let kind): [("outcome", .string("unexpected_message")), ("tlv", .string(kind.name))]
        }
    }

    // MARK: Text

    /// One readable line, or nil for events shown only in JSON; the
    /// instance of the correspondent it belongs to ends it.
    public func text(_ record: SessionRecord) -> String? {
        guard let line = text(record.event) else { return nil }
        guard let instance = record.instance else { return line }
        return line + " [instance \(instance.hex)]"
    }

    private func text(_ event: SessionEvent) -> String? {
        let peer = TextEscaping.escaped(self.peer.argumentBytes)
        switch event {
        case .message(let text, let tlvs, let encrypted, let warning):
            var line = "\(encrypted ? "private" : "plaintext") message from \(peer): \(TextEscaping.escaped(text))"
            if !tlvs.isEmpty { line += " [TLVs: " + tlvs.map { $0.kind?.name ?? "type \($0.type)" }.joined(separator: ", ") + "]" }
            if let warning { line += " (\(warning))" }
            return line
        case .offerReceived(let versions, let tag):
            return "\(tag ? "whitespace tag" : "query") offers " + versions.map(\.description).joined(separator: ", ")
        case .akeStarted(let version): return "AKE started (version \(version))"
        case .secure(let r):
            let (a, b) = r.keys.ssidHalves
            let ssid = r.ssidBoldHalf == 0 ? "[\(a)] \(b)" : "\(a) [\(b)]"
            return "secure: version \(r.version), ssid \(ssid), their fingerprint \(r.theirFingerprint.human)"
        case .akeFailed(let error): return "AKE failed: \(error)"
        case .ignored(let reason): return "ignored: \(reason)"
        case .errorReceived(let text): return "OTR error from \(peer): \(TextEscaping.escaped(text))"
        case .unreadable(let error, let replied): return "unreadable message: \(error)\(replied ? " (Error Message sent)" : "")"
        case .sendFailed(let error): return "could not send: \(error)"
        case .fragmentProblem(let problem): return "fragment: \(problem)"
        case .stateChanged(let state): return "state: \(state.specName)"
        case .finished: return "\(peer) ended the private conversation"
        case .smp(let outcome):
            switch outcome {
            case .ignored: return nil
            case .secretRequested(let q): return "SMP: \(peer) asks for the secret" + (q.map { " (question: \(TextEscaping.escaped($0)))" } ?? "")
            case .inProgress: return "SMP: in progress"
            case .succeeded: return "SMP: succeeded, the secrets match"
            case .failed: return "SMP: failed, the secrets differ"
            case .aborted: return "SMP: aborted by \(peer)"
            case .cheatingDetected(let e): return "SMP: a check failed, aborted: \(e)"
            case .unexpectedMessage(let k): return "SMP: unexpected \(k.name), aborted"
            }
        case .extraSymmetricKey(let use, let useData, let key, let sent):
            return "extra symmetric key \(sent ? "sent" : "received"): use \(use), use data \(Hex.encode(useData)), key \(key.hex)"
        case .resent(let text, let prefixed):
            return prefixed ? "re-sent the last text after the OTR Error: \(TextEscaping.escaped(text))"
                            : "sent the text held back until the conversation was private: \(TextEscaping.escaped(text))"
        case .resendRefused(let reason): return "not re-sent: \(reason)"
        case .heartbeatSent: return "heartbeat sent (nothing was sent for \(60) s)"
        case .expired(let what): return "expired: \(what)"
        case .sentUnencrypted(let reason): return "sent unencrypted to \(peer): \(reason)"
        case .dhKeyPair, .dataKeys, .smpExponents:
            return nil
        }
    }
}
