import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// otrtool run with standard output on a pseudo-terminal, for the commands
/// that refuse to write a private key to one.
enum Terminal {
    struct Result {
        var status: Int32
        /// What reached the terminal.
        var screen: Data
        var err: String
    }

    /// The C library's pseudo-terminal calls, which the Glibc module does
    /// not import (they need _XOPEN_SOURCE).
    private static func function<T>(_ name: String, as type: T.Type) throws -> T {
        // A nil handle is glibc's RTLD_DEFAULT: the process's own symbols.
        guard let symbol = dlsym(nil, name) else {
            throw CocoaError(.featureUnsupported)
        }
        return unsafeBitCast(symbol, to: type)
    }

    static func run(_ arguments: [String]) throws -> Result {
        typealias OpenPT = @convention(c) (Int32) -> Int32
        typealias PTSName = @convention(c) (Int32, UnsafeMutablePointer<CChar>, Int) -> Int32
        let openpt = try function("posix_openpt", as: OpenPT.self)
        let grant = try function("grantpt", as: OpenPT.self), unlock = try function("unlockpt", as: OpenPT.self)
        let ptsname = try function("ptsname_r", as: PTSName.self)
        let master = openpt(O_RDWR | O_NOCTTY)
        var name = [CChar](repeating: 0, count: 128)
        guard master >= 0, grant(master) == 0, unlock(master) == 0, ptsname(master, &name, name.count) == 0 else {
            throw CocoaError(.fileReadUnknown)
        }
        defer { close(master) }
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw CocoaError(.fileReadUnknown) }
        let process = Process()
        process.executableURL = Tool.binary
        process.arguments = arguments
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = terminal
        process.standardError = errors
        try process.run()
        // A key file is a few KB, far less than a pipe or terminal buffer.
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try terminal.close()
        var screen = Data()
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            screen.append(contentsOf: buffer[0..<n])
        }
        return Result(status: process.terminationStatus, screen: screen, err: String(decoding: err, as: UTF8.self))
    }
}
