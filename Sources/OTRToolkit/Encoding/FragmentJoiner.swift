import OTR

/// fragment join's work (spec "Fragmentation"): fragments of any number of
/// messages and instances reassembled as libotr reassembles them; each
/// message written when its last fragment arrives, other lines copied, and
/// every fragment lost named.
public struct FragmentJoiner {
    public var maximumMessageLength: Int
    public var maximumPendingMessages: Int
    public var json: Bool

    public init(maximumMessageLength: Int, maximumPendingMessages: Int, json: Bool) {
        self.maximumMessageLength = maximumMessageLength
        self.maximumPendingMessages = maximumPendingMessages
        self.json = json
    }

    /// Joins the fragments of `lines`; records written end with the lines'
    /// delimiter.
    public func join(_ lines: InputLines, out: OutputSink, diagnostics: Diagnostics) {
        let terminator = lines.delimiter
        var reassembler = Reassembler(maximumMessageLength: maximumMessageLength, maximumPendingMessages: maximumPendingMessages,
                                      maximumBufferedBytes: max(Reassembler.defaultMaximumBufferedBytes, maximumMessageLength))
        var positions = PositionTable()

        func handle(_ events: [Reassembler.Event]) {
            for event in events {
                switch event {
                case .completed(let message):
                    if json {
                        out.writeLine(FragmentReport.messageJSON(message, positions: positions).render())
                    } else {
                        out.write(bytes: message.message)
                        out.write(bytes: [terminator])
                    }
                case .problem(let problem):
                    diagnostics.report(positions.location(problem.position).description, Problem.malformed(problem.description))
                    if json {
                        out.writeLine(FragmentReport.problemJSON(problem, positions: positions).render())
                    }
                }
            }
        }

        lines.forEach(diagnostics: diagnostics) { location, line in
            let position = positions.next(location)
            if let start = FragmentReport.fragmentStart(line) {
                handle(reassembler.receive(line[start...], at: position))
            } else if json {
                out.writeLine(FragmentReport.unfragmentedJSON(line, location: location).render())
            } else {
                out.write(bytes: line)
                out.write(bytes: [terminator])
            }
        }
        handle(reassembler.finish())
    }
}
