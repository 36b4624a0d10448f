import OTR

/// The one reader of captures, for decode, forge and forge transcript:
/// lines in, items out, in input order. Each line is scanned once
/// (`TranscriptScanner`), each fragment parsed once and reassembled (a
/// completed message comes out as an item of its own, at the line of its
/// last fragment), each encoded message unwrapped and read once
/// (`CapturedItem`). A new source (file) starts a new scanner and
/// reassembler: a message never spans two files.
public struct CaptureReader {
    /// What the reader hands on.
    public enum Event {
        case item(CapturedItem)
        /// A fragment series that broke a rule of reassembly (spec,
        /// "Fragmentation"), at the line it was found.
        case problem(SourceLocation, String)
    }

    private var current: String? = nil
    private var scanner = TranscriptScanner()
    private var reassembler = Reassembler()
    /// The items of the current line, kept from line to line.
    private var items: [TranscriptScanner.Item] = []

    /// Whether lines with no OTR in them are handed on (decode reports
    /// them; forge looks only at messages, and most lines are plain text).
    private let handsOnPlaintext: Bool

    public init(plaintext: Bool = true) {
        handsOnPlaintext = plaintext
    }

    /// Reads line `location.line` of `location.source`; lines skipped
    /// before it (too long, reported by the line reader) still count.
    public mutating func feed(_ line: [UInt8], at location: SourceLocation, _ emit: (Event) -> Void) {
        if current != location.source {
            if let previous = current { finishSource(previous, emit) }
            current = location.source
            scanner = TranscriptScanner()
        }
        while scanner.lineNumber + 1 < location.line {
            handle(scanner.skipLine(), source: location.source, emit)
        }
        items.removeAll(keepingCapacity: true)
        scanner.feed(line, into: &items)
        handle(items, source: location.source, emit)
    }

    /// The end of the input: anything still open, and fragments still
    /// waiting, are reported.
    public mutating func finish(_ emit: (Event) -> Void) {
        if let last = current { finishSource(last, emit) }
        current = nil
    }

    private mutating func finishSource(_ source: String, _ emit: (Event) -> Void) {
        handle(scanner.finish(), source: source, emit)
        reassemble(reassembler.finish(), source: source, emit)
        reassembler = Reassembler()
    }

    private mutating func handle(_ items: [TranscriptScanner.Item], source: String, _ emit: (Event) -> Void) {
        for item in items {
            if !handsOnPlaintext, case .plaintext = item.kind { continue }
            let location = SourceLocation(source: source, line: item.line)
            guard case .fragment(let raw) = item.kind else {
                emit(.item(CapturedItem(item, location: location)))
                continue
            }
            // Parsed once; one that does not parse goes to the reassembler
            // as text, which names the rule it breaks.
            let fragment = try? Fragment.parse(raw[...])
            let events = fragment.map { reassembler.receive($0, at: item.line) } ?? reassembler.receive(raw[...], at: item.line)
            let problems = events.compactMap { event -> ReassemblyProblem? in
                if case .problem(let problem) = event { problem } else { nil }
            }
            emit(.item(CapturedItem(item, location: location, fragment: fragment, fragmentProblems: problems)))
            reassemble(events, source: source, emit)
        }
    }

    /// A completed message is scanned like a line of its own, reported
    /// at the line of its last fragment.
    private func reassemble(_ events: [Reassembler.Event], source: String, _ emit: (Event) -> Void) {
        for event in events {
            switch event {
            case .completed(let message):
                let location = SourceLocation(source: source, line: message.lastPosition)
                var scanner = TranscriptScanner()
                for found in scanner.feed(message.message) + scanner.finish() {
                    let item = TranscriptScanner.Item(kind: found.kind, line: message.lastPosition, offset: found.offset)
                    // A fragment inside a fragmented message is shown, not
                    // reassembled again.
                    var fragment: Fragment? = nil
                    if case .fragment(let raw) = item.kind { fragment = try? Fragment.parse(raw[...]) }
                    emit(.item(CapturedItem(item, location: location, fragment: fragment, reassembledFrom: message)))
                }
            case .problem(let problem):
                let location = SourceLocation(source: source, line: problem.position)
                emit(.problem(location, "fragment: \(problem)"))
            }
        }
    }
}
