import OTR

/// The JSON form of an encoded message's wire fields: what `decode --json`
/// prints and `encode` reads back, so `decode --json | encode` rebuilds
/// the same bytes. Field names are the protocol's, in snake case; bytes
/// are lowercase hex; instance tags are numbers with an 8-digit hex twin.
/// Written straight into the output (`JSONStream.swift`).
public enum MessageJSON {
    public static func kind(_ m: EncodedMessage) -> String {
        switch m {
        case .dhCommit: "dh-commit"
        case .dhKey: "dh-key"
        case .revealSignature: "reveal-signature"
        case .signature: "signature"
        case .data: "data"
        case .version1(let type, _): type == 0x0a ? "v1-key-exchange" : type == 0x03 ? "v1-data" : "v1-message"
        case .unknownVersion: "unknown-version"
        }
    }

    public static func header(_ h: MessageHeader, into out: inout OutputBuffer) {
        out.json("version", int: Int(h.version))
        out.json("type", int: Int(h.type))
        if let s = h.senderInstance {
            out.json("sender_instance", int: Int(s.rawValue))
            out.json("sender_instance_hex", hex8: s.rawValue)
        }
        if let r = h.receiverInstance {
            out.json("receiver_instance", int: Int(r.rawValue))
            out.json("receiver_instance_hex", hex8: r.rawValue)
        }
    }

    /// The wire fields of a message, in the order they are encoded.
    public static func fields(_ m: EncodedMessage, into out: inout OutputBuffer) {
        out.json("kind", string: kind(m))
        switch m {
        case .dhCommit(let c):
            header(c.header, into: &out)
            out.json("encrypted_gx", hex: c.encryptedGx)
            out.json("hashed_gx", hex: c.hashedGx)
        case .dhKey(let k):
            header(k.header, into: &out)
            out.json("gy", hex: k.gy.bytes)
            if let e = k.gyEncoding { out.json("gy_encoding", hex: e) }
        case .revealSignature(let r):
            header(r.header, into: &out)
            out.json("revealed_key", hex: r.revealedKey)
            out.json("encrypted_signature", hex: r.encryptedSignature)
            out.json("mac", hex: r.mac)
        case .signature(let s):
            header(s.header, into: &out)
            out.json("encrypted_signature", hex: s.encryptedSignature)
            out.json("mac", hex: s.mac)
        case .data(let d):
            header(d.header, into: &out)
            out.json("flags", int: Int(d.flags))
            out.json("sender_keyid", int: Int(d.senderKeyID))
            out.json("recipient_keyid", int: Int(d.recipientKeyID))
            out.json("next_dh_key", hex: d.nextDHKey.bytes)
            if let e = d.nextDHKeyEncoding { out.json("next_dh_key_encoding", hex: e) }
            // The slices: the array properties would copy each field.
            out.json("counter", hex: d.counterBytes)
            out.json("encrypted_message", hex: d.encryptedMessageBytes)
            out.json("mac", hex: d.macBytes)
            out.json("old_mac_keys", hex: d.oldMACKeysBytes)
        case .version1(let type, let body):
            out.json("version", int: 1)
            out.json("type", int: Int(type))
            out.json("body", hex: body)
        case .unknownVersion(let version, let type, let body):
            out.json("version", int: Int(version))
            if let type { out.json("type", int: Int(type)) } else { out.jsonNull("type") }
            out.json("body", hex: body)
        }
    }

    /// decode's fields of an offer (a query or whitespace tag): the
    /// versions, the offer as written, and the text around it with where
    /// the offer stands in it.
    public static func offer(_ versions: [OTRVersion], _ offer: [UInt8], text: [UInt8], at: Int, into out: inout OutputBuffer) {
        out.jsonArray("versions") { out in
            for v in versions { if let n = v.number { out.jsonElement(.int(n)) } }
        }
        out.jsonArray("other_versions") { out in
            for v in versions where v.number == nil { out.jsonElement(.string(v.description)) }
        }
        out.json("offer", textField: offer)
        out.json("text", textField: text)
        out.json("text_offset", int: at)
    }

    /// An SMP proof checked offline: its values, what it proves, the
    /// result, and why it fails or cannot be checked.
    static func smpProof(_ p: SMPProofCheck, into out: inout OutputBuffer) {
        out.jsonObject(nil) { out in
            out.json("proof", string: p.proof)
            out.json("claim", string: p.claim)
            out.json("result", string: p.result.name)
            if let reason = p.result.reason { out.json("reason", string: reason) }
        }
    }

    /// One TLV as an array element: its type, name and value, and what
    /// its content holds (SMP values and their proofs, the extra
    /// symmetric key's use).
    public static func tlv(_ t: TLV, smp: SMPMessageCheck? = nil, into out: inout OutputBuffer) {
        out.jsonObject(nil) { out in
            out.json("type", int: Int(t.type))
            if let kind = t.kind { out.json("name", string: kind.name) } else { out.jsonNull("name") }
            out.json("value", hex: t.value)
            switch try? t.content() {
            case .smp(let question, let mpis)?:
                if let question { out.json("question", textField: question) }
                out.jsonArray("mpis") { out in
                    for m in mpis { out.jsonElement(hex: m.bytes) }
                }
                if let proofs = smp?.proofs, !proofs.isEmpty {
                    out.jsonArray("proofs") { out in
                        for p in proofs { smpProof(p, into: &out) }
                    }
                }
            case .extraSymmetricKey(let use, let data)?:
                out.json("use", int: Int(use))
                out.json("use_data", hex: data)
            default:
                break
            }
            if let step = smp?.step { out.json("smp_step", string: step) }
            if let agree = smp?.secretsAgree { out.json("smp_secrets_agree", bool: agree) }
            if let expected = smp?.expectedAgreement { out.json("smp_secrets_given_agree", bool: expected) }
            if let deviation = smp?.deviation { out.json("smp_deviation", string: deviation) }
        }
    }
}
