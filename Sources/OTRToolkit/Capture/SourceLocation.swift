import OTR

/// Where a line came from, printed as "line N" for standard input alone
/// and "FILE:N" when files were named (the name's control characters
/// escaped: a file name is input too).
public struct SourceLocation: CustomStringConvertible {
    public init(source: String, line: Int, named: Bool) {
        self.source = source
        self.line = line
        self.named = named
    }

    public let source: String
    public let line: Int
    public let named: Bool

    public var description: String { named ? "\(TextEscaping.line(source.argumentText)):\(line)" : "line \(line)" }
}
