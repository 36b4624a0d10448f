import ArgumentParser
import OTR

/// Parses TLV options, each TYPE:HEXVALUE with TYPE decimal or 0x hex (as
/// session's /tlv takes it) and a value of at most 65535 bytes.
func parseTLVs(_ specs: [String], option: String) throws -> [TLV] {
    try specs.map { spec in
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let typeText = parts.first ?? ""
        let number = typeText.hasPrefix("0x") || typeText.hasPrefix("0X") ? UInt16(typeText.dropFirst(2), radix: 16) : UInt16(typeText)
        guard parts.count == 2, let type = number, let value = try? Hex.decode(parts[1]), value.count <= 0xffff else {
            throw ValidationError("\(option) \(spec): expected TYPE:HEXVALUE with TYPE 0-65535 (decimal or 0x hex)")
        }
        return try TLV(type: type, checkedValue: value)
    }
}
