import Testing
import OTR
import OTRToolkit

/// forge transcript's editor, in process: the capture held whole, the
/// edits made with revealed MAC keys, and what cannot be forged refused.
@Suite struct TranscriptEditorTests {
    static func editor(_ lines: [[UInt8]]) -> (TranscriptEditor, Diagnostics) {
        let diagnostics = Diagnostics(command: "forge transcript")
        let editor = TranscriptEditor(source: "capture.log", diagnostics: diagnostics)
        for (i, line) in lines.enumerated() { editor.feed(line, number: i + 1) }
        editor.finish()
        return (editor, diagnostics)
    }

    @Test("lines are kept byte for byte, skipped numbers as empty lines, edits in place")
    func captureLines() {
        var lines = CaptureLines()
        let first = lines.append(Array("one".utf8), number: 1)
        let third = lines.append(Array("three".utf8), number: 3)
        #expect(first && third)
        #expect(lines[2] == [] && lines[3] == Array("three".utf8) && lines[4] == [])
        lines[1] = Array("ONE!".utf8)
        var all: [[UInt8]] = []
        lines.forEach { all.append(Array($0)) }
        #expect(all == [Array("ONE!".utf8), [], Array("three".utf8)])
    }

    @Test("the example capture: a message whose MAC key was revealed is modified, and the forgery verifies with that key")
    func modifyWithARevealedKey() throws {
        let lines = try ToolkitFixtures.lines("examples/capture.log")
        let (editor, diagnostics) = Self.editor(lines)
        #expect(diagnostics.count == 0)
        let index = try #require(editor.captured.firstIndex { $0.line == 6 })
        guard case .byAnyone = editor.forgery.assessments[index].forgeability else {
            Issue.record("line 6's MAC key is revealed later in the capture")
            return
        }
        editor.apply([.init(line: 6, change: .modify(offset: 0, old: Array("Hi Bob".utf8), new: Array("Hi Eve".utf8)))],
                     aesKeys: [], macKeys: [])
        #expect(diagnostics.count == 0)
        #expect(editor.lines[6] != lines[5])
        // Every other line is untouched, and the forged one reads as a Data
        // message whose MAC verifies with the revealed key.
        for n in 1...lines.count where n != 6 { #expect(editor.lines[n] == lines[n - 1]) }
        let (again, _) = Self.editor((1...lines.count).map { editor.lines[$0] })
        let forged = try #require(again.captured.first { $0.line == 6 })
        guard case .byAnyone(let key) = again.forgery.assessments[again.captured.firstIndex { $0.line == 6 }!].forgeability else {
            Issue.record("the forged message should still verify with the revealed MAC key")
            return
        }
        #expect(try forged.message.verifyMAC(macKey: SecureBytes(key.key), original: forged.binary))
    }

    @Test("an edit without a key that verifies, or on a line without a Data message, is reported and changes nothing")
    func refusedEdits() throws {
        let lines = try ToolkitFixtures.lines("examples/capture.log")
        let (editor, diagnostics) = Self.editor(lines)
        editor.apply([.init(line: 1, change: .rewrite(text: Array("x".utf8))),
                      .init(line: 6, change: .rewrite(text: Array("x".utf8)))],
                     aesKeys: [SecureBytes([UInt8](repeating: 7, count: 16))], macKeys: [])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.status == .malformedInput, "malformed input (line 1) is reported over a failed check (line 6)")
        for n in 1...lines.count { #expect(editor.lines[n] == lines[n - 1]) }
    }
}
