#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The lines of a filter's inputs: the files named, in order ("-" is
/// standard input), each read a line at a time within a length bound.
public struct InputLines {
    public let sources: [String]
    public let maximumLineLength: Int
    public let delimiter: UInt8
    /// What "-" reads: standard input, or for an in-process run a file
    /// of its own (left open).
    public let standardInput: Int32

    public init(sources: [String], maximumLineLength: Int, delimiter: UInt8 = 0x0a, standardInput: Int32 = 0) {
        self.sources = sources
        self.maximumLineLength = maximumLineLength
        self.delimiter = delimiter
        self.standardInput = standardInput
    }

    /// A line over the limit, skipped: what every reader of lines reports.
    public static func lineTooLong(_ length: Int, limit: Int) -> Problem {
        Problem.malformed("line of \(length) bytes exceeds --max-line-length \(limit); skipped")
    }

    /// Calls `body` for every line of every source. An unreadable source or
    /// an over-long line is reported to `diagnostics` and skipped; `skipped`
    /// hears of each line skipped, for a caller that must not lose one.
    public func forEach(diagnostics: Diagnostics, skipped: ((_ location: SourceLocation) -> Void)? = nil,
                        _ body: (_ location: SourceLocation, _ line: [UInt8]) throws -> Void) rethrows {
        for source in sources {
            let fd: Int32
            switch InputFile.open(source, standardInput: standardInput) {
            case .success(let opened): fd = opened
            case .failure(let problem):
                diagnostics.report(nil, problem)
                continue
            }
            defer { if source != "-" { InputFile.close(fd) } }
            var reader = LineReader(fd: fd, maximumLineLength: maximumLineLength, delimiter: delimiter)
            var number = 0
            while let line = reader.next() {
                number += 1
                let location = SourceLocation(source: source, line: number)
                switch line {
                case .text(let bytes):
                    try body(location, bytes)
                case .tooLong(let length):
                    diagnostics.report(location.description, Self.lineTooLong(length, limit: maximumLineLength))
                    skipped?(location)
                }
            }
            if let err = reader.readError {
                diagnostics.report(nil, Problem("reading \(InputFile.name(source)): \(String(cString: strerror(err)))", status: .ioError))
            }
        }
    }
}
