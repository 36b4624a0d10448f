import Foundation
import Testing

/// Differential tests against the reference peers: every fragment stream
/// libotr 4.1.1 and python-potr put on the wire reassembles, and otrtool's
/// split of each reassembled message is byte for byte what the peer sent.
struct FragmentInteropTests {
    static let script = """
        alice: /start
        alice: Hello Bob, this message is long enough to need several fragments at the small sizes.
        bob: Hi Alice; replies, with commas, are fragmented too.
        alice: \(String(repeating: "0123456789", count: 30))
        bob: \(String(repeating: "A long reply, ", count: 200))
        bob: /smp secret
        alice: /smp secret
        alice: /end

        """

    struct Wire {
        var from: String
        var text: String
    }

    static func wires(_ result: Tool.Result) throws -> [Wire] {
        try Tool.jsonLines(result).compactMap { event in
            guard event["event"] as? String == "wire" else { return nil }
            let text: String
            if let hex = event["text_hex"] as? String {
                text = String(decoding: try hexBytes(hex), as: UTF8.self)
            } else {
                text = try #require(event["text"] as? String)
            }
            return Wire(from: try #require(event["from"] as? String), text: text)
        }
    }

    static func hexBytes(_ hex: String) throws -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() {
            out.append(try #require(UInt8(String([a, b]), radix: 16)))
        }
        return out
    }

    static func isFragment(_ text: String) -> Bool { text.hasPrefix("?OTR|") || text.hasPrefix("?OTR,") }

    /// Runs join over one sender's wire messages, then split over each
    /// message that arrived in fragments, and compares with the wire.
    static func check(_ wires: [Wire], size: Int, unpadded: Bool, peer: String) throws -> Int {
        var messagesChecked = 0
        for sender in Set(wires.map(\.from)) {
            let sent = wires.filter { $0.from == sender }.map(\.text)
            let fragments = sent.filter(isFragment)
            if fragments.isEmpty { continue }
            #expect(fragments.allSatisfy { $0.utf8.count <= size - 1 || unpadded },
                    "\(peer) at \(size): a fragment over \(size - 1) bytes")
            let stream = Data(fragments.joined(separator: "\0").utf8 + [0])
            let joined = try Tool.run(["fragment", "join", "-z", "--json"], stdin: stream)
            #expect(joined.status == 0, "\(peer) at \(size): \(joined.err)")
            let messages = try Tool.jsonLines(joined)
            #expect(messages.count == fragments.filter { $0.contains(",00001,") || $0.hasPrefix("?OTR,1,") }.count)
            var resplit: [String] = []
            for message in messages {
                let text = try #require(message["message"] as? String)
                #expect(!isFragment(text))
                var args = ["fragment", "split", "--whole", "-z", "--size", String(size),
                            "--form", try #require(message["form"] as? String)]
                if let s = message["sender_hex"] as? String, let r = message["receiver_hex"] as? String {
                    args += ["--sender", s, "--receiver", r]
                }
                if unpadded { args.append("--unpadded") }
                let split = try Tool.run(args, stdin: Data(text.utf8))
                #expect(split.status == 0, "\(split.err)")
                resplit += split.out.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
                messagesChecked += 1
            }
            #expect(resplit == fragments, "\(peer) at \(size): otrtool's fragments differ from \(sender)'s")
        }
        return messagesChecked
    }

    @Test(arguments: [(3, 50), (3, 100), (3, 199), (3, 200), (3, 512), (3, 2000), (2, 50), (2, 100), (2, 199), (2, 512), (2, 2000)])
    func libotrFragmentsAreReproducedByteForByte(version: Int, size: Int) throws {
        let result = try Peers.runLibotr(["converse", "--version", String(version), "--fragment", String(size)],
                                         stdin: Data(Self.script.utf8))
        try #require(result.status == 0, "libotr peer failed: \(result.err)")
        let wires = try Self.wires(result)
        #expect(try Self.check(wires, size: size, unpadded: false, peer: "libotr v\(version)") > 0)
        // A secure session came up through the fragments.
        #expect(result.out.contains("\"event\":\"received\""))
    }

    @Test(arguments: [50, 100, 199, 512, 2000])
    func potrFragmentsAreReproducedInTheUnpaddedForm(size: Int) throws {
        let result = try Peers.runPotr(["converse", "--fragment", String(size)], stdin: Data(Self.script.utf8))
        try #require(result.status == 0, "potr peer failed: \(result.err)")
        let wires = try Self.wires(result)
        #expect(try Self.check(wires, size: size, unpadded: true, peer: "potr") > 0)
    }

    /// libotr's query message is fixed text, so a size can be chosen that
    /// divides it exactly into pieces.
    @Test func anExactMultipleOfThePieceLengthMatchesLibotr() throws {
        // The query names the account, so its length is chosen through it.
        var found: (account: String, query: String, piece: Int)? = nil
        for extra in 0..<8 where found == nil {
            let account = "alice" + String(repeating: "x", count: extra) + "@example.org"
            let probe = try Peers.runLibotr(["converse", "--version", "3", "--fragment", "0", "--alice-account", account],
                                            stdin: Data("alice: /start\n".utf8))
            let query = try #require(try Self.wires(probe).first?.text)
            let length = query.utf8.count
            // The query goes out in v2 form (no version agreed yet): piece = size - 19.
            if let piece = (19...200).reversed().first(where: { length % $0 == 0 && $0 < length }) {
                found = (account, query, piece)
            }
        }
        let (account, query, piece) = try #require(found)
        let size = piece + 19
        let result = try Peers.runLibotr(["converse", "--version", "3", "--fragment", String(size), "--alice-account", account],
                                         stdin: Data("alice: /start\n".utf8))
        // Only the query goes out in v2 form in a version 3 conversation.
        let fragments = try Self.wires(result).filter { $0.from == "alice" && $0.text.hasPrefix("?OTR,") }.map(\.text)
        #expect(fragments.count == query.utf8.count / piece)
        #expect(fragments.last.map { $0.utf8.count } == size - 1)
        let split = try Tool.run(["fragment", "split", "--whole", "-z", "--size", String(size)], stdin: Data(query.utf8))
        #expect(split.out.split(separator: "\0").map(String.init) == fragments)
        #expect(try Self.check(try Self.wires(result), size: size, unpadded: false, peer: "libotr exact") >= 1)
    }
}
