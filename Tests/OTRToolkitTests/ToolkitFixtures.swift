import Foundation
import OTR
import OTRToolkit

/// The repository's example capture (a real libotr conversation), read in
/// process: the toolkit's tests need no binary.
enum ToolkitFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func lines(_ relativePath: String) throws -> [[UInt8]] {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        return [UInt8](data).split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Every event the capture reader gives for `lines` of one source.
    static func read(_ lines: [[UInt8]], source: String = "-") -> [CaptureReader.Event] {
        var reader = CaptureReader()
        var events: [CaptureReader.Event] = []
        for (i, line) in lines.enumerated() {
            reader.feed(line, at: SourceLocation(source: source, line: i + 1)) { events.append($0) }
        }
        reader.finish { events.append($0) }
        return events
    }

    static func items(_ events: [CaptureReader.Event]) -> [CapturedItem] {
        events.compactMap { if case .item(let item) = $0 { item } else { nil } }
    }

    // MARK: Messages built by hand

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)] }

    /// A length-prefixed DATA field (spec "Data types").
    static func data(_ b: [UInt8]) -> [UInt8] { be32(UInt32(b.count)) + b }

    /// A version 3 header of `type` from instance 0x100 to 0x101 (11 bytes).
    static func header(_ type: UInt8) -> [UInt8] { [0, 3, type] + be32(0x100) + be32(0x101) }

    /// An armoured message from raw bytes (hand-built hostile layouts).
    static func armour(_ bytes: [UInt8]) -> String { "?OTR:" + Base64.encodeString(bytes) + "." }

    static let aesKey = "000102030405060708090a0b0c0d0e0f"

    /// The keys of a run given `--aes-key hex:` `aesKey`.
    static var keys: CaptureKeys {
        var keys = CaptureKeys()
        keys.aesKeys = [SecureBytes(try! Hex.decode(aesKey))]
        return keys
    }

    /// A version 3 Data message under `aesKey` (its MAC key SHA-1 of it),
    /// from instance 0x100 to 0, key ids 1 and 1, next D-H key 2^16: what
    /// `encode data` makes by default.
    static func dataMessage(_ text: String, counter: String = "0000000000000001") throws -> String {
        try dataMessage(plaintext: DataPlaintext(message: Array(text.utf8)).encoded, counter: counter)
    }

    /// The same with `plaintext` as the decrypted bytes and any next D-H
    /// key, in range or not.
    static func dataMessage(plaintext: [UInt8], counter: String = "0000000000000001", nextDHKey: MPI = MPI(UInt(1 << 16))) throws -> String {
        var m = DataMessage(header: MessageHeader(version: 3, type: MessageType.data.rawValue, senderInstance: InstanceTag(rawValue: 0x100),
                                                  receiverInstance: InstanceTag(rawValue: 0)),
                            senderKeyID: 1, recipientKeyID: 1, nextDHKey: nextDHKey, counter: try Hex.decode(counter),
                            encryptedMessage: [], mac: [])
        try m.seal(plaintext: plaintext, aesKey: SecureBytes(try Hex.decode(aesKey)), macKey: nil)
        return try EncodedMessage.data(m).armoured()
    }
}
