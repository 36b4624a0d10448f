import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct ParseTag: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse-tag",
            abstract: "Report the OTR offers in plaintext: whitespace tags, query and error messages.",
            discussion: """
                For every input line, lists each whitespace tag (the versions its \
                blocks name, known or not), each query message in any of the \
                spec's syntaxes (?OTR?, ?OTRv23?, ?OTR?v2?, ?OTRv24x?, ?OTRv? ...) \
                and each ?OTR Error: message, with byte offsets, then the text as \
                a client would display it, with the tags and queries removed. \
                Encoded messages and fragments are noted, not decoded. A tag or \
                query that breaks a rule of the spec is still reported as libotr \
                reads it, the rule is named on standard error and the exit \
                status is 2.

                To build a query message or a tagged plaintext use --make-query \
                or --make-tag with the versions to offer.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions

        @Option(name: .long, help: ArgumentHelp(
            "Print the query message offering these versions (e.g. 23, 123) and exit.",
            valueName: "versions"))
        var makeQuery: String?

        @Option(name: .long, help: ArgumentHelp(
            "Print TEXT followed by the whitespace tag offering these versions (e.g. 23), and exit. The text comes from --text.",
            valueName: "versions"))
        var makeTag: String?

        @Option(name: .long, help: ArgumentHelp("The plaintext a tag is appended to, with --make-tag.", valueName: "text"))
        var text: String = ""

        func validate() throws {
            if makeQuery != nil && makeTag != nil {
                throw ValidationError("--make-query and --make-tag exclude each other")
            }
            for value in [makeQuery, makeTag].compactMap({ $0 }) {
                _ = try versionList(value)
            }
            if makeTag == nil && !text.isEmpty {
                throw ValidationError("--text goes with --make-tag")
            }
        }

        func run() throws {
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            if let makeQuery {
                let query = QueryMessage.encode(versions: try versionList(makeQuery))
                out.writeLine(output.json ? JSON.object([("query", .string(query))]).render() : query)
                return
            }
            if let makeTag {
                let tagged = text.argumentBytes + WhitespaceTag.encode(versions: try versionList(makeTag))
                out.write(bytes: tagged)
                out.write("\n")
                return
            }
            let diagnostics = Diagnostics(command: "parse-tag")
            ParseTagScan(json: output.json).scan(input.lines(), out: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }
}
