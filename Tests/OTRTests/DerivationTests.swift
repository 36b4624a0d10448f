import Testing
import OTR

/// SessionKeys (spec "Computing AKE keys", "Computing data keys"): both
/// ends derive matching keys, the values otr_sesskeys printed for a fixed
/// pair, and the range rule on their public value.
struct DerivationTests {
    static let x = try! MPI(hex: "1234567890abcdef")
    static let y = try! MPI(hex: "0a0b0c")

    @Test func theKeysMatchWhatOtrSesskeysPrintedForAFixedPair() throws {
        // otr_sesskeys 1234567890abcdef 0a0b0c (libotr5-bin 4.1.1).
        let k = try SessionKeys(ours: try DHKeyPair(privateKey: Self.x), theirPublic: Self.y)
        #expect(k.data.isHighEnd)
        #expect(k.data.sendingAESKey.hex == "9bba868f42621c633d98c6858fb83b8f")
        #expect(k.data.sendingMACKey.hex == "a6a0c45e63d6d5ecfde7b4eeb682c6408ada3098")
        #expect(k.data.receivingAESKey.hex == "4a26bfd9349bf7dc02c56b6fe39e86eb")
        #expect(k.data.receivingMACKey.hex == "8772d1ea93a9ded6b56f636dcec9aafd3ab2a198")
        #expect(Hex.encode(k.version1SessionID) == "ee292e7c0bd6408d5f1c1159a41ddd74c7ecfd39")
    }

    @Test func bothEndsDeriveMirroredDataKeysAndTheSameAKEKeys() throws {
        let alice = try DHKeyPair(privateKey: try MPI(hex: "0123456789abcdef0123456789abcdef0123456789"))
        let bob = try DHKeyPair(privateKey: try MPI(hex: "fedcba9876543210fedcba9876543210fedcba98"))
        let a = try SessionKeys(ours: alice, theirPublic: bob.publicKey)
        let b = try SessionKeys(ours: bob, theirPublic: alice.publicKey)
        #expect(a.data.isHighEnd != b.data.isHighEnd)
        #expect(a.data.sendingAESKey == b.data.receivingAESKey)
        #expect(a.data.receivingAESKey == b.data.sendingAESKey)
        #expect(a.data.sendingMACKey == b.data.receivingMACKey)
        #expect(a.data.extraSymmetricKey == b.data.extraSymmetricKey)
        #expect(a.ake.ssid == b.ake.ssid)
        #expect(a.ake.c == b.ake.c && a.ake.cPrime == b.ake.cPrime)
        #expect(a.ake.m1 == b.ake.m1 && a.ake.m2Prime == b.ake.m2Prime)
        #expect(a.ake.c != a.ake.cPrime)
        #expect(a.ake.ssid.count == 8 && a.version1SessionID.count == 20)
        // The v2/v3 ssid is SHA-256 based, not the first bytes of the v1 id.
        #expect(Array(a.version1SessionID.prefix(8)) != a.ake.ssid)
    }

    @Test("public values outside 2..p-2 are refused naming the rule", arguments: ["0", "1", "p-1", "p"])
    func outOfRange(which: String) throws {
        let p = DHGroup.modulus
        let value: MPI = switch which {
        case "0": MPI(0)
        case "1": MPI(1)
        case "p-1": p - MPI(1)
        default: p
        }
        let pair = try DHKeyPair(privateKey: Self.x)
        do {
            _ = try SessionKeys(ours: pair, theirPublic: value)
            Issue.record("\(which) accepted")
        } catch let error as OTRError {
            #expect(error.code == .outOfRange)
            #expect(error.description.contains("2 <= g^x <= p-2"))
        }
        #expect(throws: Never.self) { try SessionKeys(ours: pair, theirPublic: MPI(2)) }
        #expect(throws: Never.self) { try SessionKeys(ours: pair, theirPublic: p - MPI(2)) }
    }

    @Test func theRevealSignatureSenderShowsTheFirstHalfInBold() {
        #expect(AKERole.bob.ssidBoldHalf == 0)
        #expect(AKERole.alice.ssidBoldHalf == 1)
    }
}
