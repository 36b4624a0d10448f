/// A binary OTR message, decoded from its armour: one of the protocol's
/// message types, a version 1 message (recognised, not read), or a message
/// of a version this toolkit does not speak (labelled, never misread).
public enum EncodedMessage: Sendable, Equatable {
    case dhCommit(DHCommitMessage)
    case dhKey(DHKeyMessage)
    case revealSignature(RevealSignatureMessage)
    case signature(SignatureMessage)
    case data(DataMessage)
    /// A version 1 message: 0x0001 with type 0x0a (Key Exchange) or 0x03 (Data).
    case version1(type: UInt8, body: [UInt8])
    /// A version this toolkit does not read (for example OTRv4's 0x0004).
    case unknownVersion(version: UInt16, type: UInt8?, body: [UInt8])

    public var header: MessageHeader? {
        switch self {
        case .dhCommit(let m): m.header
        case .dhKey(let m): m.header
        case .revealSignature(let m): m.header
        case .signature(let m): m.header
        case .data(let m): m.header
        case .version1(let type, _): MessageHeader(version: 1, type: type)
        case .unknownVersion(let version, let type, _): type.map { MessageHeader(version: version, type: $0) }
        }
    }

    /// The protocol's name for the message.
    public var name: String {
        switch self {
        case .dhCommit: "D-H Commit"
        case .dhKey: "D-H Key"
        case .revealSignature: "Reveal Signature"
        case .signature: "Signature"
        case .data: "Data"
        case .version1(let type, _): type == 0x0a ? "v1 Key Exchange" : type == 0x03 ? "v1 Data" : "v1 message"
        case .unknownVersion(let version, _, _): "version \(version) message"
        }
    }

    /// Rules of the spec this message breaks (layout errors throw instead).
    public var violations: [RuleViolation] {
        var v: [RuleViolation] = []
        switch self {
        case .dhCommit(let m): v = m.violations
        case .dhKey(let m): v = m.violations
        case .revealSignature(let m): v = m.violations
        case .signature(let m): v = m.violations
        case .data(let m): v = m.violations
        case .version1, .unknownVersion: return []
        }
        if let header, MessageHeader.hasInstanceTags(version: header.version) {
            if let s = header.senderInstance, !s.isValidSender {
                v.append(RuleViolation(.outOfRange, "sender instance tag", "\(s) is below 0x00000100"))
            }
            if let r = header.receiverInstance, !r.isValidReceiver {
                v.append(RuleViolation(.outOfRange, "receiver instance tag", "\(r) is neither 0 nor at least 0x00000100"))
            }
        }
        return v
    }

    /// Reads a binary message. Trailing bytes after the last field are an
    /// error: libotr ignores them, but they mean the message was altered.
    public static func read(_ bytes: [UInt8]) throws -> EncodedMessage {
        var r = ByteReader(bytes)
        let version = try r.readShort("protocol version")
        guard version == 2 || version == 3 else {
            let type = r.remaining > 0 ? try r.readByte("message type") : nil
            if version == 1 {
                // Every version 1 message has a type; without one the bytes
                // could not be written back as they were read.
                guard let type else { throw OTRError.malformed("message type", at: 2, "a version 1 message ends before its type") }
                return .version1(type: type, body: Array(bytes.dropFirst(3)))
            }
            return .unknownVersion(version: version, type: type, body: Array(bytes.dropFirst(type == nil ? 2 : 3)))
        }
        r = ByteReader(bytes)
        let header = try MessageHeader.read(&r)
        guard let type = MessageType(rawValue: header.type) else {
            throw OTRError.malformed("message type", at: 2, "0x\(Hex.encode([header.type])) is not a message type of version \(version)")
        }
        let message: EncodedMessage
        do {
            switch type {
            case .dhCommit: message = .dhCommit(try DHCommitMessage.read(header, &r))
            case .dhKey: message = .dhKey(try DHKeyMessage.read(header, &r))
            case .revealSignature: message = .revealSignature(try RevealSignatureMessage.read(header, &r))
            case .signature: message = .signature(try SignatureMessage.read(header, &r))
            case .data: message = .data(try DataMessage.read(header, &r))
            }
        } catch let error as OTRError {
            throw error.within("\(type.name) message")
        }
        guard r.isAtEnd else {
            throw OTRError.malformed("\(message.name) message", at: r.offset, "\(r.remaining) trailing bytes after the last field")
        }
        return message
    }

    /// From the armoured form "?OTR:<base64>.".
    public static func read(armoured text: [UInt8]) throws -> EncodedMessage {
        try read(try Armour.unwrap(text))
    }

    /// The binary form.
    public func serialize() throws -> [UInt8] {
        var w = ByteWriter()
        switch self {
        case .dhCommit(let m): m.header.write(&w); try m.writeBody(&w)
        case .dhKey(let m): m.header.write(&w); try m.writeBody(&w)
        case .revealSignature(let m): m.header.write(&w); try m.writeBody(&w)
        case .signature(let m): m.header.write(&w); try m.writeBody(&w)
        case .data(let m): m.header.write(&w); try m.writeBody(&w)
        case .version1(let type, let body):
            w.writeShort(1)
            w.writeByte(type)
            w.writeBytes(body)
        case .unknownVersion(let version, let type, let body):
            w.writeShort(version)
            if let type { w.writeByte(type) }
            w.writeBytes(body)
        }
        return w.bytes
    }

    /// "?OTR:<base64>."
    public func armoured() throws -> String {
        Armour.wrapString(try serialize())
    }
}
