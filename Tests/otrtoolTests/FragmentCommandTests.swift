import Foundation
import Testing

/// fragment split end to end: the options' rules (usage errors, sizes too
/// small for a form). What the commands do with their input is tested in
/// process (OTRToolkitTests/FragmentRunTests).
struct FragmentCommandTests {
    static let dataV3 = "?OTR:AAMDx4t/nMazYm0BAAAAAgAAAAIAAADArPRC6rtFUK/DyhWfpAJJM1fNRSDSifajd9r8Wy+izhaoEBKqrGSIvIoYAqHN+GRZMj0X."

    @Test func splitErrorsAndUsage() throws {
        let tooMany = try Tool.run(["fragment", "split", "--size", "20"], input: String(repeating: "z", count: 70_000) + "\n")
        #expect(tooMany.status == 2)
        #expect(tooMany.err.contains("need 70000 fragments of 1; at most 65535 are allowed"))
        let fragment = try Tool.run(["fragment", "split", "--size", "20"], input: "?OTR,00001,00002,abcdefghijklmnopq,\n")
        #expect(fragment.status == 2)
        #expect(fragment.err.contains("is already a fragment"))
        #expect(try Tool.run(["fragment", "split"], input: "x\n").status == 64)
        #expect(try Tool.run(["fragment", "split", "--size", "37", "--form", "v3"], input: "x\n").status == 64)
        #expect(try Tool.run(["fragment", "split", "--size", "100", "--preset", "irc"], input: "x\n").status == 64)
        #expect(try Tool.run(["fragment", "split", "--size", "100", "--form", "v2", "--sender", "100"], input: "x\n").status == 64)
        #expect(try Tool.run(["fragment", "split", "--size", "100", "--sender", "xyz"], input: "x\n").status == 64)
        let noTags = try Tool.run(["fragment", "split", "--size", "40", "--form", "v3"], input: String(repeating: "q", count: 50) + "\n")
        #expect(noTags.status == 64)
    }

    @Test("a --size too small names the form it is too small for: any fragment without --form, v3 for a v3 message")
    func tooSmallSizesNameTheForm() throws {
        let tiny = try Tool.run(["fragment", "split", "--size", "10"], input: Self.dataV3 + "\n")
        #expect(tiny.status == 64)
        #expect(tiny.err.hasPrefix("Error: --size 10 is too small for any fragment: at least 20 for v2 fragments (a query or version 2 message) and 38 for v3 (a version 3 message)\n"),
                "\(tiny.err)")
        let v3 = try Tool.run(["fragment", "split", "--size", "10", "--form", "v3"], input: Self.dataV3 + "\n")
        #expect(v3.err.hasPrefix("Error: --size 10 is too small for v3 fragments: at least 38"), "\(v3.err)")
        let between = try Tool.run(["fragment", "split", "--size", "30"], input: Self.dataV3 + "\n" + String(repeating: "p", count: 40) + "\n")
        #expect(between.status == 64)
        #expect(between.err == "otrtool fragment split: -:1: --size 30 leaves no room for a piece in v3 fragments (at least 38), which this version 3 message takes\n")
        #expect(between.lines.count == 4 && between.lines.allSatisfy { $0.hasPrefix("?OTR,0000") }, "the v2 line is still split: \(between.out)")
    }
}
