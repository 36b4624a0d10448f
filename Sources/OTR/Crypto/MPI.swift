internal import CGMP
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A non-negative big integer over GMP: the protocol's MPI (spec "Data
/// types": "Multi-precision integers ... big-endian ... minimal length").
///
/// Immutable value; the limbs live in a final class whose `deinit` wipes
/// them (and GMP's allocator is set to wipe every block it frees, see
/// `CryptoLibraries`), so secret exponents do not linger in memory.
public struct MPI: Sendable, Hashable, Comparable, CustomStringConvertible {
    final class Storage: @unchecked Sendable {
        /// The mpz, made on first use for a value read from bytes (decode
        /// reads hundreds of thousands of public values and does arithmetic
        /// on few of them). Set once, by compare-and-exchange, so two
        /// threads reaching it first agree on one.
        private let lazyZ: Atomic<UnsafeMutablePointer<__mpz_struct>?>
        /// The minimal bytes, kept when the value was read from bytes, so
        /// printing a parsed message does not export every MPI again.
        /// Only values given as public (`init(publicBytes:)`: fields of
        /// received messages) keep them, so they are not wiped. A constant,
        /// read without the dynamic exclusivity check a variable of a class
        /// costs on every read (decode compares hundreds of thousands).
        let minimalBytes: [UInt8]?

        init() {
            CryptoLibraries.ensureInitialised()
            let z = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 1)
            otr_mpz_init(z)
            lazyZ = Atomic(z)
            minimalBytes = nil
        }

        /// A value given by its minimal big-endian bytes; the mpz waits.
        init(minimalBytes: [UInt8]) {
            lazyZ = Atomic(nil)
            self.minimalBytes = minimalBytes
        }

