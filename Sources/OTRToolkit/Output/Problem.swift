import OTR

/// One problem a run meets (in its input, a file, a secret), kept as a
/// value until `Diagnostics` renders it: the text of the one line that
/// names it, and the exit status it decides.
public struct Problem: Error, CustomStringConvertible, Sendable {
    public let description: String
    public let status: ExitStatus

    public init(_ description: String, status: ExitStatus) {
        self.description = description
        self.status = status
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
