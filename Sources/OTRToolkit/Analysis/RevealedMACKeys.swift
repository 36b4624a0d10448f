import OTR

/// The MAC keys a capture's Data messages revealed (spec "Revealing MAC
/// Keys": a party puts the MAC keys of the receiving keys it is about to
/// forget into the "Old MAC keys" of its next Data message), so that a
/// later message authenticated with one of them can be named: its
/// receiver had forgotten those keys when it revealed them, and anyone
/// who read the capture could have made the message.
struct RevealedMACKeys {
    /// A MAC key is 20 bytes (SHA-1 of the AES key).
    static let keyLength = 20

    /// Keyed by the key's first 8 bytes, so that a MAC key looked up is
    /// read into a register, never copied into an array; the whole key is
    /// compared. A hostile capture can only make it forget reveals.
    private var revealed = BoundedTable<UInt64, (key: [UInt8], line: Int, by: UInt32)>(limit: ConversationReplay.maximumTracked)

    /// Records the keys `message`, sent by `sender` at `line`, reveals.
    mutating func record(_ message: DataMessage, sender: UInt32, line: Int) {
        for key in message.revealedMACKeys {
            revealed[Self.lookupKey(key)] = (key, line, sender)
        }
    }

    /// Where `macKey` was revealed, if it was.
    func revelation(of macKey: SecureBytes) -> (line: Int, by: UInt32)? {
        guard macKey.count == Self.keyLength else { return nil }
        return macKey.withUnsafeBytes { raw -> (line: Int, by: UInt32)? in
            guard let found = revealed[Self.lookupKey(raw)], raw.elementsEqual(found.key) else { return nil }
            return (found.line, found.by)
        }
    }

    /// A MAC's first 8 bytes as a number: what tables of MACs are keyed
    /// by (the whole MAC is compared on a hit).
    static func lookupKey(_ bytes: some Collection<UInt8>) -> UInt64 {
        bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
