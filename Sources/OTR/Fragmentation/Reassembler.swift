/// The fragments of one message travel in one stream: the fragment form
/// and, for version 3, the sender and receiver instance tags. libotr keeps
/// one stored fragment per connection context, and a version 3 context is
/// chosen by the instance tags, so streams are reassembled independently.
public struct FragmentStream: Hashable, Sendable, CustomStringConvertible {
    public var form: FragmentForm
    public var senderInstance: UInt32
    public var receiverInstance: UInt32

    public init(form: FragmentForm, senderInstance: UInt32 = 0, receiverInstance: UInt32 = 0) {
        self.form = form
        self.senderInstance = senderInstance
        self.receiverInstance = receiverInstance
    }

    public init(of fragment: Fragment) {
        self.init(form: fragment.form, senderInstance: fragment.senderInstance,
                  receiverInstance: fragment.receiverInstance)
    }

    public var description: String {
        form == .v3 ? "v3 \(Fragment.hex(senderInstance))->\(Fragment.hex(receiverInstance))" : "v2"
    }
}

/// A message put back together.
public struct ReassembledMessage: Sendable, Equatable {
    public var stream: FragmentStream
    public var message: [UInt8]
    public var fragmentCount: Int
    /// Caller positions (e.g. line numbers) of the first and last fragment.
    public var firstPosition: Int
    public var lastPosition: Int
    /// Whether every fragment had libotr's zero padding.
    public var isPadded: Bool
}

