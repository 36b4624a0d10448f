import Foundation
import Synchronization
import Testing
import OTR
import OTRToolkit

/// Read-modify-write under the file's lock, in process: writers on
/// threads (flock(2) locks belong to each open file, so threads contend
/// as processes do), links, modes and what is refused.
@Suite struct LockedFileUpdateTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("otrtool-locked-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func append(_ line: String, to path: String) throws {
        try LockedFileUpdate.update(path, limit: 1 << 20, secret: false) { current -> [UInt8]? in
            // Slow the read-modify-write down, so that without the lock the
            // writers would overwrite each other.
            usleep(2_000)
            return (current ?? []) + Array((line + "\n").utf8)
        }
    }

    @Test("16 threads appending 10 lines each to one file, created by the first: all 160 lines are there")
    func concurrentAppends() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/lines"
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { t in
            for i in 0..<10 {
                do { try Self.append("\(t)-\(i)", to: path) } catch { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 160)
        #expect(Set(lines) == Set((0..<16).flatMap { t in (0..<10).map { "\(t)-\($0)" } }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["lines"], "a temporary file was left")
    }

    @Test("nil from the change leaves the file as it is, and creates none")
    func noChange() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try LockedFileUpdate.update(dir + "/absent", limit: 100, secret: false) { _ -> [UInt8]? in nil }
        #expect(!FileManager.default.fileExists(atPath: dir + "/absent"))
        try Self.append("one", to: dir + "/present")
        let before = try Data(contentsOf: URL(fileURLWithPath: dir + "/present"))
        var seen: [UInt8]? = nil
        try LockedFileUpdate.update(dir + "/present", limit: 100, secret: false) { current -> [UInt8]? in
            seen = current
            return nil
        }
        #expect(seen == Array("one\n".utf8))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/present")) == before)
    }

    @Test("a chain of symbolic links is followed to its end; a loop, a read-only file and a file over the limit are refused")
    func linksAndRefusals() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(symlink("b", dir + "/a") == 0 && symlink("sub/c", dir + "/b") == 0)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        #expect(try LockedFileUpdate.resolveLinks(dir + "/a") == dir + "/sub/c")
        try Self.append("x", to: dir + "/a")
        #expect(try String(contentsOfFile: dir + "/sub/c", encoding: .utf8) == "x\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/a") == "b")

        #expect(symlink("loop2", dir + "/loop1") == 0 && symlink("loop1", dir + "/loop2") == 0)
        #expect(throws: Problem.self) { try Self.append("x", to: dir + "/loop1") }

        #expect(chmod(dir + "/sub/c", 0o400) == 0)
        let readOnly = #expect(throws: Problem.self) { try Self.append("y", to: dir + "/a") }
        #expect(readOnly?.status == .cannotCreate)
        #expect(readOnly?.description.contains("read-only (mode 0400)") == true)
        #expect(try String(contentsOfFile: dir + "/sub/c", encoding: .utf8) == "x\n")

        try Data(repeating: 0x41, count: 101).write(to: URL(fileURLWithPath: dir + "/big"))
        let big = #expect(throws: Problem.self) {
            try LockedFileUpdate.update(dir + "/big", limit: 100, secret: false) { _ -> [UInt8]? in [] }
        }
        #expect(big?.status == .malformedInput)
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/big")).count == 101)
    }

    @Test("a secret file is left 0600 whatever its mode was; another keeps its mode")
    func modes() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, secret, expected) in [("key", true, 0o600), ("list", false, 0o644)] {
            let path = dir + "/" + name
            try Data("a".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, 0o644) == 0)
            try LockedFileUpdate.update(path, limit: 100, secret: secret) { _ -> [UInt8]? in Array("b".utf8) }
            var st = stat()
            #expect(stat(path, &st) == 0)
            #expect(Int(st.st_mode & 0o777) == expected, "\(name)")
        }
    }
}
