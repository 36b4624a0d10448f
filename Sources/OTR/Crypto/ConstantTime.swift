/// Comparison whose running time does not depend on where the inputs differ,
/// for MACs and other authenticators (a short-circuiting `==` leaks how many
/// leading bytes of a forged MAC were right).
public enum ConstantTime {
    @inline(never)
    public static func equals(_ a: some ContiguousOctets, _ b: some ContiguousOctets) -> Bool {
        a.withUnsafeBytes { x in
            b.withUnsafeBytes { y in
                guard x.count == y.count else { return false }
                var difference: UInt8 = 0
                for i in 0..<x.count {
                    difference |= x[i] ^ y[i]
                }
                return difference == 0
            }
        }
    }
}
