import OTR

/// JSON written straight into an output buffer, fields in the order given:
/// decode --json writes tens of megabytes of objects, and building a tree
/// of `JSON` values for each first costs more than the decoding does. The
/// bytes are those `JSON.render` writes for the same tree.
///
/// A comma goes before each key and each array element unless it is the
/// first of its object or array, which the byte before tells ("{", "[",
/// the ":" after a key, or the newline that ended the line before: JSON
/// text holds none of its own), so the writer keeps no state.
extension OutputBuffer {
    private mutating func separate() {
        guard count > 0 else { return }
        let last = base[count - 1]
        if last != UInt8(ascii: "{") && last != UInt8(ascii: "[") && last != UInt8(ascii: ":") && last != 0x0a {
            append(UInt8(ascii: ","))
        }
    }

    /// `"key":`, after a comma unless it is the object's first.
    public mutating func jsonKey(_ key: StaticString) {
        separate()
        append(UInt8(ascii: "\""))
        append(key)
        append("\":")
    }

    public mutating func json(_ key: StaticString, _ value: JSON) {
        jsonKey(key)
        value.render(into: &self)
    }

    public mutating func json(_ key: StaticString, hex bytes: [UInt8]) {
        jsonKey(key)
        jsonHex(bytes[...])
    }

    /// A field read straight from a message's bytes, without a copy.
    public mutating func json(_ key: StaticString, hex bytes: ArraySlice<UInt8>) {
        jsonKey(key)
        jsonHex(bytes)
    }

    /// An instance tag as eight lowercase hex digits, as `InstanceTag.hex`
    /// spells it, without making a String.
    public mutating func json(_ key: StaticString, hex8 value: UInt32) {
        jsonKey(key)
        append(UInt8(ascii: "\""))
        appendHex8(value)
        append(UInt8(ascii: "\""))
    }

    public mutating func json(_ key: StaticString, int value: Int) {
        jsonKey(key)
        appendDecimal(value)
    }

    public mutating func json(_ key: StaticString, bool value: Bool) {
        jsonKey(key)
        append(value ? "true" : "false")
    }

    public mutating func json(_ key: StaticString, string: String) {
        jsonKey(key)
        JSON.appendQuoted(string, into: &self)
    }

    public mutating func jsonNull(_ key: StaticString) {
        jsonKey(key)
        append("null")
    }

    /// Bytes as text (`JSON.text`): U+FFFD for bytes that are not UTF-8.
    public mutating func json(_ key: StaticString, text bytes: [UInt8]) {
        jsonKey(key)
        JSON.text(bytes).render(into: &self)
    }

    /// A text field and, when its bytes are not UTF-8, "KEY_hex" with the
    /// exact bytes (`JSON.textField`).
    public mutating func json(_ key: StaticString, textField bytes: [UInt8]) {
        jsonKey(key)
        if JSON.isUTF8(bytes) {
            JSON.appendQuoted(bytes, into: &self)
            return
        }
        JSON.appendQuoted(String(decoding: bytes, as: UTF8.self), into: &self)
        separate()
        append(UInt8(ascii: "\""))
        append(key)
        append("_hex\":")
        jsonHex(bytes[...])
    }

    /// An object under `key` (an array element when `key` is nil), its
    /// fields written by `body`.
    public mutating func jsonObject(_ key: StaticString?, _ body: (inout OutputBuffer) -> Void) {
        if let key { jsonKey(key) } else { separate() }
        append(UInt8(ascii: "{"))
        body(&self)
        append(UInt8(ascii: "}"))
    }

    /// An array under `key` (an element when `key` is nil), its elements
    /// written by `body`.
    public mutating func jsonArray(_ key: StaticString?, _ body: (inout OutputBuffer) -> Void) {
        if let key { jsonKey(key) } else { separate() }
        append(UInt8(ascii: "["))
        body(&self)
        append(UInt8(ascii: "]"))
    }

    /// One array element.
    public mutating func jsonElement(_ value: JSON) {
        separate()
        value.render(into: &self)
    }

    public mutating func jsonElement(hex bytes: [UInt8]) {
        separate()
        jsonHex(bytes[...])
    }

    private mutating func jsonHex(_ bytes: ArraySlice<UInt8>) {
        append(UInt8(ascii: "\""))
        appendHex(bytes)
        append(UInt8(ascii: "\""))
    }
}
