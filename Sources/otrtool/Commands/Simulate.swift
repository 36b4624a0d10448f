import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Run a scripted conversation between two parties from a seed and write every message and secret.",
            discussion: """
                Two OTR parties, alice and bob, run in one process and talk through an \
                in-memory network. The script (files or standard input) has one line a \
                step; empty lines and lines starting with "#" are skipped:

                  alice: TEXT        alice sends TEXT ("//" for a text starting with "/")
                  bob: /query        a Query Message; also /ake [2|3], /smp SECRET \
                (answers a pending request, else starts SMP), /smpq QUESTION|SECRET, \
                /smpabort, /symkey USE [HEXDATA], /tlv TYPE HEXDATA [TEXT], /end
                  !hold              stop delivering after each line
                  !step              deliver the next message in flight
                  !drop              lose the next message in flight
                  !swap              reorder: the next two messages in flight change places
                  !late              the next message in flight arrives after all the others
                  !corrupt           change one base64 character of the next message in flight
                  !duplicate         the next message in flight arrives twice
                  !flush             deliver everything and deliver after each line again
                  !fragment N        fragment later messages at N characters (0: never)
                  !wait SECONDS      move the parties' shared virtual clock forward \
                (heartbeats, re-sending and D-H Commit expiry follow it, as libotr's timers)

                A command the party refuses (SMP before the AKE, sending in \
                MSGSTATE_FINISHED, a TLV longer than 65 535 bytes) is a "refused" event \
                and an error naming the line (exit status 2); the run goes on. \
                After each line every message in flight is delivered, answers included, \
                until both parties are quiet (unless holding). Every random value (DSA \
                keys, instance tags, D-H keys, r, SMP exponents, DSA nonces) comes from \
                the seed, so the same seed and script give the same bytes: the output \
                is a test vector. It is INSECURE by design: it prints every secret.

                --json writes JSON Lines: "config", "party" (with the long-term private \
                key), "wire" (every message, each fragment, with "seq"), "delivered", \
                "dropped", "reordered", "delayed", "corrupted", "duplicated", "dh" (each D-H key pair), "secure" (ssid, AKE keys), "keys" \
                (AES, MAC and extra keys and revealed MAC keys of every Data message), \
                "smp_exponents", "smp", "symkey", "received", "state", "finished", \
                "ignored", "unreadable", "send_failed", and "end". Its wire messages are read by \
                decode (with --aes-key or the D-H keys printed) and by forge. \
                --wire-only prints just the wire messages, one a line: a capture; \
                --delivered prints the messages delivered, in the order delivered \
                (what the receivers were handed, lost ones left out, late ones late): \
                a capture for decode --explain.
                """
        )

        @OptionGroup var input: InputOptions

        @Option(name: .long, help: ArgumentHelp("The text every random value derives from.", valueName: "text"))
        var seed = "otrtool simulate"

        @Option(name: .long, help: ArgumentHelp("alice's policy: never, manual, opportunistic, always, or libotr's number.", valueName: "policy"))
        var alicePolicy = PolicyArgument(.manual)

        @Option(name: .long, help: ArgumentHelp("bob's policy.", valueName: "policy"))
        var bobPolicy = PolicyArgument(.manual)

        @Option(name: .customLong("protocol-version"),
                help: ArgumentHelp("Allow only this protocol version (2 or 3) in both policies.", valueName: "version"))
        var version: UInt16?

        @Option(name: .long, help: ArgumentHelp("Fragment messages longer than this many characters from the start.", valueName: "size"))
        var fragment: Int?

        @Option(name: .long, help: ArgumentHelp("Take both long-term keys from this libotr key file instead of the seed.", valueName: "file"),
                completion: .file())
        var keyFile: String?

        @Option(name: .long, help: ArgumentHelp("alice's account (and key file entry).", valueName: "name"))
        var aliceAccount = "alice@example.org"

        @Option(name: .long, help: ArgumentHelp("bob's account (and key file entry).", valueName: "name"))
        var bobAccount = "bob@example.org"

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The protocol of both accounts.", valueName: "protocol"))
        var protocolName = "prpl-jabber"

        @Flag(name: .long, help: "Print only the wire messages, one a line, in the order sent: a capture for decode and forge.")
        var wireOnly = false

        @Flag(name: .long, help: "Print only the messages delivered, one a line, in the order delivered: a capture of what the receivers were handed, for decode --explain.")
        var delivered = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if [wireOnly, delivered, output.json].filter({ $0 }).count > 1 {
                throw ValidationError("--wire-only, --delivered and --json exclude each other")
            }
            // The transcript prints the long-term private keys: never those
            // of a real chat client.
            if let keyFile, let reason = ClientKeyPaths.clientUse(of: keyFile) {
                throw ValidationError("simulate prints the private keys it uses; refusing \(keyFile.argumentText) (\(reason))")
            }
            if let version, version != 2 && version != 3 { throw ValidationError("--protocol-version must be 2 or 3") }
            if let fragment, fragment != 0, fragment < Fragmenter.minimumMessageSize(.v3) {
                throw ValidationError("--fragment must be 0 or at least \(Fragmenter.minimumMessageSize(.v3))")
            }
        }

        func run() throws {
            try Simulation(seed: seed, alicePolicy: alicePolicy.policy, bobPolicy: bobPolicy.policy, version: version,
                           fragment: fragment, keyFile: keyFile, aliceAccount: aliceAccount, bobAccount: bobAccount,
                           protocolName: protocolName, wireOnly: wireOnly, deliveredOnly: delivered,
                           json: output.json).run(input.lines())
        }
    }
}
