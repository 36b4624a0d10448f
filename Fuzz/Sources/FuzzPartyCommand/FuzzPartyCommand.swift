// libFuzzer target: the command lines of otrtool session and simulate
// scripts (PartyCommand.parse: /send, /smpq Q|S, /tlv TYPE HEX TEXT,
// /instance TAG, /wait N, ...), one line of hostile bytes.
//
// Beyond not crashing: parsing is deterministic, and an unknown command
// is refused without quoting the line (it may hold a secret).
import OTR
import OTRToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let command = try PartyCommand.parse(line)
        guard let again = try? PartyCommand.parse(line), again == command else {
            fatalError("the same line parsed twice differs")
        }
    } catch {
        // The error names the commands there are; the line must not be
        // found in the rest of it.
        let text = "\(error)".replacing(PartyCommand.summary, with: "")
        if text.contains("unknown command"), line.count >= 8, let shown = String(validating: line, as: UTF8.self),
           text.contains(shown) {
            fatalError("an unknown command line was quoted in the error")
        }
    }
    return 0
}
