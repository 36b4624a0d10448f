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

    /// The item's JSON object, one line's worth, written into `out`.
    public func writeJSON(_ entry: DecodeSession.Entry, into out: inout OutputBuffer) {
        out.jsonObject(nil) { out in fields(entry, into: &out) }
    }

    /// The item's JSON object as bytes (for tests and other callers that
    /// want a value).
    public func json(_ entry: DecodeSession.Entry) -> [UInt8] {
        var out = OutputBuffer()
        writeJSON(entry, into: &out)
        return Array(out.bytes)
    }

    private func fields(_ entry: DecodeSession.Entry, into out: inout OutputBuffer) {
        let location = entry.location
        out.json("source", .argument(location.source))
        out.json("line", int: location.line)
        out.json("offset", int: entry.item.offset)
        switch entry.item.kind {
        case .plaintext(let text):
            out.json("kind", string: "plaintext")
            out.json("text", textField: text)
        case .query(let q, let text, let at):
            out.json("kind", string: "query")
            MessageJSON.offer(q.versions, q.offer, text: text, at: at, into: &out)
        case .whitespaceTag(let t, let text, let at):
            out.json("kind", string: "whitespace-tag")
            MessageJSON.offer(t.versions, t.offer, text: text, at: at, into: &out)
        case .error(let e):
            out.json("kind", string: "error")
            out.json("message", textField: e.text)
            out.json("raw", textField: e.encoded)
        case .unrecognised(let raw):
            out.json("kind", string: "unrecognised")
            out.json("raw", textField: raw)
        case .fragment(let raw):
            out.json("kind", string: "fragment")
            out.json("raw", textField: raw)
            if let f = entry.scanned.fragment {
                out.json("form", string: f.form.rawValue)
                out.json("k", int: f.k)
                out.json("n", int: f.n)
                if f.form == .v3 {
                    out.json("sender_instance", int: Int(f.senderInstance))
                    out.json("sender_instance_hex", hex8: f.senderInstance)
                    out.json("receiver_instance", int: Int(f.receiverInstance))
                    out.json("receiver_instance_hex", hex8: f.receiverInstance)
                }
                out.json("piece", text: f.piece)
            }
        case .unterminated(let raw):
            out.json("kind", string: "unterminated")
            out.json("raw", textField: raw)
        case .encoded(let raw):
            if let a = entry.analysis, let message = entry.message {
                MessageJSON.fields(message, into: &out)
                out.json("raw", text: raw)
                out.jsonArray("violations") { out in
                    for v in a.violations { out.jsonElement(.string(v.description)) }
                }
                if hasAnalysisFields(a) { out.jsonObject("analysis") { out in analysisFields(a, into: &out) } }
            } else {
                out.json("kind", string: "invalid")
                out.json("raw", textField: raw)
            }
        }
        // The rest of the line, as a query carries it: encode puts the item
        // back into it.
        if !entry.item.around.isEmpty {
            out.json("text", textField: entry.item.around)
            out.json("text_offset", int: entry.item.aroundOffset)
        }
        if let r = entry.reassembledFrom {
            out.jsonObject("reassembled") { out in
                out.json("fragments", int: r.fragmentCount)
                out.json("first_line", int: r.firstPosition)
                out.json("last_line", int: r.lastPosition)
            }
        }
        if let problem = entry.problems.first, case .encoded = entry.item.kind, entry.analysis == nil {
            out.json("error", string: problem.description)
        }
        if let explanations = entry.explanations {
            out.jsonArray("explanations") { out in
                for e in explanations { out.jsonElement(.string(e)) }
            }
        }
    }

    /// Whether `analysisFields` writes anything: the "analysis" object is
    /// left out when it would be empty.
    private func hasAnalysisFields(_ a: MessageAnalysis) -> Bool {
        if a.data != nil { return true }
        guard let ake = a.ake else { return false }
        return ake.gx != nil || ake.gy != nil || ake.opening != nil || ake.keys != nil || ake.signatureCheck != nil
            || ake.missing != nil
    }

    private func analysisFields(_ a: MessageAnalysis, into out: inout OutputBuffer) {
        if let d = a.data {
            if let valid = d.macValid { out.json("mac_valid", bool: valid) } else { out.jsonNull("mac_valid") }
            if let problem = d.counterProblem { out.json("counter_problem", string: problem.description) } else { out.jsonNull("counter_problem") }
            if d.keySource != nil { out.json("key_source", string: describe(d.keySource)) }
            if showKeys {
                if let k = d.aesKey { out.json("aes_key", hex: k.octets) }
                if let k = d.macKey { out.json("mac_key", hex: k.octets) }
                if let k = d.extraSymmetricKey { out.json("extra_symmetric_key", hex: k.octets) }
            }
            if let p = d.plaintext {
                out.jsonObject("plaintext") { out in
                    out.json("message", text: p.message)
                    out.json("message_hex", hex: p.message)
                    out.json("nul", bool: p.hasNUL)
                    out.jsonArray("tlvs") { out in
                        for (i, t) in p.tlvs.enumerated() { MessageJSON.tlv(t, smp: d.smp[i], into: &out) }
                    }
                    if let bytes = d.plaintextBytes { out.json("bytes", hex: bytes.octets) }
                }
            } else if let bytes = d.plaintextBytes {
                out.jsonObject("plaintext") { out in out.json("bytes", hex: bytes.octets) }
            }
            if let problem = d.plaintextProblem { out.json("plaintext_error", string: problem) }
        }
        if let ake = a.ake {
            if let gx = ake.gx { out.json("gx", hex: gx.bytes) }
            if let gy = ake.gy { out.json("gy", hex: gy.bytes) }
            if let o = ake.opening { out.json("commitment_matches", bool: o.hashMatches) }
            if let keys = ake.keys {
                out.json("ssid", hex: keys.ssid)
                if showKeys {
                    out.json("c", hex: keys.c.octets)
                    out.json("c_prime", hex: keys.cPrime.octets)
                    out.json("m1", hex: keys.m1.octets)
                    out.json("m2", hex: keys.m2.octets)
                    out.json("m1_prime", hex: keys.m1Prime.octets)
                    out.json("m2_prime", hex: keys.m2Prime.octets)
                }
            }
            if let check = ake.signatureCheck {
                out.json("signature_mac_valid", bool: check.macValid)
                if let part = check.signedPart {
                    out.json("public_key", hex: OTRPublicKey.encode(part.publicKey))
                    out.json("fingerprint", string: part.publicKey.fingerprint.human)
                    out.json("keyid", int: Int(part.keyID))
                    out.json("signature", hex: part.signature)
                    out.json("signature_valid", bool: check.signatureValid)
                }
                if let p = check.problem { out.json("signed_part_error", string: p) }
            }
            if let missing = ake.missing { out.json("keys_missing", string: missing) }
        }
    }
}
