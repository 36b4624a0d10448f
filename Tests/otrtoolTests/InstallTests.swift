import Foundation
import Testing

/// scripts/install puts the binary, the manual and the completions where
/// man and the shells look for them, and --uninstall takes them away.
@Suite("scripts/install")
struct InstallTests {
    static let installed: [(path: String, source: String?, mode: Int)] = [
        ("bin/otrtool", nil, 0o755),
        ("share/man/man1/otrtool.1", "man/otrtool.1", 0o644),
        ("share/bash-completion/completions/otrtool", "completions/otrtool.bash", 0o644),
        ("share/zsh/site-functions/_otrtool", "completions/_otrtool", 0o644),
        ("share/fish/vendor_completions.d/otrtool.fish", "completions/otrtool.fish", 0o644),
    ]

    static func script(_ arguments: [String]) throws -> Tool.Result {
        try Tool.run([Tool.repositoryRoot.appendingPathComponent("scripts/install").path] + arguments,
                     environment: ["OTRTOOL_BINARY": Tool.binary.path], executable: URL(fileURLWithPath: "/bin/bash"))
    }

    @Test("install into a prefix, run what it installed, uninstall")
    func installAndUninstall() throws {
        let dir = try TemporaryDirectory("install")
        let prefix = dir.path("prefix")
        let install = try Self.script([prefix])
        #expect(install.status == 0, "\(install.err)")
        for file in Self.installed {
            let path = prefix + "/" + file.path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.posixPermissions] as? Int) == file.mode, "\(file.path)")
            if let source = file.source {
                #expect(try Data(contentsOf: URL(fileURLWithPath: path))
                        == Data(contentsOf: Tool.repositoryRoot.appendingPathComponent(source)), "\(file.path) differs from \(source)")
            }
        }
        let version = try Tool.run(["--version"], executable: URL(fileURLWithPath: prefix + "/bin/otrtool"))
        #expect(version.status == 0)
        // bash loads the completion and binds it to otrtool.
        let bash = try Tool.run(["-c", "source '\(prefix)/share/bash-completion/completions/otrtool' && complete -p otrtool"],
                                executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(bash.status == 0 && bash.out.contains("otrtool"), "\(bash.err)")

        let uninstall = try Self.script(["--uninstall", prefix])
        #expect(uninstall.status == 0, "\(uninstall.err)")
        for file in Self.installed {
            #expect(!FileManager.default.fileExists(atPath: prefix + "/" + file.path), "\(file.path) left behind")
        }
    }

    @Test("more than one prefix is a usage error, and nothing is installed")
    func usage() throws {
        let dir = try TemporaryDirectory("install-usage")
        let result = try Self.script([dir.path("a"), dir.path("b")])
        #expect(result.status == 64)
        #expect(!FileManager.default.fileExists(atPath: dir.path("a")))
    }
}
