/// A dictionary that keeps at most `limit` keys, forgetting the oldest
/// first: what an analysis follows per conversation or party, so that a
/// hostile capture naming ever new ones cannot grow it. Lookups and
/// changes cost O(1) amortised.
struct BoundedTable<Key: Hashable, Value> {
    private var values: [Key: (value: Value, generation: Int)] = [:]
    /// Keys in the order they came, with the generation they came in: a
    /// key removed and added again is a new entry, and only its newest
    /// generation is forgotten when its turn comes.
    private var order: [(key: Key, generation: Int)] = []
    private var head = 0
    private var generation = 0
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { values.count }
    /// Entries `order` holds, live or not: what the table costs.
    var orderEntries: Int { order.count - head }

    subscript(key: Key) -> Value? {
        get { values[key]?.value }
        set {
            guard let newValue else {
                values[key] = nil
                return
            }
            if let kept = values[key] {
                values[key] = (newValue, kept.generation)
                return
            }
            generation += 1
            values[key] = (newValue, generation)
            order.append((key, generation))
            // Forget the oldest keys still kept until `limit` remain.
            while values.count > limit, head < order.count {
                let oldest = order[head]
                head += 1
                if values[oldest.key]?.generation == oldest.generation { values[oldest.key] = nil }
            }
            // Entries of keys since removed stay in `order` until they are
            // dropped here, now and then, so it stays within a few times
            // `limit` however many keys come and go.
            if order.count - head > 2 * limit {
                order = order[head...].filter { values[$0.key]?.generation == $0.generation }
                head = 0
            } else if head > limit {
                order.removeFirst(head)
                head = 0
            }
        }
    }
}
