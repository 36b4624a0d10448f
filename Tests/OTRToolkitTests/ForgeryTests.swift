import Testing
import OTR
import OTRToolkit

/// Forging Data messages: re-encryption under a known AES key, XOR
/// modification with only the MAC key, assembly from parts, and matching
/// revealed MAC keys to the messages of a transcript.
struct ForgeryTests {
    static let aes = SecureBytes(Array(0..<16) as [UInt8])
    static let otherAES = SecureBytes(Array(100..<116) as [UInt8])

    static func message(text: String, aes: SecureBytes = aes, counter: UInt8 = 1, oldMACKeys: [UInt8] = [],
                        version: UInt16 = 3) throws -> DataMessage {
        var header = MessageHeader(version: version, type: MessageType.data.rawValue)
        if version == 3 {
            header.senderInstance = InstanceTag(0x1234_5678)
            header.receiverInstance = InstanceTag(0x9abc_def0)
        }
        var m = DataMessage(header: header, senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(12345),
                            counter: [0, 0, 0, 0, 0, 0, 0, counter], encryptedMessage: [], mac: [], oldMACKeys: oldMACKeys)
        try m.seal(plaintext: DataPlaintext(message: Array(text.utf8)).encoded, aesKey: aes)
        return m
    }

    /// The message as a receiver reads it: serialised and parsed again.
    static func roundTrip(_ m: DataMessage) throws -> (DataMessage, [UInt8]) {
        let binary = try EncodedMessage.data(m).serialize()
        guard case .data(let read) = try EncodedMessage.read(binary) else { throw OTRError.malformed("message", "not a Data message") }
        return (read, binary)
    }

    @Test(arguments: [UInt16(2), 3])
    func reencryptionWritesLibotrsLayoutAndVerifies(version: UInt16) throws {
        let (original, _) = try Self.roundTrip(try Self.message(text: "hello", version: version))
        let tlv = TLV(type: 0, value: [0, 0])
        let forged = try original.reencrypted(with: DataPlaintext(message: Array("forged text".utf8), tlvs: [tlv]), aesKey: Self.aes)
        let (read, binary) = try Self.roundTrip(forged)
        #expect(try read.verifyMAC(macKey: DataKeys.macKey(forAESKey: Self.aes), original: binary))
        let plain = try read.decrypt(aesKey: Self.aes).octets
        #expect(plain == Array("forged text".utf8) + [0] + tlv.encoded)
        #expect(read.header == original.header && read.senderKeyID == original.senderKeyID && read.counter == original.counter)
    }

