import Foundation
import Testing

/// The reference peers the interoperability tests run: a small C program
/// over Debian's libotr 4.1.1 (Tests/Peers/libotr) and a python-potr script
/// (Tests/Peers/potr). A missing peer is a test failure that says what to
/// install, never a silent pass.
enum Peers {
    /// Builds the libotr peer once per test run (into the build folder, so
    /// the source tree stays clean) and returns its path.
    static func libotr() throws -> URL {
        try LibotrPeerBuild.shared.binary()
    }

    /// Runs the libotr peer.
    static func runLibotr(_ arguments: [String], stdin: Data = Data()) throws -> Tool.Result {
        try Tool.run(arguments, stdin: stdin, executable: try libotr())
    }

    static let python = URL(fileURLWithPath: "/usr/bin/python3")
    static var potrScript: URL { Tool.repositoryRoot.appendingPathComponent("Tests/Peers/potr/potrpeer.py") }

    /// Runs the python-potr peer with Debian's python, which sees python3-potr.
    static func runPotr(_ arguments: [String], stdin: Data = Data()) throws -> Tool.Result {
        let result = try Tool.run([potrScript.path] + arguments, stdin: stdin, executable: python)
        if result.status == 3 && result.err.contains("not installed") {
            Issue.record("python3-potr is missing: apt-get install python3-potr (\(result.err))")
        }
        return result
    }

    /// A toolkit program of libotr5-bin (otr_parse, otr_mackey, ...).
    static func toolkit(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: "/usr/bin/\(name)")
        try #require(FileManager.default.isExecutableFile(atPath: url.path),
                     "\(name) is missing: apt-get install libotr5-bin")
        return url
    }
}

/// Builds the libotr peer at most once per process.
final class LibotrPeerBuild: @unchecked Sendable {
    static let shared = LibotrPeerBuild()
    private let lock = NSLock()
    private var built: Result<URL, Error>? = nil

    func binary() throws -> URL {
        lock.lock()
        defer { lock.unlock() }
        if let built { return try built.get() }
        let output = Tool.productsDirectory.appendingPathComponent("peers/otrpeer")
        let script = Tool.repositoryRoot.appendingPathComponent("Tests/Peers/libotr/build.sh")
        let result = Result { () throws -> URL in
            let run = try Tool.run([script.path, output.path], executable: URL(fileURLWithPath: "/bin/sh"))
            guard run.status == 0 else {
                throw PeerError("building the libotr peer failed (is libotr5-dev installed? apt-get install libotr5-dev): \(run.err)")
            }
            return output
        }
        built = result
        return try result.get()
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
