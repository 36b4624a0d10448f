import Testing
import OTR

/// The plaintext layout, encryption and MAC of Data messages (Protocol-v3.html
/// "Data Message", "Computing data keys") and the AKE's signature
/// encryption and commitment ("Authenticated Key Exchange"), checked both
/// ways round and against the formulas of the spec recomputed here.
struct DataMessageCryptoTests {
    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    // MARK: Plaintext and TLVs

    @Test func thePlaintextIsTextNulThenTLVsWithNoPadding() throws {
        let p = DataPlaintext(message: Array("hi".utf8), tlvs: [TLV(type: 1), TLV(type: 0, value: [0, 0, 0])])
        // "hi", NUL, then type 1 length 0, then type 0 length 3 and its value.
        #expect(p.encoded == [0x68, 0x69, 0x00, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0])
        #expect(try DataPlaintext.parse(p.encoded) == p)
    }

    @Test func aNulIsWrittenWithoutTLVsUnlessAskedNotTo() throws {
        #expect(DataPlaintext(message: Array("hi".utf8)).encoded == [0x68, 0x69, 0])
        let bare = DataPlaintext(message: Array("hi".utf8), hasNUL: false)
        #expect(bare.encoded == [0x68, 0x69])
        #expect(try DataPlaintext.parse(bare.encoded) == bare)
        // TLVs cannot be written without the NUL that separates them.
        #expect(DataPlaintext(message: [], tlvs: [TLV(type: 1)], hasNUL: false).encoded == [0, 0, 1, 0, 0])
        // Text after the NUL that is no TLV: a NUL and an empty record list.
        #expect(try DataPlaintext.parse([0x41, 0]) == DataPlaintext(message: [0x41], tlvs: [], hasNUL: true))
    }

    @Test func aTLVWhoseLengthOverrunsNamesItsOffset() {
        // "abc" NUL, a complete Disconnected TLV at 4, then type 0 claiming 9 bytes at 8.
        let bytes: [UInt8] = Array("abc".utf8) + [0, 0, 1, 0, 0, 0, 0, 0, 9, 1, 2, 3]
        let error = #expect(throws: OTRError.self) { try DataPlaintext.parse(bytes) }
        #expect(error?.code == .malformed)
        #expect(error?.field == "TLV type 0")
        #expect(error?.offset == 8)
        #expect(error?.reason.contains("length 9") == true)

        let cut = #expect(throws: OTRError.self) { try DataPlaintext.parse(Array("x".utf8) + [0, 0, 1, 0]) }
        #expect(cut?.field == "TLV length")
        #expect(cut?.offset == 4)
        let odd = #expect(throws: OTRError.self) { try DataPlaintext.parse([0, 7]) }
        #expect(odd?.field == "TLV type")
    }

    static let smpCounts: [(TLV.Kind, Int)] = [(.smp1, 6), (.smp2, 11), (.smp3, 8), (.smp4, 3), (.smp1Q, 6)]

    @Test("SMP TLVs carry the spec's number of MPIs", arguments: smpCounts)
    func smpContents(kind: TLV.Kind, count: Int) throws {
        let mpis = (0..<count).map { MPI(UInt(1000 + $0)) }
        let question: [UInt8]? = kind == .smp1Q ? Array("Which colour?".utf8) : nil
        let tlv = TLV.smp(kind, question: question, mpis: mpis)
        #expect(tlv.type == [TLV.Kind.smp1: 2, .smp2: 3, .smp3: 4, .smp4: 5, .smp1Q: 7][kind])
        // Value: (question NUL) INT count, then each MPI as INT length + bytes.
        var expected: [UInt8] = question.map { $0 + [0] } ?? []
        expected += Self.be32(UInt32(count))
        for m in mpis { expected += Self.be32(2) + [UInt8(m.bytes[0]), UInt8(m.bytes[1])] }
        #expect(tlv.value == expected)
        #expect(try tlv.content() == .smp(question: question, mpis: mpis))

        // One MPI fewer is the wrong count for this message.
        let short = TLV.smp(kind, question: question, mpis: Array(mpis.dropLast()))
        let error = #expect(throws: OTRError.self) { try short.content() }
        #expect(error?.reason == "must be \(count), is \(count - 1)")
        // Bytes after the last MPI are refused.
        let padded = TLV(type: tlv.type, value: tlv.value + [0])
        #expect(throws: OTRError.self) { try padded.content() }
    }

    @Test func an1QWithoutTheQuestionsNulIsRefused() {
        let tlv = TLV(type: TLV.Kind.smp1Q.rawValue, value: Array("no terminator".utf8))
        let error = #expect(throws: OTRError.self) { try tlv.content() }
        #expect(error?.field == "SMP Message 1Q question")
    }

