// libFuzzer target: the protocol state machine (`Session`: AKE, Data
// messages, SMP, fragments, offers) driven by two parties and a network
// the input controls.
//
// The input is a script, one step a line: the first byte says what
// happens, the rest of the line is its argument. Upper case acts for
// alice, lower case for bob:
//
//   Q q   request a conversation (Query Message)
//   K k   start an AKE (argument "2" or "3" picks the version)
//   T t   send the argument as a message
//   E e   end the private conversation
//   S s   start SMP with the argument as secret ("secret?question" asks)
//   A a   answer SMP with the argument
//   X x   abort SMP
//   Y y   use the extra symmetric key, the argument as use data
//   F f   set the maximum message size to the argument (decimal; 0 = none)
//   D d   deliver the next message waiting for bob (D) or alice (d)
//   R r   drop the next message waiting for bob or alice
//   C c   deliver the last message bob or alice received again (a replay)
//   M m   change the next message waiting for bob or alice: the first
//         argument byte picks the position, the second is XORed in
//   > <   deliver the argument itself to bob or alice (a stranger's bytes)
//   *     deliver everything waiting, answers included (bounded)
//   P     set both policies: argument bytes 0 and 1 (low seven bits)
//   W     move the shared virtual clock forward the argument's seconds
//         (decimal, at most 9999; none: 61) and let both parties poll
//   I i   send to the instance the argument names (8 hex digits), or to
//         the best one
//
// Unknown steps are skipped. What the API refuses (sending while the
// conversation is finished, answering SMP nobody asked for) is expected;
// a crash, a hang or a broken invariant is a finding. Keys and randomness
// are fixed, so every input replays the same way.
import OTR

/// Long-term keys made once per process: DSA key generation is slow.
let longTermKeys: (DSAPrivateKey, DSAPrivateKey) = {
    let random = DeterministicRandom(seed: Array("fuzz session long-term keys".utf8))
    return (try! DSAPrivateKey.generate(random: random), try! DSAPrivateKey.generate(random: random))
}()

/// Bounds that keep one input cheap whatever it says.
let maximumSteps = 64
let maximumWaiting = 256
let maximumDeliveriesPerDrain = 400

struct Party {
    var session: Session
    /// Messages sent to this party, not yet delivered.
    var waiting: [[UInt8]] = []
    var lastReceived: [UInt8]? = nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let random = DeterministicRandom(seed: Array("fuzz session".utf8))
    let clock = VirtualClock()
    var parties: [Party]
    do {
        parties = [
            Party(session: try Session(configuration: .init(longTermKey: longTermKeys.0, policy: .manual,
                                                            ourInstance: InstanceTag(0x0000_1111), accountName: "alice"),
                                       random: random, clock: clock)),
            Party(session: try Session(configuration: .init(longTermKey: longTermKeys.1, policy: .manual,
                                                            ourInstance: InstanceTag(0x0000_2222), accountName: "bob"),
                                       random: random, clock: clock)),
        ]
    } catch {
        fatalError("a session could not be made: \(error)")
    }

    /// Hands `out`'s wire messages from `from` to the other party's queue.
    func post(_ out: SessionOutput, from: Int) {
        check(out, party: parties[from].session)
        for message in out.wire {
            if parties[1 - from].waiting.count >= maximumWaiting { parties[1 - from].waiting.removeFirst() }
            parties[1 - from].waiting.append(message)
        }
    }

    /// Delivers `message` to party `to`, and posts what it answers.
    func deliver(_ message: [UInt8], to: Int) {
        parties[to].lastReceived = message
        post(parties[to].session.receive(message), from: to)
    }

    func deliverNext(to: Int) {
        guard !parties[to].waiting.isEmpty else { return }
        deliver(parties[to].waiting.removeFirst(), to: to)
    }

