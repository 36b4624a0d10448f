import OTR
import OTRToolkit
import Testing

/// The JSON decode and encode write straight into the output: strings
/// escaped eight bytes at a time exactly as byte by byte, objects and
/// arrays separated as a tree of values renders them.
struct JSONWriterTests {
    /// RFC 8259 escaping, one byte at a time: the reference.
    static func reference(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for b in bytes {
            switch b {
            case 0x22: out += Array("\\\"".utf8)
            case 0x5c: out += Array("\\\\".utf8)
            case 0x0a: out += Array("\\n".utf8)
            case 0x0d: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7f: out += Array("\\u00".utf8) + Array(String(format: "%02x", b).utf8)
            default: out.append(b)
            }
        }
        return out + [0x22]
    }

    @Test("every byte value, at every position of an eight-byte word, is escaped as byte by byte")
    func escapingMatchesTheReference() {
        for value in 0...255 {
            for position in 0..<17 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 17)
                bytes[position] = UInt8(value)
                var out = OutputBuffer()
                JSON.appendQuoted(bytes, into: &out)
                #expect(Array(out.bytes) == Self.reference(bytes), "byte \(value) at \(position)")
            }
        }
        let random = DeterministicRandom(seedText: "json escaping")
        for length in 0..<200 {
            let bytes = random.bytes(length).octets.map { $0 % 2 == 0 ? $0 : $0 & 0x7f }
            var out = OutputBuffer()
            JSON.appendQuoted(bytes, into: &out)
            #expect(Array(out.bytes) == Self.reference(bytes), "length \(length)")
        }
    }

    @Test("text fields: ASCII checked eight bytes at a time; bytes that are not UTF-8 get a _hex twin, as JSON.textField gives")
    func textFieldsMatchTheTree() {
        let cases: [[UInt8]] = [[], Array("plain ascii text, longer than eight".utf8), Array("grüße ✓".utf8),
                                [0x61, 0x62, 0xff, 0x63], Array("12345678".utf8) + [0xc3], [0xe9] + Array("abcdefghij".utf8)]
        for bytes in cases {
            var streamed = OutputBuffer()
            streamed.jsonObject(nil) { out in
                out.json("text", textField: bytes)
                out.json("n", int: 1)
                out.jsonArray("list") { out in
                    out.jsonElement(hex: bytes)
                    out.jsonObject(nil) { out in out.jsonNull("none") }
                    out.jsonArray(nil) { _ in }
                }
            }
            let tree = JSON.object(JSON.textField("text", bytes) + [
                ("n", .int(1)), ("list", .array([.hex(bytes), .object([("none", .null)]), .array([])])),
            ])
            var rendered = OutputBuffer()
            tree.render(into: &rendered)
            #expect(Array(streamed.bytes) == Array(rendered.bytes), "\(bytes)")
        }
    }
}
