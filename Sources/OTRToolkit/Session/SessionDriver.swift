import OTR
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// `otrtool session`: one OTR endpoint over a pair of streams. Each input
/// line is a received message or a party command (`classify`); what the
/// session sends goes to standard output, one a line (or as "wire"
/// events), what happens to standard error (or as events).
public struct SessionDriver {
    public struct Options {
        public var keyFile: String
        public var account: String
        public var protocolName: String
        public var peer: String
        public var policy: Policy
        public var instanceTag: InstanceTag?
        public var instanceTagsFile: String?
        public var fingerprintsFile: String?
        public var maximumMessageSize: Int?
        public var virtualClock: Bool
        public var maximumLineLength: Int
        public var showSecrets: Bool
        public var insecureSeed: String?
        public var json: Bool

        public init(keyFile: String, account: String, protocolName: String, peer: String, policy: Policy,
                    instanceTag: InstanceTag?, instanceTagsFile: String?, fingerprintsFile: String?,
                    maximumMessageSize: Int?, virtualClock: Bool, maximumLineLength: Int, showSecrets: Bool,
                    insecureSeed: String?, json: Bool) {
            self.keyFile = keyFile
            self.account = account
            self.protocolName = protocolName
            self.peer = peer
            self.policy = policy
            self.instanceTag = instanceTag
            self.instanceTagsFile = instanceTagsFile
            self.fingerprintsFile = fingerprintsFile
            self.maximumMessageSize = maximumMessageSize
            self.virtualClock = virtualClock
            self.maximumLineLength = maximumLineLength
            self.showSecrets = showSecrets
            self.insecureSeed = insecureSeed
            self.json = json
        }
    }

    public let options: Options
    private let diagnostics = Diagnostics(command: "session")

    public init(options: Options) { self.options = options }

