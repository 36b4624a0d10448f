import OTR

/// Shows untrusted bytes in text output so that nothing is hidden and no
/// terminal acts on them: C0 control bytes, DEL, C1 control characters
/// (U+0080 to U+009F, which terminals read as ESC sequences) and bytes
/// that are not UTF-8 become escapes (`\t`, `\n`, `\r`, else `\xHH`, C1
/// characters as their two bytes); printable UTF-8 is kept.
///
/// Every text renderer writes untrusted bytes (peer text, file names,
/// fields of key and fingerprint files, input quoted in diagnostics)
/// through `append(_:style:to:)`, which the other functions call. Bytes
/// that need no escape, nearly all of them, are checked eight at a time
/// and copied as one block.

public enum TextEscaping {
    public enum Style {
        /// A value shown on its own or in quotes: quotes and backslashes
        /// are escaped too, so that it reads back unambiguously.
        case value
        /// A line put together from our text and escaped parts (a
        /// diagnostic, a location): only control bytes and bytes that are
        /// not UTF-8 are escaped, so escaped parts pass unchanged.
        case line
    }

    /// Appends `bytes` to `out`, escaped as `style` says.
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, style: Style, to out: inout OutputBuffer) {
        let table = style == .value ? valuePlain : linePlain
        table.withUnsafeBufferPointer { plain in
            var i = 0
            let n = bytes.count
            while i < n {
                let run = i
                while i &+ 8 <= n {
                    let all = plain[Int(bytes[i])] & plain[Int(bytes[i &+ 1])] & plain[Int(bytes[i &+ 2])]
                        & plain[Int(bytes[i &+ 3])] & plain[Int(bytes[i &+ 4])] & plain[Int(bytes[i &+ 5])]
                        & plain[Int(bytes[i &+ 6])] & plain[Int(bytes[i &+ 7])]
                    if all == 0 { break }
                    i &+= 8
                }
                while i < n, plain[Int(bytes[i])] != 0 { i &+= 1 }
                if i > run { out.append(UnsafeBufferPointer(rebasing: bytes[run..<i])) }
                if i < n { i = escape(bytes, at: i, to: &out) }
            }
        }
    }

    /// Writes the byte at `i` (which is not plain) and returns where the
    /// next byte to look at is: a whole UTF-8 sequence is kept when it is
    /// valid and no C1 control; anything else is escaped byte by byte.
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, to out: inout OutputBuffer) -> Int {
        let b = bytes[i]
        switch b {
        case 0x09: out.append("\\t")
        case 0x0a: out.append("\\n")
        case 0x0d: out.append("\\r")
        case UInt8(ascii: "\\"): out.append("\\\\")
        case UInt8(ascii: "\""): out.append("\\\"")
        case 0x80...:
            let length = utf8SequenceLength(bytes, at: i)
            // U+0080 to U+009F: C2 80 to C2 9F.
            let c1 = length == 2 && b == 0xc2 && bytes[i + 1] < 0xa0
            if length > 0 && !c1 {
                out.append(UnsafeBufferPointer(rebasing: bytes[i..<i + length]))
                return i + length
            }
            byteEscape(b, to: &out)
        default:
            byteEscape(b, to: &out)
        }
        return i + 1
    }

    private static func byteEscape(_ b: UInt8, to out: inout OutputBuffer) {
        out.reserve(4)
        out.put(UInt8(ascii: "\\"))
        out.put(UInt8(ascii: "x"))
        out.put(pair: OutputBuffer.hexPairs[Int(b)])
    }

    /// The length of the well-formed UTF-8 sequence at `i` (Unicode 15,
    /// table 3-7: no overlong forms, surrogates or values past U+10FFFF),
    /// or 0.
    private static func utf8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let b = bytes[i]
        let n: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xbf
        switch b {
        case 0xc2...0xdf: n = 2
        case 0xe0: n = 3; low = 0xa0
        case 0xe1...0xec, 0xee...0xef: n = 3
        case 0xed: n = 3; high = 0x9f
        case 0xf0: n = 4; low = 0x90
        case 0xf1...0xf3: n = 4
        case 0xf4: n = 4; high = 0x8f
        default: return 0
        }
        guard i + n <= bytes.count, (low...high).contains(bytes[i + 1]) else { return 0 }
        for k in 2..<n where !(0x80...0xbf).contains(bytes[i + k]) { return 0 }
        return n
    }

    /// 1 for the bytes each style copies as they are: printable ASCII,
    /// less quote and backslash for a value.
    private static let valuePlain: [UInt8] = (0...255).map {
        (0x20..<0x7f).contains($0) && $0 != Int(UInt8(ascii: "\"")) && $0 != Int(UInt8(ascii: "\\")) ? 1 : 0
    }
    private static let linePlain: [UInt8] = (0...255).map { (0x20..<0x7f).contains($0) ? 1 : 0 }

    // MARK: The same, for the callers' types

    public static func append(_ bytes: [UInt8], style: Style = .value, to out: inout OutputBuffer) {
        bytes.withUnsafeBufferPointer { append($0, style: style, to: &out) }
    }

    public static func append(_ bytes: ArraySlice<UInt8>, style: Style = .value, to out: inout OutputBuffer) {
        bytes.withUnsafeBufferPointer { append($0, style: style, to: &out) }
    }

    public static func append(_ text: String, style: Style, to out: inout OutputBuffer) {
        var text = text
        text.withUTF8 { append($0, style: style, to: &out) }
    }

    /// `bytes` escaped as a value, in double quotes.
    public static func appendQuoted(_ bytes: [UInt8], to out: inout OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        append(bytes, style: .value, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    public static func quoted(_ bytes: [UInt8]) -> String {
        "\"" + escaped(bytes) + "\""
    }

    /// `bytes` escaped as a value.
    public static func escaped(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0, style: .value) }
    }

    /// `text` escaped as a value.
    public static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { string($0, style: .value) }
    }

    /// A line put together from our text and untrusted parts, with its
    /// control characters escaped (`Style.line`); returned unchanged when
    /// it has none.
    public static func line(_ text: String) -> String {
        var text = text
        let escaped = text.withUTF8 { utf8 in
            linePlain.withUnsafeBufferPointer { plain in utf8.allSatisfy { plain[Int($0)] != 0 } } ? nil : string(utf8, style: .line)
        }
        return escaped ?? text
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, style: Style) -> String {
        var out = OutputBuffer(capacity: bytes.count + 16)
        append(bytes, style: style, to: &out)
        // Escaped text is valid UTF-8: decoding it changes nothing.
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
