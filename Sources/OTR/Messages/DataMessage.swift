/// Data Message (spec "Data Message", type 0x03). In version 1 the flags
/// byte is absent. The MAC covers everything from the protocol version to
/// the end of the encrypted message; `authenticatedRange` keeps that
/// range of the original bytes so a captured message can be re-MACed.
public struct DataMessage: Sendable, Equatable {
    public static let type = MessageType.data
    /// IGNORE_UNREADABLE: a receiver that cannot decrypt stays silent.
    public static let ignoreUnreadable: UInt8 = 0x01

    public var header: MessageHeader
    public var flags: UInt8
    public var senderKeyID: UInt32
    public var recipientKeyID: UInt32
    public var nextDHKey: MPI
    public var nextDHKeyEncoding: [UInt8]?
    public var counter: [UInt8]
    public var encryptedMessage: [UInt8]
    public var mac: [UInt8]
    public var oldMACKeys: [UInt8]
    /// Byte range of the MAC'd part in the binary message it was read from.
    public var authenticatedRange: Range<Int>?

    public init(header: MessageHeader, flags: UInt8 = 0, senderKeyID: UInt32, recipientKeyID: UInt32,
                nextDHKey: MPI, nextDHKeyEncoding: [UInt8]? = nil, counter: [UInt8], encryptedMessage: [UInt8],
                mac: [UInt8], oldMACKeys: [UInt8] = [], authenticatedRange: Range<Int>? = nil) {
        self.header = header
        self.flags = flags
        self.senderKeyID = senderKeyID
        self.recipientKeyID = recipientKeyID
        self.nextDHKey = nextDHKey
        self.nextDHKeyEncoding = nextDHKeyEncoding
        self.counter = counter
        self.encryptedMessage = encryptedMessage
        self.mac = mac
        self.oldMACKeys = oldMACKeys
        self.authenticatedRange = authenticatedRange
    }

    /// The counter's top half as a number: receivers compare counters by
    /// it (spec "Data Message": counters increase for each key pair).
    public var counterValue: UInt64 {
        counter.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The 8-byte top half of counter `value`, big-endian.
    public static func counter(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    /// Whether this version's Data Message has a flags byte (v2 and v3).
    static func hasFlags(version: UInt16) -> Bool { version >= 2 }

    static func read(_ header: MessageHeader, _ r: inout ByteReader) throws -> DataMessage {
        let flags = hasFlags(version: header.version) ? try r.readByte("flags") : 0
        let sender = try r.readInt("sender keyid")
        let recipient = try r.readInt("recipient keyid")
        let (y, minimal, yRange) = try r.readMPI("next D-H key")
        let counter = try r.readBytes(8, "counter")
        let encrypted = try r.readData("encrypted message")
        let authenticatedEnd = r.offset
        let mac = try r.readBytes(20, "authenticator")
        let old = try r.readData("old MAC keys")
        return DataMessage(header: header, flags: flags, senderKeyID: sender, recipientKeyID: recipient,
                           nextDHKey: y, nextDHKeyEncoding: minimal ? nil : Array(r.slice(yRange).dropFirst(4)),
                           counter: counter, encryptedMessage: encrypted, mac: mac, oldMACKeys: old,
                           authenticatedRange: 0..<authenticatedEnd)
    }

    /// The bytes the MAC covers, rebuilt from the fields.
    public func authenticatedBytes() throws -> [UInt8] {
        var w = ByteWriter()
        header.write(&w)
        try writeAuthenticatedBody(&w)
        return w.bytes
    }

    func writeAuthenticatedBody(_ w: inout ByteWriter) throws {
        if DataMessage.hasFlags(version: header.version) { w.writeByte(flags) }
        w.writeInt(senderKeyID)
        w.writeInt(recipientKeyID)
        if let nextDHKeyEncoding { try w.writeMPIBytes(nextDHKeyEncoding) } else { w.writeMPI(nextDHKey) }
        w.writeBytes(counter)
        try w.writeData(encryptedMessage)
    }

    func writeBody(_ w: inout ByteWriter) throws {
        try writeAuthenticatedBody(&w)
        w.writeBytes(mac)
        try w.writeData(oldMACKeys)
    }

    /// The old MAC keys as the 20-byte keys they are.
    public var revealedMACKeys: [[UInt8]] {
        stride(from: 0, to: oldMACKeys.count - oldMACKeys.count % 20, by: 20).map { Array(oldMACKeys[$0..<$0 + 20]) }
    }

    public var violations: [String] {
        var v: [String] = []
        if senderKeyID == 0 { v.append("sender keyid must be greater than 0") }
        if recipientKeyID == 0 { v.append("recipient keyid must be greater than 0") }
        if !DHGroup.isValidPublicValue(nextDHKey) { v.append("next D-H key must satisfy 2 <= y <= p-2") }
        if nextDHKeyEncoding != nil { v.append("next D-H key is not minimally encoded (leading zero bytes)") }
        if counter.allSatisfy({ $0 == 0 }) { v.append("counter top half must not be all zero") }
        if counter.count != 8 { v.append("counter must be 8 bytes") }
        if mac.count != 20 { v.append("authenticator must be 20 bytes") }
        if oldMACKeys.count % 20 != 0 { v.append("old MAC keys length \(oldMACKeys.count) is not a multiple of 20") }
        if flags & ~DataMessage.ignoreUnreadable != 0 { v.append("flags 0x\(Hex.encode([flags])) set bits no version defines") }
        return v
    }
}