    /// The peer's name, checked before the first line: it is a field of
    /// the fingerprints file, and is shown on a terminal.
    public static func checkPeerName(_ peer: String) throws {
        guard !peer.isEmpty else { throw OTRError.invalidArgument("username", "is empty") }
        // Tabs and line breaks cannot stand in the file; no control
        // character belongs in a name shown on a terminal.
        if peer.argumentBytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw OTRError.invalidArgument("username", "holds a tab, line break or other control character")
        }
    }

    /// Runs the session over the lines of descriptor `input` until it ends.
    public func run(input: Int32 = 0) throws {
        let name = options.account.argumentBytes, proto = options.protocolName.argumentBytes
        guard SecureFileWriter.exists(options.keyFile) else {
            throw diagnostics.fatal(nil, "cannot open \(display(options.keyFile.argumentBytes)): No such file or directory", status: .noInput)
        }
        let keys = try KeyFileStore.loadPrivateKeys(options.keyFile, diagnostics: diagnostics)
        guard let key = keys.file.account(name, protocolName: proto) else {
            throw diagnostics.fatal(options.keyFile, "holds no key for \(display(name)) (\(display(proto)))", status: .noInput)
        }
        let random: RandomSource
        if let seed = options.insecureSeed {
            writeStandardError("otrtool session: WARNING: --insecure-seed makes every key of this session predictable. Use it for test vectors only.")
            random = DeterministicRandom(seed: seed.argumentBytes)
        } else {
            random = SystemRandom(level: .strong)
        }
        let virtualClock = options.virtualClock ? VirtualClock() : nil
        let ours = try ourInstanceTag(random: random)
        var session: Session
        do {
            session = try Session(configuration: .init(longTermKey: key.key, policy: options.policy, ourInstance: ours,
                                                       maximumMessageSize: options.maximumMessageSize, accountName: options.account),
                                  random: random, clock: virtualClock ?? SystemClock())
        } catch {
            throw diagnostics.fatal(nil, "\(error)", status: .usage)
        }

        // Read before the session starts, so a bad file stops nothing
        // midway; each change is made to the file as it is then, under
        // its lock, so entries other programs add meanwhile are kept.
        if let fingerprints = options.fingerprintsFile {
            try KeyFileStore.checkTarget(fingerprints, option: "--fingerprints", diagnostics: diagnostics)
            _ = try KeyFileStore.loadFingerprints(fingerprints, diagnostics: diagnostics)
        }

        let out = OutputSink.standardOutput()
        defer { out.flush() }
        let renderer = SessionEventRenderer(party: "local", peer: options.peer, secrets: options.showSecrets)
        var seq = 0
        if options.json {
            out.writeLine(.object([("event", .string("party")), ("name", .string("local")), ("account", .string(options.account)),
                                   ("protocol", .string(options.protocolName)),
                                   ("fingerprint", .string(key.key.publicKey.fingerprint.human)),
                                   ("instance", .string(ours.hex)), ("policy", .int(Int(options.policy.rawValue))),
                                   ("clock", .string(options.virtualClock ? "virtual" : "real"))]))
            out.flush()
        }

        func emit(_ result: SessionOutput, line: Int) throws {
            for record in result.records {
                try remember(record, in: session)
                // A failure goes to stderr once, as a diagnostic with its
                // line and the status it decides; other events, in text
                // mode, as they read.
                let text = renderer.text(record)
                if let status = Self.failureStatus(record.event) {
                    diagnostics.report("-:\(line)", text ?? "\(record.event)", status: status)
                } else if !options.json, let text {
                    writeStandardError("otrtool session: \(text)")
                }
                if options.json, let json = renderer.json(record, seq: seq) { out.writeLine(json) }
            }
            for wire in result.wire {
                seq += 1
                if options.json {
                    out.writeLine(SessionEventRenderer.wire(from: "local", to: options.peer, seq: seq, bytes: wire))
                } else {
                    out.write(bytes: wire)
                    out.write("\n")
                }
            }
        }
        func reportError(_ error: any Error, message: String, line: Int) {
            diagnostics.report("-:\(line)", message, status: ExitStatus(for: error))
            if options.json {
                out.writeLine(.object([("event", .string("error")), ("line", .int(line)), ("message", .string(message))]))
            }
        }

        var reader = LineReader(fd: input, maximumLineLength: options.maximumLineLength)
        var lineNumber = 0
        while let line = reader.next() {
            lineNumber += 1
            switch line {
            case .tooLong(let length):
                let problem = InputLines.lineTooLong(length, limit: options.maximumLineLength)
                reportError(problem, message: problem.description, line: lineNumber)
            case .text(let bytes):
                do {
                    switch try Self.classify(bytes) {
                    case .skip:
                        break
                    case .received(let message):
                        seq += 1
                        try emit(session.receive(message), line: lineNumber)
                    case .command(let command):
                        try emit(try command.apply(to: &session, clock: virtualClock), line: lineNumber)
                        if case .wait = command, options.json, let virtualClock {
                            out.writeLine(.object([("event", .string("clock")), ("now", .int(Int(virtualClock.now)))]))
                        }
                    }
                } catch let fatal as ExitCodeError {
                    throw fatal  // already reported: a file could not be written
                } catch {
                    reportError(error, message: "\(error)", line: lineNumber)
                }
            }
            if options.json {
                var done: [(String, JSON)] = [("event", .string("done")), ("line", .int(lineNumber)),
                                              ("msgstate", .string(session.messageState.rawValue))]
                if let target = session.targetInstance { done.append(("instance", .string(target.hex))) }
                out.writeLine(.object(done))
            }
            out.flush()
        }
        if let error = reader.readError {
            throw diagnostics.fatal("-", "read failed: \(String(cString: strerror(error)))", status: .ioError)
        }
        out.flush()
        try diagnostics.finish()
    }

    /// Records in the fingerprints file what `record` teaches: the peer's
    /// fingerprint when an AKE completes, its trust when SMP ends.
    private func remember(_ record: SessionRecord, in session: Session) throws {
        guard let path = options.fingerprintsFile else { return }
        let trust: [UInt8]?
        let theirs: Fingerprint?
        switch record.event {
        case .secure(let result):
            trust = nil
            theirs = result.theirFingerprint
        case .smp(.succeeded), .smp(.failed):
            if case .smp(.succeeded) = record.event { trust = Array("smp".utf8) } else { trust = [] }
            theirs = session.instances.first { $0.instance == record.instance }?.theirFingerprint
        default:
            return
        }
        guard let theirs else { return }
        let name = options.account.argumentBytes, proto = options.protocolName.argumentBytes, peer = options.peer.argumentBytes
        try KeyFileStore.updateFingerprints(path, diagnostics: diagnostics) { store in
            store.record(username: peer, accountName: name, protocolName: proto, fingerprint: theirs, trust: trust)
        }
    }

    /// The exit status an event decides, for the events that are
    /// failures: failed checks (AKE, Data message, SMP) 1; a message that
    /// cannot be read at all, a fragment problem, or a message the
    /// session could not send on its own (as a /send that fails at
    /// once) 2.
    public static func failureStatus(_ event: SessionEvent) -> ExitStatus? {
        switch event {
        case .akeFailed(let error), .unreadable(let error, _):
            ExitStatus(for: error)
        case .fragmentProblem, .sendFailed:
            .malformedInput
        case .smp(.failed), .smp(.cheatingDetected):
            .checkFailed
        default:
            nil
        }
    }

    public enum InputLine {
        case received([UInt8])
        case command(PartyCommand)
        case skip
    }

    /// What an input line is: a JSON object (another tool's event, or a
    /// "wire" event whose text arrived), a party command ("/..."; "//"
    /// escapes a received "/"), or a received message as its bytes.
    public static func classify(_ bytes: [UInt8]) throws -> InputLine {
        if bytes.first == UInt8(ascii: "{") {
            let value = try JSONParser.parse(bytes)
            if let event = value["event"]?.stringValue, event != "wire" { return .skip }
            if let hex = value["text_hex"]?.stringValue { return .received(try Hex.decode(hex)) }
            guard let text = value["text"]?.stringValue else {
                throw PartyCommand.SyntaxError("a JSON input line needs \"text\" or \"text_hex\"")
            }
            return .received(Array(text.utf8))
        }
        if bytes.first == UInt8(ascii: "/") {
            if bytes.count > 1, bytes[1] == UInt8(ascii: "/") { return .received(Array(bytes.dropFirst())) }
            return .command(try PartyCommand.parse(bytes))
        }
        return .received(bytes)
    }

    private func ourInstanceTag(random: RandomSource) throws -> InstanceTag {
        if let tag = options.instanceTag { return tag }
        if let path = options.instanceTagsFile {
            let tags = try KeyFileStore.loadInstanceTags(path, diagnostics: diagnostics)
            if let tag = tags.file.tag(accountName: options.account.argumentBytes, protocolName: options.protocolName.argumentBytes) {
                return tag
            }
            throw diagnostics.fatal(path, "holds no instance tag for \(options.account) (\(options.protocolName))", status: .noInput)
        }
        return InstanceTagFile.newTag(random: random)
    }
}
