/// The aligned "label  value" rows of a text report, written straight into
/// an output buffer: decode prints tens of megabytes of them, and building
/// a String or an array per row costs more than the decoding does.
///
/// A row is four spaces, the label padded to `labelWidth` (at least one
/// space after it), the value, and a newline.
struct TextRows {
    static let labelWidth = 21

    var bytes: [UInt8]

    init(bytes: [UInt8] = []) {
        self.bytes = bytes
    }

    // MARK: Rows

    mutating func row(_ label: StaticString, _ text: String) {
        start(label)
        append(text)
        bytes.append(0x0a)
    }

    mutating func row(_ label: StaticString, hex value: [UInt8]) {
        start(label)
        appendHex(value)
        bytes.append(0x0a)
    }

    /// Hex followed by "(N bytes)"; "(empty)" when empty.
    mutating func row(_ label: StaticString, hexWithLength value: [UInt8]) {
        start(label)
        if value.isEmpty {
            append("(empty)")
        } else {
            appendHex(value)
            append(" (")
            appendDecimal(value.count)
            append(" bytes)")
        }
        bytes.append(0x0a)
    }

    mutating func row(_ label: StaticString, decimal value: some BinaryInteger) {
        start(label)
        appendDecimal(value)
        bytes.append(0x0a)
    }

    /// A row whose label is built at run time (SMP MPI numbers).
    mutating func row(label: String, hex value: [UInt8]) {
        start(label: label)
        appendHex(value)
        bytes.append(0x0a)
    }

    /// Four spaces and the padded label; the caller appends the value and
    /// ends the row with `endRow()`.
    mutating func start(_ label: StaticString) {
        bytes.append(contentsOf: Self.indent)
        label.withUTF8Buffer { bytes.append(contentsOf: $0) }
        pad(after: label.utf8CodeUnitCount)
    }

    mutating func start(label: String) {
        bytes.append(contentsOf: Self.indent)
        var label = label
        let count = label.withUTF8 { utf8 in
            bytes.append(contentsOf: utf8)
            return utf8.count
        }
        pad(after: count)
    }

    mutating func endRow() {
        bytes.append(0x0a)
    }

    private static let indent: [UInt8] = [0x20, 0x20, 0x20, 0x20]
    private static let spaces = [UInt8](repeating: 0x20, count: labelWidth)

    private mutating func pad(after count: Int) {
        let n = max(1, Self.labelWidth - count)
        if n <= Self.spaces.count {
            bytes.append(contentsOf: Self.spaces[0..<n])
        }
    }

    // MARK: Values

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func appendHex(_ value: [UInt8]) {
        JSON.appendHex(value, into: &bytes)
    }

    mutating func appendHex(_ value: ArraySlice<UInt8>) {
        JSON.appendHex(value, into: &bytes)
    }

    /// `width` lowercase hex digits of a value, zero-padded (instance tags).
    mutating func appendHex(_ value: UInt32, width: Int = 8) {
        var shift = (width - 1) * 4
        while shift >= 0 {
            bytes.append(JSON.hexDigits[Int((value >> UInt32(shift)) & 0x0f)])
            shift -= 4
        }
    }

    mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(truncatingIfNeeded: -Int64(value)))
            return
        }
        var v = UInt64(value)
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var i = buffer.count
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") &+ UInt8(v % 10)
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[i...]))
        }
    }
}
