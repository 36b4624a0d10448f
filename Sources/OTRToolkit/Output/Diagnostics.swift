import OTR

/// Collects the problems of a run: each is one line on stderr naming where
/// it was and what rule it broke, and the worst status becomes the exit code.

public final class Diagnostics {
    public let command: String
    public private(set) var status: ExitStatus = .success
    public private(set) var count = 0

    /// Where reports go instead of standard error, if set.
    private let forward: ((_ location: String?, _ message: String, _ status: ExitStatus) -> Void)?
    /// Where the lines go instead of standard error, if set.
    private let destination: ((String) -> Void)?

    public init(command: String) {
        self.command = command
        self.forward = nil
        self.destination = nil
    }

    /// Diagnostics that count and rank every report as on standard error
    /// but hand each line, escaped as it would be written, to `lines`
    /// (an in-process run keeps them).
    public init(command: String, lines: @escaping (String) -> Void) {
        self.command = command
        self.forward = nil
        self.destination = lines
    }

    /// Diagnostics that hand every report to `forward` (which passes it to
    /// the diagnostics that print it, e.g. on another thread, in order).
    public init(command: String, forward: @escaping (_ location: String?, _ message: String, _ status: ExitStatus) -> Void) {
        self.command = command
        self.forward = forward
        self.destination = nil
    }

    /// Reports a problem at `location` (e.g. "-:3" or "capture.log:12").
    public func report(_ location: String?, _ message: String, status: ExitStatus) {
        if let forward {
            forward(location, message, status)
            return
        }
        count += 1
        self.status = ExitStatus.worst(self.status, status)
        let prefix = location.map { "otrtool \(command): \($0): " } ?? "otrtool \(command): "
        if let destination { destination(TextEscaping.line(prefix + message)) } else { writeStandardError(prefix + message) }
    }

    /// Reports `error` at `location`, after `context` (what was being
    /// read) if given, with the status `ExitStatus(for:)` gives it.
    public func report(_ location: String?, _ error: any Error, context: String? = nil) {
        report(location, context.map { "\($0): \(error)" } ?? "\(error)", status: ExitStatus(for: error))
    }

    /// Ends the run with the collected status.
    public func finish() throws {
        if status != .success {
            throw ExitCodeError(status)
        }
    }
}

extension Diagnostics {
    /// Reports a problem that ends the run and returns the error to throw.
    public func fatal(_ location: String?, _ message: String, status: ExitStatus) -> ExitCodeError {
        report(location, message, status: status)
        return ExitCodeError(self.status)
    }

    /// Reports `error`, which ends the run, as `report(_:_:context:)`
    /// does, and returns the error to throw.
    public func fatal(_ location: String?, _ error: any Error, context: String? = nil) -> ExitCodeError {
        report(location, error, context: context)
        return ExitCodeError(self.status)
    }
}

/// Thrown to end the run with one of our statuses.
public struct ExitCodeError: Error {
    public let status: ExitStatus
    public init(_ status: ExitStatus) { self.status = status }
}
