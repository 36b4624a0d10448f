/// Anything that can lend its bytes as one contiguous buffer: plain arrays
/// for public values, `SecureBytes` for secrets. Crypto entry points take
/// this so that secrets need not be copied into arrays that are never wiped.
public protocol ContiguousOctets {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousOctets where Element == UInt8 {}
extension ArraySlice: ContiguousOctets where Element == UInt8 {}
extension ContiguousArray: ContiguousOctets where Element == UInt8 {}

extension ContiguousOctets {
    public var octetCount: Int { withUnsafeBytes { $0.count } }
    public var octets: [UInt8] { withUnsafeBytes { Array($0) } }
}
