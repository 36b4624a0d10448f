import Foundation
import Testing

/// The implementation at the other end of the pipe from `otrtool session`.
struct RemotePeer: CustomStringConvertible, Sendable {
    enum Implementation: String, Sendable { case libotr, potr }
    let implementation: Implementation
    let version: Int
    /// libotr's max_message_size / potr's fragment size, and ours.
    let fragment: Int?

    var description: String { "\(implementation) v\(version)" + (fragment.map { ", fragments of \($0)" } ?? "") }

    static let all: [RemotePeer] = [
        RemotePeer(implementation: .libotr, version: 3, fragment: nil),
        RemotePeer(implementation: .libotr, version: 3, fragment: 150),
        RemotePeer(implementation: .libotr, version: 2, fragment: nil),
        RemotePeer(implementation: .libotr, version: 2, fragment: 150),
        RemotePeer(implementation: .potr, version: 2, fragment: nil),
        RemotePeer(implementation: .potr, version: 2, fragment: 150),
    ]
}

/// otrtool session and a reference peer joined by the test: every wire
/// message one side prints is handed to the other, until both are quiet.
final class Link {
    let peer: RemotePeer
    let ours: LiveProcess
    let theirs: LiveProcess
    let directory: TemporaryDirectory

    init(_ peer: RemotePeer, peerSecret: String = "blue", ourExtraArguments: [String] = []) throws {
        self.peer = peer
        directory = try TemporaryDirectory("session-interop")
        let ourKey = directory.path("ours.key")
        try PeerKeys.shared.copy(try PeerKeys.shared.libotr("me@example.org"), to: ourKey)
        var ourArguments = ["session", "--json", "--show-secrets", "--key-file", ourKey, "--account", "me@example.org",
                            "--protocol", "prpl-jabber", "--peer", "them", "--policy", peer.version == 2 ? "0x02" : "manual"]
        if let fragment = peer.fragment { ourArguments += ["--fragment", String(fragment)] }
        let fingerprintsPath = directory.path("fingerprints")
        ourArguments += ourExtraArguments.map { $0 == "FINGERPRINTS" ? fingerprintsPath : $0 }
        ours = try LiveProcess.otrtool(ourArguments, name: "otrtool session")

        switch peer.implementation {
        case .libotr:
            try PeerKeys.shared.copy(try PeerKeys.shared.libotr("them@example.org"), to: directory.path("theirs.key"))
            var arguments = ["receive", "--key", directory.path("theirs.key"), "--account", "them@example.org",
                             "--peer", "me@example.org", "--name", "them", "--version", String(peer.version),
                             "--secret", peerSecret]
            if let fragment = peer.fragment { arguments += ["--fragment", String(fragment)] }
            theirs = try LiveProcess.libotr(arguments, name: "libotr peer")
        case .potr:
            let keyPath = directory.path("theirs.potr")
            try PeerKeys.shared.copy(try PeerKeys.shared.potr("them"), to: keyPath)
            var arguments = ["receive", "--key", keyPath, "--name", "them", "--peer", "me", "--secret", peerSecret]
            if let fragment = peer.fragment { arguments += ["--fragment", String(fragment)] }
            theirs = try LiveProcess.potr(arguments, name: "potr peer")
        }
    }

    deinit {
        ours.close()
        theirs.close()
    }

    /// A command for otrtool session ("/send hi", "/smp blue", ...).
    func local(_ command: String) throws {
        try relay(try ours.send(command), fromOurs: true)
    }

    /// A command for the peer, in otrtool's words: "/send TEXT", "/query",
    /// "/smpq Q|S", "/smp S", "/symkey USE HEX", "/end".
    func remote(_ command: String) throws {
        let line: String
        switch peer.implementation {
        case .libotr:
            if command.hasPrefix("/send ") { line = "out: " + command.dropFirst(6) }
            else if command == "/query" { line = "out: /start" }
            else { line = "out: " + command }
        case .potr:
            line = command == "/query" ? "/start" : command
        }
        try relay(try theirs.send(line), fromOurs: false)
    }

    private func relay(_ first: [[String: Any]], fromOurs: Bool) throws {
        var pending = first, senderIsOurs = fromOurs
        var rounds = 0
        while true {
            let wires = pending.filter { $0["event"] as? String == "wire" }.compactMap { $0["text"] as? String }
            if wires.isEmpty { return }
            rounds += 1
            try #require(rounds < 1000, "the two sides answer each other without end")
            pending = []
            for text in wires {
                if senderIsOurs {
                    let line = peer.implementation == .libotr ? "in: " + LiveProcess.escape(text) : LiveProcess.jsonLine(text)
                    pending += try theirs.send(line)
                } else {
                    pending += try ours.send(LiveProcess.jsonLine(text))
                }
            }
            senderIsOurs.toggle()
        }
    }

    // MARK: What happened

    static func of(_ events: [[String: Any]], _ name: String) -> [[String: Any]] {
        events.filter { $0["event"] as? String == name }
    }

    var ourEvents: [[String: Any]] { ours.events }
    var theirEvents: [[String: Any]] { theirs.events }

