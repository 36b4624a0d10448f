import OTR

extension ReassemblyProblem {
    /// decode --explain's reading of a broken fragment series, for the
    /// fragment that broke it: what the receiver, which keeps one message
    /// in progress per stream and takes only fragment k + 1 of the same n
    /// next (spec "Fragmentation", receiving), does with it, and which
    /// message is lost. nil when nothing is lost (a first fragment sent
    /// again unchanged).
    var explanation: String? {
        let series = seriesStart.map { "the message whose fragments began at line \($0)" } ?? "the message in progress"
        switch kind {
        case .duplicate where discardedFragments == 0 && seriesStart != nil && k == 1:
            return nil
        case .restarted:
            return "a broken fragment series: \(self); the receiver begins a new message with this fragment 1 (spec \"Fragmentation\") and forgets \(series), which is lost"
        case .malformed:
            return "\(self): no receiver takes it as a fragment (spec \"Fragmentation\")"
        case .firstMissing:
            return "a broken fragment series: \(self): the receiver keeps no message this fragment belongs to (spec \"Fragmentation\"), so its message is lost"
        case .nestedFragment, .instanceTagMismatch, .tooLarge, .evicted, .incomplete:
            return "a broken fragment series: \(self)"
        case .missing, .duplicate, .outOfOrder, .nChanged:
            let rule = "a broken fragment series: \(self); the receiver takes only the next fragment of the same n (spec \"Fragmentation\")"
            return discardedFragments > 0
                ? "\(rule), so it forgets \(series), which is lost, and ignores this fragment"
                : "\(rule); it had already forgotten \(series), and ignores this fragment too"
        }
    }
}
