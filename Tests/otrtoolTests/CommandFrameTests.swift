import Foundation
import Testing

struct CommandFrameTests {
    @Test func versionAndHelpWork() throws {
        let version = try Tool.run(["--version"])
        #expect(version.status == 0)
        #expect(version.out.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil)
        let help = try Tool.run(["--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("parse-tag"))
        #expect(help.out.contains("EXIT STATUS. 0 success; 1 a check failed"))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try Tool.run(["no-such-command"])
        #expect(result.status == 64)
    }
}
