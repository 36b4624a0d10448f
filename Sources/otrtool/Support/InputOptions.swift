import OTRToolkit
import ArgumentParser

/// The input every filter subcommand takes: files named as arguments, or
/// standard input when there are none; "-" names standard input.
struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Input files; standard input when none is given, and for \"-\".",
                                 valueName: "file"),
              completion: .file())
    var files: [String] = []

    @Option(name: .long,
            help: ArgumentHelp("Longest input line accepted, in bytes; longer lines are skipped and reported.",
                               valueName: "bytes"))
    var maxLineLength: Int = LineReader.defaultMaximumLineLength

    func validate() throws {
        guard maxLineLength > 0 else {
            throw ValidationError("--max-line-length must be positive")
        }
    }

    /// The sources in order; "-" is standard input.
    var sources: [String] { files.isEmpty ? ["-"] : files }

    /// The lines of the inputs, each ending at `delimiter`.
    func lines(delimiter: UInt8 = 0x0a) -> InputLines {
        InputLines(sources: sources, maximumLineLength: maxLineLength, delimiter: delimiter)
    }

    /// Calls `body` for every line of every source (`InputLines.forEach`).
    func forEachLine(diagnostics: Diagnostics, delimiter: UInt8 = 0x0a,
                     skipped: ((_ location: SourceLocation) -> Void)? = nil,
                     _ body: (_ location: SourceLocation, _ line: [UInt8]) throws -> Void) rethrows {
        try lines(delimiter: delimiter).forEach(diagnostics: diagnostics, skipped: skipped, body)
    }
}
