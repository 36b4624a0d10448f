/// The two fragment syntaxes (spec "Fragmentation", "Transmitting
/// Fragments"): version 3 names the sender and receiver instance tags,
/// version 2 does not.
public enum FragmentForm: String, Sendable, Hashable, CaseIterable {
    /// `?OTR,k,n,piece,`
    case v2
    /// `?OTR|sender|receiver,k,n,piece,`
    case v3

    /// The characters a fragment adds around its piece when written as
    /// libotr writes it: "?OTR," + "%05hu," + "%05hu," + "," (18), and for
    /// version 3 also "|%08x|%08x" (36).
    public var paddedOverhead: Int { self == .v3 ? 36 : 18 }
}

/// One received fragment, parsed (spec "Receiving Fragments").
public struct Fragment: Sendable, Equatable {
    /// The largest k and n: both are unsigned 16-bit values in the spec
    /// ("k and n are unsigned short ints (2 bytes)").
    public static let maximumFragmentCount = 65535
    /// Digits accepted in k or n. Leading zeros are allowed, so the
    /// count is not bounded by the spec; this bound only keeps the
    /// arithmetic from overflowing on hostile input.
    static let maximumNumberDigits = 18
    /// libotr writes tags with `%08x`; longer ones cannot be 32-bit values
    /// unless zero-padded, which the spec allows, so the bound is loose.
    static let maximumTagDigits = 16

    public static let v3Prefix: [UInt8] = Array("?OTR|".utf8)
    public static let v2Prefix: [UInt8] = Array("?OTR,".utf8)

    public var form: FragmentForm
    /// Zero for the version 2 form.
    public var senderInstance: UInt32
    /// Zero for the version 2 form, and in a version 3 D-H Commit.
    public var receiverInstance: UInt32
    public var k: Int
    public var n: Int
    public var piece: [UInt8]
    /// Whether every number has libotr's width: `%08x` tags, `%05hu` k and n.
    /// python-potr writes k and n without padding.
    public var isPadded: Bool

    public init(form: FragmentForm, senderInstance: UInt32 = 0, receiverInstance: UInt32 = 0,
                k: Int, n: Int, piece: [UInt8], isPadded: Bool = true) {
        self.form = form
        self.senderInstance = senderInstance
        self.receiverInstance = receiverInstance
        self.k = k
        self.n = n
        self.piece = piece
        self.isPadded = isPadded
    }

    /// Whether `bytes` starts with a fragment prefix. A message that does
    /// is never fragmented again (spec: "you can't fragment a fragment").
    public static func hasFragmentPrefix(_ bytes: some Collection<UInt8>) -> Bool {
        guard bytes.count >= 5 else { return false }
        var i = bytes.startIndex
        for expected in v2Prefix.prefix(4) {
            if bytes[i] != expected { return false }
            i = bytes.index(after: i)
        }
        return bytes[i] == UInt8(ascii: "|") || bytes[i] == UInt8(ascii: ",")
    }

    /// Parses one fragment: the bytes from "?OTR|" or "?OTR," to the end,
    /// trailing spaces, tabs and line ends ignored. The piece is everything
    /// between the comma after n and the final comma, so a piece may hold
    /// commas (Debian's default query text has one). Every rule broken is
    /// named with the field and the value found.
    public static func parse(_ bytes: [UInt8]) throws -> Fragment {
        try parse(bytes[...])
    }

    public static func parse(_ text: ArraySlice<UInt8>) throws -> Fragment {
        var end = text.endIndex
        while end > text.startIndex, isTrailingSpace(text[end - 1]) { end -= 1 }
        var i = text.startIndex
        guard end - i >= 5, text[i..<i + 4].elementsEqual(v2Prefix.prefix(4)) else {
            throw OTRError.malformed("fragment", at: 0, "does not start with \"?OTR|\" or \"?OTR,\"")
        }
        let form: FragmentForm
        switch text[i + 4] {
        case UInt8(ascii: "|"): form = .v3
        case UInt8(ascii: ","): form = .v2
        default: throw OTRError.malformed("fragment", at: 4, "does not start with \"?OTR|\" or \"?OTR,\"")
        }
        i += 5
        var padded = true
        var sender: UInt32 = 0, receiver: UInt32 = 0
        if form == .v3 {
            (sender, i) = try readTag(text, from: i, end: end, name: "sender instance tag",
                                      terminator: UInt8(ascii: "|"), padded: &padded)
            (receiver, i) = try readTag(text, from: i, end: end, name: "receiver instance tag",
                                        terminator: UInt8(ascii: ","), padded: &padded)
        }
        let k: Int, n: Int
        (k, i) = try readNumber(text, from: i, end: end, name: "k", padded: &padded)
        (n, i) = try readNumber(text, from: i, end: end, name: "n", padded: &padded)
        guard end > i else {
            throw OTRError.malformed("fragment", at: i - text.startIndex, "piece and final \",\" missing after n")
        }
        guard text[end - 1] == UInt8(ascii: ",") else {
            throw OTRError.malformed("fragment", at: end - text.startIndex, "does not end with \",\" after the piece")
        }
        let piece = text[i..<end - 1]
        let fragment = Fragment(form: form, senderInstance: sender, receiverInstance: receiver,
                                k: k, n: n, piece: Array(piece), isPadded: padded)
        try fragment.validate()
        return fragment
    }

