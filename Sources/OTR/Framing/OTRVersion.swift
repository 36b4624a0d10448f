/// A protocol version as it is offered in a query message or whitespace
/// tag. Versions 2 and 3 are spoken; 1 and 4 are recognised; anything else
/// is kept as the identifier byte that named it.
public enum OTRVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v1
    case v2
    case v3
    case v4
    /// An identifier this toolkit does not know, e.g. the "x" of "?OTRv24x?".
    case other(UInt8)

    /// The version's number where it has one.
    public var number: Int? {
        switch self {
        case .v1: 1
        case .v2: 2
        case .v3: 3
        case .v4: 4
        case .other: nil
        }
    }

    /// The versions otrtool speaks.
    public var isSpoken: Bool { self == .v2 || self == .v3 }

    /// The byte naming this version after the "v" of a query message
    /// (spec "OTR Query Messages"). Version 1 has none: it is offered by a
    /// "?" right after "?OTR".
    public var queryIdentifier: UInt8? {
        switch self {
        case .v1: nil
        case .v2: UInt8(ascii: "2")
        case .v3: UInt8(ascii: "3")
        case .v4: UInt8(ascii: "4")
        case .other(let b): b
        }
    }

    /// The version a query identifier names.
    public init(queryIdentifier b: UInt8) {
        switch b {
        case UInt8(ascii: "2"): self = .v2
        case UInt8(ascii: "3"): self = .v3
        case UInt8(ascii: "4"): self = .v4
        default: self = .other(b)
        }
    }

    public init?(number: Int) {
        switch number {
        case 1: self = .v1
        case 2: self = .v2
        case 3: self = .v3
        case 4: self = .v4
        default: return nil
        }
    }

    public var description: String {
        if let number { return "\(number)" }
        if case .other(let b) = self { return OTRVersion.printable(b) }
        return "?"
    }

    /// A byte as the user should see it: the character if printable ASCII,
    /// otherwise a \xHH escape.
    public static func printable(_ b: UInt8) -> String {
        if b >= 0x21 && b < 0x7f { return String(UnicodeScalar(b)) }
        let hex = Hex.encode([b])
        return "\\x\(hex)"
    }

    public static func < (a: OTRVersion, b: OTRVersion) -> Bool {
        switch (a.number, b.number) {
        case let (x?, y?): x < y
        case (_?, nil): true
        case (nil, _?): false
        case (nil, nil): (a.queryIdentifier ?? 0) < (b.queryIdentifier ?? 0)
        }
    }
}
