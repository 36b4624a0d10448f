/// D-H Key Message (spec "D-H Key Message", type 0x0a): g^y.
public struct DHKeyMessage: Sendable, Equatable {
    public static let type = MessageType.dhKey
    public var header: MessageHeader
    public var gy: MPI
    /// The value bytes as they were encoded (kept for non-minimal MPIs).
    public var gyEncoding: [UInt8]?

    public init(header: MessageHeader, gy: MPI, gyEncoding: [UInt8]? = nil) {
        self.header = header
        self.gy = gy
        self.gyEncoding = gyEncoding
    }

    static func read(_ header: MessageHeader, _ r: inout ByteReader) throws -> DHKeyMessage {
        let (gy, minimal, range) = try r.readMPI("g^y")
        return DHKeyMessage(header: header, gy: gy, gyEncoding: minimal ? nil : Array(r.slice(range).dropFirst(4)))
    }

    func writeBody(_ w: inout ByteWriter) throws {
        if let gyEncoding { try w.writeMPIBytes(gyEncoding) } else { w.writeMPI(gy) }
    }

    public var violations: [RuleViolation] {
        var v: [RuleViolation] = []
        if !DHGroup.isValidPublicValue(gy) { v.append(.outsideGroup("g^y", as: "g^y")) }
        if gyEncoding != nil { v.append(.notMinimal("g^y")) }
        return v
    }
}
