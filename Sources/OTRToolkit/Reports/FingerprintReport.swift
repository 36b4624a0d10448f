import OTR

/// One fingerprint the fingerprint command found, with where it came from.
public struct FingerprintItem {
    public enum Kind: String {
        case privateKey = "private_key"
        case potrKey = "potr_key"
        case publicKey = "public_key"
        case knownFingerprint = "known_fingerprint"
        /// An entry of libotr's otr.instance_tags: no key, so no fingerprint.
        case instanceTag = "instance_tag"
    }

    public var kind: Kind
    public var source: String
    public var line: Int?
    public var account: [UInt8]?
    public var protocolName: [UInt8]?
    /// The peer, for otr.fingerprints entries.
    public var username: [UInt8]?
    public var trust: [UInt8]?
    /// Every kind but an instance tag has one.
    public var fingerprint: OTR.Fingerprint?
    public var publicKey: DSAPublicKey?
    public var instanceTag: InstanceTag? = nil

    public var location: String { line.map { "\(source.argumentText):\($0)" } ?? source.argumentText }

    /// The JID a URI names: the peer of a known fingerprint, else our account.
    public var uriJID: [UInt8]? { username ?? account }
}

/// Recognises what an input holds and lists its fingerprints.
public enum FingerprintSources {
    public static func items(_ bytes: [UInt8], source: String, diagnostics: Diagnostics) -> [FingerprintItem] {
        let firstVisible = bytes.first { !isKeyTextSpace($0) }
        if firstVisible == UInt8(ascii: "(") {
            do {
                let file = try PrivateKeyFile(parsing: bytes)
                return file.accounts.map { a in
                    FingerprintItem(kind: .privateKey, source: source, line: a.line, account: a.accountName,
                                    protocolName: a.protocolName, fingerprint: a.key.publicKey.fingerprint,
                                    publicKey: a.key.publicKey)
                }
            } catch let error as OTRError {
                diagnostics.report(source.argumentText, "\(error)", status: .malformedInput)
            } catch {
                diagnostics.report(source.argumentText, "\(error)", status: .software)
            }
            return []
        }
        if bytes.count > 2, bytes[0] == 0, bytes[1] == 0 {
            do {
                let key = try PotrKeySerialisation.decode(bytes)
                return [FingerprintItem(kind: .potrKey, source: source, fingerprint: key.publicKey.fingerprint,
                                        publicKey: key.publicKey)]
            } catch {
                if let pub = try? OTRPublicKey.decode(bytes) {
                    return [FingerprintItem(kind: .publicKey, source: source, fingerprint: pub.fingerprint, publicKey: pub)]
                }
                diagnostics.report(source.argumentText, "neither a python-potr key nor an OTR public key: \(error)", status: .malformedInput)
                return []
            }
        }
        if InstanceTagListing.recognises(bytes) {
            let (file, problems) = InstanceTagFile.parse(bytes)
            for problem in problems {
                diagnostics.report(source.argumentText, problem.description, status: .malformedInput)
            }
            return file.entries.map { e in
                FingerprintItem(kind: .instanceTag, source: source, line: e.line, account: e.accountName,
                                protocolName: e.protocolName, fingerprint: nil, instanceTag: e.tag)
            }
        }
        if bytes.contains(0x09) {
            let (store, problems) = FingerprintStore.parse(bytes)
            for problem in problems {
                diagnostics.report(source.argumentText, problem.description, status: .malformedInput)
            }
            return store.entries.map { e in
                FingerprintItem(kind: .knownFingerprint, source: source, line: e.line, account: e.accountName,
                                protocolName: e.protocolName, username: e.username, trust: e.trust,
                                fingerprint: e.fingerprint)
            }
        }
        do {
            return [try publicKey(text: bytes, source: source)]
        } catch {
            diagnostics.report(source.argumentText, "not a key file, an otr.fingerprints file or an OTR public key: \(error)",
                               status: .malformedInput)
            return []
        }
    }

