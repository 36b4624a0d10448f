internal import CGMP

/// A secret byte string (key, exponent, plaintext) whose storage is wiped
/// when the last copy is released. Immutable after creation.
public struct SecureBytes: ContiguousOctets, Sendable, CustomStringConvertible {
    final class Storage: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer

        init(count: Int) {
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            count_ = count
        }
        let count_: Int

        deinit {
            otr_secure_wipe(buffer.baseAddress, buffer.count)
            buffer.deallocate()
        }
    }

    let storage: Storage

    public init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        storage = Storage(count: count)
        try initializer(UnsafeMutableRawBufferPointer(rebasing: storage.buffer[0..<count]))
    }

    public init(_ bytes: some ContiguousOctets) {
        let n = bytes.octetCount
        self.init(count: n) { out in
            bytes.withUnsafeBytes { src in
                if n > 0 { out.copyMemory(from: src) }
            }
        }
    }

    /// Takes ownership of an array's contents and wipes the array.
    public init(consuming bytes: inout [UInt8]) {
        self.init(bytes)
        bytes.withUnsafeMutableBytes { otr_secure_wipe($0.baseAddress, $0.count) }
        bytes = []
    }

    public var count: Int { storage.count_ }
    public var isEmpty: Bool { count == 0 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: storage.buffer[0..<count]))
    }

    public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count)
        return storage.buffer[index]
    }

    /// A new secret holding bytes `range` of this one.
    public func slice(_ range: Range<Int>) -> SecureBytes {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return SecureBytes(count: range.count) { out in
            if range.count > 0 {
                out.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage.buffer[range]))
            }
        }
    }

    /// Concatenation, for building hash inputs out of secrets.
    public static func + (lhs: SecureBytes, rhs: some ContiguousOctets) -> SecureBytes {
        let n = lhs.count + rhs.octetCount
        return SecureBytes(count: n) { out in
            lhs.withUnsafeBytes { a in
                rhs.withUnsafeBytes { b in
                    if a.count > 0 { UnsafeMutableRawBufferPointer(rebasing: out[0..<a.count]).copyMemory(from: a) }
                    if b.count > 0 { UnsafeMutableRawBufferPointer(rebasing: out[a.count..<n]).copyMemory(from: b) }
                }
            }
        }
    }

    /// Hex of the secret, for the places where the user asked to see it.
    public var hex: String { withUnsafeBytes { Hex.encode(raw: $0) } }

    /// Never prints the secret by accident.
    public var description: String { "SecureBytes(\(count) bytes)" }
}

extension SecureBytes: Equatable {
    /// Constant-time in the contents.
    public static func == (lhs: SecureBytes, rhs: SecureBytes) -> Bool {
        ConstantTime.equals(lhs, rhs)
    }
}

extension Array where Element == UInt8 {
    /// Overwrites the bytes in a way the optimiser keeps, for arrays that
    /// held a secret (a key file read whole) before they are freed.
    public mutating func wipe() {
        withUnsafeMutableBytes { otr_secure_wipe($0.baseAddress, $0.count) }
    }
}
