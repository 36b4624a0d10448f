/// One account's long-term key as libotr stores it: the account name and
/// protocol (byte strings, compared exactly as libotr compares them) and
/// the DSA private key.
public struct AccountKey: Sendable {
    public var accountName: [UInt8]
    public var protocolName: [UInt8]
    public var key: DSAPrivateKey
    /// The line of the `(account` in the file it was read from.
    public var line: Int?

    public init(accountName: [UInt8], protocolName: [UInt8], key: DSAPrivateKey, line: Int? = nil) {
        self.accountName = accountName
        self.protocolName = protocolName
        self.key = key
        self.line = line
    }

    public init(accountName: String, protocolName: String, key: DSAPrivateKey) {
        self.init(accountName: Array(accountName.utf8), protocolName: Array(protocolName.utf8), key: key)
    }

    public func isAccount(_ name: [UInt8], protocolName proto: [UInt8]) -> Bool {
        accountName == name && protocolName == proto
    }

    /// The same entry of a file: account, line and key all unchanged.
    func isSameEntry(as other: AccountKey) -> Bool {
        isAccount(other.accountName, protocolName: other.protocolName) && line == other.line
            && key.publicKey == other.key.publicKey && key.x == other.key.x
    }
}

/// libotr's private key file (Pidgin's otr.private_key, irssi's otr.key,
/// BitlBee's *.otr_keys):
///
///     (privkeys
///      (account
///     (name "alice@example.org")
///     (protocol prpl-jabber)
///     (private-key
///      (dsa
///       (p #00...#) (q #00...#) (g #...#) (y #...#) (x #...#))))
///      ...)
///
/// read from bytes and written back so that libotr reads what is written:
/// an account read from the file is written back as the file's own bytes
/// for it (whatever it holds that otrtool does not use, such as a
/// `(comment ...)` or parameters libgcrypt adds, stays as it was); a new
/// account is written in the layout `otrl_privkey_generate` produces.
/// Pure functions over bytes; the executable does the file I/O.
public struct PrivateKeyFile: Sendable {
    public var accounts: [AccountKey]

    /// The file's bytes up to the end of the `privkeys` atom.
    private var head = Array("(privkeys".utf8)
    /// Each account as it was read: the bytes from the end of the element
    /// before it to its ")", so the whitespace before it goes with it.
    private var readAccounts: [(text: [UInt8], account: AccountKey)] = []
    /// The bytes after the last account: whitespace and the closing ")".
    private var tail = Array("\n)\n".utf8)

    public init(accounts: [AccountKey] = []) {
        self.accounts = accounts
    }

    /// The key libotr would use for an account: libotr keeps the last
    /// entry of the file when an account appears twice.
    public func account(_ name: [UInt8], protocolName: [UInt8]) -> AccountKey? {
        accounts.last { $0.isAccount(name, protocolName: protocolName) }
    }

    /// Adds an account. An existing entry for the same account and
    /// protocol is replaced only when `replacing` is true; otherwise the
    /// call throws and the file is unchanged.
    public mutating func add(_ account: AccountKey, replacing: Bool) throws {
        if accounts.contains(where: { $0.isAccount(account.accountName, protocolName: account.protocolName) }) {
            guard replacing else {
                throw OTRError.invalidArgument("account", "the file already holds a key for this account and protocol")
            }
            accounts.removeAll { $0.isAccount(account.accountName, protocolName: account.protocolName) }
        }
        accounts.append(account)
    }

    // MARK: Reading

    /// Reads a whole key file. Every account must be complete and its key
    /// consistent (1024-bit p, 160-bit q, q divides p-1, g of order q,
    /// 0 < x < q, y = g^x mod p); the first problem is thrown, naming the
    /// line and the element.
    public init(parsing bytes: [UInt8], limits: SExpressionReader.Limits = .keyFile) throws {
        let root = try SExpressionReader.parse(bytes, limits: limits)
        guard let items = root.items, let first = items.first, first.atomBytes == Array("privkeys".utf8) else {
            throw Self.error(root, "privkeys", "the file must be one list (privkeys (account ...) ...)")
        }
        var accounts: [AccountKey] = []
        var readAccounts: [(text: [UInt8], account: AccountKey)] = []
        var previousEnd = first.end
        for (index, element) in items.dropFirst().enumerated() {
            // libotr refuses the whole file when an element is not an
            // account (privkey.c, otrl_privkey_read_FILEp), so such a file
            // is not one to rewrite.
            guard element.isList(named: "account") else {
                throw Self.error(element, "privkeys element \(index + 1)", "expected (account ...)")
            }
            let account = try Self.readAccount(element, number: index + 1)
            accounts.append(account)
            readAccounts.append((Array(bytes[previousEnd..<element.end]), account))
            previousEnd = element.end
        }
        self.accounts = accounts
        self.head = Array(bytes[..<first.end])
        self.readAccounts = readAccounts
        self.tail = Array(bytes[previousEnd...])
    }

