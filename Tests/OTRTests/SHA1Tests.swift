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

@Suite("SHA-1 known answers (FIPS 180)")
struct SHA1Tests {
    static let file = "sha1"

    @Test("vector file holds the four FIPS 180 / empty-string vectors")
    func vectorFile() throws {
        let set = try VectorFile.load(Self.file, HashVector.self)
        #expect(set.vectors.count == 4)
        #expect(set.source.contains("FIPS 180"))
        #expect(set.vectors.contains { $0.repeatCount == 1_000_000 })
    }

    @Test("digest matches", arguments: try VectorFile.load("sha1", HashVector.self).vectors)
    func digest(_ v: HashVector) throws {
        let message = try v.input()
        let expected = try unhex(v.digest)
        #expect(expected.count == 20)
        #expect(HashFunction.sha1.digestLength == 20)
        let got = HashFunction.sha1.digest(message)
        #expect(tohex(got) == v.digest)
        #expect(HashFunction.sha1.secretDigest([message]).octets == expected)
    }

    @Test("digest over parts equals digest over the concatenation", arguments: try VectorFile.load("sha1", HashVector.self).vectors)
    func parts(_ v: HashVector) throws {
        let message = try v.input()
        let cut = message.count / 3
        let got = HashFunction.sha1.digest(message[..<cut], [UInt8](), message[cut...])
        #expect(tohex(got) == v.digest)
    }
}
