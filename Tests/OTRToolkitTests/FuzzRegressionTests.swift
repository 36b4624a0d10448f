import Testing
@testable import OTR
import OTRToolkit

/// Inputs from the libFuzzer targets in Fuzz/ (see Fuzz/README.md): what a
/// fuzzer found, reduced, and hostile inputs the targets exercise. Each
/// feeds the bytes to the API the target calls and expects a clean failure
/// (an OTRError, a reported problem) or the documented bound, never a trap.
@Suite("Inputs found or exercised by the fuzz targets")
struct FuzzRegressionTests {
    static func bytes(_ hex: String) -> [UInt8] { try! Hex.decode(hex) }

    static func events(_ r: inout Reassembler, _ lines: [String]) -> (messages: [[UInt8]], problems: [ReassemblyProblem]) {
        var messages: [[UInt8]] = [], problems: [ReassemblyProblem] = []
        for (i, line) in lines.enumerated() {
            for event in r.receive(Array(line.utf8)[...], at: i + 1) {
                switch event {
                case .completed(let m): messages.append(m.message)
                case .problem(let p): problems.append(p)
                }
            }
        }
        return (messages, problems)
    }

    // MARK: Found by the fragment target

    /// Found by FuzzFragment (its reassembler with a 64-byte bound
    /// completed a 129-byte message), fixed in 2d7572c: `Reassembler.start`
    /// completed a 1-of-1 fragment before the `maximumMessageLength` check,
    /// so a message longer than the bound came out, while the same piece
    /// as fragment 1 of 2 was rejected as too large
    /// (`otrtool fragment join --max-message-length 5` printed "abcdef"
    /// for `?OTR,1,1,abcdef,`).
    @Test func singleFragmentMessageRespectsMaximumMessageLength() {
        var r = Reassembler(maximumMessageLength: 5)
        let (messages, problems) = Self.events(&r, ["?OTR,1,1,abcdef,"])
        #expect(messages.isEmpty, "a 6-byte message came out of a reassembler bounded to 5 bytes")
        #expect(problems.map(\.kind) == [.tooLarge])
    }

