import Testing
import OTR

@Suite("Random sources")
struct RandomSourceTests {
    @Test("DeterministicRandom: same seed, same bytes; another seed, other bytes")
    func sameSeed() {
        let a = DeterministicRandom(seedText: "seed").bytes(100)
        let b = DeterministicRandom(seedText: "seed").bytes(100)
        let c = DeterministicRandom(seedText: "seee").bytes(100)
        let d = DeterministicRandom(seed: Array("seed".utf8)).bytes(100)
        #expect(a == b)
        #expect(a == d)
        #expect(a != c)
        #expect(DeterministicRandom(seedText: "seed").isDeterministic)
    }

    @Test("DeterministicRandom: chunked reads equal one big read", arguments: [
        [1, 31, 32, 33, 3],
        [64, 64, 72],
        [0, 7, 0, 193],
        [32, 32, 32, 32, 32, 30],
    ])
    func chunked(_ sizes: [Int]) {
        let total = sizes.reduce(0, +)
        let whole = DeterministicRandom(seedText: "chunks").bytes(total).octets
        let source = DeterministicRandom(seedText: "chunks")
        var pieces = [UInt8]()
        for n in sizes { pieces += source.bytes(n).octets }
        #expect(pieces.count == total)
        #expect(pieces == whole)
    }

    @Test("DeterministicRandom is the documented SHA-256(label || seed || counter) stream")
    func construction() {
        let label = Array("otrtool deterministic random v1\u{0}".utf8)
        let seed = Array("construction".utf8)
        let stream = DeterministicRandom(seed: seed).bytes(80).octets
        var expected = [UInt8]()
        for counter in 0..<3 as Range<UInt8> {
            let c: [UInt8] = [0, 0, 0, 0, 0, 0, 0, counter]
            expected += HashFunction.sha256.digest(label, seed, c)
        }
        #expect(stream == Array(expected.prefix(80)))
    }

    @Test("SystemRandom is not deterministic and does not repeat")
    func system() {
        let random = SystemRandom()
        #expect(!random.isDeterministic)
        #expect(!SystemRandom(level: .veryStrong).isDeterministic)
        let a = random.bytes(32)
        let b = random.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)
        #expect(random.bytes(0).isEmpty)
    }
}
