/// The ASCII armour of an encoded message (spec "Encoded messages"):
/// "?OTR:", the base64 of the binary message, ".".
public enum Armour {
    public static let prefix: [UInt8] = Array("?OTR:".utf8)

    public static func wrap(_ binary: some Collection<UInt8>) -> [UInt8] {
        prefix + Base64.encode(binary) + [UInt8(ascii: ".")]
    }

    public static func wrapString(_ binary: some Collection<UInt8>) -> String {
        String(decoding: wrap(binary), as: UTF8.self)
    }

    /// The binary message inside "?OTR:...". The closing "." is required;
    /// whitespace inside the base64 (a wrapped log line) is skipped.
    public static func unwrap(_ text: [UInt8]) throws -> [UInt8] {
        guard text.count >= prefix.count, text[0..<prefix.count].elementsEqual(prefix) else {
            throw OTRError.malformed("encoded message", at: 0, "does not start with \"?OTR:\"")
        }
        guard let dot = text[prefix.count...].firstIndex(of: UInt8(ascii: ".")) else {
            throw OTRError.malformed("encoded message", at: text.count, "no closing \".\" (truncated?)")
        }
        do {
            return try Base64.decode(text[prefix.count..<dot])
        } catch var error as OTRError {
            error.offset = error.offset.map { $0 + prefix.count }
            throw error
        }
    }
}
