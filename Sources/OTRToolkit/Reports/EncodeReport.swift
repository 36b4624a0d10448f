import OTR

/// `encode --json`: one object for each message written, with the fields
/// `decode --json` gives that message (so `encode --json | encode` writes
/// it again), then its length and, with --xmpp-to, the stanza.
public enum EncodeReport {
    public static func write(_ message: [UInt8], location: SourceLocation?, stanza: String?, into out: inout OutputBuffer) {
        out.jsonObject(nil) { out in
            if let location {
                out.json("source", .argument(location.source))
                out.json("line", int: location.line)
            }
            kindFields(message, into: &out)
            out.json("length", int: message.count)
            if let stanza { out.json("stanza", string: stanza) }
        }
    }

    /// What the message is, read back as decode reads it: one OTR item,
    /// with the text around it (a log line's prefix, kept from decode's
    /// "text") as "text" and "text_offset". A message that is not one item
    /// (text with several, say) is shown as the plain text it is, which
    /// encode also writes back unchanged.
    public static func kindFields(_ message: [UInt8], into out: inout OutputBuffer) {
        let findings = PlaintextScanner.scan(message, limit: 2)
        guard findings.count == 1, let finding = findings.first else { return plaintext(message, into: &out) }
        let range = finding.range
        let item = Array(message[range])
        let around = Array(message[..<range.lowerBound]) + Array(message[range.upperBound...])
        func aroundFields(_ out: inout OutputBuffer) {
            guard !around.isEmpty else { return }
            out.json("text", textField: around)
            out.json("text_offset", int: range.lowerBound)
        }
        switch finding {
        case .encoded where item.last == UInt8(ascii: "."):
            do {
                let read = try EncodedMessage.read(armoured: item)
                MessageJSON.fields(read, into: &out)
                out.json("raw", text: item)
                aroundFields(&out)
            } catch {
                out.json("kind", string: "invalid")
                out.json("raw", textField: item)
                aroundFields(&out)
                out.json("error", string: "\(error)")
            }
        case .query(let q):
            out.json("kind", string: "query")
            MessageJSON.offer(q.versions, q.offer, text: around, at: range.lowerBound, into: &out)
        case .whitespaceTag(let t):
            out.json("kind", string: "whitespace-tag")
            MessageJSON.offer(t.versions, t.offer, text: around, at: range.lowerBound, into: &out)
        case .error(let e):
            out.json("kind", string: "error")
            out.json("message", textField: e.text)
            out.json("raw", textField: item)
            aroundFields(&out)
        case .fragment:
            out.json("kind", string: "fragment")
            out.json("raw", textField: item)
            aroundFields(&out)
        case .unrecognised:
            out.json("kind", string: "unrecognised")
            out.json("raw", textField: item)
            aroundFields(&out)
        default:
            plaintext(message, into: &out)
        }
    }

    public static func plaintext(_ message: [UInt8], into out: inout OutputBuffer) {
        out.json("kind", string: "plaintext")
        out.json("text", textField: message)
    }
}
