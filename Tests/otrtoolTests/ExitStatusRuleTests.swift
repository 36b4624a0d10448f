import Foundation
import Testing

/// The statuses the manual promises, decided by one rule wherever they
/// arise: usage errors are 64.
struct ExitStatusRuleTests {
    @Test("bare otrtool is a usage error with the help on standard error")
    func bareCommand() throws {
        let result = try Tool.run([])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.err.contains("SUBCOMMANDS:") && result.err.contains("decode"), "\(result.err)")
    }

    @Test("help for a command that does not exist is a usage error naming it; help for one that does succeeds")
    func helpForUnknownCommand() throws {
        let unknown = try Tool.run(["help", "bogus"])
        #expect(unknown.status == 64)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.err == "otrtool help: otrtool has no command bogus; see 'otrtool --help'\n")
        let nested = try Tool.run(["help", "fragment", "bogus"])
        #expect(nested.status == 64)
        #expect(nested.err == "otrtool help: otrtool fragment has no command bogus; see 'otrtool --help'\n")
        let known = try Tool.run(["help", "fragment", "split"])
        #expect(known.status == 0, "\(known.err)")
        #expect(known.out.contains("USAGE: otrtool fragment split"))
    }
}
