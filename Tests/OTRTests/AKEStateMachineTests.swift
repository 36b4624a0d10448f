import Testing
@testable import OTR

/// The AKE state machine (spec "Authenticated Key Exchange", "The protocol
/// state machine"), driven between two machines. As in the spec, Bob starts
/// (D-H Commit, Reveal Signature) and Alice answers (D-H Key, Signature).
/// Every message crosses the wire (armoured, read back) before it is
/// delivered, so each one is also shown to be a valid encoded message.
@Suite("AKE state machine")
struct AKEStateMachineTests {
    // MARK: Fixtures

    /// Seeded long-term keys, generated once (generation is slow).
    static let bobKey = try! DSAPrivateKey.generate(random: DeterministicRandom(seedText: "AKEStateMachineTests bob"))
    static let aliceKey = try! DSAPrivateKey.generate(random: DeterministicRandom(seedText: "AKEStateMachineTests alice"))
    static let malloryKey = try! DSAPrivateKey.generate(random: DeterministicRandom(seedText: "AKEStateMachineTests mallory"))

    static let bobTag = InstanceTag(0xB0B0_0101)
    static let aliceTag = InstanceTag(0xA11C_E202)

    static func bob(seed: String = "bob", versions: Set<UInt16> = [2, 3], keyID: UInt32 = 1,
                    theirInstance: InstanceTag? = nil) throws -> AKEStateMachine {
        try AKEStateMachine(longTermKey: bobKey, random: DeterministicRandom(seedText: seed), ourInstance: bobTag,
                            theirInstance: theirInstance, allowedVersions: versions, keyID: keyID)
    }

    static func alice(seed: String = "alice", versions: Set<UInt16> = [2, 3], keyID: UInt32 = 1,
                      theirInstance: InstanceTag? = nil) throws -> AKEStateMachine {
        try AKEStateMachine(longTermKey: aliceKey, random: DeterministicRandom(seedText: seed), ourInstance: aliceTag,
                            theirInstance: theirInstance, allowedVersions: versions, keyID: keyID)
    }

    // MARK: Wire helpers

    /// The message as the other side reads it: armoured, then unarmoured and
    /// parsed. It must come back equal and break no rule of the spec.
    static func wire(_ message: EncodedMessage, sourceLocation: SourceLocation = #_sourceLocation) throws -> EncodedMessage {
        let text = try message.armoured()
        let read = try EncodedMessage.read(armoured: Array(text.utf8))
        #expect(read == message, sourceLocation: sourceLocation)
        #expect(read.violations.isEmpty, "\(read.violations)", sourceLocation: sourceLocation)
        #expect(try read.serialize() == message.serialize(), sourceLocation: sourceLocation)
        return read
    }

    /// The one message of a step that was not ignored, after the wire.
    static func only(_ output: AKEOutput, sourceLocation: SourceLocation = #_sourceLocation) throws -> EncodedMessage {
        #expect(output.ignoredBecause == nil, "\(output.ignoredBecause ?? "")", sourceLocation: sourceLocation)
        try #require(output.messages.count == 1, "\(output.messages.map(\.name))", sourceLocation: sourceLocation)
        return try wire(output.messages[0], sourceLocation: sourceLocation)
    }

    /// The same message with its version 3 header naming `sender` and
    /// `receiver` (version 2 headers have no instance tags).
    static func addressed(_ message: EncodedMessage, from sender: InstanceTag, to receiver: InstanceTag) -> EncodedMessage {
        func readdress(_ header: inout MessageHeader) {
            guard MessageHeader.hasInstanceTags(version: header.version) else { return }
            header.senderInstance = sender
            header.receiverInstance = receiver
        }
        switch message {
        case .dhCommit(var m): readdress(&m.header); return .dhCommit(m)
        case .dhKey(var m): readdress(&m.header); return .dhKey(m)
        case .revealSignature(var m): readdress(&m.header); return .revealSignature(m)
        case .signature(var m): readdress(&m.header); return .signature(m)
        default: return message
        }
    }

    static func toBob(_ message: EncodedMessage) -> EncodedMessage { addressed(message, from: aliceTag, to: bobTag) }
    static func toAlice(_ message: EncodedMessage) -> EncodedMessage { addressed(message, from: bobTag, to: aliceTag) }

    static func commit(_ m: EncodedMessage) throws -> DHCommitMessage {
        guard case .dhCommit(let c) = m else { throw OTRError.malformed("test", "expected a D-H Commit, got \(m.name)") }
        return c
    }

    static func dhKey(_ m: EncodedMessage) throws -> DHKeyMessage {
        guard case .dhKey(let k) = m else { throw OTRError.malformed("test", "expected a D-H Key, got \(m.name)") }
        return k
    }

    static func reveal(_ m: EncodedMessage) throws -> RevealSignatureMessage {
        guard case .revealSignature(let r) = m else { throw OTRError.malformed("test", "expected a Reveal Signature, got \(m.name)") }
        return r
    }

    static func signature(_ m: EncodedMessage) throws -> SignatureMessage {
        guard case .signature(let s) = m else { throw OTRError.malformed("test", "expected a Signature, got \(m.name)") }
        return s
    }

    /// Flips the low bit of the byte at `index` (negative counts from the end).
    static func flipped(_ bytes: [UInt8], at index: Int) -> [UInt8] {
        var copy = bytes
        let i = index < 0 ? copy.count + index : index
        copy[i] ^= 0x01
        return copy
    }

    // MARK: Spec encodings, written out here rather than taken from the library

