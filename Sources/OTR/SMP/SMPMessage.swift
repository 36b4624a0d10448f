/// What the four SMP messages share: each is a TLV (types 2-5, 1 also as
/// type 7 with a question) holding a count and a fixed number of MPIs in
/// the order the spec lists them (spec "SMP state machine").
public protocol SMPMessage: Sendable {
    /// The TLV type the message travels in (type 1Q is handled by message 1).
    static var kind: TLV.Kind { get }
    /// The MPIs in wire order.
    var mpis: [MPI] { get }
    /// From MPIs in wire order; the count has been checked.
    init(mpis: [MPI])
    /// From a received TLV of this message's type.
    init(tlv: TLV) throws
    /// The TLV to send.
    var tlv: TLV { get }
    /// The range checks the spec asks of a receiver before any proof:
    /// group elements in 2..p-2, proof exponents in 1..q-1.
    func checkRanges() throws
}

extension SMPMessage {
    /// "SMP Message 2" and the like, the prefix of every field name.
    static var name: String { kind.name }

    /// Decodes the MPIs of an SMP TLV of this message's type; a wrong
    /// type or MPI count throws `malformed` naming the message.
    public init(tlv: TLV) throws {
        guard tlv.kind == Self.kind else {
            throw OTRError.malformed(Self.name, "TLV type \(tlv.type) is not \(Self.kind.rawValue)")
        }
        guard case .smp(_, let mpis) = try tlv.content() else {
            throw OTRError.malformed(Self.name, "not an SMP TLV")
        }
        self.init(mpis: mpis)
    }

    /// The TLV to send.
    public var tlv: TLV { TLV.smp(Self.kind, mpis: mpis) }

    /// Names a field of this message in errors ("SMP Message 1 g2a").
    static func field(_ name: String) -> String { "\(Self.name) \(name)" }
}
