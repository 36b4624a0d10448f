import Foundation
import OTR
import OTRToolkit

/// The repository's example capture (a real libotr conversation), read in
/// process: the toolkit's tests need no binary.
enum ToolkitFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func lines(_ relativePath: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        return [UInt8](data).split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Every event the capture reader gives for `lines` of one source.
    static func read(_ lines: [[UInt8]], source: String = "-") -> [CaptureReader.Event] {
        var reader = CaptureReader()
        var events: [CaptureReader.Event] = []
        for (i, line) in lines.enumerated() {
            reader.feed(line, at: SourceLocation(source: source, line: i + 1)) { events.append($0) }
        }
        reader.finish { events.append($0) }
        return events
    }

    static func items(_ events: [CaptureReader.Event]) -> [CapturedItem] {
        events.compactMap { if case .item(let item) = $0 { item } else { nil } }
    }
}
