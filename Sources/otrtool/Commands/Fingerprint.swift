import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct FingerprintCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fingerprint",
            abstract: "Print OTR fingerprints of key files, public keys and otr.fingerprints files; list otr.instance_tags files.",
            discussion: """
                The fingerprint is the SHA-1 hash of a public key's MPIs p, q, g and \
                y (spec "Public keys, signatures, and fingerprints"), shown as five \
                groups of eight hex digits.

                Each input file is recognised by its content: a libotr private key \
                file (one line per account: ACCOUNT, PROTOCOL, FINGERPRINT), a \
                python-potr key file (binary), an otr.fingerprints file (one line \
                per entry: PEER, ACCOUNT, PROTOCOL, FINGERPRINT, TRUST, where TRUST \
                is smp, verified or "not verified"; lines libotr would skip are \
                reported), or a public key in OTR encoding (type 0x0000, then p, q, \
                g, y) as hex or base64 text. Without files and without \
                --public-key, standard input is read the same way. Fields are \
                separated by tabs; bytes that are not printable are escaped.

                --expect FINGERPRINT (spaces and case ignored) checks the keys: the \
                exit status is 1 unless one of them has that fingerprint. --uri \
                prints the xmpp: URI with otr-fingerprint= that XEP-0364 describes, \
                for the account (or the peer of an otr.fingerprints entry, or \
                --jid). Only XMPP has such a URI: an entry of another protocol \
                (prpl-irc, say; XMPP is prpl-jabber, jabber, xmpp, libpurple-jabber \
                or libpurple-gtalk) is refused with status 64 unless --jid names \
                the XMPP address, and so is an entry without an account.

                An otr.instance_tags file (libotr's warning line, then ACCOUNT, \
                PROTOCOL, TAG lines) is recognised too and listed as ACCOUNT, \
                PROTOCOL, INSTANCE TAG (8 hex digits); it holds no key, so \
                --expect does not count it and --uri refuses it.
                """
        )

        @Argument(help: ArgumentHelp("Key files, otr.fingerprints or otr.instance_tags files, or public keys; standard input when none is given, and for \"-\".",
                                     valueName: "file"),
                  completion: .file())
        var files: [String] = []

        @Option(name: .long, help: ArgumentHelp("A public key in OTR encoding, hex or base64 (\"-\": read it from standard input).",
                                                valueName: "key"))
        var publicKey: [String] = []

        @Option(name: .long, help: ArgumentHelp("Only keys and entries of this account.", valueName: "name"))
        var account: String?

        @Option(name: .customLong("protocol"), help: ArgumentHelp("Only keys and entries of this protocol.", valueName: "protocol"))
        var protocolName: String?

        @Option(name: .long, help: ArgumentHelp("Exit 1 unless a key has this fingerprint (spaces and case are ignored).",
                                                valueName: "fingerprint"))
        var expect: String?

        @Flag(name: .long, help: "Print xmpp:JID?otr-fingerprint=HEX URIs (XEP-0364) instead of fingerprints.")
        var uri = false

        @Option(name: .long, help: ArgumentHelp("The JID for --uri when the key names no account.", valueName: "jid"))
        var jid: String?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let expect {
                do { _ = try OTR.Fingerprint(parsing: expect) } catch {
                    throw ValidationError("--expect: \(error)")
                }
            }
            if jid != nil && !uri { throw ValidationError("--jid goes with --uri") }
            if publicKey.filter({ $0 == "-" }).count + files.filter({ $0 == "-" }).count > 1 {
                throw ValidationError("standard input can be read only once")
            }
        }

        func run() throws {
            try FingerprintListing(files: files, publicKey: publicKey, account: account, protocolName: protocolName, expect: expect,
                                  uri: uri, jid: jid, json: output.json).run()
        }
    }
}
