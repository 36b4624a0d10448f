import ArgumentParser
import OTR

extension OTRTool {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Show every field of every OTR message in the input; verify, decrypt and check with given keys.",
            discussion: """
                Finds OTR messages anywhere in the input: whole lines, log lines with \
                timestamps and names, XMPP <body> elements (XML entities unescaped), \
                and encoded messages whose base64 is wrapped over several lines. \
                Every message is shown with all its fields: query messages, \
                whitespace-tagged and plain text, error messages, fragments, D-H \
                Commit, D-H Key, Reveal Signature, Signature and Data messages of \
                versions 2 and 3; version 1 messages and unknown versions are \
                labelled, never misread.

                With --aes-key (or only --mac-key) a Data message's MAC is verified \
                and its text and TLVs (SMP values included) are decrypted. With a D-H \
                private exponent of either party (--dh-private) or an AKE's shared \
                secret (--ake-secret), the AKE keys and the data keys are derived from \
                the public values in the input, the Reveal Signature and Signature \
                payloads are decrypted and their signatures verified, naming the \
                long-term keys and their fingerprints. A Reveal Signature's revealed \
                key opens the D-H Commit's g^x for anyone; that is always done.

                Rules of the spec a message breaks are named on standard error with \
                the line; the exit status is 2 for malformed input and 1 when a MAC, \
                signature or commitment does not verify.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var secrets: SecretOptions

        func run() throws {
            let keys = try secrets.load()
            let diagnostics = Diagnostics(command: "decode")
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            let session = DecodeSession(keys: keys, json: output.json, showKeys: secrets.showKeys,
                                        out: out, diagnostics: diagnostics)
            var current: String? = nil
            var scanner = TranscriptScanner()
            input.forEachLine(diagnostics: diagnostics) { location, line in
                if current != location.source {
                    if let previous = current {
                        session.handle(scanner.finish(), source: previous, named: input.namesSources)
                        session.finishSource(previous, named: input.namesSources)
                    }
                    current = location.source
                    scanner = TranscriptScanner()
                }
                // Lines skipped as too long were never fed to the scanner.
                while scanner.lineNumber + 1 < location.line {
                    session.handle(scanner.skipLine(), source: location.source, named: input.namesSources)
                }
                session.handle(scanner.feed(line), source: location.source, named: input.namesSources)
            }
            if let last = current {
                session.handle(scanner.finish(), source: last, named: input.namesSources)
                session.finishSource(last, named: input.namesSources)
            }
            out.flush()
            try diagnostics.finish()
        }
    }
}

/// One decode run: the analyser's and the reassembler's state across the
/// input, and the output.
final class DecodeSession {
    let analyzer: CaptureAnalyzer
    var reassembler = Reassembler()
    let report: DecodeReport
    let out: OutputSink
    let diagnostics: Diagnostics
    let json: Bool

    init(keys: CaptureKeys, json: Bool, showKeys: Bool, out: OutputSink, diagnostics: Diagnostics) {
        analyzer = CaptureAnalyzer(keys: keys)
        report = DecodeReport(showKeys: showKeys, keysGiven: !keys.isEmpty)
        self.out = out
        self.diagnostics = diagnostics
        self.json = json
    }

    func handle(_ items: [TranscriptScanner.Item], source: String, named: Bool) {
        for item in items {
            let location = SourceLocation(source: source, line: item.line, named: named)
            emit(decode(item, location: location), location: location)
            if case .fragment(let raw) = item.kind {
                reassemble(reassembler.receive(raw[...], at: item.line), source: source, named: named)
            }
        }
    }

    /// The end of a source: fragments still waiting are reported.
    func finishSource(_ source: String, named: Bool) {
        reassemble(reassembler.finish(), source: source, named: named)
        reassembler = Reassembler()
    }

    private func emit(_ entry: Entry, location: SourceLocation) {
        for problem in entry.problems {
            diagnostics.report(location.description, problem.text, status: problem.status)
        }
        if json {
            out.writeLine(report.json(entry, location: location))
        } else {
            report.writeHuman(entry, location: location, to: out)
        }
    }

    /// A completed message is scanned and decoded like a line of its own,
    /// reported at the line of its last fragment.
    private func reassemble(_ events: [Reassembler.Event], source: String, named: Bool) {
        for event in events {
            switch event {
            case .completed(let message):
                let location = SourceLocation(source: source, line: message.lastPosition, named: named)
                var scanner = TranscriptScanner()
                for item in scanner.feed(message.message) + scanner.finish() {
                    var entry = decode(TranscriptScanner.Item(kind: item.kind, line: message.lastPosition, offset: item.offset),
                                       location: location)
                    entry.reassembledFrom = message
                    emit(entry, location: location)
                }
            case .problem(let problem):
                let location = SourceLocation(source: source, line: problem.position, named: named)
                diagnostics.report(location.description, "fragment: \(problem)", status: .malformedInput)
            }
        }
    }

    struct Problem {
        var text: String
        var status: ExitStatus
    }

    /// One reported item: what it is, and what was wrong with it.
    struct Entry {
        var item: TranscriptScanner.Item
        var analysis: MessageAnalysis?
        var raw: [UInt8]?
        var problems: [Problem] = []
        /// Set when the item is a message put together from fragments.
        var reassembledFrom: ReassembledMessage?
    }

    func decode(_ item: TranscriptScanner.Item, location: SourceLocation) -> Entry {
        var entry = Entry(item: item)
        switch item.kind {
        case .encoded(let armoured):
            entry.raw = armoured
            do {
                let binary = try Armour.unwrap(armoured)
                let analysis = try analyzer.analyze(binary: binary)
                entry.analysis = analysis
                let name = "\(analysis.message.name) message"
                for v in analysis.violations {
                    entry.problems.append(Problem(text: "\(name): \(v)", status: .malformedInput))
                }
                entry.problems += checks(analysis, name: name)
            } catch {
                entry.problems.append(Problem(text: "encoded message at byte \(item.offset): \(error)", status: .malformedInput))
            }
        case .unterminated(let text):
            entry.raw = text
            entry.problems.append(Problem(text: "encoded message at byte \(item.offset): no closing \".\" (truncated?)",
                                          status: .malformedInput))
        case .query(let q, _):
            for v in q.violations {
                entry.problems.append(Problem(text: "query message at byte \(item.offset): \(v)", status: .malformedInput))
            }
        case .whitespaceTag(let t, _):
            for v in t.violations {
                entry.problems.append(Problem(text: "whitespace tag at byte \(item.offset): \(v)", status: .malformedInput))
            }
        case .fragment, .error, .unrecognised, .plaintext:
            break
        }
        return entry
    }

    /// Failed checks (exit 1): MACs, signatures, the D-H commitment.
    func checks(_ a: MessageAnalysis, name: String) -> [Problem] {
        var problems: [Problem] = []
        if let data = a.data, data.macValid == false {
            problems.append(Problem(text: "\(name): MAC does not verify with any given or derived key", status: .checkFailed))
        }
        if let ake = a.ake {
            if let opening = ake.opening, !opening.hashMatches {
                problems.append(Problem(text: "\(name): revealed key does not open the D-H Commit to its hashed g^x",
                                        status: .checkFailed))
            }
            if let check = ake.signatureCheck {
                if !check.macValid {
                    problems.append(Problem(text: "\(name): MAC of the encrypted signature does not verify", status: .checkFailed))
                }
                if let problem = check.problem {
                    problems.append(Problem(text: "\(name): encrypted signature does not decrypt to a signed part: \(problem)",
                                            status: .checkFailed))
                } else if !check.signatureValid {
                    problems.append(Problem(text: "\(name): signature does not verify", status: .checkFailed))
                }
            }
        }
        return problems
    }
}
