import Testing
@testable import OTR

struct ReassemblerTests {
    static func v2(_ k: Int, _ n: Int, _ piece: String) -> Fragment {
        Fragment(form: .v2, k: k, n: n, piece: Array(piece.utf8))
    }
    static func v3(_ s: UInt32, _ r: UInt32, _ k: Int, _ n: Int, _ piece: String) -> Fragment {
        Fragment(form: .v3, senderInstance: s, receiverInstance: r, k: k, n: n, piece: Array(piece.utf8))
    }

    static func feed(_ r: inout Reassembler, _ fragments: [Fragment]) -> (messages: [String], problems: [ReassemblyProblem]) {
        var messages: [String] = [], problems: [ReassemblyProblem] = []
        for (i, f) in fragments.enumerated() {
            for event in r.receive(f, at: i + 1) {
                switch event {
                case .completed(let m): messages.append(String(decoding: m.message, as: UTF8.self))
                case .problem(let p): problems.append(p)
                }
            }
        }
        for event in r.finish() {
            if case .problem(let p) = event { problems.append(p) }
        }
        return (messages, problems)
    }

    @Test func inOrderFragmentsCompleteOneMessage() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "ab"), Self.v2(2, 3, "c,d"), Self.v2(3, 3, "e")])
        #expect(messages == ["abc,de"])
        #expect(problems.isEmpty)
        #expect(r.pendingCount == 0 && r.bufferedBytes == 0)
    }

    @Test func aNewFirstFragmentMidMessageRestartsAsLibotrDoes() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "a"), Self.v2(2, 3, "b"), Self.v2(1, 2, "X"), Self.v2(2, 2, "Y")])
        #expect(messages == ["XY"])
        #expect(problems.map(\.kind) == [.restarted])
        #expect(problems.first?.discardedFragments == 2)
        #expect(problems.first?.position == 3)
    }

    @Test func aDuplicateKCostsTheMessageAsInLibotr() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "a"), Self.v2(2, 3, "b"), Self.v2(2, 3, "b"), Self.v2(3, 3, "c")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.duplicate])
        #expect(problems.first?.k == 2 && problems.first?.discardedFragments == 2)
    }

    @Test func aRepeatedIdenticalFirstFragmentLosesNothing() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 2, "a"), Self.v2(1, 2, "a"), Self.v2(2, 2, "b")])
        #expect(messages == ["ab"])
        #expect(problems.map(\.kind) == [.duplicate])
    }

    @Test func swappedFragmentsAreMissingThenOutOfOrder() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 4, "a"), Self.v2(3, 4, "c"), Self.v2(2, 4, "b"), Self.v2(4, 4, "d")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.missing, .outOfOrder])
        #expect(problems[0].missing == 2...2 && problems[0].expectedK == 2)
        #expect(problems[1].k == 2)
    }

    @Test func nChangingMidMessageIsReported() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "a"), Self.v2(2, 4, "b")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.nChanged])
        #expect(problems[0].previousN == 3 && problems[0].n == 4)
    }

    @Test func aMissingLastFragmentIsReportedAtTheEnd() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "a"), Self.v2(2, 3, "b")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.incomplete])
        #expect(problems[0].missing == 3...3 && problems[0].position == 1)
    }

    @Test func fragmentsWithoutTheirStartAreReportedOnce() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(3, 5, "c"), Self.v2(4, 5, "d"), Self.v2(5, 5, "e")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.firstMissing])
        #expect(problems[0].missing == 1...2)
    }

    @Test func invalidFragmentsAreMalformedAndIgnored() {
        var r = Reassembler()
        let cases = ["?OTR,0,1,x,", "?OTR,2,1,x,", "?OTR,1,0,x,", "?OTR,1,65536,x,", "?OTR,1,1,,"]
        for text in cases {
            let events = r.receive(Array(text.utf8)[...], at: 1)
            guard case .problem(let p)? = events.first else {
                Issue.record("no problem for \(text)")
                continue
            }
            #expect(p.kind == .malformed)
            #expect(events.count == 1)
        }
        #expect(r.pendingCount == 0)
    }

    @Test func aReassembledFragmentIsNotDelivered() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 2, "?OTR,1,1"), Self.v2(2, 2, ",x,")])
        #expect(messages.isEmpty)
        #expect(problems.map(\.kind) == [.nestedFragment])
    }

    @Test func v3TagsMustMatchTheMessageHeader() {
        // Header 00 03 02, sender 0x00000100, receiver 0x00000000.
        let good = "?OTR:AAMCAAABAAAAAAA="
        let bad = "?OTR:AAMCAAABAQAAAAA="
        var r = Reassembler()
        let ok = Self.feed(&r, [Self.v3(0x100, 0, 1, 2, String(good.prefix(10))), Self.v3(0x100, 0, 2, 2, String(good.dropFirst(10)))])
        #expect(ok.messages == [good])
        #expect(ok.problems.isEmpty)
        let mismatch = Self.feed(&r, [Self.v3(0x100, 0, 1, 2, String(bad.prefix(10))), Self.v3(0x100, 0, 2, 2, String(bad.dropFirst(10)))])
        #expect(mismatch.messages == [bad])
        #expect(mismatch.problems.map(\.kind) == [.instanceTagMismatch])
    }

    @Test func instancesAreReassembledIndependently() {
        var r = Reassembler()
        let (messages, problems) = Self.feed(&r, [
            Self.v3(0x100, 0x200, 1, 2, "A1"), Self.v3(0x200, 0x100, 1, 2, "B1"), Self.v2(1, 2, "C1"),
            Self.v3(0x200, 0x100, 2, 2, "B2"), Self.v2(2, 2, "C2"), Self.v3(0x100, 0x200, 2, 2, "A2"),
        ])
        #expect(messages == ["B1B2", "C1C2", "A1A2"])
        #expect(problems.isEmpty)
    }

    @Test func aThousandInterleavedMessagesAllComplete() {
        var r = Reassembler()
        var fragments: [Fragment] = []
        for k in 1...5 {
            for m in 0..<1000 {
                fragments.append(Self.v3(UInt32(0x1000 + m), 0x100, k, 5, "m\(m)k\(k)|"))
            }
        }
        let (messages, problems) = Self.feed(&r, fragments)
        #expect(problems.isEmpty)
        #expect(messages.count == 1000)
        #expect(messages.first == "m0k1|m0k2|m0k3|m0k4|m0k5|")
        #expect(messages.last == "m999k1|m999k2|m999k3|m999k4|m999k5|")
    }

    @Test func a100000FragmentStreamOfOneMessageStaysLinearAndBounded() {
        var r = Reassembler()
        var completed = 0, length = 0
        var problems: [ReassemblyProblem] = []
        // The most fragments one message can have, then the first 34 465
        // of another that never completes.
        for i in 1...100_000 {
            let k = i <= 65535 ? i : i - 65535
            for event in r.receive(Fragment(form: .v2, k: k, n: 65535, piece: [UInt8(ascii: "x")]), at: i) {
                switch event {
                case .completed(let m): completed += 1; length = m.message.count
                case .problem(let p): problems.append(p)
                }
            }
        }
        for case .problem(let p) in r.finish() { problems.append(p) }
        #expect(completed == 1)
        #expect(length == 65535)
        #expect(problems.map(\.kind) == [.incomplete])
        #expect(problems.first?.missing == 34466...65535)
    }

    @Test func pendingMessagesBeyondTheLimitEvictTheOldest() {
        var r = Reassembler(maximumPendingMessages: 2)
        let (messages, problems) = Self.feed(&r, [
            Self.v3(0x100, 0, 1, 2, "a"), Self.v3(0x101, 0, 1, 2, "b"), Self.v3(0x102, 0, 1, 2, "c"),
            Self.v3(0x101, 0, 2, 2, "B"), Self.v3(0x102, 0, 2, 2, "C"), Self.v3(0x100, 0, 2, 2, "A"),
        ])
        #expect(messages == ["bB", "cC"])
        #expect(problems.map(\.kind) == [.evicted, .firstMissing])
        #expect(problems[0].stream?.senderInstance == 0x100)
    }

    @Test func aMessageOverTheLengthLimitIsDiscardedNotStored() {
        var r = Reassembler(maximumMessageLength: 5)
        let (messages, problems) = Self.feed(&r, [Self.v2(1, 3, "abc"), Self.v2(2, 3, "def"), Self.v2(3, 3, "g"),
                                                  Self.v2(1, 2, "ab"), Self.v2(2, 2, "c")])
        #expect(messages == ["abc"])
        #expect(problems.map(\.kind) == [.tooLarge])
        #expect(r.bufferedBytes == 0)
    }

    @Test func theBufferedBytesLimitHoldsAcrossStreams() {
        var r = Reassembler(maximumMessageLength: 100, maximumBufferedBytes: 6)
        let (messages, problems) = Self.feed(&r, [
            Self.v3(0x100, 0, 1, 2, "aaaa"), Self.v3(0x101, 0, 1, 2, "bbbb"), Self.v3(0x100, 0, 2, 2, "A"),
        ])
        #expect(messages == ["aaaaA"])
        #expect(problems.map(\.kind) == [.tooLarge])
        #expect(problems.first?.stream?.senderInstance == 0x101)
    }
}
