import OTR

/// Turns the JSON that `decode --json` prints (or that a user writes) into
/// the bytes of a message. Only wire fields are read; "analysis" is
/// ignored unless a message is re-encrypted from its plaintext.
public struct MessageBuilder {
    public init() {}

    /// Keys for re-encrypting or re-MACing Data messages.
    public var aesKey: SecureBytes?
    public var macKey: SecureBytes?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The text of the message to send: an armoured message, a query, a
    /// tagged text, an error, or text passed through.
    public func build(_ object: JSONValue) throws -> [UInt8] {
        guard case .object = object else { throw Failure("expected a JSON object") }
        let kind = try field(object, "kind").stringValue ?? ""
        switch kind {
        case "query":
            let offer = try offer(object, reads: { exact in
                QueryMessage.parse(exact, at: 0).flatMap { $0.range == 0..<exact.count ? $0.versions : nil }
            }, build: QueryMessage.encodedBytes(versions:))
            return try inserting(offer, into: object)
        case "whitespace-tag":
            let offer = try offer(object, reads: { exact in
                WhitespaceTag.parse(exact, at: 0).flatMap { $0.range == 0..<exact.count ? $0.versions : nil }
            }, build: WhitespaceTag.encode(versions:))
            return try inserting(offer, into: object)
        case "error":
            // "raw" as it stood while it still carries "message" (spaces
            // after the prefix kept); else built in the spec's form.
            let message = try bytes(object, text: "message")
            if object["raw"] != nil || object["raw_hex"] != nil {
                let raw = try bytes(object, text: "raw")
                if let read = ErrorMessage.parse(raw, at: 0), read.text == message { return try inserting(raw, into: object) }
            }
            return try inserting(Array(ErrorMessage.encode(text: "").utf8) + message, into: object)
        case "plaintext", "unterminated":
            return try bytes(object, text: kind == "plaintext" ? "text" : "raw")
        case "fragment", "unrecognised", "invalid":
            return try inserting(try bytes(object, text: "raw"), into: object)
        default:
            return try inserting(Armour.wrap(try message(object, kind: kind).serialize()), into: object)
        }
    }

    public func message(_ o: JSONValue, kind: String) throws -> EncodedMessage {
        switch kind {
        case "dh-commit":
            return .dhCommit(DHCommitMessage(header: try header(o, type: .dhCommit), encryptedGx: try hex(o, "encrypted_gx"),
                                             hashedGx: try hex(o, "hashed_gx")))
        case "dh-key":
            let encoding = try optionalHex(o, "gy_encoding")
            let gy = try encoding.map { MPI(bytes: $0) } ?? MPI(bytes: hex(o, "gy"))
            return .dhKey(DHKeyMessage(header: try header(o, type: .dhKey), gy: gy, gyEncoding: encoding))
        case "reveal-signature":
            return .revealSignature(RevealSignatureMessage(header: try header(o, type: .revealSignature),
                                                           revealedKey: try hex(o, "revealed_key"),
                                                           encryptedSignature: try hex(o, "encrypted_signature"),
                                                           mac: try hex(o, "mac", length: 20)))
        case "signature":
            return .signature(SignatureMessage(header: try header(o, type: .signature),
                                               encryptedSignature: try hex(o, "encrypted_signature"),
                                               mac: try hex(o, "mac", length: 20)))
        case "data":
            return .data(try data(o))
        case "v1-key-exchange", "v1-data", "v1-message":
            return .version1(type: UInt8(try integer(o, "type", max: 0xff)), body: try hex(o, "body"))
        case "unknown-version":
            let type = o["type"].flatMap { $0 == .null ? nil : $0 }
            return .unknownVersion(version: UInt16(try integer(o, "version", max: 0xffff)),
                                   type: type == nil ? nil : UInt8(try integer(o, "type", max: 0xff)), body: try hex(o, "body"))
        default:
            throw Failure("field \"kind\": \"\(kind)\" is not a message kind encode builds")
        }
    }

