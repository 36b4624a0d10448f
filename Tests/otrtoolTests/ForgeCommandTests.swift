import Foundation
import Testing

/// forge and derive as a user runs them: transcript forgery on a real
/// libotr capture, errors and exit statuses, secrets from the environment,
/// files and descriptors.
struct ForgeCommandTests {
    static let aes = "00112233445566778899aabbccddeeff"
    static let mac = "739e0e8490eacbcb2ea11d4a5dbefbae888b092e"

    static func message(_ text: String) throws -> String {
        let run = try Tool.run(["encode", "data", "--aes-key", "hex:\(aes)", "--text", text, "--next-dh-key", "0a0b0c"])
        try #require(run.status == 0, "\(run.err)")
        return run.out
    }

    @Test func transcriptForgeryAltersRevealedMessagesAndTheResultVerifies() throws {
        let c = try DeriveInteropTests.conversation(version: 3)
        let capture = c.captureLog
        let dir = try TemporaryDirectory("forge-transcript")
        let path = try dir.write("capture.log", capture)
        let report = try Tool.jsonLines(try Tool.run(["forge", "transcript", "--json", path]))
        let data = report.filter { $0["kind"] as? String == "data" }
        let anyone = data.filter { $0["forgeable_by"] as? String == "anyone" }
        #expect(data.count == 6)
        #expect(anyone.count >= 3, "\(report)")
        #expect(data.contains { $0["forgeable_by"] as? String == "key-holder" })
        for a in anyone { #expect((a["revealed_at_line"] as? Int ?? 0) > (a["line"] as? Int ?? 0)) }
        // "meet at noon" (seq 8, line 8) is revealed later: anyone alters it.
        let line = try #require(anyone.first { $0["line"] as? Int == 8 }?["line"] as? Int)
        let forged = try Tool.run(["forge", "transcript", path, "--modify", "\(line):0:meet:MEET"])
        #expect(forged.status == 0, "\(forged.err)")
        #expect(forged.out != capture)
        #expect(forged.lines.count == capture.split(separator: "\n").count)
        let keys = c.dhPrivateKeys(of: "alice").flatMap { ["--dh-private", "hex:\($0)"] }
        let decoded = try Tool.run(["decode", "--json"] + keys, stdin: forged.stdout)
        #expect(decoded.status == 0, "the forged transcript does not verify: \(decoded.err)")
        let entry = try #require(try Tool.jsonLines(decoded).first { $0["line"] as? Int == line })
        let analysis = try #require(entry["analysis"] as? [String: Any])
        #expect(analysis["mac_valid"] as? Bool == true)
        #expect((analysis["plaintext"] as? [String: Any])?["message"] as? String == "MEET at noon")

        // The last message's key is never revealed: only a key holder can alter it.
        let last = try #require(data.last { $0["forgeable_by"] as? String == "key-holder" }?["line"] as? Int)
        let refused = try Tool.run(["forge", "transcript", path, "--modify", "\(last):0:x:y"])
        #expect(refused.status == 1)
        #expect(refused.err.contains("only a key holder"))
        #expect(refused.stdout.isEmpty, "a forgery that failed wrote the capture out")
        #expect(refused.err.contains("nothing written"))
        // One edit that works beside one that cannot: still nothing.
        let mixed = try Tool.run(["forge", "transcript", path, "--modify", "\(line):0:meet:MEET", "--modify", "\(last):0:x:y"])
        #expect(mixed.status == 1 && mixed.stdout.isEmpty)
    }

    @Test func secretsComeFromTheEnvironmentFilesAndDescriptors() throws {
        let dir = try TemporaryDirectory("forge-secrets")
        let file = try dir.write("aes.hex", Self.aes + "\n")
        let expected = "AES key: \(Self.aes)\nMAC key: \(Self.mac)\n"
        #expect(try Tool.run(["derive", "mac-key", "--aes-key", "env:K"], environment: ["K": Self.aes]).out == expected)
        #expect(try Tool.run(["derive", "mac-key", "--aes-key", "file:\(file)"]).out == expected)
        #expect(try Tool.run(["derive", "mac-key", "--aes-key", "fd:0"], input: Self.aes).out == expected)
        let short = try Tool.run(["derive", "mac-key", "--aes-key", "hex:0011"])
        #expect(short.status == 64)
    }

    @Test func deriveRefusesOutOfRangePublicValuesNamingTheRule() throws {
        for y in ["00", "01"] {
            let run = try Tool.run(["derive", "--dh-private", "hex:1234", "--their-public", y])
            #expect(run.status == 2)
            #expect(run.err.contains("2 <= g^x <= p-2"))
            #expect(run.out.isEmpty)
        }
    }

    @Test func wrongKeysAndBadOffsetsAreErrorsUnlessForced() throws {
        let message = try Self.message("hello there")
        let wrongAES = try Tool.run(["forge", "reencrypt", "--aes-key", "hex:" + String(repeating: "0", count: 32), "--text", "x"], input: message)
        #expect(wrongAES.status == 1 && wrongAES.out.isEmpty)
        let forced = try Tool.run(["forge", "reencrypt", "--force", "--aes-key", "hex:" + String(repeating: "0", count: 32), "--text", "x"], input: message)
        #expect(forced.status == 0 && forced.out.hasPrefix("?OTR:AAMD"))
        let wrongMAC = try Tool.run(["forge", "modify", "--mac-key", "hex:" + String(repeating: "0", count: 40),
                                     "--old", "h", "--new", "j", "--offset", "0"], input: message)
        #expect(wrongMAC.status == 1)
        // 12 bytes: "hello there" and the NUL.
        let past = try Tool.run(["forge", "modify", "--mac-key", "hex:\(Self.mac)", "--old", "ab", "--new", "cd", "--offset", "11"], input: message)
        #expect(past.status == 2)
        #expect(past.err.contains("run past the end"))
        let unequal = try Tool.run(["forge", "modify", "--mac-key", "hex:\(Self.mac)", "--old", "ab", "--new", "c", "--offset", "0"], input: message)
        #expect(unequal.status == 64)
        let ok = try Tool.run(["forge", "modify", "--mac-key", "hex:\(Self.mac)", "--old", "there", "--new", "world", "--offset", "6"], input: message)
        #expect(ok.status == 0)
        let decoded = try Tool.jsonLines(try Tool.run(["decode", "--json", "--aes-key", "hex:\(Self.aes)"], stdin: ok.stdout))
        #expect(((decoded.first?["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String == "hello world")
    }

    @Test func remacChecksEveryFieldAndBuildsVersion2() throws {
        let base = ["forge", "remac", "--mac-key", "hex:\(Self.mac)", "--sender-keyid", "1", "--recipient-keyid", "2",
                    "--next-dh-key", "0a0b", "--counter", "0000000000000001", "--encrypted", "c0ffee"]
        let v2 = try Tool.run(base + ["--protocol-version", "2"])
        #expect(v2.status == 0 && v2.out.hasPrefix("?OTR:AAID"))
        #expect(try Tool.run(base + ["--flags", "300"]).status == 64)
        #expect(try Tool.run(base + ["--protocol-version", "1"]).status == 64)
        #expect(try Tool.run(base + ["--old-mac-keys", "0011"]).status == 64)
        let zeroKeyID = base.map { $0 == "1" ? "0" : $0 }
        #expect(try Tool.run(zeroKeyID).status == 64)
        #expect(try Tool.run(zeroKeyID + ["--allow-violations"]).status == 0)
        let badY = try Tool.run(base.map { $0 == "0a0b" ? "01" : $0 })
        #expect(badY.status == 64 && badY.err.contains("2 <= y <= p-2"))
    }
}
