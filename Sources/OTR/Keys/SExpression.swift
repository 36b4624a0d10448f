/// An S-expression as libgcrypt reads and writes them, the syntax of
/// libotr's private key file: lists of atoms (byte strings) and lists.
/// Each element remembers the line and byte offset it starts at, so that
/// errors about a file can say where.
public struct SExpression: Sendable {
    public enum Value: Sendable {
        case atom([UInt8])
        case list([SExpression])
    }

    public var value: Value
    /// 1-based line of the element's first character (0 when built in code).
    public var line: Int
    /// Byte offset of the element's first character.
    public var offset: Int
    /// Byte offset just past the element's last character (its ")" for a
    /// list), so that a file's own bytes for the element can be kept.
    public var end: Int

    public init(_ value: Value, line: Int = 0, offset: Int = 0, end: Int = 0) {
        self.value = value
        self.line = line
        self.offset = offset
        self.end = end
    }

    public static func atom(_ bytes: [UInt8]) -> SExpression { SExpression(.atom(bytes)) }
    public static func atom(_ text: String) -> SExpression { SExpression(.atom(Array(text.utf8))) }
    public static func list(_ items: [SExpression]) -> SExpression { SExpression(.list(items)) }

    public var atomBytes: [UInt8]? {
        if case .atom(let b) = value { return b }
        return nil
    }

    public var items: [SExpression]? {
        if case .list(let l) = value { return l }
        return nil
    }

    /// The first element of a list when it is an atom: the list's name,
    /// as in (name ...), (dsa ...).
    public var tag: [UInt8]? { items?.first?.atomBytes }

    /// Whether this is a list named `name`.
    public func isList(named name: String) -> Bool { tag == Array(name.utf8) }
}

/// Reads libgcrypt's "advanced" S-expression syntax, as `gcry_sexp_new`
/// does for libotr: tokens, `"quoted strings"` with C escapes (raw 8-bit
/// bytes allowed inside), `#hex#`, `n:verbatim` atoms, any whitespace.
/// Display hints `[...]` and base64 `|...|` never occur in key files and
/// are rejected. Input size, nesting depth and element count are bounded,
/// so hostile input costs bounded time and memory.
public enum SExpressionReader {
    public struct Limits: Sendable {
        /// Deepest nesting accepted; a key file nests five levels.
        public var maximumDepth: Int
        /// Largest input accepted, in bytes; an account takes about 1 KB.
        public var maximumSize: Int
        /// Most atoms and lists accepted; an account has about 30.
        public var maximumElements: Int

        public init(maximumDepth: Int, maximumSize: Int, maximumElements: Int) {
            self.maximumDepth = maximumDepth
            self.maximumSize = maximumSize
            self.maximumElements = maximumElements
        }

        public static let keyFile = Limits(maximumDepth: 32, maximumSize: 4 << 20, maximumElements: 200_000)
    }

