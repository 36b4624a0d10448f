/// Signature Message (spec "Signature Message", type 0x12): Alice's
/// encrypted signature X_A and its MAC under m2'.
public struct SignatureMessage: Sendable, Equatable {
    public static let type = MessageType.signature
    public var header: MessageHeader
    public var encryptedSignature: [UInt8]
    public var mac: [UInt8]

    public init(header: MessageHeader, encryptedSignature: [UInt8], mac: [UInt8]) {
        self.header = header
        self.encryptedSignature = encryptedSignature
        self.mac = mac
    }

    static func read(_ header: MessageHeader, _ r: inout ByteReader) throws -> SignatureMessage {
        let sig = try r.readData("encrypted signature")
        let mac = try r.readBytes(20, "MAC'd signature")
        return SignatureMessage(header: header, encryptedSignature: sig, mac: mac)
    }

    func writeBody(_ w: inout ByteWriter) throws {
        try w.writeData(encryptedSignature)
        w.writeBytes(mac)
    }

    public var violations: [RuleViolation] { [] }
}
