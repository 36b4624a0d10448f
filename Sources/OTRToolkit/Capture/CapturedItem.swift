import OTR

/// One item of a capture as the capture reader hands it on: what the
/// scanner found, where, and, for an encoded message, its binary form and
/// the message read from it (or why it could not be unwrapped or read);
/// for a fragment, the fragment parsed. Each is read once, here, for
/// every command that reads captures. A class: decode hands items between
/// threads and frees them on the thread that made them.
public final class CapturedItem {
    public let item: TranscriptScanner.Item
    public let location: SourceLocation
    /// The binary message of an encoded item (empty if it did not unwrap).
    public let binary: [UInt8]
    /// The message read from `binary`.
    public let message: EncodedMessage?
    /// Why an encoded item could not be unwrapped or read (kept as the
    /// error, rendered only when reported).
    public let error: (any Error)?
    /// A fragment item, parsed (nil when it does not parse: the
    /// reassembler's problem says why).
    public let fragment: Fragment?
    /// Set when the item is a message put together from fragments.
    public let reassembledFrom: ReassembledMessage?
    /// For a fragment item: the rules of reassembly it broke (each is also
    /// reported on its own, as the reader's problem event).
    public let fragmentProblems: [ReassemblyProblem]

    init(_ item: TranscriptScanner.Item, location: SourceLocation, fragment: Fragment? = nil,
         reassembledFrom: ReassembledMessage? = nil, fragmentProblems: [ReassemblyProblem] = []) {
        self.item = item
        self.fragmentProblems = fragmentProblems
        self.location = location
        self.fragment = fragment
        self.reassembledFrom = reassembledFrom
        guard case .encoded(let armoured) = item.kind else {
            (binary, message, error) = ([], nil, nil)
            return
        }
        let unwrapped: [UInt8]
        do {
            unwrapped = try Armour.unwrap(armoured)
        } catch {
            (binary, message, self.error) = ([], nil, error)
            return
        }
        binary = unwrapped
        do {
            (message, error) = (try EncodedMessage.read(unwrapped), nil)
        } catch {
            (message, self.error) = (nil, error)
        }
    }

    /// Roughly the bytes the item holds, to bound what waits in a queue.
    public var size: Int { item.size }
}

extension TranscriptScanner.Item {
    /// Roughly the bytes the item holds, to bound what waits in decode's
    /// pipeline.
    public var size: Int {
        switch kind {
        case .encoded(let b), .unterminated(let b), .fragment(let b), .unrecognised(let b), .plaintext(let b): b.count
        case .query(_, let text, _), .whitespaceTag(_, let text, _): text.count
        case .error(let e): e.text.count
        }
    }
}
