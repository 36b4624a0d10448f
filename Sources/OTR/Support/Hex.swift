internal import CGMP

/// Lowercase hex, the form every bytes field takes in otrtool's output.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { encode(raw: $0) }
    }

    public static func encode(_ bytes: ArraySlice<UInt8>) -> String {
        bytes.withUnsafeBytes { encode(raw: $0) }
    }

    /// The one loop behind every hex output; non-generic so that callers in
    /// other modules run specialised code (decode prints megabytes of hex).
    public static func encode(raw bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            digits.withUnsafeBufferPointer { table in
                var j = 0
                for b in bytes {
                    out[j] = table[Int(b >> 4)]
                    out[j + 1] = table[Int(b & 0x0f)]
                    j += 2
                }
            }
            return bytes.count * 2
        }
    }

    /// Decodes hex digits (either case). Whitespace and colons between byte
    /// pairs are ignored, so values copied from dumps and fingerprints work.
    public static func decode(_ text: some StringProtocol) throws -> [UInt8] {
        // A native string's UTF-8 is contiguous: no generic walk over its
        // view, which costs a runtime conformance lookup per process.
        if let decoded = try text.utf8.withContiguousStorageIfAvailable({ try decode(bytes: $0) }) {
            return decoded
        }
        return try decode(utf8: Array(text.utf8))
    }

    /// The same over raw bytes, so secret hex never becomes a String.
    public static func decode(utf8 text: some Collection<UInt8>) throws -> [UInt8] {
        if let decoded = try text.withContiguousStorageIfAvailable({ try decode(bytes: $0) }) {
            return decoded
        }
        // The text may be a secret: the copy is wiped.
        var copy = Array(text)
        defer { copy.withUnsafeMutableBytes { otr_secure_wipe($0.baseAddress, $0.count) } }
        return try copy.withUnsafeBufferPointer { try decode(bytes: $0) }
    }

    /// The one loop behind every hex input; non-generic, as `encode(raw:)`.
    public static func decode(bytes text: UnsafeBufferPointer<UInt8>) throws -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        var position = 0
        for c in text {
            defer { position += 1 }
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: ":"):
                if high != nil {
                    throw OTRError.malformed("hex", at: position, "separator inside a byte")
                }
                continue
            default:
                throw OTRError.malformed("hex", at: position, "not a hex digit")
            }
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        if high != nil { throw OTRError.malformed("hex", "odd number of hex digits") }
        return out
    }
}
