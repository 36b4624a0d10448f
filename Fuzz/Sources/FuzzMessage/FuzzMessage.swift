// libFuzzer target: the binary and armoured message decoders.
//
// The input is taken as a binary OTR message (EncodedMessage.read), as an
// armoured one ("?OTR:<base64>.", EncodedMessage.read(armoured:) and
// MessageHeader.peek), and as the binary structures carried inside AKE
// messages and keys (AKESignedPart, the PUBKEY encoding, python-potr's
// private key serialisation). Errors are expected; a crash is a finding.
// Beyond not crashing, what was read must be written back byte for byte:
// the decoder keeps non-minimal MPI encodings for exactly that.
import OTR

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))

    if let message = try? EncodedMessage.read(bytes) {
        exercise(message)
        checkRoundTrip(message, original: bytes)
    }
    let armoured = try? EncodedMessage.read(armoured: bytes)
    if let armoured { exercise(armoured) }
    let peeked = try? MessageHeader.peek(armoured: bytes)
    if let armoured, let peeked, let header = armoured.header, header != peeked {
        fatalError("MessageHeader.peek read \(peeked), the decoder \(header)")
    }

    if let part = try? AKESignedPart.parse(bytes) {
        _ = part.publicKey.fingerprint
        // The PUBKEY is written with minimal MPIs, so compare what is read.
        if (try? AKESignedPart.parse(part.encoded)) != part { fatalError("AKESignedPart does not read back") }
    }
    if let key = try? OTRPublicKey.decode(bytes) {
        _ = key.fingerprint.description
        _ = try? key.checkLongTermSizes()
    }
    _ = try? PotrKeySerialisation.decode(bytes)
    return 0
}

/// Reads every computed property a report would print.
func exercise(_ message: EncodedMessage) {
    _ = message.name
    _ = message.header
    _ = message.violations
    if case .data(let m) = message {
        _ = m.revealedMACKeys
        _ = try? m.authenticatedBytes()
    }
}

/// A version 2 or 3 message is written back exactly as it was read; the
/// authenticated range of a Data message is what its fields rebuild; the
/// armoured form reads back to the same message.
func checkRoundTrip(_ message: EncodedMessage, original: [UInt8]) {
    if case .version1 = message { return }  // "0001" alone reads as type 0
    guard let written = try? message.serialize() else {
        fatalError("\(message.name) message read but not written back")
    }
    if written != original {
        fatalError("\(message.name) message written back differently: \(original) -> \(written)")
    }
    if case .data(let m) = message, let range = m.authenticatedRange {
        guard let rebuilt = try? m.authenticatedBytes(), rebuilt[...] == original[range] else {
            fatalError("Data message authenticated bytes differ from the authenticated range")
        }
    }
    guard let armour = try? message.armoured(),
          let again = try? EncodedMessage.read(armoured: Array(armour.utf8)), again == message else {
        fatalError("\(message.name) message does not read back from its armoured form")
    }
}
