import OTR

/// What the analyser learnt about one Data Message.

public struct DataMessageAnalysis: Sendable {
    /// nil when no key was tried (none given or derivable).
    public var macValid: Bool?
    public var keySource: DataKeySource?
    public var aesKey: SecureBytes?
    public var macKey: SecureBytes?
    /// The decrypted bytes, when the AES key was known and the MAC verified.
    public var plaintextBytes: SecureBytes?
    public var plaintext: DataPlaintext?
    /// Why the plaintext's TLVs could not be read.
    public var plaintextProblem: String?
    /// The counter did not increase over the last one used with the same
    /// keys and direction (a repeat reuses key stream).
    public var counterProblem: RuleViolation?
    /// The extra symmetric key of the keys that opened the message (v3).
    public var extraSymmetricKey: SecureBytes?
    /// The SMP TLVs at these indices of `plaintext`, their proofs and
    /// steps checked offline (`SMPTranscriptCheck`).
    public var smp: [Int: SMPMessageCheck] = [:]
}

/// What the analyser learnt about one AKE message.
public struct AKEAnalysis: Sendable {
    /// For a Reveal Signature: the D-H Commit's g^x opened with r.
    public var opening: DHCommitOpening.Result?
    /// The AKE keys, when a secret for this AKE was given.
    public var keys: AKEKeys?
    /// The D-H values of the AKE, as far as known.
    public var gx: MPI?
    public var gy: MPI?
    /// For Reveal Signature and Signature messages with keys.
    public var signatureCheck: AKESignatureCheck?
    /// Why the keys could not be derived (e.g. the D-H Commit was not seen).
    public var missing: String?
}

/// The analysis of one encoded message. It holds what was learnt, not the
/// message (the caller has that): decode analyses messages by the ten
/// thousand, and copying each one into its analysis was a cost of its own.
public struct MessageAnalysis: Sendable {
    /// Spec rules broken (the message was still read).
    public var violations: [RuleViolation]
    public var data: DataMessageAnalysis?
    /// Held in a box: an AKEAnalysis inline would triple the size of every
    /// analysis, and decode moves one per message; few are AKE messages.
    public var ake: AKEAnalysis? {
        get { akeBox?.value }
        set { akeBox = newValue.map(AKEBox.init) }
    }
    private var akeBox: AKEBox?

    public init(violations: [RuleViolation], data: DataMessageAnalysis? = nil, ake: AKEAnalysis? = nil) {
        self.violations = violations
        self.data = data
        self.ake = ake
    }

    private final class AKEBox: Sendable {
        public let value: AKEAnalysis
        public init(_ value: AKEAnalysis) { self.value = value }
    }
}

/// Reads the encoded messages of a capture in order and, with whatever
/// secrets it is given, opens what can be opened: it remembers the AKE's
/// D-H values (opening the D-H Commit once its r is revealed), derives AKE
/// and data keys from private exponents or shared secrets, verifies MACs and
/// signatures, decrypts, and notices counters used twice.
public final class CaptureAnalyzer {
    /// Distinct D-H public values remembered as key candidates; a capture
    /// rotates keys every few messages, so older ones are never needed.
    public static let maximumKnownPublicValues = 64
    /// Key pairs whose last counter is remembered for the counter check; a
    /// capture rotates keys every few messages, so older pairs are dropped.
    public static let maximumRememberedKeyPairs = 4096

    private let keys: CaptureKeys
    private var commits: [UInt32: DHCommitMessage] = [:]
    private var akeValues: [UInt32: (gx: MPI?, gy: MPI?)] = [:]
    private var knownPublics: [MPI] = []
    private var knownPublicSet: Set<MPI> = []
    private var derived: [DerivedKey: DataKeys] = [:]
    private var lastCounters: [KeyPairUse: UInt64] = [:]
    /// The SMP exchanges under way, for the proofs that need earlier messages.
    private var smp: SMPTranscriptCheck
    private var keyPairOrder: [KeyPairUse] = []

    /// The keys of a Data message, by keyids and the low 64 bits of the
    /// sender's next key (which tell the two directions apart in version
    /// 2; hashing all 192 bytes per message cost decode a tenth of its
    /// analysis). Next keys are random group elements; two colliding in
    /// their low 64 bits would merge two streams' counters.
    public struct KeyPairUse: Hashable {
        public let senderInstance: UInt32
        public let senderKeyID: UInt32
        public let recipientKeyID: UInt32
        public let nextKey: UInt64

