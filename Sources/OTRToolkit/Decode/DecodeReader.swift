import OTR

/// One step of decode's work, in input order: an item read from the input
/// (its encoded message unwrapped), or a problem found while reading.
public enum DecodeStep {
    case item(DecodeSession.Scanned)
    case problem(location: String?, message: String, status: ExitStatus)
}

/// decode's first half: lines to items. Finds the items of each line,
/// reassembles fragments, and unwraps encoded messages, reading them too
/// while the second half is behind (all stateless but for the scanner's
/// and reassembler's state), then hands the steps on.
public final class DecodeReader {
    private let named: Bool
    private let pipeline: DecodePipeline
    // The reader's state is touched per line by the reading thread alone;
    // unchecked, it is spared a dynamic exclusivity check on every access.
    @exclusivity(unchecked) private var current: String? = nil
    @exclusivity(unchecked) private var scanner = TranscriptScanner()
    @exclusivity(unchecked) private var reassembler = Reassembler()
    /// The items of the current line, kept from line to line.
    @exclusivity(unchecked) private var items: [TranscriptScanner.Item] = []

    public init(named: Bool, pipeline: DecodePipeline) {
        self.named = named
        self.pipeline = pipeline
    }

    public func feed(_ line: [UInt8], at location: SourceLocation) {
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

    public func finish() {
        if let last = current { finishSource(last) }
        current = nil
    }

    public func problem(_ location: String?, _ message: String, status: ExitStatus) {
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
            let location = SourceLocation(source: source, line: item.line, named: named)
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
                let location = SourceLocation(source: source, line: message.lastPosition, named: named)
                var scanner = TranscriptScanner()
                for found in scanner.feed(message.message) + scanner.finish() {
                    let item = TranscriptScanner.Item(kind: found.kind, line: message.lastPosition, offset: found.offset)
                    let scanned = DecodeSession.Scanned(item, location: location, reassembledFrom: message,
                                                        readMessage: pipeline.readAhead)
                    pipeline.send(.item(scanned), bytes: item.size)
                }
            case .problem(let problem):
                let location = SourceLocation(source: source, line: problem.position, named: named)
                self.problem(location.description, "fragment: \(problem)", status: .malformedInput)
            }
        }
    }
}

extension TranscriptScanner.Item {
    /// Roughly the bytes the item holds, to bound what waits in the pipeline.
    public var size: Int {
        switch kind {
        case .encoded(let b), .unterminated(let b), .fragment(let b), .unrecognised(let b), .plaintext(let b): b.count
        case .query(_, let text, _), .whitespaceTag(_, let text, _): text.count
        case .error(let e): e.text.count
        }
    }
}
