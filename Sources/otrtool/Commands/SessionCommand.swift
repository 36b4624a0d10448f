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
            do { try SessionDriver.checkPeerName(peer) } catch { throw ValidationError("--peer: \(error)") }
            if insecureSeed != nil, fingerprints != nil {
                throw ValidationError("--insecure-seed writes no file: it cannot be used with --fingerprints")
            }
        }

        func run() throws {
            let driver = SessionDriver(options: .init(
                keyFile: keyFile, account: account, protocolName: protocolName, peer: peer, policy: policy.policy,
                instanceTag: instanceTag.flatMap(InstanceTag.init(hex:)), instanceTagsFile: instanceTags,
                fingerprintsFile: fingerprints, maximumMessageSize: fragment, virtualClock: clock == .virtual,
                maximumLineLength: maxLineLength, showSecrets: showSecrets, insecureSeed: insecureSeed, json: output.json))
            try driver.run()
        }
    }
}
