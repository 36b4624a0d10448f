import OTR

/// decode --explain: the receivers' state replayed over a capture, as the
/// spec's state machines hold it, on the assumption that every message of
/// the capture was delivered in the capture's order; for each message a
/// receiver could not have accepted, why, in the spec's words.
///
/// The parties are their version 3 instance tags; a version 2 message
/// names none, so version 2 is one conversation whose key ids are
/// followed only for the messages a --dh-private key opens (which say
/// whether that key's holder sent them). Each
/// receiver Y of messages from X holds, as "Data Message" and "Receiving
/// a Data Message" say: its own newest key id our_keyid (it keeps that key
/// and the one before; it makes a new key when a message names our_keyid,
/// and sends with sender keyid our_keyid - 1), and X's newest key id
/// their_keyid (it keeps that and the one before, and moves on when a
/// message names their_keyid). What each party holds is learnt from the
/// messages it sends and receives; nothing is assumed before. Beside the
/// key ids it follows how far each AKE got (`AKEProgress`), the MAC keys
/// revealed (`RevealedMACKeys`), the Data messages seen (a copy is a
/// duplicate delivery), the texts sent (for "[resent] ") and, from the
/// analysis, the SMP exchanges and the fragment series.
public final class ConversationReplay {
    /// At most this many parties and pairs are followed; beyond, the
    /// oldest are forgotten (a hostile capture cannot grow the replay).
    public static let maximumTracked = 4096

    /// A directed pair: messages from `from` to `to`.
    private struct Pair: Hashable {
        let from: UInt32, to: UInt32
        var reversed: Pair { Pair(from: to, to: from) }
        var unordered: Pair { Pair(from: min(from, to), to: max(from, to)) }
    }

    private enum SessionState {
        /// An AKE message was seen (the first at `line`); no Signature
        /// message yet.
        case akeInProgress(line: Int)
        /// The Signature message was seen: both ends are encrypted.
        case encrypted
        /// `ender` sent the disconnect TLV at `line`: it is in plaintext,
        /// the other end finished.
        case ended(ender: UInt32, line: Int)
    }

    /// What receiver `to` holds of the keys of the pair.
    private struct Keys {
        var ours: UInt32?
        var oursSince: Int?
        var theirs: UInt32?
    }

    private var sessions = BoundedTable<Pair, SessionState>(limit: maximumTracked)
    private var keys = BoundedTable<Pair, Keys>(limit: maximumTracked)
    /// The instance each party's latest AKE was with (both ends of a
    /// Signature message), and the line of that Signature message.
    private var partner = BoundedTable<UInt32, (instance: UInt32, line: Int)>(limit: maximumTracked)
    /// Texts each sender sent, by pair, the last few: a "[resent] " text
    /// names the earlier line.
    private var texts = BoundedTable<Pair, [(text: [UInt8], line: Int)]>(limit: maximumTracked)
    private static let textsKept = 16
    /// The last message a receiver could not have read: what an OTR Error
    /// most likely answers.
    private var lastUnreadable: (line: Int, reason: String)?
    /// The last Data message of each pair its receiver could not read: a
    /// "[resent] " text whose first copy the capture cannot open is most
    /// likely that one.
    private var unreadableData = BoundedTable<Pair, Int>(limit: maximumTracked)
    /// How far each party's AKE got: what a party beginning again lost.
    private var ake = AKEProgress()
    /// The MAC keys revealed so far, and where.
    private var revealed = RevealedMACKeys()
    /// Data messages seen, by pair, key ids, counter and MAC (its first 8
    /// bytes; the whole MAC is compared): the same message again is a
    /// duplicate delivery.
    private struct DataIdentity: Hashable {
        let pair: Pair, senderKeyID: UInt32, recipientKeyID: UInt32, counter: UInt64, macPrefix: UInt64
    }
    private var seen = BoundedTable<DataIdentity, (mac: [UInt8], line: Int)>(limit: maximumTracked)

    public init() {}

