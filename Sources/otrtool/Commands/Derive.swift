import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Derive: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "derive",
            abstract: "Derive session, AKE and extra symmetric keys from D-H values, and MAC keys from AES keys.",
            discussion: """
                "derive session" (the default) takes our D-H private exponent and \
                their public value, as otr_sesskeys does, and prints which end of the \
                exchange we are (the end with the larger public value is high and \
                sends with h1(0x01)), our public value, the sending and receiving AES \
                and MAC keys, and what otr_sesskeys cannot: the extra symmetric key \
                h2(0xFF), the v2/v3 ssid with the half to show in bold, and the AKE \
                keys c, c', m1, m2, m1', m2' (spec "Computing AKE keys", "Computing \
                data keys"). The version 1 session id otr_sesskeys prints is shown \
                too, labelled as such. A public value outside 2..p-2 is refused \
                (exit 2), as the spec requires of every received D-H value.

                "derive mac-key" prints the MAC key of an AES key, SHA-1 of it, as \
                otr_mackey does.
                """,
            subcommands: [Session.self, MACKey.self],
            defaultSubcommand: Session.self
        )
    }
}

extension OTRTool.Derive {
    struct Session: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "session",
            abstract: "Data, AKE and extra symmetric keys of our D-H private exponent and their public value (otr_sesskeys)."
        )

        @Option(name: .customLong("dh-private"), help: ArgumentHelp("Our D-H private exponent x.", valueName: "secret"))
        var dhPrivate: SecretSource

        @Option(name: .customLong("their-public"), help: ArgumentHelp(
            "Their D-H public value g^y, hex (or file:PATH, env:NAME, fd:N); repeatable, one result each.",
            valueName: "value"))
        var theirPublic: [SecretSource] = []

        @Option(name: .customLong("ake-role"), help: ArgumentHelp(
            "The AKE message we sent, which decides the ssid's bold half: bob sent the Reveal Signature (first half), alice the Signature (second half).",
            valueName: "role"))
        var akeRole: AKERole?

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !theirPublic.isEmpty else { throw ValidationError("--their-public is required") }
        }

        func run() throws {
            let ours = try dhPrivate.readDHKeyPair("--dh-private")
            let diagnostics = Diagnostics(command: "derive")
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            let theirs = try theirPublic.map { (MPI(publicBytes: try $0.read("--their-public").octets), "\($0)") }
            DeriveReport(role: akeRole).write(ours: ours, theirPublic: theirs, json: output.json, to: out, diagnostics: diagnostics)
            out.flush()
            try diagnostics.finish()
        }
    }

    struct MACKey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mac-key",
            abstract: "The MAC key of a data-message AES key: SHA-1 of it (otr_mackey)."
        )

        @Option(name: .customLong("aes-key"), help: ArgumentHelp("A 16-byte AES key; repeatable.", valueName: "secret"))
        var aesKeys: [SecretSource] = []

        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard !aesKeys.isEmpty else { throw ValidationError("--aes-key is required") }
        }

        func run() throws {
            let out = OutputSink.standardOutput()
            defer { out.flush() }
            DeriveReport.writeMACKeys(try aesKeys.map { try $0.read("--aes-key", count: 16) }, json: output.json, to: out)
        }
    }
}

/// `--ake-role alice|bob`.
extension AKERole: ExpressibleByArgument {}
