import Testing
@testable import OTR
import OTRToolkit

/// What the capture scanner hands on for a line of many items: each byte of
/// the line in one item at most, so that what a report shows of a line is
/// linear in its length, however many offers and messages it holds.
struct TranscriptScannerTests {
    /// The item and the text around it, the item put back where it stood.
    static func rebuilt(_ item: TranscriptScanner.Item) -> [UInt8]? {
        func into(_ text: [UInt8], at: Int, _ bytes: [UInt8]) -> [UInt8] { Array(text[..<at]) + bytes + Array(text[at...]) }
        switch item.kind {
        case .query(let q, let text, let at): return into(text, at: at, q.offer)
        case .whitespaceTag(let t, let text, let at): return into(text, at: at, t.offer)
        case .encoded(let b), .fragment(let b), .unrecognised(let b): return into(item.around, at: item.aroundOffset, b)
        case .error(let e): return into(item.around, at: item.aroundOffset, e.encoded)
        case .unterminated, .plaintext: return nil
        }
    }

    /// The bytes an item carries (its text, for an offer).
    static func size(_ item: TranscriptScanner.Item) -> Int {
        let own = switch item.kind {
        case .encoded(let b), .unterminated(let b), .fragment(let b), .unrecognised(let b), .plaintext(let b): b.count
        case .query(let q, let text, _): q.offer.count + text.count
        case .whitespaceTag(let t, let text, _): t.offer.count + text.count
        case .error(let e): e.text.count
        }
        return own + item.around.count
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

    @Test("an encoded message, a fragment, an error and a ?OTR carry the text around them as an offer does; text between two items goes with the first")
    func textAroundOtherItems() throws {
        let line = "a ?OTR:AAMC. b ?OTRv3? c ?OTR Error: bad"
        var scanner = TranscriptScanner()
        let items = scanner.feed(Array(line.utf8))
        try #require(items.count == 3, "\(items.map(\.kind))")
        #expect(String(decoding: items[0].around, as: UTF8.self) == "a  b " && items[0].aroundOffset == 2)
        guard case .query(_, let text, let at) = items[1].kind else {
            Issue.record("not a query: \(items[1].kind)")
            return
        }
        #expect(String(decoding: text, as: UTF8.self) == " c ")
        #expect(at == 0)
        #expect(items[2].around.isEmpty)
        #expect(items.compactMap(Self.rebuilt).reduce([], +) == Array(line.utf8))

        // A log line's prefix goes with its message, fragment or ?OTR; a
        // message alone on its line carries none.
        for line in ["[12:00] <bob> ?OTR:AAMC. tail", "[12:00] <bob> ?OTR,00001,00002,ab,", "x ?OTRz y", "?OTR:AAMC."] {
            var scanner = TranscriptScanner()
            let items = scanner.feed(Array(line.utf8))
            #expect(items.count == 1 && items.compactMap(Self.rebuilt).first == Array(line.utf8), "\(line): \(items.map(\.kind))")
            #expect(line.hasPrefix("?") == items[0].around.isEmpty, "\(line)")
        }
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
