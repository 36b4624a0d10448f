import OTR

/// A growable byte buffer written through a raw pointer. decode writes
/// tens of megabytes of report through it; an Array's checks on every
/// append (uniqueness, capacity, count) cost more than the bytes do.
/// Writers make room once (`reserve`) and then store without checks.

public struct OutputBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private(set) var capacity: Int

    public init(capacity: Int = 1 << 12) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public mutating func removeAll() { count = 0 }

    /// Makes room for `n` more bytes, so that up to `n` `put`s need no check.
    @inline(__always)
    public mutating func reserve(_ n: Int) {
        if n > capacity &- count { grow(toHold: n) }
    }

    private mutating func grow(toHold n: Int) {
        let (needed, overflow) = count.addingReportingOverflow(n)
        precondition(!overflow, "output buffer size overflows")
        let newCapacity = max(needed, capacity < Int.max / 2 ? capacity * 2 : needed)
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        grown.initialize(from: base, count: count)
        base.deallocate()
        base = grown
        capacity = newCapacity
    }

    /// Stores one byte in room made by `reserve`.
    @inline(__always)
    public mutating func put(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    /// Stores two bytes as they lie in memory, in room made by `reserve`.
    @inline(__always)
    public mutating func put(pair: UInt16) {
        UnsafeMutableRawPointer(base + count).storeBytes(of: pair, as: UInt16.self)
        count &+= 2
    }

    /// Counts `n` bytes stored through `base` in room made by `reserve`.
    @inline(__always)
    public mutating func advance(by n: Int) {
        count &+= n
    }

    // MARK: Appending (each makes its own room)

    @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        put(byte)
    }

    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        UnsafeMutableRawPointer(base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(bytes))
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { append($0) }
    }

    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    /// Disfavoured, so that a string literal takes the StaticString path
    /// (its bytes copied as they lie, with no String to look into).
    @_disfavoredOverload
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// The decimal digits of a value, with "-" when negative.
    public mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 {
            append(UInt8(ascii: "-"))
            appendDecimal(UInt64(truncatingIfNeeded: 0 &- Int64(truncatingIfNeeded: value)))
            return
        }
        var v = UInt64(value)
        var digits = 1
        var scale: UInt64 = 10
        while digits < 20, v >= scale {
            digits += 1
            scale = scale &* 10
        }
        reserve(digits)
        // From the last digit back, two digits per division.
        let out = UnsafeMutableRawPointer(base + count)
        var at = digits
        Self.decimalPairs.withUnsafeBufferPointer { pairs in
            while v >= 10 {
                at -= 2
                out.storeBytes(of: pairs[Int(v % 100)], toByteOffset: at, as: UInt16.self)
                v /= 100
            }
        }
        if at == 1 { out.storeBytes(of: UInt8(ascii: "0") &+ UInt8(v), as: UInt8.self) }
        count += digits
    }

    /// "00" to "99", each as its two bytes lie in memory.
    public static let decimalPairs: [UInt16] = (0..<100).map { n in
        var pair: UInt16 = 0
        withUnsafeMutableBytes(of: &pair) { p in
            p[0] = UInt8(ascii: "0") + UInt8(n / 10)
            p[1] = UInt8(ascii: "0") + UInt8(n % 10)
        }
        return pair
    }

    /// Lowercase hex of `bytes`: one table read and one two-byte store each
    /// (a plain loop, which the compiler unrolls better than hand-made
    /// word stores).
    public mutating func appendHex(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count &* 2)
        var out = UnsafeMutableRawPointer(base + count)
        Self.hexPairs.withUnsafeBufferPointer { pairs in
            for b in bytes {
                out.storeBytes(of: pairs[Int(b)], as: UInt16.self)
                out += 2
            }
        }
        count &+= bytes.count &* 2
    }

    public mutating func appendHex(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { appendHex($0) }
    }

    public mutating func appendHex(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { appendHex($0) }
    }

    /// Eight lowercase hex digits of a value (instance tags), computed in
    /// one word: each nibble spread to a byte, then '0' or 'a' - 10 added.
    public mutating func appendHex8(_ value: UInt32) {
        reserve(8)
        // Nibbles to bytes, most significant first in memory.
        var x = UInt64(value)
        x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
        x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
        x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
        // 0x06 added to each nibble carries into bit 4 exactly when it is 10 or more.
        let letters = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        let digits = x &+ 0x3030_3030_3030_3030 &+ letters &* 0x27
        UnsafeMutableRawPointer(base + count).storeBytes(of: digits.bigEndian, as: UInt64.self)
        count &+= 8
    }

    /// `width` lowercase hex digits of a value, zero-padded.
    public mutating func appendHex(_ value: UInt32, width: Int = 8) {
        if width == 8 {
            appendHex8(value)
            return
        }
        reserve(width)
        Self.hexPairs.withUnsafeBufferPointer { pairs in
            var shift = (width - 1) * 4
            if width % 2 == 1 {
                put(Self.hexDigits[Int((value >> UInt32(shift)) & 0x0f)])
                shift -= 4
            }
            // Two digits (one byte of the value) per store.
            while shift > 0 {
                put(pair: pairs[Int((value >> UInt32(shift - 4)) & 0xff)])
                shift -= 8
            }
        }
    }

    public static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The two hex digits of each byte value as they lie in memory.
    public static let hexPairs: [UInt16] = (0..<256).map { b in
        var pair: UInt16 = 0
        withUnsafeMutableBytes(of: &pair) { p in
            p[0] = hexDigits[b >> 4]
            p[1] = hexDigits[b & 0x0f]
        }
        return pair
    }
}
