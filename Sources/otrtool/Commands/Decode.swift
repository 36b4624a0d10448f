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

                OUTPUT SIZE. What decode writes grows linearly with its input, however \
                hostile: standard output and standard error together hold at most \
                \(DecodeOutputBound.bytesPerInputByte) bytes for each byte of input plus \
                \(DecodeOutputBound.bytesPerLine) for each line (and the input's \
                name in each item and each diagnostic). The text \
                around a query, whitespace tag, encoded message, fragment or error \
                (a log's timestamp and name) is shown with it only up to the items \
                on either side (text between two items goes with the first), so each \
                byte of a line is shown once however many offers it holds. A line is \
                scanned for at most \(PlaintextScanner.maximumFindings) items; the rest \
                of it is shown as plain text. parse-tag, fragment join and forge \
                transcript keep within the same bound.
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
            let pipeline = DecodePipeline(session)
            let reader = DecodeReader(pipeline: pipeline)
            // Problems found while reading travel through the pipeline, so
            // standard error keeps the input's order.
            let readingDiagnostics = Diagnostics(command: "decode") { location, message, status in
                reader.problem(location, message, status: status)
            }
            input.forEachLine(diagnostics: readingDiagnostics) { location, line in
                reader.feed(line, at: location)
            }
            reader.finish()
            pipeline.finish()
            out.flush()
            try diagnostics.finish()
        }
    }
}

/// The bound on what decode writes that its manual states (and the
/// hostile-input tests check, for every command that reports on a capture).
enum DecodeOutputBound {
    static let bytesPerInputByte = 128
    static let bytesPerLine = 256
}

/// One step of decode's work, in input order: an item read from the input
/// (its encoded message unwrapped), or a problem found while reading.
enum DecodeStep {
    case item(DecodeSession.Scanned)
    case problem(location: String?, message: String, status: ExitStatus)
}

/// decode's first half: lines to items. Finds the items of each line,
/// reassembles fragments, and unwraps encoded messages, reading them too
/// while the second half is behind (all stateless but for the scanner's
/// and reassembler's state), then hands the steps on.
final class DecodeReader {
    private let pipeline: DecodePipeline
    // The reader's state is touched per line by the reading thread alone;
    // unchecked, it is spared a dynamic exclusivity check on every access.
    @exclusivity(unchecked) private var current: String? = nil
    @exclusivity(unchecked) private var scanner = TranscriptScanner()
    @exclusivity(unchecked) private var reassembler = Reassembler()
    /// The items of the current line, kept from line to line.
    @exclusivity(unchecked) private var items: [TranscriptScanner.Item] = []

    init(pipeline: DecodePipeline) {
        self.pipeline = pipeline
    }

    func feed(_ line: [UInt8], at location: SourceLocation) {
        if current != location.source {
            if let previous = current { finishSource(previous) }
            current = location.source
            scanner = TranscriptScanner()
        }
        // Lines skipped as too long were never fed to the scanner.
        while scanner.lineNumber + 1 < location.line {
            handle(scanner.skipLine(), source: location.source)
        }
        items.removeAll(keepingCapacity: true)
        scanner.feed(line, into: &items)
        handle(items, source: location.source)
    }

    func finish() {
        if let last = current { finishSource(last) }
        current = nil
    }

    func problem(_ location: String?, _ message: String, status: ExitStatus) {
        pipeline.send(.problem(location: location, message: message, status: status), bytes: message.utf8.count)
    }

    /// The end of a source: anything still open, and fragments still
    /// waiting, are reported.
    private func finishSource(_ source: String) {
        handle(scanner.finish(), source: source)
        reassemble(reassembler.finish(), source: source)
        reassembler = Reassembler()
    }

    private func handle(_ items: [TranscriptScanner.Item], source: String) {
        for item in items {
            let location = SourceLocation(source: source, line: item.line)
            pipeline.send(.item(DecodeSession.Scanned(item, location: location, readMessage: pipeline.readAhead)),
                          bytes: item.size)
            if case .fragment(let raw) = item.kind {
                reassemble(reassembler.receive(raw[...], at: item.line), source: source)
            }
        }
    }

