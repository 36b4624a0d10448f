import ArgumentParser
import OTR
import OTRToolkit

/// The header options of the message-building subcommands.
struct HeaderOptions: ParsableArguments {
    @Option(name: .customLong("protocol-version"), help: ArgumentHelp("Protocol version, 2 or 3.", valueName: "n"))
    var version: UInt16 = 3

    @Option(name: .customLong("sender-instance"), help: ArgumentHelp("Sender instance tag, 8 hex digits (v3).", valueName: "tag"))
    var senderInstance: String = "00000100"

    @Option(name: .customLong("receiver-instance"), help: ArgumentHelp("Receiver instance tag, 8 hex digits (v3; 0 = unknown).", valueName: "tag"))
    var receiverInstance: String = "00000000"

    func validate() throws {
        guard version == 2 || version == 3 else { throw ValidationError("--protocol-version must be 2 or 3") }
        guard InstanceTag(hex: senderInstance) != nil else { throw ValidationError("--sender-instance: not 8 hex digits") }
        guard InstanceTag(hex: receiverInstance) != nil else { throw ValidationError("--receiver-instance: not 8 hex digits") }
    }

    func header(_ type: MessageType) -> MessageHeader {
        var h = MessageHeader(version: version, type: type.rawValue)
        if MessageHeader.hasInstanceTags(version: version) {
            h.senderInstance = InstanceTag(hex: senderInstance)
            h.receiverInstance = InstanceTag(hex: receiverInstance)
        }
        return h
    }
}

/// The spec's range for a D-H public value, checked for --gx, --gy and
/// --next-dh-key unless --allow-violations (a message a peer must refuse,
/// built on purpose).
private func checkPublicValue(_ hex: String?, option: String, name: String, allowViolations: Bool) throws {
    guard let hex else { return }
    guard let bytes = try? Hex.decode(hex) else { throw ValidationError("\(option) must be hex") }
    guard allowViolations || DHGroup.isValidPublicValue(MPI(bytes: bytes)) else {
        throw ValidationError("\(option) must be a value with 2 <= \(name) <= p-2 (--allow-violations builds it anyway)")
    }
}

private let allowViolationsHelp: ArgumentHelp =
    "Build the message even when a D-H value breaks the spec's range (a message a peer must refuse)."

/// A D-H public value given directly in hex, or computed from a private
/// exponent; the commands' validate() makes sure exactly one is given.
private func dhPublicValue(secret: SecretSource?, hex: String?) throws -> MPI {
    if let secret { return try secret.readDHKeyPair("--dh-private").publicKey }
    return MPI(bytes: try Hex.decode(hex ?? ""))
}

/// The versions of a --versions, --make-query or --make-tag value.
func versionList(_ text: String) throws -> [OTRVersion] {
    do { return try OfferedVersions.parse(text) } catch { throw ValidationError("\(error)") }
}

