import OTR

/// How decode shows an item, as aligned text and as JSON Lines.
struct DecodeReport {
    let showKeys: Bool
    let keysGiven: Bool

    // MARK: Text

    /// A field's value in the text output. Hex values are written straight
    /// into the output buffer: decode prints megabytes of them.
    enum Value {
        case text(String)
        case hex([UInt8])
        /// Hex followed by "(N bytes)", "(empty)" when empty.
        case hexWithLength([UInt8])
    }

    typealias Row = (label: String, value: Value)

    static let labelWidth = 21

    /// Writes the text form of an item.
    func writeHuman(_ entry: DecodeSession.Entry, location: SourceLocation, to out: OutputSink) {
        let (title, rows) = humanRows(entry, location: location)
        out.writeLine(title)
        if let r = entry.reassembledFrom {
            out.writeLine("    reassembled from \(r.fragmentCount) fragments (\(r.stream), lines \(r.firstPosition)-\(r.lastPosition))")
        }
        out.append { buffer in
            for row in rows { Self.write(row, into: &buffer) }
        }
    }

    static func write(_ row: Row, into buffer: inout [UInt8]) {
        buffer.append(contentsOf: [0x20, 0x20, 0x20, 0x20])
        buffer.append(contentsOf: row.label.utf8)
        let pad = max(1, labelWidth - row.label.utf8.count)
        buffer.append(contentsOf: repeatElement(0x20, count: pad))
        switch row.value {
        case .text(let t):
            buffer.append(contentsOf: t.utf8)
        case .hex(let bytes):
            JSON.appendHex(bytes, into: &buffer)
        case .hexWithLength(let bytes):
            if bytes.isEmpty {
                buffer.append(contentsOf: "(empty)".utf8)
            } else {
                JSON.appendHex(bytes, into: &buffer)
                buffer.append(contentsOf: " (\(bytes.count) bytes)".utf8)
            }
        }
        buffer.append(0x0a)
    }

    /// The title line and the field rows of an item.
    func humanRows(_ entry: DecodeSession.Entry, location: SourceLocation) -> (String, [Row]) {
        let at = "\(location):"
        switch entry.item.kind {
        case .plaintext(let text):
            return ("\(at) plain text (not OTR): \(TextEscaping.quoted(text))", [])
        case .query(let q, let text):
            return ("\(at) query message offering \(ParseTagReport.versionList(q.versions))",
                    [("text", .text(TextEscaping.quoted(text)))])
        case .whitespaceTag(let t, let text):
            return ("\(at) whitespace-tagged text offering \(ParseTagReport.versionList(t.versions))",
                    [("text", .text(TextEscaping.quoted(text)))])
        case .error(let e):
            return ("\(at) error message: \(TextEscaping.quoted(e.text))", [])
        case .unrecognised(let raw):
            return ("\(at) unrecognised \(TextEscaping.quoted(raw)) (not a known OTR form)", [])
        case .fragment(let raw):
            guard let f = try? Fragment.parse(raw) else {
                return ("\(at) malformed fragment \(TextEscaping.quoted(raw))", [])
            }
            let tags = f.form == .v3 ? " \(InstanceTag(f.senderInstance).hex)->\(InstanceTag(f.receiverInstance).hex)" : ""
            return ("\(at) fragment \(f.k) of \(f.n) (\(f.form.rawValue)\(tags), \(f.piece.count)-byte piece)", [])
        case .unterminated(let raw):
            return ("\(at) unterminated encoded message (\(raw.count) characters)", [])
        case .encoded:
            guard let a = entry.analysis else {
                return ("\(at) invalid encoded message: \(entry.problems.first?.text ?? "unreadable")", [])
            }
            return ("\(at) \(a.message.name) message (\(a.binary.count) bytes)", fieldRows(a))
        }
    }

    private func headerRows(_ h: MessageHeader) -> [Row] {
        var rows: [Row] = [("protocol version", .text("\(h.version)")), ("message type", .text("0x" + Hex.encode([h.type])))]
        if let s = h.senderInstance { rows.append(("sender instance", .text(s.hex))) }
        if let r = h.receiverInstance { rows.append(("receiver instance", .text(r.hex))) }
        return rows
    }

