import OTR

/// What `forge transcript` prints for each Data message of a capture.
public struct ForgeTranscriptReport {
    public let forgery: TranscriptForgery
    public let location: (Int) -> SourceLocation

    public init(forgery: TranscriptForgery, location: @escaping (Int) -> SourceLocation) {
        self.forgery = forgery
        self.location = location
    }

    public func text(_ a: TranscriptForgery.Assessment) -> String {
        let m = a.captured.message
        let head = "\(location(a.captured.line)): Data message, keyids \(m.senderKeyID)->\(m.recipientKeyID), counter \(Hex.encode(m.counter)): "
        switch a.forgeability {
        case .byAnyone(let k):
            return head + "forgeable by anyone (MAC key revealed at line \(k.line))"
                + (a.revealedAfter ? "" : "; revealed before the message itself")
        case .onlyByKeyHolder:
            return head + "only by a key holder"
        }
    }

    public func json(_ a: TranscriptForgery.Assessment) -> JSON {
        let m = a.captured.message
        var fields: [(String, JSON)] = [
            ("line", .int(a.captured.line)), ("kind", .string("data")),
            ("sender_keyid", .int(Int(m.senderKeyID))), ("recipient_keyid", .int(Int(m.recipientKeyID))),
            ("counter", .hex(m.counter)),
        ]
        switch a.forgeability {
        case .byAnyone(let k):
            fields += [("forgeable_by", .string("anyone")), ("mac_key", .hex(k.key)),
                       ("revealed_at_line", .int(k.line)), ("revealed_index", .int(k.index))]
        case .onlyByKeyHolder:
            fields.append(("forgeable_by", .string("key-holder")))
        }
        return .object(fields)
    }

    private var counts: (anyone: Int, holder: Int, unmatched: Int) {
        let anyone = forgery.assessments.filter { if case .byAnyone = $0.forgeability { true } else { false } }
        let used = Set(anyone.compactMap { a -> [UInt8]? in if case .byAnyone(let k) = a.forgeability { k.key } else { nil } })
        return (anyone.count, forgery.assessments.count - anyone.count, forgery.revealedKeys.filter { !used.contains($0.key) }.count)
    }

    public var summary: String {
        let c = counts
        return "\(forgery.assessments.count) Data messages: \(c.anyone) forgeable by anyone, \(c.holder) only by a key holder; "
            + "\(forgery.revealedKeys.count) MAC keys revealed, \(c.unmatched) matching no message in the capture"
    }

    public var summaryJSON: JSON {
        let c = counts
        return .object([("kind", .string("summary")), ("data_messages", .int(forgery.assessments.count)),
                        ("forgeable_by_anyone", .int(c.anyone)), ("only_by_key_holder", .int(c.holder)),
                        ("revealed_mac_keys", .int(forgery.revealedKeys.count)), ("unmatched_mac_keys", .int(c.unmatched))])
    }
}
