/// Reveal Signature Message (spec "Reveal Signature Message", type 0x11):
/// the key r that opens the D-H Commit, Bob's encrypted signature X_B, and
/// its MAC (SHA256-HMAC-160 under m2 of the DATA field, length included).
public struct RevealSignatureMessage: Sendable, Equatable {
    public static let type = MessageType.revealSignature
    public var header: MessageHeader
    public var revealedKey: [UInt8]
    public var encryptedSignature: [UInt8]
    public var mac: [UInt8]

    public init(header: MessageHeader, revealedKey: [UInt8], encryptedSignature: [UInt8], mac: [UInt8]) {
        self.header = header
        self.revealedKey = revealedKey
        self.encryptedSignature = encryptedSignature
        self.mac = mac
    }

    static func read(_ header: MessageHeader, _ r: inout ByteReader) throws -> RevealSignatureMessage {
        let key = try r.readData("revealed key")
        let sig = try r.readData("encrypted signature")
        let mac = try r.readBytes(20, "MAC'd signature")
        return RevealSignatureMessage(header: header, revealedKey: key, encryptedSignature: sig, mac: mac)
    }

    func writeBody(_ w: inout ByteWriter) throws {
        try w.writeData(revealedKey)
        try w.writeData(encryptedSignature)
        w.writeBytes(mac)
    }

    public var violations: [RuleViolation] {
        revealedKey.count == 16 ? [] : [RuleViolation(.malformed, "revealed key r", "must be 16 bytes (128 bits), is \(revealedKey.count)")]
    }
}
