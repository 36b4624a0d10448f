import OTR

/// decode's second half: reads (unless the first half did) and analyses
/// each item in order (the analyser's state spans the input) and writes
/// it out.
public final class DecodeSession {
    public let analyzer: CaptureAnalyzer
    public let report: DecodeReport
    public let out: OutputSink
    public let diagnostics: Diagnostics
    public let json: Bool
    /// decode --explain: the receivers' state replayed over the capture.
    public let replay: ConversationReplay?

    public init(keys: CaptureKeys, json: Bool, showKeys: Bool, explain: Bool = false, out: OutputSink, diagnostics: Diagnostics) {
        analyzer = CaptureAnalyzer(keys: keys)
        replay = explain ? ConversationReplay() : nil
        report = DecodeReport(showKeys: showKeys, keysGiven: !keys.isEmpty)
        self.out = out
        self.diagnostics = diagnostics
        self.json = json
    }

    public func run(_ step: DecodeStep) {
        switch step {
        case .item(let scanned):
            emit(decode(scanned))
        case .problem(let location, let message, let status):
            diagnostics.report(location, message, status: status)
        }
    }

    private func emit(_ entry: Entry) {
        for problem in entry.problems {
            diagnostics.report(entry.location.description, problem)
        }
        if json {
            report.writeJSON(entry, into: &out.buffer)
            out.endLine()
        } else {
            report.writeHuman(entry, to: out)
        }
    }

    /// One reported item: the item as the capture reader read it, its
    /// message analysed, and what was wrong with it.
    public struct Entry {
        public let scanned: CapturedItem
        public var message: EncodedMessage? = nil
        public var analysis: MessageAnalysis? = nil
        public var problems: [Problem] = []
        /// With --explain: why a receiver could not have accepted it.
        public var explanations: [String]? = nil

        public var item: TranscriptScanner.Item { scanned.item }
        public var location: SourceLocation { scanned.location }
        public var reassembledFrom: ReassembledMessage? { scanned.reassembledFrom }
    }

    /// Reads and analyses an item, and names what is wrong with it.
    public func decode(_ scanned: CapturedItem) -> Entry {
        var entry = Entry(scanned: scanned)
        let item = scanned.item
        switch item.kind {
        case .encoded:
            let (message, failure) = (scanned.message, scanned.error)
            entry.message = message
            if let message {
                let analysis = analyzer.analyze(message, binary: scanned.binary)
                entry.problems = problems(analysis, of: message)
                entry.analysis = consume analysis
            } else if let error = failure as? OTRError {
                entry.problems.append(Problem(in: "encoded message at byte \(item.offset)", error))
            } else {
                entry.problems.append(Problem("encoded message at byte \(item.offset): \(failure.map { "\($0)" } ?? "unreadable")",
                                              status: .malformedInput))
            }
        case .unterminated:
            entry.problems.append(Problem("encoded message at byte \(item.offset): no closing \".\" (truncated?)",
                                          status: .malformedInput))
        case .query(let q, _, _):
            for v in q.violations {
                entry.problems.append(Problem(in: "query message at byte \(item.offset)", v))
            }
        case .whitespaceTag(let t, _, _):
            for v in t.violations {
                entry.problems.append(Problem(in: "whitespace tag at byte \(item.offset)", v))
            }
        case .fragment, .error, .unrecognised, .plaintext:
            break
        }
        if let replay {
            entry.explanations = replay.explain(item, message: entry.message, analysis: entry.analysis,
                                                problem: entry.problems.first?.description,
                                                fragmentProblems: scanned.fragmentProblems, line: scanned.location.line)
        }
        return entry
    }

    /// The rules a message breaks (exit 2), then its failed checks (exit
    /// 1): MACs, signatures, the D-H commitment. Most messages have none,
    /// so the message's name is only put together for a problem.
    public func problems(_ a: MessageAnalysis, of message: EncodedMessage) -> [Problem] {
        let macFailed = a.data?.macValid == false
        let smp = a.data?.smp ?? [:]
        guard !a.violations.isEmpty || macFailed || a.ake != nil || !smp.isEmpty else { return [] }
        let name = "\(message.name) message"
        var problems: [Problem] = a.violations.map { Problem(in: name, $0) }
        if macFailed {
            problems.append(Problem("\(name): MAC does not verify with any given or derived key", status: .checkFailed))
        }
        for (i, checks) in smp.sorted(by: { $0.key < $1.key }) {
            // DESIGN's status 1: the SMP secrets differ.
            let tlvName = SMPMessageCheck.label(a.data?.plaintext?.tlvs, at: i)
            if checks.secretsAgree == false {
                problems.append(Problem("\(name): \(tlvName): \(SMPMessageCheck.outcomeText(false))", status: .checkFailed))
            }
            if let deviation = checks.deviation {
                problems.append(Problem("\(name): \(tlvName): \(deviation)", status: .checkFailed))
            }
            for check in checks.proofs {
                guard case .fails(let reason) = check.result else { continue }
                problems.append(Problem("\(name): \(tlvName): proof \(check.proof) of \(check.claim) does not verify: \(reason)",
                                        status: .checkFailed))
            }
        }
        if let ake = a.ake {
            if let opening = ake.opening, !opening.hashMatches {
                problems.append(Problem("\(name): revealed key does not open the D-H Commit to its hashed g^x",
                                        status: .checkFailed))
            }
            if let check = ake.signatureCheck {
                if !check.macValid {
                    problems.append(Problem("\(name): MAC of the encrypted signature does not verify", status: .checkFailed))
                }
                if let problem = check.problem {
                    problems.append(Problem("\(name): encrypted signature does not decrypt to a signed part: \(problem)",
                                            status: .checkFailed))
                } else if !check.signatureValid {
                    problems.append(Problem("\(name): signature does not verify", status: .checkFailed))
                }
            }
        }
        return problems
    }
}