    static func error(_ e: SExpression, _ element: String, _ reason: String, code: OTRError.Code = .malformed) -> OTRError {
        OTRError(code, field: "line \(e.line): \(element)", reason)
    }

    /// The one child list named `name`; a missing or repeated one is an error.
    static func child(_ list: SExpression, _ name: String, in context: String) throws -> SExpression {
        let matches = (list.items ?? []).dropFirst().filter { $0.isList(named: name) }
        guard let found = matches.first else {
            throw error(list, context, "has no (\(name) ...)")
        }
        guard matches.count == 1 else {
            throw error(matches[1], "\(context) \(name)", "(\(name) ...) appears more than once")
        }
        return found
    }

    /// The single atom of a (name VALUE) list.
    static func value(_ list: SExpression, _ name: String, in context: String) throws -> [UInt8] {
        guard let items = list.items, items.count == 2, let v = items[1].atomBytes else {
            throw error(list, "\(context) \(name)", "expected (\(name) VALUE) with one atom")
        }
        return v
    }

    static func readAccount(_ account: SExpression, number: Int) throws -> AccountKey {
        let context = "account \(number)"
        let name = try value(try child(account, "name", in: context), "name", in: context)
        let proto = try value(try child(account, "protocol", in: context), "protocol", in: context)
        for (bytes, what) in [(name, "name"), (proto, "protocol")] where bytes.contains(0) {
            throw error(account, "\(context) \(what)", "contains a NUL byte, which libotr cannot represent")
        }
        let label = "account \(number) (\(Self.printable(name))/\(Self.printable(proto)))"
        let privateKey = try child(account, "private-key", in: label)
        // libgcrypt names the algorithm in the first list; libotr keeps
        // whatever follows it, and so does this file.
        guard let keyItems = privateKey.items, keyItems.count >= 2, let algorithm = keyItems[1].tag else {
            throw error(privateKey, "\(label) private-key", "expected (private-key (dsa ...))")
        }
        guard algorithm == Array("dsa".utf8) else {
            throw error(keyItems[1], "\(label) private-key",
                        "key algorithm \(Self.printable(algorithm)) is not dsa; OTR long-term keys are DSA")
        }
        let key = try readDSA(keyItems[1], label: label)
        return AccountKey(accountName: name, protocolName: proto, key: key, line: account.line)
    }

