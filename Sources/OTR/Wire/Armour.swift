#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
        guard text.count >= prefix.count, text.withUnsafeBytes({ t in
            prefix.withUnsafeBytes { memcmp(t.baseAddress!, $0.baseAddress!, $0.count) == 0 }
        }) else {
            throw OTRError.malformed("encoded message", at: 0, "does not start with \"?OTR:\"")
        }
        do {
            return try text.withUnsafeBytes { raw in
                let body = UnsafeRawBufferPointer(rebasing: raw[prefix.count...])
                guard let start = body.baseAddress, let hit = memchr(start, Int32(UInt8(ascii: ".")), body.count) else {
                    throw OTRError.malformed("encoded message", at: text.count - prefix.count, "no closing \".\" (truncated?)")
                }
                return try Base64.decode(raw: UnsafeRawBufferPointer(start: start, count: start.distance(to: UnsafeRawPointer(hit))))
            }
        } catch var error as OTRError {
            error.offset = error.offset.map { $0 + prefix.count }
            throw error
        }
    }
}
