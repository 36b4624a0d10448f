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

    /// The bytes the store was read from, and each entry as it was read by
    /// line number: an entry still held unchanged is written back as its
    /// line was, byte for byte.
    private var source = SourceLines()
    private var readEntries: [Int: Entry] = [:]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// Reads a store. Lines libotr would skip or misread are reported in
    /// `problems` (each naming its line) and left out; the rest is read.
    public static func parse(_ bytes: [UInt8]) -> (store: FingerprintStore, problems: [OTRError]) {
        let (store, problems) = read(bytes)
        return (store, problems.map(\.error))
    }

    /// Reads a store that is to be rewritten: every line must be one
    /// libotr reads (a blank line, or a fingerprint), or the first that is
    /// not is thrown. A trust value libotr's clients do not write is no
    /// reason to refuse: libotr keeps it, and so does the rewritten file.
    public init(rewriting bytes: [UInt8]) throws {
        let (store, problems) = Self.read(bytes)
        if let first = problems.first(where: { !$0.lineWasRead }) { throw first.error }
        self = store
    }

    private static func read(_ bytes: [UInt8]) -> (store: FingerprintStore, problems: [(error: OTRError, lineWasRead: Bool)]) {
        var entries: [Entry] = []
        var readEntries: [Int: Entry] = [:]
        var problems: [(error: OTRError, lineWasRead: Bool)] = []
        let lines = TabSeparatedLines.split(bytes)
        for line in lines {
            func problem(_ reason: String, lineWasRead: Bool = false) {
                problems.append((OTRError.malformed("line \(line.number)", reason), lineWasRead))
            }
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
                problem("unknown trust \"\(String(decoding: trust, as: UTF8.self))\" (known: empty, smp, verified); kept as libotr keeps it",
                        lineWasRead: true)
            }
            let entry = Entry(username: line.fields[0], accountName: line.fields[1], protocolName: line.fields[2],
                              fingerprint: fingerprint, trust: trust, line: line.number)
            entries.append(entry)
            readEntries[line.number] = entry
        }
        var store = FingerprintStore(entries: entries)
        store.readEntries = readEntries
        store.source = SourceLines(bytes, lines, records: Set(readEntries.keys))
        return (store, problems)
    }

    /// The store as it was read, with the lines of entries no longer held
    /// (or changed) left out, then each new or changed entry as
    /// `otrl_privkey_write_fingerprints` writes it: lowercase hex and
    /// always the trust field, empty when untrusted.
    public func serialised() throws -> [UInt8] {
        var kept = Set<Int>()
        var added: [[UInt8]] = []
        for e in entries {
            if let line = e.line, readEntries[line] == e, !kept.contains(line) {
                kept.insert(line)
                continue
            }
            try TabSeparatedLines.checkField(e.username, "username")
            try TabSeparatedLines.checkField(e.accountName, "account name")
            try TabSeparatedLines.checkField(e.protocolName, "protocol")
            try TabSeparatedLines.checkField(e.trust, "trust")
            added.append(e.username + [0x09] + e.accountName + [0x09] + e.protocolName + [0x09]
                         + Array(e.fingerprint.hex.utf8) + [0x09] + e.trust + [0x0a])
        }
        return source.rewritten(keepingRecords: kept, adding: added)
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
