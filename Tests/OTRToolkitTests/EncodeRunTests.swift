import Foundation
import OTR
import OTRToolkit
import Testing

/// encode's JSON Lines in process, as the command runs them over standard
/// input: decode --json | encode gives back the capture byte for byte
/// (log prefixes, odd offers, bytes that are not UTF-8, lines of several
/// items), edited offers are rebuilt in the spec's form, and each bad line
/// is one problem. The subcommands that build messages from options are
/// the end-to-end tests' (EncodeCommandTests).
struct EncodeRunTests {
    @Test("decode --json | encode rebuilds the example capture byte for byte, each message back in its log line")
    func theCaptureIsRebuiltWithItsLogPrefixes() throws {
        let original = try [UInt8](Data(contentsOf: ToolkitFixtures.root.appendingPathComponent("examples/capture.log")))
        let json = try InProcessRun.decode(original)
        #expect(json.status == .success, "\(json.errors)")
        let rebuilt = try InProcessRun.encode(json.stdout)
        #expect(rebuilt.status == .success, "\(rebuilt.errors)")
        #expect(rebuilt.stdout == original, "line 1: \(rebuilt.lines.first?.prefix(80) ?? ""); line 2: \(rebuilt.lines.dropFirst().first?.prefix(80) ?? "")")
        // Each kind that stands in a log line goes back into it.
        let lines = ["[t] <b> ?OTR:AAMKAAA=. after", "[t] <b> ?OTR,00001,00002,ab,", "[t] <b> ?OTR Error: gone", "[t] <b> ?OTRz x"]
        let odd = try InProcessRun.decode(Array((lines.joined(separator: "\n") + "\n").utf8))
        let back = try InProcessRun.encode(odd.stdout)
        #expect(back.lines == lines, "\(back.out)")
    }

    @Test func decodeJSONGivesBackOddOffersAndTextThatIsNotUTF8ByteForByte() throws {
        // Repeated and unknown identifiers in their own order, identifiers
        // and text that are not UTF-8, an unterminated list, the old
        // "?OTR?v2?" form, a tag with a repeated block, a message cut
        // short, one without its ".", a "?OTR" that begins nothing: what a
        // capture may hold, written back as it was.
        var input: [UInt8] = []
        for line: [UInt8] in [Array("x ?OTRv233x? y".utf8), Array("?OTRv2".utf8) + [0xff] + Array("3? hi".utf8),
                              Array("?OTR?v2?".utf8), Array("?OTRv3".utf8), Array("caf".utf8) + [0xe9] + Array(" ?OTRv3?".utf8),
                              Array("?OTR Error: ".utf8) + [0xff] + Array(" bad".utf8), [0xfe, 0xfd] + Array(" plain".utf8),
                              Array("hello \t  \t\t\t\t \t \t \t    \t\t  \t\t  \t\t  \t\t  \t\t  \t \tthere".utf8),
                              Array("?OTR:AAMKAAA=.".utf8), Array("?OTR:AAMK".utf8), Array("?OTR".utf8)] {
            input += line + [0x0a]
        }
        let json = try InProcessRun.decode(input)
        let rebuilt = try InProcessRun.encode(json.stdout)
        #expect(rebuilt.status == .success, "\(rebuilt.errors)")
        #expect(rebuilt.stdout == input, "decode --json | encode changed the bytes: \(rebuilt.out)")
    }

    @Test("a line of several offers: each is written back into its own text, and the pieces in order give the line")
    func severalOffersOnALineRebuildTheLineInPieces() throws {
        let tag = " \t  \t\t\t\t \t \t \t  " + "  \t\t  \t\t"
        let line = "<bob> ?OTRv2? between ?OTRv3? then\(tag) end"
        let json = try InProcessRun.decode(Array((line + "\n").utf8))
        #expect(try json.jsonLines().map { $0["text_offset"] as? Int } == [6, 0, 0])
        let rebuilt = try InProcessRun.encode(json.stdout)
        #expect(rebuilt.status == .success, "\(rebuilt.errors)")
        #expect(rebuilt.lines == ["<bob> ?OTRv2? between ", "?OTRv3? then", tag + " end"])
        #expect(rebuilt.lines.joined() == line)
    }

    @Test func editedVersionsRebuildTheOfferInTheSpecsForm() throws {
        // decode printed "offer" "?OTRv3?"; versions edited to 2 and a byte
        // 0xfe (as \xfe): the offer no longer matches, so it is rebuilt.
        let edited = #"{"kind":"query","versions":[2],"other_versions":["\\xfe"],"offer":"?OTRv3?","text":" hi","offset":0}"#
        let r = try InProcessRun.encode(Array((edited + "\n").utf8))
        #expect(r.status == .success, "\(r.errors)")
        #expect(r.stdout == Array("?OTRv2".utf8) + [0xfe] + Array("? hi\n".utf8))
    }

    @Test func eachBadJSONLineIsOneErrorAndTheNextLineIsStillEncoded() throws {
        let good = #"{"kind":"dh-key","version":2,"gy":"0100"}"#
        let bad = [
            ("[1, 2]", "expected a JSON object"),
            (#"{"kind":"dh-key","version":3,"receiver_instance":0,"gy":"0100"}"#, "field \"sender_instance\" is missing"),
            (#"{"kind":"dh-key","version":2,"gy":"01zz"}"#, "field \"gy\""),
            (#"{"kind":"dh-key","version":3,"sender_instance":4294967296,"receiver_instance":0,"gy":"02"}"#,
             "field \"sender_instance\": 4294967296 is outside 0...4294967295"),
            (String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "nested deeper than"),
        ]
        let input = bad.map { $0.0 + "\n" + good + "\n" }.joined()
        let result = try InProcessRun.encode(Array(input.utf8))
        #expect(result.status == .malformedInput)
        let errors = result.errors
        try #require(errors.count == bad.count, "\(errors)")
        for (i, (error, (_, expected))) in zip(errors, bad).enumerated() {
            #expect(error.hasPrefix("otrtool encode: -:\(2 * i + 1): "), "\(error)")
            #expect(error.contains(expected), "\(error)")
        }
        // 00 02 0a, then the MPI 00000002 0100: once for every good line.
        let expected = "?OTR:" + Base64.encodeString([0, 2, 0x0a, 0, 0, 0, 2, 1, 0]) + "."
        #expect(result.lines == Array(repeating: expected, count: bad.count))
    }
}
