import OTR

/// One step of decode's work, in input order: an item read from the input,
/// or a problem found while reading.
public enum DecodeStep {
    case item(CapturedItem)
    case problem(location: String?, message: String, status: ExitStatus)
}

/// decode's first half: lines to items, read by the capture reader, handed
/// on to the pipeline.
public final class DecodeReader {
    private let pipeline: DecodePipeline
    // The reader's state is touched per line by the reading thread alone;
    // unchecked, it is spared a dynamic exclusivity check on every access.
    @exclusivity(unchecked) private var reader: CaptureReader

    public init(pipeline: DecodePipeline) {
        self.reader = CaptureReader()
        self.pipeline = pipeline
    }

    public func feed(_ line: [UInt8], at location: SourceLocation) {
        reader.feed(line, at: location, send)
    }

    public func finish() {
        reader.finish(send)
    }

    public func problem(_ location: String?, _ message: String, status: ExitStatus) {
        pipeline.send(.problem(location: location, message: message, status: status), bytes: message.utf8.count)
    }

    private func send(_ event: CaptureReader.Event) {
        switch event {
        case .item(let item): pipeline.send(.item(item), bytes: item.size)
        case .problem(let location, let message): problem(location.description, message, status: .malformedInput)
        }
    }
}
