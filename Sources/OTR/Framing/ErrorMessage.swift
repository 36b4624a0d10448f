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

    /// "?OTR Error: " followed by `text`.
    public static func encode(text: String) -> String {
        "?OTR Error: " + text
    }
}
