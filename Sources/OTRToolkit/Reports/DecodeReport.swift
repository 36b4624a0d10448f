import OTR

/// How decode shows an item, as aligned text and as JSON Lines.
public struct DecodeReport {
    public let showKeys: Bool
    public let keysGiven: Bool

    public init(showKeys: Bool, keysGiven: Bool) {
        self.showKeys = showKeys
        self.keysGiven = keysGiven
    }

    public func describe(_ source: DataKeySource?) -> String {
        switch source {
        case .aesKey(let i)?: "--aes-key #\(i + 1)"
        case .macKey(let i)?: "--mac-key #\(i + 1)"
        case .dhPrivateKey(let i, _, let sent)?: "derived from --dh-private #\(i + 1), whose holder \(sent ? "sent" : "received") it"
        case .sharedSecret(let i, let sent)?: "derived from --ake-secret #\(i + 1); the holder of g^x \(sent ? "sent" : "received") it"
        case nil: "no key"
        }
    }

    // MARK: JSON

    public func json(_ entry: DecodeSession.Entry) -> JSON {
        let location = entry.location
        var fields: [(String, JSON)] = [("source", .argument(location.source)), ("line", .int(location.line)),
                                        ("offset", .int(entry.item.offset))]
        switch entry.item.kind {
        case .plaintext(let text):
            fields += [("kind", .string("plaintext"))] + JSON.textField("text", text)
        case .query(let q, let text, let at):
            fields += [("kind", .string("query")), ("versions", .array(q.versions.compactMap(\.number).map { .int($0) })),
                       ("other_versions", .array(q.versions.filter { $0.number == nil }.map { .string($0.description) })),
                      ] + JSON.textField("offer", q.offer) + JSON.textField("text", text) + [("text_offset", .int(at))]
        case .whitespaceTag(let t, let text, let at):
            fields += [("kind", .string("whitespace-tag")), ("versions", .array(t.versions.compactMap(\.number).map { .int($0) })),
                       ("other_versions", .array(t.versions.filter { $0.number == nil }.map { .string($0.description) })),
                      ] + JSON.textField("offer", t.offer) + JSON.textField("text", text) + [("text_offset", .int(at))]
        case .error(let e):
            fields += [("kind", .string("error"))] + JSON.textField("message", e.text) + JSON.textField("raw", e.encoded)
        case .unrecognised(let raw):
            fields += [("kind", .string("unrecognised"))] + JSON.textField("raw", raw)
        case .fragment(let raw):
            fields += [("kind", .string("fragment"))] + JSON.textField("raw", raw)
            if let f = entry.scanned.fragment {
                fields += [("form", .string(f.form.rawValue)), ("k", .int(f.k)), ("n", .int(f.n))]
                if f.form == .v3 {
                    fields += [("sender_instance", .int(Int(f.senderInstance))), ("sender_instance_hex", .string(InstanceTag(f.senderInstance).hex)),
                               ("receiver_instance", .int(Int(f.receiverInstance))),
                               ("receiver_instance_hex", .string(InstanceTag(f.receiverInstance).hex))]
                }
                fields.append(("piece", .text(f.piece)))
            }
        case .unterminated(let raw):
            fields += [("kind", .string("unterminated"))] + JSON.textField("raw", raw)
        case .encoded(let raw):
            if let a = entry.analysis, let message = entry.message {
                fields += MessageJSON.fields(message)
                fields.append(("raw", .text(raw)))
                fields.append(("violations", .array(a.violations.map { .string($0) })))
                if let analysis = analysisJSON(a) { fields.append(("analysis", analysis)) }
            } else {
                fields += [("kind", .string("invalid"))] + JSON.textField("raw", raw)
            }
        }
        // The rest of the line, as a query carries it: encode puts the item
        // back into it.
        if !entry.item.around.isEmpty {
            fields += JSON.textField("text", entry.item.around) + [("text_offset", .int(entry.item.aroundOffset))]
        }
        if let r = entry.reassembledFrom {
            fields.append(("reassembled", .object([("fragments", .int(r.fragmentCount)), ("first_line", .int(r.firstPosition)),
                                                   ("last_line", .int(r.lastPosition))])))
        }
        let problems = entry.problems.map(\.description)
        if !problems.isEmpty, case .encoded = entry.item.kind, entry.analysis == nil {
            fields.append(("error", .string(problems[0])))
        }
        if let explanations = entry.explanations { fields.append(("explanations", .array(explanations.map { .string($0) }))) }
        return .object(fields)
    }

    public func analysisJSON(_ a: MessageAnalysis) -> JSON? {
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
                                              ("nul", .bool(p.hasNUL)), ("tlvs", .array(p.tlvs.enumerated().map { MessageJSON.tlv($1, smp: d.smp[$0]) }))]
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
