/// The policy flags of spec "Policies", with the bit values libotr gives
/// them (proto.h), so a policy number means the same to otrtool and to a
/// libotr client.
public struct Policy: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let allowV1 = Policy(rawValue: 0x01)
    public static let allowV2 = Policy(rawValue: 0x02)
    public static let allowV3 = Policy(rawValue: 0x04)
    /// Refuse to send unencrypted messages.
    public static let requireEncryption = Policy(rawValue: 0x08)
    /// Advertise OTR with the whitespace tag.
    public static let sendWhitespaceTag = Policy(rawValue: 0x10)
    /// Start the AKE on a received whitespace tag.
    public static let whitespaceStartAKE = Policy(rawValue: 0x20)
    /// Start the AKE (send a Query) on a received OTR Error Message.
    public static let errorStartAKE = Policy(rawValue: 0x40)

    /// libotr's named combinations.
    public static let never: Policy = []
    public static let manual: Policy = [.allowV2, .allowV3]
    public static let opportunistic: Policy = [.allowV2, .allowV3, .sendWhitespaceTag, .whitespaceStartAKE, .errorStartAKE]
    public static let always: Policy = [.allowV2, .allowV3, .requireEncryption, .whitespaceStartAKE, .errorStartAKE]

    /// The protocol versions this policy lets the AKE run in (1 is
    /// recognised, never spoken).
    public var allowedVersions: Set<UInt16> {
        var versions: Set<UInt16> = []
        if contains(.allowV2) { versions.insert(2) }
        if contains(.allowV3) { versions.insert(3) }
        return versions
    }

    /// The versions to offer in a Query Message or whitespace tag.
    public var offeredVersions: [OTRVersion] {
        var versions: [OTRVersion] = []
        if contains(.allowV2) { versions.append(.v2) }
        if contains(.allowV3) { versions.append(.v3) }
        return versions
    }

    /// The highest version both this policy and an offer allow: 3 before 2
    /// (spec "Receiving a Query Message").
    public func bestVersion(offered: [OTRVersion]) -> UInt16? {
        if contains(.allowV3), offered.contains(.v3) { return 3 }
        if contains(.allowV2), offered.contains(.v2) { return 2 }
        return nil
    }

    /// A policy by libotr name (never, manual, opportunistic, always) or
    /// number (decimal or 0x hex).
    public init?(name: String) {
        switch name.lowercased() {
        case "never": self = .never
        case "manual": self = .manual
        case "opportunistic": self = .opportunistic
        case "always": self = .always
        default:
            let value: UInt32?
            if name.hasPrefix("0x") || name.hasPrefix("0X") {
                value = UInt32(name.dropFirst(2), radix: 16)
            } else {
                value = UInt32(name)
            }
            guard let value, value & ~0x7f == 0 else { return nil }
            self.init(rawValue: value)
        }
    }
}
