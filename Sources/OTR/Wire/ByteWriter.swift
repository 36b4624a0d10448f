/// Writes the protocol's data types (spec "Data types"), MPIs minimally.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func writeByte(_ v: UInt8) { bytes.append(v) }

    public mutating func writeShort(_ v: UInt16) {
        bytes.append(UInt8(v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    public mutating func writeInt(_ v: UInt32) {
        bytes.append(UInt8(v >> 24))
        bytes.append(UInt8(truncatingIfNeeded: v >> 16))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    public mutating func writeBytes(_ b: some Collection<UInt8>) { bytes.append(contentsOf: b) }

    /// DATA. Lengths above 2^32-1 cannot be encoded.
    public mutating func writeData(_ b: some Collection<UInt8>) throws {
        guard b.count <= Int(UInt32.max) else {
            throw OTRError.outOfRange("DATA", "length \(b.count) does not fit a 4-byte length")
        }
        writeInt(UInt32(b.count))
        bytes.append(contentsOf: b)
    }

    /// MPI, minimal: no leading zero bytes, zero as length 0.
    public mutating func writeMPI(_ m: MPI) {
        let b = m.bytes
        writeInt(UInt32(b.count))
        bytes.append(contentsOf: b)
    }

    /// MPI with exactly these value bytes (to reproduce a captured
    /// non-minimal encoding byte for byte).
    public mutating func writeMPIBytes(_ b: [UInt8]) throws {
        try writeData(b)
    }
}

extension MPI {
    /// The MPI wire encoding: 4-byte length then minimal big-endian bytes.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.writeMPI(self)
        return w.bytes
    }
}
