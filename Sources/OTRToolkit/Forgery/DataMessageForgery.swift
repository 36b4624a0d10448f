import OTR

/// Forging single Data Messages (spec "Data Message"; "Revealing MAC
/// keys"): whoever holds a message's AES key can encrypt any plaintext in
/// its place, and whoever holds only its MAC key can still change known
/// plaintext, because AES counter mode XORs the plaintext with a keystream
/// and nothing but the MAC protects the ciphertext.

extension DataMessage {
    /// This message with `plaintext` encrypted under `aesKey` in place of
    /// its own and MACed anew, every other field kept. The MAC key defaults
    /// to SHA-1 of the AES key; `counter` replaces the counter's top half
    /// (a receiver accepts only counters above the last one it saw).
    public func reencrypted(with plaintext: DataPlaintext, aesKey: some ContiguousOctets,
                            macKey: SecureBytes? = nil, counter: [UInt8]? = nil) throws -> DataMessage {
        guard aesKey.octetCount == 16 else {
            throw OTRError.invalidArgument("AES key", "must be 16 bytes, is \(aesKey.octetCount)")
        }
        var forged = self
        if let counter {
            try DataMessage.checkCounter(counter)
            forged.counter = counter
        }
        try forged.seal(plaintext: plaintext.encoded, aesKey: aesKey, macKey: macKey)
        return forged
    }

    /// This message with the bytes `old` at `offset` of its plaintext turned
    /// into `new` without the AES key: the ciphertext there is XORed with
    /// old ^ new and the message re-MACed under `macKey`. The result
    /// decrypts to `new` exactly where the plaintext held `old`.
    public func modified(replacing old: [UInt8], with new: [UInt8], at offset: Int,
                         macKey: some ContiguousOctets) throws -> DataMessage {
        guard old.count == new.count else {
            throw OTRError.invalidArgument("replacement", "old text is \(old.count) bytes, new text \(new.count); they must be equally long")
        }
        guard offset >= 0, offset <= encryptedMessage.count, old.count <= encryptedMessage.count - offset else {
            throw OTRError.outOfRange("offset", at: offset,
                                      "\(old.count) bytes at offset \(offset) run past the end of the \(encryptedMessage.count)-byte encrypted message")
        }
        var forged = self
        var encrypted = encryptedMessage
        for i in 0..<old.count {
            encrypted[offset + i] ^= old[i] ^ new[i]
        }
        forged.encryptedMessage = encrypted
        try forged.remac(macKey: macKey)
        return forged
    }

    /// A Data Message built from its parts and MACed under `macKey`, after
    /// checking every rule of the spec the parts could break; with
    /// `allowViolations` they are built as given (test vectors of invalid
    /// messages), field lengths still checked.
    public static func assembled(header: MessageHeader, flags: UInt8, senderKeyID: UInt32, recipientKeyID: UInt32,
                                 nextDHKey: MPI, counter: [UInt8], encryptedMessage: [UInt8], oldMACKeys: [UInt8],
                                 macKey: some ContiguousOctets, allowViolations: Bool = false) throws -> DataMessage {
        guard header.version == 2 || header.version == 3 else {
            throw OTRError.outOfRange("protocol version", "must be 2 or 3, is \(header.version)")
        }
        guard counter.count == 8 else {
            throw OTRError.outOfRange("counter", "must be 8 bytes, is \(counter.count)")
        }
        var message = DataMessage(header: header, flags: flags, senderKeyID: senderKeyID, recipientKeyID: recipientKeyID,
                                  nextDHKey: nextDHKey, counter: counter, encryptedMessage: encryptedMessage,
                                  mac: [UInt8](repeating: 0, count: 20), oldMACKeys: oldMACKeys)
        if !allowViolations, let first = EncodedMessage.data(message).violations.first {
            throw OTRError(first.code, field: "Data message", first.description)
        }
        try message.remac(macKey: macKey)
        return message
    }

    public static func checkCounter(_ counter: [UInt8]) throws {
        guard counter.count == 8 else {
            throw OTRError.outOfRange("counter", "must be 8 bytes, is \(counter.count)")
        }
        guard counter.contains(where: { $0 != 0 }) else {
            throw OTRError.outOfRange("counter", "top half must not be all zero")
        }
    }
}
