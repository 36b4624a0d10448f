import OTR

/// Forging a captured conversation with the MAC keys its parties published
/// (spec "Revealing MAC keys": once a party no longer needs a receiving MAC
/// key it puts it in the "old MAC keys" of its next Data Message, so that
/// anyone can forge the messages it authenticated).
///
/// Each Data Message of the capture is matched against every revealed key:
/// a key that verifies its MAC lets anyone re-MAC it after the reveal, and
/// so change its known plaintext in place. The AES key is never revealed,
/// so a new text of any shape needs a holder of the AES key.

public struct TranscriptForgery: Sendable {
    /// A Data Message as it stood in the capture.
    public struct CapturedMessage: Sendable {
        /// Where it was (1-based input line).
        public var line: Int
        /// The armoured text as it appeared, "?OTR:...".
        public var armoured: [UInt8]
        /// The binary message (what the MAC covers a prefix of).
        public var binary: [UInt8]
        public var message: DataMessage

        public init(line: Int, armoured: [UInt8], binary: [UInt8], message: DataMessage) {
            self.line = line
            self.armoured = armoured
            self.binary = binary
            self.message = message
        }
    }

    /// A MAC key some party published.
    public struct RevealedKey: Sendable, Equatable {
        public var key: [UInt8]
        /// The line of the Data Message that revealed it.
        public var line: Int
        /// Its position among that message's old MAC keys (0-based).
        public var index: Int
    }

    /// Who can forge a captured message.
    public enum Forgeability: Sendable, Equatable {
        /// Its MAC key was revealed: anyone can re-MAC it and change known
        /// plaintext in place.
        case byAnyone(RevealedKey)
        /// Only someone holding its keys (a party, or whoever has their
        /// D-H exponents) can forge it.
        case onlyByKeyHolder
    }

    public struct Assessment: Sendable {
        public var captured: CapturedMessage
        public var forgeability: Forgeability
        /// Whether the key was published only after the message, as the
        /// protocol does (a key revealed before its message was sent would
        /// have been reused, which libotr never does).
        public var revealedAfter: Bool {
            if case .byAnyone(let k) = forgeability { return k.line > captured.line }
            return false
        }
    }

    public let messages: [CapturedMessage]
    public let revealedKeys: [RevealedKey]
    public let assessments: [Assessment]

    /// A revealed key is tried against every message; beyond this many
    /// distinct keys a capture is assessed for the first ones only.
    public static let maximumRevealedKeys = 4096

    public init(messages: [CapturedMessage]) {
        self.messages = messages
        var keys: [RevealedKey] = []
        var seen = Set<[UInt8]>()
        for m in messages {
            for (i, key) in m.message.revealedMACKeys.enumerated() where keys.count < Self.maximumRevealedKeys {
                if seen.insert(key).inserted { keys.append(RevealedKey(key: key, line: m.line, index: i)) }
            }
        }
        revealedKeys = keys
        assessments = messages.map { m in
            let match = keys.first { (try? m.message.verifyMAC(macKey: $0.key, original: m.binary)) == true }
            return Assessment(captured: m, forgeability: match.map { .byAnyone($0) } ?? .onlyByKeyHolder)
        }
    }

    /// The assessment of the message on `line`, if a Data Message is there.
    public func assessment(atLine line: Int) -> Assessment? {
        assessments.first { $0.captured.line == line }
    }
}
