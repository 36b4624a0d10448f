import Foundation
import Testing

struct ParseTagCommandTests {
    static let tagBase = " \t  \t\t\t\t \t \t \t  "
    static let tagV2 = "  \t\t  \t "
    static let tagV3 = "  \t\t  \t\t"

    @Test func reportsQueryTagAndErrorLinesWithJSONFields() throws {
        let input = "12:00 <alice> ?OTRv23? Alice wants OTR\n"
            + "Hi" + Self.tagBase + Self.tagV3 + Self.tagV2 + " there\n"
            + "?OTR Error: unreadable\n"
            + "just text\n"
        let result = try Tool.run(["parse-tag", "--json"], input: input)
        #expect(result.status == 0, "\(result.err)")
        let objects = try Tool.jsonLines(result)
        try #require(objects.count == 4)

        let query = try #require((objects[0]["findings"] as? [[String: Any]])?.first)
        #expect(query["kind"] as? String == "query")
        #expect(query["offset"] as? Int == 14)
        #expect(query["length"] as? Int == 8)
        #expect(query["versions"] as? [Int] == [2, 3])
        #expect(objects[0]["best_version"] as? Int == 3)
        #expect(objects[0]["text"] as? String == "12:00 <alice>  Alice wants OTR")
        #expect(objects[0]["line"] as? Int == 1)
        #expect(objects[0]["source"] as? String == "-")

        let tag = try #require((objects[1]["findings"] as? [[String: Any]])?.first)
        #expect(tag["kind"] as? String == "whitespace-tag")
        #expect(tag["versions"] as? [Int] == [3, 2])
        #expect(tag["offset"] as? Int == 2)
        #expect(tag["length"] as? Int == 32)
        #expect(objects[1]["text"] as? String == "Hi there")

        let error = try #require((objects[2]["findings"] as? [[String: Any]])?.first)
        #expect(error["kind"] as? String == "error")
        #expect(error["message"] as? String == "unreadable")

        #expect((objects[3]["findings"] as? [Any])?.isEmpty == true)
        #expect(objects[3]["best_version"] is NSNull)
    }

    @Test func humanOutputNamesEveryFinding() throws {
        let result = try Tool.run(["parse-tag"], input: "?OTR?v24x? hello\n")
        #expect(result.status == 0)
        #expect(result.lines == [
            "-:1: query message at byte 0, 10 bytes: \"?OTR?v24x?\" offers 1, 2, 4, x",
            "-:1: best version: version 2",
            "-:1: text: \" hello\"",
        ])
    }

    @Test func aRuleBrokenIsOneStderrLineExitTwoAndTheRunGoesOn() throws {
        let result = try Tool.run(["parse-tag", "--json"], input: "?OTRv3\n?OTRv2?\n")
        #expect(result.status == 2)
        #expect(result.err == "otrtool parse-tag: -:1: query message at byte 0: version list not terminated by \"?\"\n")
        let objects = try Tool.jsonLines(result)
        #expect(objects.count == 2)
        let second = try #require((objects[1]["findings"] as? [[String: Any]])?.first)
        #expect(second["versions"] as? [Int] == [2])
    }

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

    @Test func aHugeLineIsSkippedWithinTheLimitAndTheNextLineStillParsed() throws {
        var input = Data(repeating: UInt8(ascii: "A"), count: 3 << 20)
        input.append(contentsOf: Array("\n?OTRv3?\n".utf8))
        let result = try Tool.run(["parse-tag", "--json", "--max-line-length", "1048576"], stdin: input)
        #expect(result.status == 2)
        #expect(result.err.contains("-:1: line of 3145728 bytes exceeds --max-line-length 1048576; skipped"))
        let objects = try Tool.jsonLines(result)
        #expect(objects.count == 1)
        #expect(objects.first?["line"] as? Int == 2)
    }

    @Test func invalidUTF8AndCarriageReturnsAreHandled() throws {
        var input = Data([0xff, 0xfe])
        input.append(contentsOf: Array("?OTRv3?\r\n".utf8))
        let result = try Tool.run(["parse-tag", "--json"], stdin: input)
        #expect(result.status == 0)
        let object = try #require(try Tool.jsonLines(result).first)
        #expect(object["text_hex"] as? String == "fffe")
        let human = try Tool.run(["parse-tag"], stdin: input)
        #expect(human.lines.last == "-:1: text: \"\\xff\\xfe\"")
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
