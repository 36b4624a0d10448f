import OTR

/// forge transcript's work between reading a capture and writing it back:
/// the capture held whole (MAC keys are revealed after their use, so
/// nothing can be forged before the end), its Data messages, and the
/// edits applied to them, each forged with a key that verifies the
/// original. Problems are reported to `diagnostics` as they are found.
public final class TranscriptEditor {
    /// A change to the Data message that starts on `line`.
    public struct Edit: Sendable {
        public enum Change: Sendable {
            /// Known plaintext: the bytes `old` at `offset` become `new`
            /// (as long), through AES-CTR's malleability; needs a MAC key.
            case modify(offset: Int, old: [UInt8], new: [UInt8])
            /// A new text encrypted in place (TLVs kept); needs the AES key.
            case rewrite(text: [UInt8])
        }
        public var line: Int
        public var change: Change

        public init(line: Int, change: Change) {
            self.line = line
            self.change = change
        }

        /// --modify LINE:OFFSET:OLD:NEW, OLD and NEW as long.
        public init(modify spec: String) throws {
            let parts = spec.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, let line = Int(parts[0]), line > 0, let offset = Int(parts[1]), offset >= 0 else {
                throw Problem.usage("--modify \(spec.argumentText): expected LINE:OFFSET:OLD:NEW")
            }
            let old = String(parts[2]).argumentBytes, new = String(parts[3]).argumentBytes
            guard old.count == new.count else {
                throw Problem.usage("--modify \(spec.argumentText): OLD is \(old.count) bytes and NEW \(new.count); they must be equally long")
            }
            self.init(line: line, change: .modify(offset: offset, old: old, new: new))
        }

        /// --rewrite LINE:TEXT.
        public init(rewrite spec: String) throws {
            let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let line = Int(parts[0]), line > 0 else {
                throw Problem.usage("--rewrite \(spec.argumentText): expected LINE:TEXT")
            }
            self.init(line: line, change: .rewrite(text: String(parts[1]).argumentBytes))
        }
    }

    public private(set) var lines = CaptureLines()
    public private(set) var captured: [TranscriptForgery.CapturedMessage] = []
    /// Where each reassembled message's fragments stood, by line.
    private var reassembled: [Int: ReassembledMessage] = [:]
    /// The capture exceeded `CaptureLines.maximumBytes`; reading stopped.
    public private(set) var overflow = false
    private var reader = CaptureReader(plaintext: false)
    private let source: String
    private let diagnostics: Diagnostics

    public init(source: String, diagnostics: Diagnostics) {
        self.source = source
        self.diagnostics = diagnostics
    }

    /// Line `number` of the capture (numbers of lines skipped as too long
    /// are kept: their text is gone, which was reported).
    public func feed(_ line: [UInt8], number: Int) {
        guard !overflow else { return }
        guard lines.append(line, number: number) else {
            overflow = true
            diagnostics.report(SourceLocation(source: source, line: number).description,
                               "the capture is larger than \(CaptureLines.maximumBytes >> 20) MiB, which forge transcript holds in memory; stopped here",
                               status: .malformedInput)
            return
        }
        reader.feed(line, at: SourceLocation(source: source, line: number), take)
    }

    public func finish() {
        reader.finish(take)
    }

    /// Who can forge each Data message read, from the MAC keys revealed.
    public private(set) lazy var forgery = TranscriptForgery(messages: captured)

    private func take(_ event: CaptureReader.Event) {
        switch event {
        case .problem(let location, let message):
            diagnostics.report(location.description, message, status: .malformedInput)
        case .item(let item):
            // Most lines are plaintext: the location is only spelt out
            // for a line that is reported.
            switch item.item.kind {
            case .encoded(let armoured):
                guard let message = item.message else {
                    diagnostics.report(item.location.description, item.error ?? Problem.malformed("unreadable"))
                    return
                }
                guard case .data(let m) = message else { return }
                captured.append(.init(line: item.location.line, armoured: armoured, binary: item.binary, message: m))
                if let fragments = item.reassembledFrom { reassembled[item.location.line] = fragments }
            case .unterminated:
                diagnostics.report(item.location.description, "encoded message: no closing \".\" (truncated?)", status: .malformedInput)
            default:
                return
            }
        }
    }