/// What went wrong, where, and what it cost.
public struct ReassemblyProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// The text looks like a fragment but breaks a rule; it is ignored.
        case malformed
        /// A fragment with k > 1 arrived and no message was in progress:
        /// its earlier fragments are missing.
        case firstMissing = "first-missing"
        /// k skipped ahead of the next expected fragment.
        case missing
        /// The same k again.
        case duplicate
        /// A k lower than one already received.
        case outOfOrder = "out-of-order"
        /// n differs from the message in progress.
        case nChanged = "n-changed"
        /// k = 1 arrived while a message was in progress.
        case restarted
        /// The input ended before the message in progress was complete.
        case incomplete
        /// Dropped to stay within `maximumPendingMessages`.
        case evicted
        /// The message would exceed `maximumMessageLength` or the
        /// reassembler's `maximumBufferedBytes`.
        case tooLarge = "too-large"
        /// The reassembled message is itself a fragment.
        case nestedFragment = "nested-fragment"
        /// A version 3 message whose header names other instance tags than
        /// its fragments.
        case instanceTagMismatch = "instance-tag-mismatch"
    }

    public var kind: Kind
    public var stream: FragmentStream?
    /// Where the problem was noticed (the caller's position).
    public var position: Int
    /// The fragment that revealed the problem.
    public var k: Int?
    public var n: Int?
    /// The fragment number that was expected instead.
    public var expectedK: Int?
    /// For `nChanged`: the n of the message in progress.
    public var previousN: Int?
    /// Fragments of a message in progress that were thrown away.
    public var discardedFragments: Int
    /// For `incomplete` and `missing`: the fragment numbers not received.
    public var missing: ClosedRange<Int>?
    /// For `malformed`: the rule broken; for a tag mismatch: the tags.
    public var detail: String?
    /// For `malformed`: the parse error.
    public var error: OTRError?
    /// The position of the first fragment of the message in progress the
    /// problem concerns, when one was.
    public var seriesStart: Int?

    public init(kind: Kind, stream: FragmentStream?, position: Int, k: Int? = nil, n: Int? = nil,
                expectedK: Int? = nil, previousN: Int? = nil, discardedFragments: Int = 0,
                missing: ClosedRange<Int>? = nil, detail: String? = nil, error: OTRError? = nil,
                seriesStart: Int? = nil) {
        self.kind = kind
        self.seriesStart = seriesStart
        self.stream = stream
        self.position = position
        self.k = k
        self.n = n
        self.expectedK = expectedK
        self.previousN = previousN
        self.discardedFragments = discardedFragments
        self.missing = missing
        self.detail = detail
        self.error = error
    }

    public var description: String {
        let of = n.map { " of \($0)" } ?? ""
        let fragment = k.map { "fragment \($0)\(of)" } ?? "fragment"
        let lost = discardedFragments == 0 ? ""
            : "; the \(discardedFragments) fragment\(discardedFragments == 1 ? "" : "s") of the message in progress \(discardedFragments == 1 ? "was" : "were") discarded, as libotr discards them"
        let streamText = stream.map { " (\($0))" } ?? ""
        switch kind {
        case .malformed:
            let at = error?.offset.map { " at byte \($0)" } ?? ""
            return "malformed fragment\(at): \(error?.reason ?? detail ?? "")"
        case .firstMissing:
            return "\(fragment)\(streamText) arrived with no message in progress: fragment\((k ?? 2) > 2 ? "s 1...\((k ?? 2) - 1) are" : " 1 is") missing; ignored"
        case .missing:
            return "\(fragment)\(streamText) arrived where fragment \(expectedK ?? 0) was expected: \(rangeText(missing)) \((missing?.count ?? 0) == 1 ? "is" : "are") missing\(lost)"
        case .duplicate:
            return "duplicate \(fragment)\(streamText)\(lost)"
        case .outOfOrder:
            return "\(fragment)\(streamText) arrived out of order, after fragment \((expectedK ?? 1) - 1)\(lost)"
        case .nChanged:
            return "\(fragment)\(streamText) changes n from \(previousN ?? 0) to \(n ?? 0) in the middle of a message\(lost)"
        case .restarted:
            return "\(fragment)\(streamText) starts a new message before the one in progress (fragment \((expectedK ?? 1) - 1) of \(previousN ?? 0)) was complete\(lost)"
        case .incomplete:
            let received = discardedFragments == 1 ? "1 fragment was" : "\(discardedFragments) fragments were"
            return "input ended before the message\(streamText) was complete: \(rangeText(missing)) of \(n ?? 0) \((missing?.count ?? 0) == 1 ? "is" : "are") missing (\(received) received)"
        case .evicted:
            return "message in progress\(streamText) evicted to stay within \(detail ?? "the limit")\(lost)"
        case .tooLarge:
            return "\(fragment)\(streamText) would exceed \(detail ?? "the size limit")\(lost)"
        case .nestedFragment:
            return "the message reassembled\(streamText) is itself a fragment (a fragment must not be fragmented again); dropped"
        case .instanceTagMismatch:
            return "the message reassembled\(streamText) names other instance tags in its header: \(detail ?? "")"
        }
    }

    private func rangeText(_ r: ClosedRange<Int>?) -> String {
        guard let r else { return "fragments" }
        return r.count == 1 ? "fragment \(r.lowerBound)" : "fragments \(r.lowerBound)...\(r.upperBound)"
    }
}

/// Reassembles fragments as libotr 4.1.1 does (`otrl_proto_fragment_accumulate`,
/// spec "Receiving Fragments"), one stored message per stream, and says
/// what went wrong each time libotr would silently drop something.
///
/// The messages it completes are exactly those libotr completes:
/// - k = 1 always starts a new message, forgetting the one in progress;
/// - k = K + 1 with the same n appends;
/// - anything else forgets the message in progress and is itself ignored,
///   so a duplicate, a gap, a reordering or a changed n costs the message.
///
/// Memory is bounded: what it holds never exceeds `maximumBufferedBytes`
/// plus one piece, and at most `maximumPendingMessages` messages are in
/// progress at once. Exceeding a bound is a reported problem.
public struct Reassembler {
    public enum Event: Sendable, Equatable {
        case completed(ReassembledMessage)
        case problem(ReassemblyProblem)
    }

    /// The largest message reassembled. A reassembled message is handed on
    /// as one line (to `decode`, whose default line limit this matches),
    /// and a 64 KiB OTR Data message is under 100 KB of base64, so
    /// 16 MiB is far above real traffic and small enough to hold.
    public static let defaultMaximumMessageLength = 16 << 20
    /// Messages in progress at once. libotr keeps one per context; a
    /// capture of many conversations needs one per stream, and a hostile
    /// stream of new instance tags must not grow the table without bound.
    public static let defaultMaximumPendingMessages = 4096
    /// All bytes held for messages in progress, across streams.
    public static let defaultMaximumBufferedBytes = 64 << 20

