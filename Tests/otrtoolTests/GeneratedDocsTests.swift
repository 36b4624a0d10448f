import Foundation
import Testing

/// The committed man page and completion scripts must be what the current
/// command line generates; `scripts/update-generated-docs` rewrites them.
struct GeneratedDocsTests {
    static let completions = [("bash", "completions/otrtool.bash"), ("zsh", "completions/_otrtool"),
                              ("fish", "completions/otrtool.fish")]

    @Test("completion scripts are current", arguments: completions)
    func completionScript(shell: String, path: String) throws {
        let generated = try Tool.run(["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try Data(contentsOf: Tool.repositoryRoot.appendingPathComponent(path))
        #expect(generated.stdout == committed,
                "\(path) is stale: run scripts/update-generated-docs and commit the result")
    }

    @Test("completions offer the policy names for --policy, --alice-policy and --bob-policy", arguments: ["bash", "zsh", "fish"])
    func policyCompletions(shell: String) throws {
        let generated = try Tool.run(["--generate-completion-script", shell])
        let lines = generated.out.split(separator: "\n").map(String.init)
        for option in ["policy", "alice-policy", "bob-policy"] {
            let offered: Bool
            switch shell {
            case "bash":
                offered = zip(lines, lines.dropFirst()).contains { $0.0.hasSuffix("'--\(option)')") && $0.1.contains("'opportunistic'") }
            case "zsh":
                let variable = "___" + option.replacingOccurrences(of: "-", with: "_")
                offered = lines.contains { $0.contains("\(variable)=('never' 'manual' 'opportunistic' 'always')") }
            default:
                offered = lines.contains { $0.contains("-l '\(option)'") && $0.contains("-rfka 'never manual opportunistic always'") }
            }
            #expect(offered, "\(shell) offers no policy names for --\(option)")
        }
    }

    static let manualTool = Tool.productsDirectory.appendingPathComponent("generate-manual-tool")
    /// scripts/test builds the argument parser's manual tool and sets
    /// OTRTOOL_MANUAL_CHECK=required, so there the check always runs; a
    /// bare `swift test` without the tool skips it and says how to run it.
    static var manualCheckRuns: Bool {
        FileManager.default.isExecutableFile(atPath: manualTool.path)
            || ProcessInfo.processInfo.environment["OTRTOOL_MANUAL_CHECK"] == "required"
    }

    @Test(.enabled(if: manualCheckRuns,
                   "generate-manual-tool is not built, so the manual is not compared with the code: scripts/test builds it and runs this check"))
    func manualIsCurrent() throws {
        let manual = Tool.repositoryRoot.appendingPathComponent("man/otrtool.1")
        let committed = try String(contentsOf: manual, encoding: .utf8)
        // The page's date is pinned when it is generated; regenerate with the same one.
        let dateLine = try #require(committed.split(separator: "\n").first { $0.hasPrefix(".Dd ") })
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "MMMM d, yyyy"
        let date = try #require(formatter.date(from: String(dateLine.dropFirst(4))))
        formatter.dateFormat = "yyyy-MM-dd"
        let tool = Self.manualTool
        try #require(FileManager.default.isExecutableFile(atPath: tool.path),
                     "generate-manual-tool is not built: run scripts/test (it builds the argument parser's generate-manual plugin tool)")
        let generated = try Tool.run([Tool.binary.path, "--date", formatter.string(from: date), "-o", "-"], executable: tool)
        #expect(generated.status == 0, "\(generated.err)")
        let finished = try Tool.run([Tool.repositoryRoot.appendingPathComponent("scripts/finish-manual").path],
                                    stdin: Data((generated.out + "\n").utf8), executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(finished.status == 0, "\(finished.err)")
        #expect(finished.out == committed, "man/otrtool.1 is stale: run scripts/update-generated-docs and commit the result")
    }

    /// The page as man shows it, at 80 columns, and what groff warned.
    static func rendered() throws -> (text: String, warnings: String) {
        let page = Tool.repositoryRoot.appendingPathComponent("man/otrtool.1").path
        let run = try Tool.run(["-mdoc", "-Tutf8", "-ww", "-rLL=78n", "-P-c", "-P-b", "-P-u", page],
                               executable: URL(fileURLWithPath: "/usr/bin/groff"))
        return (run.out, run.err)
    }

    @Test("the manual renders without a warning, with EXIT STATUS, EXAMPLES and SEE ALSO, and no option split at a line end")
    func manualReads() throws {
        let (text, warnings) = try Self.rendered()
        #expect(warnings.isEmpty, "groff warns: \(warnings.prefix(600))")
        for section in ["EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(text.contains("\n\(section)\n"), "no \(section) section")
        }
        // Every status of the code has its entry.
        for status in ["0", "1", "2", "64", "66", "70", "73", "74"] {
            #expect(text.range(of: "\n +\(status) +[A-Z]", options: .regularExpression) != nil, "EXIT STATUS lists no \(status)")
        }
        #expect(text.contains("otr_parse(1)"))
        let split = text.split(separator: "\n").filter { $0.range(of: #"[A-Za-z0-9][-\x{2010}]$"#, options: .regularExpression) != nil }
        #expect(split.isEmpty, "words broken at a line end: \(split.prefix(5))")
    }
}