    /// Applies `edits` in order to the lines held; each that cannot be
    /// made is reported (status 1 when no key verifies the message, 2
    /// otherwise) and leaves its line as it was.
    public func apply(_ edits: [Edit], aesKeys: [SecureBytes], macKeys: [SecureBytes]) {
        for edit in edits {
            let location = SourceLocation(source: source, line: edit.line).description
            guard let index = captured.firstIndex(where: { $0.line == edit.line }) else {
                diagnostics.report(location, "no Data message starts on this line", status: .malformedInput)
                continue
            }
            let message = captured[index].message, original = captured[index].binary
            do {
                let forged: DataMessage
                switch edit.change {
                case .modify(let offset, let old, let new):
                    var candidates: [SecureBytes] = []
                    if case .byAnyone(let k) = forgery.assessments[index].forgeability { candidates.append(SecureBytes(k.key)) }
                    candidates += macKeys + aesKeys.map { DataKeys.macKey(forAESKey: $0) }
                    guard let key = candidates.first(where: { (try? message.verifyMAC(macKey: $0, original: original)) == true }) else {
                        diagnostics.report(location, "MAC key not revealed in the capture and not given (--mac-key): only a key holder can forge this message",
                                           status: .checkFailed)
                        continue
                    }
                    forged = try message.modified(replacing: old, with: new, at: offset, macKey: key)
                case .rewrite(let text):
                    guard let key = aesKeys.first(where: {
                        (try? message.verifyMAC(macKey: DataKeys.macKey(forAESKey: $0), original: original)) == true }) else {
                        diagnostics.report(location, "no --aes-key verifies this message; its text can be rewritten only with its AES key",
                                           status: .checkFailed)
                        continue
                    }
                    var plaintext = DataPlaintext(message: text)
                    if let old = try? DataPlaintext.parse(try message.decrypt(aesKey: key)) { plaintext.tlvs = old.tlvs }
                    forged = try message.reencrypted(with: plaintext, aesKey: key)
                }
                let armoured = Array(try EncodedMessage.data(forged).armoured().utf8)
                if let fragments = reassembled[edit.line] {
                    diagnostics.report(location, "the message was reassembled from the fragments on lines \(fragments.firstPosition)-\(fragments.lastPosition); cannot put the forgery in their place",
                                       status: .malformedInput)
                    continue
                }
                var text = lines[edit.line]
                guard let range = text.firstRange(of: captured[index].armoured) else {
                    diagnostics.report(location, "the message is wrapped over lines or escaped; cannot put the forgery in its place",
                                       status: .malformedInput)
                    continue
                }
                text.replaceSubrange(range, with: armoured)
                lines[edit.line] = text
                captured[index].armoured = armoured
            } catch {
                diagnostics.report(location, error)
            }
        }
    }
}

/// The capture forge transcript rewrites, held compactly: one buffer of
/// bytes and the end offset of each line (an array per line would cost
/// tens of bytes of overhead for every short line), plus the lines edited.
public struct CaptureLines {
    /// The most forge transcript holds: it must see the whole capture
    /// before it can forge, since MAC keys are revealed after their use.
    public static let maximumBytes = 1 << 30
    private var bytes: [UInt8] = []
    /// ends[i] is where line i + 1 ends in `bytes`.
    private var ends: [UInt32] = []
    private var edited: [Int: [UInt8]] = [:]

    public init() {}

    /// Adds line `number` (1-based; numbers skipped before it are kept as
    /// empty lines). Returns false when the capture would exceed the limit.
    public mutating func append(_ line: [UInt8], number: Int) -> Bool {
        guard bytes.count + line.count <= Self.maximumBytes else { return false }
        while ends.count < number - 1 { ends.append(UInt32(bytes.count)) }
        bytes += line
        ends.append(UInt32(bytes.count))
        return true
    }

    public subscript(number: Int) -> [UInt8] {
        get {
            if let text = edited[number] { return text }
            guard number >= 1, number <= ends.count else { return [] }
            let start = number == 1 ? 0 : Int(ends[number - 2])
            return Array(bytes[start..<Int(ends[number - 1])])
        }
        set { edited[number] = newValue }
    }

    public func forEach(_ body: (ArraySlice<UInt8>) -> Void) {
        var start = 0
        for (i, end) in ends.enumerated() {
            if let text = edited[i + 1] { body(text[...]) } else { body(bytes[start..<Int(end)]) }
            start = Int(end)
        }
    }
}
