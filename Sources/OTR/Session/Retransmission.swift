/// The last text a party sent to one instance of its correspondent, and
/// whether it may go out again (spec "User types a message to be sent":
/// "Store the plaintext message for possible retransmission"; libotr's
/// lastmessage and may_retransmit).
///
/// A text is sent again in two cases only, as libotr sends it:
/// - it was held back because the policy requires encryption: it goes out
///   once the AKE completes, as it was typed;
/// - an OTR Error arrived while it was the last text sent privately: it
///   goes out again, prefixed "[resent] ", when the AKE the Error started
///   completes.
/// In both cases only within `window` seconds of when it was typed or
/// sent. Stricter than libotr in two ways: libotr measures the window from
/// the last message of any kind it sent (which an AKE always refreshes),
/// so its window never closes during an AKE; and libotr re-sends to
/// whoever completed the AKE. Here a text that was encrypted once goes
/// again only to the long-term key it was encrypted to. (libotr 4.1.1
/// marks a text for re-sending in its master context only, so in version 3
/// its Errors re-send nothing; here the Error marks the last text of the
/// instance the user talks to.)
struct StoredMessage {
    enum Disposition: Equatable {
        /// Sent privately; goes out again only after an Error.
        case sent
        /// Sent privately, then an OTR Error arrived: re-send with the prefix.
        case afterError
        /// Held back by REQUIRE_ENCRYPTION: never sent yet.
        case heldBack
    }

    /// libotr's RESEND_INTERVAL.
    static let window: Int64 = 60
    /// libotr's resent_msg_prefix default, and the space after it.
    static let resentPrefix = Array("[resent] ".utf8)

    var text: SecureBytes
    var disposition: Disposition
    /// When it was typed (held back) or last sent.
    var time: Int64
    /// The long-term key it was encrypted to; nil while held back.
    var fingerprint: Fingerprint?

    var mayRetransmit: Bool { disposition != .sent }

    /// What to do with it now that an AKE authenticated `theirs` at `now`.
    enum Decision {
        case none
        case send(text: [UInt8], prefixed: Bool)
        case refuse(String)
    }

    func decision(theirs: Fingerprint, now: Int64) -> Decision {
        guard mayRetransmit else { return .none }
        let what = disposition == .heldBack ? "the text held back until the conversation was private"
                                            : "the last text sent before the OTR Error"
        let age = now - time
        if age > Self.window {
            return .refuse("\(what) is \(age) s old, older than the \(Self.window) s a text may wait to be re-sent")
        }
        if let fingerprint, fingerprint != theirs {
            return .refuse("\(what) was encrypted to the long-term key \(fingerprint.human); this AKE authenticated \(theirs.human)")
        }
        if disposition == .heldBack { return .send(text: text.octets, prefixed: false) }
        return .send(text: Self.resentPrefix + text.octets, prefixed: true)
    }
}
