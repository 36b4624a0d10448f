import OTRToolkit
import ArgumentParser

/// `--json`: JSON Lines instead of text, one object per result.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Write JSON Lines: one object per result, bytes as lowercase hex.")
    var json = false
}