    public func data(_ o: JSONValue) throws -> DataMessage {
        let h = try header(o, type: .data)
        let encoding = try optionalHex(o, "next_dh_key_encoding")
        var d = DataMessage(header: h,
                            flags: UInt8(try integer(o, "flags", max: 0xff, default: 0)),
                            senderKeyID: UInt32(try integer(o, "sender_keyid", max: Int(UInt32.max))),
                            recipientKeyID: UInt32(try integer(o, "recipient_keyid", max: Int(UInt32.max))),
                            nextDHKey: try encoding.map { MPI(bytes: $0) } ?? MPI(bytes: hex(o, "next_dh_key")),
                            nextDHKeyEncoding: encoding,
                            counter: try hex(o, "counter", length: 8),
                            encryptedMessage: [], mac: [],
                            oldMACKeys: try optionalHex(o, "old_mac_keys") ?? [])
        if let aesKey, let plaintext = try plaintext(o) {
            try d.seal(plaintext: plaintext.encoded, aesKey: aesKey, macKey: macKey)
        } else {
            d.encryptedMessage = try hex(o, "encrypted_message")
            if let macKey {
                try d.remac(macKey: macKey)
            } else if let aesKey {
                try d.remac(macKey: DataKeys.macKey(forAESKey: aesKey))
            } else {
                d.mac = try hex(o, "mac", length: 20)
            }
        }
        return d
    }

    /// The plaintext to encrypt: a top-level "plaintext" object, or the one
    /// decode put under "analysis".
    public func plaintext(_ o: JSONValue) throws -> DataPlaintext? {
        guard let p = o["plaintext"] ?? o["analysis"]?["plaintext"], p != .null else { return nil }
        let message: [UInt8]
        if let h = p["message_hex"], case .string(let s) = h {
            message = try Hex.decode(s)
        } else if let m = p["message"], case .string(let s) = m {
            message = Array(s.utf8)
        } else {
            throw Failure("field \"plaintext\": needs \"message\" or \"message_hex\"")
        }
        var tlvs: [TLV] = []
        if case .array(let items)? = p["tlvs"] {
            for (i, item) in items.enumerated() {
                let type = try integer(item, "type", max: 0xffff, context: "plaintext.tlvs[\(i)]")
                let value = try optionalHex(item, "value") ?? []
                guard value.count <= 0xffff else { throw Failure("plaintext.tlvs[\(i)].value: longer than 65535 bytes") }
                tlvs.append(try TLV(type: UInt16(type), checkedValue: value))
            }
        }
        var nul = true
        if case .bool(let b)? = p["nul"] { nul = b }
        return DataPlaintext(message: message, tlvs: tlvs, hasNUL: nul)
    }

    // MARK: Fields

    public func header(_ o: JSONValue, type: MessageType) throws -> MessageHeader {
        let version = UInt16(try integer(o, "version", max: 0xffff))
        guard version == 2 || version == 3 else {
            throw Failure("field \"version\": \(type.name) messages exist in versions 2 and 3, not \(version)")
        }
        var h = MessageHeader(version: version, type: type.rawValue)
        if MessageHeader.hasInstanceTags(version: version) {
            h.senderInstance = InstanceTag(UInt32(try integer(o, "sender_instance", max: Int(UInt32.max))))
            h.receiverInstance = InstanceTag(UInt32(try integer(o, "receiver_instance", max: Int(UInt32.max))))
        }
        return h
    }

    public func field(_ o: JSONValue, _ name: String) throws -> JSONValue {
        guard let v = o[name], v != .null else { throw Failure("field \"\(name)\" is missing") }
        return v
    }

    public func integer(_ o: JSONValue, _ name: String, max: Int, default value: Int? = nil, context: String? = nil) throws -> Int {
        let label = context.map { "\($0).\(name)" } ?? name
        guard let v = o[name], v != .null else {
            if let value { return value }
            throw Failure("field \"\(label)\" is missing")
        }
        // Instance tags may also be given as their 8-digit hex twin.
        if case .string(let s) = v, let tag = InstanceTag(hex: s), Int(tag.rawValue) <= max {
            return Int(tag.rawValue)
        }
        guard case .number(let text) = v, let n = Int(text) else {
            throw Failure("field \"\(label)\": not a whole number")
        }
        guard n >= 0, n <= max else { throw Failure("field \"\(label)\": \(n) is outside 0...\(max)") }
        return n
    }