    func fieldRows(_ a: MessageAnalysis) -> [Row] {
        var rows: [Row] = []
        if let h = a.message.header { rows += headerRows(h) }
        switch a.message {
        case .dhCommit(let c):
            rows += [("encrypted g^x", .hexWithLength(c.encryptedGx)), ("hashed g^x", .hex(c.hashedGx))]
        case .dhKey(let k):
            rows.append(("g^y", .hexWithLength(k.gy.bytes)))
        case .revealSignature(let r):
            rows += [("revealed key r", .hex(r.revealedKey)),
                     ("encrypted signature", .hexWithLength(r.encryptedSignature)), ("MAC", .hex(r.mac))]
        case .signature(let s):
            rows += [("encrypted signature", .hexWithLength(s.encryptedSignature)), ("MAC", .hex(s.mac))]
        case .data(let d):
            rows += [("flags", .text("0x" + Hex.encode([d.flags]) + (d.flags & DataMessage.ignoreUnreadable != 0 ? " IGNORE_UNREADABLE" : ""))),
                     ("sender keyid", .text("\(d.senderKeyID)")), ("recipient keyid", .text("\(d.recipientKeyID)")),
                     ("next D-H key", .hexWithLength(d.nextDHKey.bytes)), ("counter", .hex(d.counter)),
                     ("encrypted message", .hexWithLength(d.encryptedMessage)), ("MAC", .hex(d.mac))]
            let old = d.revealedMACKeys
            if old.isEmpty {
                rows.append(("old MAC keys", .text("(none)")))
            } else {
                for (i, key) in old.enumerated() { rows.append((i == 0 ? "old MAC keys" : "", .hex(key))) }
            }
        case .version1(_, let body), .unknownVersion(_, _, let body):
            rows.append(("body", .text(Hex.encode(body) + " (\(body.count) bytes, not read: version not spoken)")))
        }
        for v in a.violations { rows.append(("breaks rule", .text(v))) }
        if let data = a.data { rows += dataRows(data) }
        if let ake = a.ake { rows += akeRows(ake) }
        return rows
    }

    func dataRows(_ d: DataMessageAnalysis) -> [Row] {
        var rows: [Row] = []
        switch d.macValid {
        case true?: rows.append(("MAC check", .text("valid (\(describe(d.keySource)))")))
        case false?: rows.append(("MAC check", .text("no given or derived key verifies")))
        case nil: break
        }
        if showKeys {
            if let k = d.aesKey { rows.append(("AES key", .hex(k.octets))) }
            if let k = d.macKey { rows.append(("MAC key", .hex(k.octets))) }
            if let k = d.extraSymmetricKey { rows.append(("extra symmetric key", .hex(k.octets))) }
        }
        if let p = d.plaintext {
            rows.append(("message", .text(TextEscaping.quoted(p.message))))
            for t in p.tlvs { rows += tlvRows(t) }
        } else if let bytes = d.plaintextBytes {
            rows.append(("plaintext", .hex(bytes.octets)))
        }
        if let problem = d.plaintextProblem { rows.append(("TLVs", .text("unreadable: \(problem)"))) }
        return rows
    }

    func tlvRows(_ t: TLV) -> [Row] {
        let name = t.kind?.name ?? "unknown type"
        var rows: [Row] = [("TLV type \(t.type)", .text("\(name), \(t.value.count) bytes"))]
        switch try? t.content() {
        case .smp(let question, let mpis)?:
            if let question { rows.append(("  question", .text(TextEscaping.quoted(question)))) }
            for (i, m) in mpis.enumerated() { rows.append(("  MPI \(i + 1)", .hex(m.bytes))) }
        case .extraSymmetricKey(let use, let data)?:
            rows.append(("  use", .text("\(use)")))
            rows.append(("  use data", .hexWithLength(data)))
        default:
            if !t.value.isEmpty { rows.append(("  value", .hex(t.value))) }
        }
        return rows
    }

