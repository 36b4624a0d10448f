import OTR

#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Musl)
@preconcurrency import Musl
#endif

/// The bytes of the command-line arguments, exactly as given.
///
/// File names and account names are bytes, not text, and need not be
/// UTF-8. `CommandLine.arguments` replaces every byte that is not with
/// U+FFFD, so "\xff.log" would name a file that does not exist and the
/// accounts "\xff" and "\xfe" would be one. The argument parser is
/// handed the arguments with each such byte B as the private-use scalar
/// U+F700 + B instead (B is 0x80-0xFF), and the commands map what it
/// gives back to bytes with `argumentBytes`. A valid UTF-8 sequence for
/// one of those 128 scalars is escaped byte by byte too, so the mapping
/// is one to one and every argument comes back byte for byte.
public enum ArgumentBytes {
    /// The scalar standing for byte B is `escapeBase + B`.
    public static let escapeBase: UInt32 = 0xF700

    /// argv, each argument's bytes as described above.
    public static let arguments: [String] = (0..<Int(CommandLine.argc)).map { i in
        guard let argument = CommandLine.unsafeArgv[i] else { return "" }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(argument).assumingMemoryBound(to: UInt8.self),
                                        count: strlen(argument))
        return string(from: bytes)
    }

    /// `bytes` as an argument string: valid UTF-8 as it is, every other
    /// byte escaped.
    public static func string(from bytes: UnsafeBufferPointer<UInt8>) -> String {
        var text = ""
        var start = 0, i = 0
        while i < bytes.count {
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = validSequenceLength(bytes, at: i)
            if length > 0, !isEscapeScalar(bytes, at: i) {
                i += length
                continue
            }
            text += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            text.unicodeScalars.append(Unicode.Scalar(escapeBase + UInt32(bytes[i]))!)
            i += 1
            start = i
        }
        text += String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self)
        return text
    }

    /// The bytes an argument string stands for.
    public static func bytes(of argument: String) -> [UInt8] {
        guard hasEscapes(argument) else { return Array(argument.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(argument.utf8.count)
        for scalar in argument.unicodeScalars {
            if let byte = escapedByte(scalar) {
                out.append(byte)
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// The argument as text for messages: each byte that is not UTF-8 as
    /// an escape \xHH, as otrtool shows such bytes elsewhere.
    public static func text(of argument: String) -> String {
        guard hasEscapes(argument) else { return argument }
        var out = ""
        for scalar in argument.unicodeScalars {
            if let byte = escapedByte(scalar) {
                out += "\\x" + String(byte, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether the string holds an escaped byte: every escape scalar is
    /// encoded as EF 9E xx or EF 9F xx.
    public static func hasEscapes(_ argument: String) -> Bool {
        var argument = argument
        return argument.withUTF8 { utf8 in
            var i = 0
            while let found = utf8[i...].firstIndex(of: 0xEF) {
                if found + 1 < utf8.count, utf8[found + 1] == 0x9E || utf8[found + 1] == 0x9F { return true }
                i = found + 1
            }
            return false
        }
    }

    private static func escapedByte(_ scalar: Unicode.Scalar) -> UInt8? {
        let offset = scalar.value &- escapeBase
        return offset >= 0x80 && offset <= 0xFF ? UInt8(offset) : nil
    }

    /// Whether the valid sequence at `i` encodes an escape scalar.
    private static func isEscapeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        bytes[i] == 0xEF && (bytes[i + 1] == 0x9E || bytes[i + 1] == 0x9F)
    }

    /// The length of the well-formed UTF-8 sequence starting at `i`
    /// (Unicode 15, table 3-7), or 0.
    private static func validSequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; second = 0xA0...0xBF
        case 0xED: length = 3; second = 0x80...0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0: length = 4; second = 0x90...0xBF
        case 0xF4: length = 4; second = 0x80...0x8F
        case 0xF1...0xF3: length = 4
        default: return 0
        }
        guard i + length <= bytes.count, second.contains(bytes[i + 1]) else { return 0 }
        for k in 2..<length where !(0x80...0xBF).contains(bytes[i + k]) { return 0 }
        return length
    }
}

extension String {
    /// The bytes of this command-line argument (or part of one) as the
    /// user gave them; see `ArgumentBytes`.
    public var argumentBytes: [UInt8] { ArgumentBytes.bytes(of: self) }

    /// This command-line argument as text for messages.
    public var argumentText: String { ArgumentBytes.text(of: self) }

    /// Calls `body` with this argument as a C string of its own bytes: the
    /// file name to hand the system.
    public func withArgumentCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        guard ArgumentBytes.hasEscapes(self) else { return try withCString(body) }
        let bytes = argumentBytes + [0]
        return try bytes.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }
}

extension JSON {
    /// A command-line argument (a file name) as a JSON string: its bytes
    /// as text, U+FFFD in place of bytes that are not UTF-8.
    public static func argument(_ argument: String) -> JSON {
        ArgumentBytes.hasEscapes(argument) ? .text(argument.argumentBytes) : .string(argument)
    }
}
