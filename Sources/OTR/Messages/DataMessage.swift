/// Data Message (spec "Data Message", type 0x03). In version 1 the flags
/// byte is absent. The MAC covers everything from the protocol version to
/// the end of the encrypted message; `authenticatedRange` keeps that
/// range of the original bytes so a captured message can be re-MACed.
public struct DataMessage: Sendable, Equatable {
    public static let type = MessageType.data
    /// IGNORE_UNREADABLE: a receiver that cannot decrypt stays silent.
    public static let ignoreUnreadable: UInt8 = 0x01

    /// The fields, in one shared box: copying a message (decode copies each
    /// a few times on its way to the report) then costs one reference, not
    /// one for each field. A setter gives this message a box of its own.
    private final class Box: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private struct Fields: Sendable, Equatable {
        var header: MessageHeader
        var flags: UInt8
        var senderKeyID: UInt32
        var recipientKeyID: UInt32
        var nextDHKey: MPI
        var nextDHKeyEncoding: [UInt8]?
        var authenticatedRange: Range<Int>?
        // The byte fields are slices: of the binary message a read message
        // came from (no copy per field, where decode reads millions), or
        // of the arrays given.
        var counter: ArraySlice<UInt8>
        var encryptedMessage: ArraySlice<UInt8>
        var mac: ArraySlice<UInt8>
        var oldMACKeys: ArraySlice<UInt8>
    }

    private var box: Box

    private mutating func update(_ change: (inout Fields) -> Void) {
        var fields = box.fields
        change(&fields)
        box = Box(fields)
    }

    public var header: MessageHeader {
        get { box.fields.header }
        set { update { $0.header = newValue } }
    }

    public var flags: UInt8 {
        get { box.fields.flags }
        set { update { $0.flags = newValue } }
    }

    public var senderKeyID: UInt32 {
        get { box.fields.senderKeyID }
        set { update { $0.senderKeyID = newValue } }
    }

    public var recipientKeyID: UInt32 {
        get { box.fields.recipientKeyID }
        set { update { $0.recipientKeyID = newValue } }
    }

    public var nextDHKey: MPI {
        get { box.fields.nextDHKey }
        set { update { $0.nextDHKey = newValue } }
    }

    /// The next D-H key's bytes as they were sent, when not minimal.
    public var nextDHKeyEncoding: [UInt8]? {
        get { box.fields.nextDHKeyEncoding }
        set { update { $0.nextDHKeyEncoding = newValue } }
    }

    /// Byte range of the MAC'd part in the binary message it was read from.
    public var authenticatedRange: Range<Int>? {
        get { box.fields.authenticatedRange }
        set { update { $0.authenticatedRange = newValue } }
    }

    // Readers that only look at the bytes take these slices; the array
    // properties below copy.
    public var counterBytes: ArraySlice<UInt8> { box.fields.counter }
    public var encryptedMessageBytes: ArraySlice<UInt8> { box.fields.encryptedMessage }
    public var macBytes: ArraySlice<UInt8> { box.fields.mac }
    public var oldMACKeysBytes: ArraySlice<UInt8> { box.fields.oldMACKeys }

    public var counter: [UInt8] {
        get { Array(counterBytes) }
        set { update { $0.counter = newValue[...] } }
    }

    public var encryptedMessage: [UInt8] {
        get { Array(encryptedMessageBytes) }
        set { update { $0.encryptedMessage = newValue[...] } }
    }

    public var mac: [UInt8] {
        get { Array(macBytes) }
        set { update { $0.mac = newValue[...] } }
    }

    public var oldMACKeys: [UInt8] {
        get { Array(oldMACKeysBytes) }
        set { update { $0.oldMACKeys = newValue[...] } }
    }

    public init(header: MessageHeader, flags: UInt8 = 0, senderKeyID: UInt32, recipientKeyID: UInt32,
                nextDHKey: MPI, nextDHKeyEncoding: [UInt8]? = nil, counter: [UInt8], encryptedMessage: [UInt8],
                mac: [UInt8], oldMACKeys: [UInt8] = [], authenticatedRange: Range<Int>? = nil) {
        self.init(header: header, flags: flags, senderKeyID: senderKeyID, recipientKeyID: recipientKeyID,
                  nextDHKey: nextDHKey, nextDHKeyEncoding: nextDHKeyEncoding, counterBytes: counter[...],
                  encryptedMessageBytes: encryptedMessage[...], macBytes: mac[...], oldMACKeysBytes: oldMACKeys[...],
                  authenticatedRange: authenticatedRange)
    }

