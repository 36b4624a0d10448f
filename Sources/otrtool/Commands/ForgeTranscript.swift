import ArgumentParser
import OTR
import OTRToolkit

extension OTRTool.Forge {
    struct Transcript: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transcript",
            abstract: "Report which messages of a capture anyone can forge with the MAC keys revealed in it; write it with messages altered."
        )

        @Argument(help: ArgumentHelp("The capture; standard input when absent or \"-\".", valueName: "file"), completion: .file())
        var file: String = "-"

        @Option(name: .customLong("modify"), help: ArgumentHelp(
            "Change known plaintext of the Data message on LINE: the bytes OLD at OFFSET become NEW (as long as OLD); repeatable.",
            valueName: "line:offset:old:new"))
        var modifications: [String] = []

        @Option(name: .customLong("rewrite"), help: ArgumentHelp(
            "Encrypt TEXT in place of the Data message on LINE; needs its AES key (--aes-key); repeatable.",
            valueName: "line:text"))
        var rewrites: [String] = []

        @Option(name: .customLong("aes-key"), help: ArgumentHelp("An AES key a party held; repeatable.", valueName: "secret"))
        var aesKeys: [SecretSource] = []

        @Option(name: .customLong("mac-key"), help: ArgumentHelp("A MAC key a party held, beyond those revealed; repeatable.", valueName: "secret"))
        var macKeys: [SecretSource] = []

        @OptionGroup var output: OutputOptions

        func edits() throws -> [TranscriptEditor.Edit] {
            do {
                return try modifications.map(TranscriptEditor.Edit.init(modify:)) + rewrites.map(TranscriptEditor.Edit.init(rewrite:))
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func validate() throws {
            _ = try edits()
            if !rewrites.isEmpty && aesKeys.isEmpty {
                throw ValidationError("--rewrite needs the message's AES key (--aes-key): revealed MAC keys do not decrypt")
            }
        }

        func run() throws {
            try TranscriptForge(file: file, edits: try edits(), aesKeys: try aesKeys.map { try $0.read("--aes-key", count: 16) },
                                macKeys: try macKeys.map { try $0.read("--mac-key", count: 20) }, json: output.json).run()
        }
    }
}
