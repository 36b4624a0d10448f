/// A rule of the spec that a message (or query, or tag) breaks while its
/// layout still reads: a zero key id, a D-H value out of range, a version
/// offered twice. Layout errors throw an `OTRError` instead; a violation
/// is a value beside what was read, so a reader can report it and go on.
///
/// `field` names the part that breaks the rule (nil: the item as a whole),
/// `rule` what is wrong with it, `code` the kind of failure, as for an
/// `OTRError`. The text reads as one phrase ("sender keyid must be
/// greater than 0") or, for a rule that is an error found inside a field,
/// as the field and that error ("plaintext: TLV length ...").
public struct RuleViolation: Equatable, Sendable, CustomStringConvertible {
    public let code: OTRError.Code
    public let field: String?
    public let rule: String
    private let afterColon: Bool

    /// `field` followed by `rule`, which reads on from it.
    public init(_ code: OTRError.Code, _ field: String?, _ rule: String) {
        self.code = code
        self.field = field
        self.rule = rule
        self.afterColon = false
    }

    /// An error found inside `field` (the plaintext's TLVs, say).
    public init(in field: String, _ error: String) {
        self.code = .malformed
        self.field = field
        self.rule = error
        self.afterColon = true
    }

    /// A D-H public value outside 2 <= v <= p-2 (spec, "Diffie-Hellman").
    public static func outsideGroup(_ field: String, as name: String) -> RuleViolation {
        RuleViolation(.outOfRange, field, "must satisfy 2 <= \(name) <= p-2")
    }

    /// An MPI written with leading zero bytes (spec, "Data types": MPIs
    /// are minimal).
    public static func notMinimal(_ field: String) -> RuleViolation {
        RuleViolation(.malformed, field, "is not minimally encoded (leading zero bytes)")
    }

    public var description: String {
        guard let field else { return rule }
        return afterColon ? "\(field): \(rule)" : "\(field) \(rule)"
    }
}
