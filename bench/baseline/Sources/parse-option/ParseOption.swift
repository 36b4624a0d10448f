import ArgumentParser

/// One command with one option, the shape of `otrtool derive mac-key
/// --aes-key HEX` without its option group, key handling or output: what
/// any swift-argument-parser program pays before its own code runs.
@main
struct ParseOption: ParsableCommand {
    @Option(help: "Any value; its length is printed.")
    var aesKey: String

    func run() {
        print(aesKey.utf8.count)
    }
}
