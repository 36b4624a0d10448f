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

    /// Runs the libotr peer. A `converse` that names no keys, accounts
    /// or folder of its own is given the run's two keys (`PeerKeys`).
    static func runLibotr(_ arguments: [String], stdin: Data = Data()) throws -> Tool.Result {
        var arguments = arguments
        let own = ["--alice-key", "--bob-key", "--alice-account", "--bob-account", "--protocol", "--workdir"]
        if arguments.first == "converse", !arguments.contains(where: own.contains) {
            arguments += ["--alice-key", try PeerKeys.shared.libotr("alice@example.org"),
                          "--bob-key", try PeerKeys.shared.libotr("bob@example.org")]
        }
        return try Tool.run(arguments, stdin: stdin, executable: try libotr())
    }

    static let python = URL(fileURLWithPath: "/usr/bin/python3")
    static var potrScript: URL { Tool.repositoryRoot.appendingPathComponent("Tests/Peers/potr/potrpeer.py") }

    /// Runs the python-potr peer with Debian's python, which sees
    /// python3-potr. A `converse` that names no keys is given the run's
    /// two potr keys (`PeerKeys`).
    static func runPotr(_ arguments: [String], stdin: Data = Data()) throws -> Tool.Result {
        var arguments = arguments
        if arguments.first == "converse", !arguments.contains("--alice-key"), !arguments.contains("--bob-key") {
            arguments += ["--alice-key", try PeerKeys.shared.potr("alice"), "--bob-key", try PeerKeys.shared.potr("bob")]
        }
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

/// The peers' long-term keys for a test run, each made once (by the peer
/// itself) and shared by every conversation that does not bring its own:
/// a 1024-bit DSA key costs libotr tens of milliseconds and python-potr
/// about 200, which over a hundred conversations was a large part of the
/// suite's time. What is tested (the messages, their keys, SMP) is made
/// afresh in every conversation; only the signing keys repeat.
final class PeerKeys: @unchecked Sendable {
    static let shared = PeerKeys()
    private let lock = NSLock()
    private var made: [String: Result<String, Error>] = [:]
    /// In the build folder, one per test process: the source tree stays clean.
    private let directory = Tool.productsDirectory.appendingPathComponent("peers/keys-\(getpid())")

    /// libotr's key file holding a key for `account` (protocol prpl-jabber).
    func libotr(_ account: String) throws -> String {
        try key("libotr-\(account).key") { path in
            try Peers.runLibotr(["keygen", path, account, "prpl-jabber"])
        }
    }

    /// A python-potr key file (potr's keys name no account).
    func potr(_ name: String) throws -> String {
        try key("potr-\(name).key") { path in try Peers.runPotr(["keygen", path]) }
    }

    /// A copy of a shared key at `path`, for a party that may write its file.
    func copy(_ shared: String, to path: String) throws {
        try FileManager.default.copyItem(atPath: shared, toPath: path)
    }

    private func key(_ name: String, _ make: (String) throws -> Tool.Result) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let done = made[name] { return try done.get() }
        let path = directory.appendingPathComponent(name).path
        let result = Result { () throws -> String in
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(atPath: path)
            let run = try make(path)
            guard run.status == 0 else { throw PeerError("making the peer key \(name) failed: \(run.err)") }
            return path
        }
        made[name] = result
        return try result.get()
    }

    private init() {
        // A shared instance lives until the process ends, and no deinit runs then.
        atexit { try? FileManager.default.removeItem(at: PeerKeys.shared.directory) }
    }
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
