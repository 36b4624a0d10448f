import OTR

/// The Data messages a single-message forge (reencrypt, modify, remac)
/// works on: every one of the capture, or those starting on the lines
/// chosen. Anything else OTR on those lines that cannot be forged is
/// reported to `diagnostics`.
public final class DataMessageSelection {
    public private(set) var found: [(SourceLocation, TranscriptForgery.CapturedMessage)] = []
    private let lines: Set<Int>
    private let diagnostics: Diagnostics
    private var reader = CaptureReader(plaintext: false)

    /// `lines` empty: every Data message.
    public init(lines: Set<Int>, diagnostics: Diagnostics) {
        self.lines = lines
        self.diagnostics = diagnostics
    }

    public func feed(_ line: [UInt8], at location: SourceLocation) {
        reader.feed(line, at: location, take)
    }

    /// The messages chosen, in order; none at all is reported.
    public func finish() -> [(SourceLocation, TranscriptForgery.CapturedMessage)] {
        reader.finish(take)
        if found.isEmpty {
            diagnostics.report(nil, "no Data message in the input", status: .malformedInput)
        }
        return found
    }

    private func take(_ event: CaptureReader.Event) {
        switch event {
        case .problem(let location, let message):
            guard lines.isEmpty || lines.contains(location.line) else { return }
            diagnostics.report(location.description, message, status: .malformedInput)
        case .item(let captured):
            let location = captured.location
            guard lines.isEmpty || lines.contains(location.line), case .encoded(let armoured) = captured.item.kind else { return }
            switch captured.message {
            case .data(let message)?:
                found.append((location, .init(line: location.line, armoured: armoured, binary: captured.binary, message: message)))
            case _?:
                if !lines.isEmpty { diagnostics.report(location.description, "not a Data message", status: .malformedInput) }
            case nil:
                diagnostics.report(location.description, captured.error ?? Problem.malformed("unreadable"), context: "encoded message")
            }
        }
    }
}
