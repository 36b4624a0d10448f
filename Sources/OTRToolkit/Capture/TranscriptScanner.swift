import OTR
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Finds OTR messages in captured text, line by line: bare lines, log
/// lines with timestamps and names, XMPP `<body>` elements (entities
/// unescaped), and encoded messages whose base64 a log wrapped over
/// several lines. The caller feeds lines; the scanner returns what each
/// line completes. Memory is bounded by `maximumEncodedLength`.
public struct TranscriptScanner {
    /// An item found in the capture.
    public struct Item: Sendable {
        public enum Kind: Sendable {
            /// "?OTR:...": the armoured text, whitespace removed.
            case encoded([UInt8])
            /// An encoded message whose closing "." never came.
            case unterminated([UInt8])
            /// "?OTR|..." or "?OTR,...".
            case fragment([UInt8])
            /// A query and the text around it (`offerText`), in which it
            /// stood at `textOffset`.
            case query(QueryMessage, text: [UInt8], textOffset: Int)
            /// A whitespace tag and the text around it, as for a query.
            case whitespaceTag(WhitespaceTag, text: [UInt8], textOffset: Int)
            case error(ErrorMessage)
            /// "?OTR" in no known form.
            case unrecognised([UInt8])
            /// A line (or XMPP body) with no OTR in it.
            case plaintext([UInt8])
        }

        public var kind: Kind
        /// The input line the item starts on (1-based).
        public var line: Int
        /// Byte offset of the item in that line (in the body, for XMPP).
        public var offset: Int
        /// For an encoded message, fragment, OTR error or unrecognised
        /// "?OTR" that stands within one line: the text of the line around
        /// it, the item cut out, and where it stood in that text, as a
        /// query carries its text (`text(around:)`), so that the items of
        /// a line put back into their texts give the line. Empty for an
        /// item that is the whole line.
        public var around: [UInt8] = []
        public var aroundOffset = 0

        public init(kind: Kind, line: Int, offset: Int) {
            self.kind = kind
            self.line = line
            self.offset = offset
        }
    }

    /// An encoded message longer than this is cut off and reported: libotr
    /// would never produce one (a Data message of a 64 KiB text is ~90 KB).
    public static let maximumEncodedLength = 4 << 20

    private var pending: (line: Int, offset: Int, text: [UInt8])? = nil
    private var pendingBody: (line: Int, text: [UInt8])? = nil
    public private(set) var lineNumber = 0
    /// Kept from line to line, so that scanning a line allocates no array.
    private var findings: [PlaintextFinding] = []
    /// Where the item of each finding ends (`itemEnd`), likewise kept.
    private var itemEnds: [Int?] = []

    public init() {}

    /// Feeds one line (without its terminator); returns the items it completes.
    public mutating func feed(_ line: [UInt8]) -> [Item] {
        var items: [Item] = []
        feed(line, into: &items)
        return items
    }

    /// Feeds one line (without its terminator); appends the items it
    /// completes to `items`, which a caller can keep from line to line.
    public mutating func feed(_ line: [UInt8], into items: inout [Item]) {
        lineNumber += 1
        var content = line

        // Continuation of a wrapped encoded message. What is kept so far is
        // taken out of `pending` before it grows, so that it has one owner
        // and grows in place: a copy per line would make a message wrapped
        // over many lines quadratic.
        if pending != nil {
            let start = Self.leadingSpaceCount(content)
            let end = content.withUnsafeBufferPointer { PlaintextScanner.base64Run($0, from: start) }
            let closes = end < content.count && content[end] == UInt8(ascii: ".")
            var p = pending.take()!
            if end == start && !closes {
                items.append(Item(kind: .unterminated(p.text), line: p.line, offset: p.offset))
            } else {
                p.text += content[start..<end]
                if closes {
                    p.text.append(UInt8(ascii: "."))
                    items.append(Item(kind: .encoded(p.text), line: p.line, offset: p.offset))
                    if end + 1 == content.count { return }
                    content = Array(content[(end + 1)...])
                } else if p.text.count > Self.maximumEncodedLength {
                    items.append(Item(kind: .unterminated(p.text), line: p.line, offset: p.offset))
                    return
                } else {
                    pending = p
                    return
                }
            }
        }

        // XMPP: the OTR text is the content of <body> elements (taken out
        // of `pendingBody` to grow in place, as above).
        if pendingBody != nil {
            var body = pendingBody.take()!
            if let close = Self.find(Self.bodyClose, in: content, from: 0) {
                body.text.append(UInt8(ascii: "\n"))
                body.text += content[0..<close]
                scanText(XMLText.unescape(body.text), line: body.line, into: &items)
                content = Array(content[(close + Self.bodyClose.count)...])
            } else if body.text.count + content.count > Self.maximumEncodedLength {
                items.append(Item(kind: .unterminated(body.text), line: body.line, offset: 0))
                return
            } else {
                body.text.append(UInt8(ascii: "\n"))
                body.text += content
                pendingBody = body
                return
            }
        }
        if let bodies = Self.bodies(in: content) {
            for (text, open) in bodies.complete {
                let start = items.count
                scanText(XMLText.unescape(text), line: lineNumber, into: &items)
                for i in start..<items.count { items[i].offset += open }
            }
            if let unfinished = bodies.unfinished {
                pendingBody = (lineNumber, unfinished)
            }
            return
        }
        scanText(content, line: lineNumber, into: &items)
    }

