// libFuzzer target: a Data Message's plaintext, its TLVs and the SMP
// messages they carry.
//
// The input is read twice: as a decrypted plaintext (message, NUL, TLVs:
// DataPlaintext.parse, then TLV.checkContent(), TLV.content() and the SMP
// message parsers for every TLV), and as the value of one TLV whose type is the first byte
// modulo 9, so that the SMP parsers see every input directly.
// Beyond not crashing: a plaintext is written back byte for byte, and an
// SMP message or extra-symmetric-key TLV rebuilt from what was read reads
// back to the same values.
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let plaintext = try? DataPlaintext.parse(bytes) {
        if plaintext.encoded != bytes {
            fatalError("plaintext written back differently")
        }
        for tlv in plaintext.tlvs { exercise(tlv) }
    }
    if let first = bytes.first {
        exercise(TLV(type: UInt16(first % 9), value: Array(bytes.dropFirst())))
    }
    return 0
}

func exercise(_ tlv: TLV) {
    _ = tlv.kind?.name
    // What decode checks of every decrypted TLV: layout and SMP ranges.
    let checked = (try? tlv.checkContent()) != nil
    if (try? TLV(type: tlv.type, checkedValue: tlv.value)) == nil && tlv.value.count <= TLV.maximumValueLength {
        fatalError("TLV of \(tlv.value.count) bytes refused by the checked initialiser")
    }
    guard let kind = tlv.kind, let content = try? tlv.content() else {
        if checked && tlv.kind != nil { fatalError("checkContent() passed a TLV whose content() throws") }
        return
    }
    switch content {
    case .none:
        break
    case .smp(let question, let mpis):
        let rebuilt = TLV.smp(kind, question: question, mpis: mpis)
        guard case .smp(let q2, let m2)? = try? rebuilt.content(), q2 == question, m2 == mpis else {
            fatalError("\(kind.name) TLV rebuilt from its values reads back differently")
        }
    case .extraSymmetricKey(let use, let useData):
        if TLV.extraSymmetricKey(use: use, useData: useData) != tlv {
            fatalError("extra symmetric key TLV rebuilt differently")
        }
    }
    switch kind {
    case .smp1, .smp1Q: check(try? SMPMessage1(tlv: tlv)) { SMPMessage1(mpis: $0.mpis) }
    case .smp2: check(try? SMPMessage2(tlv: tlv)) { SMPMessage2(mpis: $0.mpis) }
    case .smp3: check(try? SMPMessage3(tlv: tlv)) { SMPMessage3(mpis: $0.mpis) }
    case .smp4: check(try? SMPMessage4(tlv: tlv)) { SMPMessage4(mpis: $0.mpis) }
    default: break
    }
}

/// A parsed SMP message: its range checks run (they throw, never trap),
/// and its TLV reads back to the same message.
func check<M: SMPMessage & Equatable>(_ message: M?, _ fromMPIs: (M) -> M) {
    guard let message else { return }
    _ = try? message.checkRanges()
    if fromMPIs(message).mpis != message.mpis {
        fatalError("\(M.self) does not keep its MPIs")
    }
    guard let again = try? M(tlv: message.tlv), again == message else {
        fatalError("\(M.self) does not read back from its TLV")
    }
}
