import Foundation
import OTR
import OTRToolkit
import Testing

/// fragment split and join in process, as the commands run them: forms,
/// tags, presets, records, reassembly problems, log lines. The options'
/// own rules (usage errors) are the end-to-end tests' (FragmentCommandTests).
struct FragmentRunTests {
    static let dataV3 = "?OTR:AAMDx4t/nMazYm0BAAAAAgAAAAIAAADArPRC6rtFUK/DyhWfpAJJM1fNRSDSifajd9r8Wy+izhaoEBKqrGSIvIoYAqHN+GRZMj0X."

    static func split(_ input: String, size: Int, form: FragmentSplitter.FormChoice = .auto, sender: UInt32? = nil,
                      receiver: UInt32? = nil, padded: Bool = true, json: Bool = false) throws -> InProcessRun {
        try InProcessRun.fragmentSplit(Array(input.utf8), size: size, form: form, sender: sender, receiver: receiver,
                                       padded: padded, json: json)
    }

    @Test func splitTakesFormAndTagsFromTheMessageHeader() throws {
        let result = try Self.split(Self.dataV3 + "\n", size: 60)
        #expect(result.status == .success, "\(result.errors)")
        // 106 bytes in pieces of 60 - 37 = 23.
        #expect(result.lines.count == 5)
        #expect(result.lines.first == "?OTR|c78b7f9c|c6b3626d,00001,00005,\(Self.dataV3.prefix(23)),")
        #expect(result.lines.last == "?OTR|c78b7f9c|c6b3626d,00005,00005,\(Self.dataV3.dropFirst(92)),")
        #expect(result.lines.allSatisfy { $0.utf8.count <= 59 })
    }

