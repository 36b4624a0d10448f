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

    /// The commitment to g^x (spec "D-H Commit Message"): g^x's MPI
    /// encrypted under r in counter mode with a zero counter, and its
    /// SHA-256 hash.
    public init(header: MessageHeader, committingTo gx: MPI, r: some ContiguousOctets) throws {
        let gxmpi = gx.encoded
        self.init(header: header, encryptedGx: try AESCounterMode.apply(key: r, counterTopHalf: [UInt8](repeating: 0, count: 8), gxmpi).octets,
                  hashedGx: HashFunction.sha256.digest(gxmpi))
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
    public var violations: [RuleViolation] {
        hashedGx.count == 32 ? [] : [RuleViolation(.malformed, "hashed g^x", "must be a 32-byte SHA-256 hash, is \(hashedGx.count) bytes")]
    }
}
