extension TLV {
    /// Checks what a receiver checks of a TLV's value before using it:
    /// the layout of its type (spec "TLV record types"), and for SMP
    /// messages the MPI count and the ranges of group elements and
    /// exponents (spec "SMP state machine"). Proofs are not checked: they
    /// need the receiver's state. Types the spec does not define pass.
    public func checkContent() throws {
        switch kind {
        case .smp1, .smp1Q: try SMPMessage1(tlv: self).checkRanges()
        case .smp2: try SMPMessage2(tlv: self).checkRanges()
        case .smp3: try SMPMessage3(tlv: self).checkRanges()
        case .smp4: try SMPMessage4(tlv: self).checkRanges()
        case .padding, .disconnected, .smpAbort, .extraSymmetricKey: _ = try content()
        case nil: break
        }
    }
}
