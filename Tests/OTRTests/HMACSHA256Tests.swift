import Testing
import OTR

@Suite("HMAC-SHA256 known answers (RFC 4231)")
struct HMACSHA256Tests {
    @Test("vector file holds RFC 4231 test cases 1-7, case 5 truncated to 128 bits")
    func vectorFile() throws {
        let set = try VectorFile.load("hmac_sha256", HMACVector.self)
        #expect(set.vectors.count == 7)
        #expect(set.source.contains("RFC 4231"))
        let truncated = set.vectors.filter { $0.truncationBytes != nil }
        #expect(truncated.count == 1)
        #expect(truncated.first?.truncationBytes == 16)
    }

    @Test("MAC (or its published prefix) matches", arguments: try VectorFile.load("hmac_sha256", HMACVector.self).vectors)
    func mac(_ v: HMACVector) throws {
        let key = try unhex(v.key)
        let data = try unhex(v.data)
        let expected = try unhex(v.digest)
        let length = v.truncationBytes ?? 32
        #expect(expected.count == length)
        let got = HMAC.sha256(key: key, data)
        #expect(got.count == 32)
        #expect(tohex(got.prefix(length)) == v.digest)
    }

    @Test("SHA256-HMAC160 is the first 20 bytes of HMAC-SHA256", arguments: try VectorFile.load("hmac_sha256", HMACVector.self).vectors)
    func hmac160(_ v: HMACVector) throws {
        let key = try unhex(v.key)
        let data = try unhex(v.data)
        let expected = try unhex(v.digest)
        let short = HMAC.sha256_160(key: key, data)
        #expect(short.count == 20)
        #expect(short == Array(HMAC.sha256(key: key, data).prefix(20)))
        let known = min(20, expected.count)
        #expect(tohex(short.prefix(known)) == tohex(expected.prefix(known)))
    }

    @Test("MAC over parts equals MAC over the concatenation", arguments: try VectorFile.load("hmac_sha256", HMACVector.self).vectors)
    func parts(_ v: HMACVector) throws {
        let key = try unhex(v.key)
        let data = try unhex(v.data)
        let length = v.truncationBytes ?? 32
        let cut = data.count - 1
        let got = HMAC.sha256(key: key, data[..<cut], data[cut...], [UInt8]())
        #expect(tohex(got.prefix(length)) == v.digest)
        let got160 = HMAC.sha256_160(key: key, data[..<1], data[1...])
        #expect(got160 == Array(got.prefix(20)))
    }

    @Test("empty key and empty message (values from Python's hmac module)")
    func emptyInputs() throws {
        #expect(tohex(HMAC.sha256(key: [UInt8](), [UInt8]())) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
        #expect(tohex(HMAC.sha256(key: Array("key".utf8))) == "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0")
        #expect(tohex(HMAC.sha256_160(key: [UInt8]())) == "b613679a0814d9ec772f95d778c35fc5ff1697c4")
        #expect(tohex(HMAC.sha1(key: [UInt8](), [UInt8]())) == "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d")
        #expect(tohex(HMAC.sha1(key: [UInt8](), Array("The quick brown fox jumps over the lazy dog".utf8))) == "2ba7f707ad5f187c412de3106583c3111d668de8")
    }
}
