import OTR

/// decode's text output: a title line per item, then its fields as aligned
/// rows, written straight into the output buffer (TextRows.swift).
extension DecodeReport {
    public func writeHuman(_ entry: DecodeSession.Entry, to out: OutputSink) {
        writeHuman(entry, into: &out.buffer)
        out.flushIfFull()
    }

    public func writeHuman(_ entry: DecodeSession.Entry, into rows: inout OutputBuffer) {
        defer { for e in entry.explanations ?? [] { rows.row("explanation", e) } }
        if case .encoded = entry.item.kind, let message = entry.message, let analysis = entry.analysis {
            writeMessage(message, size: entry.scanned.binary.count, location: entry.location,
                         reassembledFrom: entry.reassembledFrom, into: &rows)
            writeAround(entry.item, into: &rows)
            analysisFields(analysis, into: &rows)
            return
        }
        writeLocation(entry.location, into: &rows)
        writeTitle(entry, into: &rows)
        rows.endRow()
        writeReassembly(entry.reassembledFrom, into: &rows)
        switch entry.item.kind {
        case .query(_, let text, _), .whitespaceTag(_, let text, _):
            rows.row("text", quoted: text)
        case .encoded, .error, .unrecognised, .fragment:
            writeAround(entry.item, into: &rows)
        case .plaintext, .unterminated:
            break
        }
    }

    /// The text of the line around an item, as a query's is shown (a
    /// log's timestamp and name, say), when there is any.
    private func writeAround(_ item: TranscriptScanner.Item, into rows: inout OutputBuffer) {
        if !item.around.isEmpty { rows.row("text", quoted: item.around) }
    }

    /// The title line after the location, without its newline.
    private func writeTitle(_ entry: DecodeSession.Entry, into rows: inout OutputBuffer) {
        switch entry.item.kind {
        case .plaintext(let text):
            rows.append(" plain text (not OTR): ")
            TextEscaping.appendQuoted(text, to: &rows)
        case .query(let q, _, _):
            rows.append(" query message offering ")
            rows.append(ParseTagReport.versionList(q.versions))
        case .whitespaceTag(let t, _, _):
            rows.append(" whitespace-tagged text offering ")
            rows.append(ParseTagReport.versionList(t.versions))
        case .error(let e):
            rows.append(" error message: ")
            TextEscaping.appendQuoted(e.text, to: &rows)
        case .unrecognised(let raw):
            rows.append(" unrecognised ")
            TextEscaping.appendQuoted(raw, to: &rows)
            rows.append(" (not a known OTR form)")
        case .fragment(let raw):
            guard let f = entry.scanned.fragment else {
                rows.append(" malformed fragment ")
                TextEscaping.appendQuoted(raw, to: &rows)
                return
            }
            let tags = f.form == .v3 ? " \(InstanceTag(f.senderInstance).hex)->\(InstanceTag(f.receiverInstance).hex)" : ""
            rows.append(" fragment \(f.k) of \(f.n) (\(f.form.rawValue)\(tags), \(f.piece.count)-byte piece)")
        case .unterminated(let raw):
            rows.append(" unterminated encoded message (")
            rows.appendDecimal(raw.count)
            rows.append(" characters)")
        case .encoded:
            rows.append(" invalid encoded message: ")
            TextEscaping.append(entry.problems.first?.description ?? "unreadable", style: .line, to: &rows)
        }
    }

    /// The lines of a read message that depend on it alone: the title, the
    /// reassembly line, and its fields.
    private func writeMessage(_ message: EncodedMessage, size: Int, location: SourceLocation,
                      reassembledFrom: ReassembledMessage?, into rows: inout OutputBuffer) {
        writeLocation(location, into: &rows)
        rows.append(" ")
        rows.append(message.name)
        rows.append(" message (")
        rows.appendDecimal(size)
        rows.append(" bytes)")
        rows.endRow()
        writeReassembly(reassembledFrom, into: &rows)
        fields(message, into: &rows)
    }

