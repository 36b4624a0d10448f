/// Reads the protocol's data types (spec "Data types": BYTE, SHORT, INT,
/// MPI, DATA, CTR, MAC) from a byte string. Every read checks the
/// remaining length before it allocates, so a hostile 4 GB length field
/// costs nothing; a failed read leaves the cursor where it was and names
/// the field and its offset.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    private func need(_ n: Int, _ field: String) throws {
        guard n <= remaining else {
            throw OTRError.malformed(field, at: offset, "needs \(n) bytes, only \(remaining) left")
        }
    }

    public mutating func readByte(_ field: String) throws -> UInt8 {
        try need(1, field)
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readShort(_ field: String) throws -> UInt16 {
        try need(2, field)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func readInt(_ field: String) throws -> UInt32 {
        try need(4, field)
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// `count` raw bytes (CTR is 8, MAC is 20).
    public mutating func readBytes(_ count: Int, _ field: String) throws -> [UInt8] {
        Self.copy(try readSlice(count, field))
    }

    /// DATA: a 4-byte length and that many bytes.
    public mutating func readData(_ field: String) throws -> [UInt8] {
        Self.copy(try readDataSlice(field))
    }

    /// A slice copied from raw memory: copying an ArraySlice as a
    /// collection goes through the generic path, and decode reads millions
    /// of fields.
    private static func copy(_ slice: ArraySlice<UInt8>) -> [UInt8] {
        slice.withUnsafeBufferPointer { Array($0) }
    }

    /// MPI: a 4-byte length and a big-endian unsigned value. Leading zero
    /// bytes are accepted, as libotr accepts them; `isMinimal` says whether
    /// the encoding was the one the spec asks writers to use.
    public mutating func readMPI(_ field: String) throws -> (value: MPI, isMinimal: Bool, encoded: Range<Int>) {
        let start = offset
        let body = try readData(field)
        let minimal = body.first != 0
        return (MPI(publicBytes: body), minimal, start..<offset)
    }

    /// `count` raw bytes as a slice of the bytes read, not a copy.
    public mutating func readSlice(_ count: Int, _ field: String) throws -> ArraySlice<UInt8> {
        try need(count, field)
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// DATA as a slice of the bytes read, not a copy.
    public mutating func readDataSlice(_ field: String) throws -> ArraySlice<UInt8> {
        let start = offset
        // The length field's name is built only for an error: decode reads
        // millions of DATA fields.
        guard remaining >= 4 else {
            throw OTRError.malformed("\(field) length", at: offset, "needs 4 bytes, only \(remaining) left")
        }
        let length = try readInt(field)
        guard Int(length) <= remaining else {
            let declared = length
            offset = start
            throw OTRError.malformed(field, at: start, "length \(declared) overruns the message (\(remaining - 4) bytes left)")
        }
        return try readSlice(Int(length), field)
    }

    /// Bytes `range` of the underlying string (for authenticated ranges).
    public func slice(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }
}
