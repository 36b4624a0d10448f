import Testing
import OTR
import OTRToolkit

/// The line syntax of session and simulate parties, parsed in process.
@Suite struct PartyCommandTests {
    static func parse(_ text: String) throws -> PartyCommand { try PartyCommand.parse(Array(text.utf8)) }

    @Test("each command and its arguments")
    func commands() throws {
        #expect(try Self.parse("hello") == .send(Array("hello".utf8)))
        #expect(try Self.parse("//not a command") == .send(Array("/not a command".utf8)))
        #expect(try Self.parse("a\\tb\\x41\\\\") == .send(Array("a\tbA\\".utf8)))
        #expect(try Self.parse("/query") == .query)
        #expect(try Self.parse("/ake 2") == .ake(2))
        #expect(try Self.parse("/smp s3cret") == .smp(secret: Array("s3cret".utf8)))
        #expect(try Self.parse("/smp\tsecret") == .smp(secret: Array("secret".utf8)))
        #expect(try Self.parse("/smpq who?|me") == .smpQuestion(question: Array("who?".utf8), secret: Array("me".utf8)))
        #expect(try Self.parse("/smpabort") == .smpAbort)
        #expect(try Self.parse("/symkey 7 00ff") == .symkey(use: 7, useData: [0, 0xff]))
        #expect(try Self.parse("/tlv 0x10 00 text") == .tlv(type: 16, data: [0], text: Array("text".utf8)))
        #expect(try Self.parse("/tlv 16 - ") == .tlv(type: 16, data: [], text: []))
        #expect(try Self.parse("/end") == .end)
        #expect(try Self.parse("/instance best") == .instance(nil))
        #expect(try Self.parse("/instance 00000100") == .instance(InstanceTag(0x100)))
        #expect(try Self.parse("/wait 61") == .wait(61))
    }

    @Test("bad arguments are refused with the command's syntax; an unknown command is never quoted", arguments: [
        "/smpq no bar", "/symkey x", "/tlv 70000 00", "/tlv 0xzz 00", "/instance 000000ff", "/instance nope", "/wait -1",
        "/wait 99999999999999", "a\\x4", "/smpsecret hunter2",
    ])
    func refused(_ line: String) {
        do {
            _ = try Self.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            #expect(!"\(error)".isEmpty)
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
