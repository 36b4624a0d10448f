// libFuzzer target: encode's message builder (MessageBuilder.build), which
// turns one JSON object of decode --json into the bytes of a message, on
// hostile JSON.
//
// Beyond not crashing: building is deterministic, and a message of an
// encoded kind (D-H Commit ... Data) that builds is read back by the
// protocol library's message reader to the same bytes.
import OTR
import OTRToolkit

let encodedKinds: Set<String> = ["dh-commit", "dh-key", "reveal-signature", "signature", "data"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let object = try? JSONParser.parse(bytes) else { return 0 }
    let builder = MessageBuilder()
    guard let built = try? builder.build(object) else { return 0 }
    guard let again = try? builder.build(object), again == built else {
        fatalError("the same object built twice differs")
    }
    guard let kind = object["kind"]?.stringValue, encodedKinds.contains(kind) else { return 0 }
    guard let message = try? builder.message(object, kind: kind) else {
        fatalError("\(kind) built as a whole but not as a message")
    }
    guard let serialized = try? message.serialize() else {
        fatalError("\(kind) built as a whole but cannot be serialised")
    }
    guard let read = try? EncodedMessage.read(serialized), (try? read.serialize()) == serialized else {
        fatalError("\(kind) built does not read back to the same bytes")
    }
    return 0
}
