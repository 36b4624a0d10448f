// libFuzzer target: libotr's otr.fingerprints reader.
//
// Beyond not crashing: a store that was read and can be written (fields
// without tabs, line breaks or NULs) reads back to the same entries,
// unless a written line is longer than libotr reads (the writer adds the
// trust field a 4-field line lacked; libotr does the same).
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (store, problems) = FingerprintStore.parse(bytes)
    for problem in problems { _ = problem.description }
    for entry in store.entries { _ = entry.fingerprint.description; _ = entry.isTrusted }
    guard let written = try? store.serialised() else { return 0 }
    let longest = store.entries.map { $0.username.count + $0.accountName.count + $0.protocolName.count + $0.trust.count + 45 }.max() ?? 0
    guard longest <= 999 else { return 0 }
    let (again, _) = FingerprintStore.parse(written)
    if again.entries.map(unnumbered) != store.entries.map(unnumbered) {
        fatalError("written fingerprints read back differently")
    }
    return 0
}

func unnumbered(_ e: FingerprintStore.Entry) -> FingerprintStore.Entry {
    var copy = e
    copy.line = nil
    return copy
}