    public let maximumMessageLength: Int
    public let maximumPendingMessages: Int
    public let maximumBufferedBytes: Int

    private struct Pending {
        var n: Int
        var k: Int
        var buffer: [UInt8]
        var firstPosition: Int
        var padded: Bool
        /// Set once the message was discarded: later fragments of it are
        /// followed (to name what else is wrong) but not stored.
        var discarded: Bool
        var generation: Int
    }

    private var pending: [FragmentStream: Pending] = [:]
    /// Streams in the order their messages started, for eviction; entries
    /// whose generation no longer matches are stale and skipped.
    private var startOrder: [(FragmentStream, Int)] = []
    private var startOrderHead = 0
    private var nextGeneration = 0
    private(set) public var bufferedBytes = 0

    public init(maximumMessageLength: Int = Reassembler.defaultMaximumMessageLength,
                maximumPendingMessages: Int = Reassembler.defaultMaximumPendingMessages,
                maximumBufferedBytes: Int = Reassembler.defaultMaximumBufferedBytes) {
        self.maximumMessageLength = max(1, maximumMessageLength)
        self.maximumPendingMessages = max(1, maximumPendingMessages)
        self.maximumBufferedBytes = max(1, maximumBufferedBytes)
    }

    /// Messages in progress (discarded ones still being followed included).
    public var pendingCount: Int { pending.count }

    /// Parses `text` (from "?OTR|" or "?OTR," to the end) and adds it.
    public mutating func receive(_ text: ArraySlice<UInt8>, at position: Int) -> [Event] {
        do {
            return receive(try Fragment.parse(text), at: position)
        } catch let error as OTRError {
            return [.problem(ReassemblyProblem(kind: .malformed, stream: nil, position: position, error: error))]
        } catch {
            return [.problem(ReassemblyProblem(kind: .malformed, stream: nil, position: position, detail: "\(error)"))]
        }
    }

