import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Build OTR messages from JSON (what decode --json prints) or from fields.",
            discussion: """
                Without a subcommand, reads JSON Lines, one message per line, in the \
                form decode --json prints, and writes each message: decode --json | \
                encode rebuilds the input byte for byte (each message put back into \
                the "text" of its line, a log's timestamp and name, at \
                "text_offset"; a line of several items as its items, one a line), \
                and decode --json | \
                jq ... | encode edits them. The kinds are query, whitespace-tag, error, \
                plaintext, dh-commit, dh-key, reveal-signature, signature, data, \
                v1-key-exchange, v1-data and unknown-version; fields are the ones \
                decode prints ("analysis" is ignored).

                A Data message given with --aes-key and a "plaintext" (top level, or \
                under "analysis" as decode --show-keys prints it) is encrypted and \
                MACed anew, with libotr's layout: the text, a NUL, then the TLVs. \
                With only --mac-key (or --aes-key and no plaintext) the message is \
                re-MACed. An object with a "reassembled" field (a message decode put \
                together from fragments) is skipped, because its fragments are in the \
                stream too; delete the field to encode the whole message. The \
                subcommands build messages from options instead.

                With --json, each message written is one JSON object instead: the \
                fields decode --json gives it (kind, wire fields, raw; for an offer \
                versions, offer, text and text_offset), so that encode reads it back, \
                then "length" in bytes and, with --xmpp-to, "stanza"; built from JSON \
                input, it starts with the "source" and "line" it came from. No key \
                or plaintext is included.
                """,
            subcommands: [FromJSON.self, Query.self, Tag.self, ErrorMessageCommand.self, DHCommit.self, DHKey.self, Data.self],
            defaultSubcommand: FromJSON.self
        )
    }
}

/// Options every encode subcommand shares: the output wrapping.
struct EncodeOutputOptions: ParsableArguments {
    @Option(name: .customLong("xmpp-to"), help: ArgumentHelp(
        "Wrap each message in an XMPP <message> to this full JID, with the hints XEP-0364 recommends.", valueName: "jid"))
    var xmppTo: String?

    @Option(name: .customLong("xmpp-from"), help: ArgumentHelp("The from attribute of the XMPP stanza.", valueName: "jid"))
    var xmppFrom: String?

    @Flag(name: .long, help: "Write JSON Lines: one object per message, with the fields decode --json gives it, its length and any stanza.")
    var json = false

    var output: EncodeOutput { EncodeOutput(xmppTo: xmppTo, xmppFrom: xmppFrom, json: json) }

    /// Writes the one message a field subcommand builds to standard output.
    func writeOne(_ message: [UInt8]) {
        let out = OutputSink.standardOutput()
        output.write(message, to: out)
        out.flush()
    }
}

extension OTRTool.Encode {
    struct FromJSON: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "json",
            abstract: "Build messages from JSON Lines (the default)."
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var wrapping: EncodeOutputOptions

        @Option(name: .customLong("aes-key"), help: ArgumentHelp(
            "Re-encrypt Data messages that carry a plaintext with this 16-byte AES key.", valueName: "secret"))
        var aesKey: SecretSource?

        @Option(name: .customLong("mac-key"), help: ArgumentHelp(
            "Re-MAC Data messages with this 20-byte MAC key (default with --aes-key: SHA-1 of it).", valueName: "secret"))
        var macKey: SecretSource?

        func run() throws {
            var builder = MessageBuilder()
            if let aesKey {
                builder.aesKey = try aesKey.read("--aes-key", count: 16)
            }
            if let macKey {
                builder.macKey = try macKey.read("--mac-key", count: 20)
            }
            let diagnostics = Diagnostics(command: "encode")
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            JSONLinesEncoder(builder: builder, output: wrapping.output).encode(input.lines(), out: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }
}
