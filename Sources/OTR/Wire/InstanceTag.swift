/// A v3 instance tag (spec "Instance Tags"): 32 bits; 0 means "not known
/// yet" as a receiver; below 0x100 is otherwise invalid.
public struct InstanceTag: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }

    public static let zero = InstanceTag(0)
    /// The smallest valid instance tag.
    public static let minimum = InstanceTag(0x100)

    /// Valid as a sender tag: at least 0x100.
    public var isValidSender: Bool { rawValue >= Self.minimum.rawValue }
    /// Valid as a receiver tag: 0 or at least 0x100.
    public var isValidReceiver: Bool { rawValue == 0 || isValidSender }

    /// Eight lowercase hex digits, as otrtool prints every instance tag.
    public var hex: String {
        let h = String(rawValue, radix: 16)
        return String(repeating: "0", count: 8 - h.count) + h
    }

    public var description: String { hex }

    /// From 8 (or fewer) hex digits, with an optional 0x.
    public init?(hex text: String) {
        var t = Substring(text)
        if t.hasPrefix("0x") || t.hasPrefix("0X") { t = t.dropFirst(2) }
        guard !t.isEmpty, t.count <= 8, let v = UInt32(t, radix: 16) else { return nil }
        self.rawValue = v
    }

    public static func < (a: InstanceTag, b: InstanceTag) -> Bool { a.rawValue < b.rawValue }
}
