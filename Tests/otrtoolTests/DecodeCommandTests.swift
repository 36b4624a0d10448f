import Foundation
import Testing

/// decode end to end, where the process matters: secrets from the
/// environment, files and descriptors. Everything else decode does is
/// tested in process (OTRToolkitTests/DecodeRunTests).
struct DecodeCommandTests {
    static let aesKey = "000102030405060708090a0b0c0d0e0f"
    /// 2^16 as a D-H public value: in range (2 <= y <= p-2) and easy to check.
    static let nextDHKey = "010000"

    /// A Data message built by encode under `aesKey`.
    static func dataMessage(_ text: String, counter: String = "0000000000000001", extra: [String] = []) throws -> String {
        let result = try Tool.run(["encode", "data", "--aes-key", "hex:\(aesKey)", "--next-dh-key", nextDHKey,
                                   "--text", text, "--counter", counter] + extra)
        try #require(result.status == 0, "encode data failed: \(result.err)")
        let line = try #require(result.lines.first)
        try #require(line.hasPrefix("?OTR:AAMD") && line.hasSuffix("."), "not an armoured v3 Data message: \(line)")
        return line
    }

    static func plaintextMessage(_ object: [String: Any]) -> String? {
        ((object["analysis"] as? [String: Any])?["plaintext"] as? [String: Any])?["message"] as? String
    }

    @Test func theAESKeyCanComeFromTheEnvironmentAFileOrADescriptor() throws {
        let input = try Self.dataMessage("secret source") + "\n"
        let dir = try TemporaryDirectory("decode-keys")
        let keyFile = try dir.write("key", Self.aesKey + "\n")
        let inputFile = try dir.write("capture", input)

        let fromEnv = try Tool.run(["decode", "--json", "--aes-key", "env:OTRTOOL_TEST_AES"], stdin: Data(input.utf8),
                                   environment: ["OTRTOOL_TEST_AES": Self.aesKey])
        let fromFile = try Tool.run(["decode", "--json", "--aes-key", "file:\(keyFile)"], input: input)
        let fromFD = try Tool.run(["-c", "exec 5<\"$1\"; exec \"$2\" decode --json --aes-key fd:5 \"$3\"", "sh",
                                   keyFile, Tool.binary.path, inputFile],
                                  executable: URL(fileURLWithPath: "/bin/sh"))
        for (name, result) in [("env", fromEnv), ("file", fromFile), ("fd", fromFD)] {
            #expect(result.status == 0, "\(name): \(result.err)")
            let object = try #require(try Tool.jsonLines(result).first, "\(name)")
            #expect(Self.plaintextMessage(object) == "secret source", "\(name)")
        }

        // An unset variable is a usage error naming it, not a silent miss.
        let unset = try Tool.run(["decode", "--aes-key", "env:OTRTOOL_TEST_UNSET_VARIABLE"], input: input)
        #expect(unset.status == 64)
        #expect(unset.err.contains("OTRTOOL_TEST_UNSET_VARIABLE"))
    }
}