        var z: UnsafeMutablePointer<__mpz_struct> {
            if let z = lazyZ.load(ordering: .acquiring) { return z }
            CryptoLibraries.ensureInitialised()
            let fresh = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 1)
            otr_mpz_init(fresh)
            if let bytes = minimalBytes, !bytes.isEmpty {
                bytes.withUnsafeBytes { otr_mpz_import_be(fresh, $0.baseAddress, $0.count) }
            }
            let (exchanged, winner) = lazyZ.compareExchange(expected: nil, desired: fresh,
                                                            ordering: .acquiringAndReleasing)
            if exchanged { return fresh }
            otr_mpz_clear(fresh)
            fresh.deallocate()
            return winner!
        }

        deinit {
            if let z = lazyZ.load(ordering: .acquiring) {
                otr_mpz_clear(z)  // the wiping allocator clears the limbs
                z.deallocate()
            }
        }
    }

    let storage: Storage

    init(storage: Storage) { self.storage = storage }

    /// Builds a new value by running a GMP operation on a fresh mpz.
    static func make(_ body: (UnsafeMutablePointer<__mpz_struct>) -> Void) -> MPI {
        let s = Storage()
        body(s.z)
        return MPI(storage: s)
    }

    public init(_ value: UInt) {
        self = MPI.make { otr_mpz_set_ui($0, value) }
    }

    /// From big-endian unsigned bytes; leading zeros are allowed (libotr
    /// reads MPIs with gcry_mpi_scan, which accepts them), and empty is 0.
    public init(bytes: some ContiguousOctets) {
        self = MPI.make { z in
            bytes.withUnsafeBytes { b in
                if b.count > 0 { otr_mpz_import_be(z, b.baseAddress, b.count) }
            }
        }
    }

    /// From public big-endian bytes (a field of a received message): the
    /// minimal bytes are kept beside the value for printing.
    public init(publicBytes bytes: [UInt8]) {
        let firstNonZero = bytes.firstIndex { $0 != 0 } ?? bytes.count
        self.init(storage: Storage(minimalBytes: firstNonZero == 0 ? bytes : Array(bytes[firstNonZero...])))
    }

    /// From hex digits (spaces allowed), for constants and test vectors.
    public init(hex: String) throws {
        self.init(bytes: try Hex.decode(hex))
    }

    public static let zero = MPI(0)
    public static let one = MPI(1)

    /// Minimal big-endian bytes: no leading zero byte, empty for zero.
    public var bytes: [UInt8] {
        storage.minimalBytes ?? secureBytes.octets
    }

    /// Minimal big-endian bytes in wiped memory, for secret values.
    public var secureBytes: SecureBytes {
        let n = byteCount
        return SecureBytes(count: n) { out in
            if n > 0 {
                let written = otr_mpz_export_be(out.baseAddress, storage.z)
                precondition(written == n)
            }
        }
    }

    /// Big-endian bytes left-padded with zeros to `length` (DSA r and s
    /// are written as 20 bytes each). Throws if the value does not fit.
    public func bytes(paddedTo length: Int) throws -> [UInt8] {
        let minimal = bytes
        guard minimal.count <= length else {
            throw OTRError.outOfRange(nil, "value needs \(minimal.count) bytes, more than \(length)")
        }
        return [UInt8](repeating: 0, count: length - minimal.count) + minimal
    }

    public var byteCount: Int { storage.minimalBytes?.count ?? Int(otr_mpz_size_bytes(storage.z)) }
    public var bitWidth: Int { Int(otr_mpz_sizeinbase2(storage.z)) }
    public var isZero: Bool { storage.minimalBytes?.isEmpty ?? (otr_mpz_sgn(storage.z) == 0) }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { "0x" + (isZero ? "0" : hex) }

    public static func == (a: MPI, b: MPI) -> Bool { compare(a, b) == 0 }
    public static func < (a: MPI, b: MPI) -> Bool { compare(a, b) < 0 }

    /// Negative, zero or positive as a is below, equal to or above b.
    /// Two values read from bytes compare by their minimal bytes (a longer
    /// one is larger, then byte by byte) without making their mpz.
    static func compare(_ a: MPI, _ b: MPI) -> Int {
        if let x = a.storage.minimalBytes, let y = b.storage.minimalBytes {
            if x.count != y.count { return x.count < y.count ? -1 : 1 }
            // Equal lengths: big-endian bytes compare as unsigned strings.
            let order = x.withUnsafeBufferPointer { p in
                y.withUnsafeBufferPointer { q in p.count == 0 ? 0 : memcmp(p.baseAddress!, q.baseAddress!, p.count) }
            }
            return order < 0 ? -1 : order > 0 ? 1 : 0
        }
        return Int(otr_mpz_cmp(a.storage.z, b.storage.z))
    }
    /// Hashes the minimal bytes as one block (combining a [UInt8] feeds the
    /// hasher byte by byte, which dominated decode's key tables).
    public func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }

    /// The value's low 64 bits: a cheap key for telling apart random D-H
    /// public values (decode keys its counter check by it), not a hash
    /// for values an adversary picks to collide.
    public var low64: UInt64 {
        bytes.suffix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    // MARK: Arithmetic (results are non-negative; subtraction must not underflow)

    public static func + (a: MPI, b: MPI) -> MPI { make { otr_mpz_add($0, a.storage.z, b.storage.z) } }
    public static func * (a: MPI, b: MPI) -> MPI { make { otr_mpz_mul($0, a.storage.z, b.storage.z) } }
    public static func - (a: MPI, b: MPI) -> MPI {
        precondition(a >= b, "MPI subtraction would be negative")
        return make { otr_mpz_sub($0, a.storage.z, b.storage.z) }
    }

    /// `self mod m`, in 0..<m.
    public func mod(_ m: MPI) -> MPI {
        precondition(!m.isZero, "modulus is zero")
        return MPI.make { otr_mpz_mod($0, storage.z, m.storage.z) }
    }

    /// The inverse of `self` modulo `m`, or nil when none exists.
    public func inverse(mod m: MPI) -> MPI? {
        var ok: Int32 = 0
        let r = MPI.make { ok = otr_mpz_invert($0, storage.z, m.storage.z) }
        return ok == 0 ? nil : r
    }

    /// `self^e mod m` for public exponents (variable time).
    public func power(_ e: MPI, modulo m: MPI) -> MPI {
        MPI.make { otr_mpz_powm($0, storage.z, e.storage.z, m.storage.z) }
    }

    /// `self^e mod m` with a secret exponent: GMP's `mpz_powm_sec`, whose
    /// running time and memory access do not depend on `e`. It needs an
    /// odd modulus and a positive exponent.
    public func power(secretExponent e: MPI, modulo m: MPI) -> MPI {
        precondition(!e.isZero, "secret exponent is zero")
        precondition(otr_mpz_odd_p(m.storage.z) != 0, "modulus must be odd")
        return MPI.make { otr_mpz_powm_sec($0, storage.z, e.storage.z, m.storage.z) }
    }

    /// Miller-Rabin with `rounds` rounds (GMP's mpz_probab_prime_p).
    public func isProbablePrime(rounds: Int = 40) -> Bool {
        otr_mpz_probab_prime_p(storage.z, Int32(rounds)) > 0
    }
}
