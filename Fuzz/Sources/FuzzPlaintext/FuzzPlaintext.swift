// libFuzzer target: the plaintext scanner (query messages, whitespace
// tags, error messages, the starts of encoded messages and fragments).
//
// Beyond not crashing: the findings lie in the text, in order, without
// overlapping; the display text is built from them; a query or tag built
// from the versions found reads back to the same versions.
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let findings = PlaintextScanner.scan(bytes)
    var previousEnd = 0
    for finding in findings {
        let r = finding.range
        guard r.lowerBound >= previousEnd, r.upperBound <= bytes.count, !r.isEmpty else {
            fatalError("finding \(finding) out of order or outside the \(bytes.count)-byte text")
        }
        previousEnd = r.upperBound
        switch finding {
        case .query(let q): checkQuery(q)
        case .whitespaceTag(let t): checkTag(t)
        case .error(let e): _ = e.text
        case .encoded, .fragment, .unrecognised: break
        }
    }
    let display = PlaintextScanner.displayText(bytes, findings: findings)
    if display.count > bytes.count {
        fatalError("display text longer than the text")
    }

    // The parsers on their own, at the start of the text.
    if let q = QueryMessage.parse(bytes, at: 0) { _ = q.violations }
    if let t = WhitespaceTag.parse(bytes, at: 0) { _ = t.violations }
    _ = ErrorMessage.parse(bytes, at: 0)
    return 0
}

func checkQuery(_ q: QueryMessage) {
    // encode(versions:) writes a String; an identifier byte that is not
    // ASCII is not a character of it, so only ASCII ones can round-trip.
    guard q.versions.allSatisfy({ ($0.queryIdentifier ?? 0) < 0x80 }) else { return }
    let encoded = Array(QueryMessage.encode(versions: q.versions).utf8)
    guard let again = QueryMessage.parse(encoded, at: 0) else {
        fatalError("query for \(q.versions) encoded as \(encoded) is not read back")
    }
    if again.versions != q.versions {
        fatalError("query for \(q.versions) reads back as \(again.versions)")
    }
}

func checkTag(_ t: WhitespaceTag) {
    let encoded = WhitespaceTag.encode(versions: t.versions)
    guard let again = WhitespaceTag.parse(encoded, at: 0) else {
        fatalError("tag for \(t.versions) is not read back")
    }
    // encode puts version 1 first, as the spec requires.
    let expected = t.versions.contains(.v1) ? [.v1] + t.versions.filter { $0 != .v1 } : t.versions
    if again.versions != expected || again.range != 0..<encoded.count {
        fatalError("tag for \(t.versions) reads back as \(again.versions)")
    }
}
