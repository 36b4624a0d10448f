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

        typealias Edit = TranscriptEditor.Edit

        func edits() throws -> [Edit] {
            var result: [Edit] = []
            for spec in modifications {
                let parts = spec.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
                guard parts.count == 4, let line = Int(parts[0]), line > 0, let offset = Int(parts[1]), offset >= 0 else {
                    throw ValidationError("--modify \(spec.argumentText): expected LINE:OFFSET:OLD:NEW")
                }
                let old = String(parts[2]).argumentBytes, new = String(parts[3]).argumentBytes
                guard old.count == new.count else {
                    throw ValidationError("--modify \(spec.argumentText): OLD is \(old.count) bytes and NEW \(new.count); they must be equally long")
                }
                result.append(Edit(line: line, change: .modify(offset: offset, old: old, new: new)))
            }
            for spec in rewrites {
                let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let line = Int(parts[0]), line > 0 else {
                    throw ValidationError("--rewrite \(spec.argumentText): expected LINE:TEXT")
                }
                result.append(Edit(line: line, change: .rewrite(text: String(parts[1]).argumentBytes)))
            }
            return result
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
