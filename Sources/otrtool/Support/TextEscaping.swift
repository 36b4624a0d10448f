/// Shows bytes in human output so that nothing is hidden: tabs, control
/// characters and bytes that are not UTF-8 become escapes; quotes and
/// backslashes are escaped so the text reads back unambiguously.
enum TextEscaping {
    static func quoted(_ bytes: [UInt8]) -> String {
        "\"" + escaped(bytes) + "\""
    }

    static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case 0x09: out += "\\t"; i += 1
            case 0x0a: out += "\\n"; i += 1
            case 0x0d: out += "\\r"; i += 1
            case UInt8(ascii: "\\"): out += "\\\\"; i += 1
            case UInt8(ascii: "\""): out += "\\\""; i += 1
            case 0x20..<0x7f: out.unicodeScalars.append(UnicodeScalar(b)); i += 1
            case 0x00..<0x20, 0x7f: out += byteEscape(b); i += 1
            default:
                let length = utf8SequenceLength(bytes, at: i)
                if length > 0, let s = String(validating: bytes[i..<i + length], as: UTF8.self) {
                    out += s
                    i += length
                } else {
                    out += byteEscape(b)
                    i += 1
                }
            }
        }
        return out
    }

    private static func byteEscape(_ b: UInt8) -> String {
        "\\x" + String(b >> 4, radix: 16) + String(b & 0xf, radix: 16)
    }

    /// Length of the UTF-8 sequence a lead byte announces, if it fits.
    private static func utf8SequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let b = bytes[i]
        let n: Int
        switch b {
        case 0xc2...0xdf: n = 2
        case 0xe0...0xef: n = 3
        case 0xf0...0xf4: n = 4
        default: return 0
        }
        return i + n <= bytes.count ? n : 0
    }
}
