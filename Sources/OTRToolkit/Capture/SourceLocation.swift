import OTR

/// Where a line came from, printed as "FILE:N", and "-:N" for standard
/// input however it was given (no file argument, or "-"), as JSON names it
/// "-": one name for standard input in every command, diagnostic and
/// report. The name's control characters are escaped: a file name is
/// input too.
public struct SourceLocation: CustomStringConvertible {
    public let source: String
    public let line: Int

    public init(source: String, line: Int) {
        self.source = source
        self.line = line
    }

    public var description: String { "\(TextEscaping.line(source.argumentText)):\(line)" }
}
