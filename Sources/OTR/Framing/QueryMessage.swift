/// An OTR Query Message (spec "OTR Query Messages"): "?OTR", then "?" if
/// version 1 is offered, then optionally "v", the identifiers of the other
/// versions, and "?".
public struct QueryMessage: Sendable, Equatable {
    /// Versions in the order offered; version 1 first when present.
    public var versions: [OTRVersion]
    /// Byte range of the query string in the scanned text.
    public var range: Range<Int>
    /// Spec rules the string breaks (it is still read as libotr reads it).
    public var violations: [RuleViolation]
    /// The query string exactly as it stood (repeats, unknown identifiers
    /// and their order kept), so it can be written back as it was.
    public var offer: [UInt8]

    public static let prefix: [UInt8] = Array("?OTR".utf8)

    /// `offer` defaults to the spec's form of `versions`.
    public init(versions: [OTRVersion], range: Range<Int>, violations: [RuleViolation] = [], offer: [UInt8]? = nil) {
        self.versions = versions
        self.range = range
        self.violations = violations
        self.offer = offer ?? QueryMessage.encodedBytes(versions: versions)
    }

    /// Reads the query that starts at `start` (where "?OTR" stands) and is
    /// followed by "?" or "v". Like libotr, a version list runs to the next
    /// "?" or the end of the text; an unterminated list is reported.
    public static func parse(_ bytes: [UInt8], at start: Int) -> QueryMessage? {
        func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        var i = start + prefix.count
        var versions: [OTRVersion] = []
        var violations: [RuleViolation] = []
        var sawForm = false
        if byte(i) == UInt8(ascii: "?") {
            versions.append(.v1)
            i += 1
            sawForm = true
        }
        if byte(i) == UInt8(ascii: "v") {
            sawForm = true
            i += 1
            var terminated = false
            var listed: Set<UInt8> = []
            // One violation per repeated version, however often it repeats:
            // a hostile line must not turn into millions of error lines.
            var repeats: [(UInt8, Int)] = []
            while let b = byte(i) {
                i += 1
                if b == UInt8(ascii: "?") {
                    terminated = true
                    break
                }
                if listed.contains(b) {
                    if let k = repeats.firstIndex(where: { $0.0 == b }) { repeats[k].1 += 1 } else { repeats.append((b, 1)) }
                } else {
                    listed.insert(b)
                    versions.append(OTRVersion(queryIdentifier: b))
                }
            }
            for (b, count) in repeats {
                violations.append(RuleViolation(.malformed, "version \(OTRVersion(queryIdentifier: b))", "listed more than once (\(count + 1) times)"))
            }
            if !terminated {
                violations.append(RuleViolation(.malformed, "version list", "not terminated by \"?\""))
            }
            if listed.isEmpty && !versions.contains(.v1) {
                violations.append(RuleViolation(.malformed, nil, "offers no version at all"))
            }
        }
        guard sawForm else { return nil }
        return QueryMessage(versions: versions, range: start..<i, violations: violations, offer: Array(bytes[start..<i]))
    }

    /// The query string offering `versions` in the spec's form:
    /// "?OTR?" for version 1 only, "?OTRv23?", "?OTR?v2?", "?OTRv?" for none.
    /// Identifier bytes are written as they are, ASCII or not.
    public static func encodedBytes(versions: [OTRVersion]) -> [UInt8] {
        var out = prefix
        let others = versions.filter { $0 != .v1 }.compactMap(\.queryIdentifier)
        var seen = Set<UInt8>()
        let unique = others.filter { seen.insert($0).inserted }
        if versions.contains(.v1) {
            out.append(UInt8(ascii: "?"))
            if unique.isEmpty { return out }
        }
        out.append(UInt8(ascii: "v"))
        out += unique
        out.append(UInt8(ascii: "?"))
        return out
    }

    /// The same as text, for versions whose identifiers are ASCII (every
    /// version the spec names).
    public static func encode(versions: [OTRVersion]) -> String {
        String(decoding: encodedBytes(versions: versions), as: UTF8.self)
    }
}
