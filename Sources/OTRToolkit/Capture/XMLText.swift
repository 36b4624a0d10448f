import OTR

/// XMPP carries OTR messages in `<body>` elements (XEP-0364), with XML's
/// predefined entities and character references escaped.

public enum XMLText {
    /// Replaces &lt; &gt; &amp; &quot; &apos; &#N; and &#xH; with their
    /// characters; an unknown or broken reference is left as written.
    public static func unescape(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(UInt8(ascii: "&")) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "&"),
                  let semicolon = bytes[i..<min(bytes.count, i + 12)].firstIndex(of: UInt8(ascii: ";")) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
            var replacement: [UInt8]? = nil
            switch name {
            case "lt": replacement = [UInt8(ascii: "<")]
            case "gt": replacement = [UInt8(ascii: ">")]
            case "amp": replacement = [UInt8(ascii: "&")]
            case "quot": replacement = [UInt8(ascii: "\"")]
            case "apos": replacement = [UInt8(ascii: "'")]
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X"), let v = UInt32(name.dropFirst(2), radix: 16),
                   let scalar = Unicode.Scalar(v) {
                    replacement = Array(String(Character(scalar)).utf8)
                } else if name.hasPrefix("#"), let v = UInt32(name.dropFirst(1)), let scalar = Unicode.Scalar(v) {
                    replacement = Array(String(Character(scalar)).utf8)
                }
            }
            if let replacement {
                out += replacement
                i = semicolon + 1
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    /// Escapes text for an XML element's content.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