    /// A PUBKEY given as hex (any spacing) or base64 text.
    public static func publicKey(text: [UInt8], source: String) throws -> FingerprintItem {
        let trimmed = text.filter { !isKeyTextSpace($0) }
        let binary: [UInt8]
        if !trimmed.isEmpty, trimmed.allSatisfy({ isHexDigit($0) || $0 == UInt8(ascii: ":") }) {
            binary = try Hex.decode(utf8: trimmed)
        } else {
            binary = try Base64.decode(trimmed)
        }
        let key = try OTRPublicKey.decode(binary)
        return FingerprintItem(kind: .publicKey, source: source, fingerprint: key.fingerprint, publicKey: key)
    }

    public static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }
}

/// libgcrypt's whitespace, which is also what may surround a key in text.
public func isKeyTextSpace(_ c: UInt8) -> Bool {
    c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0b || c == 0x0c || c == 0x0d
}

public enum FingerprintReport {
    public static func trustText(_ trust: [UInt8]) -> String {
        trust.isEmpty ? "not verified" : display(trust)
    }

    public static func human(_ item: FingerprintItem, matches: Bool?) -> String {
        var columns: [String] = []
        if let username = item.username { columns.append(display(username)) }
        if let account = item.account { columns.append(display(account)) }
        if let proto = item.protocolName { columns.append(display(proto)) }
        if let fingerprint = item.fingerprint { columns.append(fingerprint.human) }
        if let tag = item.instanceTag { columns.append(tag.hex) }
        if let trust = item.trust { columns.append(trustText(trust)) }
        if let matches { columns.append(matches ? "matches" : "differs") }
        return columns.joined(separator: "\t")
    }

    public static func json(_ item: FingerprintItem, uri: String?, matches: Bool?) -> JSON {
        var fields: [(String, JSON)] = [
            ("source", .argument(item.source)),
            ("line", item.line.map { .int($0) } ?? .null),
            ("kind", .string(item.kind.rawValue)),
            ("account", item.account.map { .text($0) } ?? .null),
            ("protocol", item.protocolName.map { .text($0) } ?? .null),
        ]
        if item.kind == .knownFingerprint {
            fields.append(("username", item.username.map { .text($0) } ?? .null))
            fields.append(("trust", .text(item.trust ?? [])))
        }
        if let tag = item.instanceTag {
            // As keygen --json names it.
            fields.append(("instance_tag", .string(tag.hex)))
        }
        if let fingerprint = item.fingerprint {
            fields += [
                ("fingerprint", .string(fingerprint.human)),
                ("fingerprint_hex", .hex(fingerprint.bytes)),
                ("public_key", item.publicKey.map { .hex($0.encoded) } ?? .null),
            ]
        }
        if let uri { fields.append(("uri", .string(uri))) }
        if let matches { fields.append(("matches", .bool(matches))) }
        return .object(fields)
    }

    /// The protocol names XMPP accounts go by in libotr's files: Pidgin's
    /// and Adium's (libpurple), BitlBee's, irssi-otr's and python-potr
    /// users'. Compared without case, as Adium capitalises them.
    public static let xmppProtocols: Set<String> = ["prpl-jabber", "jabber", "xmpp", "libpurple-jabber", "libpurple-gtalk"]

    public static func isXMPP(_ protocolName: [UInt8]) -> Bool {
        xmppProtocols.contains(String(decoding: protocolName, as: UTF8.self).lowercased())
    }

    /// XEP-0364 section 6: xmpp:JID?otr-fingerprint=HEX, with the bare
    /// JID (a resource after "/" is dropped) percent-encoded as RFC 5122
    /// asks, and the fingerprint as 40 lowercase hex digits.
    public static func xmppURI(jid: [UInt8], fingerprint: OTR.Fingerprint) -> String {
        let bare = jid.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false).first.map(Array.init) ?? jid
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~@!$'()*+,:".utf8)
        var encoded = ""
        for b in bare {
            if allowed.contains(b) {
                encoded.unicodeScalars.append(UnicodeScalar(b))
            } else {
                encoded += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return "xmpp:\(encoded)?otr-fingerprint=\(fingerprint.hex)"
    }
}
