import Testing
@testable import OTR
import OTRToolkit

/// What the capture scanner hands on for a line of many items: each byte of
/// the line in one item at most, so that what a report shows of a line is
/// linear in its length, however many offers and messages it holds.
struct TranscriptScannerTests {
    /// The offer and the text around it, the offer put back where it stood.
    static func rebuilt(_ item: TranscriptScanner.Item) -> [UInt8]? {
        switch item.kind {
        case .query(let q, let text, let at): Array(text[..<at]) + q.offer + Array(text[at...])
        case .whitespaceTag(let t, let text, let at): Array(text[..<at]) + t.offer + Array(text[at...])
        default: nil
        }
    }

    /// The bytes an item carries (its text, for an offer).
    static func size(_ item: TranscriptScanner.Item) -> Int {
        switch item.kind {
        case .encoded(let b), .unterminated(let b), .fragment(let b), .unrecognised(let b), .plaintext(let b): b.count
        case .query(let q, let text, _): q.offer.count + text.count
        case .whitespaceTag(let t, let text, _): t.offer.count + text.count
        case .error(let e): e.text.count
        }
    }

    @Test("the text between two offers goes with the first; the offers put back into their texts give the line")
    func offersPartitionTheirLine() throws {
        let tag = String(decoding: WhitespaceTag.encode(versions: [.v3]), as: UTF8.self)
        let line = "[12:00] <bob> ?OTRv2? between ?OTRv3? then\(tag) end"
        var scanner = TranscriptScanner()
        let items = scanner.feed(Array(line.utf8))
        try #require(items.count == 3, "\(items.map(\.kind))")
        let texts = items.map { item -> String in
            switch item.kind {
            case .query(_, let text, _), .whitespaceTag(_, let text, _): String(decoding: text, as: UTF8.self)
            default: "not an offer"
            }
        }
        #expect(texts == ["[12:00] <bob>  between ", " then", " end"])
        guard case .query(_, _, let at) = items[0].kind else { return }
        #expect(at == 14)
        #expect(items.compactMap(Self.rebuilt).reduce([], +) == Array(line.utf8))
    }

    @Test("text before an offer that follows an encoded message goes with the offer; text after a message before no offer is no item's")
    func textAroundOtherItems() throws {
        let line = "a ?OTR:AAMC. b ?OTRv3? c ?OTR Error: bad"
        var scanner = TranscriptScanner()
        let items = scanner.feed(Array(line.utf8))
        try #require(items.count == 3, "\(items.map(\.kind))")
        guard case .query(_, let text, let at) = items[1].kind else {
            Issue.record("not a query: \(items[1].kind)")
            return
        }
        #expect(String(decoding: text, as: UTF8.self) == " b  c ")
        #expect(at == 3)
    }

    static let hostileLines: [(String, [UInt8])] = [
        ("20 000 ?OTR?", Array(String(repeating: "?OTR?", count: 20_000).utf8)),
        ("12 000 whitespace tags", Array(String(repeating: String(decoding: WhitespaceTag.encode(versions: [.v2]), as: UTF8.self) + "x",
                                                count: 12_000).utf8)),
        ("20 000 ?OTR:A and a closing .", Array((String(repeating: "?OTR:A ", count: 20_000) + ".").utf8)),
        ("20 000 ?OTR: and a closing .", Array((String(repeating: "?OTR:", count: 20_000) + ".").utf8)),
    ]

    @Test("a line of many offers or broken messages gives items that carry no more bytes than the line",
          arguments: hostileLines)
    func itemsCarryEachByteOnce(_ name: String, _ line: [UInt8]) {
        var scanner = TranscriptScanner()
        let items = scanner.feed(line) + scanner.finish()
        #expect(items.count > 1000)
        let carried = items.reduce(0) { $0 + Self.size($1) }
        #expect(carried <= line.count, "\(name): the items carry \(carried) bytes of a \(line.count)-byte line")
    }
}
