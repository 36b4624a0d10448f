import ArgumentParser
import OTR
import OTRToolkit
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

extension KeyFormat: ExpressibleByArgument {}

extension OTRTool {
    struct ConvertKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert-key",
            abstract: "Convert a long-term key between libotr's key file and python-potr's key serialisation.",
            discussion: """
                --to potr reads a libotr private key file and writes the key of one \
                account in python-potr's serialisation (type 0x0000, then the MPIs \
                p, q, g, y, x); --account and --protocol choose the account and may \
                be left out when the file holds only one.

                --to libotr reads a python-potr key and writes a libotr private key \
                file with it as the account given by --account and --protocol. When \
                --output names an existing key file the account is added to it, \
                keeping the others (an account it already holds is replaced only \
                with --replace). Without --replace, an existing --output (potr) or \
                account (libotr) is refused with status 64 and nothing is written.

                The input is the file argument or standard input. Output goes to \
                --output (created with mode 0600 through a temporary file) or to \
                standard output; a potr key is binary and is never written to a \
                terminal, a libotr key file only with --allow-terminal (status 64 \
                otherwise).

                With --json one JSON object describes the key converted (account, \
                protocol, fingerprint, public_key, format, output); only when the key \
                goes to standard output does it carry the key itself, as "key": the \
                potr serialisation in hex, or the libotr key file's text (with \
                "key_hex" when that is not UTF-8; and then a \
                terminal is refused for either unless --allow-terminal). A private key written to a regular file on standard \
                output that group or others may read gets a one-line warning on \
                standard error.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The format to write.", valueName: "format"))
        var to: KeyFormat

        @Argument(help: ArgumentHelp("The key to convert; standard input when not given or \"-\".", valueName: "file"),
                  completion: .file())
        var file: String = "-"

        @Option(name: .long, help: ArgumentHelp("The account name.", valueName: "name"))
        var account: String?

        @Option(name: .customLong("protocol"), help: ArgumentHelp("The protocol, e.g. prpl-jabber.", valueName: "protocol"))
        var protocolName: String?

        @Option(name: [.short, .long], help: ArgumentHelp("Write here instead of standard output.", valueName: "file"),
                completion: .file())
        var output: String?

        @Flag(name: .long, help: "Replace an existing output file (potr) or account (libotr).")
        var replace = false

        @OptionGroup var terminal: TerminalOptions
        @OptionGroup var jsonOutput: OutputOptions

        func validate() throws {
            if to == .libotr && (account == nil || protocolName == nil) {
                throw ValidationError("--to libotr needs --account and --protocol")
            }
            for value in [account, protocolName].compactMap({ $0 })
            where value.argumentBytes.contains(where: { $0 == 0 || $0 == 0x09 || $0 == 0x0a || $0 == 0x0d }) {
                throw ValidationError("--account and --protocol must not contain tabs, line breaks or NUL")
            }
        }

        func run() throws {
            try KeyConversion(to: to, file: file, account: account, protocolName: protocolName, output: output,
                              replace: replace, allowTerminal: terminal.allowTerminal, json: jsonOutput.json).run()
        }
    }
}