    for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: true).prefix(maximumSteps) {
        let op = line[line.startIndex]
        let argument = Array(line.dropFirst())
        let text = String(decoding: argument, as: UTF8.self)
        let isAlice = op >= UInt8(ascii: "A") && op <= UInt8(ascii: "Z")
        let who = isAlice ? 0 : 1
        do {
            switch op | 0x20 {  // lower case: the same step for either party
            case UInt8(ascii: "q"):
                post(parties[who].session.requestConversation(), from: who)
            case UInt8(ascii: "k"):
                post(try parties[who].session.startAKE(version: argument == Array("2".utf8) ? 2 : argument == Array("3".utf8) ? 3 : nil),
                     from: who)
            case UInt8(ascii: "t"):
                post(try parties[who].session.send(argument), from: who)
            case UInt8(ascii: "e"):
                post(try parties[who].session.end(), from: who)
            case UInt8(ascii: "s"):
                let parts = argument.split(separator: UInt8(ascii: "?"), maxSplits: 1, omittingEmptySubsequences: false)
                post(try parties[who].session.startSMP(secret: Array(parts[0]), question: parts.count > 1 ? Array(parts[1]) : nil),
                     from: who)
            case UInt8(ascii: "a"):
                post(try parties[who].session.answerSMP(secret: argument), from: who)
            case UInt8(ascii: "x"):
                post(try parties[who].session.abortSMP(), from: who)
            case UInt8(ascii: "y"):
                post(try parties[who].session.useExtraSymmetricKey(use: 1, useData: argument), from: who)
            case UInt8(ascii: "i"):
                try parties[who].session.select(instance: InstanceTag(hex: text))
            case UInt8(ascii: "w"):
                guard op == UInt8(ascii: "W") else { break }
                clock.advance(by: Int64(text.prefix(4)) ?? 61)
                post(parties[0].session.poll(), from: 0)
                post(parties[1].session.poll(), from: 1)
            case UInt8(ascii: "f"):
                let size = Int(text.prefix(6)) ?? 0
                try parties[who].session.setMaximumMessageSize(size == 0 ? nil : size)
            case UInt8(ascii: "d"):
                // D: bob receives, d: alice receives.
                deliverNext(to: isAlice ? 1 : 0)
            case UInt8(ascii: "r"):
                let to = isAlice ? 1 : 0
                if !parties[to].waiting.isEmpty { parties[to].waiting.removeFirst() }
            case UInt8(ascii: "c"):
                let to = isAlice ? 1 : 0
                if let last = parties[to].lastReceived { deliver(last, to: to) }
            case UInt8(ascii: "m"):
                let to = isAlice ? 1 : 0
                if var next = parties[to].waiting.first, !next.isEmpty, argument.count >= 2 {
                    next[Int(argument[0]) % next.count] ^= argument[1]
                    parties[to].waiting[0] = next
                }
            case UInt8(ascii: "p"):
                // Not case-folded: "p" is not a step; "P" sets both.
                guard op == UInt8(ascii: "P"), argument.count >= 2 else { break }
                parties[0].session = try Session(configuration: .init(longTermKey: longTermKeys.0,
                                                                      policy: Policy(rawValue: UInt32(argument[0] & 0x7f)),
                                                                      ourInstance: InstanceTag(0x0000_1111), accountName: "alice"),
                                                 random: random, clock: clock)
                parties[1].session = try Session(configuration: .init(longTermKey: longTermKeys.1,
                                                                      policy: Policy(rawValue: UInt32(argument[1] & 0x7f)),
                                                                      ourInstance: InstanceTag(0x0000_2222), accountName: "bob"),
                                                 random: random, clock: clock)
            default:
                switch op {
                case UInt8(ascii: ">"): deliver(argument, to: 1)
                case UInt8(ascii: "<"): deliver(argument, to: 0)
                case UInt8(ascii: "*"):
                    var deliveries = 0
                    while deliveries < maximumDeliveriesPerDrain, !parties[0].waiting.isEmpty || !parties[1].waiting.isEmpty {
                        deliveries += 1
                        if !parties[1].waiting.isEmpty { deliverNext(to: 1) }
                        if !parties[0].waiting.isEmpty { deliverNext(to: 0) }
                    }
                default: break
                }
            }
        } catch {
            // The API refused the step; the session must still be usable.
        }
    }
    return 0
}

/// Invariants of what a session reports, whatever it was sent.
func check(_ out: SessionOutput, party session: Session) {
    if session.messageState == .encrypted && session.established == nil {
        fatalError("encrypted without an established AKE result")
    }
    // An instance the output reports secure, and still encrypted, holds
    // the key that AKE authenticated.
    for record in out.records {
        guard case .secure(let result) = record.event,
              let now = session.instances.first(where: { $0.instance == record.instance }), now.messageState == .encrypted
        else { continue }
        if now.theirFingerprint != result.theirFingerprint {
            fatalError("instance \(String(describing: record.instance)) reported secure with one key, holds another")
        }
    }
    if session.instances.count > Session.maximumInstances + 1 {
        fatalError("\(session.instances.count) instances kept, more than the limit")
    }
}