    /// The fuzzer's line: a 1-of-1 fragment whose 129-byte piece (holding
    /// commas) went through the target's reassembler bounded to 64 bytes.
    @Test func fuzzerFragmentLineOverTheBoundIsTooLarge() {
        var r = Reassembler(maximumMessageLength: 64, maximumPendingMessages: 2, maximumBufferedBytes: 96)
        let line = "?OTR,00001,0001,00003,?OTR:AAMKNfGwLl5CUxoAAADAA5UWyzpBjyS5a4BHVk+VBuudTqMBLIj4pYgRW/bGnY9e/c8RFBACf+/c2P7rpnF1OfKntcN7fcwWTZjZvW4VXmDPhbfEKf/qqb,"
        #expect((try? Fragment.parse(Array(line.utf8)))?.piece.count == 129)
        let (messages, problems) = Self.events(&r, [line])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.tooLarge])
        #expect(r.finish().isEmpty)
    }

    /// The consistent behaviour the test above expects: fragment 1 of 2
    /// with the same piece is too large.
    @Test func firstOfSeveralFragmentsOverTheBoundIsTooLarge() {
        var r = Reassembler(maximumMessageLength: 5)
        let (messages, problems) = Self.events(&r, ["?OTR,1,2,abcdef,", "?OTR,2,2,g,"])
        #expect(messages.isEmpty)
        #expect(problems.first?.kind == .tooLarge)
        #expect(r.bufferedBytes == 0)
    }

    // MARK: Found by the capture target

    // Found by FuzzCapture, fixed in 2d7572c (`DSAPublicKey.hasSaneParameters`):
    // `DSAPublicKey.verify(r:s:over:)` (Sources/OTR/Crypto/DSA.swift) only
    // checked 0 < r, s < q before libgcrypt's gcry_pk_verify, which aborts
    // the process
    //   Ohhhh jeeee: Assertion `t' failed (../../mpi/mpi-mpow.c:89:_gcry_mpi_mulpowm)
    // when s has no inverse modulo q (q composite: w = s^-1 mod q is 0, so
    // both exponents of g^u1 y^u2 are 0). The public key comes from the
    // peer, in the signed part of a Reveal Signature or Signature message:
    // a malicious AKE peer aborted `otrtool session` (any Session), and a
    // crafted capture aborted `otrtool decode --ake-secret/--dh-private`.
    // The fuzzer got there because AES-CTR is malleable: flipping bits of
    // a seed's encrypted signature changed the decrypted key's q.
    // These are exit tests, so that a regression aborts a child process,
    // not the test runner.

    /// The smallest case: p = 23, q = 4, g = 2, y = 3, r = s = 2 over the
    /// value 1 must be "does not verify", not an abort.
    @Test func dsaVerifyWithNonInvertibleSIsFalseNotAnAbort() async {
        await #expect(processExitsWith: .success) {
            let key = DSAPublicKey(p: MPI(23), q: MPI(4), g: MPI(2), y: MPI(3))
            precondition(!key.verify([0x02, 0x02], over: [0x01]))
        }
    }

    /// The key as the signed part of an AKE message carries it (PUBKEY,
    /// keyid, r || s), sealed under AKE keys: what the fuzzer fed.
    static let hostileSignedPart = AKESignedPart(
        publicKey: DSAPublicKey(p: MPI(23), q: MPI(4), g: MPI(2), y: MPI(3)), keyID: 1, signature: [0x02, 0x02])

    /// `otrtool decode --ake-secret`: a D-H Commit, a D-H Key and a Reveal
    /// Signature whose signed part holds the key above.
    @Test func captureWithHostileSignedPartIsAnalysedNotAborted() async {
        await #expect(processExitsWith: .success) {
            let s = MPI(5), gx = MPI(4), gy = MPI(9)
            let r = [UInt8](repeating: 7, count: 16)
            var w = ByteWriter()
            w.writeMPI(gx)
            let gxmpi = w.bytes
            let v2 = { (type: MessageType) in MessageHeader(version: 2, type: type.rawValue) }
            let commit = EncodedMessage.dhCommit(DHCommitMessage(
                header: v2(.dhCommit), encryptedGx: try AESCounterMode.apply(key: r, counterTopHalf: [UInt8](repeating: 0, count: 8), gxmpi).octets,
                hashedGx: HashFunction.sha256.digest(gxmpi)))
            let key = EncodedMessage.dhKey(DHKeyMessage(header: v2(.dhKey), gy: gy))
            let sealed = try AKESignatureCheck.seal(FuzzRegressionTests.hostileSignedPart, keys: AKEKeys(SharedSecret(s)), role: .bob)
            let reveal = EncodedMessage.revealSignature(RevealSignatureMessage(
                header: v2(.revealSignature), revealedKey: r, encryptedSignature: sealed.encrypted, mac: sealed.mac))
            let analyzer = CaptureAnalyzer(keys: CaptureKeys(sharedSecrets: [s]))
            _ = try analyzer.analyze(binary: commit.serialize())
            _ = try analyzer.analyze(binary: key.serialize())
            let analysis = try analyzer.analyze(binary: reveal.serialize())
            precondition(analysis.ake?.signatureCheck?.macValid == true)
            precondition(analysis.ake?.signatureCheck?.signatureValid == false)
        }
    }

    /// A Session's AKE: a malicious peer sends a D-H Commit, gets our D-H
    /// Key, and answers with a correctly MACed Reveal Signature whose
    /// signed part holds the key above. We must abort the AKE, not the
    /// process.
    @Test func akePeerWithHostileKeyIsRefusedNotAborted() async {
        await #expect(processExitsWith: .success) {
            let random = DeterministicRandom(seedText: "FuzzRegressionTests hostile AKE peer")
            var us = try AKEStateMachine(longTermKey: try DSAPrivateKey.generate(), random: random, allowedVersions: [2])
            let peer = DHKeyPair(random: random)
            let r = [UInt8](repeating: 7, count: 16)
            var w = ByteWriter()
            w.writeMPI(peer.publicKey)
            let gxmpi = w.bytes
            let commit = DHCommitMessage(
                header: MessageHeader(version: 2, type: MessageType.dhCommit.rawValue),
                encryptedGx: try AESCounterMode.apply(key: r, counterTopHalf: [UInt8](repeating: 0, count: 8), gxmpi).octets,
                hashedGx: HashFunction.sha256.digest(gxmpi))
            guard case .dhKey(let ours)? = try us.receive(.dhCommit(commit)).messages.first else {
                preconditionFailure("no D-H Key in answer to the D-H Commit")
            }
            let keys = AKEKeys(try SharedSecret(ours: peer, theirs: ours.gy))
            let sealed = try AKESignatureCheck.seal(FuzzRegressionTests.hostileSignedPart, keys: keys, role: .bob)
            let reveal = RevealSignatureMessage(header: MessageHeader(version: 2, type: MessageType.revealSignature.rawValue),
                                                revealedKey: r, encryptedSignature: sealed.encrypted, mac: sealed.mac)
            let answer = try? us.receive(.revealSignature(reveal))
            precondition(answer?.result == nil, "the AKE completed with a key whose signature cannot verify")
        }
    }

    /// The fuzzer's own input, minimized (1691 bytes): an "#s" line (the
    /// AKE secret the target gives the analyser) and one capture line with
    /// a v2 D-H Commit, D-H Key and Reveal Signature, the latter's
    /// encrypted signature altered so that the key it holds has a
    /// composite q. Replayed as the target and `otrtool decode` read it.
    static let capturedCrash = """
        I3MgNWJjZjI2MjY3ZTBkMzQ4Y2U3Mjk4MGVhZjkxZGFjNmQ2NGJmZjIwZDNjY2IzMDQ5ODZlYTg1MTg0MmZmZTlkODdmNjc3
        ZDMwMjU1NDkzNDJkOGYyMTE0NTA0ZjJjMzgzNDY2ZTQ3N2EyNGZiNGI2YzlhMWVmZTA0N2E3OGI4NjI4ODVkYmJjZmI1ZjZk
        NTQwOTA1ZTAxOTJhNjcyNWFkNjc5ZTE4MmUyYzJhMzJlOGFlN2UwZDlkY2FjOTQ0OGQxNmQ0NTE2ODYzYWZhMTExYjA4YWUx
        ZGQ3NWY4ZTcwYjIyM2FhNjY0ODg1ZjBiOTlhNTQ2Njc0YzA5NGVmNGNjZDNjZWVmNjRkOTFkMWM4YjYzMjY0MDRkZGFlZTlk
        ODQzOWEyZWM2ZDVmZDA4NTU3YWRkYmEwMTMyYzEzYzViODZiZDk2YjRkYWM0ZWFhZWI5YTk1MzM1ZmY5MDBiYjJjMWRjZmZm
        ZWQ2ZjM1MzVjMTc1NTA2ZDllNzg1MDAyMzk2CnBlPSdoP09UUjpBQUlDQUFBQXhJamtoZ0hCdlN0Mk1kMjFhVk56NDBtYVNt
        d2FkNDNVY1ptZ2YvR29WZjh5V1laZzV3WUZoeGptSmFLRkNHdXdLNWhBdjVtOFVPOVRZbFJTSzhjQXVPWExhUmU0VEFYd1RP
        T0tpL0c3T3JUWkFMS2xvUml5dUlodEFWTTk1ZitKTjB4UXVkVENqSFlONTNSL3ZIS0NUZnZZQ0lZK0ZpVS9uQzd1cHR0WDEr
        dW9CODlKcUJtcVEwZ09ScFNvZUR1djlZRjZXM0FsSkVVSHVwaVZ6Y0V5T0VnYUlOanFxNzJQQVdWeGJrV1BoRWVQT2tZS2hX
        VFpNM3ExNWFYY1ZFd3VOWkExYXljQUFBQWdlWXJuL3lYSi9meGg2aEpxcmxIUHVCaHJ3aEFFL1lmdG1QV1V4NVo4NGM0PS5h
        Z2U+dGI/T1RSOkFBSUtBQUFBd0R4YXhla2cybzVkSXRGWnMyaTJqdUp5SVRwS1RJK1VsNDhnTFhNZUdWOFFNc3lHUjZRZ2dM
        b0tQSUowOWRiQllnUm1NQ1FvNGlaL2wrQkNkRFVNaE95Nko0aTdZUFMwbWk3amNucVNKMUZvNTNjQzR6SUhGbE9OV2tOTXln
        UXFOOURKNVYzZ25ZVXJGWjI3SVZyUWF0VHlCR1pER3ZOSmV3NVhzSkNYcmkrZkFSUUlhOTFMYjN3VDBCVFhReC94SS9LdlRZ
        dUFKT3Roazg3WFhGVmpnNlpQZ3M4cUlFd09TN2dNNmNEVjA4L3V4eDlOVUo2ZElaL0hBNjhQblhZU0NRPT0uPj9PVFI6QUFJ
        UkFBQUFFREZSakNOVFVxZFBRc3Yrcm9ocFdmZ0FBQUhTMkx3Z2pKdkRYeXJUWXVhVzBaZjk3S0Rya1VWMVJQVVJBdWV1ZXNq
        TUZDOEh6Q1JIWHVpMVE3ZFpWUFROYjNqbThTYmhCZnlZcEs4V2tHWHF4Ui9UKyt0eThPc2E0OWN5L2lVK3JoKzNJczgxTVFT
        S25SQ1JEZkc3aytRM29EcStxK0lWT0EvNHJpeDNNeEJaR2FOVWNaRmgzelFMZGk2V0FGM2N0NDdYVDZyRm5lYnRNTkF3NFdn
        RDZXNFIzSFdhMlNFWEtZZVRzNkZqeHJJczhWU3N1a1YzSHlTTmN2R2FGVXNpa0ZjVHNjc3AyeDlGSmdFQUE3Uk5lM05IeE9p
        ZmRjcnhvbVlzWUxIbGx1N0g0T2Y5ZmVJbkplaFFWNFlmTUdMWHdsL0tqNXFia2JBL3JnaEt3QmxjVGZqc2MwU05OVGtveUhv
        aTBNWVB3a0FYVEEveE1obmZLaEJMU3RPWG01QVA0dnFNbGM0YVpZdU5ic2dCdnVZcmdrTUtwcXg1aHZVc2kxeFNvZ3RRbGxU
        WjRFOWJPRDZOeUlXT09uY0lNVjZqZHJ1eU94dFI4RTg1SFRtcmNJT2xMWExwaGk4MGpIbFBEVW1Wd2R6cEhTRnh6MWtVb21r
        MXBnSnQybkFGQ0hGMWRxMzI2c3lSaVVHRlkzK2NuMUFRQVIxTEhVaVUrbkVMUmpJZ2hrZURvZVZXMERQcXNaR0Y1aUR2Z0hR
        ZXRhN2NHbEF6QWJGWGZFajZyY1FXUENhT3Z4RkR6YkdlbDROaGFkSnU0TkZEMEw5SWIrNFpRZy83NUF5YnVCcTErYWJhVmZK
        Rm45U0kxVk5wWDE4aDNWekFMUCtXTlkrSmo3OVcydEhpLjw=
        """

    @Test func minimizedCaptureCrashIsAnalysedNotAborted() async {
        await #expect(processExitsWith: .success) {
            let input = try Base64.decode(Array(FuzzRegressionTests.capturedCrash.utf8))
            var lines = input.split(separator: 0x0a)[...]
            var keys = CaptureKeys()
            if let first = lines.first, first.starts(with: Array("#s ".utf8)) {
                keys.sharedSecrets.append(MPI(bytes: try Hex.decode(utf8: first.dropFirst(3))))
                lines = lines.dropFirst()
            }
            let analyzer = CaptureAnalyzer(keys: keys)
            var scanner = TranscriptScanner()
            var signatureChecks: [AKESignatureCheck] = []
            for line in lines {
                for item in scanner.feed(Array(line)) {
                    guard case .encoded(let armoured) = item.kind, let binary = try? Armour.unwrap(armoured),
                          let analysis = try? analyzer.analyze(binary: binary) else { continue }
                    if let check = analysis.ake?.signatureCheck { signatureChecks.append(check) }
                }
            }
            precondition(signatureChecks.count == 1 && !signatureChecks[0].signatureValid)
        }
    }

    // MARK: Message decoder

    /// A D-H Commit whose encrypted g^x claims 4 GiB: the length is
    /// checked against what is left before anything is allocated.
    @Test func hugeDataLengthIsMalformedNotAllocated() {
        let message = Self.bytes("0003 02 00000100 00000000 ffffffff 00")
        let error = #expect(throws: OTRError.self) { try EncodedMessage.read(message) }
        #expect(error?.code == .malformed)
        #expect(error?.field == "D-H Commit message encrypted g^x")
        #expect(error?.offset == 11)
    }

    /// The same for an MPI (D-H Key g^y) and for the Data message's
    /// encrypted part, and a message cut in the middle of a field.
    @Test func hugeMPIAndTruncatedFieldsAreMalformed() {
        for hex in ["0002 0a 7fffffff 01", "0003 03 00000100 00000100 00 00000001 00000001 00000001 02 0102030405060708 fffffff0",
                    "0003 11 00000100", "0002 12 00000010 0102"] {
            let error = #expect(throws: OTRError.self, "\(hex)") { try EncodedMessage.read(Self.bytes(hex)) }
            #expect(error?.code == .malformed, "\(hex)")
        }
    }

    /// A message followed by one extra byte is rejected (libotr ignores
    /// trailing bytes; they mean the message was altered).
    @Test func trailingBytesAreMalformed() {
        let signature = "0002 12 00000000" + String(repeating: "00", count: 20)
        #expect(throws: Never.self) { try EncodedMessage.read(Self.bytes(signature)) }
        let error = #expect(throws: OTRError.self) { try EncodedMessage.read(Self.bytes(signature + "00")) }
        #expect(error?.reason.contains("trailing") == true)
    }

    /// Armour: padding in the middle, a character outside base64, no dot.
    @Test func brokenArmourIsMalformed() {
        for text in ["?OTR:AA==AAAA.", "?OTR:AA*A.", "?OTR:AAMC", "?OTR:A.", "?OTR"] {
            let error = #expect(throws: OTRError.self, "\(text)") { try EncodedMessage.read(armoured: Array(text.utf8)) }
            #expect(error?.code == .malformed, "\(text)")
            #expect(throws: OTRError.self, "\(text)") { try MessageHeader.peek(armoured: Array(text.utf8)) }
        }
    }

    /// A PUBKEY whose q claims 4 GiB, and a signed part whose signature is
    /// shorter than twice len(q).
    @Test func hostilePublicKeysAreMalformed() {
        let error = #expect(throws: OTRError.self) { try OTRPublicKey.decode(Self.bytes("0000 00000001 05 ffffffff")) }
        #expect(error?.code == .malformed)
        let key = "0000 00000001 05 00000002 0100 00000001 02 00000001 03"
        let part = #expect(throws: OTRError.self) { try AKESignedPart.parse(Self.bytes(key + "00000001" + "0102")) }
        #expect(part?.field == "signature")
    }

    // MARK: Capture scanner and analyser

    /// A D-H Commit, then a Reveal Signature revealing a 0-byte key: the
    /// commitment cannot be opened, which is reported, not trapped.
    @Test func revealedKeyOfTheWrongLengthIsAProblem() throws {
        let analyzer = CaptureAnalyzer(keys: CaptureKeys(sharedSecrets: [MPI(5)]))
        let commit = Self.bytes("0003 02 00000100 00000000 00000004 01020304 00000020" + String(repeating: "ab", count: 32))
        let reveal = Self.bytes("0003 11 00000100 00000000 00000000 00000000" + String(repeating: "00", count: 20))
        _ = try analyzer.analyze(binary: commit)
        let analysis = try analyzer.analyze(binary: reveal)
        let opening = try #require(analysis.ake?.opening)
        #expect(opening.hashMatches == false)
        #expect(opening.problem?.contains("AES key") == true)
        #expect(analysis.violations.contains { $0.field == "revealed key r" && $0.rule.hasPrefix("must be 16 bytes") })
    }

    /// An XMPP body that never closes and base64 that never ends are
    /// reported unterminated at the end of the input.
    @Test func unterminatedCaptureItemsAreReported() {
        var scanner = TranscriptScanner()
        var items = scanner.feed(Array("<message><body>?OTR:AAMC".utf8))
        items += scanner.feed(Array("more text".utf8))
        items += scanner.finish()
        #expect(items.count == 1)
        guard case .unterminated(let text)? = items.first?.kind else {
            Issue.record("expected an unterminated item, got \(items.map(\.kind))")
            return
        }
        #expect(text == Array("?OTR:AAMC\nmore text".utf8))

        var wrapped = TranscriptScanner()
        #expect(wrapped.feed(Array("[12:00] <a> ?OTR:AAMC".utf8)).isEmpty)
        #expect(wrapped.feed(Array("  AAAA".utf8)).isEmpty)
        let end = wrapped.feed(Array("-- the log goes on".utf8))
        guard case .unterminated(let base64)? = end.first?.kind else {
            Issue.record("expected the wrapped message reported unterminated, got \(end.map(\.kind))")
            return
        }
        #expect(base64 == Array("?OTR:AAMCAAAA".utf8))
    }

    // MARK: Fragments

    /// k and n beyond 16 bits, digits without end, tags beyond 32 bits.
    @Test func hostileFragmentNumbersAreRejected() {
        let cases: [(String, OTRError.Code)] = [
            ("?OTR,1,65536,x,", .outOfRange),
            ("?OTR,0,1,x,", .outOfRange),
            ("?OTR,2,1,x,", .outOfRange),
            ("?OTR," + String(repeating: "9", count: 40) + ",1,x,", .malformed),
            ("?OTR|100000000|0,1,1,x,", .outOfRange),
            ("?OTR|" + String(repeating: "f", count: 17) + "|0,1,1,x,", .malformed),
            ("?OTR|ff|0,1,1,x,", .outOfRange),
            ("?OTR|100|1,1,1,x,", .outOfRange),
            ("?OTR,1,1,,", .malformed),
            ("?OTR,1,1", .malformed),
        ]
        for (text, code) in cases {
            let error = #expect(throws: OTRError.self, "\(text)") { try Fragment.parse(Array(text.utf8)) }
            #expect(error?.code == code, "\(text)")
        }
    }

    /// A stream of new instance tags cannot grow the reassembler beyond
    /// its bound: the oldest messages are evicted and reported.
    @Test func manyStreamsAreEvictedNotKept() {
        var r = Reassembler(maximumPendingMessages: 3)
        let lines = (0..<10).map { "?OTR|\(String(0x100 + $0, radix: 16))|0,1,2,piece," }
        let (messages, problems) = Self.events(&r, lines)
        #expect(messages.isEmpty)
        #expect(r.pendingCount == 3)
        #expect(problems.filter { $0.kind == .evicted }.count == 7)
        #expect(r.finish().count == 3)
        #expect(r.bufferedBytes == 0)
    }

    // MARK: Plaintext, tags, queries

    /// A tag with hundreds of blocks, every one repeated, and a query
    /// listing one version hundreds of times: read in one pass, the repeat
    /// named once with its count (not one violation per block).
    @Test func repeatedTagBlocksAndQueryVersionsAreViolations() {
        let text = WhitespaceTag.base + Array(repeating: WhitespaceTag.block(for: .v3), count: 500).joined()
        let findings = PlaintextScanner.scan(text)
        guard case .whitespaceTag(let tag)? = findings.first, findings.count == 1 else {
            Issue.record("expected one whitespace tag, got \(findings)")
            return
        }
        #expect(tag.versions == [.v3])
        #expect(tag.range == 0..<text.count)
        #expect(tag.violations.map(\.description) == ["version 3 block repeated (500 blocks)"])
        #expect(PlaintextScanner.displayText(text, findings: findings).isEmpty)

        let query = QueryMessage.parse(Array(("?OTRv" + String(repeating: "2", count: 300)).utf8), at: 0)
        #expect(query?.versions == [.v2])
        #expect(query?.violations.map(\.description) == ["version 2 listed more than once (300 times)", "version list not terminated by \"?\""])
    }

    // MARK: TLVs and SMP

    /// A TLV whose length overruns the plaintext.
    @Test func tlvLengthOverrunIsMalformed() {
        let error = #expect(throws: OTRError.self) { try DataPlaintext.parse(Self.bytes("6869 00 0002 ffff 0000")) }
        #expect(error?.code == .malformed)
        #expect(error?.offset == 3)
    }

    /// SMP TLVs claiming 2^32-1 MPIs, a 4 GiB MPI, or a question with no
    /// NUL: each a malformed error from the parser, not a trap in
    /// SMPMessage*.init(mpis:), whose count precondition they would break.
    @Test func hostileSMPTLVsAreMalformed() {
        let tlvs = [
            TLV(type: TLV.Kind.smp1.rawValue, value: Self.bytes("ffffffff")),
            TLV(type: TLV.Kind.smp2.rawValue, value: Self.bytes("0000000b 7fffffff 00")),
            TLV(type: TLV.Kind.smp3.rawValue, value: Self.bytes("00000003 00000001 02 00000001 03 00000001 04")),
            TLV(type: TLV.Kind.smp4.rawValue, value: Self.bytes("00000003 00000001 02 00000001 03 00000001 04 00")),
            TLV(type: TLV.Kind.smp1Q.rawValue, value: Array("no question end".utf8)),
        ]
        for tlv in tlvs {
            let error = #expect(throws: OTRError.self, "type \(tlv.type)") {
                switch tlv.kind {
                case .smp1, .smp1Q: _ = try SMPMessage1(tlv: tlv)
                case .smp2: _ = try SMPMessage2(tlv: tlv)
                case .smp3: _ = try SMPMessage3(tlv: tlv)
                default: _ = try SMPMessage4(tlv: tlv)
                }
            }
            #expect(error?.code == .malformed, "type \(tlv.type)")
        }
        #expect(throws: OTRError.self) { try SMPMessage2(tlv: TLV(type: TLV.Kind.smp3.rawValue, value: [])) }
    }

    // MARK: Key files

    /// 100 000 open parentheses: the nesting bound is an error, not a
    /// stack overflow (the reader keeps its own stack).
    @Test func deepNestingIsALimitNotAStackOverflow() {
        let text = [UInt8](repeating: UInt8(ascii: "("), count: 100_000)
        let error = #expect(throws: OTRError.self) { try SExpressionReader.parse(text) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.offset == SExpressionReader.Limits.keyFile.maximumDepth)
        #expect(throws: OTRError.self) { try PrivateKeyFile(parsing: text) }
    }

    /// Verbatim lengths beyond the input (one overflowing an Int), escapes
    /// cut short, and too many elements.
    @Test func hostileAtomsAreErrors() {
        let cases: [(String, OTRError.Code)] = [
            ("(a 99999999999999999999999:x)", .malformed),
            ("(a 5:abc)", .malformed),
            ("(a \"\\x4\")", .malformed),
            ("(a \"\\40\")", .malformed),
            ("(a \"\\777\")", .malformed),
            ("(a #abc#)", .malformed),
            ("(a 0:)", .malformed),
            ("(" + String(repeating: "a ", count: 200_001) + ")", .limitExceeded),
        ]
        for (text, code) in cases {
            let error = #expect(throws: OTRError.self, "\(text.prefix(40))") { try SExpressionReader.parse(Array(text.utf8)) }
            #expect(error?.code == code, "\(text.prefix(40))")
        }
    }

    /// A key file whose DSA parameters have the wrong sizes is refused
    /// before any primality test or exponentiation.
    @Test func keyFileWithWrongSizedParametersIsOutOfRange() {
        let file = """
            (privkeys (account (name "a") (protocol p) (private-key (dsa
              (p #0F#) (q #0B#) (g #02#) (y #03#) (x #04#)))))
            """
        let error = #expect(throws: OTRError.self) { try PrivateKeyFile(parsing: Array(file.utf8)) }
        #expect(error?.code == .outOfRange)
        #expect(error?.field?.contains("dsa p") == true)
    }

    // MARK: Fingerprints and instance tags

    /// Lines libotr would skip or misread are problems, the rest is read.
    @Test func hostileStoreLinesAreProblems() {
        let fp = String(repeating: "ab", count: 20)
        var text = "u\ta\tp\t\(fp)\tsmp\n"  // good
        text += "u\ta\tp\t\(fp.dropLast())\n"  // 39 digits
        text += String(repeating: "x", count: 1000) + "\ta\tp\t\(fp)\n"  // longer than libotr reads
        text += "u\ta\tp\t\(fp)\t\tsmp\n"  // 6 fields
        text += "u\ta\tp\t\(fp)"  // no newline
        let (store, problems) = FingerprintStore.parse(Array(text.utf8))
        #expect(store.entries.count == 1)
        #expect(store.entries.first?.trust == Array("smp".utf8))
        #expect(problems.count == 4)

        let tags = "WARNING\na\tp\t000000ff\na\tp\t1234567\na\tp\t0x000100\nb\tp\t00000100\n"
        let (file, tagProblems) = InstanceTagFile.parse(Array(tags.utf8))
        #expect(file.entries.map(\.tag.rawValue) == [0x100])
        #expect(tagProblems.count == 3)
    }
}
