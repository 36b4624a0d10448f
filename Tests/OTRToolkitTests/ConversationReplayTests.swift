import OTR
import OTRToolkit
import Testing

/// decode --explain's replay of the receivers' key ids, in process, on
/// Data messages whose key ids follow the spec ("Data Message": sender
/// keyid = our_keyid - 1, recipient keyid = their_keyid; a receiver makes
/// a new key when a message names its newest, and keeps two of each side).
struct ConversationReplayTests {
    static let alice = InstanceTag(rawValue: 0x100), bob = InstanceTag(rawValue: 0x200)

    /// The spec's key-id bookkeeping of one party after the AKE.
    struct Party {
        var our: UInt32 = 2, their: UInt32 = 1
        var sendIDs: (s: UInt32, r: UInt32) { (our - 1, their) }
        mutating func receive(s: UInt32, r: UInt32) {
            if r == our { our += 1 }
            if s == their { their = s + 1 }
        }
    }

    static let aesKey = SecureBytes([UInt8](repeating: 7, count: 16))

    static func data(from: InstanceTag, to: InstanceTag, s: UInt32, r: UInt32, counter: UInt8 = 1, text: String? = nil) throws -> [UInt8] {
        var m = DataMessage(header: MessageHeader(version: 3, type: MessageType.data.rawValue, senderInstance: from, receiverInstance: to),
                            senderKeyID: s, recipientKeyID: r, nextDHKey: MPI(UInt(5)),
                            counter: [0, 0, 0, 0, 0, 0, 0, counter], encryptedMessage: [1, 2, 3], mac: [UInt8](repeating: 0, count: 20))
        if let text { try m.seal(plaintext: DataPlaintext(message: Array(text.utf8)).encoded, aesKey: aesKey, macKey: nil) }
        return Array(try EncodedMessage.data(m).armoured().utf8)
    }

