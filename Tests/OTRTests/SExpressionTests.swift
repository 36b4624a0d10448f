import Testing
@testable import OTR

@Suite("S-expressions as libgcrypt reads and writes them")
struct SExpressionTests {
    func parse(_ text: String) throws -> SExpression { try SExpressionReader.parse(Array(text.utf8)) }
    func parse(_ bytes: [UInt8]) throws -> SExpression { try SExpressionReader.parse(bytes) }

    func atoms(_ e: SExpression) -> [[UInt8]] { (e.items ?? []).compactMap(\.atomBytes) }

    @Test func everyAtomSyntaxLibgcryptAcceptsIsRead() throws {
        let text = "(a-token \"q\\\"t\\n\\t\\x41\\101\\'\\\\\" #00 ff\n A0# 3:a(b 5\"hello\" 4#01020304# \"con\\\ntinued\")"
        let e = try parse(text)
        #expect(atoms(e) == [
            Array("a-token".utf8),
            Array("q\"t\n\tAA'\\".utf8),
            [0x00, 0xff, 0xa0],
            Array("a(b".utf8),
            Array("hello".utf8),
            [1, 2, 3, 4],
            Array("continued".utf8),
        ])
    }

    @Test func rawEightBitBytesAndNewlinesInsideQuotesAreKept() throws {
        var bytes = Array("(x \"".utf8)
        bytes += [0xa1, 0xff, 0x0a, 0xc3, 0xbc]
        bytes += Array("\")".utf8)
        let e = try parse(bytes)
        #expect(atoms(e) == [Array("x".utf8), [0xa1, 0xff, 0x0a, 0xc3, 0xbc]])
    }

    @Test func elementsKnowTheirLines() throws {
        let e = try parse("(a\n (b\n  c)\n \"d\ne\" f)")
        let items = try #require(e.items)
        #expect(items[1].line == 2)
        #expect(items[1].items?[1].line == 3)
        #expect(items[2].line == 4)
        #expect(items[3].line == 5)
    }

    @Test("malformed input is an error naming the line", arguments: [
        ("(a\n(b", "line 2", "truncated"),
        ("(a \"open", "line 1", "not terminated"),
        ("(a))", "line 1", "after the end"),
        ("(a #abc#)", "line 1", "odd number"),
        ("(a \"\\q\")", "line 1", "invalid escape"),
        ("(a \"\\477\")", "line 1", "above"),
        ("(a [text/plain]b)", "line 1", "display hints"),
        ("(a |YWJj|)", "line 1", "base64"),
        ("(a 9:abc)", "line 1", "truncated"),
        ("(a 01:a)", "line 1", "may not begin with 0"),
        ("(a)\n(b)", "line 2", "after the end"),
        ("token", "line 1", "expected"),
        ("", "line 1", "empty"),
        ("(a {b})", "line 1", "unexpected character"),
    ])
    func malformedInputIsAnError(text: String, line: String, reason: String) throws {
        let error = #expect(throws: OTRError.self) { try parse(text) }
        #expect(error?.field == line, "\(String(describing: error))")
        #expect(error?.reason.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func depthSizeAndElementLimitsHold() throws {
        let limits = SExpressionReader.Limits(maximumDepth: 8, maximumSize: 1000, maximumElements: 20)
        let deep = String(repeating: "(", count: 9) + String(repeating: ")", count: 9)
        let depthError = #expect(throws: OTRError.self) { try SExpressionReader.parse(Array(deep.utf8), limits: limits) }
        #expect(depthError?.code == .limitExceeded)
        let wide = "(" + String(repeating: "a ", count: 30) + ")"
        let countError = #expect(throws: OTRError.self) { try SExpressionReader.parse(Array(wide.utf8), limits: limits) }
        #expect(countError?.code == .limitExceeded)
        let big = [UInt8](repeating: UInt8(ascii: "("), count: 1001)
        let sizeError = #expect(throws: OTRError.self) { try SExpressionReader.parse(big, limits: limits) }
        #expect(sizeError?.code == .limitExceeded)
        // A million open parentheses under the default limits: refused quickly.
        let hostile = [UInt8](repeating: UInt8(ascii: "("), count: 1 << 20)
        let hostileError = #expect(throws: OTRError.self) { try SExpressionReader.parse(hostile) }
        #expect(hostileError?.code == .limitExceeded)
    }

    @Test("atoms are encoded as libgcrypt chooses", arguments: [
        ("prpl-jabber", "prpl-jabber"),
        ("alice@example.org", "\"alice@example.org\""),
        ("1abc", "\"1abc\""),
        ("we\"ird\tname", "\"we\\\"ird\\tname\""),
        ("", "\"\""),
    ])
    func atomEncoding(value: String, expected: String) {
        #expect(SExpressionWriter.atom(Array(value.utf8)) == Array(expected.utf8))
    }

    @Test func binaryAtomsAreHex() {
        #expect(SExpressionWriter.atom([0x00, 0x12]) == Array("#0012#".utf8))
        #expect(SExpressionWriter.atom([0x80]) == Array("#80#".utf8))
        #expect(SExpressionWriter.atom([0x41, 0x9f]) == Array("#419F#".utf8))
        #expect(SExpressionWriter.atom([0x41, 0x01]) == Array("#4101#".utf8))
        // ü is C3 BC: both above 0xa0, written raw inside quotes.
        #expect(SExpressionWriter.atom([0x41, 0xc3, 0xbc]) == [0x22, 0x41, 0xc3, 0xbc, 0x22])
    }

    @Test func theLayoutIsLibgcryptsAdvancedFormat() throws {
        let e = SExpression.list([.atom("private-key"), .list([.atom("dsa"),
            .list([.atom("p"), .atom([0x00, 0x81])]), .list([.atom("x"), .atom([0x12])])])])
        let text = String(decoding: SExpressionWriter.advanced(e), as: UTF8.self)
        #expect(text == "(private-key \n (dsa \n  (p #0081#)\n  (x #12#)\n  )\n )\n")
        let back = try parse(text)
        #expect(back.items?[1].items?[1].items?[1].atomBytes == [0x00, 0x81])
    }
}
