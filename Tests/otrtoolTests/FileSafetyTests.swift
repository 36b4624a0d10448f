import Foundation
import Testing

/// The files otrtool rewrites (key files, instance tags, fingerprints):
/// other writers, owners, modes, links, interrupted writes, and the
/// simulate guard against a client's key file reached through a link.
struct FileSafetyTests {
    private static func keygen(_ account: String, _ arguments: [String]) throws -> Tool.Result {
        try Tool.run(["keygen", "--account", account, "--protocol", "prpl-jabber", "--seed", account] + arguments)
    }

    /// A directory holding a key file with one account, and its bytes.
    private static func keyFile(_ label: String) throws -> (dir: TemporaryDirectory, keys: String, before: Data) {
        let dir = try TemporaryDirectory(label)
        let keys = dir.path("keys")
        let made = try keygen("a@x", ["--key-file", keys])
        try #require(made.status == 0, "\(made.err)")
        return (dir, keys, try Data(contentsOf: URL(fileURLWithPath: keys)))
    }

    private static func temporaries(in dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".tmp-") }
    }

    private static func status(_ path: String) throws -> stat {
        var st = stat()
        try #require(lstat(path, &st) == 0, "lstat \(path)")
        return st
    }

    @Test("20 keygens adding accounts to one key file and one instance-tags file at once leave all 20 of each")
    func concurrentWriters() throws {
        let dir = try TemporaryDirectory("concurrent")
        let keys = dir.path("same.key"), tags = dir.path("same.instag")
        // Started together from here: a shell's `&` and `wait` hang under the
        // test runner, which starts children with SIGCHLD blocked.
        let null = try #require(FileHandle(forWritingAtPath: "/dev/null"))
        let writers = try (1...20).map { i -> (Process, URL) in
            let process = Process()
            process.executableURL = Tool.binary
            process.arguments = ["keygen", "--account", "c\(i)", "--protocol", "p", "--key-file", keys,
                                 "--instance-tags", tags, "--seed", "s\(i)"]
            let errURL = dir.url.appendingPathComponent("err\(i)")
            _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
            process.standardOutput = null
            process.standardError = try FileHandle(forWritingTo: errURL)
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
            try process.run()
            return (process, errURL)
        }
        for (i, (process, errURL)) in writers.enumerated() {
            process.waitUntilExit()
            let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "keygen c\(i + 1): \(err)")
            try? FileManager.default.removeItem(at: errURL)
        }
        let listed = try Tool.run(["fingerprint", keys])
        #expect(listed.status == 0, "\(listed.err)")
        let accounts = Set(listed.lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" })
        #expect(accounts == Set((1...20).map { "c\($0)" }))
        let tagLines = try dir.read("same.instag").split(separator: "\n").filter { $0.split(separator: "\t").count == 3 }
        #expect(Set(tagLines.map { $0.split(separator: "\t").first.map(String.init) ?? "" }) == Set((1...20).map { "c\($0)" }))
        #expect(try Self.temporaries(in: dir).isEmpty)
        #expect(try dir.mode("same.key") == 0o600)
    }

    @Test("a rewritten file keeps its owner and group, and its mode unless it holds private keys (then 0600)")
    func ownerGroupAndModeKept() throws {
        try #require(getuid() == 0, "this test gives the files to another user (chown), which needs root")
        let dir = try TemporaryDirectory("owner")
        let keys = dir.path("keys"), tags = dir.path("tags")
        #expect(try Self.keygen("a@x", ["--key-file", keys, "--instance-tags", tags]).status == 0)
        for file in [keys, tags] { #expect(chown(file, 65534, 65534) == 0 && chmod(file, 0o640) == 0) }
        let second = try Self.keygen("b@x", ["--key-file", keys, "--instance-tags", tags])
        #expect(second.status == 0, "\(second.err)")
        for file in [keys, tags] {
            let st = try Self.status(file)
            #expect(st.st_uid == 65534 && st.st_gid == 65534, "\(file): owner \(st.st_uid):\(st.st_gid)")
        }
        #expect(try Self.status(keys).st_mode & 0o7777 == 0o600, "a private key file is never left readable by others")
        #expect(try Self.status(tags).st_mode & 0o7777 == 0o640)
        #expect(try Tool.run(["fingerprint", keys]).lines.count == 2)
    }

    @Test("a read-only file and a FIFO are refused with 73 before any key is made, and left unchanged")
    func readOnlyAndIrregularRefused() throws {
        let (dir, keys, before) = try Self.keyFile("read-only")
        #expect(chmod(keys, 0o444) == 0)
        let readOnly = try Self.keygen("b@x", ["--key-file", keys])
        #expect(readOnly.status == 73)
        #expect(readOnly.err.contains("is read-only (mode 0444); the file is left unchanged"), "\(readOnly.err)")
        #expect(readOnly.stdout.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys)) == before)
        #expect(try Self.status(keys).st_mode & 0o777 == 0o444)

        #expect(mkfifo(dir.path("fifo"), 0o600) == 0)
        let fifo = try Self.keygen("b@x", ["--instance-tags", dir.path("fifo")])
        #expect(fifo.status == 73)
        #expect(fifo.err.contains("is not a regular file"), "\(fifo.err)")
    }

    @Test("a symbolic link stays a link and its target is rewritten, also when the target does not exist yet")
    func symbolicLinksWrittenThrough() throws {
        let dir = try TemporaryDirectory("symlink")
        try FileManager.default.createDirectory(atPath: dir.path("real"), withIntermediateDirectories: true)
        let target = dir.path("real/keys")
        #expect(try Self.keygen("a@x", ["--key-file", target]).status == 0)
        #expect(symlink("real/keys", dir.path("link.key")) == 0)
        let added = try Self.keygen("b@x", ["--key-file", dir.path("link.key")])
        #expect(added.status == 0, "\(added.err)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path("link.key")) == "real/keys")
        #expect(try Tool.run(["fingerprint", target]).lines.count == 2)
        #expect(try Self.status(target).st_mode & 0o777 == 0o600)

        // A dangling link: the file it names is created, the link kept.
        #expect(symlink("real/tags", dir.path("tags.link")) == 0)
        let tags = try Self.keygen("c@x", ["--instance-tags", dir.path("tags.link")])
        #expect(tags.status == 0, "\(tags.err)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path("tags.link")) == "real/tags")
        #expect(try dir.read("real/tags").contains("c@x\tprpl-jabber\t"))

        // A loop of links is named, not followed for ever.
        #expect(symlink("loop.b", dir.path("loop.a")) == 0 && symlink("loop.a", dir.path("loop.b")) == 0)
        let loop = try Self.keygen("d@x", ["--key-file", dir.path("loop.a")])
        #expect(loop.status == 73, "\(loop.err)")
        #expect(loop.err.contains("Too many levels of symbolic links"), "\(loop.err)")
    }

    @Test("a write killed by INT, TERM or HUP leaves no temporary file and the old file in place", arguments: ["INT", "TERM", "HUP"])
    func interruptedWrite(signal: String) throws {
        let (dir, keys, before) = try Self.keyFile("interrupted")
        // strace delivers the signal as the new file is fsync'd: written
        // whole, holding both private keys, not yet renamed into place.
        // The test runner starts children with most signals blocked; python
        // clears the mask, as a shell's child would have it.
        let run = try Shell.run("""
            command -v strace >/dev/null || { echo "strace is missing: scripts/dependencies test installs it" >&2; exit 99; }
            python3 -c 'import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])' \
                strace -f -o /dev/null -e trace=fsync -e inject=fsync:signal=\(signal):when=1 \
                "$0" keygen --account b@x --protocol prpl-jabber --seed b --key-file "$1"
            """, [keys])
        try #require(run.status != 99, "\(run.err)")
        let number: Int32 = signal == "INT" ? SIGINT : signal == "TERM" ? SIGTERM : SIGHUP
        #expect(run.status == 128 + number, "the run should end by the signal itself: \(run.status) \(run.err)")
        #expect(try Self.temporaries(in: dir).isEmpty, "a temporary file holding private keys was left")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys)) == before)
    }

    @Test("the next rewrite removes a temporary file a killed run left, and nothing else")
    func staleTemporaryRemoved() throws {
        let (dir, keys, _) = try Self.keyFile("stale")
        let stale = try dir.write(".keys.tmp-Ab3xZ9", "(privkeys (account (name \"old\")))")
        let others = [try dir.write(".other.tmp-Ab3xZ9", "x"), try dir.write(".keys.tmp-Ab3xZ9.bak", "x"),
                      try dir.write(".keys.tmp-short", "x")]
        let again = try Self.keygen("b@x", ["--key-file", keys])
        #expect(again.status == 0, "\(again.err)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        for other in others { #expect(FileManager.default.fileExists(atPath: other), "\(other) was removed") }
    }

    @Test("convert-key --replace replaces only a python-potr key, never a file of another format")
    func potrOutputReplacesOnlyAPotrKey() throws {
        let (dir, libotrKeys, before) = try Self.keyFile("potr-replace")
        let refused = try Tool.run(["convert-key", "--to", "potr", libotrKeys, "--output", libotrKeys, "--replace"])
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.err.contains("is not a python-potr key"), "\(refused.err)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: libotrKeys)) == before)
        let potr = dir.path("key.potr")
        #expect(try Tool.run(["convert-key", "--to", "potr", libotrKeys, "--output", potr]).status == 0)
        let replaced = try Tool.run(["convert-key", "--to", "potr", libotrKeys, "--output", potr, "--replace"])
        #expect(replaced.status == 0, "\(replaced.err)")
    }

    @Test("simulate refuses a client's key file reached through a symbolic link, a hard link or a path with ..")
    func simulateGuardFollowsLinks() throws {
        let dir = try TemporaryDirectory("simulate-guard")
        let home = dir.path("home")
        try FileManager.default.createDirectory(atPath: home + "/.purple", withIntermediateDirectories: true)
        let made = dir.path("made.key")
        #expect(try Self.keygen("alice@example.org", ["--key-file", made]).status == 0)
        #expect(try Self.keygen("bob@example.org", ["--key-file", made]).status == 0)
        let client = home + "/.purple/otr.private_key"
        try FileManager.default.copyItem(atPath: made, toPath: client)
        #expect(symlink(client, dir.path("innocent.key")) == 0)
        #expect(link(client, dir.path("hard.key")) == 0)
        try FileManager.default.createDirectory(atPath: dir.path("sub"), withIntermediateDirectories: true)
        let environment = ["HOME": home]
        for path in [dir.path("innocent.key"), dir.path("hard.key"), dir.path("sub/../home/.purple/otr.private_key")] {
            let run = try Tool.run(["simulate", "--key-file", path, "--json"], stdin: Data("alice: hi\n".utf8), environment: environment)
            #expect(run.status == 64, "\(path): \(run.err)")
            #expect(run.stdout.isEmpty, "\(path): the private keys were printed")
            #expect(run.err.contains("refusing"), "\(run.err)")
        }
        // A copy is not the client's file.
        let copy = try Tool.run(["simulate", "--key-file", made, "--json"], stdin: Data("alice: hi\n".utf8), environment: environment)
        #expect(copy.status == 0, "\(copy.err)")
    }

    @Test("session --fingerprints keeps entries another program adds while it runs, and writes through a symbolic link")
    func sessionMergesUnderTheLock() throws {
        let peer = RemotePeer(implementation: .libotr, version: 3, fragment: nil)
        let dir = try TemporaryDirectory("session-merge")
        let file = dir.path("real.fingerprints"), link = dir.path("fingerprints.link")
        let first = "early\tme@example.org\tprpl-jabber\t\(String(repeating: "ab", count: 20))\tsmp\n"
        let added = "meanwhile\tme@example.org\tprpl-jabber\t\(String(repeating: "cd", count: 20))\t\n"
        try Data(first.utf8).write(to: URL(fileURLWithPath: file))
        #expect(symlink("real.fingerprints", link) == 0)
        let session = try Link(peer, ourExtraArguments: ["--fingerprints", link])
        // Past start-up (the file has been read), then another writer adds
        // an entry the way a client does: a new file renamed into place.
        try session.local("/instance best")
        try Data((first + added).utf8).write(to: URL(fileURLWithPath: file), options: .atomic)
        try session.local("/query")
        #expect(!Link.of(session.ourEvents, "secure").isEmpty, "no AKE: \(session.ourEvents.suffix(5))")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix(first + added), "\(text)")
        #expect(text.contains("them\tme@example.org\tprpl-jabber\t"), "\(text)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.fingerprints")
    }

    @Test("session --fingerprints: a file another program creates while it runs is merged, not a failure")
    func sessionFileCreatedMeanwhile() throws {
        let peer = RemotePeer(implementation: .libotr, version: 3, fragment: nil)
        let dir = try TemporaryDirectory("session-created")
        let file = dir.path("fingerprints")
        let session = try Link(peer, ourExtraArguments: ["--fingerprints", file])
        try session.local("/instance best")
        let added = "meanwhile\tme@example.org\tprpl-jabber\t\(String(repeating: "cd", count: 20))\t\n"
        try Data(added.utf8).write(to: URL(fileURLWithPath: file))
        try session.local("/query")
        #expect(!Link.of(session.ourEvents, "secure").isEmpty, "no AKE: \(session.ourEvents.suffix(5))")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix(added) && text.contains("them\tme@example.org\tprpl-jabber\t"), "\(text)")
        session.ours.close()
        #expect(session.ours.process.terminationStatus == 0)
    }
}
