import OTR

/// The in-memory network of `simulate`: two sessions, the messages in
/// flight between them in the order they were sent, and the script's
/// delivery controls (hold, step, drop, swap, flush). It writes the
/// transcript as it goes.
public struct SimulatedNetwork {
    private var sessions: [Session]
    private let names: [String]
    /// `wire`: every message sent, in the order sent; `delivered`: every
    /// message delivered, in the order delivered (what the receivers were
    /// handed, for decode --explain).
    public enum Format { case text, json, wire, delivered }
    private let format: Format
    private let out: OutputSink
    private let renderers: [SessionEventRenderer]
    /// The clock both parties read; `!wait SECONDS` moves it.
    private let clock: VirtualClock

    private struct InFlight {
        public var from: Int
        public var seq: Int
        public var bytes: [UInt8]
    }

    private var inFlight: [InFlight] = []
    private var seq = 0
    private var holding = false
    private var deliveries = 0
    /// A script line that keeps both parties answering each other forever
    /// is stopped here.
    public static let maximumDeliveriesPerLine = 100_000

    public init(sessions: [Session], names: [String], clock: VirtualClock, format: Format, out: OutputSink) {
        self.sessions = sessions
        self.names = names
        self.clock = clock
        self.format = format
        self.out = out
        renderers = names.indices.map { SessionEventRenderer(party: names[$0], peer: names[1 - $0], secrets: true) }
    }

    // MARK: Transcript

    public mutating func start(seed: String, keys: [DSAPrivateKey], accounts: [String], protocolName: String, fragment: Int?) {
        record(.object([("event", .string("config")), ("seed", .string(seed)), ("fragment", .int(fragment ?? 0))]),
               text: "seed \(TextEscaping.quoted(Array(seed.utf8)))")
        for (i, session) in sessions.enumerated() {
            let key = keys[i], pub = key.publicKey
            let config = session.configuration
            record(.object([
                ("event", .string("party")), ("name", .string(names[i])), ("account", .string(accounts[i])),
                ("protocol", .string(protocolName)), ("instance", .string(config.ourInstance.hex)),
                ("policy", .int(Int(config.policy.rawValue))), ("fingerprint", .string(pub.fingerprint.human)),
                ("public_key", .hex(OTRPublicKey.encode(pub))),
                ("private_key", .object([("p", .hex(pub.p.bytes)), ("q", .hex(pub.q.bytes)), ("g", .hex(pub.g.bytes)),
                                         ("y", .hex(pub.y.bytes)), ("x", .hex(key.x.bytes))])),
            ]), text: "\(names[i]): \(accounts[i]), instance \(config.ourInstance.hex), fingerprint \(pub.fingerprint.human)")
        }
    }

    public mutating func finish() {
        record(.object([("event", .string("end")), ("deliveries", .int(deliveries)), ("in_flight", .int(inFlight.count)),
                        (names[0], .string(sessions[0].messageState.rawValue)),
                        (names[1], .string(sessions[1].messageState.rawValue))]),
               text: "end: \(names[0]) \(sessions[0].messageState.specName), \(names[1]) \(sessions[1].messageState.specName), \(inFlight.count) in flight")
    }

    private func record(_ value: JSON, text: String) {
        switch format {
        case .json: out.writeLine(value)
        case .text: out.write(TextEscaping.line(text) + "\n")  // an account name is input too
        case .wire, .delivered: break
        }
    }

    // MARK: Script

    public mutating func run(_ line: [UInt8], at location: String) throws {
        // Work on the bytes: a text to send keeps them exactly, UTF-8 or not.
        let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        if trimmed.isEmpty || trimmed.first == UInt8(ascii: "#") { return }
        if trimmed.first == UInt8(ascii: "!") {
            try control(Substring(String(decoding: trimmed.dropFirst(), as: UTF8.self)))
            return
        }
        guard let colon = trimmed.firstIndex(of: UInt8(ascii: ":")),
              let party = names.firstIndex(of: String(decoding: trimmed[..<colon], as: UTF8.self)) else {
            throw PartyCommand.SyntaxError("a script line is \"alice: ...\", \"bob: ...\" or a !control, not \(TextEscaping.quoted(line))")
        }
        var restBytes = trimmed[(colon + 1)...]
        if restBytes.first == UInt8(ascii: " ") { restBytes = restBytes.dropFirst() }
        let rest = TextEscaping.escaped(Array(restBytes))
        let command = try PartyCommand.parse(Array(restBytes))
        record(.object([("event", .string("command")), ("party", .string(names[party])), ("line", .string(location)),
                        ("command", .string(rest))]),
               text: "\(names[party]) does: \(rest)")
        do {
            let result = try command.apply(to: &sessions[party], clock: clock)
            emit(result, by: party, seq: nil)
        } catch {
            // The transcript says so, and the caller reports the line: a
            // script whose step did not happen is not the vector it claims.
            record(.object([("event", .string("refused")), ("party", .string(names[party])), ("error", .string("\(error)"))]),
                   text: "\(names[party]): refused: \(error)")
            if !holding { try deliverAll() }
            throw error
        }
        if !holding { try deliverAll() }
    }

