import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Forge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forge",
            abstract: "Forge Data messages: re-encrypt, modify in place, rebuild and re-MAC; forge whole transcripts with revealed MAC keys.",
            discussion: """
                OTR transcripts prove nothing: a Data message is authenticated only \
                by a MAC whose key both parties hold, and which the parties publish \
                in the "old MAC keys" of their later messages. Each subcommand shows \
                one way to make a message that verifies like a genuine one.

                "reencrypt" (otr_readforge) encrypts a new text and TLVs, with the \
                trailing NUL and layout libotr writes, under a known AES key in place \
                of a captured message's text and MACs it; a key that does not verify \
                the captured message is an error unless --force is given. \
                "modify" (otr_modify) changes known plaintext at an offset without \
                the AES key, given only the MAC key: counter mode lets the \
                ciphertext be XORed with old ^ new. "remac" (otr_remac) builds a \
                version 2 or 3 Data message from its parts and MACs it, every field \
                checked. "transcript" matches the MAC keys revealed in a capture to \
                the messages they authenticate, reports which messages anyone can \
                forge and which only a key holder can, and writes the capture with \
                messages altered.

                Example: take a capture, forge it, verify it. examples/capture.log \
                is a real libotr conversation; line 6 is Alice's "Hi Bob, are you \
                there?", whose MAC key Bob published at line 9.

                  otrtool forge transcript examples/capture.log      # who can forge what
                  otrtool forge transcript examples/capture.log \\
                      --modify '6:0:Hi Bob:Hi Eve' > forged.log      # anyone can do this
                  keys=$(printf -- "--dh-private file:%s " examples/alice-dh-*.hex)
                  otrtool decode $keys forged.log     # exit 0: every MAC verifies,
                                                      # line 6 reads "Hi Eve, are you there?"
                  otrtool decode --json --show-keys $keys examples/capture.log |
                      jq -r 'select(.line==6) | .analysis.aes_key' > aes.hex
                  otrtool forge reencrypt --aes-key file:aes.hex --line 6 \\
                      --text 'I never said that' examples/capture.log > msg.txt
                  otr_readforge "$(cat aes.hex)" < msg.txt         # libotr's toolkit agrees

                Exit status: 1 when a given key does not verify a message (and \
                --force is absent), 2 for malformed input or a message that cannot \
                be forged as asked, 64 for usage errors.

                Fragmented messages are reassembled, as decode does; a Data message \
                that came in fragments is forged and written whole, at the line of \
                its last fragment (fragment it again with "otrtool fragment split").
                """,
            subcommands: [Reencrypt.self, Modify.self, Remac.self, Transcript.self]
        )
    }
}

/// Which captured Data messages a single-message forge works on.
struct ForgeSelection: ParsableArguments {
    @OptionGroup var input: InputOptions

    @Option(name: .customLong("line"), help: ArgumentHelp(
        "Forge only the Data messages that start on these input lines; repeatable (default: every Data message).",
        valueName: "n"))
    var lines: [Int] = []

    /// Every selected Data message of the input, in order; anything else
    /// OTR that cannot be forged is reported.
    func dataMessages(_ diagnostics: Diagnostics) -> [(SourceLocation, TranscriptForgery.CapturedMessage)] {
        let selection = DataMessageSelection(lines: Set(lines), diagnostics: diagnostics)
        input.forEachLine(diagnostics: diagnostics) { location, line in selection.feed(line, at: location) }
        return selection.finish()
    }
}