    @Test func theExtraSymmetricKeyTLVHoldsAUseAndItsData() throws {
        let tlv = TLV.extraSymmetricKey(use: 0x0001_0002, useData: [9, 8, 7])
        #expect(tlv.type == 8)
        #expect(tlv.encoded == [0, 8, 0, 7, 0, 1, 0, 2, 9, 8, 7])
        #expect(try tlv.content() == .extraSymmetricKey(use: 0x0001_0002, useData: [9, 8, 7]))
        #expect(throws: OTRError.self) { try TLV(type: 8, value: [0, 1]).content() }
        #expect(try TLV(type: 1).content() == TLV.Content.none)
    }

    // MARK: Sealing Data messages

    static func freshMessage(version: UInt16 = 3) -> DataMessage {
        let header = version == 3
            ? MessageHeader(version: 3, type: 0x03, senderInstance: InstanceTag(0x101), receiverInstance: InstanceTag(0x202))
            : MessageHeader(version: 2, type: 0x03)
        return DataMessage(header: header, senderKeyID: 1, recipientKeyID: 2, nextDHKey: DHGroup.generator.power(MPI(12345), modulo: DHGroup.modulus),
                           counter: [0, 0, 0, 0, 0, 0, 0, 1], encryptedMessage: [], mac: [], oldMACKeys: [UInt8](repeating: 0x5a, count: 20))
    }

    @Test("seal, then verify and decrypt", arguments: [UInt16(2), 3])
    func sealRoundTrip(version: UInt16) throws {
        let aes = SystemRandom().bytes(16)
        let plaintext = DataPlaintext(message: Array("attack at dawn".utf8), tlvs: [TLV(type: 1)]).encoded
        var message = Self.freshMessage(version: version)
        try message.seal(plaintext: plaintext, aesKey: aes)
        #expect(message.encryptedMessage.count == plaintext.count)
        #expect(message.encryptedMessage != plaintext)

        // The spec's MAC: SHA1-HMAC under SHA-1(AES key) of the message from
        // the version to the end of the encrypted message, i.e. all but the
        // MAC and the old-MAC-keys DATA at the end.
        let wire = try EncodedMessage.data(message).serialize()
        let macKey = HashFunction.sha1.digest(aes)
        let authenticated = Array(wire[0..<(wire.count - 20 - 4 - 20)])
        #expect(message.mac == HMAC.sha1(key: macKey, authenticated))
        #expect(Array(wire[(wire.count - 44)..<(wire.count - 24)]) == message.mac)

        guard case .data(let read) = try EncodedMessage.read(wire) else {
            Issue.record("not a Data message")
            return
        }
        #expect(try read.verifyMAC(macKey: macKey, original: wire))
        #expect(try read.verifyMAC(macKey: macKey))
        #expect(try read.decrypt(aesKey: aes).octets == plaintext)
        let wrongKey = SystemRandom().bytes(16)
        #expect(try !read.verifyMAC(macKey: HashFunction.sha1.digest(wrongKey), original: wire))
    }

    @Test func everyFlippedBitOfTheAuthenticatedPartFailsTheMAC() throws {
        let aes = SystemRandom().bytes(16)
        let macKey = DataKeys.macKey(forAESKey: aes)
        var message = Self.freshMessage()
        try message.seal(plaintext: Array("hello".utf8) + [0], aesKey: aes)
        let wire = try EncodedMessage.data(message).serialize()
        let range = 0..<(wire.count - 44)
        #expect(try message.authenticatedBytes() == Array(wire[range]))
        // A bit in the ciphertext, the counter, the keyid, the flags, the header.
        let encryptedStart = range.upperBound - 6
        for index in [encryptedStart, encryptedStart + 5, range.upperBound - 14, 12, 11, 4] {
            var tampered = wire
            tampered[index] ^= 0x01
            guard case .data(let t) = try EncodedMessage.read(tampered) else {
                Issue.record("not a Data message")
                continue
            }
            #expect(try !t.verifyMAC(macKey: macKey, original: tampered), "bit flipped at byte \(index)")
        }
        // The old MAC keys come after the MAC: changing them leaves it valid,
        // as the spec intends (they are published for forgeability).
        var revealed = wire
        revealed[revealed.count - 1] ^= 0xff
        guard case .data(let r) = try EncodedMessage.read(revealed) else { return }
        #expect(try r.verifyMAC(macKey: macKey, original: revealed))
    }

