import Testing
import OTR

@Suite("Hex")
struct HexTests {
    @Test("encode is lowercase, two digits a byte")
    func encode() {
        #expect(Hex.encode([0x00, 0x0f, 0xab, 0xff] as [UInt8]) == "000fabff")
        #expect(Hex.encode([UInt8]()) == "")
    }

    @Test("decode accepts either case and separators between bytes")
    func decode() throws {
        #expect(try Hex.decode("000fabff") == [0x00, 0x0f, 0xab, 0xff])
        #expect(try Hex.decode("ABCDEF") == [0xab, 0xcd, 0xef])
        #expect(try Hex.decode("de:ad be\tef\n") == [0xde, 0xad, 0xbe, 0xef])
        #expect(try Hex.decode("") == [])
        let bytes = [UInt8](0...255)
        #expect(try Hex.decode(Hex.encode(bytes)) == bytes)
        #expect(try Hex.decode(Hex.encode(bytes)) == unhex(Hex.encode(bytes)))
    }

    @Test("decode rejects an odd number of digits")
    func oddLength() {
        for text in ["a", "abc", "00 0", "0"] {
            let e = #expect(throws: OTRError.self) { try Hex.decode(text) }
            #expect(e?.code == .malformed)
        }
    }

    @Test("decode rejects non-hex characters, at their position")
    func nonHex() {
        let e = #expect(throws: OTRError.self) { try Hex.decode("0g") }
        #expect(e?.code == .malformed)
        #expect(e?.offset == 1)
        for text in ["zz", "0x00", "12-34", "ab\u{e9}"] {
            let e = #expect(throws: OTRError.self) { try Hex.decode(text) }
            #expect(e?.code == .malformed)
        }
    }

    @Test("decode rejects a separator inside a byte")
    func splitByte() {
        let e = #expect(throws: OTRError.self) { try Hex.decode("a b") }
        #expect(e?.code == .malformed)
    }

    @Test("every form of input decodes alike: substrings, byte arrays, slices and collections that are not contiguous")
    func inputForms() throws {
        let text = "xx de:ad BE ef yy"
        let inner = text.dropFirst(3).dropLast(3)
        let expected: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
        #expect(try Hex.decode(inner) == expected)
        let utf8 = Array(text.utf8)
        #expect(try Hex.decode(utf8: utf8[3..<(utf8.count - 3)]) == expected)
        // A lazy map has no contiguous storage: the copying path.
        let lazy = utf8[3..<(utf8.count - 3)].lazy.map { $0 }
        #expect(try Hex.decode(utf8: lazy) == expected)
        let e = #expect(throws: OTRError.self) { try Hex.decode(utf8: "0g".utf8.lazy.map { $0 }) }
        #expect(e?.offset == 1)
    }
}
