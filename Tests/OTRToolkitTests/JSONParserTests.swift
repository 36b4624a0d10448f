import Testing
import OTRToolkit

/// The JSON reader encode reads decode's output with: hostile input is
/// refused with the byte offset, never crashes, and nests only so deep.
@Suite struct JSONParserTests {
    static func parse(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test("objects, arrays, strings with escapes and surrogate pairs, numbers, literals")
    func values() throws {
        let v = try Self.parse(#" {"a": [1, -2.5e3, true, false, null], "s": "x\n\u00e9\ud83d\ude00\"", "o": {}} "#)
        #expect(v["s"]?.stringValue == "x\n\u{e9}\u{1F600}\"")
        guard case .array(let a)? = v["a"] else { Issue.record("no array"); return }
        #expect(a.count == 5)
        #expect(a[0] == .number("1"))
        #expect(a[1] == .number("-2.5e3"))
        #expect(v["o"] == .object([:]))
        #expect(v["missing"] == nil)
    }

    @Test("malformed input is refused at the byte where it breaks", arguments: [
        ("", 0), ("{", 1), ("{\"a\" 1}", 5), ("[1,]", 3), ("\"\\ud800\"", 7), ("tru", 0), ("{} x", 3), ("\"\u{01}\"", 2),
    ])
    func malformed(_ text: String, _ offset: Int) {
        do {
            _ = try Self.parse(text)
            Issue.record("\(text.debugDescription) was accepted")
        } catch let failure as JSONParser.Failure {
            #expect(failure.offset == offset, "\(text.debugDescription): \(failure)")
            #expect(failure.description.hasPrefix("JSON at byte \(failure.offset): "))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("nesting deeper than the limit is refused, not followed down the stack")
    func depth() throws {
        let ok = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        _ = try Self.parse(ok)
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: JSONParser.Failure.self) { try Self.parse(deep) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xff, 0x22]) }
    }
}
