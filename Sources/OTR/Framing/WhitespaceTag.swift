/// The whitespace tag of a tagged plaintext message (spec "Tagged
/// plaintext messages"): a 16-byte base of spaces and tabs, then one or
/// more 8-byte blocks, each naming a version.
///
/// Read as bits (tab = 1, space = 0), the base spells "OT" and each block
/// is one byte: "R" for version 1, "2", "3" and "4" for versions 2-4.
/// Like libotr, every following 8-byte run of spaces and tabs is taken as
/// part of the tag, known or not.
public struct WhitespaceTag: Sendable, Equatable {
    public var versions: [OTRVersion]
    public var range: Range<Int>
    public var violations: [RuleViolation]
    /// The tag exactly as it stood (repeated, unknown and misplaced blocks
    /// kept), so it can be written back as it was.
    public var offer: [UInt8]

    public static let base: [UInt8] = Array(" \t  \t\t\t\t \t \t \t  ".utf8)
    public static let blockLength = 8

    /// `offer` defaults to the spec's form of `versions`.
    public init(versions: [OTRVersion], range: Range<Int>, violations: [RuleViolation] = [], offer: [UInt8]? = nil) {
        self.versions = versions
        self.range = range
        self.violations = violations
        self.offer = offer ?? WhitespaceTag.encode(versions: versions)
    }

    /// The 8-byte block for a version.
    public static func block(for version: OTRVersion) -> [UInt8] {
        block(byte: blockByte(for: version))
    }

    static func block(byte: UInt8) -> [UInt8] {
        (0..<8).map { bit in (byte >> (7 - bit)) & 1 == 1 ? UInt8(ascii: "\t") : UInt8(ascii: " ") }
    }

    static func blockByte(for version: OTRVersion) -> UInt8 {
        switch version {
        case .v1: UInt8(ascii: "R")
        case .v2: UInt8(ascii: "2")
        case .v3: UInt8(ascii: "3")
        case .v4: UInt8(ascii: "4")
        case .other(let b): b
        }
    }

    static func version(forBlockByte b: UInt8) -> OTRVersion {
        b == UInt8(ascii: "R") ? .v1 : OTRVersion(queryIdentifier: b)
    }

    /// The tag offering `versions`, version 1's block first as the spec
    /// requires.
    public static func encode(versions: [OTRVersion]) -> [UInt8] {
        var ordered = versions.contains(.v1) ? [OTRVersion.v1] : []
        for v in versions where v != .v1 && !ordered.contains(v) { ordered.append(v) }
        return base + ordered.flatMap { block(for: $0) }
    }

    /// Reads the tag whose base starts at `start`.
    public static func parse(_ bytes: [UInt8], at start: Int) -> WhitespaceTag? {
        guard start + base.count <= bytes.count,
              bytes[start..<start + base.count].elementsEqual(base) else { return nil }
        var i = start + base.count
        var versions: [OTRVersion] = []
        var violations: [RuleViolation] = []
        var repeats: [(OTRVersion, Int)] = []
        while i + blockLength <= bytes.count {
            var value: UInt8 = 0
            var allWhite = true
            for j in 0..<blockLength {
                switch bytes[i + j] {
                case UInt8(ascii: " "): value <<= 1
                case UInt8(ascii: "\t"): value = value << 1 | 1
                default: allWhite = false
                }
                if !allWhite { break }
            }
            guard allWhite else { break }
            let version = version(forBlockByte: value)
            if version == .v1 && !versions.isEmpty && !versions.contains(.v1) {
                violations.append(RuleViolation(.malformed, "version 1 block", "is not the first block"))
            }
            if versions.contains(version) {
                // Counted, and reported once per version after the loop.
                if let k = repeats.firstIndex(where: { $0.0 == version }) { repeats[k].1 += 1 } else { repeats.append((version, 1)) }
            } else {
                versions.append(version)
            }
            i += blockLength
        }
        for (version, count) in repeats {
            violations.append(RuleViolation(.malformed, "version \(version) block", "repeated (\(count + 1) blocks)"))
        }
        if versions.isEmpty {
            violations.append(RuleViolation(.malformed, "tag base", "with no version block"))
        }
        return WhitespaceTag(versions: versions, range: start..<i, violations: violations, offer: Array(bytes[start..<i]))
    }
}
