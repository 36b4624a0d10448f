/// Splits a message into fragments exactly as libotr 4.1.1 does
/// (`otrl_proto_fragment_create` and `fragment_and_send`), so the output is
/// byte-identical to what libotr puts on the wire.
///
/// libotr's arithmetic, with N the network's maximum message size:
/// - a message of at most N bytes is sent whole;
/// - otherwise each piece holds N - H bytes, H being libotr's header
///   length constant: 37 for version 3 and 19 for version 2. H counts the
///   terminating NUL of the C string, so each fragment is N - 1 bytes at
///   most (the last one shorter);
/// - n = ceil(length / (N - H)), and more than 65535 fragments is an error.
///
/// Sizes are in bytes, as libotr's `strlen` counts them: a multi-byte
/// UTF-8 character can be cut between two pieces, as libotr cuts it.
public struct Fragmenter: Sendable {
    public var form: FragmentForm
    public var senderInstance: UInt32
    public var receiverInstance: UInt32
    /// The network's maximum message size N.
    public var maximumMessageSize: Int
    /// libotr's zero padding; false gives python-potr's unpadded numbers.
    public var padded: Bool

    /// libotr's header length constant, NUL included (proto.c).
    public static func libotrHeaderLength(_ form: FragmentForm) -> Int { form == .v3 ? 37 : 19 }

    /// The smallest N that leaves room for a one-byte piece.
    public static func minimumMessageSize(_ form: FragmentForm) -> Int { libotrHeaderLength(form) + 1 }

    public init(form: FragmentForm, senderInstance: UInt32 = 0, receiverInstance: UInt32 = 0,
                maximumMessageSize: Int, padded: Bool = true) throws {
        guard maximumMessageSize >= Fragmenter.minimumMessageSize(form) else {
            throw OTRError.invalidArgument("maximum message size",
                                           "must be at least \(Fragmenter.minimumMessageSize(form)) for \(form) fragments (libotr's header takes \(Fragmenter.libotrHeaderLength(form) - 1) characters), not \(maximumMessageSize)")
        }
        if form == .v2 && (senderInstance != 0 || receiverInstance != 0) {
            throw OTRError.invalidArgument("instance tags", "version 2 fragments carry no instance tags")
        }
        self.form = form
        self.senderInstance = senderInstance
        self.receiverInstance = receiverInstance
        self.maximumMessageSize = maximumMessageSize
        self.padded = padded
    }

    /// Bytes of the message in each piece but the last.
    public var pieceLength: Int { maximumMessageSize - Fragmenter.libotrHeaderLength(form) }

    /// How many fragments libotr makes of a message of `length` bytes;
    /// 1 means the message goes out whole.
    public func fragmentCount(forLength length: Int) -> Int {
        length <= maximumMessageSize ? 1 : (length - 1) / pieceLength + 1
    }

    /// Checks that `message` can be fragmented and returns the count.
    public func plan(_ message: some Collection<UInt8>) throws -> Int {
        if Fragment.hasFragmentPrefix(message) {
            throw OTRError.invalidArgument("message", "is already a fragment (spec: you can't fragment a fragment)")
        }
        let count = fragmentCount(forLength: message.count)
        guard count <= Fragment.maximumFragmentCount else {
            throw OTRError.limitExceeded("message",
                                         "\(message.count) bytes need \(count) fragments of \(pieceLength); at most \(Fragment.maximumFragmentCount) are allowed")
        }
        return count
    }

    /// The fragments of `message`, or the message itself when it fits.
    public func fragments(of message: [UInt8]) throws -> [[UInt8]] {
        var result: [[UInt8]] = []
        try forEachFragment(of: message) { result.append(Array($0)) }
        return result
    }

    /// Calls `body` with each fragment in order (or the whole message when
    /// it fits), reusing one buffer, for streams of many messages.
    public func forEachFragment(of message: [UInt8], _ body: (ArraySlice<UInt8>) throws -> Void) throws {
        let count = try plan(message)
        if count == 1 {
            try body(message[...])
            return
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(pieceLength + form.paddedOverhead + 16)
        var start = 0
        for k in 1...count {
            let end = min(start + pieceLength, message.count)
            buffer.removeAll(keepingCapacity: true)
            Fragment.appendHeader(form: form, sender: senderInstance, receiver: receiverInstance,
                                  k: k, n: count, padded: padded, to: &buffer)
            buffer += message[start..<end]
            buffer.append(UInt8(ascii: ","))
            try body(buffer[...])
            start = end
        }
    }
}
