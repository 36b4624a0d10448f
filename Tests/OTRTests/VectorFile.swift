import Foundation
import Testing

/// A failure to read a vector file, naming the file.
struct VectorFileError: Error, CustomStringConvertible {
    let description: String
}

/// The common shape of the vector files: a citation and the vectors.
struct VectorSet<Vector: Decodable & Sendable>: Decodable, Sendable {
    let source: String
    let vectors: [Vector]
}

/// Loads `Vectors/<name>.json` from the test bundle.
enum VectorFile {
    static func url(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Vectors") else {
            throw VectorFileError(description: "vector file Vectors/\(name).json is missing from the OTRTests bundle")
        }
        return url
    }

    /// Any JSON document in the vector directory, decoded as `T`.
    static func decode<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let fileURL = try url(name)
        let data: Data
        do {
            data = try Data(contentsOf: fileURL)
        } catch {
            throw VectorFileError(description: "cannot read Vectors/\(name).json: \(error)")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw VectorFileError(description: "Vectors/\(name).json does not decode as \(T.self): \(error)")
        }
    }

    /// A `{"source": ..., "vectors": [...]}` file. An empty vector list is
    /// an error, so a runner can never pass by checking nothing.
    static func load<V: Decodable & Sendable>(_ name: String, _ type: V.Type) throws -> VectorSet<V> {
        let set = try decode(name, as: VectorSet<V>.self)
        guard !set.vectors.isEmpty else {
            throw VectorFileError(description: "Vectors/\(name).json has no vectors")
        }
        guard !set.source.isEmpty else {
            throw VectorFileError(description: "Vectors/\(name).json does not name its source")
        }
        return set
    }
}

/// Hex to bytes for vector fields, written independently of `Hex.decode`
/// so that the vectors do not depend on the code they help to test.
func unhex(_ text: String) throws -> [UInt8] {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else {
        throw VectorFileError(description: "odd-length hex in a vector: \(text.prefix(40))")
    }
    func nibble(_ c: UInt8) throws -> UInt8 {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: throw VectorFileError(description: "vector hex must be lowercase digits: \(text.prefix(40))")
        }
    }
    var out = [UInt8]()
    out.reserveCapacity(digits.count / 2)
    var i = 0
    while i < digits.count {
        out.append(try nibble(digits[i]) << 4 | nibble(digits[i + 1]))
        i += 2
    }
    return out
}

/// Bytes to lowercase hex, for readable failure messages.
func tohex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
