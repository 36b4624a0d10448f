// libFuzzer target: the capture path of `otrtool decode`.
//
// The input is a capture (chat log lines, XMPP stanzas, wrapped base64,
// fragments), fed line by line to TranscriptScanner; every item is handled
// as otrtool's decode handles it: encoded messages are unwrapped and given
// to a CaptureAnalyzer, fragments to a Reassembler whose completed messages
// are scanned and decoded again, offers have their violations read, and
// decode --explain's replay hears every item.
//
// Leading lines "#aes HEX", "#mac HEX", "#s HEX" and "#smp HEX" (at most
// six) are not part of the capture: they are the AES keys, MAC keys, AKE
// shared secrets and SMP exponents the analyser is given, so that seeds
// from real conversations carry the keys that verify their MACs, decrypt
// their TLVs and check their SMP outcome. (With an
// AKE secret the analyser checks the AKE signature with the public key
// the message carries; AES-CTR being malleable, this target soon feeds it
// hostile keys: that is how it found libgcrypt aborting on a composite q,
// see FuzzRegressionTests.)
import OTR
import OTRToolkit

/// Lines longer than this are counted with skipLine(), as decode does with
/// lines over its limit.
let lineLimit = 1 << 16

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false)[...]
    var keys = CaptureKeys()
    var keyLines = 0
    while keyLines < 6, let first = lines.first, let key = keyLine(first) {
        switch key.kind {
        case "aes": keys.aesKeys.append(SecureBytes(key.value))
        case "mac": keys.macKeys.append(SecureBytes(key.value))
        case "smp": keys.smpExponents.append(MPI(bytes: key.value))
        default: keys.sharedSecrets.append(MPI(bytes: key.value))
        }
        keyLines += 1
        lines = lines.dropFirst()
    }

    let decoder = Decoder(keys: keys)
    var scanner = TranscriptScanner()
    for line in lines {
        var text = Array(line)
        if text.last == 0x0d { text.removeLast() }
        if text.count > lineLimit {
            decoder.handle(scanner.skipLine())
        } else {
            decoder.handle(scanner.feed(text))
        }
    }
    decoder.handle(scanner.finish())
    decoder.finish()
    return 0
}

func keyLine(_ line: ArraySlice<UInt8>) -> (kind: String, value: [UInt8])? {
    for kind in ["aes", "mac", "smp", "s"] {
        let prefix = Array("#\(kind) ".utf8)
        if line.starts(with: prefix), let value = try? Hex.decode(utf8: line.dropFirst(prefix.count)) {
            return (kind, value)
        }
    }
    return nil
}

/// What otrtool's DecodeSession does with the scanner's items, without the
/// output.
final class Decoder {
    let analyzer: CaptureAnalyzer
    let replay = ConversationReplay()
    var reassembler = Reassembler()

    init(keys: CaptureKeys) {
        analyzer = CaptureAnalyzer(keys: keys)
    }

    func handle(_ items: [TranscriptScanner.Item]) {
        for item in items {
            guard case .fragment(let raw) = item.kind else {
                decode(item)
                continue
            }
            // As the capture reader does: the rules a fragment broke go to
            // the replay with it.
            let events = reassembler.receive(raw[...], at: item.line)
            let problems = events.compactMap { event -> ReassemblyProblem? in
                if case .problem(let problem) = event { problem } else { nil }
            }
            _ = replay.explain(item, message: nil, analysis: nil, problem: nil, fragmentProblems: problems, line: item.line)
            reassembled(events)
        }
    }

    func finish() {
        reassembled(reassembler.finish())
    }

    func reassembled(_ events: [Reassembler.Event]) {
        for event in events {
            guard case .completed(let message) = event else { continue }
            var scanner = TranscriptScanner()
            for item in scanner.feed(message.message) + scanner.finish() {
                decode(item)
            }
        }
    }

    func decode(_ item: TranscriptScanner.Item) {
        switch item.kind {
        case .encoded(let armoured):
            guard let binary = try? Armour.unwrap(armoured),
                  let message = try? EncodedMessage.read(binary) else {
                _ = replay.explain(item, message: nil, analysis: nil, problem: "unreadable", line: item.line)
                return
            }
            let analysis = analyzer.analyze(message, binary: binary)
            _ = replay.explain(item, message: message, analysis: analysis, problem: nil, line: item.line)
            _ = message.name
            _ = analysis.violations
            if let data = analysis.data, let plaintext = data.plaintext {
                for tlv in plaintext.tlvs { _ = try? tlv.content() }
            }
            if let ake = analysis.ake {
                _ = ake.opening?.problem
                _ = ake.signatureCheck?.signedPart?.publicKey.fingerprint
            }
        case .query(let q, let text, _):
            _ = q.violations
            _ = text.count
        case .whitespaceTag(let t, let text, _):
            _ = t.violations
            _ = text.count
        case .error(let e):
            _ = e.text
            _ = replay.explain(item, message: nil, analysis: nil, problem: nil, line: item.line)
        case .unterminated, .fragment, .unrecognised, .plaintext:
            break
        }
    }
}
