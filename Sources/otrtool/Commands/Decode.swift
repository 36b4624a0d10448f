import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Show every field of every OTR message in the input; verify, decrypt and check with given keys.",
            discussion: """
                Finds OTR messages anywhere in the input: whole lines, log lines with \
                timestamps and names, XMPP <body> elements (XML entities unescaped), \
                and encoded messages whose base64 is wrapped over several lines. \
                Every message is shown with all its fields: query messages, \
                whitespace-tagged and plain text, error messages, fragments, D-H \
                Commit, D-H Key, Reveal Signature, Signature and Data messages of \
                versions 2 and 3; version 1 messages and unknown versions are \
                labelled, never misread.

                With --aes-key (or only --mac-key) a Data message's MAC is verified \
                and its text and TLVs (SMP values included) are decrypted. With a D-H \
                private exponent of either party (--dh-private) or an AKE's shared \
                secret (--ake-secret), the AKE keys and the data keys are derived from \
                the public values in the input, the Reveal Signature and Signature \
                payloads are decrypted and their signatures verified, naming the \
                long-term keys and their fingerprints. A Reveal Signature's revealed \
                key opens the D-H Commit's g^x for anyone; that is always done.

                SMP messages decrypted are checked as far as anyone watching can \
                (spec "SMP state machine"): the proofs of knowledge c2/D2 and c3/D3 \
                of messages 1 and 2 from their own values, the proofs cR/D7 of \
                messages 3 and 4 from the values of the earlier messages of the \
                same exchange; cP/D5/D6 need g2 and g3, which only the parties can \
                compute, and are unverifiable unless one party's secret exponents are \
                given (--smp-exponent: a2 and a3, or b2 and b3), which also tell \
                whether the secrets agreed (Pa/Pb = Rab). Both parties' secrets \
                (--smp-secret, twice) are checked against that outcome and against \
                an abort where message 4 is due. A failing proof, differing secrets \
                and an exchange against the secrets given are failed checks (exit \
                1). An SMP message or abort out of the spec's order is named with \
                the message that was due (python-potr aborts where the spec sends \
                message 4 when the secrets differ).

                EXPLAIN. With --explain, each message a receiver could not have \
                accepted, had every message of the capture been delivered in its \
                order, gets explanations ("explanations" in JSON) in the spec's \
                words: a Data message while the AKE of its instances is under way \
                or after a disconnect, a stale or future sender or recipient key id \
                (which key was forgotten, since which line), a reused counter, a MAC \
                that does not verify, a receiver instance of 0 or one the sender has \
                no session with, a MAC key an earlier message revealed (which line), \
                an SMP message out of its exchange's order or with a proof that \
                fails, a fragment that breaks its series (which series, begun \
                where), a message delivered twice (the line of the first); a \
                "[resent] " text names the line it repeats, an OTR Error \
                the unreadable message it most likely answers, and a D-H Commit or \
                D-H Key sent again the message of the AKE before that was lost (D-H \
                Key, Reveal Signature or Signature). The parties are the version 3 \
                instance tags (in version 2, which names none, the holder of a \
                --dh-private key and its peer, for the messages that key opens), \
                their keys learnt from the messages each sends and receives.

                Rules of the spec a message breaks are named on standard error with \
                the line; the exit status is 2 for malformed input and 1 when a MAC, \
                signature, commitment or SMP proof does not verify.

                OUTPUT SIZE. What decode writes grows linearly with its input, however \
                hostile: standard output and standard error together hold at most \
                \(DecodeOutputBound.bytesPerInputByte) bytes for each byte of input plus \
                \(DecodeOutputBound.bytesPerLine) for each line (and the input's \
                name in each item and each diagnostic). The text \
                around a query, whitespace tag, encoded message, fragment or error \
                (a log's timestamp and name) is shown with it only up to the items \
                on either side (text between two items goes with the first), so each \
                byte of a line is shown once however many offers it holds. A line is \
                scanned for at most \(PlaintextScanner.maximumFindings) items; the rest \
                of it is shown as plain text. parse-tag, fragment join and forge \
                transcript keep within the same bound.
                """
        )

        @OptionGroup var input: InputOptions
        @OptionGroup var output: OutputOptions
        @OptionGroup var secrets: SecretOptions

        @Flag(help: "Replay the receivers' state over the capture (AKE, key ids, revealed MAC keys, SMP, fragments, disconnects) and say why each message a receiver could not have accepted failed, and which AKE message a restarted AKE lost.")
        var explain = false

        func run() throws {
            try DecodeSession.run(keys: try secrets.load(), json: output.json, showKeys: secrets.showKeys, explain: explain,
                                  lines: input.lines())
        }
    }
}
