import OTR

/// The aligned "label  value" rows of a text report, written straight into
/// the output buffer: decode prints tens of megabytes of them, and building
/// a String or an array per row costs more than the decoding does.
///
/// A row is four spaces, the label padded to `labelWidth` (at least one
/// space after it), the value, and a newline.

extension OutputBuffer {
    public static let labelWidth = 21

    /// A row of our own text.
    public mutating func row(_ label: StaticString, _ text: StaticString) {
        start(label)
        append(text)
        endRow()
    }

    /// A row of text put together at run time, which may hold input (a
    /// rule broken, a reason): its control characters are escaped.
    /// Disfavoured, so that a literal takes the StaticString row.
    @_disfavoredOverload
    public mutating func row(_ label: StaticString, _ text: String) {
        start(label)
        TextEscaping.append(text, style: .line, to: &self)
        endRow()
    }

    /// A row of untrusted bytes, escaped and in quotes.
    public mutating func row(_ label: StaticString, quoted bytes: [UInt8]) {
        start(label)
        TextEscaping.appendQuoted(bytes, to: &self)
        endRow()
    }

    public mutating func row(_ label: StaticString, hex value: [UInt8]) {
        row(label, hex: value[...])
    }

    public mutating func row(_ label: StaticString, hex value: ArraySlice<UInt8>) {
        start(label)
        appendHex(value)
        endRow()
    }

    public mutating func row(_ label: StaticString, hexWithLength value: [UInt8]) {
        row(label, hexWithLength: value[...])
    }

    /// Hex followed by "(N bytes)"; "(empty)" when empty.
    public mutating func row(_ label: StaticString, hexWithLength value: ArraySlice<UInt8>) {
        start(label)
        if value.isEmpty {
            append("(empty)")
        } else {
            appendHex(value)
            append(" (")
            appendDecimal(value.count)
            append(" bytes)")
        }
        endRow()
    }

    public mutating func row(_ label: StaticString, decimal value: some BinaryInteger) {
        start(label)
        appendDecimal(value)
        endRow()
    }

    /// A row whose label is built at run time (SMP MPI numbers).
    public mutating func row(label: String, hex value: [UInt8]) {
        start(label: label)
        appendHex(value)
        endRow()
    }

    /// Four spaces and the padded label; the caller appends the value and
    /// ends the row with `endRow()`.
    public mutating func start(_ label: StaticString) {
        label.withUTF8Buffer { start(utf8: $0) }
    }

    public mutating func start(label: String) {
        var label = label
        label.withUTF8 { start(utf8: $0) }
    }

    private mutating func start(utf8 label: UnsafeBufferPointer<UInt8>) {
        let width = 4 + max(label.count + 1, Self.labelWidth)
        reserve(width + 7)
        // Spaces over the whole width in word stores, then the label over
        // them: cheaper than padding byte by byte, on every row of decode.
        let row = UnsafeMutableRawPointer(base + count)
        var at = 0
        while at < width {
            row.storeBytes(of: Self.eightSpaces, toByteOffset: at, as: UInt64.self)
            at += 8
        }
        if let text = label.baseAddress {
            (row + 4).copyMemory(from: text, byteCount: label.count)
        }
        advance(by: width)
    }

    @inline(__always)
    public mutating func endRow() {
        append(0x0a)
    }

    private static let eightSpaces: UInt64 = 0x2020_2020_2020_2020
}
