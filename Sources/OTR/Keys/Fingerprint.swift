/// An OTR fingerprint (spec "Public keys, signatures, and fingerprints"):
/// the SHA-1 hash of the public key's MPIs p, q, g, y, without the type
/// field. Shown to people as five groups of eight uppercase hex digits.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let length = 20

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws {
        guard bytes.count == Self.length else {
            throw OTRError.malformed("fingerprint", "a fingerprint is 20 bytes, got \(bytes.count)")
        }
        self.bytes = bytes
    }

    public init(publicKey: DSAPublicKey) {
        bytes = HashFunction.sha1.digest(publicKey.encodedMPIs)
    }

    /// From 40 hex digits in either case, with any spaces, tabs or colons
    /// between them ("F423F513 992A4F42 ...", "f423f513992a...").
    public init(parsing text: some StringProtocol) throws {
        var digits: [UInt8] = []
        for c in text.utf8 {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ":"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            default:
                digits.append(c)
            }
        }
        guard digits.count == 2 * Self.length else {
            throw OTRError.malformed("fingerprint", "expected 40 hex digits, got \(digits.count) characters")
        }
        do {
            try self.init(bytes: try Hex.decode(utf8: digits))
        } catch {
            throw OTRError.malformed("fingerprint", "not hex: \(String(decoding: digits, as: UTF8.self))")
        }
    }

    /// "F423F513 992A4F42 9D853FD5 8F38BE7D 844CD7CB", as libotr and every
    /// client show it.
    public var human: String {
        let upper = Hex.encode(bytes).uppercased()
        var groups: [Substring] = []
        var index = upper.startIndex
        while index < upper.endIndex {
            let next = upper.index(index, offsetBy: 8)
            groups.append(upper[index..<next])
            index = next
        }
        return groups.joined(separator: " ")
    }

    /// 40 lowercase hex digits, the form of otr.fingerprints and of JSON.
    public var hex: String { Hex.encode(bytes) }

    public var description: String { human }
}