    /// A message whose byte fields are slices (of the bytes it was read from).
    public init(header: MessageHeader, flags: UInt8, senderKeyID: UInt32, recipientKeyID: UInt32,
                nextDHKey: MPI, nextDHKeyEncoding: [UInt8]?, counterBytes: ArraySlice<UInt8>,
                encryptedMessageBytes: ArraySlice<UInt8>, macBytes: ArraySlice<UInt8>,
                oldMACKeysBytes: ArraySlice<UInt8>, authenticatedRange: Range<Int>?) {
        box = Box(Fields(header: header, flags: flags, senderKeyID: senderKeyID, recipientKeyID: recipientKeyID,
                         nextDHKey: nextDHKey, nextDHKeyEncoding: nextDHKeyEncoding,
                         authenticatedRange: authenticatedRange, counter: counterBytes,
                         encryptedMessage: encryptedMessageBytes, mac: macBytes, oldMACKeys: oldMACKeysBytes))
    }

    /// Equal when every field holds the same bytes, wherever they lie.
    public static func == (a: DataMessage, b: DataMessage) -> Bool {
        a.box === b.box || a.box.fields == b.box.fields
    }

    /// The counter's top half as a number: receivers compare counters by
    /// it (spec "Data Message": counters increase for each key pair).
    public var counterValue: UInt64 {
        counterBytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
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
        let counter = try r.readSlice(8, "counter")
        let encrypted = try r.readDataSlice("encrypted message")
        let authenticatedEnd = r.offset
        let mac = try r.readSlice(20, "authenticator")
        let old = try r.readDataSlice("old MAC keys")
        return DataMessage(header: header, flags: flags, senderKeyID: sender, recipientKeyID: recipient,
                           nextDHKey: y, nextDHKeyEncoding: minimal ? nil : Array(r.slice(yRange).dropFirst(4)),
                           counterBytes: counter, encryptedMessageBytes: encrypted, macBytes: mac,
                           oldMACKeysBytes: old, authenticatedRange: 0..<authenticatedEnd)
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
        w.writeBytes(counterBytes)
        try w.writeData(encryptedMessageBytes)
    }

    func writeBody(_ w: inout ByteWriter) throws {
        try writeAuthenticatedBody(&w)
        w.writeBytes(macBytes)
        try w.writeData(oldMACKeysBytes)
    }

    /// The old MAC keys as the 20-byte keys they are.
    public var revealedMACKeys: [[UInt8]] {
        let old = oldMACKeysBytes
        return stride(from: 0, to: old.count - old.count % 20, by: 20).map {
            Array(old[old.startIndex + $0..<old.startIndex + $0 + 20])
        }
    }

    /// The rules of the spec's "Data Message" section this one breaks.
    public var violations: [RuleViolation] {
        var v: [RuleViolation] = []
        if senderKeyID == 0 { v.append(RuleViolation(.outOfRange, "sender keyid", "must be greater than 0")) }
        if recipientKeyID == 0 { v.append(RuleViolation(.outOfRange, "recipient keyid", "must be greater than 0")) }
        if !DHGroup.isValidPublicValue(nextDHKey) { v.append(.outsideGroup("next D-H key", as: "y")) }
        if nextDHKeyEncoding != nil { v.append(.notMinimal("next D-H key")) }
        if counterBytes.allSatisfy({ $0 == 0 }) { v.append(RuleViolation(.outOfRange, "counter", "top half must not be all zero")) }
        if counterBytes.count != 8 { v.append(RuleViolation(.malformed, "counter", "must be 8 bytes")) }
        if macBytes.count != 20 { v.append(RuleViolation(.malformed, "authenticator", "must be 20 bytes")) }
        if oldMACKeysBytes.count % 20 != 0 {
            v.append(RuleViolation(.malformed, "old MAC keys", "length \(oldMACKeysBytes.count) is not a multiple of 20"))
        }
        if flags & ~DataMessage.ignoreUnreadable != 0 {
            v.append(RuleViolation(.outOfRange, "flags", "0x\(Hex.encode([flags])) set bits no version defines"))
        }
        return v
    }
}