    /// A completed message is scanned and parsed like a line of its own,
    /// reported at the line of its last fragment.
    private func reassemble(_ events: [Reassembler.Event], source: String) {
        for event in events {
            switch event {
            case .completed(let message):
                let location = SourceLocation(source: source, line: message.lastPosition)
                var scanner = TranscriptScanner()
                for found in scanner.feed(message.message) + scanner.finish() {
                    let item = TranscriptScanner.Item(kind: found.kind, line: message.lastPosition, offset: found.offset)
                    let scanned = DecodeSession.Scanned(item, location: location, reassembledFrom: message,
                                                        readMessage: pipeline.readAhead)
                    pipeline.send(.item(scanned), bytes: item.size)
                }
            case .problem(let problem):
                let location = SourceLocation(source: source, line: problem.position)
                self.problem(location.description, "fragment: \(problem)", status: .malformedInput)
            }
        }
    }
}

extension TranscriptScanner.Item {
    /// Roughly the bytes the item holds, to bound what waits in the pipeline.
    var size: Int {
        switch kind {
        case .encoded(let b), .unterminated(let b), .fragment(let b), .unrecognised(let b), .plaintext(let b): b.count
        case .query(_, let text, _), .whitespaceTag(_, let text, _): text.count
        case .error(let e): e.text.count
        }
    }
}

/// Runs decode's second half (`DecodeSession`: analysis and output) on a
/// thread of its own, fed in batches: reading the input on one core while
/// the other analyses and prints roughly halves the time of a large
/// capture. Without a second thread it runs the steps in place.
final class DecodePipeline {
    /// A batch is sent once it holds this many steps or bytes; at most
    /// `queuedBatches` wait, which bounds memory whatever the input. Small
    /// enough that what is in flight between the threads stays in the
    /// processor's caches (1024 steps, about a megabyte, cost a tenth more
    /// processor time than 256 and a third more memory).
    static let batchSteps = 256
    static let batchBytes = 1 << 18
    static let queuedBatches = 4

    private let session: DecodeSession
    private let queue = BatchQueue<DecodeStep>(capacity: DecodePipeline.queuedBatches)
    /// Batches the second half is done with come back to be freed here:
    /// memory freed by the thread that allocated it avoids contention on
    /// the allocator's locks.
    private let done = BatchQueue<DecodeStep>(capacity: Int.max)
    private var worker: WorkerThread? = nil
    // Touched per step by the reading thread alone (unchecked: see
    // DecodeReader).
    @exclusivity(unchecked) private var batch: [DecodeStep] = []
    @exclusivity(unchecked) private var batchSize = 0
    /// A batch come back, freed one step per step sent: freeing a whole
    /// batch at once overflows the allocator's per-thread cache into its
    /// slower bins, where the next batch's allocations then look; a step
    /// freed just before the next is made hands its memory straight on.
    @exclusivity(unchecked) private var retired: [DecodeStep] = []
    /// Whether the first half reads encoded messages itself, which shares
    /// the work out by how it goes: reading is the part of the second
    /// half's work that needs no state, so while batches queue up for the
    /// second half the first takes it over, and hands it back when the
    /// queue runs dry. Decided once a batch.
    private(set) var readAhead = false

    init(_ session: DecodeSession) {
        self.session = session
        let (queue, done) = (self.queue, self.done)
        worker = WorkerThread {
            while let batch = queue.pop() {
                for step in batch { session.run(step) }
                done.push(batch)
            }
        }
        batch.reserveCapacity(Self.batchSteps)
    }

    func send(_ step: DecodeStep, bytes: Int) {
        guard worker != nil else {
            session.run(step)
            return
        }
        if !retired.isEmpty { retired.removeLast() }
        batch.append(step)
        batchSize += bytes
        if batch.count >= Self.batchSteps || batchSize >= Self.batchBytes {
            queue.push(batch)
            batch = []
            batch.reserveCapacity(Self.batchSteps)
            batchSize = 0
            // What is left of the last batch returned goes now (a batch cut
            // short by its bytes holds fewer steps than its predecessor).
            retired = done.tryPop() ?? []
            readAhead = queue.waiting >= 2
        }
    }

    /// Sends what is left and waits for the second half to finish.
    func finish() {
        guard let worker else { return }
        if !batch.isEmpty { queue.push(batch) }
        batch = []
        queue.close()
        worker.join()
        self.worker = nil
        retired = []
        while done.tryPop() != nil {}
    }
}

/// decode's second half: reads (unless the first half did) and analyses
/// each item in order (the analyser's state spans the input) and writes
/// it out.
final class DecodeSession {
    let analyzer: CaptureAnalyzer
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

    func run(_ step: DecodeStep) {
        switch step {
        case .item(let scanned):
            emit(decode(scanned))
        case .problem(let location, let message, let status):
            diagnostics.report(location, message, status: status)
        }
    }

