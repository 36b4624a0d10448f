import Testing
import OTR
import OTRToolkit

/// The one capture reader decode, forge and forge transcript share.
@Suite struct CaptureReaderTests {
    @Test("every encoded message of the example capture is read once, where it stands")
    func exampleCapture() throws {
        let lines = try ToolkitFixtures.lines("examples/capture.log")
        let items = ToolkitFixtures.items(ToolkitFixtures.read(lines))
        let encoded = items.filter { if case .encoded = $0.item.kind { true } else { false } }
        #expect(encoded.count >= 10)
        for item in encoded {
            #expect(item.message != nil, "line \(item.location.line): \(item.error.map { "\($0)" } ?? "")")
            #expect(item.error == nil)
            // What was read is what the line holds.
            guard case .encoded(let armoured) = item.item.kind else { continue }
            #expect(Armour.wrap(try #require(item.message).serialize()) == armoured)
            #expect(lines[item.location.line - 1].firstRange(of: armoured) != nil)
        }
    }

    @Test("fragments are parsed once and reassembled: the message comes out at its last fragment's line")
    func fragmentsReassembled() throws {
        let lines = try ToolkitFixtures.lines("examples/capture.log")
        let items = ToolkitFixtures.items(ToolkitFixtures.read(lines))
        let data = try #require(items.first { if case .data? = $0.message { true } else { false } })
        guard case .encoded(let armoured) = data.item.kind, case .data(let m)? = data.message else { Issue.record("not encoded"); return }
        // A v3 fragment names the instance tags its message's header names.
        let fragments = try Fragmenter(form: .v3, senderInstance: m.header.senderInstance?.rawValue ?? 0,
                                       receiverInstance: m.header.receiverInstance?.rawValue ?? 0, maximumMessageSize: 60)
            .fragments(of: armoured)
        #expect(fragments.count > 3)
        let log = [Array("first line".utf8)] + fragments.map { Array("12:00 <bob> ".utf8) + $0 } + [Array("last".utf8)]
        let events = ToolkitFixtures.read(log)
        let read = ToolkitFixtures.items(events)
        let pieces = read.filter { if case .fragment = $0.item.kind { true } else { false } }
        #expect(pieces.count == fragments.count)
        #expect(pieces.allSatisfy { $0.fragment != nil && $0.reassembledFrom == nil })
        let whole = try #require(read.first { $0.reassembledFrom != nil })
        #expect(whole.location.line == fragments.count + 1)
        #expect(whole.reassembledFrom?.firstPosition == 2)
        #expect(whole.binary == data.binary)
        #expect(whole.message == data.message)
        let problems = events.compactMap { if case .problem(let l, let m) = $0 { "\(l): \(m)" } else { nil } }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("a broken fragment series is a problem at its line; a new source starts afresh")
    func brokenSeriesAndSources() throws {
        let message = Array("?OTR:AAMD".utf8) + Array(repeating: UInt8(ascii: "A"), count: 191) + [UInt8(ascii: ".")]
        let fragments = try Fragmenter(form: .v2, maximumMessageSize: 60).fragments(of: message)
        var reader = CaptureReader()
        var events: [CaptureReader.Event] = []
        // The first fragment in one file, the rest in another: never joined.
        reader.feed(fragments[0], at: SourceLocation(source: "a.log", line: 1)) { events.append($0) }
        for (i, f) in fragments.dropFirst().enumerated() {
            reader.feed(f, at: SourceLocation(source: "b.log", line: i + 1)) { events.append($0) }
        }
        reader.finish { events.append($0) }
        let problems = events.compactMap { if case .problem(let l, let m) = $0 { (l.description, m) } else { nil } }
        #expect(problems.contains { $0.0 == "a.log:1" && $0.1.hasPrefix("fragment: ") })
        #expect(problems.contains { $0.0 == "b.log:1" && $0.1.contains("no message in progress") })
        #expect(!ToolkitFixtures.items(events).contains { $0.reassembledFrom != nil })
    }

    @Test("lines skipped before a line (too long for the line reader) keep the numbering")
    func skippedLines() throws {
        var reader = CaptureReader()
        var items: [CapturedItem] = []
        reader.feed(Array("?OTRv23?".utf8), at: SourceLocation(source: "-", line: 5)) {
            if case .item(let i) = $0 { items.append(i) }
        }
        reader.finish { if case .item(let i) = $0 { items.append(i) } }
        #expect(items.contains { $0.location.line == 5 && { if case .query = $0.item.kind { true } else { false } }($0) })
        #expect(items.allSatisfy { $0.location.description == "-:\($0.location.line)" })
    }

    @Test("an encoded message that does not read keeps why, with its bytes")
    func unreadableMessage() {
        let items = ToolkitFixtures.items(ToolkitFixtures.read([Array("?OTR:AAMC.".utf8), Array("?OTR:%%%%.".utf8)]))
        let encoded = items.filter { if case .encoded = $0.item.kind { true } else { false } }
        #expect(encoded.count == 2)
        #expect(encoded.allSatisfy { $0.message == nil && $0.error != nil })
        #expect(encoded[0].binary == [0, 3, 2])
        #expect(encoded[1].binary.isEmpty)
    }
}
