import OTR

/// `encode --json`: one object for each message written, with the fields
/// `decode --json` gives that message (so `encode --json | encode` writes
/// it again), then its length and, with --xmpp-to, the stanza.
public enum EncodeReport {
    public static func json(_ message: [UInt8], location: SourceLocation?, stanza: String?) -> JSON {
        var fields: [(String, JSON)] = []
        if let location { fields += [("source", .argument(location.source)), ("line", .int(location.line))] }
        fields += kindFields(message)
        fields.append(("length", .int(message.count)))
        if let stanza { fields.append(("stanza", .string(stanza))) }
        return .object(fields)
    }

    /// What the message is, read back as decode reads it: one OTR item,
    /// with the text around it (a log line's prefix, kept from decode's
    /// "text") as "text" and "text_offset". A message that is not one item
    /// (text with several, say) is shown as the plain text it is, which
    /// encode also writes back unchanged.
    public static func kindFields(_ message: [UInt8]) -> [(String, JSON)] {
        let findings = PlaintextScanner.scan(message, limit: 2)
        guard findings.count == 1, let finding = findings.first else { return plaintext(message) }
        let range = finding.range
        let item = Array(message[range])
        let around = Array(message[..<range.lowerBound]) + Array(message[range.upperBound...])
        let aroundFields: [(String, JSON)] = around.isEmpty ? [] : JSON.textField("text", around) + [("text_offset", .int(range.lowerBound))]
        switch finding {
        case .encoded where item.last == UInt8(ascii: "."):
            do {
                return MessageJSON.fields(try EncodedMessage.read(armoured: item)) + [("raw", .text(item))] + aroundFields
            } catch {
                return [("kind", .string("invalid"))] + JSON.textField("raw", item) + aroundFields + [("error", .string("\(error)"))]
            }
        case .query(let q):
            return [("kind", .string("query"))] + offer(q.versions, q.offer, range, in: message)
        case .whitespaceTag(let t):
            return [("kind", .string("whitespace-tag"))] + offer(t.versions, t.offer, range, in: message)
        case .error(let e):
            return [("kind", .string("error"))] + JSON.textField("message", e.text) + JSON.textField("raw", item) + aroundFields
        case .fragment:
            return [("kind", .string("fragment"))] + JSON.textField("raw", item) + aroundFields
        case .unrecognised:
            return [("kind", .string("unrecognised"))] + JSON.textField("raw", item) + aroundFields
        default:
            return plaintext(message)
        }
    }

    public static func plaintext(_ message: [UInt8]) -> [(String, JSON)] {
        [("kind", .string("plaintext"))] + JSON.textField("text", message)
    }

    /// decode's fields of an offer: the versions, the offer as written, and
    /// the text around it with where the offer stands in it.
    public static func offer(_ versions: [OTRVersion], _ offer: [UInt8], _ range: Range<Int>, in message: [UInt8]) -> [(String, JSON)] {
        let around = Array(message[..<range.lowerBound]) + Array(message[range.upperBound...])
        return [("versions", .array(versions.compactMap(\.number).map { .int($0) })),
                ("other_versions", .array(versions.filter { $0.number == nil }.map { .string($0.description) }))]
            + JSON.textField("offer", offer) + JSON.textField("text", around) + [("text_offset", .int(range.lowerBound))]
    }
}
