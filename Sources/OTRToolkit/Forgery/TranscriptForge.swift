import OTR

/// forge transcript's work: the MAC keys a capture reveals matched to the
/// messages they authenticate and reported, or, given edits, the capture
/// written back whole with those messages forged (or nothing written).
public struct TranscriptForge {
    public var file: String
    public var edits: [TranscriptEditor.Edit]
    public var aesKeys: [SecureBytes]
    public var macKeys: [SecureBytes]
    public var json: Bool

    public init(file: String, edits: [TranscriptEditor.Edit], aesKeys: [SecureBytes], macKeys: [SecureBytes], json: Bool) {
        self.file = file
        self.edits = edits
        self.aesKeys = aesKeys
        self.macKeys = macKeys
        self.json = json
    }

    public func run() throws {
        let diagnostics = Diagnostics(command: "forge transcript")
        let out = OutputSink.standardOutput()
        defer { out.flush() }

        let input = InputLines(sources: [file], maximumLineLength: LineReader.defaultMaximumLineLength)
        let editor = TranscriptEditor(source: file, diagnostics: diagnostics)
        var firstSkipped: SourceLocation? = nil
        input.forEach(diagnostics: diagnostics, skipped: { firstSkipped = firstSkipped ?? $0 }) { location, line in
            editor.feed(line, number: location.line)
        }
        editor.finish()
        let forgery = editor.forgery
        let report = ForgeTranscriptReport(forgery: forgery, location: { SourceLocation(source: file, line: $0) })

        guard !edits.isEmpty else {
            if json {
                for a in forgery.assessments { out.writeLine(report.json(a)) }
                out.writeLine(report.summaryJSON)
            } else {
                for a in forgery.assessments { out.writeLine(report.text(a)) }
                out.writeLine(report.summary)
            }
            out.flush()
            try diagnostics.finish()
            return
        }

        // The transcript is written back whole or not at all: a line
        // skipped as too long (its text never kept) would come out empty.
        if let skipped = firstSkipped {
            diagnostics.report(skipped.description,
                               "this line is longer than forge transcript keeps (\(input.maximumLineLength) bytes), so the capture cannot be written back whole; nothing written",
                               status: .malformedInput)
            try diagnostics.finish()
            return
        }
        if editor.overflow {
            diagnostics.report(nil, "the capture was not read to its end, so it cannot be written back whole; nothing written",
                               status: .malformedInput)
            try diagnostics.finish()
            return
        }

        let problemsBeforeEdits = diagnostics.count
        editor.apply(edits, aesKeys: aesKeys, macKeys: macKeys)
        // A forgery that was not made leaves no output: the capture
        // written unchanged would pass for the forged one.
        guard diagnostics.count == problemsBeforeEdits else {
            diagnostics.report(nil, "\(diagnostics.count - problemsBeforeEdits) of \(edits.count) edits could not be made; nothing written",
                               status: diagnostics.status)
            try diagnostics.finish()
            return
        }
        editor.lines.forEach { line in
            out.write(bytes: line)
            out.write("\n")
        }
        out.flush()
        try diagnostics.finish()
    }
}
