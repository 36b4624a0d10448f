import Testing
import OTR

/// One message digest vector; `repeat` copies of `message` make the input.
struct HashVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let message: String
    let repeatCount: Int
    let digest: String

    enum CodingKeys: String, CodingKey {
        case name, message, digest
        case repeatCount = "repeat"
    }

    var testDescription: String { name }

    func input() throws -> [UInt8] {
        let unit = try unhex(message)
        var out = [UInt8]()
        out.reserveCapacity(unit.count * repeatCount)
        for _ in 0..<repeatCount { out.append(contentsOf: unit) }
        return out
    }
}

/// A hash function and the file of its FIPS 180 vectors.
struct HashUnderTest: Sendable, CustomTestStringConvertible {
    let function: HashFunction
    let file: String
    let length: Int

    var testDescription: String { file }

    static let all = [
        HashUnderTest(function: .sha1, file: "sha1", length: 20),
        HashUnderTest(function: .sha256, file: "sha256", length: 32),
    ]

    /// Every (function, vector) pair, for the parameterised tests.
    static var cases: [(HashUnderTest, HashVector)] {
        get throws {
            try all.flatMap { hash in try VectorFile.load(hash.file, HashVector.self).vectors.map { (hash, $0) } }
        }
    }
}

/// SHA-1 (OTR's MACs, fingerprints, DSA) and SHA-256 (key derivation):
/// one runner for both functions' known answers.
@Suite("SHA-1 and SHA-256 known answers (FIPS 180)")
struct HashKnownAnswerTests {
    @Test("each vector file holds the four FIPS 180 / empty-string vectors", arguments: HashUnderTest.all)
    func vectorFile(_ hash: HashUnderTest) throws {
        let set = try VectorFile.load(hash.file, HashVector.self)
        #expect(set.vectors.count == 4)
        #expect(set.source.contains("FIPS 180"))
        #expect(set.vectors.contains { $0.repeatCount == 1_000_000 })
    }

    @Test("digest matches", arguments: try HashUnderTest.cases)
    func digest(_ hash: HashUnderTest, _ v: HashVector) throws {
        let message = try v.input()
        let expected = try unhex(v.digest)
        #expect(expected.count == hash.length)
        #expect(hash.function.digestLength == hash.length)
        #expect(tohex(hash.function.digest(message)) == v.digest)
        #expect(hash.function.secretDigest([message]).octets == expected)
    }

    @Test("digest over parts equals digest over the concatenation", arguments: try HashUnderTest.cases)
    func parts(_ hash: HashUnderTest, _ v: HashVector) throws {
        let message = try v.input()
        let cut = message.count / 3, cut2 = (message.count * 2) / 3
        #expect(tohex(hash.function.digest(message[..<cut], [UInt8](), message[cut...])) == v.digest)
        #expect(tohex(hash.function.digest(SecureBytes(message[..<cut2]), message[cut2...])) == v.digest)
    }
}