    @Test func remacAfterAnEditVerifiesAgain() throws {
        let aes = SystemRandom().bytes(16)
        let macKey = DataKeys.macKey(forAESKey: aes)
        var message = Self.freshMessage()
        try message.seal(plaintext: Array("pay 10".utf8), aesKey: aes)
        // Known-plaintext edit in counter mode: "10" becomes "99".
        let last = message.encryptedMessage.count - 1
        message.encryptedMessage[last - 1] ^= UInt8(ascii: "1") ^ UInt8(ascii: "9")
        message.encryptedMessage[last] ^= UInt8(ascii: "0") ^ UInt8(ascii: "9")
        #expect(try !message.verifyMAC(macKey: macKey))
        try message.remac(macKey: macKey)
        let wire = try EncodedMessage.data(message).serialize()
        guard case .data(let read) = try EncodedMessage.read(wire) else {
            Issue.record("not a Data message")
            return
        }
        #expect(try read.verifyMAC(macKey: macKey, original: wire))
        #expect(try read.decrypt(aesKey: aes).octets == Array("pay 99".utf8))
    }

    // MARK: Key derivation

    @Test func bothEndsDeriveMirroredKeys() throws {
        let alice = DHKeyPair(random: SystemRandom())
        let bob = DHKeyPair(random: SystemRandom())
        let aliceSecret = try SharedSecret(ours: alice, theirs: bob.publicKey)
        let bobSecret = try SharedSecret(ours: bob, theirs: alice.publicKey)
        #expect(aliceSecret.secbytes == bobSecret.secbytes)

        // secbytes is s as a minimal MPI: 4-byte length, then s.
        let s = bob.publicKey.power(alice.privateKey, modulo: DHGroup.modulus)
        #expect(aliceSecret.secbytes.octets == Self.be32(UInt32(s.byteCount)) + s.bytes)

        let a = try DataKeys(ours: alice, theirPublic: bob.publicKey)
        let b = try DataKeys(ours: bob, theirPublic: alice.publicKey)
        #expect(a.isHighEnd != b.isHighEnd)
        #expect(a.isHighEnd == (alice.publicKey > bob.publicKey))
        #expect(a.sendingAESKey == b.receivingAESKey)
        #expect(a.receivingAESKey == b.sendingAESKey)
        #expect(a.sendingMACKey == b.receivingMACKey)
        #expect(a.receivingMACKey == b.sendingMACKey)
        #expect(a.sendingAESKey != a.receivingAESKey)
        #expect(a.extraSymmetricKey == b.extraSymmetricKey)

        // The spec: the high end sends with h1(0x01), the low end with
        // h1(0x02), the first 16 bytes; each MAC key is SHA-1 of its AES key;
        // the extra symmetric key is h2(0xFF).
        let secbytes = aliceSecret.secbytes.octets
        let high = a.isHighEnd ? a : b
        let low = a.isHighEnd ? b : a
        #expect(high.sendingAESKey.octets == Array(HashFunction.sha1.digest([0x01] + secbytes).prefix(16)))
        #expect(low.sendingAESKey.octets == Array(HashFunction.sha1.digest([0x02] + secbytes).prefix(16)))
        #expect(a.sendingMACKey.octets == HashFunction.sha1.digest(a.sendingAESKey))
        #expect(a.receivingMACKey.octets == HashFunction.sha1.digest(a.receivingAESKey))
        #expect(a.extraSymmetricKey.octets == HashFunction.sha256.digest([0xff] + secbytes))

        let ak = AKEKeys(aliceSecret)
        let bk = AKEKeys(bobSecret)
        #expect(ak.ssid == bk.ssid && ak.c == bk.c && ak.m2Prime == bk.m2Prime)
        #expect(ak.ssid == Array(HashFunction.sha256.digest([0x00] + secbytes).prefix(8)))
        let h21 = HashFunction.sha256.digest([0x01] + secbytes)
        #expect(ak.c.octets == Array(h21[0..<16]) && ak.cPrime.octets == Array(h21[16..<32]))
        #expect(ak.m1.octets == HashFunction.sha256.digest([0x02] + secbytes))
        #expect(ak.m2Prime.octets == HashFunction.sha256.digest([0x05] + secbytes))
    }

    @Test func anOutOfRangePublicValueIsRefused() {
        let ours = DHKeyPair(random: SystemRandom())
        for bad in [MPI(1), DHGroup.modulus - MPI(1)] {
            #expect(throws: OTRError.self) { try SharedSecret(ours: ours, theirs: bad) }
        }
    }

    // MARK: AKE signatures

    /// One long-term key for the signature tests (generation is slow).
    static let longTermKey: Result<DSAPrivateKey, Error> = Result { try DSAPrivateKey.generate() }

