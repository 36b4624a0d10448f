import Testing
import OTR

/// One HMAC vector. `truncationBytes`, when present, is the length of the
/// published (truncated) output that is compared against the MAC's prefix.
struct HMACVector: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let key: String
    let data: String
    let digest: String
    let truncationBytes: Int?

    var testDescription: String { name }
}

@Suite("HMAC-SHA1 known answers (RFC 2202)")
struct HMACSHA1Tests {
    @Test("vector file holds RFC 2202 test cases 1-7")
    func vectorFile() throws {
        let set = try VectorFile.load("hmac_sha1", HMACVector.self)
        #expect(set.vectors.count == 7)
        #expect(set.source.contains("RFC 2202"))
    }

    @Test("MAC matches", arguments: try VectorFile.load("hmac_sha1", HMACVector.self).vectors)
    func mac(_ v: HMACVector) throws {
        let key = try unhex(v.key)
        let data = try unhex(v.data)
        let expected = try unhex(v.digest)
        #expect(v.truncationBytes == nil)
        #expect(expected.count == 20)
        let got = HMAC.sha1(key: key, data)
        #expect(tohex(got) == v.digest)
    }

    @Test("MAC over parts equals MAC over the concatenation", arguments: try VectorFile.load("hmac_sha1", HMACVector.self).vectors)
    func parts(_ v: HMACVector) throws {
        let key = try unhex(v.key)
        let data = try unhex(v.data)
        let cut = data.count / 2
        let got = HMAC.sha1(key: SecureBytes(key), data[..<cut], SecureBytes(data[cut...]))
        #expect(tohex(got) == v.digest)
    }

    @Test("a changed key or message changes the MAC")
    func sensitivity() throws {
        let v = try VectorFile.load("hmac_sha1", HMACVector.self).vectors[0]
        var key = try unhex(v.key)
        var data = try unhex(v.data)
        let good = HMAC.sha1(key: key, data)
        data[0] ^= 0x01
        #expect(HMAC.sha1(key: key, data) != good)
        data[0] ^= 0x01
        key[key.count - 1] ^= 0x80
        #expect(HMAC.sha1(key: key, data) != good)
    }
}
