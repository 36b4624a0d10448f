import OTR

/// Maps the reassembler's positions (one per input record, counted across
/// all sources) back to a source and line.
public struct PositionTable {
    private var starts: [(position: Int, source: String)] = []
    private var count = 0

    public init() {}

    public mutating func next(_ location: SourceLocation) -> Int {
        count += 1
        if starts.last?.source != location.source || location.line == 1 {
            starts.append((count - location.line + 1, location.source))
        }
        return count
    }

    public func location(_ position: Int) -> SourceLocation {
        var low = 0, high = starts.count - 1
        var found = starts.first ?? (1, "-")
        while low <= high {
            let mid = (low + high) / 2
            if starts[mid].position <= position {
                found = starts[mid]
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return SourceLocation(source: found.source, line: position - found.position + 1)
    }
}
