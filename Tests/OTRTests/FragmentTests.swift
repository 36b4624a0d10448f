import Testing
@testable import OTR

struct FragmentTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func parsesLibotrPaddedV3AndPotrUnpaddedV2() throws {
        let v3 = try Fragment.parse(Self.bytes("?OTR|5a73a599|27e31597,00001,00003,?OTR:AAMD,"))
        #expect(v3.form == .v3)
        #expect(v3.senderInstance == 0x5a73a599)
        #expect(v3.receiverInstance == 0x27e31597)
        #expect(v3.k == 1 && v3.n == 3)
        #expect(v3.piece == Self.bytes("?OTR:AAMD"))
        #expect(v3.isPadded)

        let v2 = try Fragment.parse(Self.bytes("?OTR,2,17,abc,\r\n"))
        #expect(v2.form == .v2)
        #expect(v2.k == 2 && v2.n == 17)
        #expect(v2.piece == Self.bytes("abc"))
        #expect(!v2.isPadded)
    }

    @Test func aPieceRunsToTheFinalCommaSoItMayHoldCommas() throws {
        let f = try Fragment.parse(Self.bytes("?OTR,00003,00005,Debian or Ubuntu,install the pidgi,"))
        #expect(f.piece == Self.bytes("Debian or Ubuntu,install the pidgi"))
    }

    @Test func encodingIsLibotrsPaddedFormAndRoundTrips() throws {
        let f = Fragment(form: .v3, senderInstance: 0x100, receiverInstance: 0, k: 7, n: 12, piece: Self.bytes("xyz"))
        #expect(f.encoded() == Self.bytes("?OTR|00000100|00000000,00007,00012,xyz,"))
        #expect(f.encoded(padded: false) == Self.bytes("?OTR|100|0,7,12,xyz,"))
        #expect(try Fragment.parse(f.encoded()) == f)
        let v2 = Fragment(form: .v2, k: 65535, n: 65535, piece: [0xff])
        #expect(v2.encoded() == Self.bytes("?OTR,65535,65535,") + [0xff, UInt8(ascii: ",")])
    }

    @Test(arguments: [
        ("?OTR,0,2,x,", "k must be in 1...n (k=0, n=2)"),
        ("?OTR,3,2,x,", "k must be in 1...n (k=3, n=2)"),
        ("?OTR,1,0,x,", "n must be in 1...65535 (n=0)"),
        ("?OTR,1,65536,x,", "n must be in 1...65535 (n=65536)"),
        ("?OTR,1,2,,", "piece 1 of 2 is empty (each piece must be non-empty)"),
        ("?OTR,1,2,x", "does not end with \",\" after the piece"),
        ("?OTR,1,2,", "piece and final \",\" missing after n"),
        ("?OTR,,2,x,", "k is empty"),
        ("?OTR,1a,2,x,", "k holds a, not a decimal digit"),
        ("?OTR,1,99999999999999999999,x,", "n has more than 18 digits"),
        ("?OTR|zz|100,1,1,x,", "sender instance tag holds z, not a hex digit"),
        ("?OTR|ff|100,1,1,x,", "sender instance tag must be >= 0x00000100 (000000ff)"),
        ("?OTR|100|5,1,1,x,", "receiver instance tag must be 0 or >= 0x00000100 (00000005)"),
        ("?OTR|100|1ffffffff,1,1,x,", "receiver instance tag exceeds 32 bits"),
        ("?OTR|100,1,1,x,", "sender instance tag not terminated by \"|\""),
        ("?OTR:AAMD.", "does not start with \"?OTR|\" or \"?OTR,\""),
    ])
    func everyBrokenRuleIsNamed(input: String, reason: String) {
        #expect {
            try Fragment.parse(Self.bytes(input))
        } throws: { error in
            guard let e = error as? OTRError else { return false }
            return e.field == "fragment" && e.reason == reason
        }
    }

    @Test func fragmentPrefixIsRecognised() {
        #expect(Fragment.hasFragmentPrefix(Self.bytes("?OTR|1")))
        #expect(Fragment.hasFragmentPrefix(Self.bytes("?OTR,1")))
        #expect(!Fragment.hasFragmentPrefix(Self.bytes("?OTR:AAMD")))
        #expect(!Fragment.hasFragmentPrefix(Self.bytes("?OTR")))
    }
}

struct FragmenterTests {
    static let message = Array("?OTR:AAMD".utf8) + Array(repeating: UInt8(ascii: "A"), count: 191) + [UInt8(ascii: ".")]

    @Test func aMessageThatFitsGoesOutWhole() throws {
        let f = try Fragmenter(form: .v3, senderInstance: 0x100, receiverInstance: 0x200, maximumMessageSize: 201)
        #expect(try f.fragments(of: Self.message) == [Self.message])
    }

    @Test func piecesAreSizeMinusLibotrsHeaderConstantAndFragmentsAtMostSizeMinusOne() throws {
        for (form, header) in [(FragmentForm.v3, 37), (.v2, 19)] {
            for size in [38, 50, 100, 199, 200] where size > header {
                let f = try Fragmenter(form: form, senderInstance: form == .v3 ? 0x100 : 0,
                                       receiverInstance: 0, maximumMessageSize: size)
                let fragments = try f.fragments(of: Self.message)
                let piece = size - header
                #expect(fragments.count == (Self.message.count - 1) / piece + 1)
                #expect(fragments.allSatisfy { $0.count <= size - 1 })
                let parsed = try fragments.map { try Fragment.parse($0) }
                #expect(parsed.dropLast().allSatisfy { $0.piece.count == piece })
                #expect(parsed.flatMap(\.piece) == Self.message)
                #expect(parsed.map(\.k) == Array(1...fragments.count))
            }
        }
    }

    @Test func anExactMultipleMakesNoEmptyLastPiece() throws {
        // 201 bytes = 3 pieces of 67: size 104 in v3.
        let f = try Fragmenter(form: .v3, senderInstance: 0x1234, receiverInstance: 0x5678, maximumMessageSize: 104)
        let fragments = try f.fragments(of: Self.message)
        #expect(fragments.count == 3)
        #expect(fragments.last == Array("?OTR|00001234|00005678,00003,00003,".utf8) + Self.message[134...] + [UInt8(ascii: ",")])
    }

    @Test func tooManyFragmentsAndFragmentingAFragmentAreErrors() throws {
        let f = try Fragmenter(form: .v2, maximumMessageSize: 20)
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        #expect(throws: OTRError.self) { try f.fragments(of: big) }
        #expect(f.fragmentCount(forLength: 100_000) == 100_000)
        #expect(throws: OTRError.self) { try f.fragments(of: Array("?OTR,00001,00002,abcdefghijklmnopqrstuvwxyz,".utf8)) }
        #expect(throws: OTRError.self) { try Fragmenter(form: .v3, senderInstance: 0x100, maximumMessageSize: 37) }
        #expect(throws: OTRError.self) { try Fragmenter(form: .v2, senderInstance: 0x100, maximumMessageSize: 100) }
        // 65535 fragments is the most allowed.
        let most = [UInt8](repeating: UInt8(ascii: "x"), count: 65535)
        #expect(try f.plan(most) == 65535)
    }

    @Test func unpaddedOutputIsPotrsForm() throws {
        let f = try Fragmenter(form: .v2, maximumMessageSize: 60, padded: false)
        let fragments = try f.fragments(of: Self.message)
        #expect(fragments.first.map { Array($0.prefix(9)) } == Array("?OTR,1,5,".utf8))
        #expect(fragments.first?.count == 9 + 41 + 1)
    }
}
