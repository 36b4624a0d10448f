import OTR

/// How encode writes each message it builds: as it is, in an XMPP stanza,
/// or as a JSON object with the fields decode --json gives it.
public struct EncodeOutput {
    public var xmppTo: String?
    public var xmppFrom: String?
    public var json: Bool

    public init(xmppTo: String?, xmppFrom: String?, json: Bool) {
        self.xmppTo = xmppTo
        self.xmppFrom = xmppFrom
        self.json = json
    }

    /// Writes one message built; `location` is the input line it was built
    /// from, if any.
    public func write(_ message: [UInt8], to out: OutputSink, location: SourceLocation? = nil) {
        // XML is UTF-8 text: bytes that are not become U+FFFD.
        func text(_ argument: String) -> String { String(decoding: argument.argumentBytes, as: UTF8.self) }
        let stanza = xmppTo.map { XMPPStanza.message(body: message, to: text($0), from: xmppFrom.map(text)) }
        if json {
            EncodeReport.write(message, location: location, stanza: stanza, into: &out.buffer)
            out.endLine()
        } else if let stanza {
            out.writeLine(stanza)
        } else {
            out.write(bytes: message)
            out.write("\n")
        }
    }
}

/// A <message> stanza carrying an OTR message (XEP-0364 section 4: the
/// no-copy and no-permanent-store hints, the carbons private element, and
/// the EME element naming OTR).
public enum XMPPStanza {
    public static func message(body: [UInt8], to: String, from: String?) -> String {
        let text = XMLText.escape(String(decoding: body, as: UTF8.self))
        let fromAttribute = from.map { " from='\(XMLText.escape($0))'" } ?? ""
        return "<message\(fromAttribute) to='\(XMLText.escape(to))' type='chat'>"
            + "<body>\(text)</body>"
            + "<encryption xmlns='urn:xmpp:eme:0' namespace='urn:xmpp:otr:0'/>"
            + "<no-copy xmlns='urn:xmpp:hints'/>"
            + "<no-permanent-store xmlns='urn:xmpp:hints'/>"
            + "<private xmlns='urn:xmpp:carbons:2'/>"
            + "</message>"
    }
}
