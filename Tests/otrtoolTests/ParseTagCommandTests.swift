import Foundation
import Testing

/// parse-tag end to end: files named on the command line, the --make-*
/// options and their usage errors. Its reading of lines is tested in
/// process (OTRToolkitTests/ParseTagRunTests).
struct ParseTagCommandTests {
    static let tagBase = " \t  \t\t\t\t \t \t \t  "
    static let tagV2 = "  \t\t  \t "
    static let tagV3 = "  \t\t  \t\t"

    @Test func filesAreNamedInLocationsAndAMissingFileIsExit66() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("otrtool-parse-tag-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("log.txt")
        try Data("?OTRv3?\n".utf8).write(to: file)
        let result = try Tool.run(["parse-tag", file.path, dir.appendingPathComponent("missing").path])
        #expect(result.status == 66)
        #expect(result.out.hasPrefix("\(file.path):1: query message"))
        #expect(result.err.contains("cannot open \(dir.path)/missing"))
    }

    @Test func makeQueryAndMakeTagBuildWhatParseTagReadsBack() throws {
        let query = try Tool.run(["parse-tag", "--make-query", "23"])
        #expect(query.out == "?OTRv23?\n")
        let v1 = try Tool.run(["parse-tag", "--make-query", "1,2"])
        #expect(v1.out == "?OTR?v2?\n")
        let tag = try Tool.run(["parse-tag", "--make-tag", "32", "--text", "Hi"])
        #expect(tag.out == "Hi" + Self.tagBase + Self.tagV3 + Self.tagV2 + "\n")
        let back = try Tool.run(["parse-tag", "--json"], stdin: tag.stdout)
        let finding = try #require((try Tool.jsonLines(back).first?["findings"] as? [[String: Any]])?.first)
        #expect(finding["versions"] as? [Int] == [3, 2])
    }

    @Test func usageErrorsExit64() throws {
        #expect(try Tool.run(["parse-tag", "--make-query", "2?"]).status == 64)
        #expect(try Tool.run(["parse-tag", "--make-query", "2", "--make-tag", "3"]).status == 64)
        #expect(try Tool.run(["parse-tag", "--no-such-option"]).status == 64)
        #expect(try Tool.run(["parse-tag", "--text", "x"]).status == 64)
    }
}
