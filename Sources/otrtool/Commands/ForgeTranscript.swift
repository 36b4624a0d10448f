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

        struct Edit {
            enum Change {
                case modify(offset: Int, old: [UInt8], new: [UInt8])
                case rewrite(text: [UInt8])
            }
            var line: Int
            var change: Change
        }

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
            let aes = try aesKeys.map { try readKey($0, "--aes-key", count: 16) }
            let macs = try macKeys.map { try readKey($0, "--mac-key", count: 20) }
            let edits = try edits()
            let diagnostics = Diagnostics(command: "forge transcript")
            let out = OutputSink.standardOutput()
            defer { out.flush() }

            let input = try InputOptions.parse(file == "-" ? [] : [file])
            var lines = CaptureLines()
            var captured: [TranscriptForgery.CapturedMessage] = []
            /// Where each reassembled message's fragments stood, by line.
            var reassembled: [Int: ReassembledMessage] = [:]
            func take(_ event: CaptureReader.Event) {
                switch event {
                case .problem(let location, let message):
                    diagnostics.report(location.description, message, status: .malformedInput)
                case .item(let item):
                    let location = item.location.description
                    switch item.item.kind {
                    case .encoded(let armoured):
                        guard let message = item.message else {
                            diagnostics.report(location, item.error ?? "unreadable", status: .malformedInput)
                            return
                        }
                        guard case .data(let m) = message else { return }
                        captured.append(.init(line: item.location.line, armoured: armoured, binary: item.binary, message: m))
                        if let fragments = item.reassembledFrom { reassembled[item.location.line] = fragments }
                    case .unterminated:
                        diagnostics.report(location, "encoded message: no closing \".\" (truncated?)", status: .malformedInput)
                    default:
                        return
                    }
                }
            }
            var reader = CaptureReader()
            var overflow = false
            var firstSkipped: SourceLocation? = nil
            input.forEachLine(diagnostics: diagnostics, skipped: { firstSkipped = firstSkipped ?? $0 }) { location, line in
                guard !overflow else { return }
                // Lines skipped as too long keep their numbers (forEachLine
                // counts them); their text is gone, which was reported.
                guard lines.append(line, number: location.line) else {
                    overflow = true
                    diagnostics.report(location.description,
                                       "the capture is larger than \(CaptureLines.maximumBytes >> 20) MiB, which forge transcript holds in memory; stopped here",
                                       status: .malformedInput)
                    return
                }
                reader.feed(line, at: SourceLocation(source: file, line: location.line), take)
            }
            reader.finish(take)
            let forgery = TranscriptForgery(messages: captured)
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
            if overflow {
                diagnostics.report(nil, "the capture was not read to its end, so it cannot be written back whole; nothing written",
                                   status: .malformedInput)
                try diagnostics.finish()
                return
            }

            let problemsBeforeEdits = diagnostics.count
            for edit in edits {
                let location = SourceLocation(source: file, line: edit.line).description
                guard let index = captured.firstIndex(where: { $0.line == edit.line }) else {
                    diagnostics.report(location, "no Data message starts on this line", status: .malformedInput)
                    continue
                }
                let message = captured[index].message, original = captured[index].binary
                do {
                    let forged: DataMessage
                    switch edit.change {
                    case .modify(let offset, let old, let new):
                        var candidates: [SecureBytes] = []
                        if case .byAnyone(let k) = forgery.assessments[index].forgeability { candidates.append(SecureBytes(k.key)) }
                        candidates += macs + aes.map { DataKeys.macKey(forAESKey: $0) }
                        guard let key = candidates.first(where: { (try? message.verifyMAC(macKey: $0, original: original)) == true }) else {
                            diagnostics.report(location, "MAC key not revealed in the capture and not given (--mac-key): only a key holder can forge this message",
                                               status: .checkFailed)
                            continue
                        }
                        forged = try message.modified(replacing: old, with: new, at: offset, macKey: key)
                    case .rewrite(let text):
                        guard let key = aes.first(where: {
                            (try? message.verifyMAC(macKey: DataKeys.macKey(forAESKey: $0), original: original)) == true }) else {
                            diagnostics.report(location, "no --aes-key verifies this message; its text can be rewritten only with its AES key",
                                               status: .checkFailed)
                            continue
                        }
                        var plaintext = DataPlaintext(message: text)
                        if let old = try? DataPlaintext.parse(try message.decrypt(aesKey: key)) { plaintext.tlvs = old.tlvs }
                        forged = try message.reencrypted(with: plaintext, aesKey: key)
                    }
                    let armoured = Array(try EncodedMessage.data(forged).armoured().utf8)
                    if let fragments = reassembled[edit.line] {
                        diagnostics.report(location, "the message was reassembled from the fragments on lines \(fragments.firstPosition)-\(fragments.lastPosition); cannot put the forgery in their place",
                                           status: .malformedInput)
                        continue
                    }
                    var text = lines[edit.line]
                    guard let range = text.firstRange(of: captured[index].armoured) else {
                        diagnostics.report(location, "the message is wrapped over lines or escaped; cannot put the forgery in its place",
                                           status: .malformedInput)
                        continue
                    }
                    text.replaceSubrange(range, with: armoured)
                    lines[edit.line] = text
                    captured[index].armoured = armoured
                } catch {
                    diagnostics.report(location, "\(error)", status: .malformedInput)
                }
            }
            // A forgery that was not made leaves no output: the capture
            // written unchanged would pass for the forged one.
            guard diagnostics.count == problemsBeforeEdits else {
                diagnostics.report(nil, "\(diagnostics.count - problemsBeforeEdits) of \(edits.count) edits could not be made; nothing written",
                                   status: diagnostics.status)
                try diagnostics.finish()
                return
            }
            lines.forEach { line in
                out.write(bytes: line)
                out.write("\n")
            }
            out.flush()
            try diagnostics.finish()
        }
    }
}

/// The capture forge transcript rewrites, held compactly: one buffer of
/// bytes and the end offset of each line (an array per line would cost
/// tens of bytes of overhead for every short line), plus the lines edited.
struct CaptureLines {
    /// The most forge transcript holds: it must see the whole capture
    /// before it can forge, since MAC keys are revealed after their use.
    static let maximumBytes = 1 << 30
    private var bytes: [UInt8] = []
    /// ends[i] is where line i + 1 ends in `bytes`.
    private var ends: [UInt32] = []
    private var edited: [Int: [UInt8]] = [:]

    /// Adds line `number` (1-based; numbers skipped before it are kept as
    /// empty lines). Returns false when the capture would exceed the limit.
    mutating func append(_ line: [UInt8], number: Int) -> Bool {
        guard bytes.count + line.count <= Self.maximumBytes else { return false }
        while ends.count < number - 1 { ends.append(UInt32(bytes.count)) }
        bytes += line
        ends.append(UInt32(bytes.count))
        return true
    }

    subscript(number: Int) -> [UInt8] {
        get {
            if let text = edited[number] { return text }
            guard number >= 1, number <= ends.count else { return [] }
            let start = number == 1 ? 0 : Int(ends[number - 2])
            return Array(bytes[start..<Int(ends[number - 1])])
        }
        set { edited[number] = newValue }
    }

    func forEach(_ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        for (i, end) in ends.enumerated() {
            if let text = edited[i + 1] { body(text[...]) } else { body(bytes[start..<Int(end)]) }
            start = Int(end)
        }
    }
}
