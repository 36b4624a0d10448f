/// What the scanner finds in a line of text: the OTR constructs a client
/// looks for in a received message (spec "OTR Query Messages", "Tagged
/// plaintext messages", "OTR Error Messages", "Encoded messages",
/// "Fragmentation").
public enum PlaintextFinding: Sendable, Equatable {
    case query(QueryMessage)
    case whitespaceTag(WhitespaceTag)
    case error(ErrorMessage)
    /// "?OTR:" up to the closing "." (decoded by the message decoder).
    case encoded(Range<Int>)
    /// "?OTR|" or "?OTR," to the end of the text (handled by reassembly).
    case fragment(Range<Int>)
    /// "?OTR" followed by none of the forms above; libotr calls this
    /// an unknown message type.
    case unrecognised(Range<Int>)

    public var range: Range<Int> {
        switch self {
        case .query(let q): q.range
        case .whitespaceTag(let t): t.range
        case .error(let e): e.range
        case .encoded(let r), .fragment(let r), .unrecognised(let r): r
        }
    }

    /// Offers are what parse-tag is about: queries and whitespace tags.
    public var isOffer: Bool {
        switch self {
        case .query, .whitespaceTag: true
        default: false
        }
    }
}

/// Finds every OTR construct in a piece of received text, in order.
public enum PlaintextScanner {
    static let q = UInt8(ascii: "?")

    /// The most findings one scan returns. A chat line holds a handful; a
    /// hostile one can hold millions of "?OTR?", each of which a report
    /// would turn into an object. Callers compare the count with this
    /// limit to say that the rest of the line was not scanned.
    public static let maximumFindings = 10_000

    public static func scan(_ bytes: [UInt8], limit: Int = maximumFindings) -> [PlaintextFinding] {
        var findings: [PlaintextFinding] = []
        scan(bytes, limit: limit, into: &findings)
        return findings
    }

    /// `scan`, appending to an array the caller keeps (no array per line);
    /// `limit` counts what this call appends.
    public static func scan(_ bytes: [UInt8], limit: Int = maximumFindings, into findings: inout [PlaintextFinding]) {
        let first = findings.count
        var i = 0
        let n = bytes.count
        let tagFirst = WhitespaceTag.base[0]
        while i < n, findings.count - first < limit {
            // Skip to the next byte that can start a finding ("?" or " "):
            // most bytes of a log line cannot.
            i = bytes.withUnsafeBufferPointer { b in
                startTable.withUnsafeBufferPointer { t in
                    var j = i
                    while j < n, t[Int(b[j])] == 0 { j &+= 1 }
                    return j
                }
            }
            if i == n { break }
            let b = bytes[i]
            if b == q, i + 4 <= n, bytes[i + 1] == UInt8(ascii: "O"), bytes[i + 2] == UInt8(ascii: "T"),
               bytes[i + 3] == UInt8(ascii: "R") {
                let finding = classify(bytes, at: i)
                findings.append(finding)
                i = max(finding.range.upperBound, i + 1)
                continue
            }
            // The base starts " \t": test the second byte before the whole base.
            if b == tagFirst, i + 1 < n, bytes[i + 1] == 0x09, let tag = WhitespaceTag.parse(bytes, at: i) {
                findings.append(.whitespaceTag(tag))
                i = tag.range.upperBound
                continue
            }
            i += 1
        }
    }

    static func classify(_ bytes: [UInt8], at start: Int) -> PlaintextFinding {
        let next = start + 4 < bytes.count ? bytes[start + 4] : nil
        switch next {
        case UInt8(ascii: "?"), UInt8(ascii: "v"):
            if let query = QueryMessage.parse(bytes, at: start) { return .query(query) }
        case UInt8(ascii: ":"):
            var end = bytes.withUnsafeBufferPointer { base64Run($0, from: start + 5) }
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") { end += 1 }
            return .encoded(start..<end)
        case UInt8(ascii: "|"), UInt8(ascii: ","):
            return .fragment(start..<bytes.count)
        case UInt8(ascii: " "):
            if let error = ErrorMessage.parse(bytes, at: start) { return .error(error) }
        default:
            break
        }
        return .unrecognised(start..<start + 4)
    }

    /// 1 for the bytes a finding can start with: "?" of "?OTR" and the
    /// space a whitespace tag's base starts with.
    static let startTable: [UInt8] = (0...255).map { $0 == Int(q) || $0 == Int(WhitespaceTag.base[0]) ? 1 : 0 }

    /// isBase64 for every byte value (1 or 0), for the scan over long messages.
    static let base64Table: [UInt8] = (0...255).map { isBase64(UInt8($0)) ? 1 : 0 }

    /// Where the run of base64 characters from `start` ends. Eight bytes
    /// are looked up per step and their flags ANDed, one branch for the
    /// eight: decode runs this over tens of megabytes of base64.
    public static func base64Run(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        base64Table.withUnsafeBufferPointer { t in
            var end = start
            let n = b.count
            while end &+ 8 <= n {
                let all = t[Int(b[end])] & t[Int(b[end &+ 1])] & t[Int(b[end &+ 2])] & t[Int(b[end &+ 3])]
                    & t[Int(b[end &+ 4])] & t[Int(b[end &+ 5])] & t[Int(b[end &+ 6])] & t[Int(b[end &+ 7])]
                if all == 0 { break }
                end &+= 8
            }
            while end < n, t[Int(b[end])] != 0 { end &+= 1 }
            return end
        }
    }

    static func isBase64(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }

    /// The text as a client shows it: whitespace tags and query strings cut
    /// out, an error message replaced by its human-readable part.
    public static func displayText(_ bytes: [UInt8], findings: [PlaintextFinding]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var cursor = 0
        for finding in findings {
            let r = finding.range
            out += bytes[cursor..<r.lowerBound]
            switch finding {
            case .query, .whitespaceTag: break
            case .error(let e): out += e.text
            case .encoded, .fragment, .unrecognised: out += bytes[r]
            }
            cursor = r.upperBound
        }
        out += bytes[cursor...]
        return out
    }
}
