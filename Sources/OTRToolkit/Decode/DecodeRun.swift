import OTR

extension DecodeSession {
    /// decode from end to end: `lines` read on this thread (the capture
    /// reader's half) while a second thread analyses and writes to
    /// standard output; diagnostics on standard error, in input order.
    /// Throws the run's exit status when a problem was reported. Standard
    /// output and error are the defaults; an in-process run gives its own.
    public static func run(keys: CaptureKeys, json: Bool, showKeys: Bool, explain: Bool, lines: InputLines,
                           out: OutputSink = .standardOutput(), diagnostics: Diagnostics = Diagnostics(command: "decode")) throws {
        defer { out.flush() }
        let session = DecodeSession(keys: keys, json: json, showKeys: showKeys, explain: explain,
                                    out: out, diagnostics: diagnostics)
        let pipeline = DecodePipeline(session)
        let reader = DecodeReader(pipeline: pipeline)
        // Problems found while reading travel through the pipeline, so
        // standard error keeps the input's order.
        let readingDiagnostics = Diagnostics(command: "decode") { location, message, status in
            reader.problem(location, message, status: status)
        }
        lines.forEach(diagnostics: readingDiagnostics) { location, line in
            reader.feed(line, at: location)
        }
        reader.finish()
        pipeline.finish()
        out.flush()
        try diagnostics.finish()
    }
}