    public func hex(_ o: JSONValue, _ name: String, length: Int? = nil) throws -> [UInt8] {
        guard let b = try optionalHex(o, name) else { throw Failure("field \"\(name)\" is missing") }
        if let length, b.count != length {
            throw Failure("field \"\(name)\": must be \(length) bytes, is \(b.count)")
        }
        return b
    }

    public func optionalHex(_ o: JSONValue, _ name: String) throws -> [UInt8]? {
        guard let v = o[name], v != .null else { return nil }
        guard case .string(let s) = v else { throw Failure("field \"\(name)\": expected a hex string") }
        do {
            return try Hex.decode(s)
        } catch {
            throw Failure("field \"\(name)\": \(error)")
        }
    }

    /// Text from "NAME" (a string) or "NAME_hex".
    public func bytes(_ o: JSONValue, text name: String) throws -> [UInt8] {
        if let h = try optionalHex(o, name + "_hex") { return h }
        if case .string(let s)? = o[name] { return Array(s.utf8) }
        return []
    }

    /// A query or tag, or a message, put back into the text of the line
    /// it was found in, at "text_offset" or else "offset" (decode reports
    /// the text with the item removed), or after the text; without a
    /// "text", the item alone.
    public func inserting(_ offer: [UInt8], into o: JSONValue) throws -> [UInt8] {
        let text = try bytes(o, text: "text")
        var at = text.count
        // Where decode says the offer stood in "text"; "offset" (in the
        // line) is the same place when the text starts the line.
        if o["text_offset"] != nil {
            at = min(try integer(o, "text_offset", max: Int(Int32.max)), text.count)
        } else if o["offset"] != nil {
            at = min(try integer(o, "offset", max: Int(Int32.max)), text.count)
        }
        return Array(text[..<at]) + offer + Array(text[at...])
    }

    /// The query string or whitespace tag to write: the "offer" decode
    /// printed, byte for byte, while it still reads as the versions the
    /// object lists (so repeats, unknown identifiers and odd orders come
    /// back as they were); built in the spec's form from the versions when
    /// there is no "offer" or the versions were edited.
    public func offer(_ o: JSONValue, reads: ([UInt8]) -> [OTRVersion]?, build: ([OTRVersion]) -> [UInt8]) throws -> [UInt8] {
        let listed = try versions(o)
        if o["offer"] != nil {
            let exact = try bytes(o, text: "offer")
            if let read = reads(exact), Set(read) == Set(listed) { return exact }
        }
        return build(listed)
    }

    public func versions(_ o: JSONValue) throws -> [OTRVersion] {
        var result: [OTRVersion] = []
        if case .array(let items)? = o["versions"] {
            for item in items {
                guard case .number(let t) = item, let n = Int(t), let v = OTRVersion(number: n) else {
                    throw Failure("field \"versions\": entries are version numbers 1-4")
                }
                result.append(v)
            }
        }
        if case .array(let items)? = o["other_versions"] {
            for item in items {
                // One character, or \xHH for a byte that is not printable
                // ASCII, as decode prints them.
                guard case .string(let s) = item, let b = s.utf8.count == 1 ? s.utf8.first : Self.escapedByte(s) else {
                    throw Failure("field \"other_versions\": entries are single characters or \\xHH")
                }
                result.append(.other(b))
            }
        }
        return result
    }

    /// The byte of a "\xHH" escape.
    public static func escapedByte(_ s: String) -> UInt8? {
        let u = Array(s.utf8)
        guard u.count == 4, u[0] == UInt8(ascii: "\\"), u[1] == UInt8(ascii: "x"),
              let b = try? Hex.decode(String(decoding: u[2...], as: UTF8.self)), b.count == 1 else { return nil }
        return b[0]
    }
}
