import Foundation
import Testing

/// The examples the README shows work as it says.
struct ExamplesTests {
    static var examples: URL { Tool.repositoryRoot.appendingPathComponent("examples") }

    @Test func theQuickStartDecodesTheExampleCapture() throws {
        let result = try Tool.run(["decode", Self.examples.appendingPathComponent("capture.log").path])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("D-H Commit message"))
        #expect(result.out.contains("commitment           SHA-256(g^x) matches the D-H Commit"))
        #expect(result.out.components(separatedBy: "Data message (").count - 1 == 8)
    }

    @Test func alicesExponentsOpenEveryMessageOfTheExampleCapture() throws {
        let keys = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasPrefix("alice-dh-") }.sorted()
            .flatMap { ["--dh-private", "file:" + Self.examples.appendingPathComponent($0).path] }
        #expect(keys.count == 10)
        let result = try Tool.run(["decode", "--json"] + keys + [Self.examples.appendingPathComponent("capture.log").path])
        #expect(result.status == 0, "\(result.err)")
        let objects = try Tool.jsonLines(result)
        let analyses = objects.compactMap { $0["analysis"] as? [String: Any] }
        let texts = analyses.compactMap { ($0["plaintext"] as? [String: Any])?["message"] as? String }
        #expect(texts.contains("Hi Bob, are you there?"))
        #expect(texts.contains("yes — all good"))
        #expect(texts.contains("see you at 8"))
        let tlvTypes = analyses.flatMap { (($0["plaintext"] as? [String: Any])?["tlvs"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? Int } }
        #expect(tlvTypes == [7, 3, 4, 5, 1], "SMP 1Q, 2, 3, 4 and Disconnected")
        #expect(analyses.filter { $0["signature_valid"] as? Bool == true }.count == 2)
        #expect(analyses.filter { $0["mac_valid"] as? Bool == true }.count == 8)
    }

    /// The README's "why did bob see unreadable?": line 5 of a libotr
    /// session whose Signature message was lost, explained; the capture's
    /// other lines are not.
    @Test func theLostSignatureExampleIsExplainedAsTheREADMEShows() throws {
        let path = Self.examples.appendingPathComponent("lost-signature.log").path
        let result = try Tool.run(["decode", "--explain", path])
        #expect(result.status == 0, "\(result.err)")
        let readme = try String(contentsOf: Tool.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let explanation = try #require(result.out.split(separator: "\n").first { $0.contains("explanation") })
        #expect(readme.contains(String(explanation)), "README's example differs from: \(explanation)")
        let explained = try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain", path]))
            .filter { !($0["explanations"] as? [String] ?? []).isEmpty }.compactMap { $0["line"] as? Int }
        #expect(explained == [5])
    }

    /// examples/explain: captures with a fault each (made by libotr and by
    /// simulate), and every explanation decode --explain gives them.
    @Test func theExplainExamplesGiveTheExplanationsTheyShipWith() throws {
        let folder = Self.examples.appendingPathComponent("explain")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".log") }.sorted()
        #expect(names.count == 5, "\(names)")
        var found: [String] = []
        for path in [Self.examples.appendingPathComponent("lost-signature.log")] + names.map({ folder.appendingPathComponent($0) }) {
            let keyFolder = folder.appendingPathComponent(path.deletingPathExtension().lastPathComponent + "-keys")
            let keys = ((try? FileManager.default.contentsOfDirectory(atPath: keyFolder.path)) ?? []).sorted()
                .flatMap { ["--dh-private", "file:" + keyFolder.appendingPathComponent($0).path] }
            for object in try Tool.jsonLines(try Tool.run(["decode", "--json", "--explain"] + keys + [path.path])) {
                for explanation in object["explanations"] as? [String] ?? [] {
                    found.append("\(path.lastPathComponent):\(object["line"] as? Int ?? 0): \(explanation)")
                }
            }
        }
        let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(found.sorted() == expected.sorted(), "decode --explain now gives:\n\(found.joined(separator: "\n"))")
        // Each fault is named where it happened.
        for file in ["lost-dh-key.log:4: a new D-H Commit", "lost-reveal-signature.log:6: the D-H Key of line 3 again",
                     "lost-fragment.log:22: a broken fragment series", "duplicate.log:8: the same message as line 7",
                     "late.log:16: its MAC key was revealed at line 11"] {
            #expect(expected.contains { $0.hasPrefix(file) }, "expected.txt has no \(file)")
        }
    }

    @Test func theOffersExampleShowsEveryKindAndItsBrokenQuery() throws {
        let result = try Tool.run(["parse-tag", "--json", Self.examples.appendingPathComponent("offers.txt").path])
        #expect(result.status == 2)
        #expect(result.err.contains("offers.txt:6: query message at byte 31: version list not terminated"))
        let kinds = try Tool.jsonLines(result).flatMap { ($0["findings"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
        #expect(Set(kinds) == ["query", "error", "whitespace-tag"])
    }

    @Test func theConversationExampleRunsAsTheREADMESays() throws {
        let script = Self.examples.appendingPathComponent("conversation.txt").path
        let run = try Tool.run(["simulate", "--json", "--seed", "vector 1", script])
        #expect(run.status == 0, "\(run.err)")
        let events = try Tool.jsonLines(run)
        let aliceGot = events.filter { $0["event"] as? String == "received" && $0["by"] as? String == "alice" }
            .compactMap { $0["text"] as? String }
        #expect(aliceGot == ["yes ✓ all good", "see you at 8"])
        #expect(events.filter { $0["event"] as? String == "smp" && $0["outcome"] as? String == "succeeded" }.count == 2)
        #expect(events.filter { $0["event"] as? String == "dropped" }.count == 1)
        #expect(events.last?["alice"] as? String == "finished")

        let capture = try Tool.run(["simulate", "--wire-only", script])
        let forged = try Tool.run(["forge", "transcript"], stdin: capture.stdout)
        #expect(forged.status == 0, "\(forged.err)")
        #expect(forged.out.contains("forgeable by anyone"))
    }
}