    private mutating func control(_ text: Substring) throws {
        let parts = text.split(separator: " ")
        switch parts.first {
        case "hold": holding = true
        case "flush": holding = false; try deliverAll()
        case "step": try deliverNext()
        case "drop":
            guard !inFlight.isEmpty else { throw PartyCommand.SyntaxError("!drop: no message in flight") }
            let lost = inFlight.removeFirst()
            record(.object([("event", .string("dropped")), ("seq", .int(lost.seq)), ("from", .string(names[lost.from])),
                            ("to", .string(names[1 - lost.from]))]),
                   text: "#\(lost.seq) \(names[lost.from]) -> \(names[1 - lost.from]) lost")
        case "late":
            // The next message arrives after everything else now in flight.
            guard inFlight.count >= 2 else { throw PartyCommand.SyntaxError("!late: fewer than two messages in flight") }
            let late = inFlight.removeFirst()
            inFlight.append(late)
            record(.object([("event", .string("delayed")), ("seq", .int(late.seq)), ("after", .int(inFlight[inFlight.count - 2].seq))]),
                   text: "#\(late.seq) now travels after #\(inFlight[inFlight.count - 2].seq)")
        case "corrupt":
            // One base64 character in the middle of the next message in
            // flight changes (A <-> B, and so on): a bit of its binary form
            // flips in transit, as a lossy link or a meddler would.
            guard let next = inFlight.first else { throw PartyCommand.SyntaxError("!corrupt: no message in flight") }
            inFlight[0].bytes = Self.corrupted(next.bytes)
            record(.object([("event", .string("corrupted")), ("seq", .int(next.seq))]), text: "#\(next.seq) corrupted in transit")
        case "duplicate":
            // A copy of the next message in flight follows it, as a server
            // or client re-sending after a reconnect delivers it twice.
            guard let next = inFlight.first else { throw PartyCommand.SyntaxError("!duplicate: no message in flight") }
            inFlight.insert(next, at: 1)
            record(.object([("event", .string("duplicated")), ("seq", .int(next.seq))]), text: "#\(next.seq) will arrive twice")
        case "swap":
            guard inFlight.count >= 2 else { throw PartyCommand.SyntaxError("!swap: fewer than two messages in flight") }
            inFlight.swapAt(0, 1)
            record(.object([("event", .string("reordered")), ("first", .int(inFlight[0].seq)), ("second", .int(inFlight[1].seq))]),
                   text: "#\(inFlight[0].seq) now travels before #\(inFlight[1].seq)")
        case "wait":
            guard parts.count == 2, let seconds = Int64(parts[1]), seconds >= 0, seconds <= 100 * 365 * 86_400 else {
                throw PartyCommand.SyntaxError("!wait takes a number of seconds, from 0 to 100 years")
            }
            clock.advance(by: seconds)
            record(.object([("event", .string("clock")), ("now", .int(Int(clock.now))), ("waited", .int(Int(seconds)))]),
                   text: "\(seconds) s pass")
            for party in sessions.indices { emit(sessions[party].poll(), by: party, seq: nil) }
            if !holding { try deliverAll() }
        case "fragment":
            guard parts.count == 2, let size = Int(parts[1]), size >= 0 else {
                throw PartyCommand.SyntaxError("!fragment takes a size in characters (0: never)")
            }
            for i in sessions.indices { try sessions[i].setMaximumMessageSize(size == 0 ? nil : size) }
        default:
            throw PartyCommand.SyntaxError("unknown control !\(text); controls: !hold !step !drop !swap !late !corrupt !duplicate !flush !fragment N !wait SECONDS")
        }
    }

    /// `bytes` with the character in the middle of its base64 (after
    /// "?OTR:", before "." or a fragment's trailing ",") changed to its
    /// neighbour in the base64 alphabet; a message without base64 gets its
    /// middle byte's lowest bit flipped.
    static func corrupted(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        guard !bytes.isEmpty else { return bytes }
        var at = bytes.count / 2
        while at < bytes.count, !alphabet.contains(bytes[at]) { at += 1 }
        guard at < bytes.count, let index = alphabet.firstIndex(of: bytes[at]) else {
            bytes[bytes.count / 2] ^= 1
            return bytes
        }
        bytes[at] = alphabet[index ^ 1]
        return bytes
    }

    // MARK: Delivery

    private mutating func deliverAll() throws {
        var count = 0
        while !inFlight.isEmpty {
            count += 1
            guard count <= Self.maximumDeliveriesPerLine else {
                throw PartyCommand.SyntaxError("more than \(Self.maximumDeliveriesPerLine) deliveries after one line: the parties answer each other forever")
            }
            try deliverNext()
        }
    }

    private mutating func deliverNext() throws {
        guard !inFlight.isEmpty else { throw PartyCommand.SyntaxError("!step: no message in flight") }
        let message = inFlight.removeFirst()
        let to = 1 - message.from
        deliveries += 1
        record(.object([("event", .string("delivered")), ("seq", .int(message.seq)), ("from", .string(names[message.from])),
                        ("to", .string(names[to]))]),
               text: "#\(message.seq) delivered to \(names[to])")
        if format == .delivered {
            out.write(bytes: message.bytes)
            out.write("\n")
        }
        let result = sessions[to].receive(message.bytes)
        emit(result, by: to, seq: message.seq)
    }

    private mutating func emit(_ result: SessionOutput, by party: Int, seq cause: Int?) {
        for record in result.records {
            switch format {
            case .json:
                if let value = renderers[party].json(record, seq: cause) { out.writeLine(value) }
            case .text:
                if let text = renderers[party].text(record) { out.write("  \(names[party]): \(text)\n") }
            case .wire, .delivered:
                break
            }
        }
        for bytes in result.wire {
            seq += 1
            inFlight.append(InFlight(from: party, seq: seq, bytes: bytes))
            record(SessionEventRenderer.wire(from: names[party], to: names[1 - party], seq: seq, bytes: bytes), text: "#\(seq) \(names[party]) -> \(names[1 - party]): \(TextEscaping.escaped(bytes))")
            if format == .wire {
                out.write(bytes: bytes)
                out.write("\n")
            }
        }
    }
}