extension OTRTool.Forge {
    struct Reencrypt: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reencrypt",
            abstract: "Encrypt a new text (and TLVs) into captured Data messages under a known AES key and re-MAC them (otr_readforge)."
        )

        @OptionGroup var selection: ForgeSelection

        @Option(name: .customLong("aes-key"), help: ArgumentHelp("The messages' 16-byte AES key.", valueName: "secret"))
        var aesKey: SecretSource

        @Option(name: .customLong("mac-key"), help: ArgumentHelp("MAC with this 20-byte key instead of SHA-1 of the AES key.", valueName: "secret"))
        var macKey: SecretSource?

        @Option(help: ArgumentHelp("The new human-readable message.", valueName: "text"))
        var text: String

        @Option(name: .customLong("tlv"), help: ArgumentHelp("A TLV after the text's NUL, TYPE:HEXVALUE, TYPE decimal or 0x hex; repeatable.", valueName: "type:hex"))
        var tlvs: [String] = []

        @Option(help: ArgumentHelp("A new counter top half, 16 hex digits (a live receiver wants it above the last one).", valueName: "hex"))
        var counter: String?

        @Flag(help: "Forge even when the AES key does not verify the captured message's MAC.")
        var force = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            _ = try parseTLVs(tlvs, option: "--tlv")
            if let counter {
                guard let c = try? Hex.decode(counter), c.count == 8, c.contains(where: { $0 != 0 }) else {
                    throw ValidationError("--counter must be 8 bytes of hex, not all zero")
                }
            }
        }

        func run() throws {
            let aes = try aesKey.read("--aes-key", count: 16)
            let mac = try macKey.map { try $0.read("--mac-key", count: 20) }
            let plaintext = DataPlaintext(message: text.argumentBytes, tlvs: try parseTLVs(tlvs, option: "--tlv"))
            let newCounter = try counter.map { try Hex.decode($0) }
            let diagnostics = Diagnostics(command: "forge reencrypt")
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            DataMessageRewrite(.reencrypt(plaintext, aesKey: aes, macKey: mac, counter: newCounter), force: force, json: output.json)
                .apply(to: selection.dataMessages(diagnostics), out: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }

    struct Modify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "modify",
            abstract: "Change known plaintext of captured Data messages without the AES key, given the MAC key (otr_modify)."
        )

        @OptionGroup var selection: ForgeSelection

        @Option(name: .customLong("mac-key"), help: ArgumentHelp("The messages' 20-byte MAC key.", valueName: "secret"))
        var macKey: SecretSource

        @Option(help: ArgumentHelp("The plaintext believed to be at --offset.", valueName: "text"))
        var old: String?

        @Option(help: ArgumentHelp("The text to put in its place, as long as --old.", valueName: "text"))
        var new: String?

        @Option(name: .customLong("old-hex"), help: ArgumentHelp("--old as hex bytes.", valueName: "hex"))
        var oldHex: String?

        @Option(name: .customLong("new-hex"), help: ArgumentHelp("--new as hex bytes.", valueName: "hex"))
        var newHex: String?

        @Option(help: ArgumentHelp("Byte offset of the old text in the plaintext.", valueName: "n"))
        var offset: Int

        @Flag(help: "Modify even when the MAC key does not verify the captured message.")
        var force = false

        @OptionGroup var output: OutputOptions

        func replacement() throws -> (old: [UInt8], new: [UInt8]) {
            guard (old == nil) != (oldHex == nil), (new == nil) != (newHex == nil) else {
                throw ValidationError("give exactly one of --old and --old-hex, and one of --new and --new-hex")
            }
            let o = try old.map { $0.argumentBytes } ?? Hex.decode(oldHex!)
            let n = try new.map { $0.argumentBytes } ?? Hex.decode(newHex!)
            guard o.count == n.count else {
                throw ValidationError("the old text is \(o.count) bytes and the new \(n.count); they must be equally long")
            }
            return (o, n)
        }

        func validate() throws {
            guard offset >= 0 else { throw ValidationError("--offset must not be negative") }
            do { _ = try replacement() } catch let e as ValidationError { throw e } catch {
                throw ValidationError("--old-hex/--new-hex: \(error)")
            }
        }

        func run() throws {
            let mac = try macKey.read("--mac-key", count: 20)
            let (oldBytes, newBytes) = try replacement()
            let diagnostics = Diagnostics(command: "forge modify")
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            DataMessageRewrite(.modify(old: oldBytes, new: newBytes, offset: offset, macKey: mac), force: force, json: output.json)
                .apply(to: selection.dataMessages(diagnostics), out: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }

    struct Remac: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remac",
            abstract: "Build a version 2 or 3 Data message from its parts (already encrypted) and MAC it (otr_remac)."
        )

        @Option(name: .customLong("mac-key"), help: ArgumentHelp("The 20-byte MAC key.", valueName: "secret"))
        var macKey: SecretSource

        @OptionGroup var header: HeaderOptions

        @Option(help: ArgumentHelp("Flags byte, 0-255 (1 = IGNORE_UNREADABLE).", valueName: "n"))
        var flags: Int = 0

        @Option(name: .customLong("sender-keyid"), help: ArgumentHelp("Sender keyid, 1-4294967295.", valueName: "n"))
        var senderKeyID: Int64

        @Option(name: .customLong("recipient-keyid"), help: ArgumentHelp("Recipient keyid, 1-4294967295.", valueName: "n"))
        var recipientKeyID: Int64

        @Option(name: .customLong("next-dh-key"), help: ArgumentHelp("The sender's next D-H public key, hex (2 <= y <= p-2).", valueName: "hex"))
        var nextDHKey: String

        @Option(help: ArgumentHelp("Top half of the counter, 16 hex digits.", valueName: "hex"))
        var counter: String

        @Option(name: .customLong("encrypted"), help: ArgumentHelp("The encrypted message, hex.", valueName: "hex"))
        var encrypted: String

        @Option(name: .customLong("old-mac-keys"), help: ArgumentHelp("Old MAC keys to reveal, concatenated hex.", valueName: "hex"))
        var oldMACKeys: String = ""

        @Flag(name: .customLong("allow-violations"), help: "Build the message even when it breaks a rule of the spec (zero keyid, out-of-range D-H key, zero counter, invalid instance tags).")
        var allowViolations = false

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard (0...255).contains(flags) else { throw ValidationError("--flags must be 0-255 (one byte), is \(flags)") }
            let keyIDs = allowViolations ? 0...Int64(UInt32.max) : 1...Int64(UInt32.max)
            guard keyIDs.contains(senderKeyID) else { throw ValidationError("--sender-keyid must be in \(keyIDs), is \(senderKeyID)") }
            guard keyIDs.contains(recipientKeyID) else { throw ValidationError("--recipient-keyid must be in \(keyIDs), is \(recipientKeyID)") }
            guard let c = try? Hex.decode(counter), c.count == 8 else { throw ValidationError("--counter must be 8 bytes of hex") }
            guard (try? Hex.decode(nextDHKey)) != nil else { throw ValidationError("--next-dh-key must be hex") }
            guard (try? Hex.decode(encrypted)) != nil else { throw ValidationError("--encrypted must be hex") }
            guard let old = try? Hex.decode(oldMACKeys), allowViolations || old.count % 20 == 0 else {
                throw ValidationError("--old-mac-keys must be hex of whole 20-byte keys")
            }
        }

        func run() throws {
            let mac = try macKey.read("--mac-key", count: 20)
            let message: DataMessage
            do {
                message = try DataMessage.assembled(
                    header: header.header(.data), flags: UInt8(flags), senderKeyID: UInt32(senderKeyID),
                    recipientKeyID: UInt32(recipientKeyID), nextDHKey: MPI(publicBytes: try Hex.decode(nextDHKey)),
                    counter: try Hex.decode(counter), encryptedMessage: try Hex.decode(encrypted),
                    oldMACKeys: try Hex.decode(oldMACKeys), macKey: mac, allowViolations: allowViolations)
            } catch {
                writeStandardError("otrtool forge remac: \(error) (--allow-violations builds it anyway)")
                throw ExitCodeError(.usage)
            }
            try DataMessageRewrite.writeAssembled(message, json: output.json)
        }
    }
}