    @Test func aSealedSignedPartChecksAndAnyAlterationIsCaught() throws {
        let key = try Self.longTermKey.get()
        let random = SystemRandom()
        let x = DHKeyPair(random: random), y = DHKeyPair(random: random)
        let keys = AKEKeys(try SharedSecret(ours: x, theirs: y.publicKey))
        let (gx, gy) = (x.publicKey, y.publicKey)

        for role in [AKERole.bob, .alice] {
            // Bob signs M_B over (g^x, g^y) under m1; Alice M_A over (g^y, g^x) under m1'.
            let (m1, first, second) = role == .bob ? (keys.m1, gx, gy) : (keys.m1Prime, gy, gx)
            let mb = AKESignedPart.authenticator(macKey: m1, first: first, second: second, publicKey: key.publicKey, keyID: 7)
            let signature = try key.sign(mb, random: random).encoded(halfLength: key.publicKey.signatureHalfLength)
            let part = AKESignedPart(publicKey: key.publicKey, keyID: 7, signature: signature)
            let sealed = try AKESignatureCheck.seal(part, keys: keys, role: role)

            // The MAC is SHA256-HMAC-160 under m2 (m2') of the DATA field, length included.
            let m2 = role == .bob ? keys.m2 : keys.m2Prime
            #expect(sealed.mac == Array(HMAC.sha256(key: m2, Self.be32(UInt32(sealed.encrypted.count)) + sealed.encrypted).prefix(20)))

            let good = AKESignatureCheck.check(encryptedSignature: sealed.encrypted, mac: sealed.mac, keys: keys,
                                               role: role, gx: gx, gy: gy)
            #expect(good.macValid && good.signatureValid, "\(role)")
            #expect(good.signedPart == part)
            #expect(good.problem == nil)

            var badMAC = sealed.mac
            badMAC[0] ^= 0x80
            let macAltered = AKESignatureCheck.check(encryptedSignature: sealed.encrypted, mac: badMAC, keys: keys,
                                                     role: role, gx: gx, gy: gy)
            #expect(!macAltered.macValid, "\(role)")

            // The last bytes are the signature's s: the part still parses.
            var badSignature = sealed.encrypted
            badSignature[badSignature.count - 1] ^= 0x01
            let sigAltered = AKESignatureCheck.check(encryptedSignature: badSignature, mac: sealed.mac, keys: keys,
                                                     role: role, gx: gx, gy: gy)
            #expect(!sigAltered.macValid, "\(role)")
            #expect(sigAltered.signedPart != nil && !sigAltered.signatureValid, "\(role)")

            // The other role's keys open nothing.
            let swapped = AKESignatureCheck.check(encryptedSignature: sealed.encrypted, mac: sealed.mac, keys: keys,
                                                  role: role == .bob ? .alice : .bob, gx: gx, gy: gy)
            #expect(!swapped.macValid && !swapped.signatureValid, "\(role)")
        }
    }

    @Test func theSignedPartLayoutIsPubkeyKeyidSignature() throws {
        let key = try Self.longTermKey.get()
        let part = AKESignedPart(publicKey: key.publicKey, keyID: 0x0102_0304, signature: [UInt8](repeating: 0xab, count: 40))
        let pub = OTRPublicKey.encode(key.publicKey)
        #expect(part.encoded == pub + [1, 2, 3, 4] + [UInt8](repeating: 0xab, count: 40))
        #expect(try AKESignedPart.parse(part.encoded) == part)
        #expect(throws: OTRError.self) { try AKESignedPart.parse(part.encoded + [0]) }
        #expect(throws: OTRError.self) { try AKESignedPart.parse(Array(part.encoded.dropLast())) }
    }

    // MARK: The D-H commitment

    @Test func theRevealedKeyOpensTheCommitmentAndOnlyIt() throws {
        let random = SystemRandom()
        let gx = DHKeyPair(random: random).publicKey
        let r = random.bytes(16).octets
        // Spec: AES-CTR under r (counter 0) of g^x as an MPI, and SHA-256 of that MPI.
        let gxmpi = Self.be32(UInt32(gx.byteCount)) + gx.bytes
        let commit = DHCommitMessage(
            header: MessageHeader(version: 3, type: 0x02, senderInstance: InstanceTag(0x100), receiverInstance: InstanceTag(0)),
            encryptedGx: try AESCounterMode.apply(key: r, counterTopHalf: [UInt8](repeating: 0, count: 8), gxmpi).octets,
            hashedGx: HashFunction.sha256.digest(gxmpi))

        let opened = DHCommitOpening.open(commit, revealedKey: r)
        #expect(opened.gx == gx)
        #expect(opened.hashMatches)
        #expect(opened.problem == nil)

        var wrong = r
        wrong[15] ^= 0x01
        let refused = DHCommitOpening.open(commit, revealedKey: wrong)
        #expect(!refused.hashMatches)
        #expect(refused.gx != gx)

        let badLength = DHCommitOpening.open(commit, revealedKey: Array(r.prefix(15)))
        #expect(!badLength.hashMatches && badLength.gx == nil && badLength.problem != nil)
    }
}