    func akeRows(_ a: AKEAnalysis) -> [Row] {
        var rows: [Row] = []
        if let o = a.opening {
            if let gx = o.gx { rows.append(("opened g^x", .hexWithLength(gx.bytes))) }
            rows.append(("commitment", .text(o.hashMatches ? "SHA-256(g^x) matches the D-H Commit" : "does NOT match the D-H Commit")))
        }
        if let keys = a.keys {
            let (first, second) = keys.ssidHalves
            rows.append(("ssid", .text("\(first) \(second)")))
            if showKeys {
                rows += [("c", .hex(keys.c.octets)), ("c'", .hex(keys.cPrime.octets)), ("m1", .hex(keys.m1.octets)),
                         ("m2", .hex(keys.m2.octets)), ("m1'", .hex(keys.m1Prime.octets)), ("m2'", .hex(keys.m2Prime.octets))]
            }
        }
        if let check = a.signatureCheck {
            rows.append(("signature MAC", .text(check.macValid ? "valid" : "INVALID")))
            if let part = check.signedPart {
                rows.append(("long-term key", .text(part.publicKey.fingerprint.human)))
                rows.append(("D-H keyid", .text("\(part.keyID)")))
                rows.append(("signature", .text(check.signatureValid ? "valid" : "INVALID")))
            }
            if let p = check.problem { rows.append(("signed part", .text("unreadable: \(p)"))) }
        } else if let missing = a.missing, keysGiven {
            rows.append(("keys", .text(missing)))
        }
        return rows
    }

    func describe(_ source: DataKeySource?) -> String {
        switch source {
        case .aesKey(let i)?: "--aes-key #\(i + 1)"
        case .macKey(let i)?: "--mac-key #\(i + 1)"
        case .dhPrivateKey(let i, _, let sent)?: "derived from --dh-private #\(i + 1), whose holder \(sent ? "sent" : "received") it"
        case .sharedSecret(let i, let sent)?: "derived from --ake-secret #\(i + 1); the holder of g^x \(sent ? "sent" : "received") it"
        case nil: "no key"
        }
    }

    // MARK: JSON

    func json(_ entry: DecodeSession.Entry, location: SourceLocation) -> JSON {
        var fields: [(String, JSON)] = [("source", .string(location.source)), ("line", .int(location.line)),
                                        ("offset", .int(entry.item.offset))]
        switch entry.item.kind {
        case .plaintext(let text):
            fields += [("kind", .string("plaintext")), ("text", .text(text))]
        case .query(let q, let text):
            fields += [("kind", .string("query")), ("versions", .array(q.versions.compactMap(\.number).map { .int($0) })),
                       ("other_versions", .array(q.versions.filter { $0.number == nil }.map { .string($0.description) })),
                       ("text", .text(text))]
        case .whitespaceTag(let t, let text):
            fields += [("kind", .string("whitespace-tag")), ("versions", .array(t.versions.compactMap(\.number).map { .int($0) })),
                       ("other_versions", .array(t.versions.filter { $0.number == nil }.map { .string($0.description) })),
                       ("text", .text(text))]
        case .error(let e):
            fields += [("kind", .string("error")), ("message", .text(e.text))]
        case .unrecognised(let raw):
            fields += [("kind", .string("unrecognised")), ("raw", .text(raw))]
        case .fragment(let raw):
            fields += [("kind", .string("fragment")), ("raw", .text(raw))]
            if let f = try? Fragment.parse(raw) {
                fields += [("form", .string(f.form.rawValue)), ("k", .int(f.k)), ("n", .int(f.n))]
                if f.form == .v3 {
                    fields += [("sender_instance", .int(Int(f.senderInstance))), ("sender_instance_hex", .string(InstanceTag(f.senderInstance).hex)),
                               ("receiver_instance", .int(Int(f.receiverInstance))),
                               ("receiver_instance_hex", .string(InstanceTag(f.receiverInstance).hex))]
                }
                fields.append(("piece", .text(f.piece)))
            }
        case .unterminated(let raw):
            fields += [("kind", .string("unterminated")), ("raw", .text(raw))]
        case .encoded(let raw):
            if let a = entry.analysis {
                fields += MessageJSON.fields(a.message)
                fields.append(("raw", .text(raw)))
                fields.append(("violations", .array(a.violations.map { .string($0) })))
                if let analysis = analysisJSON(a) { fields.append(("analysis", analysis)) }
            } else {
                fields += [("kind", .string("invalid")), ("raw", .text(raw))]
            }
        }
        if let r = entry.reassembledFrom {
            fields.append(("reassembled", .object([("fragments", .int(r.fragmentCount)), ("first_line", .int(r.firstPosition)),
                                                   ("last_line", .int(r.lastPosition))])))
        }
        let problems = entry.problems.map(\.text)
        if !problems.isEmpty, case .encoded = entry.item.kind, entry.analysis == nil {
            fields.append(("error", .string(problems[0])))
        }
        return .object(fields)
    }