    private func emit(_ entry: Entry) {
        for problem in entry.problems {
            diagnostics.report(entry.location.description, problem.text, status: problem.status)
        }
        if json {
            out.writeLine(report.json(entry))
        } else {
            report.writeHuman(entry, to: out)
        }
    }

    struct Problem {
        var text: String
        var status: ExitStatus
    }

    /// An item as the first half hands it on: an encoded message is
    /// unwrapped already, and read too when the first half has time to
    /// spare (`DecodePipeline.readAhead`); neither needs state. A class:
    /// the steps are handed between threads, and the first half frees them
    /// when their batch comes back (memory freed by the thread that
    /// allocated it avoids contention on the allocator's locks).
    final class Scanned {
        let item: TranscriptScanner.Item
        let location: SourceLocation
        /// The binary message of an encoded item.
        let binary: [UInt8]
        /// The message read from `binary`, if the first half read it.
        let message: EncodedMessage?
        /// Why an encoded item could not be unwrapped (or read, if read).
        let error: String?
        /// Set when the item is a message put together from fragments.
        let reassembledFrom: ReassembledMessage?

        init(_ item: TranscriptScanner.Item, location: SourceLocation, reassembledFrom: ReassembledMessage? = nil,
             readMessage: Bool = false) {
            self.item = item
            self.location = location
            self.reassembledFrom = reassembledFrom
            guard case .encoded(let armoured) = item.kind else {
                (binary, message, error) = ([], nil, nil)
                return
            }
            let unwrapped: [UInt8]
            do {
                unwrapped = try Armour.unwrap(armoured)
            } catch {
                (binary, message, self.error) = ([], nil, "\(error)")
                return
            }
            binary = unwrapped
            (message, error) = readMessage ? Self.read(unwrapped) : (nil, nil)
        }

        /// Reads a binary message; a failure is kept as its description.
        static func read(_ binary: [UInt8]) -> (message: EncodedMessage?, error: String?) {
            do {
                return (try EncodedMessage.read(binary), nil)
            } catch {
                return (nil, "\(error)")
            }
        }
    }

    /// One reported item: the item, its message read and analysed, and
    /// what was wrong with it. The message is read here unless the first
    /// half read it already (and is then freed here too).
    struct Entry {
        let scanned: Scanned
        var message: EncodedMessage? = nil
        var analysis: MessageAnalysis? = nil
        var problems: [Problem] = []

        var item: TranscriptScanner.Item { scanned.item }
        var location: SourceLocation { scanned.location }
        var reassembledFrom: ReassembledMessage? { scanned.reassembledFrom }
    }

    /// Reads and analyses an item, and names what is wrong with it.
    func decode(_ scanned: Scanned) -> Entry {
        var entry = Entry(scanned: scanned)
        let item = scanned.item
        switch item.kind {
        case .encoded:
            var (message, failure) = (scanned.message, scanned.error)
            if message == nil, failure == nil { (message, failure) = Scanned.read(scanned.binary) }
            entry.message = message
            if let message {
                let analysis = analyzer.analyze(message, binary: scanned.binary)
                entry.problems = problems(analysis, of: message)
                entry.analysis = consume analysis
            } else {
                entry.problems.append(Problem(text: "encoded message at byte \(item.offset): \(failure ?? "unreadable")",
                                              status: .malformedInput))
            }
        case .unterminated:
            entry.problems.append(Problem(text: "encoded message at byte \(item.offset): no closing \".\" (truncated?)",
                                          status: .malformedInput))
        case .query(let q, _, _):
            for v in q.violations {
                entry.problems.append(Problem(text: "query message at byte \(item.offset): \(v)", status: .malformedInput))
            }
        case .whitespaceTag(let t, _, _):
            for v in t.violations {
                entry.problems.append(Problem(text: "whitespace tag at byte \(item.offset): \(v)", status: .malformedInput))
            }
        case .fragment, .error, .unrecognised, .plaintext:
            break
        }
        return entry
    }

    /// The rules a message breaks (exit 2), then its failed checks (exit
    /// 1): MACs, signatures, the D-H commitment. Most messages have none,
    /// so the message's name is only put together for a problem.
    func problems(_ a: MessageAnalysis, of message: EncodedMessage) -> [Problem] {
        let macFailed = a.data?.macValid == false
        guard !a.violations.isEmpty || macFailed || a.ake != nil else { return [] }
        let name = "\(message.name) message"
        var problems: [Problem] = a.violations.map { Problem(text: "\(name): \($0)", status: .malformedInput) }
        if macFailed {
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