    /// libgcrypt's token characters (sexp.c "tokenchars").
    static func isTokenCharacter(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-./_:*+=".utf8.contains(c)
        }
    }

    static func isWhitespace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0b || c == 0x0c || c == 0x0d
    }

    /// Parses exactly one list, with only whitespace around it.
    public static func parse(_ bytes: [UInt8], limits: Limits = .keyFile) throws -> SExpression {
        var parser = Parser(bytes: bytes, limits: limits)
        return try parser.parseDocument()
    }

    struct Parser {
        let bytes: [UInt8]
        let limits: Limits
        var position = 0
        var line = 1
        var elements = 0

        init(bytes: [UInt8], limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        func error(_ reason: String, line: Int? = nil, at offset: Int? = nil) -> OTRError {
            OTRError.malformed("line \(line ?? self.line)", at: offset ?? position, reason)
        }

        mutating func countElement() throws {
            elements += 1
            if elements > limits.maximumElements {
                throw OTRError(.limitExceeded, field: "line \(line)", offset: position,
                               "more than \(limits.maximumElements) elements")
            }
        }

        mutating func skipWhitespace() {
            while position < bytes.count, SExpressionReader.isWhitespace(bytes[position]) {
                if bytes[position] == 0x0a { line += 1 }
                position += 1
            }
        }

        mutating func parseDocument() throws -> SExpression {
            guard bytes.count <= limits.maximumSize else {
                throw OTRError(.limitExceeded, field: nil, offset: nil,
                               "input of \(bytes.count) bytes exceeds the limit of \(limits.maximumSize)")
            }
            skipWhitespace()
            guard position < bytes.count else { throw error("empty: no S-expression") }
            guard bytes[position] == UInt8(ascii: "(") else {
                throw error("expected \"(\" to open the S-expression, found \(describe(bytes[position]))")
            }
            let root = try parseList()
            skipWhitespace()
            guard position == bytes.count else {
                throw error("\(describe(bytes[position])) after the end of the S-expression")
            }
            return root
        }

        /// A list starting at "(", iteratively so depth never reaches the
        /// call stack; `maximumDepth` bounds the explicit stack.
        mutating func parseList() throws -> SExpression {
            var stack: [(items: [SExpression], line: Int, offset: Int)] = []
            while true {
                skipWhitespace()
                guard position < bytes.count else {
                    let open = stack.last!
                    throw error("truncated: the list opened here is not closed (\(stack.count) lists open at end of input)",
                                line: open.line, at: open.offset)
                }
                let c = bytes[position]
                if c == UInt8(ascii: "(") {
                    guard stack.count < limits.maximumDepth else {
                        throw OTRError(.limitExceeded, field: "line \(line)", offset: position,
                                       "nesting deeper than \(limits.maximumDepth) lists")
                    }
                    try countElement()
                    stack.append(([], line, position))
                    position += 1
                } else if c == UInt8(ascii: ")") {
                    guard let done = stack.popLast() else {
                        throw error("unmatched \")\"")
                    }
                    position += 1
                    let list = SExpression(.list(done.items), line: done.line, offset: done.offset, end: position)
                    if stack.isEmpty { return list }
                    stack[stack.count - 1].items.append(list)
                } else {
                    guard !stack.isEmpty else { throw error("expected \"(\"") }
                    let atom = try parseAtom()
                    stack[stack.count - 1].items.append(atom)
                }
            }
        }

        mutating func parseAtom() throws -> SExpression {
            try countElement()
            let startLine = line
            let start = position
            let c = bytes[position]
            let value: [UInt8]
            switch c {
            case UInt8(ascii: "\""):
                value = try parseQuoted()
            case UInt8(ascii: "#"):
                value = try parseHex()
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseLengthPrefixed()
            case UInt8(ascii: "|"):
                throw error("base64 atoms |...| are not supported in key files")
            case UInt8(ascii: "["):
                throw error("display hints [...] are not supported in key files")
            default:
                guard SExpressionReader.isTokenCharacter(c) else {
                    throw error("unexpected character \(describe(c))")
                }
                while position < bytes.count, SExpressionReader.isTokenCharacter(bytes[position]) {
                    position += 1
                }
                value = Array(bytes[start..<position])
            }
            return SExpression(.atom(value), line: startLine, offset: start, end: position)
        }

        /// "..." with libgcrypt's escapes: \b \t \v \n \f \r \" \' \\,
        /// \ooo (three octal digits), \xHH, and a backslash before a line
        /// break continues the string on the next line.
        mutating func parseQuoted() throws -> [UInt8] {
            let startLine = line, start = position
            position += 1
            var out: [UInt8] = []
            while position < bytes.count {
                let c = bytes[position]
                if c == UInt8(ascii: "\"") {
                    position += 1
                    return out
                }
                if c != UInt8(ascii: "\\") {
                    if c == 0x0a { line += 1 }
                    out.append(c)
                    position += 1
                    continue
                }
                guard position + 1 < bytes.count else { break }
                let e = bytes[position + 1]
                position += 2
                switch e {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "v"): out.append(0x0b)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    guard position + 1 < bytes.count, isOctal(bytes[position]), isOctal(bytes[position + 1]) else {
                        throw error("\\ must be followed by three octal digits", at: position - 2)
                    }
                    let v = Int(e - 48) * 64 + Int(bytes[position] - 48) * 8 + Int(bytes[position + 1] - 48)
                    guard v <= 0xff else { throw error("octal escape \\\(v) is above \\377", at: position - 2) }
                    out.append(UInt8(v))
                    position += 2
                case UInt8(ascii: "x"):
                    guard position + 1 < bytes.count, let h = hexValue(bytes[position]), let l = hexValue(bytes[position + 1]) else {
                        throw error("\\x must be followed by two hex digits", at: position - 2)
                    }
                    out.append(h << 4 | l)
                    position += 2
                case 0x0d:
                    if position < bytes.count, bytes[position] == 0x0a { position += 1; line += 1 }
                case 0x0a:
                    line += 1
                    if position < bytes.count, bytes[position] == 0x0d { position += 1 }
                default:
                    throw error("invalid escape \\\(describe(e)) in a quoted string", at: position - 2)
                }
            }
            throw error("truncated: quoted string not terminated", line: startLine, at: start)
        }

        /// #hex digits# with whitespace allowed between them.
        mutating func parseHex() throws -> [UInt8] {
            let startLine = line, start = position
            position += 1
            var out: [UInt8] = []
            var high: UInt8? = nil
            while position < bytes.count {
                let c = bytes[position]
                if c == UInt8(ascii: "#") {
                    guard high == nil else { throw error("odd number of hex digits in #...#", line: startLine, at: start) }
                    position += 1
                    return out
                }
                if SExpressionReader.isWhitespace(c) {
                    if c == 0x0a { line += 1 }
                } else if let v = hexValue(c) {
                    if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
                } else {
                    throw error("\(describe(c)) is not a hex digit inside #...#")
                }
                position += 1
            }
            throw error("truncated: #hex# not terminated", line: startLine, at: start)
        }

        /// n:bytes (verbatim), or a decimal length before "..." or #...#,
        /// which libgcrypt reads and ignores.
        mutating func parseLengthPrefixed() throws -> [UInt8] {
            let start = position
            guard bytes[position] != UInt8(ascii: "0") else {
                throw error("a length may not begin with 0")
            }
            var length = 0
            while position < bytes.count, let d = digitValue(bytes[position]) {
                length = length * 10 + d
                if length > limits.maximumSize { throw error("length \(length)... exceeds the input", at: start) }
                position += 1
            }
            guard position < bytes.count else { throw error("truncated: length without data", at: start) }
            switch bytes[position] {
            case UInt8(ascii: ":"):
                position += 1
                guard length <= bytes.count - position else {
                    throw error("truncated: verbatim atom of \(length) bytes, only \(bytes.count - position) left", at: start)
                }
                let value = Array(bytes[position..<position + length])
                for b in value where b == 0x0a { line += 1 }
                position += length
                return value
            case UInt8(ascii: "\""):
                return try parseQuoted()
            case UInt8(ascii: "#"):
                return try parseHex()
            default:
                throw error("length \(length) must be followed by \":\", a quoted string or #hex#")
            }
        }

        func isOctal(_ c: UInt8) -> Bool { c >= 48 && c <= 55 }

        func digitValue(_ c: UInt8) -> Int? {
            c >= 48 && c <= 57 ? Int(c - 48) : nil
        }

        func hexValue(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): c - 55
            default: nil
            }
        }

        func describe(_ c: UInt8) -> String {
            c >= 0x21 && c < 0x7f ? "\"\(Character(UnicodeScalar(c)))\"" : "byte 0x\(String(c, radix: 16))"
        }
    }
}

