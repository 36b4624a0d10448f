import Testing
import OTR

/// One AES-128-CTR vector: `output` is `input` run through the counter
/// mode from `initialCounterBlock`. `counterTopHalf`, when present, is
/// the first 8 bytes of that block, whose last 8 bytes are then zero.
struct AESCTRVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let initialCounterBlock: String
    let input: String
    let output: String
    let counterTopHalf: String?

    var testDescription: String { name }
}

@Suite("AES-128-CTR known answers (SP 800-38A F.5.1/F.5.2, OTR counter layout)")
struct AESCounterModeTests {
    static func vectors() throws -> [AESCTRVector] {
        try VectorFile.load("aes128_ctr", AESCTRVector.self).vectors
    }

    @Test("vector file holds F.5.1, F.5.2 and the layout and carry cases")
    func vectorFile() throws {
        let set = try VectorFile.load("aes128_ctr", AESCTRVector.self)
        #expect(set.vectors.count == 7)
        #expect(set.source.contains("SP 800-38A"))
        #expect(set.vectors.filter { $0.counterTopHalf != nil }.count == 3)
        let nist = set.vectors.filter { $0.name.hasPrefix("SP 800-38A") }
        #expect(nist.count == 2)
        for v in nist {
            #expect(v.initialCounterBlock == "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff")
            #expect(v.input.count == 128)
        }
    }

    @Test("apply(key:initialCounterBlock:) gives the expected output and inverts", arguments: try vectors())
    func fullCounterBlock(_ v: AESCTRVector) throws {
        let key = try unhex(v.key)
        let block = try unhex(v.initialCounterBlock)
        let input = try unhex(v.input)
        let out = try AESCounterMode.apply(key: key, initialCounterBlock: block, input)
        #expect(out.hex == v.output)
        let back = try AESCounterMode.apply(key: SecureBytes(key), initialCounterBlock: block, out)
        #expect(back.octets == input)
    }

    @Test("apply(key:counterTopHalf:) equals the full block T || 00*8", arguments: try vectors().filter { $0.counterTopHalf != nil })
    func otrLayout(_ v: AESCTRVector) throws {
        let key = try unhex(v.key)
        let top = try unhex(try #require(v.counterTopHalf))
        let input = try unhex(v.input)
        #expect(top.count == 8)
        #expect(try unhex(v.initialCounterBlock) == top + [UInt8](repeating: 0, count: 8))
        let viaTop = try AESCounterMode.apply(key: key, counterTopHalf: top, input)
        let viaBlock = try AESCounterMode.apply(key: key, initialCounterBlock: top + [UInt8](repeating: 0, count: 8), input)
        #expect(viaTop == viaBlock)
        #expect(viaTop.hex == v.output)
    }

    @Test("the block counter carries from the low half into the top half")
    func carry() throws {
        let key = try unhex("000102030405060708090a0b0c0d0e0f")
        let data = [UInt8](0..<32)
        let before = try unhex("0000000000000001ffffffffffffffff")
        let after = try unhex("00000000000000020000000000000000")
        let two = try AESCounterMode.apply(key: key, initialCounterBlock: before, data)
        let second = try AESCounterMode.apply(key: key, initialCounterBlock: after, Array(data[16...]))
        #expect(two.slice(16..<32) == second)
        // and it is the OTR counter value 2 with a zero low half
        let otr = try AESCounterMode.apply(key: key, counterTopHalf: try unhex("0000000000000002"), Array(data[16...]))
        #expect(otr == second)
    }

    @Test("a 16-byte input encrypted in two calls with consecutive counters equals one call")
    func consecutiveBlocks() throws {
        let v = try #require(try Self.vectors().first)
        let key = try unhex(v.key)
        let input = try unhex(v.input)
        var counter = try unhex(v.initialCounterBlock)
        let first = try AESCounterMode.apply(key: key, initialCounterBlock: counter, Array(input[0..<16]))
        // f0..fe ff + 1 = f0..ff 00
        counter[15] = 0x00
        counter[14] &+= 1
        let second = try AESCounterMode.apply(key: key, initialCounterBlock: counter, Array(input[16..<32]))
        #expect((first + second).hex == String(v.output.prefix(64)))
    }

    @Test("empty input gives empty output")
    func empty() throws {
        let out = try AESCounterMode.apply(key: [UInt8](repeating: 1, count: 16), counterTopHalf: [UInt8](repeating: 0, count: 8), [UInt8]())
        #expect(out.isEmpty)
    }

    @Test("wrong key, counter block or top-half lengths are rejected")
    func badLengths() throws {
        let key16 = [UInt8](repeating: 0, count: 16)
        let data: [UInt8] = [1, 2, 3]
        let e1 = #expect(throws: OTRError.self) {
            try AESCounterMode.apply(key: [UInt8](repeating: 0, count: 15), initialCounterBlock: key16, data)
        }
        #expect(e1?.code == .invalidArgument)
        let e2 = #expect(throws: OTRError.self) {
            try AESCounterMode.apply(key: [UInt8](repeating: 0, count: 32), initialCounterBlock: key16, data)
        }
        #expect(e2?.code == .invalidArgument)
        let e3 = #expect(throws: OTRError.self) {
            try AESCounterMode.apply(key: key16, initialCounterBlock: [UInt8](repeating: 0, count: 15), data)
        }
        #expect(e3?.code == .invalidArgument)
        let e4 = #expect(throws: OTRError.self) {
            try AESCounterMode.apply(key: key16, counterTopHalf: [UInt8](repeating: 0, count: 7), data)
        }
        #expect(e4?.code == .invalidArgument)
        let e5 = #expect(throws: OTRError.self) {
            try AESCounterMode.apply(key: key16, counterTopHalf: [UInt8](repeating: 0, count: 16), data)
        }
        #expect(e5?.code == .invalidArgument)
    }
}
