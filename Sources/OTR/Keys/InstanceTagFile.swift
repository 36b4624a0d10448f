/// libotr's otr.instance_tags (spec "Instance Tags"; libotr instag.c): a
/// warning line without tabs, then one line per account,
///
///     accountname TAB protocol TAB 8-hex-digits
///
/// with tags of at least 0x100. libotr skips lines without a tab; they are
/// kept as they are when the file is written back, and so is the line of
/// every entry still held.
public struct InstanceTagFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var accountName: [UInt8]
        public var protocolName: [UInt8]
        public var tag: InstanceTag
        public var line: Int?

        public init(accountName: [UInt8], protocolName: [UInt8], tag: InstanceTag, line: Int? = nil) {
            self.accountName = accountName
            self.protocolName = protocolName
            self.tag = tag
            self.line = line
        }
    }

    /// The first line libotr writes; having no tab, readers skip it.
    public static let header = "WARNING! You shouldn't copy this file to another computer. It is unnecessary and can cause problems."

    public var entries: [Entry]

    /// The bytes the file was read from, and each entry as it was read by
    /// line number, so that rewriting it changes only what changed.
    private var source = SourceLines()
    private var readEntries: [Int: Entry] = [:]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The tag libotr would use: it keeps the last line for an account.
    public func tag(accountName: [UInt8], protocolName: [UInt8]) -> InstanceTag? {
        entries.last { $0.accountName == accountName && $0.protocolName == protocolName }?.tag
    }

    /// Sets an account's tag, replacing any line it had.
    public mutating func set(_ tag: InstanceTag, accountName: [UInt8], protocolName: [UInt8]) throws {
        guard tag.isValidSender else {
            throw OTRError.outOfRange("instance tag", "\(tag.hex) is below 0x00000100")
        }
        entries.removeAll { $0.accountName == accountName && $0.protocolName == protocolName }
        entries.append(Entry(accountName: accountName, protocolName: protocolName, tag: tag))
    }

    /// A new tag of at least 0x100 (spec: "values below 0x100 are reserved").
    public static func newTag(random: RandomSource) -> InstanceTag {
        while true {
            let b = random.bytes(4).octets
            let value = UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
            if value >= InstanceTag.minimum.rawValue { return InstanceTag(value) }
        }
    }

    /// Reads the file. Lines without a tab are comments (libotr's
    /// header); lines libotr would skip are reported in `problems`. A file
    /// with neither libotr's header nor any entry is not an instance-tag
    /// file at all (a private key file has no tab either): that is a
    /// problem too, so that no such file is taken for an empty one and
    /// rewritten.
    public static func parse(_ bytes: [UInt8]) -> (file: InstanceTagFile, problems: [OTRError]) {
        var entries: [Entry] = []
        var readEntries: [Int: Entry] = [:]
        var problems: [OTRError] = []
        let lines = TabSeparatedLines.split(bytes)
        for line in lines where line.fields.count > 1 {
            func problem(_ reason: String) { problems.append(OTRError.malformed("line \(line.number)", reason)) }
            guard line.fields.count == 3 else {
                problem("expected 3 tab-separated fields (account, protocol, tag), found \(line.fields.count)")
                continue
            }
            guard line.terminated else {
                problem("no newline at the end of the last line; libotr skips this line")
                continue
            }
            let hex = line.fields[2]
            guard hex.count == 8, let text = String(validating: hex, as: UTF8.self),
                  text.utf8.allSatisfy({ Hex.isDigit($0) }), let tag = InstanceTag(hex: text) else {
                problem("instance tag is not 8 hex digits")
                continue
            }
            guard tag.isValidSender else {
                problem("instance tag \(tag.hex) is below 0x00000100; libotr skips it")
                continue
            }
            let entry = Entry(accountName: line.fields[0], protocolName: line.fields[1], tag: tag, line: line.number)
            entries.append(entry)
            readEntries[line.number] = entry
        }
        let hasHeader = lines.first.map { $0.fields.count == 1 && $0.fields[0] == Array(header.utf8) } ?? false
        let blank = bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }
        if problems.isEmpty, entries.isEmpty, !hasHeader, !blank {
            problems.append(OTRError.malformed("line 1", "not an otr.instance_tags file: neither libotr's first line (\"WARNING! ...\") nor any account TAB protocol TAB tag line"))
        }
        var file = InstanceTagFile(entries: entries)
        file.readEntries = readEntries
        file.source = SourceLines(bytes, lines, records: Set(readEntries.keys))
        return (file, problems)
    }

    /// The file as it was read, with the lines of entries no longer held
    /// left out and new entries added at the end as libotr writes them; a
    /// file that had no lines starts with libotr's warning line.
    public func serialised() throws -> [UInt8] {
        var kept = Set<Int>()
        var added: [[UInt8]] = source.isEmpty ? [Array((Self.header + "\n").utf8)] : []
        for e in entries {
            if let line = e.line, readEntries[line] == e, !kept.contains(line) {
                kept.insert(line)
                continue
            }
            try TabSeparatedLines.checkField(e.accountName, "account name")
            try TabSeparatedLines.checkField(e.protocolName, "protocol")
            added.append(e.accountName + [0x09] + e.protocolName + [0x09] + Array(e.tag.hex.utf8) + [0x0a])
        }
        return source.rewritten(keepingRecords: kept, adding: added)
    }
}

extension Hex {
    static func isDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }
}
