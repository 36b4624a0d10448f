internal import CGcrypt

/// Where every random byte comes from. The protocol code never calls a
/// generator directly: it is handed a source, so that key generation, the
/// AKE, SMP and whole conversations can be replayed from a seed.
public protocol RandomSource: AnyObject {
    /// Fills `buffer` with random bytes.
    func fill(_ buffer: UnsafeMutableRawBufferPointer)
    /// True for a source whose output is predictable (seeded test modes).
    var isDeterministic: Bool { get }
}

extension RandomSource {
    /// `count` random bytes, in wiped memory.
    public func bytes(_ count: Int) -> SecureBytes {
        SecureBytes(count: count) { fill($0) }
    }
}

/// libgcrypt's strong generator: the source for every real key.
public final class SystemRandom: RandomSource {
    public enum Level: Sendable {
        /// For session keys, DH exponents, nonces.
        case strong
        /// For long-term keys.
        case veryStrong
    }

    public let level: Level

    public init(level: Level = .strong) {
        self.level = level
        CryptoLibraries.ensureInitialised()
    }

    public var isDeterministic: Bool { false }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count > 0 else { return }
        let gcryLevel = level == .strong ? GCRY_STRONG_RANDOM : GCRY_VERY_STRONG_RANDOM
        gcry_randomize(buffer.baseAddress, buffer.count, gcryLevel)
    }
}

/// A predictable source for tests and test vectors: the stream of
/// SHA-256(label || seed || counter) blocks, counter a 64-bit big-endian
/// integer from zero. Never use it for keys that protect anything.
public final class DeterministicRandom: RandomSource {
    static let label = Array("otrtool deterministic random v1\u{0}".utf8)

    private let seed: SecureBytes
    private var counter: UInt64 = 0
    private var pool: [UInt8] = []
    private var poolOffset = 0

    public init(seed: some ContiguousOctets) {
        self.seed = SecureBytes(seed)
    }

    /// A seed given as text (what `--seed` takes on the command line).
    public convenience init(seedText: String) {
        self.init(seed: Array(seedText.utf8))
    }

    public var isDeterministic: Bool { true }

    public func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var written = 0
        while written < buffer.count {
            if poolOffset == pool.count {
                var c = counter.bigEndian
                let counterBytes = withUnsafeBytes(of: &c) { Array($0) }
                pool = HashFunction.sha256.digest(Self.label, seed, counterBytes)
                poolOffset = 0
                counter &+= 1
            }
            let n = min(buffer.count - written, pool.count - poolOffset)
            for i in 0..<n { buffer[written + i] = pool[poolOffset + i] }
            written += n
            poolOffset += n
        }
    }

    deinit {
        pool.wipe()
    }
}
