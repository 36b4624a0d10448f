import Foundation
import Testing
import OTR

/// Library side of docs/secret-hygiene.md: authenticators are compared in
/// constant time and only with their exact length; the seeded random
/// source says it is predictable.
@Suite("secret hygiene (library)")
struct SecretHygieneLibraryTests {
    /// The OTR sources, read from the checkout (three folders above this file).
    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/OTR")
    }

    static func source(_ path: String) throws -> String {
        try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
    }

    /// The body of `func name` (from its line to the next `func`), for
    /// checking what a verification function calls.
    static func body(of name: String, in text: String) -> String? {
        guard let start = text.range(of: "func \(name)(") else { return nil }
        let rest = String(text[start.upperBound...])
        let next = try? NSRegularExpression(pattern: #"\n\s*((public|private|fileprivate|internal|mutating|static) )*func "#)
        let end = next?.firstMatch(in: rest, range: NSRange(rest.startIndex..., in: rest)).flatMap { Range($0.range, in: rest) }
        return String(rest[..<(end?.lowerBound ?? rest.endIndex)])
    }

    @Test("every function that checks a MAC, a commitment or SMP's final equality uses ConstantTime.equals", arguments: [
        ("Messages/DataMessageCrypto.swift", "verifyMAC"),
        ("AKE/AKESignature.swift", "check"),
        ("AKE/AKESignature.swift", "open"),
        ("SMP/SMPStateMachine.swift", "sameElement"),
    ])
    func verificationUsesConstantTime(file: String, function: String) throws {
        let text = try Self.source(file)
        let body = try #require(Self.body(of: function, in: text), "\(file) has no func \(function)")
        #expect(body.contains("ConstantTime.equals("), "\(file) \(function) does not compare with ConstantTime.equals")
    }

    @Test("no == or != on a MAC or hash value anywhere in Sources/OTR (but the spec's public D-H Commit tie-break)")
    func noShortCircuitComparisonOfAuthenticators() throws {
        let files = try #require(FileManager.default.enumerator(atPath: Self.sources.path)?.allObjects as? [String])
        let pattern = try NSRegularExpression(pattern: #"(?i)\b\w*(mac|hash|authenticator)\w*\s*(==|!=)\s*[\w.]*\w|(==|!=)\s*[\w.]*(mac|hash|authenticator)\w*\b"#)
        // Spec "Authenticated Key Exchange", receiving a D-H Commit while
        // waiting for a D-H Key: compare the two hashed g^x values, both
        // public, to decide who restarts.
        let allowed = ["ours.message.hashedGx == m.hashedGx"]
        var found: [String] = []
        for file in files where file.hasSuffix(".swift") {
            let text = try Self.source(file)
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                let s = String(line)
                let matches = pattern.matches(in: s, range: NSRange(s.startIndex..., in: s))
                    .compactMap { Range($0.range, in: s).map { String(s[$0]) } }
                    .filter { m in !m.contains(".count") && !allowed.contains { $0.contains(m) || m.contains($0) } }
                found += matches.map { "\(file): \($0)" }
            }
        }
        #expect(found.isEmpty, "short-circuit comparisons of authenticators: \(found)")
        #expect(pattern.firstMatch(in: "return expected == mac", range: NSRange(location: 0, length: 22)) != nil,
                "the pattern finds the comparison it looks for")
    }

    @Test("a Data message's MAC verifies only at its exact length", arguments: [-20, -1, 1, 20])
    func macOfAnotherLengthFails(delta: Int) throws {
        let aes = SecureBytes([UInt8](repeating: 0x42, count: 16))
        let macKey = DataKeys.macKey(forAESKey: aes)
        var message = DataMessage(header: MessageHeader(version: 3, type: 0x03, senderInstance: InstanceTag(0x101),
                                                        receiverInstance: InstanceTag(0x202)),
                                  senderKeyID: 1, recipientKeyID: 1, nextDHKey: MPI(65536),
                                  counter: [0, 0, 0, 0, 0, 0, 0, 1], encryptedMessage: [], mac: [])
        try message.seal(plaintext: Array("x".utf8), aesKey: aes)
        #expect(try message.verifyMAC(macKey: macKey))
        let good = message.mac
        message.mac = delta < 0 ? Array(good.prefix(good.count + delta)) : good + [UInt8](repeating: 0, count: delta)
        #expect(try !message.verifyMAC(macKey: macKey), "a MAC of \(message.mac.count) bytes verified")
    }

    @Test("ConstantTime.equals is false for a prefix and for an extension, whichever side is longer")
    func constantTimeLengths() {
        let mac = [UInt8](0..<20)
        #expect(ConstantTime.equals(mac, mac))
        #expect(!ConstantTime.equals(mac, Array(mac.prefix(19))))
        #expect(!ConstantTime.equals(Array(mac.prefix(19)), mac))
        #expect(!ConstantTime.equals(mac, mac + [0]))
        #expect(!ConstantTime.equals([UInt8](), mac))
        #expect(!ConstantTime.equals(SecureBytes(mac), SecureBytes(Array(mac.dropFirst()))))
    }

    @Test("the seeded source says it is predictable and repeats itself; the system source does not")
    func seededSourceIsMarked() {
        let a = DeterministicRandom(seedText: "vector"), b = DeterministicRandom(seedText: "vector")
        #expect(a.isDeterministic)
        #expect(a.bytes(32) == b.bytes(32))
        #expect(DeterministicRandom(seedText: "other").bytes(32) != DeterministicRandom(seedText: "vector").bytes(32))
        #expect(!SystemRandom().isDeterministic)
        #expect(!SystemRandom(level: .veryStrong).isDeterministic)
        #expect(SystemRandom().bytes(32) != SystemRandom().bytes(32))
    }

    @Test("a secret's description and interpolation never show its bytes")
    func secretsDoNotPrint() {
        let key = SecureBytes([0xc0, 0xff, 0xee, 0x15, 0x5e, 0xc7, 0xe7])
        #expect(!"\(key)".contains("c0ffee"))
        #expect(!String(reflecting: key).contains("c0ffee"))
        #expect(!DataKeys.macKey(forAESKey: key).description.contains(DataKeys.macKey(forAESKey: key).hex))
    }
}
