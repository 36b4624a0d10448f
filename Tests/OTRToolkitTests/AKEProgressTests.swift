import OTR
import OTRToolkit
import Testing

/// decode --explain's reading of AKEs that began again, in process: the
/// message an earlier AKE lost is named on the D-H Commit that replaced
/// it, and the AKEs the spec itself repeats or crosses are named by
/// nothing.
struct AKEProgressTests {
    static let alice = InstanceTag(rawValue: 0x100), bob = InstanceTag(rawValue: 0x200)
    static let none = InstanceTag(rawValue: 0)

    static func header(_ type: MessageType, _ from: InstanceTag?, _ to: InstanceTag?) -> MessageHeader {
        MessageHeader(version: from == nil ? 2 : 3, type: type.rawValue, senderInstance: from, receiverInstance: to)
    }

    /// A D-H Commit whose hashed g^x is `seed` repeated.
    static func commit(_ from: InstanceTag?, _ to: InstanceTag?, seed: UInt8) throws -> [UInt8] {
        let m = DHCommitMessage(header: header(.dhCommit, from, to), encryptedGx: [1, 2, 3],
                                hashedGx: [UInt8](repeating: seed, count: 32))
        return Array(try EncodedMessage.dhCommit(m).armoured().utf8)
    }

    static func dhKey(_ from: InstanceTag?, _ to: InstanceTag?, gy: UInt) throws -> [UInt8] {
        Array(try EncodedMessage.dhKey(DHKeyMessage(header: header(.dhKey, from, to), gy: MPI(gy))).armoured().utf8)
    }

    static func reveal(_ from: InstanceTag?, _ to: InstanceTag?) throws -> [UInt8] {
        let m = RevealSignatureMessage(header: header(.revealSignature, from, to), revealedKey: [UInt8](repeating: 9, count: 16),
                                       encryptedSignature: [4, 5, 6], mac: [UInt8](repeating: 0, count: 20))
        return Array(try EncodedMessage.revealSignature(m).armoured().utf8)
    }

    static func signature(_ from: InstanceTag?, _ to: InstanceTag?) throws -> [UInt8] {
        let m = SignatureMessage(header: header(.signature, from, to), encryptedSignature: [7, 8], mac: [UInt8](repeating: 0, count: 20))
        return Array(try EncodedMessage.signature(m).armoured().utf8)
    }

    static func explain(_ lines: [[UInt8]]) -> [[String]] {
        let session = DecodeSession(keys: CaptureKeys(), json: true, showKeys: false, explain: true, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        return ToolkitFixtures.items(ToolkitFixtures.read(lines)).map { session.decode($0).explanations ?? [] }
    }

    @Test("a D-H Commit again after no D-H Key, after a D-H Key with no Reveal Signature, after a Reveal Signature with no Signature")
    func restartsNameWhatWasLost() throws {
        let a = Self.alice, b = Self.bob
        let explanations = Self.explain([
            try Self.commit(a, Self.none, seed: 1),   // 1: its D-H Key is lost
            try Self.commit(a, Self.none, seed: 2),   // 2
            try Self.dhKey(b, a, gy: 5),              // 3: the Reveal Signature is lost
            try Self.commit(a, Self.none, seed: 3),   // 4
            try Self.dhKey(b, a, gy: 5),              // 5: bob's D-H Key again
            try Self.reveal(a, b),                    // 6: the Signature is lost
            try Self.commit(a, b, seed: 4),           // 7
            try Self.dhKey(b, a, gy: 6),
            try Self.reveal(a, b),
            try Self.signature(b, a),
            try Self.commit(a, b, seed: 5),           // 11: a new AKE after one that ended
        ])
        #expect(explanations[0].isEmpty)
        #expect(explanations[1] == ["a new D-H Commit from 00000100: its D-H Commit of line 1 got no D-H Key in the capture, which was lost (or never sent), and 00000100 began the AKE again"])
        #expect(explanations[2].isEmpty)
        #expect(explanations[3].first?.hasPrefix("a new D-H Commit from 00000100: the AKE it began at line 2 got its D-H Key at line 3, and no Reveal Signature") == true,
                "\(explanations[3])")
        #expect(explanations[4].first?.hasPrefix("the D-H Key of line 3 again: 00000200 answers a new D-H Commit") == true, "\(explanations[4])")
        #expect(explanations[6].first?.hasPrefix("a new D-H Commit from 00000100: its Reveal Signature of line 6 got no Signature message") == true,
                "\(explanations[6])")
        #expect(explanations[7...].allSatisfy { $0.isEmpty }, "\(explanations[7...])")
    }

    @Test("crossing D-H Commits (the spec's AUTHSTATE_AWAITING_DHKEY rule) and a D-H Commit sent again unchanged are named by nothing")
    func crossingAndRepeatedCommits() throws {
        let a = Self.alice, b = Self.bob
        let explanations = Self.explain([
            try Self.commit(a, Self.none, seed: 1),
            try Self.commit(b, Self.none, seed: 2),
            try Self.dhKey(b, a, gy: 5),              // bob gives up his own D-H Commit
            try Self.commit(a, Self.none, seed: 1),   // alice sends hers again
            try Self.reveal(a, b),
            try Self.signature(b, a),
            try Self.commit(b, a, seed: 3),           // a later AKE of bob's: his first was not lost
            try Self.dhKey(a, b, gy: 7),
        ])
        #expect(explanations.allSatisfy { $0.isEmpty }, "\(explanations)")
    }

    @Test("version 2 names no sender: a second D-H Commit may be the other party's, and only a lost Reveal Signature is named")
    func versionTwo() throws {
        let explanations = Self.explain([
            try Self.commit(nil, nil, seed: 1),
            try Self.commit(nil, nil, seed: 2),       // crossing, or a restart: not named
            try Self.dhKey(nil, nil, gy: 5),
            try Self.commit(nil, nil, seed: 3),       // after a D-H Key: its Reveal Signature is lost
        ])
        #expect(explanations[0...2].allSatisfy { $0.isEmpty }, "\(explanations)")
        #expect(explanations[3].first?.hasPrefix("a new D-H Commit from the initiator: the AKE it began at line 2 got its D-H Key at line 3") == true,
                "\(explanations[3])")
    }

    @Test("a Data message during a stalled AKE says which message the AKE was waiting for")
    func dataDuringAStalledAKE() throws {
        let a = Self.alice, b = Self.bob
        let data = DataMessage(header: Self.header(.data, b, a), senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(UInt(5)),
                               counter: [0, 0, 0, 0, 0, 0, 0, 1], encryptedMessage: [1], mac: [UInt8](repeating: 0, count: 20))
        let explanations = Self.explain([
            try Self.commit(a, Self.none, seed: 1),
            try Self.dhKey(b, a, gy: 5),
            try Self.reveal(a, b),
            Array(try EncodedMessage.data(data).armoured().utf8),
        ])
        #expect(explanations[3].first?.contains("the last AKE message was the Reveal Signature at line 3, and the Signature message answering it is not in the capture") == true,
                "\(explanations[3])")
    }
}
