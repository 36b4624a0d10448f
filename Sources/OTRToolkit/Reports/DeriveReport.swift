import OTR

/// What `derive session` prints: otr_sesskeys's lines first, in its
/// order, then the keys it does not compute.
public struct DeriveReport {
    public init(role: AKERole?) { self.role = role }

    public let role: AKERole?

    /// derive session: the keys of `ours` with each public value (named
    /// by where it came from, for a value outside the spec's range).
    public func write(ours: DHKeyPair, theirPublic: [(value: MPI, source: String)], json: Bool, to out: OutputSink,
                      diagnostics: Diagnostics) {
        for (i, theirs) in theirPublic.enumerated() {
            do {
                let keys = try SessionKeys(ours: ours, theirPublic: theirs.value)
                if json {
                    out.writeLine(self.json(keys))
                } else {
                    if i > 0 { out.write("\n") }
                    out.write(text(keys))
                }
            } catch {
                diagnostics.report(nil, error, context: "--their-public #\(i + 1) (\(theirs.source))")
            }
        }
    }

    /// derive mac-key: each AES key with its MAC key, SHA-1 of it.
    public static func writeMACKeys(_ aesKeys: [SecureBytes], json: Bool, to out: OutputSink) {
        for aes in aesKeys {
            let mac = DataKeys.macKey(forAESKey: aes)
            if json {
                out.writeLine(.object([("aes_key", .hex(aes.octets)), ("mac_key", .hex(mac.octets))]))
            } else {
                out.write("AES key: \(aes.hex)\nMAC key: \(mac.hex)\n")
            }
        }
    }

    public func text(_ k: SessionKeys) -> String {
        let (first, second) = k.ake.ssidHalves
        let ssid: String
        switch role?.ssidBoldHalf {
        case 0?: ssid = "*\(first)* \(second) (bold: first half; we sent the Reveal Signature)"
        case 1?: ssid = "\(first) *\(second)* (bold: second half; we sent the Signature)"
        default: ssid = "\(first) \(second) (bold: first half for the Reveal Signature sender, second for the Signature sender)"
        }
        let rows: [(String, String)] = [
            ("Our public key", k.ourPublic.hex),
            ("Their public key", k.theirPublic.hex),
            ("Sending AES key", k.data.sendingAESKey.hex),
            ("Sending MAC key", k.data.sendingMACKey.hex),
            ("Receiving AES key", k.data.receivingAESKey.hex),
            ("Receiving MAC key", k.data.receivingMACKey.hex),
            ("Extra symmetric key", k.data.extraSymmetricKey.hex),
            ("ssid", ssid),
            ("AKE key c", k.ake.c.hex),
            ("AKE key c'", k.ake.cPrime.hex),
            ("AKE key m1", k.ake.m1.hex),
            ("AKE key m2", k.ake.m2.hex),
            ("AKE key m1'", k.ake.m1Prime.hex),
            ("AKE key m2'", k.ake.m2Prime.hex),
            ("v1 session id", Hex.encode(k.version1SessionID)),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        var text = "We are the \(k.data.isHighEnd ? "high" : "low") end of this key exchange.\n"
        for (label, value) in rows {
            text += label + ":" + String(repeating: " ", count: width - label.count + 1) + value + "\n"
        }
        return text
    }

    public func json(_ k: SessionKeys) -> JSON {
        .object([
            ("high_end", .bool(k.data.isHighEnd)),
            ("our_public", .hex(k.ourPublic.bytes)),
            ("their_public", .hex(k.theirPublic.bytes)),
            ("sending_aes_key", .hex(k.data.sendingAESKey.octets)),
            ("sending_mac_key", .hex(k.data.sendingMACKey.octets)),
            ("receiving_aes_key", .hex(k.data.receivingAESKey.octets)),
            ("receiving_mac_key", .hex(k.data.receivingMACKey.octets)),
            ("extra_symmetric_key", .hex(k.data.extraSymmetricKey.octets)),
            ("ssid", .hex(k.ake.ssid)),
            ("ssid_bold_half", role.map { .int($0.ssidBoldHalf) } ?? .null),
            ("c", .hex(k.ake.c.octets)),
            ("c_prime", .hex(k.ake.cPrime.octets)),
            ("m1", .hex(k.ake.m1.octets)),
            ("m2", .hex(k.ake.m2.octets)),
            ("m1_prime", .hex(k.ake.m1Prime.octets)),
            ("m2_prime", .hex(k.ake.m2Prime.octets)),
            ("v1_session_id", .hex(k.version1SessionID)),
        ])
    }
}
