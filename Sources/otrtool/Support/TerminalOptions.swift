import ArgumentParser

/// --allow-terminal, for the commands that can write a private key to
/// standard output (keygen, convert-key --to libotr).
struct TerminalOptions: ParsableArguments {
    @Flag(name: .long, help: "Write a private key to standard output even when it is a terminal (where scrollback and screen sharing keep it).")
    var allowTerminal = false
}
