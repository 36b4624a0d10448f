import Testing
@testable import OTR

/// Several sessions in one process on one virtual clock, and who hears
/// whom: every wire message a party sends goes to each party that hears
/// it, in order, until all are quiet. What each party reported is kept
/// with its instance.
struct SessionMesh {
    var sessions: [String: Session] = [:]
    let clock = VirtualClock()
    /// Who receives what a party sends.
    var hears: [String: [String]] = [:]
    private(set) var records: [String: [SessionRecord]] = [:]
    /// Every wire message sent, heard or not.
    private(set) var sent: [(from: String, bytes: [UInt8])] = []
    private var queue: [(to: String, bytes: [UInt8])] = []

    static let keys: [DSAPrivateKey] = {
        let random = DeterministicRandom(seedText: "session mesh long-term keys")
        return (0..<3).map { _ in try! DSAPrivateKey.generate(random: random) }
    }()

    /// A party with key number `key` and instance tag `instance`.
    mutating func add(_ name: String, key: Int, instance: UInt32, policy: Policy = .manual, seed: String? = nil) throws {
        let random = DeterministicRandom(seedText: seed ?? "mesh \(name)")
        sessions[name] = try Session(configuration: .init(longTermKey: Self.keys[key], policy: policy,
                                                          ourInstance: InstanceTag(instance), accountName: name),
                                     random: random, clock: clock)
    }

    /// Runs a user action of `name` and delivers everything that follows.
    mutating func act(_ name: String, _ action: (inout Session) throws -> SessionOutput) throws {
        var session = try #require(sessions[name])
        let out = try action(&session)
        sessions[name] = session
        take(out, from: name)
        deliver()
    }

    /// Puts a message on the wire from `name` without its session.
    mutating func inject(_ bytes: [UInt8], from name: String) {
        for to in hears[name] ?? [] { queue.append((to, bytes)) }
        deliver()
    }

    mutating func wait(_ seconds: Int64) {
        clock.advance(by: seconds)
        for name in sessions.keys.sorted() {
            let out = sessions[name]!.poll()
            take(out, from: name)
        }
        deliver()
    }

    private mutating func take(_ out: SessionOutput, from name: String) {
        records[name, default: []] += out.records
        for bytes in out.wire {
            sent.append((name, bytes))
            for to in hears[name] ?? [] { queue.append((to, bytes)) }
        }
    }

    private mutating func deliver() {
        var steps = 0
        while !queue.isEmpty, steps < 10_000 {
            steps += 1
            let (to, bytes) = queue.removeFirst()
            let out = sessions[to]!.receive(bytes)
            take(out, from: to)
        }
    }

    // MARK: What happened

    func events(_ name: String) -> [SessionEvent] { (records[name] ?? []).map(\.event) }

    /// Texts a party received privately, with the instance each came from.
    func privateTexts(_ name: String) -> [(text: String, instance: InstanceTag?)] {
        (records[name] ?? []).compactMap {
            if case .message(let t, _, true, _) = $0.event { (String(decoding: t, as: UTF8.self), $0.instance) } else { nil }
        }
    }

    func resent(_ name: String) -> [String] {
        events(name).compactMap { if case .resent(let t, _) = $0 { String(decoding: t, as: UTF8.self) } else { nil } }
    }

    func refusals(_ name: String) -> [String] {
        events(name).compactMap { if case .resendRefused(let reason) = $0 { reason } else { nil } }
    }

    func heartbeats(_ name: String) -> Int {
        events(name).filter { if case .heartbeatSent = $0 { true } else { false } }.count
    }

    /// Forgets what was recorded so far (to look at one step's events).
    mutating func clearRecords() { records = [:] }
}
