import Testing
import OTR

@Suite("SecureBytes and ConstantTime")
struct SecureBytesTests {
    @Test("equality compares contents and length")
    func equality() {
        #expect(SecureBytes([1, 2, 3]) == SecureBytes([1, 2, 3]))
        #expect(SecureBytes([1, 2, 3]) != SecureBytes([1, 2, 4]))
        #expect(SecureBytes([1, 2, 3]) != SecureBytes([0, 2, 3]))
        #expect(SecureBytes([1, 2, 3]) != SecureBytes([1, 2]))
        #expect(SecureBytes([1, 2]) != SecureBytes([1, 2, 0]))
        #expect(SecureBytes([UInt8]()) == SecureBytes([UInt8]()))
        #expect(SecureBytes([UInt8]()) != SecureBytes([0]))
    }

    @Test("contents, count, subscript and slicing")
    func slicing() {
        let s = SecureBytes([10, 11, 12, 13, 14])
        #expect(s.count == 5)
        #expect(!s.isEmpty)
        #expect(s[0] == 10 && s[4] == 14)
        #expect(s.octets == [10, 11, 12, 13, 14])
        #expect(s.slice(1..<3) == SecureBytes([11, 12]))
        #expect(s.slice(1..<3).octets == [11, 12])
        #expect(s.slice(0..<5) == s)
        #expect(s.slice(2..<2).isEmpty)
        #expect(s.slice(4..<5).octets == [14])
        #expect((s.slice(0..<2) + s.slice(2..<5)) == s)
        #expect((s + [UInt8]([15])).octets == [10, 11, 12, 13, 14, 15])
        #expect((SecureBytes([UInt8]()) + [UInt8]()).isEmpty)
        #expect(s.hex == "0a0b0c0d0e")
    }

    @Test("initialiser and consuming initialiser")
    func initialisers() {
        let filled = SecureBytes(count: 4) { buffer in
            for i in 0..<buffer.count { buffer[i] = UInt8(i * 3) }
        }
        #expect(filled.octets == [0, 3, 6, 9])
        var source: [UInt8] = [7, 8, 9]
        let taken = SecureBytes(consuming: &source)
        #expect(taken.octets == [7, 8, 9])
        #expect(source.isEmpty)
        #expect(SecureBytes(count: 0) { _ in }.isEmpty)
    }

    @Test("description does not show the contents")
    func description() {
        let s = SecureBytes([0xde, 0xad, 0xbe, 0xef])
        #expect(!s.description.contains("dead"))
        #expect(!"\(s)".contains("deadbeef"))
        #expect(s.description.contains("4"))
    }

    @Test("ConstantTime.equals on equal, different and different-length inputs")
    func constantTime() {
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 4] as [UInt8]))
        #expect(!ConstantTime.equals([0x80, 2, 3] as [UInt8], [0x00, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!ConstantTime.equals([1, 2] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(!ConstantTime.equals([UInt8](), [0] as [UInt8]))
        #expect(ConstantTime.equals(SecureBytes([5, 6]), [5, 6] as [UInt8]))
        let long = [UInt8](repeating: 0xaa, count: 1000)
        var other = long
        other[999] = 0xab
        #expect(ConstantTime.equals(long, long[...]))
        #expect(!ConstantTime.equals(long, other))
    }
}
