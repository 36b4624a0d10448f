import Foundation
import Testing

/// A conversation a reference peer printed as JSON Lines (see
/// Tests/Peers/libotr/README.md and Tests/Peers/potr/README.md).
struct Conversation {
    struct Wire {
        var seq: Int
        var from: String
        var text: String
    }

    var events: [[String: Any]]
    var wires: [Wire]

    init(jsonLines: Data) throws {
        let text = String(decoding: jsonLines, as: UTF8.self)
        events = try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return try #require(object as? [String: Any], "not a JSON object: \(line)")
        }
        wires = events.filter { $0["event"] as? String == "wire" }.compactMap { e in
            guard let seq = e["seq"] as? Int, let from = e["from"] as? String, let text = e["text"] as? String else { return nil }
            return Wire(seq: seq, from: from, text: text)
        }
    }

    func events(_ name: String) -> [[String: Any]] { events.filter { $0["event"] as? String == name } }

    /// A party's instance tag, as the peer's `party` event gives it.
    func instance(of party: String) -> String? {
        events("party").first { $0["name"] as? String == party }?["instance"] as? String
    }

    /// Every D-H private exponent a party used, in hex.
    func dhPrivateKeys(of party: String) -> [String] {
        var seen: [String] = []
        for e in events("dh") where e["party"] as? String == party {
            if let priv = e["priv"] as? String, !seen.contains(priv) { seen.append(priv) }
        }
        return seen
    }

    /// The message a party's application received for wire message `seq`.
    func received(seq: Int) -> [String: Any]? {
        events("received").first { $0["seq"] as? Int == seq }
    }

    /// Wire messages that are whole encoded messages (not fragments).
    var encodedWires: [Wire] { wires.filter { $0.text.hasPrefix("?OTR:") } }

    /// A capture log of the wire messages, one per line, as a client log
    /// would show them ("[seq] <from> text", newlines escaped).
    var captureLog: String {
        wires.map { "[\($0.seq)] <\($0.from)> \($0.text.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n") + "\n"
    }
}

/// Parses what libotr's otr_parse prints: "Kind Message:" then tab-indented
/// "Field: value" lines, blank line between messages.
enum OtrParseOutput {
    static func parse(_ text: String) -> [(kind: String, fields: [String: String])] {
        var result: [(String, [String: String])] = []
        var kind: String? = nil
        var fields: [String: String] = [:]
        var lastKey: String? = nil
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.isEmpty {
                if let k = kind { result.append((k, fields)) }
                kind = nil
                fields = [:]
                continue
            }
            if !line.hasPrefix("\t") {
                kind = line.hasSuffix(":") ? String(line.dropLast()) : line
                continue
            }
            let body = line.drop { $0 == "\t" }
            if line.hasPrefix("\t\t"), let key = lastKey {
                // Continuation rows ("Key 1: ...") of a list field.
                let value = body.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                fields[key, default: ""] += value
                continue
            }
            let parts = body.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            fields[key] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            lastKey = key
        }
        if let k = kind { result.append((k, fields)) }
        return result
    }
}
