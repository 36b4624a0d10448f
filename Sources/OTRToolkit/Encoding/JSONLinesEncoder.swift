import OTR

/// encode's work without a subcommand: each line of JSON (what decode
/// --json prints) built into the message it describes and written as
/// `output` says. A line that does not parse or build is one problem and
/// the next line is still encoded; blank lines are skipped, and so is an
/// object decode put together from fragments ("reassembled"), whose
/// fragments are in the stream too.
public struct JSONLinesEncoder {
    public var builder: MessageBuilder
    public var output: EncodeOutput

    public init(builder: MessageBuilder, output: EncodeOutput) {
        self.builder = builder
        self.output = output
    }

    public func encode(_ lines: InputLines, out: OutputSink, diagnostics: Diagnostics) {
        lines.forEach(diagnostics: diagnostics) { location, line in
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
            do {
                let object = try JSONParser.parse(line)
                guard object["reassembled"] == nil else { return }
                output.write(try builder.build(object), to: out, location: location)
            } catch {
                diagnostics.report(location.description, error)
            }
        }
    }
}