    /// Counts a line the caller could not feed (one longer than its limit):
    /// a message still open cannot continue across it, and later items keep
    /// the input's line numbers.
    public mutating func skipLine() -> [Item] {
        let items = finish()
        lineNumber += 1
        return items
    }

    /// Ends the input: anything still open is reported unterminated.
    public mutating func finish() -> [Item] {
        var items: [Item] = []
        if let p = pending { items.append(Item(kind: .unterminated(p.text), line: p.line, offset: p.offset)) }
        if let b = pendingBody { items.append(Item(kind: .unterminated(b.text), line: b.line, offset: 0)) }
        pending = nil
        pendingBody = nil
        return items
    }

    private mutating func scanText(_ text: [UInt8], line: Int, into items: inout [Item]) {
        findings.removeAll(keepingCapacity: true)
        PlaintextScanner.scan(text, into: &findings)
        if findings.isEmpty {
            items.append(Item(kind: .plaintext(text), line: line, offset: 0))
            return
        }
        // Past the scanner's limit the rest of the line is one plain-text
        // item (below), which no finding reaches into.
        let truncated = findings.count == PlaintextScanner.maximumFindings
        let end = truncated ? findings[findings.count - 1].range.upperBound : text.count
        itemEnds.removeAll(keepingCapacity: true)
        for k in findings.indices { itemEnds.append(itemEnd(k, in: text, end: end)) }
        for k in findings.indices {
            let finding = findings[k]
            let r = finding.range
            /// The item with the text around it.
            func item(_ kind: Item.Kind) -> Item {
                var item = Item(kind: kind, line: line, offset: r.lowerBound)
                (item.around, item.aroundOffset) = self.text(around: k, in: text, end: end)
                return item
            }
            switch finding {
            case .encoded(let range):
                if let stop = itemEnds[k] {
                    // Up to the closing "." or, when a character that is not
                    // base64 stops the run before it, the whole message, so
                    // that the decoder names the character and its offset.
                    items.append(item(.encoded(Array(text[range.lowerBound..<stop]))))
                } else if range.upperBound == text.count {
                    pending = (line, r.lowerBound, Array(text[range]))  // may continue on the next line
                } else {
                    items.append(Item(kind: .unterminated(Array(text[range])), line: line, offset: r.lowerBound))
                }
            case .fragment(let range):
                items.append(item(.fragment(Array(text[range]))))
            case .query(let q):
                let (around, at) = self.text(around: k, in: text, end: end)
                items.append(Item(kind: .query(q, text: around, textOffset: at), line: line, offset: r.lowerBound))
            case .whitespaceTag(let t):
                let (around, at) = self.text(around: k, in: text, end: end)
                items.append(Item(kind: .whitespaceTag(t, text: around, textOffset: at), line: line, offset: r.lowerBound))
            case .error(let e):
                items.append(item(.error(e)))
            case .unrecognised(let range):
                items.append(item(.unrecognised(Array(text[range]))))
            }
        }
        // Past the scanner's limit the rest of the line is handed on as
        // plain text, so it is reported, not lost.
        if truncated, end < text.count {
            items.append(Item(kind: .plaintext(Array(text[end...])), line: line, offset: end))
        }
    }

