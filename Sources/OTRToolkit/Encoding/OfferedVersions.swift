import OTR

/// The versions a Query message or whitespace tag is to offer, written as
/// "23" or "1,2,3".
public enum OfferedVersions {
    /// 1-4 are known versions; any other printable character but "?" is
    /// offered as an identifier (spec "OTR Query Messages").
    public static func parse(_ text: String) throws -> [OTRVersion] {
        var result: [OTRVersion] = []
        for b in text.utf8 where b != UInt8(ascii: ",") && b != UInt8(ascii: " ") {
            let v: OTRVersion = b == UInt8(ascii: "1") ? .v1 : OTRVersion(queryIdentifier: b)
            if case .other(let o) = v, o < 0x21 || o > 0x7e || o == UInt8(ascii: "?") {
                throw Problem.usage("cannot offer version identifier \(OTRVersion.printable(o))")
            }
            if !result.contains(v) { result.append(v) }
        }
        return result
    }
}
