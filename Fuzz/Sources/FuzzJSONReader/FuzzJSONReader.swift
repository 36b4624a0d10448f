// libFuzzer target: the JSON reader encode and decode's readers use
// (JSONParser), on hostile bytes.
//
// Beyond not crashing (a nesting limit keeps deep input off the stack):
// what it reads is written back with otrtool's own JSON writer for the
// strings (JSON.string(...).render(), the escaping every JSON line of
// otrtool goes through) and the numbers' own text, and read again to the
// same value; reading is deterministic.
import OTR
import OTRToolkit

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    guard let again = try? JSONParser.parse(bytes), again == value else {
        fatalError("the same bytes read twice differ")
    }
    let written = Array(write(value).utf8)
    guard let reread = try? JSONParser.parse(written) else {
        fatalError("the writer's form does not read back: \(String(decoding: written, as: UTF8.self).prefix(200))")
    }
    if reread != value {
        fatalError("the writer's form reads back to another value")
    }
    return 0
}

func write(_ value: JSONValue) -> String {
    switch value {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let text): return text
    case .string(let s): return JSON.string(s).render()
    case .array(let items): return "[" + items.map(write).joined(separator: ",") + "]"
    case .object(let fields):
        return "{" + fields.keys.sorted().map { JSON.string($0).render() + ":" + write(fields[$0]!) }.joined(separator: ",") + "}"
    }
}