    /// Where the item of finding `k` ends in `text`, or nil when it is no
    /// item of this line (an encoded message that is cut short, or that
    /// may go on in the next line). An encoded message ends after its ".";
    /// when a character that is not base64 stops its run first, at the
    /// next "." before the next finding (only up to it: each of a line of
    /// "?OTR:x" must not carry the rest of the line).
    private func itemEnd(_ k: Int, in text: [UInt8], end: Int) -> Int? {
        let finding = findings[k]
        guard case .encoded(let range) = finding else { return finding.range.upperBound }
        if range.upperBound > range.lowerBound, text[range.upperBound - 1] == UInt8(ascii: ".") { return range.upperBound }
        guard range.upperBound < text.count else { return nil }
        let next = k + 1 < findings.count ? findings[k + 1].range.lowerBound : end
        return text[range.upperBound..<next].firstIndex(of: UInt8(ascii: ".")).map { $0 + 1 }
    }

    /// The text around item `k` of `findings` (`itemEnds` set), and where
    /// the item stood in it: the plain text from the item before it (or
    /// the line's start) to the item after it (or `end`), the item cut
    /// out. Text between two items goes with the first, and to the second
    /// only when the first is no item of this line, so that each byte of a
    /// line is in one item at most: a line of many offers gives output
    /// linear in its length, and the items' texts put back together in
    /// order give the line. For a query or tag this is the text a client
    /// shows with it.
    private func text(around k: Int, in text: [UInt8], end: Int) -> (text: [UInt8], offset: Int) {
        let r = findings[k].range
        let itemStop = itemEnds[k] ?? r.upperBound
        let start = k == 0 ? 0 : itemEnds[k - 1] != nil ? r.lowerBound : findings[k - 1].range.upperBound
        let stop = k + 1 < findings.count ? findings[k + 1].range.lowerBound : end
        // A message alone on its line, the common case: nothing to copy.
        if start == r.lowerBound && itemStop >= stop { return ([], 0) }
        var around: [UInt8] = []
        around.reserveCapacity(r.lowerBound - start + max(0, stop - itemStop))
        around += text[start..<r.lowerBound]
        if itemStop < stop { around += text[itemStop..<stop] }
        return (around, r.lowerBound - start)
    }

    public static let bodyOpen = Array("<body".utf8)
    public static let bodyClose = Array("</body>".utf8)

    /// The contents of the `<body>` elements of a line, or nil if it has none.
    public static func bodies(in line: [UInt8]) -> (complete: [([UInt8], Int)], unfinished: [UInt8]?)? {
        var complete: [([UInt8], Int)] = []
        var from = 0
        var found = false
        while let open = find(bodyOpen, in: line, from: from) {
            // "<body>" or "<body xmlns=...>", not "<bodyx>".
            let after = open + bodyOpen.count
            guard after < line.count, line[after] == UInt8(ascii: ">") || line[after] == UInt8(ascii: " ") else {
                from = after
                continue
            }
            guard let gt = line[after...].firstIndex(of: UInt8(ascii: ">")) else { break }
            found = true
            let start = gt + 1
            if line[gt - 1] == UInt8(ascii: "/") {  // <body/>
                from = start
                continue
            }
            guard let close = find(bodyClose, in: line, from: start) else {
                return (complete, Array(line[start...]))
            }
            complete.append((Array(line[start..<close]), start))
            from = close + bodyClose.count
        }
        return found ? (complete, nil) : nil
    }

    public static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard from >= 0, needle.count <= haystack.count - from else { return nil }
        // memchr finds each candidate first byte; most lines have none.
        return haystack.withUnsafeBytes { h -> Int? in
            var i = from
            while i + needle.count <= h.count {
                guard let hit = memchr(h.baseAddress! + i, Int32(needle[0]), h.count - i - needle.count + 1) else { return nil }
                let at = h.baseAddress!.distance(to: UnsafeRawPointer(hit))
                if h[at..<at + needle.count].elementsEqual(needle) { return at }
                i = at + 1
            }
            return nil
        }
    }

    /// How many spaces and tabs a line starts with.
    public static func leadingSpaceCount(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        return i
    }
}
