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
        bytes.allSatisfy({ $0 < 0x80 }) || String(validating: bytes, as: UTF8.self) != nil
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
        for i in utf8.indices {
            let b = utf8[i]
            guard b < 0x20 || b == 0x7f || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            out.append(UnsafeBufferPointer(rebasing: utf8[run..<i]))
            run = i + 1
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
