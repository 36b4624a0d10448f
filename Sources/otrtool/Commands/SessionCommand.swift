import ArgumentParser
import OTR
import OTRToolkit
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

extension OTRTool {
    struct SessionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "Be one OTR endpoint over stdin/stdout, to talk to libotr or another implementation across a pipe.",
            discussion: """
                Each line of standard input is either a message that arrived from the \
                peer, or a command of the local user: \(PartyCommand.summary). A line \
                that does not start with "/" or "{" is a received message, exactly as \
                its bytes; "//" starts a received message beginning with "/". A line \
                starting with "{" is a JSON object whose "text" (or "text_hex") is the \
                received message; objects with an "event" other than "wire" (another \
                tool's events) are skipped, so the JSON Lines of a peer can be piped \
                straight in. Commands that send text ("/smp blue") keep secrets off \
                the command line.

                Without --json, the messages to send to the peer go to standard output, \
                one a line, and what happened (secure, received messages, SMP, errors) \
                goes to standard error. With --json, standard output carries JSON Lines: \
                "wire" events (the messages to send, in "text"), the session's events \
                ("secure", "received", "smp", "symkey", "state", "finished", "ignored", \
                "unreadable", "resent", "resend_refused", "heartbeat", "expired", \
                "sent_unencrypted", "clock", ...) and after each input line a "done" \
                event with the line number, the message state and the instance what \
                the user does goes to, so a driver can wait for it.

                The policy (libotr's names and bits) decides the versions and whether a \
                whitespace tag, a Query or an Error starts the AKE. Long messages are \
                fragmented with --fragment as libotr fragments them.

                Instances: the peer may be logged in more than once. Each version 3 \
                instance that talks to the session gets a conversation of its own \
                (message state, keys, SMP), as libotr's contexts; every event of an \
                instance names it ("instance" in JSON, "[instance TAG]" in text). What \
                the user does goes to the instance chosen with /instance TAG, or (the \
                default, /instance best) to libotr's best: encrypted first, then the one \
                heard from most recently. Messages for another instance of ours are \
                ignored with the reason.

                Re-sending: a text is sent again in two cases only, as libotr does. A \
                text held back because the policy requires encryption goes out when \
                the AKE completes; after an OTR Error (with ERROR_START_AKE) the last \
                text sent privately goes out again, prefixed "[resent] ", when the AKE \
                the Error started completes. Either only within 60 seconds of when it \
                was typed or sent, and (stricter than libotr) never to another long-term \
                key than the one it was encrypted to: a stranger who completes an AKE \
                gets no earlier text. Each re-send is a "resent" event and each refusal \
                a "resend_refused" event with the reason.

                Timers, as libotr's: after a Data message with text arrives, a session \
                that sent nothing for more than 60 seconds sends a heartbeat (an empty \
                Data message, a "heartbeat" event); a version 3 D-H Commit no D-H Key \
                answered in 60 seconds is forgotten ("expired"). --clock virtual runs \
                them on a clock that moves only with /wait SECONDS, so a run is \
                reproducible.

                The exit status is 1 if an AKE, a Data message or SMP failed a check, 2 \
                if a command or input line was malformed, else 0.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The libotr private key file with our account's key.", valueName: "file"),
                completion: .file())
        var keyFile: String

        @Option(name: .long, help: ArgumentHelp("Our account name in the key file.", valueName: "name"))
        var account: String

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The account's protocol in the key file.", valueName: "protocol"))
        var protocolName: String

        @Option(name: .long, help: ArgumentHelp("The peer's name: shown in events and text lines, and recorded with its fingerprint.",
                                                valueName: "name"))
        var peer = "peer"

        @Option(name: .long, help: ArgumentHelp("libotr policy: never, manual, opportunistic, always, or its number.", valueName: "policy"))
        var policy = PolicyArgument(.manual)

        @Option(name: .long, help: ArgumentHelp("Our instance tag, 8 hex digits (default: the account's in --instance-tags, else random).",
                                                valueName: "tag"))
        var instanceTag: String?

        @Option(name: .long, help: ArgumentHelp("An otr.instance_tags file to take our instance tag from.", valueName: "file"),
                completion: .file())
        var instanceTags: String?

        @Option(name: .long, help: ArgumentHelp(
            "An otr.fingerprints file: the peer's fingerprint is added (as --peer) when an AKE completes, and trusted (smp) when SMP succeeds, as libotr does; each change is made under the file's lock to the file as it is then.",
            valueName: "file"), completion: .file())
        var fingerprints: String?

        @Option(name: .long, help: ArgumentHelp("Fragment messages longer than this many characters (libotr's max_message_size).",
                                                valueName: "size"))
        var fragment: Int?

        @Option(name: .long, help: ArgumentHelp(
            "The session's clock: real, or virtual (starts at \(VirtualClock.defaultStart) and moves only with /wait SECONDS), for reproducible timers.",
            valueName: "clock"))
        var clock = ClockArgument.real

        @Option(name: .long,
                help: ArgumentHelp("Longest input line accepted, in bytes; longer lines are skipped and reported.",
                                   valueName: "bytes"))
        var maxLineLength: Int = LineReader.defaultMaximumLineLength

        @Flag(name: .long, help: "Also print D-H key pairs, data keys, AKE keys and SMP exponents (JSON only): for debugging, never in real use.")
        var showSecrets = false

        @Option(name: [.customLong("insecure-seed")],
                help: ArgumentHelp("INSECURE: take every random value from this text, reproducibly, for test vectors. Writes no file.",
                                   valueName: "text"))
        var insecureSeed: String?

        @OptionGroup var output: OutputOptions

        enum ClockArgument: String, ExpressibleByArgument, CaseIterable {
            case real, virtual
        }

        func validate() throws {
            if let fragment, fragment < Fragmenter.minimumMessageSize(.v3) {
                throw ValidationError("--fragment must be at least \(Fragmenter.minimumMessageSize(.v3))")
            }
            if let instanceTag {
                guard let tag = InstanceTag(hex: instanceTag), tag.isValidSender else {
                    throw ValidationError("--instance-tag must be 8 hex digits, at least 00000100")
                }
            }
            guard maxLineLength > 0 else { throw ValidationError("--max-line-length must be positive") }
            // The peer's name is a field of the fingerprints file: checked
            // now, not when the first AKE completes.
            do {
                guard !peer.isEmpty else { throw OTRError.invalidArgument("username", "is empty") }
                // Tabs and line breaks cannot stand in the file; no control
                // character belongs in a name shown on a terminal.
                if peer.argumentBytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
                    throw OTRError.invalidArgument("username", "holds a tab, line break or other control character")
                }
            } catch {
                throw ValidationError("--peer: \(error)")
            }
            if insecureSeed != nil, fingerprints != nil {
                throw ValidationError("--insecure-seed writes no file: it cannot be used with --fingerprints")
            }
        }

        func run() throws {
            let diagnostics = Diagnostics(command: "session")
            let name = account.argumentBytes, proto = protocolName.argumentBytes
            guard SecureFileWriter.exists(keyFile) else {
                throw diagnostics.fatal(nil, "cannot open \(display(keyFile.argumentBytes)): No such file or directory", status: .noInput)
            }
            let keys = try KeyFileStore.loadPrivateKeys(keyFile, diagnostics: diagnostics)
            guard let key = keys.file.account(name, protocolName: proto) else {
                throw diagnostics.fatal(keyFile, "holds no key for \(display(name)) (\(display(proto)))", status: .noInput)
            }
            let random: RandomSource
            if let insecureSeed {
                writeStandardError("otrtool session: WARNING: --insecure-seed makes every key of this session predictable. Use it for test vectors only.")
                random = DeterministicRandom(seed: insecureSeed.argumentBytes)
            } else {
                random = SystemRandom(level: .strong)
            }
            let virtualClock = clock == .virtual ? VirtualClock() : nil
            let ours = try ourInstanceTag(random: random, diagnostics: diagnostics)
            var session: Session
            do {
                session = try Session(configuration: .init(longTermKey: key.key, policy: policy.policy, ourInstance: ours,
                                                           maximumMessageSize: fragment, accountName: account),
                                      random: random, clock: virtualClock ?? SystemClock())
            } catch {
                throw diagnostics.fatal(nil, "\(error)", status: .usage)
            }

            // Read before the session starts, so a bad file stops nothing
            // midway; each change is made to the file as it is then, under
            // its lock, so entries other programs add meanwhile are kept.
            if let fingerprints {
                try KeyFileStore.checkTarget(fingerprints, option: "--fingerprints", diagnostics: diagnostics)
                _ = try KeyFileStore.loadFingerprints(fingerprints, diagnostics: diagnostics)
            }
            func remember(_ record: SessionRecord) throws {
                guard let path = fingerprints else { return }
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
                try KeyFileStore.updateFingerprints(path, diagnostics: diagnostics) { store in
                    store.record(username: peer.argumentBytes, accountName: name, protocolName: proto,
                                 fingerprint: theirs, trust: trust)
                }
            }

            let out = OutputSink.standardOutput()
            defer { out.flush() }
            let renderer = SessionEventRenderer(party: "local", peer: peer, secrets: showSecrets)
            var seq = 0
            if output.json {
                out.writeLine(.object([("event", .string("party")), ("name", .string("local")), ("account", .string(account)),
                                       ("protocol", .string(protocolName)), ("fingerprint", .string(key.key.publicKey.fingerprint.human)),
                                       ("instance", .string(ours.hex)), ("policy", .int(Int(policy.policy.rawValue))),
                                       ("clock", .string(clock.rawValue))]))
                out.flush()
            }

            func emit(_ result: SessionOutput, line: Int) throws {
                for record in result.records {
                    try remember(record)
                    // A failure goes to stderr once, as a diagnostic with its
                    // line and the status it decides; other events, in text
                    // mode, as they read.
                    let text = renderer.text(record)
                    if let status = Self.failureStatus(record.event) {
                        diagnostics.report("-:\(line)", text ?? "\(record.event)", status: status)
                    } else if !output.json, let text {
                        writeStandardError("otrtool session: \(text)")
                    }
                    if output.json, let json = renderer.json(record, seq: seq) { out.writeLine(json) }
                }
                for wire in result.wire {
                    seq += 1
                    if output.json {
                        out.writeLine(SessionEventRenderer.wire(from: "local", to: peer, seq: seq, bytes: wire))
                    } else {
                        out.write(bytes: wire)
                        out.write("\n")
                    }
                }
            }

            var reader = LineReader(fd: 0, maximumLineLength: maxLineLength)
            var lineNumber = 0
            while let line = reader.next() {
                lineNumber += 1
                switch line {
                case .tooLong(let length):
                    let message = "line of \(length) bytes exceeds --max-line-length \(maxLineLength); skipped"
                    diagnostics.report("-:\(lineNumber)", message, status: .malformedInput)
                    if output.json {
                        out.writeLine(.object([("event", .string("error")), ("line", .int(lineNumber)), ("message", .string(message))]))
                    }
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
                            if case .wait = command, output.json, let virtualClock {
                                out.writeLine(.object([("event", .string("clock")), ("now", .int(Int(virtualClock.now)))]))
                            }
                        }
                    } catch let fatal as ExitCodeError {
                        throw fatal  // already reported: a file could not be written
                    } catch {
                        diagnostics.report("-:\(lineNumber)", "\(error)", status: .malformedInput)
                        if output.json {
                            out.writeLine(.object([("event", .string("error")), ("line", .int(lineNumber)), ("message", .string("\(error)"))]))
                        }
                    }
                }
                if output.json {
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

        /// The exit status an event decides, for the events that are
        /// failures: failed checks (AKE, Data message, SMP) 1; a message that
        /// cannot be read at all, a fragment problem, or a message the
        /// session could not send on its own (as a /send that fails at
        /// once) 2.
        static func failureStatus(_ event: SessionEvent) -> ExitStatus? {
            switch event {
            case .akeFailed(let error), .unreadable(let error, _):
                error.code == .checkFailed ? .checkFailed : .malformedInput
            case .fragmentProblem, .sendFailed:
                .malformedInput
            case .smp(.failed), .smp(.cheatingDetected):
                .checkFailed
            default:
                nil
            }
        }

        enum InputLine {
            case received([UInt8])
            case command(PartyCommand)
            case skip
        }

        static func classify(_ bytes: [UInt8]) throws -> InputLine {
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

        private func ourInstanceTag(random: RandomSource, diagnostics: Diagnostics) throws -> InstanceTag {
            if let instanceTag, let tag = InstanceTag(hex: instanceTag) { return tag }
            if let instanceTags {
                let tags = try KeyFileStore.loadInstanceTags(instanceTags, diagnostics: diagnostics)
                if let tag = tags.file.tag(accountName: account.argumentBytes, protocolName: protocolName.argumentBytes) { return tag }
                throw diagnostics.fatal(instanceTags, "holds no instance tag for \(account) (\(protocolName))", status: .noInput)
            }
            return InstanceTagFile.newTag(random: random)
        }
    }
}
