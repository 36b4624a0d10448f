// libFuzzer target: fragments and their reassembly.
//
// Each input line is parsed with Fragment.parse and fed to two
// reassemblers: one with the default bounds, one with tiny bounds so that
// eviction and the size limits are reached; both are finished at the end.
// Beyond not crashing: a parsed fragment re-encodes (padded as libotr
// writes it, or unpadded as python-potr does) to the same fragment, and
// the reassemblers keep within their bounds (no completed message over
// maximumMessageLength: a 1-of-1 fragment once escaped it, see
// FuzzRegressionTests) and hold nothing after finish().
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var roomy = Reassembler()
    var tight = Reassembler(maximumMessageLength: 64, maximumPendingMessages: 2, maximumBufferedBytes: 96)
    for (index, line) in bytes.split(separator: 0x0a, omittingEmptySubsequences: false).enumerated() {
        if let fragment = try? Fragment.parse(line) {
            checkReencoding(fragment)
        }
        receive(line, at: index + 1, into: &roomy)
        receive(line, at: index + 1, into: &tight)
    }
    for reassembler in [roomy, tight] {
        var r = reassembler
        for event in r.finish() { inspect(event, r) }
        if r.pendingCount != 0 || r.bufferedBytes != 0 {
            fatalError("finish() left \(r.pendingCount) messages, \(r.bufferedBytes) bytes")
        }
    }
    return 0
}

func receive(_ line: ArraySlice<UInt8>, at position: Int, into r: inout Reassembler) {
    for event in r.receive(line, at: position) { inspect(event, r) }
    if r.pendingCount > r.maximumPendingMessages {
        fatalError("\(r.pendingCount) messages pending, more than \(r.maximumPendingMessages)")
    }
    if r.bufferedBytes < 0 || r.bufferedBytes > r.maximumBufferedBytes {
        fatalError("\(r.bufferedBytes) bytes buffered, bound \(r.maximumBufferedBytes)")
    }
}

func inspect(_ event: Reassembler.Event, _ r: Reassembler) {
    switch event {
    case .completed(let message):
        if message.message.count > r.maximumMessageLength {
            fatalError("completed a message of \(message.message.count) bytes, bound \(r.maximumMessageLength)")
        }
        _ = message.stream.description
        _ = try? MessageHeader.peek(armoured: message.message)
    case .problem(let problem):
        _ = problem.description
    }
}

func checkReencoding(_ fragment: Fragment) {
    func same(_ a: Fragment, _ b: Fragment) -> Bool {
        a.form == b.form && a.senderInstance == b.senderInstance && a.receiverInstance == b.receiverInstance
            && a.k == b.k && a.n == b.n && a.piece == b.piece
    }
    guard let padded = try? Fragment.parse(fragment.encoded(padded: true)), same(padded, fragment), padded.isPadded else {
        fatalError("fragment \(fragment) does not read back from its padded encoding")
    }
    guard let unpadded = try? Fragment.parse(fragment.encoded(padded: false)), same(unpadded, fragment) else {
        fatalError("fragment \(fragment) does not read back from its unpadded encoding")
    }
}