    /// The peer's SMP outcome words: libotr "success"/"failure", potr
    /// "succeeded"/"failed"/"aborted".
    var theirSMP: [String] {
        Self.of(theirEvents, "smp").compactMap { ($0["type"] ?? $0["status"]) as? String }
    }

    var ourSMP: [String] {
        Self.of(ourEvents, "smp").compactMap { $0["outcome"] as? String }
    }
}

@Suite("otrtool session against libotr 4.1.1 and python-potr")
struct SessionInteropTests {
    static let texts: [String] = [
        "hello ✓ ünïcödé", "", String(repeating: "a long line of text ", count: 150), "tab\tand \\ backslash",
        "日本語のテキスト", "x", "<b>markup</b> & entities", String(repeating: "é", count: 700), "12345", "last one",
    ]

    @Test("AKE, ten messages each way, key rotation, and disconnect", arguments: RemotePeer.all, [true, false])
    func conversation(peer: RemotePeer, weStart: Bool) throws {
        let link = try Link(peer)
        if weStart { try link.local("/query") } else { try link.remote("/query") }

        let ourSecure = try #require(Link.of(link.ourEvents, "secure").last, "otrtool never went secure with \(peer)")
        let theirSecure = try #require(Link.of(link.theirEvents, "secure").last, "\(peer) never went secure")
        #expect(ourSecure["version"] as? Int == peer.version)
        #expect(ourSecure["ssid"] as? String == theirSecure["ssid"] as? String)
        let ourParty = try #require(Link.of(link.ourEvents, "party").first)
        let theirParty = try #require(Link.of(link.theirEvents, "party").first)
        #expect(theirSecure["their_fingerprint"] as? String == ourParty["fingerprint"] as? String)
        #expect(ourSecure["their_fingerprint"] as? String == theirParty["fingerprint"] as? String)

        for text in Self.texts {
            try link.local("/send " + LiveProcess.escape(text))
            if !text.isEmpty { try link.remote("/send " + LiveProcess.escape(text)) }
        }
        let theyGot = Link.of(link.theirEvents, "received").filter { $0["encrypted"] as? Bool == true }
            .compactMap { $0["text"] as? String }
        let weGot = Link.of(link.ourEvents, "received").filter { $0["encrypted"] as? Bool == true }.compactMap { $0["text"] as? String }
        if peer.implementation == .libotr {
            // libotr shows no empty Data message: it logs it as a heartbeat
            // (after checking its MAC), so the empty text shows up as that.
            #expect(theyGot.filter { !$0.isEmpty } == Self.texts.filter { !$0.isEmpty }, "\(peer) received other texts than otrtool sent")
            let heartbeats = Link.of(link.theirEvents, "msg_event").filter { $0["msg_event"] as? String == "LOG_HEARTBEAT_RCVD" }
            #expect(heartbeats.count + theyGot.filter(\.isEmpty).count == 1, "libotr did not accept otrtool's empty message")
        } else {
            #expect(theyGot == Self.texts, "\(peer) received other texts than otrtool sent")
        }
        #expect(weGot == Self.texts.filter { !$0.isEmpty }, "otrtool received other texts than \(peer) sent")

        // Key rotation: our sender keyid moved on, and every AES key we
        // sent with is one the peer received with.
        let sent = Link.of(link.ourEvents, "keys").filter { $0["direction"] as? String == "sent" }
        let senderIDs = Set(sent.compactMap { $0["sender_keyid"] as? Int })
        #expect(senderIDs.count > 2, "otrtool's keys did not rotate: \(senderIDs)")
        let ourAES = Set(sent.compactMap { $0["aes_key"] as? String })
        let theirAES = Set(Link.of(link.theirEvents, "keys").compactMap { ($0["rcvenc"] ?? $0["aes"]) as? String })
        #expect(ourAES.isSubset(of: theirAES), "\(peer) decrypted with other keys than otrtool sent with")
        #expect(Link.of(link.ourEvents, "unreadable").isEmpty)
        #expect(Link.of(link.theirEvents, "error").isEmpty, "\(Link.of(link.theirEvents, "error"))")

        if weStart {
            try link.local("/end")
            #expect(!Link.of(link.theirEvents, "finished").isEmpty, "\(peer) did not see the disconnect")
        } else {
            try link.remote("/end")
            #expect(!Link.of(link.ourEvents, "finished").isEmpty, "otrtool did not see \(peer)'s disconnect")
        }
    }