    /// The explanations of one item of the capture, at `line`; `problem`
    /// says why an encoded item could not be read, when it could not.
    /// `fragmentProblems` are the rules of reassembly a fragment broke.
    public func explain(_ item: TranscriptScanner.Item, message: EncodedMessage?, analysis: MessageAnalysis?,
                        problem: String?, fragmentProblems: [ReassemblyProblem] = [], line: Int) -> [String] {
        switch item.kind {
        case .fragment:
            return fragmentProblems.compactMap(\.explanation)
        case .error:
            if let last = lastUnreadable {
                // One Error answers one unreadable message.
                lastUnreadable = nil
                return ["an OTR Error: most likely the answer to line \(last.line), which its receiver could not read (\(last.reason))"]
            }
            return ["an OTR Error, answering no message this replay found unreadable (it may answer one the capture lacks)"]
        case .encoded:
            break
        default:
            return []
        }
        guard let message else {
            let reason = "the message cannot be read at all (\(problem ?? "unreadable")): every receiver discards it"
            lastUnreadable = (line, reason)
            return [reason]
        }
        guard let header = message.header else { return [] }
        // Version 2 names no instances: its one conversation is the pair
        // (0, 0), whose direction no message shows.
        let pair = Pair(from: header.senderInstance?.rawValue ?? 0, to: header.receiverInstance?.rawValue ?? 0)
        let directed = header.senderInstance != nil
        switch message {
        case .dhCommit, .dhKey, .revealSignature:
            var reasons: [String] = []
            switch message {
            case .dhCommit(let m):
                reasons = ake.dhCommit(m, from: pair.from, directed: directed, name: directed ? hex(pair.from) : "the initiator", line: line)
            case .dhKey(let m):
                reasons = ake.dhKey(m, from: pair.from, to: pair.to, name: directed ? hex(pair.from) : "the responder", line: line)
            default: ake.revealSignature(from: pair.from, line: line)
            }
            // An AKE begins (a D-H Commit to receiver 0 names one party
            // only: the D-H Key answering it names both). A new AKE over
            // an encrypted session leaves it readable meanwhile.
            switch sessions[pair.unordered] {
            case .encrypted?, .akeInProgress?: break
            default: sessions[pair.unordered] = .akeInProgress(line: line)
            }
            return reasons
        case .signature:
            ake.signature(to: pair.to)
            sessions[pair.unordered] = .encrypted
            partner[pair.from] = (pair.to, line)
            partner[pair.to] = (pair.from, line)
            // A new AKE: fresh keys on both ends.
            keys[pair] = nil
            keys[pair.reversed] = nil
            return []
        case .data(let m):
            return data(m, pair: pair, directed: directed, analysis: analysis?.data, line: line)
        default:
            return []
        }
    }

