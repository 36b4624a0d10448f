import Testing
import OTR

@Suite("SHA-256 known answers (FIPS 180)")
struct SHA256Tests {
    static let file = "sha256"

    @Test("vector file holds the four FIPS 180 / empty-string vectors")
    func vectorFile() throws {
        let set = try VectorFile.load(Self.file, HashVector.self)
        #expect(set.vectors.count == 4)
        #expect(set.source.contains("FIPS 180"))
        #expect(set.vectors.contains { $0.repeatCount == 1_000_000 })
    }

    @Test("digest matches", arguments: try VectorFile.load("sha256", HashVector.self).vectors)
    func digest(_ v: HashVector) throws {
        let message = try v.input()
        let expected = try unhex(v.digest)
        #expect(expected.count == 32)
        #expect(HashFunction.sha256.digestLength == 32)
        let got = HashFunction.sha256.digest(message)
        #expect(tohex(got) == v.digest)
        #expect(HashFunction.sha256.secretDigest([message]).octets == expected)
    }

    @Test("digest over parts equals digest over the concatenation", arguments: try VectorFile.load("sha256", HashVector.self).vectors)
    func parts(_ v: HashVector) throws {
        let message = try v.input()
        let cut = (message.count * 2) / 3
        let got = HashFunction.sha256.digest(SecureBytes(message[..<cut]), message[cut...])
        #expect(tohex(got) == v.digest)
    }
}