    /// The rules of spec "Receiving Fragments" and "Instance Tags".
    public func validate() throws {
        guard n >= 1 && n <= Fragment.maximumFragmentCount else {
            throw OTRError.outOfRange("fragment", "n must be in 1...\(Fragment.maximumFragmentCount) (n=\(n))")
        }
        guard k >= 1 && k <= n else {
            throw OTRError.outOfRange("fragment", "k must be in 1...n (k=\(k), n=\(n))")
        }
        guard !piece.isEmpty else {
            throw OTRError.malformed("fragment", "piece \(k) of \(n) is empty (each piece must be non-empty)")
        }
        if form == .v3 {
            // Spec "Instance Tags": values below 0x100 are invalid, except
            // that 0 names no receiver (a D-H Commit, or a Query answer).
            guard senderInstance >= 0x100 else {
                throw OTRError.outOfRange("fragment", "sender instance tag must be >= 0x00000100 (\(Fragment.hex(senderInstance)))")
            }
            guard receiverInstance == 0 || receiverInstance >= 0x100 else {
                throw OTRError.outOfRange("fragment", "receiver instance tag must be 0 or >= 0x00000100 (\(Fragment.hex(receiverInstance)))")
            }
        }
    }

    /// The fragment as libotr writes it (`%08x` tags, `%05hu` numbers),
    /// or, with `padded` false, with the shortest numbers, as python-potr
    /// writes version 2 fragments.
    public func encoded(padded: Bool = true) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(piece.count + form.paddedOverhead)
        Fragment.appendHeader(form: form, sender: senderInstance, receiver: receiverInstance,
                              k: k, n: n, padded: padded, to: &out)
        out += piece
        out.append(UInt8(ascii: ","))
        return out
    }

    /// "?OTR|%08x|%08x,%05hu,%05hu," or "?OTR,%05hu,%05hu," (unpadded: "%x", "%hu").
    static func appendHeader(form: FragmentForm, sender: UInt32, receiver: UInt32, k: Int, n: Int,
                             padded: Bool, to out: inout [UInt8]) {
        if form == .v3 {
            out += v3Prefix
            appendHex(sender, padded: padded, to: &out)
            out.append(UInt8(ascii: "|"))
            appendHex(receiver, padded: padded, to: &out)
            out.append(UInt8(ascii: ","))
        } else {
            out += v2Prefix
        }
        appendDecimal(k, padded: padded, to: &out)
        out.append(UInt8(ascii: ","))
        appendDecimal(n, padded: padded, to: &out)
        out.append(UInt8(ascii: ","))
    }

    static func hex(_ tag: UInt32) -> String {
        var out: [UInt8] = []
        appendHex(tag, padded: true, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt32, padded: Bool, to out: inout [UInt8]) {
        var started = padded
        for shift in stride(from: 28, through: 0, by: -4) {
            let nibble = Int((value >> UInt32(shift)) & 0xf)
            if nibble != 0 { started = true }
            if started || shift == 0 { out.append(hexDigits[nibble]) }
        }
    }

    private static func appendDecimal(_ value: Int, padded: Bool, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        var v = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        if padded { while digits.count < 5 { digits.append(UInt8(ascii: "0")) } }
        out += digits.reversed()
    }

    private static func isTrailingSpace(_ b: UInt8) -> Bool {
        b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == 0x0a || b == 0x0d
    }

    private static func readTag(_ text: ArraySlice<UInt8>, from start: Int, end: Int, name: String,
                                terminator: UInt8, padded: inout Bool) throws -> (UInt32, Int) {
        var i = start
        var value: UInt64 = 0
        while i < end, text[i] != terminator {
            let b = text[i]
            if b == UInt8(ascii: "|") || b == UInt8(ascii: ",") {
                throw OTRError.malformed("fragment", at: i - text.startIndex,
                                         "\(name) not terminated by \"\(String(UnicodeScalar(terminator)))\"")
            }
            let nibble: UInt64
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt64(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt64(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt64(b - UInt8(ascii: "A") + 10)
            default:
                throw OTRError.malformed("fragment", at: i - text.startIndex,
                                         "\(name) holds \(OTRVersion.printable(b)), not a hex digit")
            }
            guard i - start < maximumTagDigits else {
                throw OTRError.malformed("fragment", at: i - text.startIndex, "\(name) has more than \(maximumTagDigits) digits")
            }
            value = value << 4 | nibble
            i += 1
        }
        guard i < end else {
            throw OTRError.malformed("fragment", at: i - text.startIndex,
                                     "\(name) not terminated by \"\(String(UnicodeScalar(terminator)))\"")
        }
        guard i > start else {
            throw OTRError.malformed("fragment", at: i - text.startIndex, "\(name) is empty")
        }
        guard value <= UInt64(UInt32.max) else {
            throw OTRError.outOfRange("fragment", at: start - text.startIndex, "\(name) exceeds 32 bits")
        }
        if i - start != 8 { padded = false }
        return (UInt32(value), i + 1)
    }

    private static func readNumber(_ text: ArraySlice<UInt8>, from start: Int, end: Int, name: String,
                                   padded: inout Bool) throws -> (Int, Int) {
        var i = start
        var value = 0
        while i < end, text[i] != UInt8(ascii: ",") {
            let b = text[i]
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else {
                throw OTRError.malformed("fragment", at: i - text.startIndex,
                                         "\(name) holds \(OTRVersion.printable(b)), not a decimal digit")
            }
            guard i - start < maximumNumberDigits else {
                throw OTRError.malformed("fragment", at: i - text.startIndex, "\(name) has more than \(maximumNumberDigits) digits")
            }
            value = value * 10 + Int(b - UInt8(ascii: "0"))
            i += 1
        }
        guard i < end else {
            throw OTRError.malformed("fragment", at: i - text.startIndex, "\(name) not terminated by \",\"")
        }
        guard i > start else {
            throw OTRError.malformed("fragment", at: i - text.startIndex, "\(name) is empty")
        }
        if i - start != 5 { padded = false }
        return (value, i + 1)
    }
}
