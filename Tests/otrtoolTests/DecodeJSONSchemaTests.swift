import Foundation
import Testing

/// docs/decode-json.md documents every field `decode --json` prints: the
/// fields of a capture holding every kind of item (the example AKE, Data
/// messages with SMP TLVs opened with alice's D-H keys and --show-keys,
/// offers, errors, fragments, version 1 and unknown versions, broken
/// messages, text that is not UTF-8) must all be named in it.
struct DecodeJSONSchemaTests {
    static var schema: URL { Tool.repositoryRoot.appendingPathComponent("docs/decode-json.md") }
    static var examples: URL { Tool.repositoryRoot.appendingPathComponent("examples") }

    /// Every key of `value`, nested objects and arrays of objects included.
    static func keys(_ value: Any, into names: inout Set<String>) {
        if let object = value as? [String: Any] {
            for (key, inner) in object {
                names.insert(key)
                keys(inner, into: &names)
            }
        } else if let array = value as? [Any] {
            for inner in array { keys(inner, into: &names) }
        }
    }

    @Test func everyFieldDecodePrintsIsDocumented() throws {
        let dir = try TemporaryDirectory("decode-schema")
        let commit = try Tool.run(["encode", "dh-commit", "--gx", String(repeating: "ab", count: 192),
                                   "--r", "hex:000102030405060708090a0b0c0d0e0f"])
        try #require(commit.status == 0, "\(commit.err)")
        let fragments = try Tool.run(["fragment", "split", "--size", "80"], stdin: commit.stdout)
        try #require(fragments.lines.count > 1, "\(fragments.err)")
        var extra = Data(fragments.stdout)
        for line: [UInt8] in [Array("?OTR:AAEDAAAAAAAAAAAA.".utf8),      // version 1 Data
                              Array("?OTR:AAQ1AAABAAAAAQA=.".utf8),      // version 4
                              Array("?OTR:AAMK".utf8),                   // unterminated
                              Array("?OTR:AAMKAAA=.".utf8),              // cut short
                              Array("a ?OTR# b".utf8),                   // unrecognised
                              Array("caf".utf8) + [0xe9],                // not UTF-8
                              Array("?OTR Error: ".utf8) + [0xff],
                              Array("?OTRv2".utf8) + [0xff] + Array("3?".utf8)] {
            extra.append(contentsOf: line + [0x0a])
        }
        let extraPath = dir.path("extra.txt")
        try extra.write(to: URL(fileURLWithPath: extraPath))
        let keys = try FileManager.default.contentsOfDirectory(atPath: Self.examples.path)
            .filter { $0.hasPrefix("alice-dh-") }.sorted()
            .flatMap { ["--dh-private", "file:" + Self.examples.appendingPathComponent($0).path] }
        let result = try Tool.run(["decode", "--json", "--show-keys"] + keys
                                  + [Self.examples.appendingPathComponent("capture.log").path,
                                     Self.examples.appendingPathComponent("offers.txt").path, extraPath])
        let objects = try Tool.jsonLines(result)
        var names: Set<String> = []
        for object in objects { Self.keys(object, into: &names) }
        let kinds = Set(objects.compactMap { $0["kind"] as? String })
        // The input holds every kind; a kind missing means the input, not
        // the schema, went wrong.
        #expect(kinds.isSuperset(of: ["query", "whitespace-tag", "error", "plaintext", "fragment", "dh-commit", "dh-key",
                                      "reveal-signature", "signature", "data", "v1-data", "unknown-version",
                                      "unterminated", "invalid", "unrecognised"]), "\(kinds.sorted())")
        #expect(names.isSuperset(of: ["reassembled", "plaintext", "tlvs", "mpis", "proofs", "reason", "question", "ssid", "m1_prime",
                                      "text_hex", "offer_hex", "raw_hex"]), "\(names.sorted())")

        let schema = try String(contentsOf: Self.schema, encoding: .utf8)
        let undocumented = names.filter { !schema.contains("`\($0)`") }.sorted()
        #expect(undocumented.isEmpty, "decode --json prints fields docs/decode-json.md does not name: \(undocumented)")
        let undocumentedKinds = kinds.filter { !schema.contains("`\($0)`") }.sorted()
        #expect(undocumentedKinds.isEmpty, "kinds docs/decode-json.md does not name: \(undocumentedKinds)")
    }
}
