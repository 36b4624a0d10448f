import OTR
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
public struct SecretSource: CustomStringConvertible, Sendable {
    public enum Origin: Sendable {
        case argv(SecureBytes)
        /// Not a form above: reported when read, without repeating the
        /// value (a usage error from the argument parser would echo it).
        case invalid(String)
        case file(String)
        case environment(String)
        case descriptor(Int32)
    }

    public let origin: Origin

    /// A secret file is a few hundred bytes of hex; anything much larger
    /// is a mistake, not a key.
    public static let maximumTextLength = 1 << 16

    /// The source an option's value names.
    public init(parsing argument: String) {
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

    public var description: String {
        switch origin {
        case .argv: "hex on the command line"
        case .invalid: "an invalid value"
        case .file(let p): "file \(p.argumentText)"
        case .environment(let n): "environment variable \(n.argumentText)"
        case .descriptor(let fd): "file descriptor \(fd)"
        }
    }

    /// Reads the secret. `name` is the option, for error messages.
    public func read(_ name: String) throws -> SecureBytes {
        switch origin {
        case .argv(let bytes):
            return bytes
        case .invalid(let reason):
            throw Problem.usage("\(name): \(reason)")
        case .environment(let variable):
            guard let value = variable.withArgumentCString({ getenv($0) }) else {
                throw Problem.usage("\(name): environment variable \(variable.argumentText) is not set")
            }
            return try decode(Array(UnsafeBufferPointer(start: UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self),
                                                        count: strlen(value))), name: name)
        case .file(let path):
            let fd: Int32
            switch InputFile.open(path) {
            case .success(let opened): fd = opened
            case .failure(let failure): throw Problem("\(name): \(failure.description)", status: failure.status)
            }
            defer { InputFile.close(fd) }
            return try decode(readAll(fd, name: name), name: name)
        case .descriptor(let fd):
            return try decode(readAll(fd, name: name), name: name)
        }
    }

    /// Reads a secret that must be `count` bytes long (an AES or MAC key).
    public func read(_ name: String, count: Int) throws -> SecureBytes {
        let key = try read(name)
        guard key.count == count else { throw Problem.usage("\(name): must be \(count) bytes, \(self) holds \(key.count)") }
        return key
    }

    /// Reads a D-H private exponent and the key pair it makes (the
    /// exponent must be in the range section 4.2 of the spec allows).
    public func readDHKeyPair(_ name: String) throws -> DHKeyPair {
        let x = MPI(bytes: try read(name))
        do {
            return try DHKeyPair(privateKey: x)
        } catch {
            throw Problem.usage("\(name): \(self): \(error)")
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
                throw Problem("\(name): reading \(description): \(String(cString: strerror(code)))",
                              status: code == EBADF ? .noInput : .ioError)
            }
            if n == 0 { break }
            text += chunk[0..<n]
            if text.count > SecretSource.maximumTextLength {
                wipe(&text)
                throw Problem.usage("\(name): \(description) holds more than \(SecretSource.maximumTextLength) bytes; not a key")
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
            throw Problem.usage("\(name): \(description) is not hex: \(error)")
        }
    }

    private func wipe(_ bytes: inout [UInt8]) { bytes.wipe() }
}

extension String {
    public func removingPrefix(_ prefix: String) -> String? {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil
    }
}

extension CaptureKeys {
    /// The keys of decode's options, each read from its source: AES keys
    /// (--aes-key), MAC keys (--mac-key), D-H private exponents
    /// (--dh-private), AKE shared secrets (--ake-secret) and SMP exponents
    /// (--smp-exponent), and both parties' SMP secrets (--smp-secret,
    /// none or two), compared in constant time.
    public init(reading sources: (aes: [SecretSource], mac: [SecretSource], dh: [SecretSource],
                                  ake: [SecretSource], smp: [SecretSource], secrets: [SecretSource])) throws {
        guard sources.secrets.count == 0 || sources.secrets.count == 2 else {
            throw Problem.usage("--smp-secret: give the secret each party answered with, twice, or none (\(sources.secrets.count) given)")
        }
        self.init(aesKeys: try sources.aes.map { try $0.read("--aes-key", count: 16) },
                  macKeys: try sources.mac.map { try $0.read("--mac-key", count: 20) },
                  dhKeyPairs: try sources.dh.map { try $0.readDHKeyPair("--dh-private") },
                  sharedSecrets: try sources.ake.map { MPI(bytes: try $0.read("--ake-secret")) },
                  smpExponents: try sources.smp.map { MPI(bytes: try $0.read("--smp-exponent")) })
        let secrets = try sources.secrets.map { try $0.read("--smp-secret") }
        if secrets.count == 2 { smpSecretsAgree = ConstantTime.equals(secrets[0], secrets[1]) }
    }
}
