// libFuzzer target: libotr's otr.instance_tags reader.
//
// Beyond not crashing: a file that was read and can be written reads back
// to the same entries, and the tag libotr would use for each account is
// one of them.
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (file, problems) = InstanceTagFile.parse(bytes)
    for problem in problems { _ = problem.description }
    for entry in file.entries {
        guard entry.tag.isValidSender, file.tag(accountName: entry.accountName, protocolName: entry.protocolName) != nil else {
            fatalError("entry \(entry) read with an invalid tag or not found")
        }
    }
    guard let written = try? file.serialised() else { return 0 }
    let (again, _) = InstanceTagFile.parse(written)
    if again.entries.map(unnumbered) != file.entries.map(unnumbered) {
        fatalError("written instance tags read back differently")
    }
    return 0
}

func unnumbered(_ e: InstanceTagFile.Entry) -> InstanceTagFile.Entry {
    var copy = e
    copy.line = nil
    return copy
}
