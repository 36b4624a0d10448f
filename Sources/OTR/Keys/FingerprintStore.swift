/// libotr's store of other people's fingerprints (Pidgin's
/// otr.fingerprints): one line per fingerprint,
///
///     username TAB accountname TAB protocol TAB 40-hex-digits [TAB trust]
///
/// where username is the peer, accountname and protocol are our own
/// account, and trust is empty (not verified), "smp" (verified by the
/// Socialist Millionaires' Protocol) or "verified" (checked by hand).
public struct FingerprintStore: Sendable {
    public struct Entry: Sendable, Equatable {
        public var username: [UInt8]
        public var accountName: [UInt8]
        public var protocolName: [UInt8]
        public var fingerprint: Fingerprint
        /// Empty when the fingerprint is not trusted.
        public var trust: [UInt8]
        public var line: Int?

        public init(username: [UInt8], accountName: [UInt8], protocolName: [UInt8],
                    fingerprint: Fingerprint, trust: [UInt8], line: Int? = nil) {
            self.username = username
            self.accountName = accountName
            self.protocolName = protocolName
            self.fingerprint = fingerprint
            self.trust = trust
            self.line = line
        }

        public var isTrusted: Bool { !trust.isEmpty }
    }

    /// The trust values libotr's clients write.
    public static let knownTrust: [[UInt8]] = [[], Array("smp".utf8), Array("verified".utf8)]

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads a store. Lines libotr would skip or misread are reported in
    /// `problems` (each naming its line) and left out; the rest is read.
    public static func parse(_ bytes: [UInt8]) -> (store: FingerprintStore, problems: [OTRError]) {
        var entries: [Entry] = []
        var problems: [OTRError] = []
        for line in TabSeparatedLines.split(bytes) {
            func problem(_ reason: String) { problems.append(OTRError.malformed("line \(line.number)", reason)) }
            if line.fields.count == 1 && line.fields[0].isEmpty { continue }
            guard line.fields.count == 4 || line.fields.count == 5 else {
                problem("expected 4 or 5 tab-separated fields (username, account, protocol, fingerprint, trust), found \(line.fields.count); libotr skips this line")
                continue
            }
            guard line.terminated else {
                problem("no newline at the end of the last line; libotr skips this line")
                continue
            }
            if line.length > TabSeparatedLines.libotrLineLimit {
                problem("line of \(line.length) bytes is longer than libotr reads (\(TabSeparatedLines.libotrLineLimit))")
                continue
            }
            let hex = line.fields[3]
            guard hex.count == 40, let bytes = try? Hex.decode(utf8: hex), let fingerprint = try? Fingerprint(bytes: bytes) else {
                problem("fingerprint field is not 40 hex digits")
                continue
            }
            let trust = line.fields.count == 5 ? line.fields[4] : []
            if !knownTrust.contains(trust) {
                problem("unknown trust \"\(String(decoding: trust, as: UTF8.self))\" (known: empty, smp, verified); kept as libotr keeps it")
            }
            entries.append(Entry(username: line.fields[0], accountName: line.fields[1], protocolName: line.fields[2],
                                 fingerprint: fingerprint, trust: trust, line: line.number))
        }
        return (FingerprintStore(entries: entries), problems)
    }

    /// The store as `otrl_privkey_write_fingerprints` writes it: lowercase
    /// hex and always the trust field, empty when untrusted.
    public func serialised() throws -> [UInt8] {
        var out: [UInt8] = []
        for e in entries {
            try TabSeparatedLines.checkField(e.username, "username")
            try TabSeparatedLines.checkField(e.accountName, "account name")
            try TabSeparatedLines.checkField(e.protocolName, "protocol")
            try TabSeparatedLines.checkField(e.trust, "trust")
            out += e.username + [0x09] + e.accountName + [0x09] + e.protocolName + [0x09]
            out += Array(e.fingerprint.hex.utf8) + [0x09] + e.trust + [0x0a]
        }
        return out
    }

    /// Records a correspondent's fingerprint as libotr does when an AKE
    /// completes (added untrusted when new), and, when `trust` is given,
    /// sets its trust (libotr writes "smp" after SMP succeeds and clears it
    /// after SMP fails). Returns whether the store changed.
    @discardableResult
    public mutating func record(username: [UInt8], accountName: [UInt8], protocolName: [UInt8],
                                fingerprint: Fingerprint, trust: [UInt8]? = nil) -> Bool {
        if let i = entries.firstIndex(where: {
            $0.username == username && $0.accountName == accountName && $0.protocolName == protocolName
                && $0.fingerprint == fingerprint
        }) {
            guard let trust, entries[i].trust != trust else { return false }
            entries[i].trust = trust
            return true
        }
        entries.append(Entry(username: username, accountName: accountName, protocolName: protocolName,
                             fingerprint: fingerprint, trust: trust ?? []))
        return true
    }
}
