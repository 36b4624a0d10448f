/// The one error type of the OTR library.
///
/// `code` says what kind of failure it is (callers map it to an exit status);
/// `field` and `offset` say where; `reason` names the rule that was broken.
public struct OTRError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The input does not follow the protocol's encoding rules.
        case malformed
        /// A MAC, signature, fingerprint or consistency check did not verify.
        case checkFailed
        /// A value is outside the range the protocol allows.
        case outOfRange
        /// A bound this library keeps (size, count) was exceeded.
        case limitExceeded
        /// An argument given by the caller is unusable.
        case invalidArgument
        /// The crypto library refused an operation.
        case crypto
    }

    public var code: Code
    public var field: String?
    public var offset: Int?
    public var reason: String

    public init(_ code: Code, field: String? = nil, offset: Int? = nil, _ reason: String) {
        self.code = code
        self.field = field
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        var parts: [String] = []
        if let field { parts.append(field) }
        if let offset { parts.append("at byte \(offset)") }
        let location = parts.joined(separator: " ")
        return location.isEmpty ? reason : "\(location): \(reason)"
    }

    public static func malformed(_ field: String? = nil, at offset: Int? = nil, _ reason: String) -> OTRError {
        OTRError(.malformed, field: field, offset: offset, reason)
    }
    public static func checkFailed(_ field: String? = nil, _ reason: String) -> OTRError {
        OTRError(.checkFailed, field: field, reason)
    }
    public static func outOfRange(_ field: String? = nil, at offset: Int? = nil, _ reason: String) -> OTRError {
        OTRError(.outOfRange, field: field, offset: offset, reason)
    }
    public static func limitExceeded(_ field: String? = nil, _ reason: String) -> OTRError {
        OTRError(.limitExceeded, field: field, reason)
    }
    public static func invalidArgument(_ field: String? = nil, _ reason: String) -> OTRError {
        OTRError(.invalidArgument, field: field, reason)
    }
    public static func crypto(_ reason: String) -> OTRError {
        OTRError(.crypto, reason)
    }

    /// The same error, placed inside an enclosing field ("D-H Commit" + "gx").
    public func within(_ outer: String) -> OTRError {
        var copy = self
        copy.field = field.map { "\(outer) \($0)" } ?? outer
        return copy
    }
}