    @Test func splitOptionsOverrideAndShortMessagesPassWhole() throws {
        let result = try Self.split("short\n" + String(repeating: "a", count: 41) + "\n", size: 40, form: .v3,
                                sender: 0x100, receiver: 0x200)
        #expect(result.status == .success, "\(result.errors)")
        #expect(result.lines == [
            "short",
            "?OTR|00000100|00000200,00001,00014,aaa,",
        ] + (2...14).map { "?OTR|00000100|00000200,\(String(format: "%05d", $0)),00014,\($0 == 14 ? "aa" : "aaa")," })
    }

    @Test func presetsAndUnpaddedPotrForm() throws {
        let message = String(repeating: "b", count: 500)
        let irc = try Self.split(message + "\n", size: FragmentPreset.irc.size)
        #expect(irc.lines.count == 2)
        #expect(irc.lines[0] == "?OTR,00001,00002," + String(repeating: "b", count: 398) + ",")
        let potr = try Self.split(message + "\n", size: 60, padded: false)
        #expect(potr.lines.first == "?OTR,1,13," + String(repeating: "b", count: 41) + ",")
    }

    @Test func splitThenJoinGivesBackTheInput() throws {
        var input = ""
        for i in 0..<50 {
            input += String(repeating: "x\(i),", count: i * 7 + 1) + "\n"
        }
        input += Self.dataV3 + "\n"
        let split = try Self.split(input, size: 50)
        #expect(split.status == .success)
        let joined = try InProcessRun.fragmentJoin(split.stdout)
        #expect(joined.status == .success, "\(joined.errors)")
        #expect(joined.out == input)
    }

    @Test func wholeAndNulRecordsCarryNewlinesInsideAMessage() throws {
        // 82 bytes; at size 40 a v2 piece is 21 bytes: 4 fragments.
        let query = "?OTRv23?\n<b>alice</b> has requested an Off-the-Record conversation, see the site."
        let split = try InProcessRun.fragmentSplit(Array(query.utf8), size: 40, whole: true, terminator: 0)
        #expect(split.status == .success, "\(split.errors)")
        let records = split.out.split(separator: "\0").map(String.init)
        #expect(records.count == 4)
        #expect(records.first == "?OTR,00001,00004,\(query.prefix(21)),")
        #expect(records.last == "?OTR,00004,00004,\(query.dropFirst(63)),")
        let joined = try InProcessRun.fragmentJoin(split.stdout, terminator: 0)
        #expect(joined.out == query + "\0")
        // Without -z, --whole drops the one newline that ends the input.
        let lines = try InProcessRun.fragmentSplit(Array((query + "\n").utf8), size: 40, whole: true)
        #expect(lines.out.hasSuffix("site.,\n"))
    }

    @Test func joinReportsEveryProblemWithLineAndExitsTwo() throws {
        let input = [
            "?OTR,1,3,a,",            // 1
            "?OTR,2,3,b,",            // 2
            "?OTR,2,3,b,",            // 3 duplicate
            "?OTR,0,3,c,",            // 4 malformed
            "12:00 <bob> ?OTR|00000100|00000200,00001,00002,X,",  // 5
            "plain text",             // 6
            "?OTR|00000100|00000200,00002,00002,Y,",  // 7
            "?OTR,1,2,p,",            // 8 (last fragment never comes)
        ].joined(separator: "\n") + "\n"
        let result = try InProcessRun.fragmentJoin(Array(input.utf8))
        #expect(result.status == .malformedInput)
        #expect(result.lines == ["plain text", "XY"])
        let errors = result.errors
        #expect(errors == [
            "otrtool fragment join: -:3: duplicate fragment 2 of 3 (v2); the 2 fragments of the message in progress were discarded, as libotr discards them",
            "otrtool fragment join: -:4: malformed fragment: k must be in 1...n (k=0, n=3)",
            "otrtool fragment join: -:8: input ended before the message (v2) was complete: fragment 2 of 2 is missing (1 fragment was received)",
        ])
    }

    @Test func joinJSONHasOneObjectPerMessageAndPerProblem() throws {
        let input = "?OTR|c78b7f9c|c6b3626d,1,2,ab,\n?OTR,00002,00003,z,\n?OTR|c78b7f9c|c6b3626d,2,2,cd,\n"
        let result = try InProcessRun.fragmentJoin(Array(input.utf8), json: true)
        #expect(result.status == .malformedInput)
        let objects = try result.jsonLines()
        try #require(objects.count == 2)
        #expect(objects[0]["event"] as? String == "problem")
        #expect(objects[0]["kind"] as? String == "first-missing")
        #expect(objects[0]["line"] as? Int == 2)
        #expect(objects[0]["missing"] as? [Int] == [1, 1])
        #expect(objects[1]["event"] as? String == "message")
        #expect(objects[1]["message"] as? String == "abcd")
        #expect(objects[1]["sender_hex"] as? String == "c78b7f9c")
        #expect(objects[1]["sender"] as? Int == 0xc78b7f9c)
        #expect(objects[1]["first_line"] as? Int == 1)
        #expect(objects[1]["line"] as? Int == 3)
        #expect(objects[1]["padded"] as? Bool == false)
        #expect(objects[1]["fragments"] as? Int == 2)
    }

    @Test func joinInterleavesAThousandMessages() throws {
        var lines: [String] = []
        for k in 1...3 {
            for m in 0..<1000 {
                lines.append("?OTR|\(String(format: "%08x", 0x1000 + m))|00000100,\(k),3,m\(m)p\(k),")
            }
        }
        let result = try InProcessRun.fragmentJoin(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == .success, "\(result.errors)")
        #expect(result.lines.count == 1000)
        #expect(result.lines.first == "m0p1m0p2m0p3")
    }

    @Test func joinOf100000FragmentsIsBounded() throws {
        var input = [UInt8]()
        input.reserveCapacity(2_000_000)
        for i in 1...100_000 {
            let k = i <= 65535 ? i : i - 65535
            input += Array("?OTR,\(k),65535,y,\n".utf8)
        }
        let result = try InProcessRun.fragmentJoin(input, json: true)
        #expect(result.status == .malformedInput)
        let objects = try result.jsonLines()
        #expect(objects.count == 2)
        #expect(objects.first?["length"] as? Int == 65535)
        #expect(objects.last?["kind"] as? String == "incomplete")
        #expect(objects.last?["missing"] as? [Int] == [34466, 65535])
    }

    @Test("split finds the message in a log line: a v3 message stays v3 and the timestamp and name are not fragmented")
    func splitFindsTheMessageInALogLine() throws {
        let bare = try Self.split(Self.dataV3 + "\n", size: 60)
        let logged = try Self.split("[2026-11-23 12:00:02] <bob@example.org> \(Self.dataV3)\n", size: 60)
        #expect(logged.status == .success, "\(logged.errors)")
        #expect(logged.out == bare.out)
        #expect(logged.lines.first?.hasPrefix("?OTR|c78b7f9c|c6b3626d,00001,00005,?OTR:AAMD") == true, "\(logged.out)")
        let json = try Self.split("<bob> \(Self.dataV3)\n", size: 60, json: true).jsonLines()
        #expect(json.count == 5 && json.allSatisfy { $0["offset"] as? Int == 6 && $0["form"] as? String == "v3" }, "\(json)")
        // Two messages in a line: each is split; the text between goes.
        let two = try Self.split("a \(Self.dataV3) b \(Self.dataV3) c\n", size: 200)
        #expect(two.lines == [Self.dataV3, Self.dataV3])
        // A query is the message from its ?OTR to the end of the line.
        let query = try Self.split("[12:00] <alice> ?OTRv23? alice wants OTR\n", size: 23)
        #expect(query.lines.first == "?OTR,00001,00006,?OTR,", "\(query.out)")
        #expect(try InProcessRun.fragmentJoin(query.stdout).out == "?OTRv23? alice wants OTR\n")
        // split | join gives back the messages.
        let joined = try InProcessRun.fragmentJoin(logged.stdout)
        #expect(joined.out == Self.dataV3 + "\n")
    }

    @Test("split refuses a message cut short, naming it, and goes on")
    func splitRefusesAnUnterminatedMessage() throws {
        let result = try Self.split("<bob> ?OTR:AAMDx4t\nnext\n", size: 60)
        #expect(result.status == .malformedInput)
        #expect(result.errors == ["otrtool fragment split: -:1: encoded message at byte 6: no closing \".\" (truncated?); not split"])
        #expect(result.out == "next\n")
    }
}
