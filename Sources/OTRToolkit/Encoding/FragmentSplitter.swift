import OTR

/// fragment split's work (spec "Fragmentation"): each encoded message of
/// a record cut into fragments of at most `maximumSize` bytes, written as
/// records or as JSON objects. One fragmenter is kept per form and pair of
/// instance tags, as a sender keeps one per conversation.
public final class FragmentSplitter {
    /// The fragment form: chosen by the message's version (`auto`: v3 for
    /// a version 3 encoded message, v2 for anything else, as libotr sends
    /// its query message before a version is agreed), or given.
    public enum FormChoice: String, CaseIterable, Sendable { case auto, v2, v3 }

    public struct Options: Sendable {
        public var form: FormChoice
        /// Instance tags for v3 fragments, over those of the message header.
        public var sender: UInt32?
        public var receiver: UInt32?
        public var maximumSize: Int
        public var padded: Bool
        public var json: Bool
        /// What ends each fragment written as text: newline or NUL.
        public var terminator: UInt8

        public init(form: FormChoice, sender: UInt32?, receiver: UInt32?, maximumSize: Int, padded: Bool, json: Bool, terminator: UInt8) {
            self.form = form
            self.sender = sender
            self.receiver = receiver
            self.maximumSize = maximumSize
            self.padded = padded
            self.json = json
            self.terminator = terminator
        }
    }

    private let options: Options
    private let out: OutputSink
    private let diagnostics: Diagnostics
    private var cache: [FragmenterKey: Fragmenter] = [:]

    public init(options: Options, out: OutputSink, diagnostics: Diagnostics) {
        self.options = options
        self.out = out
        self.diagnostics = diagnostics
    }

    /// Why fragments of at most `limit` bytes cannot be made in `form`, if
    /// they cannot: libotr's header and a piece of at least one byte must fit.
    public static func sizeProblem(_ limit: Int, form: FormChoice) -> String? {
        let v2 = Fragmenter.minimumMessageSize(.v2), v3 = Fragmenter.minimumMessageSize(.v3)
        switch form {
        case .v2 where limit < v2, .v3 where limit < v3:
            let smallest = form == .v3 ? v3 : v2
            return "--size \(limit) is too small for \(form.rawValue) fragments: at least \(smallest) (libotr's header needs \(smallest - 2) characters and a piece at least 1)"
        case .auto where limit < v2:
            // The form comes from each message; no form fits in this size.
            return "--size \(limit) is too small for any fragment: at least \(v2) for v2 fragments (a query or version 2 message) and \(v3) for v3 (a version 3 message)"
        default:
            return nil
        }
    }

    /// Splits each line of `lines` (records ending at the terminator).
    public func split(lines: InputLines) {
        lines.forEach(diagnostics: diagnostics) { location, line in split(line, location: location) }
    }

    /// Splits each of `sources` read whole (within `limit` bytes), less one
    /// trailing terminator (and the CR before a newline).
    public func split(wholeSources sources: [String], limit: Int, standardInput: Int32 = 0) {
        let terminator = options.terminator
        for source in sources {
            switch WholeInput.read(source, limit: limit, standardInput: standardInput) {
            case .success(var bytes):
                if bytes.last == terminator {
                    bytes.removeLast()
                    if terminator == 0x0a, bytes.last == 0x0d { bytes.removeLast() }
                }
                split(bytes, location: SourceLocation(source: source, line: 1))
            case .failure(let problem):
                diagnostics.report(nil, problem)
            }
        }
    }

    /// Splits every encoded message in `record` (a line, or a whole input).
    public func split(_ record: [UInt8], location: SourceLocation) {
        for piece in FragmentSplitInput.pieces(of: record) {
            switch piece {
            case .message(let range):
                split(range == record.indices ? record : Array(record[range]), offset: range.lowerBound, location: location)
            case .unterminated(let offset):
                diagnostics.report(location.description, "encoded message at byte \(offset): no closing \".\" (truncated?); not split",
                                   status: .malformedInput)
            }
        }
    }

    private func split(_ message: [UInt8], offset: Int, location: SourceLocation) {
        let header = try? MessageHeader.peek(armoured: message)
        let chosen: FragmentForm
        switch options.form {
        case .v2: chosen = .v2
        case .v3: chosen = .v3
        case .auto: chosen = header?.version == 3 ? .v3 : .v2
        }
        var senderTag: UInt32 = 0, receiverTag: UInt32 = 0
        if chosen == .v3 {
            guard let s = options.sender ?? header?.senderInstance?.rawValue,
                  let r = options.receiver ?? header?.receiverInstance?.rawValue else {
                diagnostics.report(location.description,
                                   "v3 fragments need instance tags: the message is not a version 3 encoded message; give --sender and --receiver",
                                   status: .usage)
                return
            }
            senderTag = s
            receiverTag = r
        }
        let key = FragmenterKey(form: chosen, sender: senderTag, receiver: receiverTag)
        let maximumSize = options.maximumSize
        do {
            let fragmenter: Fragmenter
            if let cached = cache[key] {
                fragmenter = cached
            } else {
                if maximumSize < Fragmenter.minimumMessageSize(chosen) {
                    diagnostics.report(location.description,
                                       "--size \(maximumSize) leaves no room for a piece in \(chosen) fragments (at least \(Fragmenter.minimumMessageSize(chosen)))\(header?.version == 3 && options.form == .auto ? ", which this version 3 message takes" : "")",
                                       status: .usage)
                    return
                }
                fragmenter = try Fragmenter(form: chosen, senderInstance: senderTag, receiverInstance: receiverTag,
                                            maximumMessageSize: maximumSize, padded: options.padded)
                if cache.count > 64 { cache.removeAll() }
                cache[key] = fragmenter
            }
            let count = try fragmenter.plan(message)
            var k = 0
            try fragmenter.forEachFragment(of: message) { fragment in
                k += 1
                if options.json {
                    out.writeLine(FragmentReport.splitJSON(location: location, offset: offset, fragment: Array(fragment),
                                                           k: count == 1 ? nil : k, n: count == 1 ? nil : count,
                                                           form: chosen, sender: senderTag, receiver: receiverTag).render())
                } else {
                    out.write(bytes: fragment)
                    out.write(bytes: [options.terminator])
                }
            }
        } catch let error as OTRError {
            diagnostics.report(location.description, error.description, status: .malformedInput)
        } catch {
            diagnostics.report(location.description, "\(error)", status: .software)
        }
    }
}