    private func writeReassembly(_ reassembledFrom: ReassembledMessage?, into rows: inout OutputBuffer) {
        guard let r = reassembledFrom else { return }
        rows.append("    reassembled from ")
        rows.appendDecimal(r.fragmentCount)
        rows.append(" fragments (")
        rows.append("\(r.stream)")
        rows.append(", lines ")
        rows.appendDecimal(r.firstPosition)
        rows.append("-")
        rows.appendDecimal(r.lastPosition)
        rows.append(")")
        rows.endRow()
    }

    /// "SOURCE:N:", "-:N:" for standard input (`SourceLocation`).
    private func writeLocation(_ location: SourceLocation, into rows: inout OutputBuffer) {
        TextEscaping.append(location.source.argumentBytes, style: .line, to: &rows)
        rows.append(":")
        rows.appendDecimal(location.line)
        rows.append(":")
    }

    private func header(_ h: MessageHeader, into rows: inout OutputBuffer) {
        rows.row("protocol version", decimal: h.version)
        rows.start("message type")
        rows.append("0x")
        rows.appendHex(UInt32(h.type), width: 2)
        rows.endRow()
        if let s = h.senderInstance {
            rows.start("sender instance")
            rows.appendHex(s.rawValue)
            rows.endRow()
        }
        if let r = h.receiverInstance {
            rows.start("receiver instance")
            rows.appendHex(r.rawValue)
            rows.endRow()
        }
    }

    private func fields(_ message: EncodedMessage, into rows: inout OutputBuffer) {
        if let h = message.header { header(h, into: &rows) }
        switch message {
        case .dhCommit(let c):
            rows.row("encrypted g^x", hexWithLength: c.encryptedGx)
            rows.row("hashed g^x", hex: c.hashedGx)
        case .dhKey(let k):
            rows.row("g^y", hexWithLength: k.gy.bytes)
        case .revealSignature(let r):
            rows.row("revealed key r", hex: r.revealedKey)
            rows.row("encrypted signature", hexWithLength: r.encryptedSignature)
            rows.row("MAC", hex: r.mac)
        case .signature(let s):
            rows.row("encrypted signature", hexWithLength: s.encryptedSignature)
            rows.row("MAC", hex: s.mac)
        case .data(let d):
            rows.start("flags")
            rows.append("0x")
            rows.appendHex(UInt32(d.flags), width: 2)
            if d.flags & DataMessage.ignoreUnreadable != 0 { rows.append(" IGNORE_UNREADABLE") }
            rows.endRow()
            rows.row("sender keyid", decimal: d.senderKeyID)
            rows.row("recipient keyid", decimal: d.recipientKeyID)
            rows.row("next D-H key", hexWithLength: d.nextDHKey.bytes)
            // The byte fields are written from the slices of the message
            // read, not copied out.
            rows.row("counter", hex: d.counterBytes)
            rows.row("encrypted message", hexWithLength: d.encryptedMessageBytes)
            rows.row("MAC", hex: d.macBytes)
            // One row a 20-byte key (as `revealedMACKeys` cuts them); a
            // partial key at the end is a violation.
            let old = d.oldMACKeysBytes
            if old.count < 20 {
                rows.row("old MAC keys", "(none)")
            } else {
                for start in stride(from: old.startIndex, to: old.endIndex - old.count % 20, by: 20) {
                    rows.start(start == old.startIndex ? "old MAC keys" : "")
                    rows.appendHex(old[start..<start + 20])
                    rows.endRow()
                }
            }
        case .version1(_, let body), .unknownVersion(_, _, let body):
            rows.start("body")
            rows.appendHex(body)
            rows.append(" (")
            rows.appendDecimal(body.count)
            rows.append(" bytes, not read: version not spoken)")
            rows.endRow()
        }
    }

    /// The rows the analysis adds: rules broken, MAC and key checks,
    /// decrypted text and TLVs, AKE keys and signatures.
    private func analysisFields(_ a: MessageAnalysis, into rows: inout OutputBuffer) {
        for v in a.violations { rows.row("breaks rule", v.description) }
        if let data = a.data { dataFields(data, into: &rows) }
        if let ake = a.ake { akeFields(ake, into: &rows) }
    }

