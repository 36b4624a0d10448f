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
            lines.append(Line(number: number, fields: fields, terminated: newline != nil, length: end - start + 1))
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
