import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Generate an OTR long-term key (DSA, 1024-bit p, 160-bit q) in libotr's key file format.",
            discussion: """
                Without --key-file the new key is written to standard output as a \
                complete libotr private key file holding one account. With \
                --key-file FILE it is added to FILE (Pidgin's otr.private_key, \
                irssi's otr.key, BitlBee's USER.otr_keys), keeping every other \
                account; FILE is created when missing. An account and protocol that \
                FILE already holds are replaced only with --replace: without it the \
                run is refused with status 64 (usage) and nothing is generated or \
                written. Files are changed under a lock, with a temporary file that \
                is then renamed (see FILES in otrtool(1)); an existing file must be \
                valid, or it is left unchanged.

                --instance-tags FILE also gives the account an instance tag in \
                libotr's otr.instance_tags format (kept when it has one, unless \
                --replace).

                Keys come from libgcrypt's very strong random generator. --seed TEXT \
                instead derives the key from TEXT (FIPS 186-4 A.1.1.2 domain \
                parameters with SHA-1), so the same TEXT gives the same key: for \
                test vectors only. Such a key is insecure, a warning says so on \
                standard error, and it is refused for the files chat clients use.

                With --json a JSON object describes the key (account, protocol, \
                fingerprint, public_key, files written); when the key goes to \
                standard output it also carries p, q, g, y and x in hex.

                Every run ends with the new key's fingerprint on standard error, \
                one line, as ssh-keygen shows it. When the private key goes to \
                standard output (no --key-file), a terminal is refused with status \
                64 unless --allow-terminal is given, and a regular file that group \
                or others may read (the shell creates it with the umask's mode, \
                usually 0644) gets a one-line warning on standard error.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The account name, e.g. alice@example.org.", valueName: "name"))
        var account: String

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The protocol as the client names it, e.g. prpl-jabber, prpl-irc, xmpp.", valueName: "protocol"))
        var protocolName: String

        @Option(name: .long, help: ArgumentHelp("Add the key to this libotr private key file (created when missing).", valueName: "file"),
                completion: .file())
        var keyFile: String?

        @Flag(name: .long, help: "Replace the account's existing key (and instance tag) instead of refusing.")
        var replace = false

        @Option(name: .long, help: ArgumentHelp("Also record an instance tag for the account in this otr.instance_tags file.", valueName: "file"),
                completion: .file())
        var instanceTags: String?

        @Option(name: [.customLong("seed"), .customLong("insecure-seed")],
                help: ArgumentHelp("INSECURE: derive the key from this text, reproducibly, for test vectors.", valueName: "text"))
        var seed: String?

        @OptionGroup var output: OutputOptions
        @OptionGroup var terminal: TerminalOptions

        func validate() throws {
            if let problem = generation.optionProblem { throw ValidationError(problem) }
        }

        var generation: KeyGeneration {
            KeyGeneration(account: account, protocolName: protocolName, keyFile: keyFile, replace: replace, instanceTags: instanceTags,
                          seed: seed, json: output.json, allowTerminal: terminal.allowTerminal)
        }

        func run() throws {
            try generation.run()
        }
    }
}