    static func readDSA(_ dsa: SExpression, label: String) throws -> DSAPrivateKey {
        var parameters: [String: (MPI, SExpression)] = [:]
        for item in (dsa.items ?? []).dropFirst() {
            guard let tag = item.tag, let tagText = String(validating: tag, as: UTF8.self) else {
                throw error(item, "\(label) dsa", "expected (NAME VALUE) parameters")
            }
            // libgcrypt may add parameters of its own; only these five matter.
            guard ["p", "q", "g", "y", "x"].contains(tagText) else { continue }
            guard parameters[tagText] == nil else {
                throw error(item, "\(label) dsa \(tagText)", "appears more than once")
            }
            let bytes = try value(item, tagText, in: "\(label) dsa")
            parameters[tagText] = (MPI(bytes: bytes), item)
        }
        for name in ["p", "q", "g", "y", "x"] where parameters[name] == nil {
            throw error(dsa, "\(label) dsa", "has no \(name)")
        }
        let (p, pe) = parameters["p"]!, (q, qe) = parameters["q"]!, (g, ge) = parameters["g"]!
        let (y, ye) = parameters["y"]!, (x, xe) = parameters["x"]!
        // Sizes and parity first: they bound the cost of what follows and
        // keep an even "prime" away from the constant-time exponentiation.
        guard p.bitWidth == DSAPrivateKey.modulusBits else {
            throw error(pe, "\(label) dsa p", "p has \(p.bitWidth) bits; an OTR key has a 1024-bit p", code: .outOfRange)
        }
        guard q.bitWidth == DSAPrivateKey.subgroupBits else {
            throw error(qe, "\(label) dsa q", "q has \(q.bitWidth) bits; an OTR key has a 160-bit q", code: .outOfRange)
        }
        guard q.isProbablePrime(rounds: 25) else { throw error(qe, "\(label) dsa q", "q is not prime", code: .checkFailed) }
        guard p.isProbablePrime(rounds: 25) else { throw error(pe, "\(label) dsa p", "p is not prime", code: .checkFailed) }
        guard (p - MPI.one).mod(q).isZero else {
            throw error(qe, "\(label) dsa q", "q does not divide p-1", code: .checkFailed)
        }
        guard g > MPI.one, g < p, g.power(q, modulo: p) == MPI.one else {
            throw error(ge, "\(label) dsa g", "g is not an element of order q modulo p", code: .checkFailed)
        }
        guard !x.isZero, x < q else {
            throw error(xe, "\(label) dsa x", "x must satisfy 0 < x < q", code: .outOfRange)
        }
        guard y < p, g.power(secretExponent: x, modulo: p) == y else {
            throw error(ye, "\(label) dsa y", "y is not g^x mod p: the public key does not belong to x", code: .checkFailed)
        }
        do {
            return try DSAPrivateKey(p: p, q: q, g: g, y: y, x: x)
        } catch let e as OTRError {
            throw error(dsa, "\(label) dsa", e.description, code: e.code)
        }
    }

    /// Names in error messages: printable ASCII kept, anything else escaped.
    static func printable(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self), !s.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            return s
        }
        return bytes.map { b in
            b >= 0x20 && b < 0x7f ? String(UnicodeScalar(b)) : "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
        }.joined()
    }

    // MARK: Writing

    /// The file: what it was read from, with each account still in
    /// `accounts` as its own bytes, removed ones left out and new ones added
    /// at the end in libotr's layout. A file made from nothing is entirely
    /// in libotr's layout: "(privkeys\n", then per account " (account\n",
    /// the name, protocol and private-key lists as libgcrypt prints them,
    /// " )\n", and finally ")\n".
    public func serialised() throws -> [UInt8] {
        var out = head
        var unused = Dictionary(grouping: readAccounts.indices) { readAccounts[$0].account.line ?? 0 }
        for account in accounts {
            if let line = account.line, let candidates = unused[line],
               let match = candidates.firstIndex(where: { readAccounts[$0].account.isSameEntry(as: account) }) {
                out += readAccounts[candidates[match]].text
                unused[line]!.remove(at: match)
                continue
            }
            for (bytes, what) in [(account.accountName, "account name"), (account.protocolName, "protocol")] where bytes.contains(0) {
                throw OTRError.invalidArgument(what, "contains a NUL byte, which libotr cannot represent")
            }
            out += Array("\n (account\n".utf8)
            out += SExpressionWriter.advanced(.list([.atom("name"), .atom(account.accountName)]))
            out += SExpressionWriter.advanced(.list([.atom("protocol"), .atom(account.protocolName)]))
            out += SExpressionWriter.advanced(Self.privateKeyExpression(account.key))
            out += Array(" )".utf8)
        }
        out += tail
        return out
    }

    /// (private-key (dsa (p P) (q Q) (g G) (y Y) (x X))) with each MPI as
    /// libgcrypt stores it: minimal two's complement, so a value whose top
    /// bit is set gets a leading zero byte.
    static func privateKeyExpression(_ key: DSAPrivateKey) -> SExpression {
        let pub = key.publicKey
        func parameter(_ name: String, _ value: MPI) -> SExpression {
            var bytes = value.bytes
            if let first = bytes.first, first & 0x80 != 0 { bytes.insert(0, at: 0) }
            return .list([.atom(name), .atom(bytes)])
        }
        return .list([.atom("private-key"), .list([
            .atom("dsa"),
            parameter("p", pub.p), parameter("q", pub.q), parameter("g", pub.g),
            parameter("y", pub.y), parameter("x", key.x),
        ])])
    }
}
