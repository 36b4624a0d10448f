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

    public var violations: [String] {
        var v: [String] = []
        if !DHGroup.isValidPublicValue(gy) { v.append("g^y must satisfy 2 <= g^y <= p-2") }
        if gyEncoding != nil { v.append("g^y is not minimally encoded (leading zero bytes)") }
        return v
    }
}

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

    public var violations: [String] {
        revealedKey.count == 16 ? [] : ["revealed key r must be 16 bytes (128 bits), is \(revealedKey.count)"]
    }
}

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

    public var violations: [String] { [] }
}
