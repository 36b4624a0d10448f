/// A TLV record of a Data Message's plaintext (spec "Data Message": Type
/// SHORT, Length SHORT, Value).
public struct TLV: Sendable, Equatable {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8] = []) {
        self.type = type
        self.value = value
    }

    /// The longest value a TLV can carry: its length is a SHORT.
    public static let maximumValueLength = Int(UInt16.max)

    /// A TLV whose value must fit its 16-bit length; throws rather than
    /// let the length wrap when it is written.
    public init(type: UInt16, checkedValue value: [UInt8]) throws {
        self.init(type: type, value: value)
        try checkLength()
    }

    /// Throws when the value is too long for the TLV's 16-bit length.
    public func checkLength() throws {
        guard value.count <= Self.maximumValueLength else {
            throw OTRError.outOfRange("TLV type \(type)", "value of \(value.count) bytes is longer than \(Self.maximumValueLength), the most its 16-bit length can say")
        }
    }

    /// The record types the spec defines.
    public enum Kind: UInt16, Sendable, CaseIterable {
        case padding = 0
        case disconnected = 1
        case smp1 = 2
        case smp2 = 3
        case smp3 = 4
        case smp4 = 5
        case smpAbort = 6
        case smp1Q = 7
        case extraSymmetricKey = 8

        public var name: String {
            switch self {
            case .padding: "Padding"
            case .disconnected: "Disconnected"
            case .smp1: "SMP Message 1"
            case .smp2: "SMP Message 2"
            case .smp3: "SMP Message 3"
            case .smp4: "SMP Message 4"
            case .smpAbort: "SMP Abort Message"
            case .smp1Q: "SMP Message 1Q"
            case .extraSymmetricKey: "Extra symmetric key"
            }
        }

        /// How many MPIs each SMP message carries (spec "SMP state machine").
        public var smpMPICount: Int? {
            switch self {
            case .smp1, .smp1Q: 6
            case .smp2: 11
            case .smp3: 8
            case .smp4: 3
            default: nil
            }
        }
    }

    public var kind: Kind? { Kind(rawValue: type) }

    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.writeShort(type)
        w.writeShort(UInt16(truncatingIfNeeded: value.count))
        w.writeBytes(value)
        return w.bytes
    }

    /// What an SMP or extra-symmetric-key TLV holds, read from its value.
    public enum Content: Sendable, Equatable {
        case none
        /// SMP 1-4: MPI count then the MPIs; for 1Q, a NUL-terminated question first.
        case smp(question: [UInt8]?, mpis: [MPI])
        /// Type 8: a 4-byte use, then use-specific data.
        case extraSymmetricKey(use: UInt32, useData: [UInt8])
    }

    /// Decodes the value for the types that have structure; throws naming
    /// the rule broken.
    public func content() throws -> Content {
        switch kind {
        case .smp1, .smp2, .smp3, .smp4, .smp1Q:
            var bytes = value
            var question: [UInt8]? = nil
            if kind == .smp1Q {
                guard let nul = value.firstIndex(of: 0) else {
                    throw OTRError.malformed("SMP Message 1Q question", "not NUL-terminated")
                }
                question = Array(value[..<nul])
                bytes = Array(value[(nul + 1)...])
            }
            var r = ByteReader(bytes)
            let count = try r.readInt("SMP MPI count")
            let expected = kind!.smpMPICount!
            guard count == expected else {
                throw OTRError.malformed("\(kind!.name) MPI count", "must be \(expected), is \(count)")
            }
            var mpis: [MPI] = []
            for i in 0..<Int(count) { mpis.append(try r.readMPI("SMP MPI \(i + 1)").value) }
            guard r.isAtEnd else {
                throw OTRError.malformed(kind!.name, at: r.offset, "\(r.remaining) bytes after the last MPI")
            }
            return .smp(question: question, mpis: mpis)
        case .extraSymmetricKey:
            var r = ByteReader(value)
            let use = try r.readInt("extra symmetric key use")
            return .extraSymmetricKey(use: use, useData: Array(value.dropFirst(4)))
        default:
            return .none
        }
    }

    /// Builds an SMP TLV (types 2-5, 7) from its MPIs.
    public static func smp(_ kind: Kind, question: [UInt8]? = nil, mpis: [MPI]) -> TLV {
        var w = ByteWriter()
        if let question {
            w.writeBytes(question)
            w.writeByte(0)
        }
        w.writeInt(UInt32(mpis.count))
        for m in mpis { w.writeMPI(m) }
        return TLV(type: kind.rawValue, value: w.bytes)
    }

    /// Builds a type 8 TLV.
    public static func extraSymmetricKey(use: UInt32, useData: [UInt8]) -> TLV {
        var w = ByteWriter()
        w.writeInt(use)
        w.writeBytes(useData)
        return TLV(type: Kind.extraSymmetricKey.rawValue, value: w.bytes)
    }
}

/// The plaintext of a Data Message (spec "Data Message"): a human-readable
/// message, then optionally a NUL and TLV records with no padding between.
public struct DataPlaintext: Sendable, Equatable {
    public var message: [UInt8]
    public var tlvs: [TLV]
    /// Whether a NUL follows the message. libotr always writes it, even
    /// with no TLVs; a message without it is still valid.
    public var hasNUL: Bool

    public init(message: [UInt8], tlvs: [TLV] = [], hasNUL: Bool = true) {
        self.message = message
        self.tlvs = tlvs
        self.hasNUL = hasNUL || !tlvs.isEmpty
    }

    /// The bytes as libotr lays them out: message, NUL, TLVs.
    public var encoded: [UInt8] {
        var out = message
        if hasNUL { out.append(0) }
        for t in tlvs { out += t.encoded }
        return out
    }

    /// Splits decrypted bytes. A TLV whose length overruns the plaintext is
    /// an error naming its offset; libotr drops such a TLV silently.
    public static func parse(_ bytes: some ContiguousOctets) throws -> DataPlaintext {
        let all = bytes.octets
        guard let nul = all.firstIndex(of: 0) else {
            return DataPlaintext(message: all, tlvs: [], hasNUL: false)
        }
        var r = ByteReader(all, offset: nul + 1)
        var tlvs: [TLV] = []
        while !r.isAtEnd {
            let start = r.offset
            let type = try r.readShort("TLV type")
            let length = try r.readShort("TLV length")
            guard Int(length) <= r.remaining else {
                throw OTRError.malformed("TLV type \(type)", at: start, "length \(length) overruns the plaintext (\(r.remaining) bytes left)")
            }
            tlvs.append(TLV(type: type, value: try r.readBytes(Int(length), "TLV value")))
        }
        return DataPlaintext(message: Array(all[..<nul]), tlvs: tlvs, hasNUL: true)
    }
}
