import Foundation
import Testing

/// Several live parties (otrtool sessions and libotr peers) and who hears
/// whom, as on a chat network where one account may be logged in more
/// than once: every wire message a party prints goes to each party that
/// hears it, until all are quiet. `tamper` may change a message on its way.
final class Switchboard {
    enum Kind { case otrtool, libotr }

    struct Party {
        let kind: Kind
        let process: LiveProcess
    }

    private(set) var parties: [String: Party] = [:]
    var hears: [String: [String]] = [:]
    /// Called with (from, to, text) for each delivery; returns the text to
    /// deliver, or nil to lose it.
    var tamper: ((String, String, String) -> String?)?
    let directory: TemporaryDirectory

    init(_ label: String) throws {
        directory = try TemporaryDirectory(label)
    }

    deinit {
        for party in parties.values { party.process.close() }
    }

    /// An otrtool session for `account`, with a key of its own (made from
    /// a seed naming the account: a random one costs five times as much,
    /// and these sessions test what happens on the wire, not the key).
    func otrtool(_ name: String, account: String, arguments: [String] = []) throws {
        let keyFile = directory.path(account + ".key")
        if !FileManager.default.fileExists(atPath: keyFile) {
            let made = try Tool.run(["keygen", "--account", account, "--protocol", "prpl-jabber", "--key-file", keyFile,
                                     "--seed", "switchboard \(account)"])
            try #require(made.status == 0, "keygen \(account): \(made.err)")
        }
        let process = try LiveProcess.otrtool(["session", "--json", "--show-secrets", "--key-file", keyFile, "--account", account,
                                               "--protocol", "prpl-jabber", "--peer", "them"] + arguments, name: name)
        parties[name] = Party(kind: .otrtool, process: process)
    }

    /// A libotr party in `receive` mode, with the key for `account` in
    /// `key` (made first, so that parties sharing the file share the key).
    func libotr(_ name: String, account: String, key: String, arguments: [String] = []) throws {
        let keyFile = directory.path(key)
        if !FileManager.default.fileExists(atPath: keyFile) {
            try PeerKeys.shared.copy(try PeerKeys.shared.libotr(account), to: keyFile)
        }
        let process = try LiveProcess.libotr(["receive", "--key", keyFile, "--account", account,
                                              "--peer", "me@example.org", "--name", name] + arguments, name: name)
        parties[name] = Party(kind: .libotr, process: process)
    }

    /// A command for `name` in otrtool's words ("/send TEXT", "/query",
    /// "/smpq Q|S", "/wait N", ...), translated for a libotr peer.
    func command(_ name: String, _ command: String) throws {
        let party = try #require(parties[name])
        var line = command
        if party.kind == .libotr {
            if command.hasPrefix("/send ") { line = "out: " + command.dropFirst(6) }
            else if command == "/query" { line = "out: /start" }
            else if command.hasPrefix("/wait ") { line = "wait: " + command.dropFirst(6) }
            else { line = "out: " + command }
        }
        try deliver(try party.process.send(line), from: name)
    }

    /// Puts `text` on the wire from `name`, without its party.
    func inject(_ text: String, from name: String) throws {
        try deliver([["event": "wire", "text": text]], from: name)
    }

    private func deliver(_ first: [[String: Any]], from sender: String) throws {
        var pending: [(from: String, events: [[String: Any]])] = [(sender, first)]
        var rounds = 0
        while !pending.isEmpty {
            rounds += 1
            try #require(rounds < 10_000, "the parties answer each other without end")
            let (from, events) = pending.removeFirst()
            for text in events.filter({ $0["event"] as? String == "wire" }).compactMap({ $0["text"] as? String }) {
                for to in hears[from] ?? [] {
                    guard let delivered = tamper.map({ $0(from, to, text) }) ?? text else { continue }
                    let party = try #require(parties[to])
                    let line = party.kind == .libotr ? "in: " + LiveProcess.escape(delivered) : LiveProcess.jsonLine(delivered)
                    pending.append((to, try party.process.send(line)))
                }
            }
        }
    }

    // MARK: What happened

    func events(_ name: String, _ kind: String? = nil) -> [[String: Any]] {
        let all = parties[name]?.process.events ?? []
        guard let kind else { return all }
        return all.filter { $0["event"] as? String == kind }
    }

    /// The texts `name` received in private.
    func privateTexts(_ name: String) -> [String] {
        events(name, "received").filter { $0["encrypted"] as? Bool == true }.compactMap { $0["text"] as? String }
    }

    /// libotr's message events of `type` (LOG_HEARTBEAT_RCVD, ...).
    func msgEvents(_ name: String, _ type: String) -> [[String: Any]] {
        (events(name, "msg_event") + events(name, "error")).filter { $0["msg_event"] as? String == type }
    }
}
