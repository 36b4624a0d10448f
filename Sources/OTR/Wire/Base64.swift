/// Base64 (RFC 4648, standard alphabet, padded), the armour of every
/// encoded OTR message (spec "Encoded messages").
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// The four characters of a quad looked up at once: table k (entries
    /// 256k..<256k+256) holds a character's six bits already shifted into
    /// place for position k, or `invalid` for a character that is not in
    /// the alphabet; OR-ing the four gives the 24 bits, or a set `invalid`.
    private static let invalid: UInt32 = 1 << 31
    private static let shifted: [UInt32] = (0..<1024).map { i in
        let v = reverse[i & 0xff]
        return v < 0 ? invalid : UInt32(v) << (18 - 6 * UInt32(i >> 8))
    }

    /// The 24 bits of the quad at `i` (or a set `invalid`), from `shifted`.
    @inline(__always)
    private static func quadBits(_ t: UnsafeBufferPointer<UInt32>, _ text: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        t[Int(text[i])] | t[256 | Int(text[i &+ 1])] | t[512 | Int(text[i &+ 2])] | t[768 | Int(text[i &+ 3])]
    }

    public static func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next()
            let c = iterator.next()
            out.append(alphabet[Int(a >> 2)])
            out.append(alphabet[Int((a & 0x03) << 4 | (b ?? 0) >> 4)])
            out.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(((b ?? 0) & 0x0f) << 2 | (c ?? 0) >> 6)])
            out.append(c == nil ? UInt8(ascii: "=") : alphabet[Int((c ?? 0) & 0x3f)])
        }
        return out
    }

    public static func encodeString(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: encode(bytes), as: UTF8.self)
    }

    /// Decodes strictly: only the alphabet, "=" padding at the end, and a
    /// length that is a multiple of four once whitespace is dropped
    /// (whitespace appears where a log wrapped a message over lines).
    /// Errors give the offset of the offending character.
    public static func decode(_ text: [UInt8]) throws -> [UInt8] {
        try text.withUnsafeBytes { try decode(raw: $0) }
    }

    public static func decode(_ text: ArraySlice<UInt8>) throws -> [UInt8] {
        try text.withUnsafeBytes { try decode(raw: $0) }
    }

    /// The decoding loop, over raw memory so it runs specialised in every
    /// caller: decode reads tens of megabytes of base64.
    public static func decode(raw text: UnsafeRawBufferPointer) throws -> [UInt8] {
        var quad: UInt32 = 0
        var filled = 0
        var padding = 0
        // Room for every quad plus one spare byte: the fast path stores four
        // bytes per quad. Left uninitialised; `written` bytes are set.
        let out = try [UInt8](unsafeUninitializedCapacity: text.count / 4 * 3 + 3) { o, initialized in
            var written = 0
            defer { initialized = written }
            try reverse.withUnsafeBufferPointer { table in
                var offset = 0
                while offset < text.count {
                    // Fast path: runs of four alphabet characters make three
                    // bytes each. Whitespace, padding and bad characters stop
                    // it and take the checked path one character at a time.
                    if filled == 0, padding == 0 {
                        shifted.withUnsafeBufferPointer { t in
                            // Locals and wrapping arithmetic: the loop runs once
                            // per four characters of tens of megabytes.
                            let bytes = UnsafeMutableRawPointer(o.baseAddress!)
                            let n = text.count
                            var i = offset
                            var w = written
                            // Two quads a step while eight characters remain.
                            while i &+ 8 <= n {
                                let v = quadBits(t, text, at: i)
                                let u = quadBits(t, text, at: i &+ 4)
                                if (v | u) & invalid != 0 { break }
                                bytes.storeBytes(of: (v << 8).bigEndian, toByteOffset: w, as: UInt32.self)
                                bytes.storeBytes(of: (u << 8).bigEndian, toByteOffset: w &+ 3, as: UInt32.self)
                                w &+= 6
                                i &+= 8
                            }
                            while i &+ 4 <= n {
                                let v = quadBits(t, text, at: i)
                                if v & invalid != 0 { break }
                                // The three bytes and a fourth in one store; the
                                // next quad (or nothing) overwrites the fourth.
                                bytes.storeBytes(of: (v << 8).bigEndian, toByteOffset: w, as: UInt32.self)
                                w &+= 3
                                i &+= 4
                            }
                            offset = i
                            written = w
                        }
                        if offset == text.count { break }
                    }
                    defer { offset += 1 }
                    let c = text[offset]
                    if c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\t") {
                        continue
                    }
                    if c == UInt8(ascii: "=") {
                        guard filled >= 2 else {
                            throw OTRError.malformed("base64", at: offset, "padding \"=\" in the wrong place")
                        }
                        padding += 1
                        filled += 1
                        quad <<= 6
                    } else {
                        let v = table[Int(c)]
                        guard v >= 0 else {
                            throw OTRError.malformed("base64", at: offset, "character \(OTRVersion.printable(c)) is not base64")
                        }
                        guard padding == 0 else {
                            throw OTRError.malformed("base64", at: offset, "data after \"=\" padding")
                        }
                        quad = quad << 6 | UInt32(v)
                        filled += 1
                    }
                    if filled == 4 {
                        o[written] = UInt8(truncatingIfNeeded: quad >> 16)
                        written += 1
                        if padding < 2 { o[written] = UInt8(truncatingIfNeeded: quad >> 8); written += 1 }
                        if padding < 1 { o[written] = UInt8(truncatingIfNeeded: quad); written += 1 }
                        quad = 0
                        filled = 0
                        if padding > 0 { padding = 3 }  // nothing may follow a padded quad
                    }
                }
            }
        }
        guard filled == 0 else {
            throw OTRError.malformed("base64", at: text.count, "length is not a multiple of 4 (truncated?)")
        }
        return out
    }
}