    /// The explanations decode --explain gives each line (`decrypting`:
    /// with `aesKey`, which opens the messages sealed with a text).
    static func explain(_ lines: [[UInt8]], decrypting: Bool = false) -> [[String]] {
        var keys = CaptureKeys()
        if decrypting { keys.aesKeys = [aesKey] }
        let session = DecodeSession(keys: keys, json: true, showKeys: false, explain: true, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "decode", forward: { _, _, _ in }))
        return ToolkitFixtures.items(ToolkitFixtures.read(lines)).map { session.decode($0).explanations ?? [] }
    }

    @Test("an exchange that follows the spec's key ids is explained by nothing; a message delivered after two new keys is stale")
    func staleRecipientKey() throws {
        var a = Party(), b = Party()
        var lines: [[UInt8]] = []
        func send(_ fromAlice: Bool) throws -> [UInt8] {
            let ids = fromAlice ? a.sendIDs : b.sendIDs
            return try Self.data(from: fromAlice ? Self.alice : Self.bob, to: fromAlice ? Self.bob : Self.alice, s: ids.s, r: ids.r,
                                 counter: UInt8(lines.count + 1))
        }
        func deliver(_ line: [UInt8], fromAlice: Bool, s: UInt32, r: UInt32) {
            lines.append(line)
            if fromAlice { b.receive(s: s, r: r) } else { a.receive(s: s, r: r) }
        }
        // alice's first message is held; the others pass it.
        let heldIDs = a.sendIDs
        let held = try send(true)
        for fromAlice in [false, true, false, true, false, true, true, false] {
            let ids = fromAlice ? a.sendIDs : b.sendIDs
            deliver(try send(fromAlice), fromAlice: fromAlice, s: ids.s, r: ids.r)
        }
        #expect(Self.explain(lines).allSatisfy { $0.isEmpty }, "\(Self.explain(lines))")
        try #require(b.our >= heldIDs.r + 3, "bob made two keys since: \(b.our)")
        lines.append(held)
        let explanations = Self.explain(lines)
        #expect(explanations.dropLast().allSatisfy { $0.isEmpty })
        let last = try #require(explanations.last?.first)
        #expect(last.hasPrefix("recipient keyid \(heldIDs.r) is stale: 00000200 holds its keys \(b.our - 1) and \(b.our) only"), "\(last)")
    }

    @Test("key ids no key announced yet are named in the future; a sender key forgotten is stale")
    func futureAndStaleSenderKeys() throws {
        // bob learns alice's keys up to 2 and his own newest, 2.
        let first = try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1)
        let future = try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 7, counter: 2)
        #expect(Self.explain([first, future])[1].first?.hasPrefix("recipient keyid 7 is in the future: 00000200's newest key is 2") == true)
        let aheadOfSender = try Self.data(from: Self.alice, to: Self.bob, s: 5, r: 1, counter: 2)
        #expect(Self.explain([first, aheadOfSender])[1].first?.hasPrefix("sender keyid 5 is in the future") == true)
        // alice moves on to keys 3, 4 (each message naming the newest).
        var lines = [first]
        lines.append(try Self.data(from: Self.alice, to: Self.bob, s: 2, r: 1, counter: 2))
        lines.append(try Self.data(from: Self.alice, to: Self.bob, s: 3, r: 1, counter: 3))
        lines.append(try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 4))
        let explanations = Self.explain(lines)
        #expect(explanations.prefix(3).allSatisfy { $0.isEmpty }, "\(explanations)")
        #expect(explanations[3].first?.hasPrefix("sender keyid 1 is stale: 00000200 holds 00000100's keys 3 and 4 only") == true,
                "\(explanations[3])")
    }

    @Test("a Data message to receiver instance 0, a message that does not parse and the OTR Error after it")
    func receiverZeroAndErrors() throws {
        let zero = try Self.data(from: Self.alice, to: InstanceTag(rawValue: 0), s: 1, r: 1)
        let broken = Array("?OTR:AAMDAAABAAAAAQAAAA.".utf8)
        let error = Array("?OTR Error: You transmitted a malformed data message.".utf8)
        let explanations = Self.explain([zero, broken, error, error])
        #expect(explanations[0].first?.hasPrefix("Data message to receiver instance 00000000") == true, "\(explanations[0])")
        #expect(explanations[1].first?.hasPrefix("the message cannot be read at all") == true, "\(explanations[1])")
        #expect(explanations[2] == ["an OTR Error: most likely the answer to line 2, which its receiver could not read (\(explanations[1][0]))"])
        // One Error answers one message.
        #expect(explanations[3].first?.hasPrefix("an OTR Error, answering no message") == true)
    }

    @Test("a \"[resent] \" text names the line whose text it repeats")
    func resentText() throws {
        let lines = [try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 1, text: "the text that was lost"),
                     try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 2, text: "something else"),
                     try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 3, text: "[resent] the text that was lost"),
                     try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 4, text: "[resent] never sent before")]
        let explanations = Self.explain(lines, decrypting: true)
        #expect(explanations[0].isEmpty && explanations[1].isEmpty, "\(explanations)")
        #expect(explanations[2].first?.hasPrefix("a re-send of the text of line 1") == true, "\(explanations[2])")
        #expect(explanations[3] == ["a re-send (\"[resent] \") of a text the capture does not hold"])
    }

    @Test("a message authenticated with a MAC key an earlier message revealed names that line")
    func revealedMACKey() throws {
        let macKey = DataKeys.macKey(forAESKey: Self.aesKey)
        var revealing = DataMessage(header: MessageHeader(version: 3, type: MessageType.data.rawValue, senderInstance: Self.bob,
                                                          receiverInstance: Self.alice),
                                    senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(UInt(5)), counter: [0, 0, 0, 0, 0, 0, 0, 1],
                                    encryptedMessage: [1], mac: [UInt8](repeating: 0, count: 20))
        try revealing.seal(plaintext: DataPlaintext(message: Array("revealing".utf8)).encoded, aesKey: Self.aesKey, macKey: nil)
        // The old MAC keys follow the MAC (spec "Data Message"): set after sealing.
        revealing.oldMACKeys = [UInt8](repeating: 0xee, count: 20) + macKey.withUnsafeBytes { Array($0) }
        let lines = [Array(try EncodedMessage.data(revealing).armoured().utf8),
                     try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 1, text: "made by anyone")]
        let explanations = Self.explain(lines, decrypting: true)
        #expect(explanations[0].isEmpty, "\(explanations[0])")
        #expect(explanations[1] == ["its MAC key was revealed at line 1, in the old MAC keys of 00000200's message: 00000200 had forgotten the keys it belongs to (spec \"Revealing MAC Keys\"), and anyone could have made this message since"])
        // Without the reveal, the same message is explained by nothing.
        #expect(Self.explain([lines[1]], decrypting: true) == [[]])
    }

    @Test("a fragment series with a fragment missing, and one begun again, name the series they broke; a first fragment repeated unchanged does not")
    func brokenFragmentSeries() throws {
        let lines = ["?OTR,1,3,ab,", "?OTR,3,3,ef,", "?OTR,1,2,gh,", "?OTR,1,2,gh,", "?OTR,1,2,xy,"].map { Array($0.utf8) }
        let explanations = Self.explain(lines)
        #expect(explanations[0].isEmpty)
        #expect(explanations[1].count == 1 && explanations[1][0].hasPrefix("a broken fragment series: fragment 3 of 3 (v2) arrived where fragment 2 was expected")
                && explanations[1][0].hasSuffix("so it forgets the message whose fragments began at line 1, which is lost, and ignores this fragment"),
                "\(explanations[1])")
        #expect(explanations[2].isEmpty && explanations[3].isEmpty, "\(explanations[2...3])")
        // The unchanged repeat began the series again (as libotr does): at line 4.
        #expect(explanations[4].first?.hasSuffix("forgets the message whose fragments began at line 4, which is lost") == true, "\(explanations[4])")
        // A duplicate within a series already forgotten loses nothing more.
        let again = Self.explain(["?OTR,1,4,ab,", "?OTR,3,4,ef,", "?OTR,3,4,ef,"].map { Array($0.utf8) })
        #expect(again[2] == ["a broken fragment series: duplicate fragment 3 of 4 (v2); the receiver takes only the next fragment of the same n (spec \"Fragmentation\"); it had already forgotten the message whose fragments began at line 1, and ignores this fragment too"],
                "\(again[2])")
    }

    @Test("a reused counter is named; the replay's tables stay bounded however many instances a capture names")
    func countersAndBounds() throws {
        let first = try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 1)
        let again = try Self.data(from: Self.alice, to: Self.bob, s: 1, r: 1, counter: 1)
        #expect(Self.explain([first, again])[1].contains { $0.contains("a receiver that checks the counter rejects it") })
        var lines: [[UInt8]] = []
        for i in 0..<UInt32(ConversationReplay.maximumTracked + 10) {
            lines.append(try Self.data(from: InstanceTag(rawValue: 0x1000 + i), to: Self.bob, s: 1, r: 1))
        }
        #expect(Self.explain(lines).allSatisfy { $0.isEmpty })
    }
}