    @Test("SMP with a question: equal secrets succeed, different ones fail, either side asking", arguments: RemotePeer.all)
    func smp(peer: RemotePeer) throws {
        // otrtool asks; the peer answers "blue" by itself.
        let link = try Link(peer)
        try link.local("/query")
        try link.local("/smpq favourite colour?|blue")
        #expect(link.ourSMP.last == "succeeded", "otrtool: \(link.ourSMP)")
        #expect(["success", "succeeded"].contains(link.theirSMP.last ?? ""), "\(peer): \(link.theirSMP)")

        try link.local("/smpq favourite colour?|red")
        #expect(["failed", "aborted"].contains(link.ourSMP.last ?? ""), "otrtool: \(link.ourSMP)")
        #expect(["failure", "failed"].contains(link.theirSMP.last ?? ""), "\(peer): \(link.theirSMP)")

        // The peer asks; otrtool sees the question and answers.
        try link.remote("/smpq what is 6x7?|42")
        let request = try #require(Link.of(link.ourEvents, "smp").last { $0["outcome"] as? String == "secret_requested" })
        #expect(request["question"] as? String == "what is 6x7?")
        try link.local("/smp 42")
        #expect(link.ourSMP.last == "succeeded", "otrtool: \(link.ourSMP)")
        #expect(["success", "succeeded"].contains(link.theirSMP.last ?? ""), "\(peer): \(link.theirSMP)")
    }

    @Test("the extra symmetric key is the same 32 bytes on both sides, either side asking",
          arguments: RemotePeer.all.filter { $0.version == 3 })
    func extraSymmetricKey(peer: RemotePeer) throws {
        let link = try Link(peer)
        try link.local("/query")
        try link.local("/symkey 1 00112233")
        let ours = try #require(Link.of(link.ourEvents, "symkey").last)
        let theirs = try #require(Link.of(link.theirEvents, "symkey").last, "\(peer) saw no symkey")
        #expect(theirs["role"] as? String == "received")
        #expect(theirs["use"] as? Int == 1 && theirs["usedata"] as? String == "00112233")
        #expect((ours["key"] as? String)?.count == 64)
        #expect(ours["key"] as? String == theirs["key"] as? String)

        try link.remote("/symkey 7 cafe")
        let sent = try #require(Link.of(link.theirEvents, "symkey").last)
        let got = try #require(Link.of(link.ourEvents, "symkey").last)
        #expect(got["role"] as? String == "received" && got["use"] as? Int == 7 && got["use_data"] as? String == "cafe")
        #expect(got["key"] as? String == sent["key"] as? String)
    }

    @Test("--fingerprints records the peer's fingerprint, trusted after SMP, in a file libotr reads back the same")
    func fingerprintsFile() throws {
        let peer = RemotePeer(implementation: .libotr, version: 3, fragment: nil)
        let link = try Link(peer, ourExtraArguments: ["--fingerprints", "FINGERPRINTS"])
        try link.local("/query")
        let file = link.directory.path("fingerprints")
        let theirs = try #require(Link.of(link.theirEvents, "party").first?["fingerprint"] as? String)
        let hex = theirs.replacingOccurrences(of: " ", with: "").lowercased()
        let afterAKE = try Peers.runLibotr(["read-fingerprints", file])
        #expect(afterAKE.status == 0, "\(afterAKE.err)")
        #expect(afterAKE.out == "me@example.org\tprpl-jabber\tthem\t\(hex)\t\n")

        try link.local("/smpq colour?|blue")
        #expect(link.ourSMP.last == "succeeded")
        let afterSMP = try Peers.runLibotr(["read-fingerprints", file])
        #expect(afterSMP.out == "me@example.org\tprpl-jabber\tthem\t\(hex)\tsmp\n")
        #expect(try link.directory.mode("fingerprints") == 0o600)

        try link.local("/smpq colour?|red")
        let afterFailure = try Peers.runLibotr(["read-fingerprints", file])
        #expect(afterFailure.out == "me@example.org\tprpl-jabber\tthem\t\(hex)\t\n", "a failed SMP takes the trust back, as libotr does")
    }

    /// Under policy "always" a message typed before the AKE is held back and
    /// sent by the session itself once the AKE is done. Here it is too long
    /// for 60-character fragments (more than the 65 535 the spec allows):
    /// otrtool session reports that it could not send it, as its own event,
    /// not as a message it could not read, exits with status 2, and the
    /// peer gets no text.
    @Test("a held-back message too long to send in fragments is reported as send_failed")
    func heldBackMessageThatCannotBeSent() throws {
        let peer = RemotePeer(implementation: .libotr, version: 3, fragment: nil)
        let link = try Link(peer, ourExtraArguments: ["--policy", "always", "--fragment", "60"])
        try link.local("/send " + String(repeating: "a", count: 1_500_000))
        #expect(!Link.of(link.ourEvents, "secure").isEmpty, "otrtool never went secure: \(link.ourEvents.suffix(5))")
        let failures = Link.of(link.ourEvents, "send_failed")
        #expect(failures.count == 1, "\(link.ourEvents.compactMap { $0["event"] as? String })")
        let error = failures.first?["error"] as? String ?? ""
        #expect(error.contains("65535") || error.contains("fragments"), "\(error)")
        #expect(Link.of(link.ourEvents, "unreadable").isEmpty)
        #expect(Link.of(link.theirEvents, "received").filter { $0["encrypted"] as? Bool == true }.isEmpty)
        // As a /send that fails at once: malformed input, exit status 2.
        link.ours.close()
        #expect(link.ours.process.terminationStatus == 2)
    }
}
