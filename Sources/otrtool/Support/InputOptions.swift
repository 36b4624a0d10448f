import OTRToolkit
import ArgumentParser
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

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

    /// Calls `body` for every line of every source. An unreadable source or
    /// an over-long line is reported to `diagnostics` and skipped; `skipped`
    /// hears of each line skipped, for a caller that must not lose one.
    func forEachLine(diagnostics: Diagnostics, delimiter: UInt8 = 0x0a,
                     skipped: ((_ location: SourceLocation) -> Void)? = nil,
                     _ body: (_ location: SourceLocation, _ line: [UInt8]) throws -> Void) rethrows {
        let maxLineLength = self.maxLineLength
        for source in sources {
            let fd: Int32
            switch InputFile.open(source) {
            case .success(let opened): fd = opened
            case .failure(let failure):
                diagnostics.report(nil, failure.description, status: failure.status)
                continue
            }
            defer { InputFile.close(fd) }
            var reader = LineReader(fd: fd, maximumLineLength: maxLineLength, delimiter: delimiter)
            var number = 0
            while let line = reader.next() {
                number += 1
                let location = SourceLocation(source: source, line: number)
                switch line {
                case .text(let bytes):
                    try body(location, bytes)
                case .tooLong(let length):
                    diagnostics.report(location.description,
                                       "line of \(length) bytes exceeds --max-line-length \(maxLineLength); skipped",
                                       status: .malformedInput)
                    skipped?(location)
                }
            }
            if let err = reader.readError {
                diagnostics.report(nil, "reading \(InputFile.name(source)): \(String(cString: strerror(err)))", status: .ioError)
            }
        }
    }
}
