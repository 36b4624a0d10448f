/// The types of encoded messages (spec "Encoded messages"; v1 types from
/// the version 1 protocol, recognised only).
public enum MessageType: UInt8, Sendable, CaseIterable {
    case dhCommit = 0x02
    case data = 0x03
    case dhKey = 0x0a
    case revealSignature = 0x11
    case signature = 0x12

    /// The protocol's name for the type.
    public var name: String {
        switch self {
        case .dhCommit: "D-H Commit"
        case .data: "Data"
        case .dhKey: "D-H Key"
        case .revealSignature: "Reveal Signature"
        case .signature: "Signature"
        }
    }
}

/// The start of every encoded message: protocol version (SHORT), message
/// type (BYTE) and, from version 3 on, the sender's and receiver's
/// instance tags (INT each).
public struct MessageHeader: Sendable, Equatable {
    public var version: UInt16
    public var type: UInt8
    public var senderInstance: InstanceTag?
    public var receiverInstance: InstanceTag?

    public init(version: UInt16, type: UInt8, senderInstance: InstanceTag? = nil, receiverInstance: InstanceTag? = nil) {
        self.version = version
        self.type = type
        self.senderInstance = senderInstance
        self.receiverInstance = receiverInstance
    }

    public var messageType: MessageType? { MessageType(rawValue: type) }

    /// Whether this header carries instance tags (version 3).
    public static func hasInstanceTags(version: UInt16) -> Bool { version == 3 }

    /// Header length in bytes for a version: 3, or 11 with instance tags.
    public static func length(version: UInt16) -> Int { hasInstanceTags(version: version) ? 11 : 3 }

    /// Reads a header. Versions other than 1-3 are read as far as their
    /// version and type, for labelling, and not further.
    public static func read(_ reader: inout ByteReader) throws -> MessageHeader {
        let version = try reader.readShort("protocol version")
        let type = try reader.readByte("message type")
        var header = MessageHeader(version: version, type: type)
        if hasInstanceTags(version: version) {
            header.senderInstance = InstanceTag(try reader.readInt("sender instance tag"))
            header.receiverInstance = InstanceTag(try reader.readInt("receiver instance tag"))
        }
        return header
    }

    public func write(_ writer: inout ByteWriter) {
        writer.writeShort(version)
        writer.writeByte(type)
        if MessageHeader.hasInstanceTags(version: version) {
            writer.writeInt((senderInstance ?? .zero).rawValue)
            writer.writeInt((receiverInstance ?? .zero).rawValue)
        }
    }

    /// The header of an armoured message "?OTR:<base64>." without decoding
    /// the rest: only the first base64 quads are read.
    public static func peek(armoured text: some Collection<UInt8>) throws -> MessageHeader {
        let prefix = Armour.prefix
        guard text.count >= prefix.count, text.prefix(prefix.count).elementsEqual(prefix) else {
            throw OTRError.malformed("encoded message", at: 0, "does not start with \"?OTR:\"")
        }
        // 16 base64 characters decode to 12 bytes, enough for an 11-byte header.
        var chunk: [UInt8] = []
        for c in text.dropFirst(prefix.count) {
            if c == UInt8(ascii: ".") { break }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") { continue }
            chunk.append(c)
            if chunk.count == 16 { break }
        }
        chunk.removeLast(chunk.count % 4)
        var reader = ByteReader(try Base64.decode(chunk))
        return try read(&reader)
    }
}
