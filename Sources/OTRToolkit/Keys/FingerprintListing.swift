import OTR

/// fingerprint's work: the fingerprints of every key in key, fingerprints
/// and instance-tags files and of public keys given, filtered by account,
/// as text, JSON or XEP-0364 URIs, and checked against an expected one.
public struct FingerprintListing {
    public var files: [String]
    public var publicKey: [String]
    public var account: String?
    public var protocolName: String?
    public var expect: String?
    public var uri: Bool
    public var jid: String?
    public var json: Bool

    public init(files: [String], publicKey: [String], account: String?, protocolName: String?, expect: String?, uri: Bool, jid: String?, json: Bool) {
        self.files = files
        self.publicKey = publicKey
        self.account = account
        self.protocolName = protocolName
        self.expect = expect
        self.uri = uri
        self.jid = jid
        self.json = json
    }

    public func run() throws {
        let diagnostics = Diagnostics(command: "fingerprint")
        let out = OutputSink.standardOutput()
        defer { out.flush() }
        let expected = try expect.map { try OTR.Fingerprint(parsing: $0) }
        var matched = false
        var items: [FingerprintItem] = []

        for value in publicKey {
            let source = value == "-" ? "-" : "--public-key"
            let text: [UInt8]
            if value == "-" {
                guard let read = readInput("-", diagnostics: diagnostics) else { continue }
                text = read
            } else {
                text = value.argumentBytes
            }
            do {
                items.append(try FingerprintSources.publicKey(text: text, source: source))
            } catch let error as OTRError {
                diagnostics.report(source, "not an OTR public key: \(error)", status: .malformedInput)
            }
        }
        let sources = files.isEmpty && publicKey.isEmpty ? ["-"] : files
        for path in sources {
            guard let bytes = readInput(path, diagnostics: diagnostics) else { continue }
            items += FingerprintSources.items(bytes, source: path, diagnostics: diagnostics)
        }

        for item in items where selected(item) {
            // An instance tag is no key: --expect does not count it.
            let matches = item.fingerprint == nil ? nil : expected.map { $0 == item.fingerprint }
            if matches == true { matched = true }
            var link: String? = nil
            if uri {
                guard let fingerprint = item.fingerprint else {
                    diagnostics.report(item.location, "an instance tag has no fingerprint to put in a URI", status: .usage)
                    continue
                }
                // XEP-0364's URI names an XMPP address; an account of
                // another protocol has none, unless --jid gives one.
                if jid == nil, let proto = item.protocolName, !FingerprintReport.isXMPP(proto) {
                    diagnostics.report(item.location, "--uri makes xmpp: URIs (XEP-0364), and \(display(proto)) is not an XMPP protocol; give --jid to name an XMPP address for this key",
                                       status: .usage)
                    continue
                }
                guard let target = jid.map({ $0.argumentBytes }) ?? item.uriJID else {
                    diagnostics.report(item.location, "this key names no account; give --jid for its URI", status: .usage)
                    continue
                }
                link = FingerprintReport.xmppURI(jid: target, fingerprint: fingerprint)
            }
            if json {
                out.writeLine(FingerprintReport.json(item, uri: link, matches: matches).render())
            } else if let link {
                out.writeLine(link)
            } else {
                out.writeLine(FingerprintReport.human(item, matches: matches))
            }
        }
        out.flush()
        if let expected, !matched {
            diagnostics.report(nil, "no key has the expected fingerprint \(expected.human)", status: .checkFailed)
        }
        try diagnostics.finish()
    }

    func selected(_ item: FingerprintItem) -> Bool {
        if let account, item.account != account.argumentBytes { return false }
        if let protocolName, item.protocolName != protocolName.argumentBytes { return false }
        return true
    }

    func readInput(_ path: String, diagnostics: Diagnostics) -> [UInt8]? {
        do {
            return try FileContents.read(path, limit: KeyFileStore.maximumSize)
        } catch {
            diagnostics.report(nil, error)
        }
        return nil
    }
}
