import OTR

/// One problem a run meets (in its input, a file, a secret), kept as a
/// value until `Diagnostics` renders it: the text of the one line that
/// names it, and the exit status it decides. A problem the protocol
/// library found keeps that error (`cause`: its code, field, offset and
/// rule) beside what it was found in (`subject`, such as "encoded message
/// at byte 12"), so callers can look at the parts, not only the text; a
/// rule of the spec broken by something still read keeps that violation
/// (code, field, rule) the same way.
public struct Problem: Error, CustomStringConvertible, Sendable {
    public let status: ExitStatus
    /// What the problem was found in, when it came from the protocol library.
    public let subject: String?
    /// The protocol library's error: code, field, offset and the rule broken.
    public let cause: OTRError?
    /// The rule broken by what was still read, when it is one.
    public let violation: RuleViolation?
    private let text: String?

    public init(_ description: String, status: ExitStatus) {
        self.text = description
        self.status = status
        self.subject = nil
        self.cause = nil
        self.violation = nil
    }

    /// `cause`, found in `subject`; its status from the one table.
    public init(in subject: String, _ cause: OTRError) {
        self.text = nil
        self.status = ExitStatus(for: cause)
        self.subject = subject
        self.cause = cause
        self.violation = nil
    }

    /// `violation`, found in `subject`: the input breaks a rule (status 2).
    public init(in subject: String, _ violation: RuleViolation) {
        self.text = nil
        self.status = .malformedInput
        self.subject = subject
        self.cause = nil
        self.violation = violation
    }

    /// "SUBJECT: FIELD at byte N: RULE" for a protocol error, "SUBJECT:
    /// FIELD RULE" for a violation, else the text.
    public var description: String {
        if let cause { return subject.map { "\($0): \(cause)" } ?? cause.description }
        if let violation { return subject.map { "\($0): \(violation)" } ?? violation.description }
        return text ?? ""
    }

    /// The command line asks for what cannot be done (a secret that is
    /// not hex, an unset variable): nothing was done.
    public static func usage(_ description: String) -> Problem { Problem(description, status: .usage) }

    /// The input breaks a rule of the protocol or of a format.
    public static func malformed(_ description: String) -> Problem { Problem(description, status: .malformedInput) }
}

extension ExitStatus {
    /// The one table from an error to the exit status it decides. The
    /// protocol library's errors go by their code: a check that did not
    /// verify is 1, a rule broken or a limit reached 2; a `Problem` or an
    /// `ExitCodeError` carries its status; any other error (a JSON line or
    /// a party command that does not parse) is malformed input.
    public init(for error: any Error) {
        switch error {
        case let error as OTRError:
            self = error.code == .checkFailed ? .checkFailed : .malformedInput
        case let problem as Problem:
            self = problem.status
        case let exit as ExitCodeError:
            self = exit.status
        default:
            self = .malformedInput
        }
    }
}
