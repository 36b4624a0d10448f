/// D-H Commit Message (spec "D-H Commit Message", type 0x02): AES(r, g^x)
/// and SHA-256(g^x), committing to g^x before it is revealed.
public struct DHCommitMessage: Sendable, Equatable {
    public static let type = MessageType.dhCommit
    public var header: MessageHeader
    public var encryptedGx: [UInt8]
    public var hashedGx: [UInt8]

    public init(header: MessageHeader, encryptedGx: [UInt8], hashedGx: [UInt8]) {
        self.header = header
        self.encryptedGx = encryptedGx
        self.hashedGx = hashedGx
    }

    static func read(_ header: MessageHeader, _ r: inout ByteReader) throws -> DHCommitMessage {
        let encrypted = try r.readData("encrypted g^x")
        let hashed = try r.readData("hashed g^x")
        return DHCommitMessage(header: header, encryptedGx: encrypted, hashedGx: hashed)
    }

    func writeBody(_ w: inout ByteWriter) throws {
        try w.writeData(encryptedGx)
        try w.writeData(hashedGx)
    }

    /// Rules a reader checks beyond the layout.
    public var violations: [String] {
        hashedGx.count == 32 ? [] : ["hashed g^x must be a 32-byte SHA-256 hash, is \(hashedGx.count) bytes"]
    }
}
