import ArgumentParser
import OTR
import OTRToolkit
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

extension OTRTool {
    struct FragmentCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fragment",
            abstract: "Split messages into OTR fragments as libotr does; reassemble fragments and explain what is broken.",
            discussion: """
                "fragment split" cuts the OTR message of each input line into \
                fragments of at most --size bytes, byte for byte as libotr 4.1.1 \
                writes them: \
                ?OTR|%08x|%08x,%05hu,%05hu,piece, for version 3 and \
                ?OTR,%05hu,%05hu,piece, for version 2. "fragment join" reads \
                fragments of any number of messages and instances, interleaved, \
                prints each message as it completes and names every fragment \
                that is missing, duplicated, out of order or inconsistent.

                Messages may contain newlines (libotr's query message does); \
                with -z records are separated by NUL bytes instead, on input \
                and output.
                """,
            subcommands: [Split.self, Join.self]
        )
    }
}

extension FragmentPreset: ExpressibleByArgument {}
extension FragmentSplitter.FormChoice: ExpressibleByArgument {}

/// An instance tag on the command line: 8 hex digits (or fewer).
struct InstanceTagArgument: ExpressibleByArgument {
    let value: UInt32
    init?(argument: String) {
        let hex = argument.hasPrefix("0x") ? String(argument.dropFirst(2)) : argument
        guard !hex.isEmpty, hex.count <= 8, let v = UInt32(hex, radix: 16) else { return nil }
        value = v
    }
    static var defaultValueDescription: String { "8 hex digits" }
}

/// -z: NUL-separated records.
struct RecordOptions: ParsableArguments {
    @Flag(name: [.customShort("z"), .customLong("null")],
          help: "Records (input messages, output fragments and messages) end with NUL instead of newline.")
    var null = false

    var delimiter: UInt8 { null ? 0 : 0x0a }
}

extension OTRTool.FragmentCommand {
    struct Split: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "split",
            abstract: "Split each input line (or each whole input with --whole) into fragments.",
            discussion: """
                The message is found wherever it stands in the line, as decode \
                finds it: each encoded message (?OTR: to its closing "."), else a \
                query or OTR error message from its ?OTR to the end of the line, \
                else the whole line (plain text, tagged or not). Text around the \
                message, such as a log's timestamp and name, is not part of it and is \
                not written; with --json, "offset" says where in the line the \
                message started. An encoded message without its "." is reported \
                and not split, and so is a line that holds a fragment already.

                Sizes count bytes, as libotr's strlen does. A message of at most \
                SIZE bytes is written unchanged. Otherwise each piece holds SIZE \
                minus libotr's header constant (37 for v3, 19 for v2) bytes, so \
                every fragment is at most SIZE-1 bytes and n = ceil(length / \
                piece); a UTF-8 character may be cut between pieces, as libotr \
                cuts it. More than 65535 fragments is an error.

                The form and the instance tags default to the message's own \
                header: a version 3 encoded message (?OTR:AAM...) gives v3 \
                fragments with its sender and receiver tags; anything else \
                (a query message, a version 2 message) gives v2 fragments. \
                --form, --sender and --receiver override them.

                Presets (bytes): \(FragmentPreset.helpText). The AIM, ICQ, OSCAR, \
                MSN, Yahoo, Gadu-Gadu, Novell and IRC numbers are pidgin-otr's; \
                xmpp is half of a common server stanza limit.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var records: RecordOptions

        @Option(name: .long, help: ArgumentHelp("Maximum message size of the network, in bytes.", valueName: "bytes"))
        var size: Int?

        @Option(name: .long, help: ArgumentHelp("A network's maximum message size: \(FragmentPreset.allCases.map(\.rawValue).joined(separator: ", ")).",
                                                valueName: "network"))
        var preset: FragmentPreset?

        @Option(name: .long, help: "Fragment form: auto (from the message header), v2 or v3.")
        var form: FragmentSplitter.FormChoice = .auto

        @Option(name: .long, help: ArgumentHelp("Sender instance tag of v3 fragments (hex).", valueName: "tag"))
        var sender: InstanceTagArgument?

        @Option(name: .long, help: ArgumentHelp("Receiver instance tag of v3 fragments (hex).", valueName: "tag"))
        var receiver: InstanceTagArgument?

        @Flag(name: .long, help: "Write k, n and tags without zero padding, as python-potr does.")
        var unpadded = false

        @Flag(name: .long, help: "Each input is one message (one trailing newline removed), not one per line.")
        var whole = false

        func validate() throws {
            switch (size, preset) {
            case (nil, nil): throw ValidationError("give --size or --preset")
            case (_?, _?): throw ValidationError("--size and --preset exclude each other")
            default: break
            }
            if let problem = FragmentSplitter.sizeProblem(size ?? preset!.size, form: form) { throw ValidationError(problem) }
            if form == .v2 && (sender != nil || receiver != nil) {
                throw ValidationError("--sender and --receiver apply to v3 fragments only")
            }
        }

        func run() throws {
            let maximumSize = size ?? preset!.size
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            let diagnostics = Diagnostics(command: "fragment split")
            let splitter = FragmentSplitter(options: .init(form: form, sender: sender?.value, receiver: receiver?.value,
                                                           maximumSize: maximumSize, padded: !unpadded, json: output.json,
                                                           terminator: records.delimiter),
                                            out: out, diagnostics: diagnostics)
            if whole {
                splitter.split(wholeSources: input.sources, limit: input.maxLineLength)
            } else {
                splitter.split(lines: input.lines(delimiter: records.delimiter))
            }
            out.flush()
            try diagnostics.finish()
        }
    }

    struct Join: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "join",
            abstract: "Reassemble fragments, print each completed message, report what is broken.",
            discussion: """
                Each input line that holds ?OTR| or ?OTR, is read as a fragment \
                (from that marker to the end of the line; padded and unpadded \
                numbers alike). Fragments are grouped by form and, for version \
                3, by sender and receiver instance tag, so messages of several \
                instances may be interleaved. Each message is printed when its \
                last fragment arrives; other lines are copied unchanged, so \
                "fragment split | fragment join" gives back the messages of its \
                input (a line of plain text whole).

                The messages completed are exactly those libotr completes: k=1 \
                always starts a new message; k=K+1 with the same n appends; \
                anything else (a duplicate, a gap, a fragment out of order, n \
                changed) makes libotr forget the message in progress. Each such \
                event is one line on standard error naming the line, the \
                instance tags and the fragments lost, and the exit status is 2. \
                A completed version 3 message whose header names other \
                instance tags than its fragments is printed and reported.

                With --json, one object per completed (or unfragmented) message \
                and one per problem.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var records: RecordOptions

        @Option(name: .long, help: ArgumentHelp("Largest message reassembled, in bytes.", valueName: "bytes"))
        var maxMessageLength: Int = Reassembler.defaultMaximumMessageLength

        @Option(name: .long, help: ArgumentHelp("Messages in progress at once; beyond it the oldest is dropped and reported.",
                                                valueName: "count"))
        var maxPending: Int = Reassembler.defaultMaximumPendingMessages

        func validate() throws {
            guard maxMessageLength > 0 else { throw ValidationError("--max-message-length must be positive") }
            guard maxPending > 0 else { throw ValidationError("--max-pending must be positive") }
        }

        func run() throws {
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            let diagnostics = Diagnostics(command: "fragment join")
            FragmentJoiner(maximumMessageLength: maxMessageLength, maximumPendingMessages: maxPending, json: output.json)
                .join(input.lines(delimiter: records.delimiter), out: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }
}
