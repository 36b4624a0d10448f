import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool.Forge {
    struct Transcript: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transcript",
            abstract: "Report which messages of a capture anyone can forge with the MAC keys revealed in it; write it with messages altered."
        )

        @Argument(help: ArgumentHelp("The capture; standard input when absent or \"-\".", valueName: "file"), completion: .file())
        var file: String = "-"

        @Option(name: .customLong("modify"), help: ArgumentHelp(
            "Change known plaintext of the Data message on LINE: the bytes OLD at OFFSET become NEW (as long as OLD); repeatable.",
            valueName: "line:offset:old:new"))
        var modifications: [String] = []

        @Option(name: .customLong("rewrite"), help: ArgumentHelp(
            "Encrypt TEXT in place of the Data message on LINE; needs its AES key (--aes-key); repeatable.",
            valueName: "line:text"))
        var rewrites: [String] = []

        @Option(name: .customLong("aes-key"), help: ArgumentHelp("An AES key a party held; repeatable.", valueName: "secret"))
        var aesKeys: [SecretSource] = []

        @Option(name: .customLong("mac-key"), help: ArgumentHelp("A MAC key a party held, beyond those revealed; repeatable.", valueName: "secret"))
        var macKeys: [SecretSource] = []

        @OptionGroup var output: OutputOptions

        typealias Edit = TranscriptEditor.Edit

        func edits() throws -> [Edit] {
            var result: [Edit] = []
            for spec in modifications {
                let parts = spec.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, let line = Int(parts[0]), line > 0, let offset = Int(parts[1]), offset >= 0 else {
                    throw ValidationError("--modify \(spec.argumentText): expected LINE:OFFSET:OLD:NEW")
                }
                let old = String(parts[2]).argumentBytes, new = String(parts[3]).argumentBytes
                guard old.count == new.count else {
                    throw ValidationError("--modify \(spec.argumentText): OLD is \(old.count) bytes and NEW \(new.count); they must be equally long")
                }
                result.append(Edit(line: line, change: .modify(offset: offset, old: old, new: new)))
            }
            for spec in rewrites {
                let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let line = Int(parts[0]), line > 0 else {
                    throw ValidationError("--rewrite \(spec.argumentText): expected LINE:TEXT")
                }
                result.append(Edit(line: line, change: .rewrite(text: String(parts[1]).argumentBytes)))
            }
            return result
        }

        func validate() throws {
            _ = try edits()
            if !rewrites.isEmpty && aesKeys.isEmpty {
                throw ValidationError("--rewrite needs the message's AES key (--aes-key): revealed MAC keys do not decrypt")
            }
        }

        func run() throws {
            let aes = try aesKeys.map { try $0.read("--aes-key", count: 16) }
            let macs = try macKeys.map { try $0.read("--mac-key", count: 20) }
            let edits = try edits()
            let diagnostics = Diagnostics(command: "forge transcript")
            let out = OutputSink.standardOutput()
            defer { out.flush() }

            let input = try InputOptions.parse(file == "-" ? [] : [file])
            let editor = TranscriptEditor(source: file, diagnostics: diagnostics)
            var firstSkipped: SourceLocation? = nil
            input.forEachLine(diagnostics: diagnostics, skipped: { firstSkipped = firstSkipped ?? $0 }) { location, line in
                editor.feed(line, number: location.line)
            }
            editor.finish()
            let forgery = editor.forgery
            let report = ForgeTranscriptReport(forgery: forgery, location: { SourceLocation(source: file, line: $0) })

            guard !edits.isEmpty else {
                if output.json {
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
                                   "this line is longer than forge transcript keeps (\(input.maxLineLength) bytes), so the capture cannot be written back whole; nothing written",
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
            editor.apply(edits, aesKeys: aes, macKeys: macs)
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
}
