import OTR

/// decode --explain's view of the AKEs of a capture: for each party that
/// sent a D-H Commit, how far its AKE got (spec "Authenticated Key
/// Exchange", the authstates of its initiator). A party that begins again
/// shows which message of its earlier AKE went missing: the spec's state
/// machine moves on at every message delivered, so in a capture of what
/// the receivers were handed a D-H Commit with no D-H Key after it lost
/// its D-H Key, and a D-H Key with no Reveal Signature after it lost that.
///
/// Parties are their version 3 instance tags (the D-H Commit's sender);
/// version 2 names none, so its one conversation is party 0, and a new
/// D-H Commit there may be the other party's (two AKEs crossing, spec
/// "AUTHSTATE_AWAITING_DHKEY"): a lost D-H Key is named only for
/// version 3, where the sender is known.
struct AKEProgress {
    private enum Step {
        /// AUTHSTATE_AWAITING_DHKEY: the D-H Commit (its hashed g^x) at
        /// `line`; `answered` is the D-H Key of the AKE this one replaced,
        /// if it got one, which a responder re-sends unchanged.
        case committed(hashedGx: [UInt8], line: Int, answered: (gy: [UInt8], line: Int)?)
        /// AUTHSTATE_AWAITING_REVEALSIG on the other side: the D-H Key at
        /// `line` answered the D-H Commit at `commitLine`.
        case answered(hashedGx: [UInt8], commitLine: Int, gy: [UInt8], line: Int)
        /// AUTHSTATE_AWAITING_SIG: the Reveal Signature at `line`.
        case revealed(hashedGx: [UInt8], commitLine: Int, line: Int)

        var hashedGx: [UInt8] {
            switch self {
            case .committed(let h, _, _), .answered(let h, _, _, _), .revealed(let h, _, _): h
            }
        }
    }

    private var steps = BoundedTable<UInt32, Step>(limit: ConversationReplay.maximumTracked)

    /// A D-H Commit from `from`: a copy of the one in progress is the
    /// same AKE (re-sent, spec "AUTHSTATE_AWAITING_DHKEY" when the other's
    /// D-H Commit crossed it); another one begins again, and says what the
    /// AKE it replaces was still waiting for.
    mutating func dhCommit(_ m: DHCommitMessage, from: UInt32, directed: Bool, name: String, line: Int) -> [String] {
        let previous = steps[from]
        if let previous, previous.hashedGx == m.hashedGx { return [] }
        var reasons: [String] = []
        var answered: (gy: [UInt8], line: Int)? = nil
        switch previous {
        case .committed(_, let at, _)? where directed:
            reasons.append("a new D-H Commit from \(name): its D-H Commit of line \(at) got no D-H Key in the capture, which was lost (or never sent), and \(name) began the AKE again")
        case .answered(_, let commitLine, let gy, let at)?:
            reasons.append("a new D-H Commit from \(name): the AKE it began at line \(commitLine) got its D-H Key at line \(at), and no Reveal Signature from \(name) followed: the Reveal Signature was lost (or never sent), and \(name) began again")
            answered = (gy, at)
        case .revealed(_, _, let at)?:
            reasons.append("a new D-H Commit from \(name): its Reveal Signature of line \(at) got no Signature message in the capture, which was lost (or never sent), and \(name) began again")
        case .committed?, nil:
            break
        }
        steps[from] = .committed(hashedGx: m.hashedGx, line: line, answered: answered)
        return reasons
    }

    /// A D-H Key from `from` answering `to`'s D-H Commit. The D-H Key a
    /// party sent before, again, is the spec's answer to a new D-H Commit
    /// in AUTHSTATE_AWAITING_REVEALSIG: that party never got the Reveal
    /// Signature of the AKE before.
    mutating func dhKey(_ m: DHKeyMessage, from: UInt32, to: UInt32, name: String, line: Int) -> [String] {
        // A party that answers gave up its own D-H Commit, if it sent one.
        if from != to { steps[from] = nil }
        guard case .committed(let hashedGx, let commitLine, let answered)? = steps[to] else { return [] }
        let gy = m.gy.bytes
        steps[to] = .answered(hashedGx: hashedGx, commitLine: commitLine, gy: gy, line: line)
        guard let answered, answered.gy == gy else { return [] }
        return ["the D-H Key of line \(answered.line) again: \(name) answers a new D-H Commit with the D-H Key it sent before (spec \"AUTHSTATE_AWAITING_REVEALSIG\"), so no Reveal Signature reached it"]
    }

    mutating func revealSignature(from: UInt32, line: Int) {
        guard case .answered(let hashedGx, let commitLine, _, _)? = steps[from] else { return }
        steps[from] = .revealed(hashedGx: hashedGx, commitLine: commitLine, line: line)
    }

    /// The Signature message ends the AKE of its receiver.
    mutating func signature(to: UInt32) {
        steps[to] = nil
    }

    /// What the AKE of either party was last waiting for, for a Data
    /// message sent while it had not ended.
    func waiting(_ parties: UInt32...) -> String? {
        for party in parties {
            switch steps[party] {
            case .committed(_, let at, _)?:
                return "the last AKE message was the D-H Commit at line \(at), and no D-H Key followed"
            case .answered(_, _, _, let at)?:
                return "the last AKE message was the D-H Key at line \(at), and no Reveal Signature followed"
            case .revealed(_, _, let at)?:
                return "the last AKE message was the Reveal Signature at line \(at), and the Signature message answering it is not in the capture"
            case nil:
                continue
            }
        }
        return nil
    }
}
