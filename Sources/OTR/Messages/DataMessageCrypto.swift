/// Encryption and authentication of Data Messages (spec "Data Message":
/// AES128-CTR under the sending AES key with the counter's top half, then
/// SHA1-HMAC under the sending MAC key of everything up to the end of the
/// encrypted message).
extension DataMessage {
    /// The MAC this message should carry under `macKey`, computed over the
    /// bytes the message was read from when known, else over its fields.
    public func expectedMAC(macKey: some ContiguousOctets, original: [UInt8]? = nil) throws -> [UInt8] {
        let authenticated: [UInt8]
        if let original, let range = authenticatedRange, range.upperBound <= original.count {
            authenticated = Array(original[range])
        } else {
            authenticated = try authenticatedBytes()
        }
        return HMAC.sha1(key: macKey, authenticated)
    }

    /// Constant-time check of the message's MAC.
    public func verifyMAC(macKey: some ContiguousOctets, original: [UInt8]? = nil) throws -> Bool {
        ConstantTime.equals(try expectedMAC(macKey: macKey, original: original), macBytes)
    }

    /// The decrypted plaintext bytes (counter mode never fails: a wrong key
    /// gives garbage, which only the MAC can tell).
    public func decrypt(aesKey: some ContiguousOctets) throws -> SecureBytes {
        try AESCounterMode.apply(key: aesKey, counterTopHalf: counterBytes, encryptedMessageBytes)
    }

    /// Encrypts `plaintext` into this message and MACs it. The MAC key
    /// defaults to SHA-1 of the AES key, as the spec derives it.
    public mutating func seal(plaintext: some ContiguousOctets, aesKey: some ContiguousOctets,
                              macKey: SecureBytes? = nil) throws {
        encryptedMessage = try AESCounterMode.apply(key: aesKey, counterTopHalf: counter, plaintext).octets
        let key = macKey ?? DataKeys.macKey(forAESKey: aesKey)
        authenticatedRange = nil
        mac = try expectedMAC(macKey: key)
    }

    /// Recomputes the MAC over the current fields (after an edit).
    public mutating func remac(macKey: some ContiguousOctets) throws {
        authenticatedRange = nil
        mac = try expectedMAC(macKey: macKey)
    }
}