    /// Adds a parsed fragment; `position` is the caller's (a line number,
    /// an index) and comes back in the events.
    public mutating func receive(_ fragment: Fragment, at position: Int) -> [Event] {
        if let error = Self.validationError(fragment) {
            return [.problem(ReassemblyProblem(kind: .malformed, stream: FragmentStream(of: fragment), position: position,
                                               k: fragment.k, n: fragment.n, error: error))]
        }
        var events: [Event] = []
        let stream = FragmentStream(of: fragment)
        let k = fragment.k, n = fragment.n
        // The first fragment of the message in progress, once taken.
        var seriesStart: Int? = nil
        func problem(_ kind: ReassemblyProblem.Kind, expected: Int? = nil, previousN: Int? = nil,
                     discarded: Int = 0, missing: ClosedRange<Int>? = nil, detail: String? = nil) {
            events.append(.problem(ReassemblyProblem(kind: kind, stream: stream, position: position, k: k, n: n,
                                                     expectedK: expected, previousN: previousN,
                                                     discardedFragments: discarded, missing: missing, detail: detail,
                                                     seriesStart: seriesStart)))
        }

        if k == 1 {
            if let current = take(stream) {
                seriesStart = current.firstPosition
                let identicalRepeat = !current.discarded && current.k == 1 && current.n == n && current.buffer == fragment.piece
                if identicalRepeat {
                    // libotr restarts with the same piece: nothing is lost.
                    problem(.duplicate)
                } else if !current.discarded {
                    problem(.restarted, expected: current.k + 1, previousN: current.n, discarded: current.k)
                }
            }
            start(stream, fragment, at: position, into: &events)
            return events
        }
        // Taken out of the table while it changes, so appending to the
        // buffer does not copy it.
        guard var current = take(stream) else {
            problem(.firstMissing, missing: 1...(k - 1))
            startDiscarded(stream, n: n, k: k, at: position, into: &events)
            return events
        }
        seriesStart = current.firstPosition
        if current.discarded {
            // The rest of a discarded message is followed quietly; only
            // what else is wrong with it is named.
            if n != current.n {
                problem(.firstMissing, missing: 1...(k - 1))
                startDiscarded(stream, n: n, k: k, at: position, into: &events)
                return events
            }
            if k == current.k {
                problem(.duplicate)
            } else if k < current.k {
                problem(.outOfOrder, expected: current.k + 1)
            } else {
                if k > current.k + 1 {
                    problem(.missing, expected: current.k + 1, missing: (current.k + 1)...(k - 1))
                }
                current.k = k
            }
            if current.k < current.n { put(stream, current) }
            return events
        }
        if n != current.n {
            problem(.nChanged, expected: current.k + 1, previousN: current.n, discarded: current.k)
            startDiscarded(stream, n: n, k: k, at: position, into: &events)
            return events
        }
        if k == current.k + 1 {
            let limit: String?
            if current.buffer.count + fragment.piece.count > maximumMessageLength {
                limit = "the maximum message length of \(maximumMessageLength) bytes"
            } else if bufferedBytes + current.buffer.count + fragment.piece.count > maximumBufferedBytes {
                limit = "the \(maximumBufferedBytes) bytes held for all messages in progress"
            } else {
                limit = nil
            }
            if let limit {
                problem(.tooLarge, discarded: current.k, detail: limit)
                putDiscarded(stream, &current, k: k)
                return events
            }
            current.buffer += fragment.piece
            current.k = k
            current.padded = current.padded && fragment.isPadded
            if k == n {
                complete(stream, current, lastPosition: position, into: &events)
            } else {
                put(stream, current)
            }
        } else if k == current.k {
            problem(.duplicate, discarded: current.k)
            putDiscarded(stream, &current, k: k)
        } else if k < current.k {
            problem(.outOfOrder, expected: current.k + 1, discarded: current.k)
            putDiscarded(stream, &current, k: current.k)
        } else {
            problem(.missing, expected: current.k + 1, discarded: current.k, missing: (current.k + 1)...(k - 1))
            putDiscarded(stream, &current, k: k)
        }
        return events
    }

    /// Ends the input: every message still in progress is reported.
    public mutating func finish() -> [Event] {
        var events: [Event] = []
        for (stream, current) in pending.sorted(by: { $0.value.generation < $1.value.generation }) {
            if !current.discarded {
                events.append(.problem(ReassemblyProblem(kind: .incomplete, stream: stream, position: current.firstPosition,
                                                         k: current.k, n: current.n, expectedK: current.k + 1,
                                                         discardedFragments: current.k,
                                                         missing: (current.k + 1)...current.n,
                                                         seriesStart: current.firstPosition)))
            }
        }
        pending.removeAll()
        startOrder.removeAll()
        startOrderHead = 0
        bufferedBytes = 0
        return events
    }

    static func validationError(_ fragment: Fragment) -> OTRError? {
        do { try fragment.validate(); return nil } catch let e as OTRError { return e } catch { return nil }
    }

    private mutating func start(_ stream: FragmentStream, _ fragment: Fragment, at position: Int,
                                into events: inout [Event]) {
        let entry = Pending(n: fragment.n, k: 1, buffer: fragment.piece, firstPosition: position,
                            padded: fragment.isPadded, discarded: false, generation: 0)
        // A 1-of-1 fragment is a whole message: the length bound holds
        // for it as for any other.
        if fragment.n == 1, fragment.piece.count <= maximumMessageLength {
            complete(stream, entry, lastPosition: position, into: &events)
            return
        }
        let limit: String?
        if fragment.piece.count > maximumMessageLength {
            limit = "the maximum message length of \(maximumMessageLength) bytes"
        } else if bufferedBytes + fragment.piece.count > maximumBufferedBytes {
            limit = "the \(maximumBufferedBytes) bytes held for all messages in progress"
        } else {
            limit = nil
        }
        if let limit {
            events.append(.problem(ReassemblyProblem(kind: .tooLarge, stream: stream, position: position,
                                                     k: 1, n: fragment.n, detail: limit)))
            startDiscarded(stream, n: fragment.n, k: 1, at: position, into: &events)
            return
        }
        insert(stream, entry, into: &events)
    }