    @Test func reencryptionCanMoveTheCounterButNotToZero() throws {
        let original = try Self.message(text: "hello")
        let later = try original.reencrypted(with: DataPlaintext(message: [0x41]), aesKey: Self.aes, counter: [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(later.counter == [0, 0, 0, 0, 0, 0, 0, 9])
        #expect(try later.decrypt(aesKey: Self.aes).octets == [0x41, 0])
        #expect(throws: OTRError.self) {
            try original.reencrypted(with: DataPlaintext(message: []), aesKey: Self.aes, counter: [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: OTRError.self) { try original.reencrypted(with: DataPlaintext(message: []), aesKey: [1, 2, 3]) }
    }

    @Test func modificationChangesKnownPlaintextWithoutTheAESKey() throws {
        let (original, _) = try Self.roundTrip(try Self.message(text: "meet at noon"))
        let mac = DataKeys.macKey(forAESKey: Self.aes)
        let forged = try original.modified(replacing: Array("noon".utf8), with: Array("dawn".utf8), at: 8, macKey: mac)
        let (read, binary) = try Self.roundTrip(forged)
        #expect(try read.verifyMAC(macKey: mac, original: binary))
        #expect(try read.decrypt(aesKey: Self.aes).octets == Array("meet at dawn".utf8) + [0])
        #expect(forged.encryptedMessage != original.encryptedMessage)
    }

    @Test func modificationRefusesOffsetsPastTheEndAndUnequalLengths() throws {
        let original = try Self.message(text: "short")
        let mac = DataKeys.macKey(forAESKey: Self.aes)
        // 6 bytes: "short" and the NUL. The last byte may change; one past may not.
        #expect(throws: Never.self) { try original.modified(replacing: [0], with: [0x21], at: 5, macKey: mac) }
        #expect(throws: OTRError.self) { try original.modified(replacing: [0x41], with: [0x42], at: 6, macKey: mac) }
        #expect(throws: OTRError.self) { try original.modified(replacing: [0x41, 0x41], with: [0x42, 0x42], at: 5, macKey: mac) }
        #expect(throws: OTRError.self) { try original.modified(replacing: [0x41], with: [0x42, 0x43], at: 0, macKey: mac) }
        #expect(throws: OTRError.self) { try original.modified(replacing: [0x41], with: [0x42], at: -1, macKey: mac) }
    }

    @Test func assemblyChecksTheRulesUnlessAskedNot() throws {
        let mac = [UInt8](repeating: 7, count: 20)
        let header = MessageHeader(version: 2, type: MessageType.data.rawValue)
        func build(keyID: UInt32 = 1, y: MPI = MPI(5), counter: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1], old: [UInt8] = [],
                   allow: Bool = false) throws -> DataMessage {
            try DataMessage.assembled(header: header, flags: 0, senderKeyID: keyID, recipientKeyID: 1, nextDHKey: y,
                                      counter: counter, encryptedMessage: [1, 2, 3], oldMACKeys: old, macKey: mac,
                                      allowViolations: allow)
        }
        let good = try build()
        #expect(try good.verifyMAC(macKey: mac))
        #expect(throws: OTRError.self) { try build(keyID: 0) }
        #expect(throws: OTRError.self) { try build(y: MPI(1)) }
        #expect(throws: OTRError.self) { try build(counter: [UInt8](repeating: 0, count: 8)) }
        #expect(throws: OTRError.self) { try build(old: [1, 2, 3]) }
        #expect(throws: OTRError.self) { try build(counter: [1, 2], allow: true) }
        #expect(try build(keyID: 0, allow: true).senderKeyID == 0)
        var h4 = header
        h4.version = 4
        #expect(throws: OTRError.self) {
            try DataMessage.assembled(header: h4, flags: 0, senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(5),
                                      counter: [0, 0, 0, 0, 0, 0, 0, 1], encryptedMessage: [], oldMACKeys: [], macKey: mac)
        }
    }

    @Test func revealedMACKeysMakeTheirMessagesForgeableByAnyone() throws {
        let first = try Self.message(text: "first", aes: Self.aes)
        let second = try Self.message(text: "second", aes: Self.otherAES, counter: 2)
        // The third message reveals the first message's MAC key only.
        let third = try Self.message(text: "third", aes: Self.otherAES, counter: 3,
                                     oldMACKeys: DataKeys.macKey(forAESKey: Self.aes).octets + [UInt8](repeating: 9, count: 20))
        let captured = try [(4, first), (5, second), (9, third)].map { line, m in
            let binary = try EncodedMessage.data(m).serialize()
            return TranscriptForgery.CapturedMessage(line: line, armoured: Armour.wrap(binary), binary: binary, message: m)
        }
        let forgery = TranscriptForgery(messages: captured)
        #expect(forgery.revealedKeys.count == 2)
        let a = try #require(forgery.assessment(atLine: 4))
        guard case .byAnyone(let key) = a.forgeability else {
            Issue.record("line 4 should be forgeable by anyone")
            return
        }
        #expect(key.line == 9 && key.index == 0)
        #expect(key.key == DataKeys.macKey(forAESKey: Self.aes).octets)
        #expect(a.revealedAfter)
        #expect(forgery.assessment(atLine: 5)?.forgeability == .onlyByKeyHolder)
        #expect(forgery.assessment(atLine: 9)?.forgeability == .onlyByKeyHolder)
        #expect(forgery.assessment(atLine: 6) == nil)
    }
}
