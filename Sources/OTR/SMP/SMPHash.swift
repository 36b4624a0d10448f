/// The hash of the zero-knowledge proofs (spec "SMP Hash function"):
/// SHA-256 of a version byte, then one or two MPIs serialized "in the usual
/// way" (4-byte length, minimal big-endian bytes). The digest is read as a
/// big-endian integer.
///
/// The version byte differs at every place a proof is made (1 to 8), so
/// that neither party can replay a proof the other sent.
public enum SMPHash {
    /// The version bytes, in the spec's order of use.
    public enum Version: UInt8, Sendable, CaseIterable {
        /// Message 1: c2 = h(1, g1^r2), knowledge of a2.
        case message1G2a = 1
        /// Message 1: c3 = h(2, g1^r3), knowledge of a3.
        case message1G3a = 2
        /// Message 2: c2 = h(3, g1^r2), knowledge of b2.
        case message2G2b = 3
        /// Message 2: c3 = h(4, g1^r3), knowledge of b3.
        case message2G3b = 4
        /// Message 2: cP = h(5, g3^r5, g1^r5 g2^r6), Pb and Qb.
        case message2PbQb = 5
        /// Message 3: cP = h(6, g3^r5, g1^r5 g2^r6), Pa and Qa.
        case message3PaQa = 6
        /// Message 3: cR = h(7, g1^r7, (Qa/Qb)^r7), Ra.
        case message3Ra = 7
        /// Message 4: cR = h(8, g1^r7, (Qa/Qb)^r7), Rb.
        case message4Rb = 8
    }

    public static func h(_ version: Version, _ first: MPI, _ second: MPI? = nil) -> MPI {
        var w = ByteWriter()
        w.writeByte(version.rawValue)
        w.writeMPI(first)
        if let second { w.writeMPI(second) }
        return MPI(bytes: HashFunction.sha256.digest(w.bytes))
    }
}