    /// Follows a message whose start was lost, to report the rest of it.
    private mutating func startDiscarded(_ stream: FragmentStream, n: Int, k: Int, at position: Int,
                                         into events: inout [Event]) {
        if k >= n { return }
        insert(stream, Pending(n: n, k: k, buffer: [], firstPosition: position, padded: true,
                               discarded: true, generation: 0), into: &events)
    }

    /// Adds a new message in progress, evicting the oldest when full.
    private mutating func insert(_ stream: FragmentStream, _ entry: Pending, into events: inout [Event]) {
        while pending.count >= maximumPendingMessages, let oldest = popOldest() {
            guard let victim = take(oldest) else { continue }
            if !victim.discarded {
                events.append(.problem(ReassemblyProblem(kind: .evicted, stream: oldest, position: victim.firstPosition,
                                                         k: victim.k, n: victim.n, discardedFragments: victim.k,
                                                         missing: (victim.k + 1)...victim.n,
                                                         detail: "\(maximumPendingMessages) messages in progress")))
            }
        }
        var entry = entry
        entry.generation = nextGeneration
        nextGeneration += 1
        startOrder.append((stream, entry.generation))
        put(stream, entry)
        // Entries of finished messages are dropped now and then, so the
        // order list stays in proportion to the messages in progress.
        if startOrder.count - startOrderHead > 2 * pending.count + 1024 {
            startOrder = startOrder[startOrderHead...].filter { pending[$0.0]?.generation == $0.1 }
            startOrderHead = 0
        }
    }

    /// The stream whose message in progress started first.
    private mutating func popOldest() -> FragmentStream? {
        while startOrderHead < startOrder.count {
            let (stream, generation) = startOrder[startOrderHead]
            startOrderHead += 1
            if pending[stream]?.generation == generation { return stream }
        }
        return nil
    }

    private mutating func take(_ stream: FragmentStream) -> Pending? {
        guard let entry = pending.removeValue(forKey: stream) else { return nil }
        bufferedBytes -= entry.buffer.count
        return entry
    }

    private mutating func put(_ stream: FragmentStream, _ entry: Pending) {
        bufferedBytes += entry.buffer.count
        pending[stream] = entry
    }

    /// libotr forgets the message: the bytes go, the numbering is kept to
    /// follow what arrives next.
    private mutating func putDiscarded(_ stream: FragmentStream, _ current: inout Pending, k: Int) {
        current.buffer = []
        current.discarded = true
        current.k = k
        if current.k < current.n { put(stream, current) }
    }

    private func complete(_ stream: FragmentStream, _ entry: Pending, lastPosition: Int, into events: inout [Event]) {
        let message = entry.buffer
        if Fragment.hasFragmentPrefix(message) {
            events.append(.problem(ReassemblyProblem(kind: .nestedFragment, stream: stream, position: lastPosition,
                                                     k: entry.k, n: entry.n)))
            return
        }
        if stream.form == .v3, let header = try? MessageHeader.peek(armoured: message) {
            if header.version != 3 {
                events.append(.problem(ReassemblyProblem(kind: .instanceTagMismatch, stream: stream, position: lastPosition,
                                                         k: entry.k, n: entry.n,
                                                         detail: "a version \(header.version) message in version 3 fragments")))
            } else if header.senderInstance?.rawValue != stream.senderInstance
                        || header.receiverInstance?.rawValue != stream.receiverInstance {
                let s = header.senderInstance.map { Fragment.hex($0.rawValue) } ?? "?"
                let r = header.receiverInstance.map { Fragment.hex($0.rawValue) } ?? "?"
                events.append(.problem(ReassemblyProblem(kind: .instanceTagMismatch, stream: stream, position: lastPosition,
                                                         k: entry.k, n: entry.n,
                                                         detail: "sender \(s), receiver \(r)")))
            }
        }
        events.append(.completed(ReassembledMessage(stream: stream, message: message, fragmentCount: entry.n,
                                                    firstPosition: entry.firstPosition, lastPosition: lastPosition,
                                                    isPadded: entry.padded)))
    }
}