extension OTRTool.Encode {
    struct Query: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "query", abstract: "A query message offering the given versions.")
        @Option(help: ArgumentHelp("Versions to offer, e.g. 23 or 1,2.", valueName: "versions"))
        var versions: String = "23"
        @Option(help: ArgumentHelp("Human-readable text after the query.", valueName: "text"))
        var text: String = ""
        @OptionGroup var wrapping: EncodeOutputOptions

        func validate() throws { _ = try versionList(versions) }

        func run() throws {
            wrapping.writeOne(QueryMessage.encodedBytes(versions: try versionList(versions)) + text.argumentBytes)
        }
    }

    struct Tag: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tag", abstract: "Plaintext followed by the whitespace tag for the given versions.")
        @Option(help: ArgumentHelp("Versions to offer, e.g. 23.", valueName: "versions"))
        var versions: String = "23"
        @Option(help: ArgumentHelp("The plaintext the tag is appended to.", valueName: "text"))
        var text: String = ""
        @OptionGroup var wrapping: EncodeOutputOptions

        func validate() throws { _ = try versionList(versions) }

        func run() throws {
            wrapping.writeOne(text.argumentBytes + WhitespaceTag.encode(versions: try versionList(versions)))
        }
    }

    struct ErrorMessageCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "error", abstract: "An OTR error message.")
        @Option(help: ArgumentHelp("The human-readable error text.", valueName: "text"))
        var text: String
        @OptionGroup var wrapping: EncodeOutputOptions

        func run() throws {
            wrapping.writeOne(Array(ErrorMessage.encode(text: "").utf8) + text.argumentBytes)
        }
    }

    struct DHCommit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dh-commit",
            abstract: "A D-H Commit: AES(r, g^x) and SHA-256(g^x) from g^x (or x) and r.")
        @OptionGroup var header: HeaderOptions
        @Option(name: .customLong("dh-private"), help: ArgumentHelp("The committer's D-H private exponent x.", valueName: "secret"))
        var dhPrivate: SecretSource?
        @Option(name: .customLong("gx"), help: ArgumentHelp("g^x in hex, instead of x.", valueName: "hex"))
        var gx: String?
        @Option(name: .customLong("r"), help: ArgumentHelp("The 16-byte key r (default: random).", valueName: "secret"))
        var r: SecretSource?
        @Flag(name: .customLong("allow-violations"), help: allowViolationsHelp)
        var allowViolations = false
        @OptionGroup var wrapping: EncodeOutputOptions

        func validate() throws {
            guard (dhPrivate == nil) != (gx == nil) else { throw ValidationError("give exactly one of --dh-private and --gx") }
            try checkPublicValue(gx, option: "--gx", name: "g^x", allowViolations: allowViolations)
        }

        func run() throws {
            let value = try dhPublicValue(secret: dhPrivate, hex: gx)
            let key = try r?.read("--r", count: 16) ?? SystemRandom().bytes(16)
            let message = EncodedMessage.dhCommit(try DHCommitMessage(header: header.header(.dhCommit), committingTo: value, r: key))
            wrapping.writeOne(Armour.wrap(try message.serialize()))
        }
    }

    struct DHKey: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dh-key", abstract: "A D-H Key message carrying g^y (or g^y from y).")
        @OptionGroup var header: HeaderOptions
        @Option(name: .customLong("dh-private"), help: ArgumentHelp("The D-H private exponent y.", valueName: "secret"))
        var dhPrivate: SecretSource?
        @Option(name: .customLong("gy"), help: ArgumentHelp("g^y in hex, instead of y.", valueName: "hex"))
        var gy: String?
        @Flag(name: .customLong("allow-violations"), help: allowViolationsHelp)
        var allowViolations = false
        @OptionGroup var wrapping: EncodeOutputOptions

        func validate() throws {
            guard (dhPrivate == nil) != (gy == nil) else { throw ValidationError("give exactly one of --dh-private and --gy") }
            try checkPublicValue(gy, option: "--gy", name: "g^y", allowViolations: allowViolations)
        }

        func run() throws {
            let value = try dhPublicValue(secret: dhPrivate, hex: gy)
            wrapping.writeOne(Armour.wrap(try EncodedMessage.dhKey(DHKeyMessage(header: header.header(.dhKey), gy: value)).serialize()))
        }
    }

    struct Data: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "data",
            abstract: "A Data message: TEXT and TLVs encrypted under an AES key and MACed, with libotr's layout.")
        @OptionGroup var header: HeaderOptions
        @Option(name: .customLong("aes-key"), help: ArgumentHelp("The 16-byte sending AES key.", valueName: "secret"))
        var aesKey: SecretSource
        @Option(name: .customLong("mac-key"), help: ArgumentHelp("The 20-byte MAC key (default: SHA-1 of the AES key).", valueName: "secret"))
        var macKey: SecretSource?
        @Option(help: ArgumentHelp("The human-readable message.", valueName: "text"))
        var text: String = ""
        @Option(name: .customLong("tlv"), help: ArgumentHelp("A TLV as TYPE:HEXVALUE, TYPE decimal or 0x hex (e.g. 1: for Disconnected); repeatable.", valueName: "type:hex"))
        var tlvs: [String] = []
        @Option(help: ArgumentHelp("Flags byte (1 = IGNORE_UNREADABLE).", valueName: "n"))
        var flags: UInt8 = 0
        @Option(name: .customLong("sender-keyid"), help: ArgumentHelp("Sender keyid.", valueName: "n"))
        var senderKeyID: UInt32 = 1
        @Option(name: .customLong("recipient-keyid"), help: ArgumentHelp("Recipient keyid.", valueName: "n"))
        var recipientKeyID: UInt32 = 1
        @Option(name: .customLong("next-dh-key"), help: ArgumentHelp("The sender's next D-H public key, hex.", valueName: "hex"))
        var nextDHKey: String
        @Option(help: ArgumentHelp("Top half of the counter, 16 hex digits.", valueName: "hex"))
        var counter: String = "0000000000000001"
        @Option(name: .customLong("old-mac-keys"), help: ArgumentHelp("Old MAC keys to reveal, concatenated hex.", valueName: "hex"))
        var oldMACKeys: String = ""
        @Flag(name: .customLong("allow-violations"), help: allowViolationsHelp)
        var allowViolations = false
        @OptionGroup var wrapping: EncodeOutputOptions

        func validate() throws {
            guard let c = try? Hex.decode(counter), c.count == 8 else { throw ValidationError("--counter must be 8 bytes of hex") }
            try checkPublicValue(nextDHKey, option: "--next-dh-key", name: "y", allowViolations: allowViolations)
            guard let old = try? Hex.decode(oldMACKeys), old.count % 20 == 0 else {
                throw ValidationError("--old-mac-keys must be hex of whole 20-byte keys")
            }
            _ = try parseTLVs(tlvs, option: "--tlv")
        }

        func run() throws {
            let aes = try aesKey.read("--aes-key", count: 16)
            let mac = try macKey?.read("--mac-key", count: 20)
            var message = DataMessage(header: header.header(.data), flags: flags, senderKeyID: senderKeyID,
                                      recipientKeyID: recipientKeyID, nextDHKey: MPI(bytes: try Hex.decode(nextDHKey)),
                                      counter: try Hex.decode(counter), encryptedMessage: [], mac: [],
                                      oldMACKeys: try Hex.decode(oldMACKeys))
            let plaintext = DataPlaintext(message: text.argumentBytes, tlvs: try parseTLVs(tlvs, option: "--tlv"))
            try message.seal(plaintext: plaintext.encoded, aesKey: aes, macKey: mac)
            wrapping.writeOne(Armour.wrap(try EncodedMessage.data(message).serialize()))
        }
    }
}
