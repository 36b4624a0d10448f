import OTR

/// otrtool's exit statuses, documented in the manual and kept stable.
/// When a batch meets several problems the most severe status wins:
/// malformed input (2) over a failed check (1), and the first of those
/// from 64 up over both.

public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Everything read was understood and every check passed.
    case success = 0
    /// A check failed: a MAC or signature did not verify, a fingerprint
    /// did not match, SMP secrets differed.
    case checkFailed = 1
    /// Some input was malformed: it breaks a rule of the protocol or of a
    /// file format, or exceeds a limit. The run went on past it.
    case malformedInput = 2
    /// The command line was wrong (unknown option, bad value), or asks
    /// for what only an option allows: replacing a key, an account or a
    /// file that exists without --replace, a private key to a terminal.
    /// Nothing was written; the same command with the option succeeds.
    case usage = 64
    /// An input could not be opened, or is no file to read (a
    /// directory); the run went on with the next.
    case noInput = 66
    /// An internal error: a bug in otrtool, or memory exhausted.
    case software = 70
    /// An output file could not be created.
    case cannotCreate = 73
    /// Reading failed part-way, or a write failed.
    case ioError = 74

    public var summary: String {
        switch self {
        case .success: "success"
        case .checkFailed: "a check failed (MAC, signature, fingerprint, SMP)"
        case .malformedInput: "malformed input (the run goes on to the next message)"
        case .usage: "usage error, or a refusal that an option lifts (an existing key, account or file without --replace, a private key to a terminal), with nothing written"
        case .noInput: "an input cannot be opened, or is a directory (the run goes on with the next)"
        case .software: "internal error, or memory exhausted"
        case .cannotCreate: "an output file cannot be created"
        case .ioError: "input/output error: a read failed part-way, or a write failed"
        }
    }

    /// The worse of two statuses for the final exit code.
    public static func worst(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
        func rank(_ s: ExitStatus) -> Int {
            switch s {
            case .success: 0
            case .checkFailed: 1
            case .malformedInput: 2
            default: 3
            }
        }
        return rank(b) > rank(a) ? b : a
    }

    /// The manual's EXIT STATUS text, generated from this enum. Built on
    /// every start (it is in the root command's help), so plainly: string
    /// interpolation and generic `joined` cost runtime conformance searches
    /// on first use, a measurable part of start-up.
    public static var manualText: String {
        var text = ""
        for status in allCases {
            if !text.isEmpty { text += "; " }
            text += String(status.rawValue)
            text += " "
            text += status.summary
        }
        return text + "."
    }
}
