import OTR

/// The JSON form of an encoded message's wire fields: what `decode --json`
/// prints and `encode` reads back, so `decode --json | encode` rebuilds
/// the same bytes. Field names are the protocol's, in snake case; bytes
/// are lowercase hex; instance tags are numbers with an 8-digit hex twin.
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

    public static func header(_ h: MessageHeader) -> [(String, JSON)] {
        var fields: [(String, JSON)] = [("version", .int(Int(h.version))), ("type", .int(Int(h.type)))]
        if let s = h.senderInstance {
            fields.append(("sender_instance", .int(Int(s.rawValue))))
            fields.append(("sender_instance_hex", .string(s.hex)))
        }
        if let r = h.receiverInstance {
            fields.append(("receiver_instance", .int(Int(r.rawValue))))
            fields.append(("receiver_instance_hex", .string(r.hex)))
        }
        return fields
    }

    /// The wire fields of a message, in the order they are encoded.
    public static func fields(_ m: EncodedMessage) -> [(String, JSON)] {
        var fields: [(String, JSON)] = [("kind", .string(kind(m)))]
        switch m {
        case .dhCommit(let c):
            fields += header(c.header)
            fields += [("encrypted_gx", .hex(c.encryptedGx)), ("hashed_gx", .hex(c.hashedGx))]
        case .dhKey(let k):
            fields += header(k.header)
            fields.append(("gy", .hex(k.gy.bytes)))
            if let e = k.gyEncoding { fields.append(("gy_encoding", .hex(e))) }
        case .revealSignature(let r):
            fields += header(r.header)
            fields += [("revealed_key", .hex(r.revealedKey)), ("encrypted_signature", .hex(r.encryptedSignature)),
                       ("mac", .hex(r.mac))]
        case .signature(let s):
            fields += header(s.header)
            fields += [("encrypted_signature", .hex(s.encryptedSignature)), ("mac", .hex(s.mac))]
        case .data(let d):
            fields += header(d.header)
            fields += [("flags", .int(Int(d.flags))), ("sender_keyid", .int(Int(d.senderKeyID))),
                       ("recipient_keyid", .int(Int(d.recipientKeyID))), ("next_dh_key", .hex(d.nextDHKey.bytes))]
            if let e = d.nextDHKeyEncoding { fields.append(("next_dh_key_encoding", .hex(e))) }
            fields += [("counter", .hex(d.counter)), ("encrypted_message", .hex(d.encryptedMessage)),
                       ("mac", .hex(d.mac)), ("old_mac_keys", .hex(d.oldMACKeys))]
        case .version1(let type, let body):
            fields += [("version", .int(1)), ("type", .int(Int(type))), ("body", .hex(body))]
        case .unknownVersion(let version, let type, let body):
            fields.append(("version", .int(Int(version))))
            fields.append(("type", type.map { .int(Int($0)) } ?? .null))
            fields.append(("body", .hex(body)))
        }
        return fields
    }

    /// An SMP proof checked offline: its values, what it proves, the
    /// result, and why it fails or cannot be checked.
    static func smpProof(_ p: SMPProofCheck) -> JSON {
        var fields: [(String, JSON)] = [("proof", .string(p.proof)), ("claim", .string(p.claim)),
                                        ("result", .string(p.result.name))]
        if let reason = p.result.reason { fields.append(("reason", .string(reason))) }
        return .object(fields)
    }

    public static func tlv(_ t: TLV, smp: SMPMessageCheck? = nil) -> JSON {
        var fields: [(String, JSON)] = [("type", .int(Int(t.type))), ("name", t.kind.map { .string($0.name) } ?? .null),
                                        ("value", .hex(t.value))]
        switch try? t.content() {
        case .smp(let question, let mpis)?:
            if let question { fields += JSON.textField("question", question) }
            fields.append(("mpis", .array(mpis.map { .hex($0.bytes) })))
            if let proofs = smp?.proofs, !proofs.isEmpty { fields.append(("proofs", .array(proofs.map(smpProof)))) }
        case .extraSymmetricKey(let use, let data)?:
            fields.append(("use", .int(Int(use))))
            fields.append(("use_data", .hex(data)))
        default:
            break
        }
        if let step = smp?.step { fields.append(("smp_step", .string(step))) }
        return .object(fields)
    }
}
