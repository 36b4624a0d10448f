import Testing
import OTR

@Suite("MPI")
struct MPITests {
    @Test("bytes are minimal: leading zeros dropped, zero is empty")
    func minimalEncoding() throws {
        #expect(MPI(bytes: [0, 0, 1, 2]).bytes == [1, 2])
        #expect(MPI(bytes: [0, 0, 1, 2]).byteCount == 2)
        #expect(MPI(bytes: [0x80]).bytes == [0x80])
        #expect(MPI.zero.bytes == [])
        #expect(MPI(bytes: [UInt8]()).bytes == [])
        #expect(MPI(bytes: [0, 0, 0]).bytes == [])
        #expect(MPI(bytes: [0, 0, 0]).isZero)
        #expect(MPI(0).byteCount == 0)
        #expect(MPI(0).bitWidth == 0)
        #expect(MPI(1).bytes == [1])
        #expect(MPI(0x0102).bitWidth == 9)
        #expect(MPI(256).bytes == [1, 0])
        #expect(MPI(UInt(UInt32.max)).bytes == [0xff, 0xff, 0xff, 0xff])
        #expect(MPI.zero.secureBytes.isEmpty)
        #expect(MPI(bytes: [0, 9, 8]).secureBytes.octets == [9, 8])
    }

    @Test("bytes(paddedTo:) left-pads and refuses values that do not fit")
    func padded() throws {
        #expect(try MPI(bytes: [1, 2]).bytes(paddedTo: 4) == [0, 0, 1, 2])
        #expect(try MPI(bytes: [1, 2]).bytes(paddedTo: 2) == [1, 2])
        #expect(try MPI.zero.bytes(paddedTo: 3) == [0, 0, 0])
        #expect(try MPI.zero.bytes(paddedTo: 0) == [])
        let e = #expect(throws: OTRError.self) { try MPI(bytes: [1, 2, 3]).bytes(paddedTo: 2) }
        #expect(e?.code == .outOfRange)
    }

    @Test("comparisons follow the integer value, not the byte length")
    func comparisons() throws {
        let small = MPI(bytes: [0, 0, 0xff])
        let big = MPI(bytes: [1, 0])
        #expect(small < big)
        #expect(big > small)
        #expect(!(big < small))
        #expect(small <= MPI(255) && small >= MPI(255))
        #expect(small == MPI(255))
        #expect(small != big)
        #expect(MPI.zero < MPI.one)
        #expect(MPI(bytes: [0, 5]) == MPI(5))
        #expect(MPI(bytes: [0, 5]).hashValue == MPI(5).hashValue)
        #expect(Set([MPI(bytes: [0, 7]), MPI(7), MPI(8)]).count == 2)
        #expect([MPI(3), MPI(1), MPI(2)].sorted() == [MPI(1), MPI(2), MPI(3)])
        let x = try MPI(hex: "ffffffffffffffffffffffffffffffff")
        let y = try MPI(hex: "01 00000000 00000000 00000000 00000000")
        #expect(x < y && x + .one == y)
    }

    @Test("hex form and text")
    func hexForms() throws {
        #expect(try MPI(hex: "00 01 02").bytes == [1, 2])
        #expect(try MPI(hex: "0A0b").hex == "0a0b")
        #expect(MPI.zero.hex == "")
        #expect(MPI.zero.description == "0x0")
        #expect(MPI(255).description == "0xff")
        #expect(throws: OTRError.self) { try MPI(hex: "abc") }
    }

    @Test("arithmetic on small values")
    func arithmetic() throws {
        #expect(MPI(7) + MPI(5) == MPI(12))
        #expect(MPI(7) * MPI(6) == MPI(42))
        #expect(MPI(7) - MPI(7) == .zero)
        #expect(MPI(100).mod(MPI(7)) == MPI(2))
        #expect(MPI(3).inverse(mod: MPI(7)) == MPI(5))
        #expect(MPI(2).inverse(mod: MPI(4)) == nil)
        #expect(MPI(4).power(MPI(13), modulo: MPI(497)) == MPI(445))
        #expect(MPI(4).power(secretExponent: MPI(13), modulo: MPI(497)) == MPI(445))
        #expect(MPI(97).isProbablePrime())
        #expect(!MPI(91).isProbablePrime())
        // 2^127 - 1 is a Mersenne prime; 2^128 + 1 is not prime
        let m127 = try MPI(hex: "7fffffffffffffffffffffffffffffff")
        #expect(m127.isProbablePrime())
        #expect(!(try MPI(hex: "0100000000000000000000000000000001")).isProbablePrime())
    }
}
