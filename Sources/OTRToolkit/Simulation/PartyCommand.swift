import OTR

/// What a user of one OTR party can ask for, in the line syntax that
/// `session` reads from stdin and `simulate` scripts give after "alice:"
/// or "bob:". "/send TEXT" sends TEXT; in a script, a line not starting
/// with "/" is text to send too, and "//" sends a text starting with "/".
/// TEXT, SECRET and QUESTION take the escapes \n \t \r \\ and \xHH.
public enum PartyCommand: Equatable {
    case send([UInt8])
    /// Send a Query Message (spec "User requests to start an OTR conversation").
    case query
    /// Start the AKE with a D-H Commit, in this version or the best allowed.
    case ake(UInt16?)
    /// Answer the pending SMP request with SECRET, or start SMP with it.
    case smp(secret: [UInt8])
    case smpQuestion(question: [UInt8], secret: [UInt8])
    case smpAbort
    case symkey(use: UInt32, useData: [UInt8])
    /// TEXT with one more TLV of any type.
    case tlv(type: UInt16, data: [UInt8], text: [UInt8])
    /// End the private conversation (disconnect TLV).
    case end
    /// Send what follows to this instance of the correspondent; nil: to
    /// the best one again (spec "Instance Tags").
    case instance(InstanceTag?)
    /// Move the virtual clock forward this many seconds.
    case wait(Int64)

    public static let summary = """
        /send TEXT | /query | /ake [2|3] | /smp SECRET | /smpq QUESTION|SECRET | /smpabort | \
        /symkey USE [HEXDATA] | /tlv TYPE HEXDATA [TEXT] | /end | /instance TAG|best | /wait SECONDS
        """

    public struct SyntaxError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public static func parse(_ line: [UInt8]) throws -> PartyCommand {
        let slash = UInt8(ascii: "/")
        guard line.first == slash else { return .send(try unescape(line)) }
        if line.count > 1, line[1] == slash { return .send(try unescape(Array(line.dropFirst()))) }
        // Text arguments keep their bytes as they are (UTF-8 or not); only
        // the command name and numbers are read as text. A tab separates
        // the name as a space does, so "/smp<TAB>secret" is /smp.
        let body = line.dropFirst()
        let space = body.firstIndex { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        let name = String(decoding: body[..<(space ?? body.endIndex)], as: UTF8.self)
        let restBytes = space.map { Array(body[($0 + 1)...]) } ?? []
        let rest = Substring(String(decoding: restBytes, as: UTF8.self))
        switch name {
        case "send":
            return .send(try unescape(restBytes))
        case "query", "start":
            return .query
        case "ake":
            if rest.isEmpty { return .ake(nil) }
            guard let v = UInt16(rest), v == 2 || v == 3 else { throw SyntaxError("/ake takes version 2 or 3, not \(TextEscaping.quoted(Array(rest.utf8)))") }
            return .ake(v)
        case "smp":
            return .smp(secret: try unescape(restBytes))
        case "smpq":
            guard let bar = restBytes.firstIndex(of: UInt8(ascii: "|")) else { throw SyntaxError("/smpq takes QUESTION|SECRET") }
            return .smpQuestion(question: try unescape(Array(restBytes[..<bar])), secret: try unescape(Array(restBytes[(bar + 1)...])))
        case "smpabort":
            return .smpAbort
        case "symkey":
            let (use, data) = split(rest)
            guard let value = UInt32(use) else { throw SyntaxError("/symkey takes USE, a 32-bit number, then optional hex use data") }
            return .symkey(use: value, useData: try hex(data))
        case "tlv":
            let (type, more) = split(rest)
            let (data, _) = split(more)
            let number = type.hasPrefix("0x") ? UInt16(type.dropFirst(2), radix: 16) : UInt16(type)
            guard let number else { throw SyntaxError("/tlv takes TYPE (0-65535, decimal or 0x hex), HEXDATA and optional TEXT") }
            // TYPE and HEXDATA are ASCII, so the text starts after their bytes.
            let textStart = min(restBytes.count, type.utf8.count + 1 + data.utf8.count + 1)
            return .tlv(type: number, data: data == "-" ? [] : try hex(data), text: try unescape(Array(restBytes[textStart...])))
        case "end":
            return .end
        case "instance":
            if rest == "best" { return .instance(nil) }
            guard let tag = InstanceTag(hex: String(rest)), tag.isValidSender else {
                throw SyntaxError("/instance takes an instance tag of 8 hex digits (at least 00000100), or best")
            }
            return .instance(tag)
        case "wait":
            guard let seconds = Int64(rest), seconds >= 0, seconds <= 100 * 365 * 86_400 else {
                throw SyntaxError("/wait takes a number of seconds, from 0 to 100 years")
            }
            return .wait(seconds)
        default:
            // The line is not quoted: a mistyped "/smpsecret" holds a secret.
            throw SyntaxError("unknown command (the line is not shown, as it may hold a secret); commands: \(summary)")
        }
    }

    /// Runs the command on `session`; `clock` is the virtual clock /wait
    /// moves, nil when the session runs on real time.
    public func apply(to session: inout Session, clock: VirtualClock?) throws -> SessionOutput {
        switch self {
        case .send(let text): return try session.send(text)
        case .query: return session.requestConversation()
        case .ake(let version): return try session.startAKE(version: version)
        case .smp(let secret):
            return session.pendingSMPQuestion.waiting ? try session.answerSMP(secret: secret) : try session.startSMP(secret: secret)
        case .smpQuestion(let question, let secret): return try session.startSMP(secret: secret, question: question)
        case .smpAbort: return try session.abortSMP()
        case .symkey(let use, let data): return try session.useExtraSymmetricKey(use: use, useData: data)
        case .tlv(let type, let data, let text): return try session.send(text, tlvs: [TLV(type: type, value: data)])
        case .end: return try session.end()
        case .instance(let tag):
            try session.select(instance: tag)
            return SessionOutput()
        case .wait(let seconds):
            guard let clock else { throw SyntaxError("/wait moves a virtual clock: this session runs on real time (--clock virtual)") }
            clock.advance(by: seconds)
            return session.poll()
        }
    }

    private static func split(_ s: Substring) -> (Substring, Substring) {
        guard let space = s.firstIndex(of: " ") else { return (s, "") }
        return (s[..<space], s[s.index(after: space)...])
    }

    private static func hex(_ s: Substring) throws -> [UInt8] {
        do { return try Hex.decode(String(s)) } catch { throw SyntaxError("bad hex \(TextEscaping.quoted(Array(s.utf8))): \(error)") }
    }

    /// \n \t \r \\ and \xHH.
    public static func unescape(_ bytes: [UInt8]) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\"), i + 1 < bytes.count else { out.append(b); i += 1; continue }
            switch bytes[i + 1] {
            case UInt8(ascii: "n"): out.append(0x0a); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "r"): out.append(0x0d); i += 2
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); i += 2
            case UInt8(ascii: "x"):
                guard i + 3 < bytes.count, let v = UInt8(String(decoding: bytes[i + 2...i + 3], as: UTF8.self), radix: 16) else {
                    throw SyntaxError("\\x needs two hex digits")
                }
                out.append(v)
                i += 4
            default:
                out.append(b)
                i += 1
            }
        }
        return out
    }
}
