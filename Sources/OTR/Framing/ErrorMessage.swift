/// An OTR Error Message (spec "OTR Error Messages"): any message
/// containing "?OTR Error:"; what follows is for humans.
public struct ErrorMessage: Sendable, Equatable {
    public static let prefix: [UInt8] = Array("?OTR Error:".utf8)

    /// The human-readable part, after the prefix and any leading spaces.
    public var text: [UInt8]
    /// From the prefix to the end of the scanned text.
    public var range: Range<Int>

    public init(text: [UInt8], range: Range<Int>) {
        self.text = text
        self.range = range
    }

    public static func parse(_ bytes: [UInt8], at start: Int) -> ErrorMessage? {
        guard start + prefix.count <= bytes.count,
              bytes[start..<start + prefix.count].elementsEqual(prefix) else { return nil }
        var textStart = start + prefix.count
        while textStart < bytes.count, bytes[textStart] == UInt8(ascii: " ") { textStart += 1 }
        return ErrorMessage(text: Array(bytes[textStart...]), range: start..<bytes.count)
    }

    /// The message as it stood: the prefix, the spaces after it, the text.
    public var encoded: [UInt8] {
        let spaces = max(0, range.count - ErrorMessage.prefix.count - text.count)
        return ErrorMessage.prefix + [UInt8](repeating: UInt8(ascii: " "), count: spaces) + text
    }

    /// "?OTR Error: " followed by `text`.
    public static func encode(text: String) -> String {
        "?OTR Error: " + text
    }
}