    private func data(_ m: DataMessage, pair: Pair, directed: Bool, analysis: DataMessageAnalysis?, line: Int) -> [String] {
        var reasons: [String] = []
        let identity = DataIdentity(pair: pair, senderKeyID: m.senderKeyID, recipientKeyID: m.recipientKeyID, counter: m.counterValue,
                                    macPrefix: RevealedMACKeys.lookupKey(m.macBytes))
        if let earlier = seen[identity], earlier.mac.elementsEqual(m.macBytes) {
            reasons.append("the same message as line \(earlier.line), delivered again (its MAC is that line's): the receiver has read it once")
        } else {
            seen[identity] = (Array(m.macBytes), line)
        }
        let to = directed ? hex(pair.to) : "the receiver", from = directed ? hex(pair.from) : "the sender"
        if directed, pair.to == 0 {
            reasons.append("Data message to receiver instance 00000000: a version 3 Data message names its receiver, and every receiver ignores it (spec \"Instance Tags\")")
        } else if directed, sessions[pair.unordered] == nil, let known = partner[pair.from], known.instance != pair.to {
            reasons.append("Data message for instance \(to), with which \(from) has no session in the capture (its AKE at line \(known.line) was with \(hex(known.instance))): the instance it reached ignores it as meant for another instance (spec \"Instance Tags\"), and \(to) has no keys for it")
        }
        switch sessions[pair.unordered] {
        case .akeInProgress(let started)?:
            let waiting = ake.waiting(pair.from, pair.to) ?? "no Signature message since"
            reasons.append("Data message before the AKE between \(from) and \(to) ended (its AKE began at line \(started); \(waiting)): \(to) is not in an encrypted session with \(from) and cannot read it (spec \"Receiving a Data Message\": not in MSGSTATE_ENCRYPTED)")
        case .ended(let ender, let at)?:
            reasons.append(!directed
                ? "Data message after the disconnect TLV at line \(at): the party that sent it is in MSGSTATE_PLAINTEXT, the other in MSGSTATE_FINISHED, and neither reads it"
                : ender == pair.to
                ? "Data message after \(to) ended the session (disconnect TLV at line \(at)): \(to) is in MSGSTATE_PLAINTEXT and cannot read it"
                : "Data message after \(from) ended the session (disconnect TLV at line \(at)): \(from) should send nothing encrypted now, and \(to) is in MSGSTATE_FINISHED")
        case .encrypted?, nil:
            break
        }
        let keyPair = directed ? pair : Self.versionTwoPair(analysis)
        if let keyPair {
            let names = directed ? (from: hex(pair.from), to: hex(pair.to)) : Self.versionTwoNames(keyPair)
            reasons += keyIDs(m, pair: keyPair, names: names, line: line)
            // What the sender's own message says of its keys: it sends with
            // sender keyid = our_keyid - 1 and recipient keyid = their_keyid.
            var senderKeys = keys[keyPair.reversed] ?? Keys()
            if senderKeys.ours != m.senderKeyID &+ 1 { senderKeys.oursSince = line }
            senderKeys.ours = m.senderKeyID &+ 1
            senderKeys.theirs = m.recipientKeyID
            keys[keyPair.reversed] = senderKeys
        }
        if analysis?.macValid == false {
            reasons.append("the MAC does not verify with the keys given or derived: a receiver holding them discards it as unreadable")
        }
        if let problem = analysis?.counterProblem {
            reasons.append("\(problem): a receiver that checks the counter rejects it")
        }
        // What follows is said of a message its receiver may well read.
        if let first = reasons.first {
            lastUnreadable = (line, first)
            unreadableData[pair] = line
        }
        if let macKey = analysis?.macKey, analysis?.macValid == true, let reveal = revealed.revelation(of: macKey) {
            let by = directed ? hex(reveal.by) : reveal.by == 0 ? "a party" : Self.versionTwoName(reveal.by)
            reasons.append("its MAC key was revealed at line \(reveal.line), in the old MAC keys of \(by)'s message: \(by) had forgotten the keys it belongs to (spec \"Revealing MAC Keys\"), and anyone could have made this message since")
        }
        revealed.record(m, sender: keyPair?.from ?? pair.from, line: line)

        if let plaintext = analysis?.plaintext {
            reasons += smp(analysis?.smp ?? [:], tlvs: plaintext.tlvs)
            reasons += resent(plaintext.message, pair: pair, line: line)
            if plaintext.tlvs.contains(where: { $0.kind == .disconnected }) {
                sessions[pair.unordered] = .ended(ender: pair.from, line: line)
            }
        }
        return reasons
    }

    /// Spec "Receiving a Data Message": the receiver uses the keys named
    /// by (sender keyid, recipient keyid) and keeps only our_keyid,
    /// our_keyid - 1 of its own and their_keyid, their_keyid - 1 of the
    /// sender's; a message naming another key cannot be decrypted.
    /// Version 2 names no instances, but a message opened with a D-H
    /// private key given says whether that key's holder sent it: the two
    /// directions are then the holder (1; "the key holder") and its peer
    /// (2).
    private static func versionTwoPair(_ analysis: DataMessageAnalysis?) -> Pair? {
        guard case .dhPrivateKey(_, _, let holderSent)? = analysis?.keySource else { return nil }
        return holderSent ? Pair(from: 1, to: 2) : Pair(from: 2, to: 1)
    }

    private static func versionTwoName(_ party: UInt32) -> String {
        party == 1 ? "the key holder" : "its peer"
    }

