import ArgumentParser
import OTR
import OTRToolkit
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// Where a secret (AES key, MAC key, DH exponent, SMP secret) comes from.
/// Every secret option takes one of these forms, as openssl's -passin does:
///
///   file:PATH   hex text read from a file (whitespace ignored)
///   env:NAME    hex text from an environment variable
///   fd:N        hex text read from an open file descriptor
///   hex:HEX     the value itself, on the command line (visible to ps)
///   HEX         the same, without the prefix
///
/// Only the argv forms put the secret where other users and shell
/// history can see it; the manual says so.
struct SecretSource: ExpressibleByArgument, CustomStringConvertible {
    enum Origin {
        case argv(SecureBytes)
        /// Not a form above: reported when read, without repeating the
        /// value (a usage error from the argument parser would echo it).
        case invalid(String)
        case file(String)
        case environment(String)
        case descriptor(Int32)
    }

    let origin: Origin

    /// A secret file is a few hundred bytes of hex; anything much larger
    /// is a mistake, not a key.
    static let maximumTextLength = 1 << 16

    init?(argument: String) {
        if let path = argument.removingPrefix("file:") {
            origin = path.isEmpty ? .invalid("file: needs a path") : .file(path)
        } else if let name = argument.removingPrefix("env:") {
            origin = name.isEmpty ? .invalid("env: needs a variable name") : .environment(name)
        } else if let number = argument.removingPrefix("fd:") {
            if let fd = Int32(number), fd >= 0 { origin = .descriptor(fd) } else { origin = .invalid("fd: needs a descriptor number") }
        } else {
            let hex = argument.removingPrefix("hex:") ?? argument
            if var bytes = try? Hex.decode(hex) {
                origin = .argv(SecureBytes(consuming: &bytes))
            } else {
                origin = .invalid("the value on the command line is neither hex nor file:PATH, env:NAME or fd:N (not repeated here)")
            }
        }
    }

    static var defaultValueDescription: String { "file:PATH | env:NAME | fd:N | hex:HEX" }

    var description: String {
        switch origin {
        case .argv: "hex on the command line"
        case .invalid: "an invalid value"
        case .file(let p): "file \(p.argumentText)"
        case .environment(let n): "environment variable \(n.argumentText)"
        case .descriptor(let fd): "file descriptor \(fd)"
        }
    }

    /// Reads the secret. `name` is the option, for error messages.
    func read(_ name: String) throws -> SecureBytes {
        switch origin {
        case .argv(let bytes):
            return bytes
        case .invalid(let reason):
            throw SecretError("\(name): \(reason)")
        case .environment(let variable):
            guard let value = variable.withArgumentCString({ getenv($0) }) else {
                throw SecretError("\(name): environment variable \(variable.argumentText) is not set")
            }
            return try decode(Array(UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self),
                                                        count: strlen(value))), name: name)
        case .file(let path):
            let fd: Int32
            switch InputFile.open(path) {
            case .success(let opened): fd = opened
            case .failure(let failure): throw SecretError("\(name): \(failure.description)", status: failure.status)
            }
            defer { InputFile.close(fd) }
            return try decode(readAll(fd, name: name), name: name)
        case .descriptor(let fd):
            return try decode(readAll(fd, name: name), name: name)
        }
    }

    private func readAll(_ fd: Int32, name: String) throws -> [UInt8] {
        var text: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { wipe(&chunk) }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let code = errno
                wipe(&text)
                // A descriptor that is not open could not be opened, as a
                // missing file; a failure part-way is an I/O error.
                throw SecretError("\(name): reading \(description): \(String(cString: strerror(code)))",
                                  status: code == EBADF ? .noInput : .ioError)
            }
            if n == 0 { break }
            text += chunk[0..<n]
            if text.count > SecretSource.maximumTextLength {
                wipe(&text)
                throw SecretError("\(name): \(description) holds more than \(SecretSource.maximumTextLength) bytes; not a key")
            }
        }
        return text
    }

    private func decode(_ text: [UInt8], name: String) throws -> SecureBytes {
        var text = text
        defer { wipe(&text) }
        do {
            var bytes = try Hex.decode(utf8: text)
            return SecureBytes(consuming: &bytes)
        } catch let error as OTRError {
            throw SecretError("\(name): \(description) is not hex: \(error)")
        }
    }

    private func wipe(_ bytes: inout [UInt8]) { bytes.wipe() }
}

/// A secret could not be read: a usage problem (unset variable, not hex,
/// too long), or a file or descriptor that cannot be opened or read, with
/// the status those have everywhere else.
struct SecretError: Error, CustomStringConvertible {
    let description: String
    let status: ExitStatus
    init(_ description: String, status: ExitStatus = .usage) {
        self.description = description
        self.status = status
    }
}

extension String {
    func removingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}