    private func dataFields(_ d: DataMessageAnalysis, into rows: inout OutputBuffer) {
        switch d.macValid {
        case true?:
            rows.start("MAC check")
            rows.append("valid (")
            rows.append(describe(d.keySource))
            rows.append(")")
            rows.endRow()
        case false?: rows.row("MAC check", "no given or derived key verifies")
        case nil: break
        }
        if showKeys {
            if let k = d.aesKey { rows.row("AES key", hex: k.octets) }
            if let k = d.macKey { rows.row("MAC key", hex: k.octets) }
            if let k = d.extraSymmetricKey { rows.row("extra symmetric key", hex: k.octets) }
        }
        if let p = d.plaintext {
            rows.row("message", quoted: p.message)
            for (i, t) in p.tlvs.enumerated() { tlv(t, smp: d.smp[i], into: &rows) }
        } else if let bytes = d.plaintextBytes {
            rows.row("plaintext", hex: bytes.octets)
        }
        if let problem = d.plaintextProblem { rows.row("TLVs", "unreadable: \(problem)") }
    }

    private func tlv(_ t: TLV, smp: SMPMessageCheck?, into rows: inout OutputBuffer) {
        rows.start(label: "TLV type \(t.type)")
        rows.append(t.kind?.name ?? "unknown type")
        rows.append(", ")
        rows.appendDecimal(t.value.count)
        rows.append(" bytes")
        rows.endRow()
        switch try? t.content() {
        case .smp(let question, let mpis)?:
            if let question { rows.row("  question", quoted: question) }
            for (i, m) in mpis.enumerated() { rows.row(label: "  MPI \(i + 1)", hex: m.bytes) }
            // Spec "SMP state machine": each proof as a receiver checks it.
            for p in smp?.proofs ?? [] {
                rows.start(label: "  proof \(p.proof)")
                let text = p.result.reason.map { "\(p.result.name): \(p.claim) (\($0))" } ?? "\(p.result.name): \(p.claim)"
                TextEscaping.append(text, style: .line, to: &rows)
                rows.endRow()
            }
        case .extraSymmetricKey(let use, let data)?:
            rows.row("  use", decimal: use)
            rows.row("  use data", hexWithLength: data)
        default:
            if !t.value.isEmpty { rows.row("  value", hex: t.value) }
        }
        if let step = smp?.step { rows.row("  SMP step", step) }
        if let agree = smp?.secretsAgree { rows.row("  SMP outcome", SMPMessageCheck.outcomeText(agree)) }
        if let expected = smp?.expectedAgreement { rows.row("  SMP expected", SMPMessageCheck.expectationText(expected)) }
        if let deviation = smp?.deviation { rows.row("  SMP deviation", deviation) }
    }

    private func akeFields(_ a: AKEAnalysis, into rows: inout OutputBuffer) {
        if let o = a.opening {
            if let gx = o.gx { rows.row("opened g^x", hexWithLength: gx.bytes) }
            rows.row("commitment", o.hashMatches ? "SHA-256(g^x) matches the D-H Commit" : "does NOT match the D-H Commit")
        }
        if let keys = a.keys {
            let (first, second) = keys.ssidHalves
            rows.row("ssid", "\(first) \(second)")
            if showKeys {
                rows.row("c", hex: keys.c.octets)
                rows.row("c'", hex: keys.cPrime.octets)
                rows.row("m1", hex: keys.m1.octets)
                rows.row("m2", hex: keys.m2.octets)
                rows.row("m1'", hex: keys.m1Prime.octets)
                rows.row("m2'", hex: keys.m2Prime.octets)
            }
        }
        if let check = a.signatureCheck {
            rows.row("signature MAC", check.macValid ? "valid" : "INVALID")
            if let part = check.signedPart {
                rows.row("long-term key", part.publicKey.fingerprint.human)
                rows.row("D-H keyid", decimal: part.keyID)
                rows.row("signature", check.signatureValid ? "valid" : "INVALID")
            }
            if let p = check.problem { rows.row("signed part", "unreadable: \(p)") }
        } else if let missing = a.missing, keysGiven {
            rows.row("keys", missing)
        }
    }
}