    private static func versionTwoNames(_ pair: Pair) -> (from: String, to: String) {
        (versionTwoName(pair.from), versionTwoName(pair.to))
    }

    private func keyIDs(_ m: DataMessage, pair: Pair, names: (from: String, to: String), line: Int) -> [String] {
        var held = keys[pair] ?? Keys()
        var reasons: [String] = []
        let (from, to) = names
        if let ours = held.ours {
            let r = m.recipientKeyID
            if r < ours &- 1 {
                let since = held.oursSince.map { " since line \($0)" } ?? ""
                reasons.append("recipient keyid \(r) is stale: \(to) holds its keys \(ours &- 1) and \(ours) only\(since), and forgot key \(r) when it made key \(r &+ 2)")
            } else if r > ours {
                reasons.append("recipient keyid \(r) is in the future: \(to)'s newest key is \(ours); \(from) names a key \(to) never sent")
            }
        }
        if let theirs = held.theirs {
            let s = m.senderKeyID
            if s < theirs &- 1 {
                reasons.append("sender keyid \(s) is stale: \(to) holds \(from)'s keys \(theirs &- 1) and \(theirs) only, and forgot key \(s)")
            } else if s > theirs {
                reasons.append("sender keyid \(s) is in the future: \(to) knows \(from)'s keys up to \(theirs); the message announcing key \(s) was lost")
            }
        }
        guard reasons.isEmpty else { return reasons }
        // Accepted: the receiver moves on as the spec says.
        if held.ours == nil || m.recipientKeyID == held.ours {
            held.ours = m.recipientKeyID &+ 1
            held.oursSince = line
        }
        if held.theirs == nil || m.senderKeyID == held.theirs { held.theirs = m.senderKeyID &+ 1 }
        keys[pair] = held
        return []
    }

    /// The SMP state machine (spec "SMP state machine"), as the proof
    /// check follows it: a message out of its exchange's order, and a
    /// proof that fails, which its receiver takes for an error.
    private func smp(_ checks: [Int: SMPMessageCheck], tlvs: [TLV]) -> [String] {
        guard !checks.isEmpty else { return [] }
        var reasons: [String] = []
        for (i, check) in checks.sorted(by: { $0.key < $1.key }) {
            let name = SMPMessageCheck.label(tlvs, at: i)
            if let step = check.step { reasons.append("\(name): \(step)") }
            if check.secretsAgree == false { reasons.append("\(name): \(SMPMessageCheck.outcomeText(false))") }
            if let deviation = check.deviation { reasons.append("\(name): \(deviation)") }
            for proof in check.proofs {
                guard case .fails(let why) = proof.result else { continue }
                reasons.append("\(name): proof \(proof.proof) of \(proof.claim) does not verify (\(why)): its receiver takes it for an error and is back in SMPSTATE_EXPECT1, the exchange lost (spec \"SMP state machine\")")
            }
        }
        return reasons
    }

    /// libotr re-sends the last text with "[resent] " after an OTR Error
    /// that restarts the AKE (and a text held back until the AKE ends).
    private func resent(_ text: [UInt8], pair: Pair, line: Int) -> [String] {
        let prefix = Array("[resent] ".utf8)
        var sent = texts[pair] ?? []
        defer {
            sent.append((text, line))
            if sent.count > Self.textsKept { sent.removeFirst() }
            texts[pair] = sent
        }
        guard text.starts(with: prefix) else { return [] }
        let original = Array(text.dropFirst(prefix.count))
        if let earlier = sent.last(where: { $0.text == original }) {
            return ["a re-send of the text of line \(earlier.line) (libotr's \"[resent] \" after an OTR Error restarted the AKE): that message did not reach its receiver"]
        }
        if let unread = unreadableData[pair] {
            return ["a re-send (\"[resent] \") of a text no readable message of the capture holds: most likely line \(unread), which its receiver could not read"]
        }
        return ["a re-send (\"[resent] \") of a text the capture does not hold"]
    }

    private func hex(_ tag: UInt32) -> String { InstanceTag(rawValue: tag).hex }
}