/// Writes S-expressions exactly as libgcrypt's `gcry_sexp_sprint` does in
/// its "advanced" format, which is how libotr writes its key file: each
/// list that follows another element starts on a new line indented by its
/// depth, and each atom is a token, a quoted string or #HEX# by the same
/// rules libgcrypt applies.
public enum SExpressionWriter {
    public static func advanced(_ expression: SExpression) -> [UInt8] {
        var events: [Event] = []
        flatten(expression, into: &events)
        var out: [UInt8] = []
        var indent = 0
        for (i, event) in events.enumerated() {
            let next: Event? = i + 1 < events.count ? events[i + 1] : nil
            switch event {
            case .open:
                if indent > 0 {
                    out.append(0x0a)
                    out.append(contentsOf: repeatElement(0x20, count: indent))
                }
                out.append(UInt8(ascii: "("))
                indent += 1
            case .close:
                out.append(UInt8(ascii: ")"))
                indent -= 1
                switch next {
                case .open?, nil: break
                default:
                    out.append(0x0a)
                    out.append(contentsOf: repeatElement(0x20, count: indent))
                }
            case .data(let bytes):
                out.append(contentsOf: atom(bytes))
                if case .close? = next {} else { out.append(0x20) }
            }
        }
        out.append(0x0a)
        return out
    }

    /// libgcrypt's printer walks a flat stream of open, close and data
    /// markers; the layout depends only on each marker and the next one.
    private enum Event {
        case open
        case close
        case data([UInt8])
    }

    private static func flatten(_ e: SExpression, into events: inout [Event]) {
        switch e.value {
        case .atom(let bytes):
            events.append(.data(bytes))
        case .list(let items):
            events.append(.open)
            for item in items { flatten(item, into: &events) }
            events.append(.close)
        }
    }

    /// One atom in the encoding libgcrypt chooses (sexp.c
    /// `suitable_encoding`): hex when the first byte is zero or has its top
    /// bit set, or when a byte is a control character without a C escape
    /// or in 0x7f...0xa0; a token when every byte is a token character and
    /// the first is not a digit; otherwise a quoted string.
    public static func atom(_ bytes: [UInt8]) -> [UInt8] {
        if bytes.isEmpty { return Array("\"\"".utf8) }
        let escapable: [UInt8] = [0x08, 0x09, 0x0b, 0x0a, 0x0c, 0x0d, 0x22, 0x27, 0x5c]
        var binary = bytes[0] & 0x80 != 0 || bytes[0] == 0
        var token = true
        for b in bytes {
            if (b < 0x20 || (b >= 0x7f && b <= 0xa0)) && !escapable.contains(b) { binary = true }
            if !SExpressionReader.isTokenCharacter(b) { token = false }
        }
        if binary {
            return Array(("#" + Hex.encode(bytes).uppercased() + "#").utf8)
        }
        if token && !(bytes[0] >= 48 && bytes[0] <= 57) { return bytes }
        var out: [UInt8] = [0x22]
        for b in bytes {
            switch b {
            case 0x08: out += [0x5c, UInt8(ascii: "b")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0x0b: out += [0x5c, UInt8(ascii: "v")]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0c: out += [0x5c, UInt8(ascii: "f")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x22, 0x27, 0x5c: out += [0x5c, b]
            default: out.append(b)
            }
        }
        out.append(0x22)
        return out
    }
}
