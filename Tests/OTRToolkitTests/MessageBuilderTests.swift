import Testing
import OTR
import OTRToolkit

/// decode's JSON and encode's builder, in process: each item of the
/// example captures, reported as decode reports it, is rebuilt by the
/// builder to the bytes it was read from.
@Suite struct MessageBuilderTests {
    static func decodeJSON(_ item: CapturedItem) throws -> JSONValue {
        let session = DecodeSession(keys: CaptureKeys(), json: true, showKeys: false, out: .standardOutput(),
                                    diagnostics: Diagnostics(command: "test"))
        let entry = session.decode(item)
        return try JSONParser.parse(DecodeReport(showKeys: false, keysGiven: false).json(entry))
    }

    @Test("decode --json then encode rebuilds the line of every message of the example captures", arguments: ["examples/capture.log", "Fuzz/Corpus/capture/libotr-v3-smp.log", "Fuzz/Corpus/capture/potr.log"])
    func roundTrip(_ path: String) throws {
        let lines = try ToolkitFixtures.lines(path)
        let items = ToolkitFixtures.items(ToolkitFixtures.read(lines))
        var rebuilt = 0
        for item in items {
            guard case .encoded(let armoured) = item.item.kind, item.message != nil else { continue }
            let json = try Self.decodeJSON(item)
            // The message comes back in the text around it: the whole line.
            let built = try MessageBuilder().build(json)
            #expect(built.firstRange(of: armoured) != nil, "line \(item.location.line)")
            #expect(String(decoding: built, as: UTF8.self) == String(decoding: lines[item.location.line - 1], as: UTF8.self))
            rebuilt += 1
        }
        #expect(rebuilt >= 4)
    }

    @Test("a field out of range or of the wrong type is refused, naming the field")
    func refusals() throws {
        let items = ToolkitFixtures.items(ToolkitFixtures.read(try ToolkitFixtures.lines("examples/capture.log")))
        let data = try #require(items.first { if case .data? = $0.message { true } else { false } })
        guard case .object(let fields) = try Self.decodeJSON(data) else { Issue.record("not an object"); return }
        for (name, bad) in [("sender_keyid", JSONValue.string("x")), ("counter", .string("00")), ("flags", .number("256"))] {
            #expect(fields[name] != nil, "decode's JSON has \(name)")
            var changed = fields
            changed[name] = bad
            let broken = JSONValue.object(changed)
            #expect(throws: (any Error).self, "\(name)") { try MessageBuilder().build(broken) }
            do { _ = try MessageBuilder().build(broken) } catch { #expect("\(error)".contains(name), "\(error)") }
        }
        #expect(throws: (any Error).self) { try MessageBuilder().build(.array([])) }
        #expect(throws: (any Error).self) { try MessageBuilder().build(.object(["kind": .string("no such kind")])) }
    }
}
