/// The line splitting libotr uses for otr.fingerprints and
/// otr.instance_tags: lines end at "\n"; a "\r" before it is dropped. A
/// last line without "\n" is returned with `terminated` false, because
/// libotr ignores such a line.
struct TabSeparatedLines {
    struct Line {
        let number: Int
        let fields: [[UInt8]]
        let terminated: Bool
        let length: Int
        /// Where the line is in the file, its "\n" included.
        let range: Range<Int>
    }

    /// libotr reads these files with a 1000-byte fgets buffer, so a longer
    /// line is split and misread by it.
    static let libotrLineLimit = 999

    static func split(_ bytes: [UInt8]) -> [Line] {
        var lines: [Line] = []
        var start = 0
        var number = 0
        while start < bytes.count {
            number += 1
            let newline = bytes[start...].firstIndex(of: 0x0a)
            let end = newline ?? bytes.count
            var content = bytes[start..<end]
            if content.last == 0x0d { content = content.dropLast() }
            let fields = content.split(separator: 0x09, omittingEmptySubsequences: false).map(Array.init)
            let next = min(end + 1, bytes.count)
            lines.append(Line(number: number, fields: fields, terminated: newline != nil, length: end - start + 1,
                              range: start..<next))
            start = end + 1
        }
        return lines
    }

    /// Account names, protocols and user names cannot hold the separators.
    static func checkField(_ bytes: [UInt8], _ what: String) throws {
        guard !bytes.contains(where: { $0 == 0x09 || $0 == 0x0a || $0 == 0x0d || $0 == 0 }) else {
            throw OTRError.invalidArgument(what, "contains a tab, line break or NUL, which this file format cannot hold")
        }
    }
}

/// The bytes a tab-separated file was read from, kept so that writing it
/// back changes only the records that changed: every other line, blank,
/// not understood or a record still held, is written as it was.
struct SourceLines: Sendable {
    private var bytes: [UInt8] = []
    /// Each line's bytes in `bytes` ("\n" included), its number, and
    /// whether it was read as a record.
    private var lines: [(range: Range<Int>, number: Int, isRecord: Bool)] = []

    init() {}

    init(_ bytes: [UInt8], _ lines: [TabSeparatedLines.Line], records: Set<Int>) {
        self.bytes = bytes
        self.lines = lines.map { ($0.range, $0.number, records.contains($0.number)) }
    }

    var isEmpty: Bool { lines.isEmpty }

    /// The lines that are not records, the records on `keptRecords`, then
    /// `added`; a last line without "\n" gets one before anything added.
    func rewritten(keepingRecords keptRecords: Set<Int>, adding added: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for line in lines where !line.isRecord || keptRecords.contains(line.number) {
            out += bytes[line.range]
        }
        if !added.isEmpty, let last = out.last, last != 0x0a { out.append(0x0a) }
        for record in added { out += record }
        return out
    }
}
