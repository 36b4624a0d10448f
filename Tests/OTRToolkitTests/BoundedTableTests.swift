@testable import OTRToolkit
import Testing

/// The table the analyses keep per conversation: at most `limit` keys,
/// the oldest forgotten first, and bounded however keys come and go.
struct BoundedTableTests {
    @Test("beyond the limit the oldest key is forgotten; changing a key keeps its place")
    func oldestIsForgotten() {
        var table = BoundedTable<Int, String>(limit: 3)
        for k in 1...3 { table[k] = "v\(k)" }
        table[1] = "changed"
        table[4] = "v4"
        #expect(table[1] == nil && table[2] == "v2" && table[4] == "v4" && table.count == 3)
    }

    @Test("a key removed and added again is new: its old place does not forget it")
    func readdedKeyIsNew() {
        var table = BoundedTable<Int, Int>(limit: 2)
        table[1] = 1
        table[2] = 2
        table[1] = nil
        table[1] = 10
        table[3] = 3
        // 2 is now the oldest: 1 came back after it.
        #expect(table[2] == nil && table[1] == 10 && table[3] == 3)
    }

    @Test("keys added and removed without end keep the table's cost bounded")
    func churnStaysBounded() {
        var table = BoundedTable<Int, Int>(limit: 16)
        for k in 0..<100_000 {
            table[k] = k
            if k % 2 == 0 { table[k] = nil }
        }
        #expect(table.count <= 16)
        #expect(table.orderEntries <= 3 * 16, "\(table.orderEntries) entries kept")
    }
}
