import OTR

/// forge reencrypt and forge modify: each captured Data message checked
/// against the key given (a key that does not verify it is an error unless
/// `force`), then forged and written, armoured, or as a JSON object.
public struct DataMessageRewrite {
    public enum Change {
        /// otr_readforge: a new plaintext under the known AES key.
        case reencrypt(DataPlaintext, aesKey: SecureBytes, macKey: SecureBytes?, counter: [UInt8]?)
        /// otr_modify: counter-mode ciphertext XORed with old ^ new at an
        /// offset, re-MACed with the known MAC key.
        case modify(old: [UInt8], new: [UInt8], offset: Int, macKey: SecureBytes)
    }

    public var change: Change
    public var force: Bool
    public var json: Bool

    public init(_ change: Change, force: Bool, json: Bool) {
        self.change = change
        self.force = force
        self.json = json
    }

    public func apply(to messages: [(SourceLocation, TranscriptForgery.CapturedMessage)], out: OutputSink, diagnostics: Diagnostics) {
        for (location, captured) in messages {
            let verifies = (try? captured.message.verifyMAC(macKey: verifyingKey, original: captured.binary)) == true
            if !verifies {
                let (option, done, verb) = switch change {
                case .reencrypt: ("--aes-key", "forged", "forges")
                case .modify: ("--mac-key", "modified", "modifies")
                }
                diagnostics.report(location.description, "MAC does not verify with \(option) (wrong key?)"
                                   + (force ? "; \(done) anyway (--force)" : "; not \(done), --force \(verb) anyway"),
                                   status: force ? .success : .checkFailed)
                if !force { continue }
            }
            do {
                let forged = try forge(captured.message)
                let armoured = try EncodedMessage.data(forged).armoured()
                if json {
                    var fields: [(String, JSON)] = [("line", .int(location.line)), ("forged", .string(armoured)),
                                                    ("key_verified_original", .bool(verifies))]
                    if verifies, case .reencrypt(_, let aes, _, _) = change, let original = try? captured.message.decrypt(aesKey: aes) {
                        fields.append(("original_plaintext", .hex(original.octets)))
                    }
                    out.writeLine(.object(fields))
                } else {
                    out.writeLine(armoured)
                }
            } catch {
                diagnostics.report(location.description, error)
            }
        }
    }

    /// forge remac (otr_remac): a Data message built from its parts and
    /// MACed, to standard output armoured, or as JSON with its MAC.
    public static func writeAssembled(_ message: DataMessage, json: Bool) throws {
        let out = OutputSink.standardOutput()
        defer { out.flush() }
        let armoured = try EncodedMessage.data(message).armoured()
        if json {
            out.writeLine(.object([("forged", .string(armoured)), ("mac", .hex(message.mac))]))
        } else {
            out.writeLine(armoured)
        }
    }

    /// The key the captured message's MAC is checked with: the MAC key the
    /// AES key makes (spec "Computing AES keys, MAC keys"), or the one given.
    private var verifyingKey: SecureBytes {
        switch change {
        case .reencrypt(_, let aes, _, _): DataKeys.macKey(forAESKey: aes)
        case .modify(_, _, _, let mac): mac
        }
    }

    private func forge(_ message: DataMessage) throws -> DataMessage {
        switch change {
        case .reencrypt(let plaintext, let aes, let mac, let counter):
            try message.reencrypted(with: plaintext, aesKey: aes, macKey: mac, counter: counter)
        case .modify(let old, let new, let offset, let mac):
            try message.modified(replacing: old, with: new, at: offset, macKey: mac)
        }
    }
}
