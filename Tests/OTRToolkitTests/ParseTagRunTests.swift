import Foundation
import OTRToolkit
import Testing

/// parse-tag in process, as the command runs it over standard input:
/// queries, whitespace tags and errors found in lines, the rules broken,
/// over-long lines and bytes that are not UTF-8. Files named on the
/// command line and the --make-* options are the end-to-end tests'.
struct ParseTagRunTests {
    static let tagBase = " \t  \t\t\t\t \t \t \t  "
    static let tagV2 = "  \t\t  \t "
    static let tagV3 = "  \t\t  \t\t"

    @Test func reportsQueryTagAndErrorLinesWithJSONFields() throws {
        let input = "12:00 <alice> ?OTRv23? Alice wants OTR\n"
            + "Hi" + Self.tagBase + Self.tagV3 + Self.tagV2 + " there\n"
            + "?OTR Error: unreadable\n"
            + "just text\n"
        let result = try InProcessRun.parseTag(Array(input.utf8), json: true)
        #expect(result.status == .success, "\(result.errors)")
        let objects = try result.jsonLines()
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
        let result = try InProcessRun.parseTag(Array("?OTR?v24x? hello\n".utf8))
        #expect(result.status == .success)
        #expect(result.lines == [
            "-:1: query message at byte 0, 10 bytes: \"?OTR?v24x?\" offers 1, 2, 4, x",
            "-:1: best version: version 2",
            "-:1: text: \" hello\"",
        ])
    }

    @Test func aRuleBrokenIsOneStderrLineExitTwoAndTheRunGoesOn() throws {
        let result = try InProcessRun.parseTag(Array("?OTRv3\n?OTRv2?\n".utf8), json: true)
        #expect(result.status == .malformedInput)
        #expect(result.errors == ["otrtool parse-tag: -:1: query message at byte 0: version list not terminated by \"?\""])
        let objects = try result.jsonLines()
        #expect(objects.count == 2)
        let second = try #require((objects[1]["findings"] as? [[String: Any]])?.first)
        #expect(second["versions"] as? [Int] == [2])
    }

    @Test func aHugeLineIsSkippedWithinTheLimitAndTheNextLineStillParsed() throws {
        let input = [UInt8](repeating: UInt8(ascii: "A"), count: 3 << 20) + Array("\n?OTRv3?\n".utf8)
        let result = try InProcessRun.parseTag(input, json: true, maximumLineLength: 1048576)
        #expect(result.status == .malformedInput)
        #expect(result.errors == ["otrtool parse-tag: -:1: line of 3145728 bytes exceeds --max-line-length 1048576; skipped"])
        let objects = try result.jsonLines()
        #expect(objects.count == 1)
        #expect(objects.first?["line"] as? Int == 2)
    }

    @Test func invalidUTF8AndCarriageReturnsAreHandled() throws {
        let input: [UInt8] = [0xff, 0xfe] + Array("?OTRv3?\r\n".utf8)
        let result = try InProcessRun.parseTag(input, json: true)
        #expect(result.status == .success)
        let object = try #require(try result.jsonLines().first)
        #expect(object["text_hex"] as? String == "fffe")
        let human = try InProcessRun.parseTag(input)
        #expect(human.lines.last == "-:1: text: \"\\xff\\xfe\"")
    }
}