    func analysisJSON(_ a: MessageAnalysis) -> JSON? {
        var fields: [(String, JSON)] = []
        if let d = a.data {
            fields.append(("mac_valid", d.macValid.map { .bool($0) } ?? .null))
            fields.append(("counter_problem", d.counterProblem.map { .string($0) } ?? .null))
            if d.keySource != nil { fields.append(("key_source", .string(describe(d.keySource)))) }
            if showKeys {
                if let k = d.aesKey { fields.append(("aes_key", .hex(k.octets))) }
                if let k = d.macKey { fields.append(("mac_key", .hex(k.octets))) }
                if let k = d.extraSymmetricKey { fields.append(("extra_symmetric_key", .hex(k.octets))) }
            }
            if let p = d.plaintext {
                var text: [(String, JSON)] = [("message", .text(p.message)), ("message_hex", .hex(p.message)),
                                              ("nul", .bool(p.hasNUL)), ("tlvs", .array(p.tlvs.map(MessageJSON.tlv)))]
                if let bytes = d.plaintextBytes { text.append(("bytes", .hex(bytes.octets))) }
                fields.append(("plaintext", .object(text)))
            } else if let bytes = d.plaintextBytes {
                fields.append(("plaintext", .object([("bytes", .hex(bytes.octets))])))
            }
            if let problem = d.plaintextProblem { fields.append(("plaintext_error", .string(problem))) }
        }
        if let ake = a.ake {
            if let gx = ake.gx { fields.append(("gx", .hex(gx.bytes))) }
            if let gy = ake.gy { fields.append(("gy", .hex(gy.bytes))) }
            if let o = ake.opening { fields.append(("commitment_matches", .bool(o.hashMatches))) }
            if let keys = ake.keys {
                fields.append(("ssid", .hex(keys.ssid)))
                if showKeys {
                    fields += [("c", .hex(keys.c.octets)), ("c_prime", .hex(keys.cPrime.octets)),
                               ("m1", .hex(keys.m1.octets)), ("m2", .hex(keys.m2.octets)),
                               ("m1_prime", .hex(keys.m1Prime.octets)), ("m2_prime", .hex(keys.m2Prime.octets))]
                }
            }
            if let check = ake.signatureCheck {
                fields.append(("signature_mac_valid", .bool(check.macValid)))
                if let part = check.signedPart {
                    fields += [("public_key", .hex(OTRPublicKey.encode(part.publicKey))),
                               ("fingerprint", .string(part.publicKey.fingerprint.human)),
                               ("keyid", .int(Int(part.keyID))), ("signature", .hex(part.signature)),
                               ("signature_valid", .bool(check.signatureValid))]
                }
                if let p = check.problem { fields.append(("signed_part_error", .string(p))) }
            }
            if let missing = ake.missing { fields.append(("keys_missing", .string(missing))) }
        }
        return fields.isEmpty ? nil : .object(fields)
    }
}