        /// Two words hashed, not four fields.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(senderInstance) << 32 | UInt64(senderKeyID))
            hasher.combine(nextKey ^ UInt64(recipientKeyID))
        }
    }

    public struct DerivedKey: Hashable {
        public let ours: MPI
        public let theirs: MPI
    }

    public init(keys: CaptureKeys = CaptureKeys()) {
        self.keys = keys
        smp = SMPTranscriptCheck(exponents: keys.smpExponents, secretsAgree: keys.smpSecretsAgree)
    }

    public func analyze(binary: [UInt8]) throws -> MessageAnalysis {
        analyze(try EncodedMessage.read(binary), binary: binary)
    }

    /// Analyses a message already read from `binary` (reading is stateless
    /// and can happen elsewhere, e.g. on another thread).
    public func analyze(_ message: EncodedMessage, binary: [UInt8]) -> MessageAnalysis {
        var analysis = MessageAnalysis(violations: message.violations)
        switch message {
        case .dhCommit(let m):
            commits[ake(m.header, committer: .sender)] = m
            akeValues[ake(m.header, committer: .sender)] = (nil, nil)
        case .dhKey(let m):
            let id = ake(m.header, committer: .receiver)
            akeValues[id, default: (nil, nil)].gy = m.gy
            remember(m.gy)
            analysis.ake = AKEAnalysis(gy: m.gy)
        case .revealSignature(let m):
            let ake = revealSignature(m)
            analysis.ake = ake
            // The g^x the revealed r opens is a received D-H value too.
            if let gx = ake.opening?.gx, !DHGroup.isValidPublicValue(gx) {
                analysis.violations.append(.outsideGroup("opened g^x", as: "g^x"))
            }
        case .signature(let m):
            analysis.ake = signature(m)
        case .data(let m):
            analysis.data = data(m, binary: binary)
            if let problem = analysis.data?.counterProblem {
                analysis.violations.append(problem)
            }
            if let problem = analysis.data?.plaintextProblem {
                analysis.violations.append(RuleViolation(in: "plaintext", problem))
            }
            remember(m.nextDHKey)
        case .version1, .unknownVersion:
            break
        }
        return analysis
    }

    // MARK: AKE

    private enum Committer { case sender, receiver }

    /// AKE state is kept per committer (the D-H Commit's sender): its
    /// instance tag in v3, a single slot in v2.
    private func ake(_ header: MessageHeader, committer: Committer) -> UInt32 {
        let tag = committer == .sender ? header.senderInstance : header.receiverInstance
        return tag?.rawValue ?? 0
    }

    private func revealSignature(_ m: RevealSignatureMessage) -> AKEAnalysis {
        let id = ake(m.header, committer: .sender)
        var result = AKEAnalysis(gy: akeValues[id]?.gy)
        if let commit = commits[id] {
            let opening = DHCommitOpening.open(commit, revealedKey: m.revealedKey)
            result.opening = opening
            if let gx = opening.gx, opening.hashMatches {
                akeValues[id, default: (nil, nil)].gx = gx
                remember(gx)
            }
        } else {
            result.missing = "the D-H Commit this reveals was not in the capture"
        }
        result.gx = akeValues[id]?.gx
        finishAKE(&result, encrypted: m.encryptedSignature, mac: m.mac, role: .bob)
        return result
    }

    private func signature(_ m: SignatureMessage) -> AKEAnalysis {
        let id = ake(m.header, committer: .receiver)
        var result = AKEAnalysis(gx: akeValues[id]?.gx, gy: akeValues[id]?.gy)
        finishAKE(&result, encrypted: m.encryptedSignature, mac: m.mac, role: .alice)
        return result
    }

    private func finishAKE(_ result: inout AKEAnalysis, encrypted: [UInt8], mac: [UInt8], role: AKERole) {
        guard let gx = result.gx, let gy = result.gy else {
            if result.missing == nil { result.missing = "g^x and g^y of this AKE are not both known from the capture" }
            return
        }
        guard let s = akeSecret(gx: gx, gy: gy) else {
            if !keys.dhKeyPairs.isEmpty || !keys.sharedSecrets.isEmpty {
                result.missing = "no given secret belongs to this AKE"
            }
            return
        }
        let akeKeys = AKEKeys(SharedSecret(s))
        result.keys = akeKeys
        result.signatureCheck = AKESignatureCheck.check(encryptedSignature: encrypted, mac: mac, keys: akeKeys,
                                                        role: role, gx: gx, gy: gy)
    }

    /// s from a given private exponent of either side, or a given s that
    /// belongs (checked through the Reveal Signature's MAC by the caller).
    private func akeSecret(gx: MPI, gy: MPI) -> MPI? {
        for pair in keys.dhKeyPairs {
            if pair.publicKey == gx, let s = try? pair.sharedSecret(with: gy) { return s }
            if pair.publicKey == gy, let s = try? pair.sharedSecret(with: gx) { return s }
        }
        return keys.sharedSecrets.first
    }

    // MARK: Data messages

    /// Keeps a public value as a candidate for deriving data keys, which
    /// only a D-H private exponent needs.
    private func remember(_ y: MPI) {
        guard !keys.dhKeyPairs.isEmpty, !knownPublicSet.contains(y), DHGroup.isValidPublicValue(y) else { return }
        knownPublics.append(y)
        knownPublicSet.insert(y)
        if knownPublics.count > Self.maximumKnownPublicValues {
            knownPublicSet.remove(knownPublics.removeFirst())
        }
    }

    private func data(_ m: DataMessage, binary: [UInt8]) -> DataMessageAnalysis {
        var result = DataMessageAnalysis(counterProblem: nil)
        result.counterProblem = noteCounter(m)
        guard !keys.isEmpty else { return result }
        guard let (source, aes, mac, extra) = findKeys(m, binary: binary) else {
            result.macValid = false
            return result
        }
        result.macValid = true
        result.keySource = source
        result.aesKey = aes
        result.macKey = mac
        result.extraSymmetricKey = extra
        if let aes, let bytes = try? m.decrypt(aesKey: aes) {
            result.plaintextBytes = bytes
            do {
                let plaintext = try DataPlaintext.parse(bytes)
                result.plaintext = plaintext
                let exchange = SMPTranscriptCheck.Exchange(m.header.senderInstance, m.header.receiverInstance)
                for (i, tlv) in plaintext.tlvs.enumerated() {
                    let check = smp.check(tlv, in: exchange)
                    if !check.isEmpty { result.smp[i] = check }
                }
                for tlv in plaintext.tlvs { try tlv.checkContent() }
            } catch {
                result.plaintextProblem = "\(error)"
            }
        }
        return result
    }

    /// Spec "Data Message": the counter "should monotonically increase ...
    /// for each message sent with the same (sender keyid, recipient keyid)
    /// pair"; a repeat reuses AES-CTR key stream. Only the last counter of
    /// each key pair is kept, so memory stays flat however long the capture.
    private func noteCounter(_ m: DataMessage) -> RuleViolation? {
        let value = m.counterValue
        let pair = KeyPairUse(senderInstance: (m.header.senderInstance ?? .zero).rawValue, senderKeyID: m.senderKeyID,
                              recipientKeyID: m.recipientKeyID, nextKey: m.nextDHKey.low64)
        // One hash per message: the slot found is read and updated in place.
        guard let slot = lastCounters.index(forKey: pair) else {
            lastCounters[pair] = value
            keyPairOrder.append(pair)
            if keyPairOrder.count > Self.maximumRememberedKeyPairs {
                lastCounters[keyPairOrder.removeFirst()] = nil
            }
            return nil
        }
        let last = lastCounters.values[slot]
        lastCounters.values[slot] = value
        if value == last {
            return RuleViolation(.outOfRange, "counter", "\(Hex.encode(m.counter)) reused with the same keys (AES-CTR key stream repeats)")
        }
        if value < last {
            return RuleViolation(.outOfRange, "counter",
                                 "\(Hex.encode(m.counter)) is lower than \(String(last, radix: 16)) used before with the same keys; it must increase")
        }
        return nil
    }

    private func findKeys(_ m: DataMessage, binary: [UInt8]) -> (DataKeySource, SecureBytes?, SecureBytes, SecureBytes?)? {
        func matches(_ macKey: SecureBytes) -> Bool {
            (try? m.verifyMAC(macKey: macKey, original: binary)) == true
        }
        for (i, aes) in keys.aesKeys.enumerated() {
            let mac = DataKeys.macKey(forAESKey: aes)
            if matches(mac) { return (.aesKey(i), aes, mac, nil) }
        }
        for (i, mac) in keys.macKeys.enumerated() where matches(mac) {
            return (.macKey(i), nil, mac, nil)
        }
        for (i, pair) in keys.dhKeyPairs.enumerated() {
            for theirs in knownPublics where theirs != pair.publicKey {
                let key = DerivedKey(ours: pair.publicKey, theirs: theirs)
                let dk: DataKeys
                if let cached = derived[key] {
                    dk = cached
                } else {
                    guard let fresh = try? DataKeys(ours: pair, theirPublic: theirs) else { continue }
                    derived[key] = fresh
                    dk = fresh
                }
                if matches(dk.sendingMACKey) {
                    return (.dhPrivateKey(i, theirPublic: theirs, holderSent: true), dk.sendingAESKey, dk.sendingMACKey, dk.extraSymmetricKey)
                }
                if matches(dk.receivingMACKey) {
                    return (.dhPrivateKey(i, theirPublic: theirs, holderSent: false), dk.receivingAESKey, dk.receivingMACKey, dk.extraSymmetricKey)
                }
            }
        }
        for (i, s) in keys.sharedSecrets.enumerated() {
            for (gx, gy) in akeValues.values.compactMap({ v -> (MPI, MPI)? in
                guard let gx = v.gx, let gy = v.gy else { return nil }
                return (gx, gy)
            }) {
                let dk = DataKeys(SharedSecret(s), ourPublic: gx, theirPublic: gy)
                if matches(dk.sendingMACKey) {
                    return (.sharedSecret(i, holderOfGxSent: true), dk.sendingAESKey, dk.sendingMACKey, dk.extraSymmetricKey)
                }
                if matches(dk.receivingMACKey) {
                    return (.sharedSecret(i, holderOfGxSent: false), dk.receivingAESKey, dk.receivingMACKey, dk.extraSymmetricKey)
                }
            }
        }
        return nil
    }
}