    /// MPI: 4-byte big-endian length, then the minimal big-endian bytes.
    static func mpi(_ value: MPI) -> [UInt8] { int(UInt32(value.bytes.count)) + value.bytes }
    static func int(_ value: UInt32) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) } }
    /// DATA: 4-byte big-endian length, then the bytes.
    static func data(_ bytes: [UInt8]) -> [UInt8] { int(UInt32(bytes.count)) + bytes }
    /// PUBKEY: type 0x0000, then p, q, g, y.
    static func pubkey(_ key: DSAPublicKey) -> [UInt8] { [0, 0] + mpi(key.p) + mpi(key.q) + mpi(key.g) + mpi(key.y) }
    static let zeroCounter = [UInt8](repeating: 0, count: 8)

    // MARK: A complete exchange

    /// One AKE, with copies of each machine just before it received each
    /// message (the copies share the machine's random source).
    struct Transcript {
        var commit: EncodedMessage
        var dhKey: EncodedMessage
        var revealSignature: EncodedMessage
        var signature: EncodedMessage
        var bobResult: AKEResult
        var aliceResult: AKEResult
        var aliceBeforeCommit: AKEStateMachine
        var bobAwaitingDHKey: AKEStateMachine
        var aliceAwaitingRevealSignature: AKEStateMachine
        var bobAwaitingSignature: AKEStateMachine
        var bobAfter: AKEStateMachine
        var aliceAfter: AKEStateMachine

        var messages: [EncodedMessage] { [commit, dhKey, revealSignature, signature] }
    }

    static func run(version: UInt16, bobSeed: String = "bob", aliceSeed: String = "alice",
                    bobKeyID: UInt32 = 1, aliceKeyID: UInt32 = 1,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Transcript {
        var bob = try Self.bob(seed: bobSeed, keyID: bobKeyID)
        var alice = try Self.alice(seed: aliceSeed, keyID: aliceKeyID)
        let aliceBeforeCommit = alice

        let commit = try only(try bob.start(version: version), sourceLocation: sourceLocation)
        #expect(bob.state == .awaitingDHKey && bob.version == version, sourceLocation: sourceLocation)
        let bobAwaitingDHKey = bob

        let dhKey = try only(try alice.receive(commit), sourceLocation: sourceLocation)
        #expect(alice.state == .awaitingRevealSignature && alice.version == version, sourceLocation: sourceLocation)
        let aliceAwaitingRevealSignature = alice

        let reveal = try only(try bob.receive(dhKey), sourceLocation: sourceLocation)
        #expect(bob.state == .awaitingSignature && bob.version == version, sourceLocation: sourceLocation)
        let bobAwaitingSignature = bob

        let aliceStep = try alice.receive(reveal)
        let signature = try only(aliceStep, sourceLocation: sourceLocation)
        let aliceResult = try #require(aliceStep.result, sourceLocation: sourceLocation)
        #expect(alice.state == .none && alice.version == nil, sourceLocation: sourceLocation)

        let bobStep = try bob.receive(signature)
        #expect(bobStep.messages.isEmpty && bobStep.ignoredBecause == nil, sourceLocation: sourceLocation)
        let bobResult = try #require(bobStep.result, sourceLocation: sourceLocation)
        #expect(bob.state == .none && bob.version == nil, sourceLocation: sourceLocation)

        return Transcript(commit: commit, dhKey: dhKey, revealSignature: reveal, signature: signature,
                          bobResult: bobResult, aliceResult: aliceResult, aliceBeforeCommit: aliceBeforeCommit,
                          bobAwaitingDHKey: bobAwaitingDHKey, aliceAwaitingRevealSignature: aliceAwaitingRevealSignature,
                          bobAwaitingSignature: bobAwaitingSignature, bobAfter: bob, aliceAfter: alice)
    }

    /// Spec "Computing AKE keys": s = g^xy, secbytes = MPI(s),
    /// ssid = the first 64 bits of SHA-256(0x00 || secbytes).
    static func expectedSSID(ours: DHKeyPair, theirs: MPI) -> [UInt8] {
        let s = theirs.power(ours.privateKey, modulo: DHGroup.modulus)
        return Array(HashFunction.sha256.digest([0x00] + mpi(s)).prefix(8))
    }

    // MARK: Complete exchanges

    @Test("A full AKE gives both sides the same session and each the other's identity", arguments: [UInt16(3), 2])
    func fullAKE(version: UInt16) throws {
        let t = try Self.run(version: version, bobKeyID: 3, aliceKeyID: 5)
        let bob = t.bobResult, alice = t.aliceResult

        #expect(bob.version == version && alice.version == version)
        #expect(bob.role == .bob && alice.role == .alice)
        // Spec: the Reveal Signature sender shows the first half in bold.
        #expect(bob.ssidBoldHalf == 0 && alice.ssidBoldHalf == 1)

        #expect(bob.ssid.count == 8)
        #expect(bob.ssid == alice.ssid)
        #expect(bob.ssid == Self.expectedSSID(ours: bob.ourDHKeyPair, theirs: bob.theirDHPublicKey))
        #expect(alice.ssid == Self.expectedSSID(ours: alice.ourDHKeyPair, theirs: alice.theirDHPublicKey))
        #expect(bob.keys.c == alice.keys.c && bob.keys.cPrime == alice.keys.cPrime)
        #expect(bob.keys.m1 == alice.keys.m1 && bob.keys.m2 == alice.keys.m2)
        #expect(bob.keys.m1Prime == alice.keys.m1Prime && bob.keys.m2Prime == alice.keys.m2Prime)
        #expect(bob.keys.c != bob.keys.cPrime)

        // Each learns the other's long-term key, fingerprint, D-H value and keyid.
        #expect(bob.theirPublicKey == Self.aliceKey.publicKey)
        #expect(alice.theirPublicKey == Self.bobKey.publicKey)
        // Spec: the fingerprint is SHA-1 of the public key without its type.
        let aliceFingerprint = HashFunction.sha1.digest(Array(Self.pubkey(Self.aliceKey.publicKey).dropFirst(2)))
        #expect(bob.theirFingerprint.bytes == aliceFingerprint)
        #expect(alice.theirFingerprint == Self.bobKey.publicKey.fingerprint)
        #expect(bob.theirFingerprint != alice.theirFingerprint)
        #expect(bob.theirDHPublicKey == alice.ourDHKeyPair.publicKey)
        #expect(alice.theirDHPublicKey == bob.ourDHKeyPair.publicKey)
        #expect(bob.ourKeyID == 3 && alice.ourKeyID == 5)
        #expect(bob.theirKeyID == 5 && alice.theirKeyID == 3)
        #expect(DHGroup.isValidPublicValue(bob.theirDHPublicKey) && DHGroup.isValidPublicValue(alice.theirDHPublicKey))

        // Every message carries the AKE's version; instance tags in version 3 only.
        for message in t.messages {
            let header = try #require(message.header)
            let bytes = try message.serialize()
            #expect(header.version == version)
            #expect(Array(bytes.prefix(2)) == [0, UInt8(version)])
            if version == 3 {
                #expect(header.senderInstance != nil && header.receiverInstance != nil)
            } else {
                #expect(header.senderInstance == nil && header.receiverInstance == nil)
            }
        }
        #expect(try t.commit.serialize()[2] == MessageType.dhCommit.rawValue)
        #expect(try t.dhKey.serialize()[2] == MessageType.dhKey.rawValue)
        #expect(try t.revealSignature.serialize()[2] == MessageType.revealSignature.rawValue)
        #expect(try t.signature.serialize()[2] == MessageType.signature.rawValue)

        if version == 3 {
            #expect(bob.ourInstance == Self.bobTag && bob.theirInstance == Self.aliceTag)
            #expect(alice.ourInstance == Self.aliceTag && alice.theirInstance == Self.bobTag)
            // The D-H Commit goes to an instance not known yet; the rest are addressed.
            #expect(t.commit.header?.senderInstance == Self.bobTag && t.commit.header?.receiverInstance == .zero)
            #expect(t.dhKey.header?.senderInstance == Self.aliceTag && t.dhKey.header?.receiverInstance == Self.bobTag)
            #expect(t.revealSignature.header?.senderInstance == Self.bobTag
                    && t.revealSignature.header?.receiverInstance == Self.aliceTag)
            #expect(t.signature.header?.senderInstance == Self.aliceTag && t.signature.header?.receiverInstance == Self.bobTag)
            #expect(try t.commit.serialize()[3..<11] == [0xB0, 0xB0, 0x01, 0x01, 0, 0, 0, 0])
        } else {
            #expect(bob.ourInstance == nil && bob.theirInstance == nil)
            #expect(alice.ourInstance == nil && alice.theirInstance == nil)
        }
    }

    @Test("The D-H Commit commits to g^x: the revealed r decrypts it and its SHA-256 matches")
    func commitmentOpensWithTheRevealedKey() throws {
        let t = try Self.run(version: 3)
        let commit = try Self.commit(t.commit)
        let reveal = try Self.reveal(t.revealSignature)
        #expect(reveal.revealedKey.count == 16)
        #expect(commit.hashedGx.count == 32)
        let gxmpi = try AESCounterMode.apply(key: reveal.revealedKey, counterTopHalf: Self.zeroCounter, commit.encryptedGx).octets
        #expect(gxmpi == Self.mpi(t.bobResult.ourDHKeyPair.publicKey))
        #expect(HashFunction.sha256.digest(gxmpi) == commit.hashedGx)
        // The D-H Key carries g^y in the clear.
        #expect(try Self.dhKey(t.dhKey).gy == t.aliceResult.ourDHKeyPair.publicKey)
        // Spec: x and y are at least 320 bits.
        #expect(t.bobResult.ourDHKeyPair.privateKey.bitWidth > 300)
        #expect(t.aliceResult.ourDHKeyPair.privateKey.bitWidth > 300)
    }

    @Test("A Reveal Signature built from the spec's definitions is accepted")
    func revealSignatureBuiltFromTheSpecIsAccepted() throws {
        let t = try Self.run(version: 3)
        var alice = t.aliceAwaitingRevealSignature
        let keys = t.aliceResult.keys
        let gx = t.bobResult.ourDHKeyPair.publicKey, gy = t.aliceResult.ourDHKeyPair.publicKey
        // M_B = HMAC-SHA256(m1, g^x || g^y || pub_B || keyid_B); X_B = pub_B || keyid_B || sig(M_B).
        let keyID: UInt32 = 42
        let mB = HMAC.sha256(key: keys.m1, Self.mpi(gx) + Self.mpi(gy) + Self.pubkey(Self.bobKey.publicKey) + Self.int(keyID))
        let sig = try Self.bobKey.sign(mB, random: DeterministicRandom(seedText: "k")).encoded(halfLength: 20)
        let xB = Self.pubkey(Self.bobKey.publicKey) + Self.int(keyID) + sig
        let encrypted = try AESCounterMode.apply(key: keys.c, counterTopHalf: Self.zeroCounter, xB).octets
        var message = try Self.reveal(t.revealSignature)
        message.encryptedSignature = encrypted
        message.mac = HMAC.sha256_160(key: keys.m2, Self.data(encrypted))

        let step = try alice.receive(try Self.wire(.revealSignature(message)))
        let result = try #require(step.result)
        #expect(result.theirKeyID == keyID)
        #expect(result.theirPublicKey == Self.bobKey.publicKey)
        #expect(result.ssid == t.aliceResult.ssid)
        #expect(step.messages.count == 1)
    }

    // MARK: Retransmissions and crossing messages

    @Test("Crossing D-H Commits: the higher hashed g^x is kept, the other side answers, and the AKE completes")
    func crossingCommits() throws {
        var one = try Self.bob(seed: "crossing one")
        var two = try Self.alice(seed: "crossing two")
        let commitOne = try Self.only(try one.start(version: 3))
        let commitTwo = try Self.only(try two.start(version: 3))
        let hashOne = try Self.commit(commitOne).hashedGx, hashTwo = try Self.commit(commitTwo).hashedGx
        #expect(hashOne != hashTwo)

        let stepOne = try one.receive(commitTwo)
        let stepTwo = try two.receive(commitOne)
        // Exactly one side keeps its commitment: the one whose hash, as a
        // 32-byte big-endian number, is higher.
        let oneIsHigher = hashTwo.lexicographicallyPrecedes(hashOne)
        let kept = [stepOne, stepTwo].filter { $0.ignoredBecause != nil }
        #expect(kept.count == 1)
        let (higherStep, lowerStep) = oneIsHigher ? (stepOne, stepTwo) : (stepTwo, stepOne)
        #expect(higherStep.ignoredBecause != nil)
        #expect(higherStep.messages == [oneIsHigher ? commitOne : commitTwo])
        #expect(lowerStep.ignoredBecause == nil)
        #expect(lowerStep.messages.count == 1)
        #expect(one.state == (oneIsHigher ? .awaitingDHKey : .awaitingRevealSignature))
        #expect(two.state == (oneIsHigher ? .awaitingRevealSignature : .awaitingDHKey))

        // Deliver everything: the resent commit gets the same D-H Key again.
        var higher = oneIsHigher ? one : two
        var lower = oneIsHigher ? two : one
        let resentCommit = try Self.wire(higherStep.messages[0])
        let dhKey = try Self.only(lowerStep)
        let dhKeyAgain = try Self.only(try lower.receive(resentCommit))
        #expect(dhKeyAgain == dhKey)
        #expect(lower.state == .awaitingRevealSignature)

        let reveal = try Self.only(try higher.receive(dhKey))
        #expect(try Self.only(try higher.receive(dhKeyAgain)) == reveal)
        let lowerStep2 = try lower.receive(reveal)
        let signature = try Self.only(lowerStep2)
        let lowerResult = try #require(lowerStep2.result)
        let higherResult = try #require(try higher.receive(signature).result)
        #expect(higherResult.role == .bob && lowerResult.role == .alice)
        #expect(higherResult.ssid == lowerResult.ssid)
        #expect(higherResult.theirPublicKey == (oneIsHigher ? Self.aliceKey : Self.bobKey).publicKey)
        #expect(lowerResult.theirPublicKey == (oneIsHigher ? Self.bobKey : Self.aliceKey).publicKey)
        // The Reveal Signature arriving again finds the AKE over.
        #expect(try lower.receive(reveal).ignoredBecause != nil)
    }

    @Test("A repeated D-H Commit in AWAITING_REVEALSIG gets the same D-H Key, and a new commitment replaces the old")
    func repeatedCommitGetsTheSameDHKey() throws {
        let t = try Self.run(version: 3)
        var alice = t.aliceAwaitingRevealSignature
        #expect(try Self.only(try alice.receive(t.commit)) == t.dhKey)
        #expect(try Self.only(try alice.receive(t.commit)) == t.dhKey)
        #expect(alice.state == .awaitingRevealSignature)

        // Bob starts again: the same D-H Key answers the new commitment,
        // and the AKE completes against the new one.
        var bob = try Self.bob(seed: "bob restarted")
        let newCommit = try Self.only(try bob.start(version: 3))
        #expect(newCommit != t.commit)
        let dhKey = try Self.only(try alice.receive(newCommit))
        #expect(dhKey == t.dhKey)
        let reveal = try Self.only(try bob.receive(dhKey))
        let aliceStep = try alice.receive(reveal)
        let aliceResult = try #require(aliceStep.result)
        let bobResult = try #require(try bob.receive(try Self.only(aliceStep)).result)
        #expect(aliceResult.ssid == bobResult.ssid)
        #expect(aliceResult.ssid != t.aliceResult.ssid)
        #expect(aliceResult.theirDHPublicKey == bobResult.ourDHKeyPair.publicKey)

        // The Reveal Signature of the first commitment does not open the second.
        var stale = t.aliceAwaitingRevealSignature
        _ = try stale.receive(newCommit)
        let error = #expect(throws: OTRError.self) { _ = try stale.receive(t.revealSignature) }
        #expect(error?.code == .checkFailed)
    }

    @Test("A D-H Commit in AWAITING_SIG is answered with a new D-H Key")
    func commitInAwaitingSignatureGetsANewDHKey() throws {
        let t = try Self.run(version: 3)
        var bob = t.bobAwaitingSignature
        var alice = try Self.alice(seed: "alice starts over")
        let commit = try Self.only(try alice.start(version: 3))
        let dhKey = try Self.dhKey(try Self.only(try bob.receive(commit)))
        #expect(bob.state == .awaitingRevealSignature)
        #expect(dhKey.gy != t.bobResult.ourDHKeyPair.publicKey)
        #expect(dhKey.header.receiverInstance == Self.aliceTag)
    }

    @Test("A repeated D-H Key in AWAITING_SIG gets the same Reveal Signature; a different one is ignored")
    func repeatedDHKeyInAwaitingSignature() throws {
        let t = try Self.run(version: 3)
        var bob = t.bobAwaitingSignature
        #expect(try Self.only(try bob.receive(t.dhKey)) == t.revealSignature)
        #expect(try Self.only(try bob.receive(t.dhKey)) == t.revealSignature)
        #expect(bob.state == .awaitingSignature)

        // Another valid g^y from the same instance.
        var other = try Self.dhKey(t.dhKey)
        other.gy = DHKeyPair(random: DeterministicRandom(seedText: "another y")).publicKey
        let step = try bob.receive(try Self.wire(.dhKey(other)))
        #expect(step.messages.isEmpty && step.result == nil)
        #expect(step.ignoredBecause != nil)
        #expect(bob.state == .awaitingSignature)

        // The AKE still completes with the original Signature.
        #expect(try bob.receive(t.signature).result?.ssid == t.bobResult.ssid)
    }

    @Test("A version 2 D-H Key does not answer a version 3 D-H Commit")
    func dhKeyOfAnotherVersionIsIgnored() throws {
        let t3 = try Self.run(version: 3)
        let t2 = try Self.run(version: 2)
        var bob = t3.bobAwaitingDHKey
        let step = try bob.receive(t2.dhKey)
        #expect(step.messages.isEmpty && step.result == nil)
        #expect(step.ignoredBecause?.contains("version") == true)
        #expect(bob.state == .awaitingDHKey)
    }

    // MARK: Messages for another state

    @Test("Messages not expected in the current state are ignored with a reason and change nothing",
          arguments: [UInt16(3), 2])
    func messagesInTheWrongStateAreIgnored(version: UInt16) throws {
        let t = try Self.run(version: version)
        let freshBob = try Self.bob(seed: "fresh bob"), freshAlice = try Self.alice(seed: "fresh alice")
        let cases: [(name: String, machine: AKEStateMachine, message: EncodedMessage)] = [
            ("D-H Key in NONE", freshBob, t.dhKey),
            ("Reveal Signature in NONE", freshAlice, t.revealSignature),
            ("Signature in NONE", freshBob, t.signature),
            ("Reveal Signature in AWAITING_DHKEY", t.bobAwaitingDHKey, Self.toBob(t.revealSignature)),
            ("Signature in AWAITING_DHKEY", t.bobAwaitingDHKey, t.signature),
            ("D-H Key in AWAITING_REVEALSIG", t.aliceAwaitingRevealSignature, Self.toAlice(t.dhKey)),
            ("Signature in AWAITING_REVEALSIG", t.aliceAwaitingRevealSignature, Self.toAlice(t.signature)),
            ("Reveal Signature in AWAITING_SIG", t.bobAwaitingSignature, Self.toBob(t.revealSignature)),
            ("D-H Key after the AKE", t.bobAfter, t.dhKey),
            ("Signature after the AKE", t.bobAfter, t.signature),
            ("Reveal Signature after the AKE", t.aliceAfter, t.revealSignature),
        ]
        for c in cases {
            var machine = c.machine
            let before = machine.state, beforeVersion = machine.version
            let step = try machine.receive(try Self.wire(c.message))
            #expect(step.messages.isEmpty, "\(c.name)")
            #expect(step.result == nil, "\(c.name)")
            // The reason names the state, so it is the state and not the
            // address that made the machine ignore it.
            let reason = try #require(step.ignoredBecause, "\(c.name)")
            #expect(reason.contains(before.specName), "\(c.name): \(reason)")
            #expect(machine.state == before && machine.version == beforeVersion, "\(c.name)")
        }

        // Messages that are not part of the AKE, in any state.
        for var machine in [freshBob, t.bobAwaitingDHKey, t.aliceAwaitingRevealSignature, t.bobAwaitingSignature] {
            let before = machine.state
            for message in [EncodedMessage.version1(type: 0x0a, body: [1, 2, 3]),
                            .unknownVersion(version: 4, type: 0x35, body: [])] {
                let step = try machine.receive(message)
                #expect(step.messages.isEmpty && step.result == nil && step.ignoredBecause != nil)
                #expect(machine.state == before)
            }
        }
    }

    // MARK: Failed checks

    enum RevealTamper: String, CaseIterable, CustomTestStringConvertible {
        case macFirstByte, macLastByte, encryptedSignatureFirstByte, encryptedSignatureLastByte
        case revealedKeyFirstByte, revealedKeyLastByte, revealedKeyTooShort, revealedKeyTooLong
        var testDescription: String { rawValue }

        func apply(_ m: inout RevealSignatureMessage) {
            switch self {
            case .macFirstByte: m.mac = AKEStateMachineTests.flipped(m.mac, at: 0)
            case .macLastByte: m.mac = AKEStateMachineTests.flipped(m.mac, at: -1)
            case .encryptedSignatureFirstByte: m.encryptedSignature = AKEStateMachineTests.flipped(m.encryptedSignature, at: 0)
            case .encryptedSignatureLastByte: m.encryptedSignature = AKEStateMachineTests.flipped(m.encryptedSignature, at: -1)
            case .revealedKeyFirstByte: m.revealedKey = AKEStateMachineTests.flipped(m.revealedKey, at: 0)
            case .revealedKeyLastByte: m.revealedKey = AKEStateMachineTests.flipped(m.revealedKey, at: -1)
            case .revealedKeyTooShort: m.revealedKey.removeLast()
            case .revealedKeyTooLong: m.revealedKey.append(0)
            }
        }

        /// The check that catches the change.
        var failedField: String {
            switch self {
            case .macFirstByte, .macLastByte, .encryptedSignatureFirstByte, .encryptedSignatureLastByte: "MAC"
            case .revealedKeyFirstByte, .revealedKeyLastByte: "D-H Commit"
            case .revealedKeyTooShort, .revealedKeyTooLong: "revealed key"
            }
        }
    }

    @Test("A tampered Reveal Signature throws checkFailed and ends the AKE", arguments: RevealTamper.allCases)
    func tamperedRevealSignature(tamper: RevealTamper) throws {
        let t = try Self.run(version: 3)
        var alice = t.aliceAwaitingRevealSignature
        var message = try Self.reveal(t.revealSignature)
        tamper.apply(&message)
        let tampered = try EncodedMessage.read(try EncodedMessage.revealSignature(message).serialize())
        let error = #expect(throws: OTRError.self) { _ = try alice.receive(tampered) }
        #expect(error?.code == .checkFailed)
        #expect(error?.field?.contains(tamper.failedField) == true, "\(String(describing: error))")
        #expect(alice.state == .none && alice.version == nil)
        // The AKE is over: the genuine message now finds AUTHSTATE_NONE.
        let step = try alice.receive(t.revealSignature)
        #expect(step.result == nil && step.messages.isEmpty && step.ignoredBecause != nil)
    }

    @Test("A D-H Commit whose hashed g^x does not match the revealed g^x fails at the Reveal Signature")
    func commitmentHashIsChecked() throws {
        let t = try Self.run(version: 3)
        // Alice replayed from her seed answers with the run's g^y, so Bob's
        // Reveal Signature is valid for her in everything but the commitment.
        var control = try Self.alice()
        #expect(try Self.only(try control.receive(t.commit)) == t.dhKey)
        #expect(try control.receive(t.revealSignature).result?.ssid == t.aliceResult.ssid)

        var commit = try Self.commit(t.commit)
        commit.hashedGx = Self.flipped(commit.hashedGx, at: 31)
        var alice = try Self.alice()
        #expect(try Self.only(try alice.receive(try Self.wire(.dhCommit(commit)))) == t.dhKey)
        let error = #expect(throws: OTRError.self) { _ = try alice.receive(t.revealSignature) }
        #expect(error?.code == .checkFailed)
        #expect(error?.field?.hasPrefix("D-H Commit") == true, "\(String(describing: error))")
        #expect(alice.state == .none)
    }

    /// A Reveal Signature whose MAC verifies under the real keys but whose
    /// signed part `xB` is wrong.
    static func revealSignature(_ t: Transcript, sealing xB: [UInt8]) throws -> EncodedMessage {
        let keys = t.aliceResult.keys
        var message = try reveal(t.revealSignature)
        message.encryptedSignature = try AESCounterMode.apply(key: keys.c, counterTopHalf: zeroCounter, xB).octets
        message.mac = HMAC.sha256_160(key: keys.m2, data(message.encryptedSignature))
        return .revealSignature(message)
    }

    /// X_B signed by `signer`, claiming `claimed` as the public key.
    static func signedPart(macKey: SecureBytes, first: MPI, second: MPI, claimed: DSAPublicKey,
                           signer: DSAPrivateKey, keyID: UInt32) throws -> [UInt8] {
        let m = HMAC.sha256(key: macKey, mpi(first) + mpi(second) + pubkey(claimed) + int(keyID))
        let sig = try signer.sign(m, random: DeterministicRandom(seedText: "forger"))
        return pubkey(claimed) + int(keyID) + (try sig.encoded(halfLength: 20))
    }

    @Test("A Reveal Signature with a valid MAC but a bad signed part throws checkFailed")
    func revealSignatureWithAValidMACButABadSignedPart() throws {
        let t = try Self.run(version: 3)
        let keys = t.aliceResult.keys
        let gx = t.bobResult.ourDHKeyPair.publicKey, gy = t.aliceResult.ourDHKeyPair.publicKey
        let cases: [(name: String, xB: [UInt8], field: String)] = [
            ("Mallory signs, claiming Bob's key",
             try Self.signedPart(macKey: keys.m1, first: gx, second: gy, claimed: Self.bobKey.publicKey,
                                 signer: Self.malloryKey, keyID: 1), "signature"),
            ("Bob signs with the keys in the wrong order",
             try Self.signedPart(macKey: keys.m1, first: gy, second: gx, claimed: Self.bobKey.publicKey,
                                 signer: Self.bobKey, keyID: 1), "signature"),
            ("Bob signs under m1' instead of m1",
             try Self.signedPart(macKey: keys.m1Prime, first: gx, second: gy, claimed: Self.bobKey.publicKey,
                                 signer: Self.bobKey, keyID: 1), "signature"),
            ("Bob signs keyid 0",
             try Self.signedPart(macKey: keys.m1, first: gx, second: gy, claimed: Self.bobKey.publicKey,
                                 signer: Self.bobKey, keyID: 0), "keyid"),
            ("not a signed part", [UInt8](repeating: 0x5a, count: 60), "encrypted signature"),
        ]
        for c in cases {
            var alice = t.aliceAwaitingRevealSignature
            let message = try Self.wire(try Self.revealSignature(t, sealing: c.xB))
            let error = #expect(throws: OTRError.self, "\(c.name)") { _ = try alice.receive(message) }
            #expect(error?.code == .checkFailed, "\(c.name)")
            #expect(error?.field?.hasSuffix(c.field) == true, "\(c.name): \(String(describing: error))")
            #expect(alice.state == .none, "\(c.name)")
        }
    }

    enum SignatureTamper: String, CaseIterable, CustomTestStringConvertible {
        case macFirstByte, macLastByte, encryptedSignatureFirstByte, encryptedSignatureLastByte, encryptedSignatureTruncated
        var testDescription: String { rawValue }

        func apply(_ m: inout SignatureMessage) {
            switch self {
            case .macFirstByte: m.mac = AKEStateMachineTests.flipped(m.mac, at: 0)
            case .macLastByte: m.mac = AKEStateMachineTests.flipped(m.mac, at: -1)
            case .encryptedSignatureFirstByte: m.encryptedSignature = AKEStateMachineTests.flipped(m.encryptedSignature, at: 0)
            case .encryptedSignatureLastByte: m.encryptedSignature = AKEStateMachineTests.flipped(m.encryptedSignature, at: -1)
            case .encryptedSignatureTruncated: m.encryptedSignature.removeLast()
            }
        }
    }

    @Test("A tampered Signature throws checkFailed and ends the AKE", arguments: SignatureTamper.allCases)
    func tamperedSignature(tamper: SignatureTamper) throws {
        let t = try Self.run(version: 3)
        var bob = t.bobAwaitingSignature
        var message = try Self.signature(t.signature)
        tamper.apply(&message)
        let tampered = try Self.wire(.signature(message))
        let error = #expect(throws: OTRError.self) { _ = try bob.receive(tampered) }
        #expect(error?.code == .checkFailed)
        #expect(error?.field?.contains("MAC") == true, "\(String(describing: error))")
        #expect(bob.state == .none && bob.version == nil)
        let step = try bob.receive(t.signature)
        #expect(step.result == nil && step.ignoredBecause != nil)
    }

    @Test("A Signature with a valid MAC but a forged signature throws checkFailed")
    func signatureWithAValidMACButAForgedSignature() throws {
        let t = try Self.run(version: 3)
        let keys = t.bobResult.keys
        let gx = t.bobResult.ourDHKeyPair.publicKey, gy = t.aliceResult.ourDHKeyPair.publicKey
        func sealed(_ xA: [UInt8]) throws -> EncodedMessage {
            var message = try Self.signature(t.signature)
            message.encryptedSignature = try AESCounterMode.apply(key: keys.cPrime, counterTopHalf: Self.zeroCounter, xA).octets
            message.mac = HMAC.sha256_160(key: keys.m2Prime, Self.data(message.encryptedSignature))
            return try Self.wire(.signature(message))
        }
        // Control: the spec's M_A = HMAC(m1', g^y || g^x || pub_A || keyid_A), signed by Alice, is accepted.
        var control = t.bobAwaitingSignature
        let genuine = try Self.signedPart(macKey: keys.m1Prime, first: gy, second: gx, claimed: Self.aliceKey.publicKey,
                                          signer: Self.aliceKey, keyID: 9)
        #expect(try control.receive(try sealed(genuine)).result?.theirKeyID == 9)

        // Mallory's signature under Alice's name.
        var bob = t.bobAwaitingSignature
        let forged = try Self.signedPart(macKey: keys.m1Prime, first: gy, second: gx, claimed: Self.aliceKey.publicKey,
                                         signer: Self.malloryKey, keyID: 1)
        let message = try sealed(forged)
        let error = #expect(throws: OTRError.self) { _ = try bob.receive(message) }
        #expect(error?.code == .checkFailed)
        #expect(error?.field?.hasSuffix("signature") == true, "\(String(describing: error))")
        #expect(bob.state == .none)
    }

    @Test("A D-H Key whose g^y is outside 2..p-2 throws and keeps the state",
          arguments: ["0", "1", "p-1", "p", "p+1"])
    func dhKeyOutOfRange(value: String) throws {
        let p = DHGroup.modulus
        let gy: MPI = switch value {
        case "0": .zero
        case "1": .one
        case "p-1": p - .one
        case "p": p
        default: p + .one
        }
        let t = try Self.run(version: 3)
        // Bob replayed from his seed, so that his next random draws are the run's.
        var bob = try Self.bob()
        #expect(try Self.only(try bob.start(version: 3)) == t.commit)
        var message = try Self.dhKey(t.dhKey)
        message.gy = gy
        let bad = try EncodedMessage.read(try EncodedMessage.dhKey(message).serialize())
        let error = #expect(throws: OTRError.self) { _ = try bob.receive(bad) }
        #expect(error?.code == .outOfRange)
        #expect(bob.state == .awaitingDHKey && bob.version == 3)
        // The genuine D-H Key gets the run's Reveal Signature byte for byte:
        // the bad one changed nothing and drew no randomness.
        #expect(try Self.only(try bob.receive(t.dhKey)) == t.revealSignature)
    }

    // MARK: Admission: instance tags and versions

    @Test("Version 3 messages for another instance, or from an invalid one, are ignored")
    func instanceTagsAreChecked() throws {
        let t = try Self.run(version: 3)
        let someone = InstanceTag(0x0000_0F00)
        let cases: [(name: String, machine: AKEStateMachine, message: EncodedMessage)] = [
            ("commit for another receiver", t.aliceBeforeCommit, Self.addressed(t.commit, from: Self.bobTag, to: someone)),
            ("commit from sender 0", t.aliceBeforeCommit, Self.addressed(t.commit, from: .zero, to: .zero)),
            ("commit from sender 0xff", t.aliceBeforeCommit, Self.addressed(t.commit, from: InstanceTag(0xff), to: .zero)),
            ("D-H Key for another receiver", t.bobAwaitingDHKey, Self.addressed(t.dhKey, from: Self.aliceTag, to: someone)),
            ("D-H Key from sender 0xff", t.bobAwaitingDHKey, Self.addressed(t.dhKey, from: InstanceTag(0xff), to: Self.bobTag)),
            ("D-H Key to receiver 0", t.bobAwaitingDHKey, Self.addressed(t.dhKey, from: Self.aliceTag, to: .zero)),
            ("Reveal Signature for another receiver", t.aliceAwaitingRevealSignature,
             Self.addressed(t.revealSignature, from: Self.bobTag, to: someone)),
            ("Reveal Signature from another sender", t.aliceAwaitingRevealSignature,
             Self.addressed(t.revealSignature, from: someone, to: Self.aliceTag)),
            ("Reveal Signature from sender 1", t.aliceAwaitingRevealSignature,
             Self.addressed(t.revealSignature, from: InstanceTag(1), to: Self.aliceTag)),
            ("Signature from another sender", t.bobAwaitingSignature, Self.addressed(t.signature, from: someone, to: Self.bobTag)),
            ("Signature for another receiver", t.bobAwaitingSignature,
             Self.addressed(t.signature, from: Self.aliceTag, to: someone)),
        ]
        for c in cases {
            var machine = c.machine
            let before = machine.state
            let step = try machine.receive(try EncodedMessage.read(try c.message.serialize()))
            #expect(step.messages.isEmpty && step.result == nil, "\(c.name)")
            #expect(step.ignoredBecause?.contains("instance") == true, "\(c.name): \(step.ignoredBecause ?? "nil")")
            #expect(machine.state == before, "\(c.name)")
        }

        // The correspondent's instance fixed in advance: another's commit is ignored.
        var picky = try Self.alice(seed: "picky", theirInstance: someone)
        let step = try picky.receive(t.commit)
        #expect(step.messages.isEmpty && step.ignoredBecause?.contains("instance") == true)
        #expect(picky.state == .none)
        // ... and its own commit is answered, addressed to it.
        let fromSomeone = Self.addressed(t.commit, from: someone, to: .zero)
        let reply = try Self.dhKey(try Self.only(try picky.receive(fromSomeone)))
        #expect(reply.header.receiverInstance == someone && reply.header.senderInstance == Self.aliceTag)
    }

    @Test("Messages of a version the policy does not allow are ignored")
    func disallowedVersionsAreIgnored() throws {
        let t3 = try Self.run(version: 3)
        let t2 = try Self.run(version: 2)
        var v2Only = try Self.alice(seed: "v2 only", versions: [2])
        var v3Only = try Self.alice(seed: "v3 only", versions: [3])
        for (machine, message) in [(v2Only, t3.commit), (v3Only, t2.commit)] {
            var m = machine
            let step = try m.receive(message)
            #expect(step.messages.isEmpty && step.result == nil)
            #expect(step.ignoredBecause?.contains("version") == true)
            #expect(m.state == .none)
        }
        // The same machines answer the versions they allow.
        #expect(try Self.dhKey(try Self.only(try v2Only.receive(t2.commit))).header.version == 2)
        #expect(try Self.dhKey(try Self.only(try v3Only.receive(t3.commit))).header.version == 3)

        // A later message of a disallowed version is ignored too.
        var bob = try Self.bob(seed: "v3 bob", versions: [3])
        _ = try bob.start(version: 3)
        let step = try bob.receive(t2.dhKey)
        #expect(step.messages.isEmpty && step.ignoredBecause?.contains("version") == true)
        #expect(bob.state == .awaitingDHKey)

        // Starting in a version not allowed is refused.
        var v2Bob = try Self.bob(seed: "v2 bob", versions: [2])
        let error = #expect(throws: OTRError.self) { _ = try v2Bob.start(version: 3) }
        #expect(error?.code == .invalidArgument)
        #expect(v2Bob.state == .none)
        #expect(throws: OTRError.self) { _ = try v2Bob.start(version: 1) }
    }

    @Test("A version 2 only machine needs no instance tag")
    func version2WithoutInstanceTags() throws {
        var bob = try AKEStateMachine(longTermKey: Self.bobKey, random: DeterministicRandom(seedText: "b"), allowedVersions: [2])
        var alice = try AKEStateMachine(longTermKey: Self.aliceKey, random: DeterministicRandom(seedText: "a"), allowedVersions: [2])
        let commit = try Self.only(try bob.start(version: 2))
        let reveal = try Self.only(try bob.receive(try Self.only(try alice.receive(commit))))
        let aliceStep = try alice.receive(reveal)
        let bobResult = try #require(try bob.receive(try Self.only(aliceStep)).result)
        #expect(bobResult.ssid == aliceStep.result?.ssid)
        #expect(bobResult.ourInstance == nil && bobResult.theirInstance == nil)
        // Header (3 bytes, no instance tags), DATA(AES(r, MPI(g^x))), DATA(SHA-256).
        let gxLength = bobResult.ourDHKeyPair.publicKey.byteCount
        #expect(try commit.serialize().count == 3 + (4 + 4 + gxLength) + (4 + 32))
    }

    // MARK: Determinism and arguments

    @Test("The same seeds give byte-identical messages; another seed does not")
    func sameSeedSameBytes() throws {
        let first = try Self.run(version: 3)
        let second = try Self.run(version: 3)
        let firstBytes = try first.messages.map { try $0.serialize() }
        let secondBytes = try second.messages.map { try $0.serialize() }
        #expect(firstBytes == secondBytes)
        #expect(first.bobResult.ssid == second.bobResult.ssid)

        let other = try Self.run(version: 3, bobSeed: "another bob")
        #expect(try other.commit.serialize() != firstBytes[0])
        #expect(try other.dhKey.serialize() == firstBytes[1])  // Alice's seed is the same
        #expect(other.bobResult.ssid != first.bobResult.ssid)
    }

    @Test("init rejects unusable arguments")
    func initRejectsBadArguments() throws {
        let random = DeterministicRandom(seedText: "init")
        func rejected(_ field: String, _ make: () throws -> AKEStateMachine) {
            let error = #expect(throws: OTRError.self, "\(field)") { _ = try make() }
            #expect(error?.code == .invalidArgument, "\(field)")
        }
        rejected("v3 without our instance tag") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, allowedVersions: [3])
        }
        rejected("v2+v3 without our instance tag") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random)
        }
        rejected("v3 with an instance tag below 0x100") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: InstanceTag(0xff))
        }
        rejected("their instance tag below 0x100") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: Self.bobTag, theirInstance: InstanceTag(5))
        }
        rejected("keyid 0") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: Self.bobTag, keyID: 0)
        }
        rejected("version 1") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: Self.bobTag, allowedVersions: [1])
        }
        rejected("no version") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: Self.bobTag, allowedVersions: [])
        }
        rejected("version 4") {
            try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: Self.bobTag, allowedVersions: [3, 4])
        }
        // The accepted combinations.
        let v2 = try AKEStateMachine(longTermKey: Self.bobKey, random: random, allowedVersions: [2])
        #expect(v2.state == .none && v2.version == nil && v2.keyID == 1 && v2.allowedVersions == [2])
        let v3 = try AKEStateMachine(longTermKey: Self.bobKey, random: random, ourInstance: InstanceTag.minimum, keyID: 7)
        #expect(v3.ourInstance == .minimum && v3.keyID == 7 && v3.allowedVersions == [2, 3])
    }

    @Test("Starting again forgets the AKE in progress")
    func startingAgainForgetsTheAKE() throws {
        let t = try Self.run(version: 3)
        var bob = t.bobAwaitingSignature
        let commit = try Self.commit(try Self.only(try bob.start(version: 2)))
        #expect(bob.state == .awaitingDHKey && bob.version == 2)
        #expect(commit.header.version == 2)
        // The Signature of the forgotten AKE is no longer expected.
        let step = try bob.receive(t.signature)
        #expect(step.result == nil && step.ignoredBecause != nil)
        #expect(AuthenticationState.allCases.map(\.specName).contains("AUTHSTATE_AWAITING_SIG"))
    }
}
