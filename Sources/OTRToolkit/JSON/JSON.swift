import OTR

/// A JSON value with ordered object keys, so field order in otrtool's JSON
/// Lines is stable and matches the documented schema.

public enum JSON {
    case string(String)
    /// Text given as raw bytes: valid UTF-8 is written as is, anything
    /// else with U+FFFD in place of the invalid bytes.
    case text([UInt8])
    case hex([UInt8])
    case int(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    /// A text field, and beside it "NAME_hex" with the exact bytes when
    /// they are not valid UTF-8 (the text then shows U+FFFD in their
    /// place): readers that need the bytes, encode among them, take the hex.
    public static func textField(_ name: String, _ bytes: [UInt8]) -> [(String, JSON)] {
        isUTF8(bytes) ? [(name, .text(bytes))] : [(name, .text(bytes)), (name + "_hex", .hex(bytes))]
    }

    /// Whether `bytes` are valid UTF-8 (ASCII, the common case, checked first).
    public static func isUTF8(_ bytes: [UInt8]) -> Bool {
        isASCII(bytes) || String(validating: bytes, as: UTF8.self) != nil
    }

    /// Whether every byte is below 0x80, eight bytes at a time.
    static func isASCII(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & highBits != 0 { return false }
                i += 8
            }
            while i < raw.count {
                if raw[i] >= 0x80 { return false }
                i += 1
            }
            return true
        }
    }

    private static let lowBits: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the eight bytes of `word` needs escaping in a JSON
    /// string: a control character (below 0x20), DEL, a quote or a
    /// backslash. Exact, by the "has a byte less than / equal to"
    /// bit tricks: a byte b gives its high bit in (b - n) & ~b when b < n
    /// (n at most 0x80), and b ^ c is zero exactly when b == c.
    @inline(__always)
    static func needsEscaping(_ word: UInt64) -> Bool {
        func hasZero(_ v: UInt64) -> UInt64 { (v &- lowBits) & ~v & highBits }
        let control = (word &- lowBits &* 0x20) & ~word & highBits
        let quote = hasZero(word ^ (lowBits &* 0x22))
        let backslash = hasZero(word ^ (lowBits &* 0x5c))
        let delete = hasZero(word ^ (lowBits &* 0x7f))
        return control | quote | backslash | delete != 0
    }

    public func render() -> String {
        var out = OutputBuffer()
        render(into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    public func render(into out: inout OutputBuffer) {
        switch self {
        case .string(let s):
            JSON.appendQuoted(s, into: &out)
        case .text(let bytes):
            // Valid UTF-8 (ASCII above all) goes as it is; anything else with
            // its bad sequences replaced by U+FFFD.
            if JSON.isUTF8(bytes) {
                JSON.appendQuoted(bytes, into: &out)
            } else {
                JSON.appendQuoted(String(decoding: bytes, as: UTF8.self), into: &out)
            }
        case .hex(let bytes):
            out.append(UInt8(ascii: "\""))
            out.appendHex(bytes)
            out.append(UInt8(ascii: "\""))
        case .int(let v):
            out.appendDecimal(v)
        case .bool(let b):
            out.append(b ? "true" : "false")
        case .null:
            out.append("null")
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.render(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in fields.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSON.appendQuoted(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.render(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// RFC 8259 string escaping of valid UTF-8.
    public static func appendQuoted(_ utf8: [UInt8], into out: inout OutputBuffer) {
        utf8.withUnsafeBufferPointer { appendQuoted($0, into: &out) }
    }

    public static func appendQuoted(_ text: String, into out: inout OutputBuffer) {
        var text = text
        text.withUTF8 { appendQuoted($0, into: &out) }
    }

    /// A JSON string: runs that need no escaping (nearly everything decode
    /// prints: base64, hex, text) are copied in one go.
    public static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        var run = 0
        var i = 0
        let raw = UnsafeRawBufferPointer(utf8)
        while i < utf8.count {
            // Eight bytes at a time past runs that need no escaping.
            if i + 8 <= utf8.count, !needsEscaping(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                i += 8
                continue
            }
            let b = utf8[i]
            i += 1
            guard b < 0x20 || b == 0x7f || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            let at = i - 1
            out.append(UnsafeBufferPointer(rebasing: utf8[run..<at]))
            run = at + 1
            switch b {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case 0x0a: out.append("\\n")
            case 0x0d: out.append("\\r")
            case 0x09: out.append("\\t")
            default:
                out.append("\\u00")
                out.appendHex(UInt32(b), width: 2)
            }
        }
        out.append(UnsafeBufferPointer(rebasing: utf8[run...]))
        out.append(UInt8(ascii: "\""))
    }
}
