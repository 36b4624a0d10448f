import Testing
@testable import OTR

/// Every query and tag form of Protocol-v3.html "OTR Query Messages" and
/// "Tagged plaintext messages", and what libotr does at their edges.
struct QueryMessageTests {
    static let specExamples: [(String, [OTRVersion])] = [
        ("?OTR?", [.v1]),
        ("?OTRv2?", [.v2]),
        ("?OTRv23?", [.v2, .v3]),
        ("?OTR?v2?", [.v1, .v2]),
        ("?OTRv24x?", [.v2, .v4, .other(UInt8(ascii: "x"))]),
        ("?OTR?v24x?", [.v1, .v2, .v4, .other(UInt8(ascii: "x"))]),
        ("?OTR?v?", [.v1]),
        ("?OTRv?", []),
        ("?OTR?v23?", [.v1, .v2, .v3]),
        ("?OTRv32?", [.v3, .v2]),
    ]

    @Test("each example of the spec reads as the versions it names", arguments: specExamples)
    func specExample(text: String, versions: [OTRVersion]) throws {
        let findings = PlaintextScanner.scan(Array(text.utf8))
        #expect(findings.count == 1)
        guard case .query(let q) = try #require(findings.first) else {
            Issue.record("not a query: \(findings)")
            return
        }
        #expect(q.versions == versions)
        #expect(q.range == 0..<text.utf8.count)
    }

    @Test func onlyTheBizarreEmptyOfferBreaksARule() {
        for (text, _) in Self.specExamples {
            guard case .query(let q)? = PlaintextScanner.scan(Array(text.utf8)).first else {
                Issue.record("no query in \(text)")
                continue
            }
            #expect(q.violations.map(\.description) == (text == "?OTRv?" ? ["offers no version at all"] : []), "\(text)")
        }
    }

    @Test func aQueryInsideALineIsFoundWithItsOffsetAndRemovedFromTheText() {
        let line = Array("<b>Alice</b> ?OTRv23?\nhas requested".utf8)
        let findings = PlaintextScanner.scan(line)
        guard case .query(let q)? = findings.first else {
            Issue.record("no query")
            return
        }
        #expect(q.range == 13..<21)
        #expect(String(decoding: PlaintextScanner.displayText(line, findings: findings), as: UTF8.self)
                == "<b>Alice</b> \nhas requested")
    }

    @Test func anUnterminatedListIsReadToTheEndAsLibotrDoesAndReported() {
        guard case .query(let q)? = PlaintextScanner.scan(Array("?OTRv23".utf8)).first else {
            Issue.record("no query")
            return
        }
        #expect(q.versions == [.v2, .v3])
        #expect(q.violations == [RuleViolation(.malformed, "version list", "not terminated by \"?\"")])
    }

    @Test func aRepeatedVersionIsListedOnceAndReported() {
        guard case .query(let q)? = PlaintextScanner.scan(Array("?OTRv233?".utf8)).first else {
            Issue.record("no query")
            return
        }
        #expect(q.versions == [.v2, .v3])
        #expect(q.violations.map(\.description) == ["version 3 listed more than once (2 times)"])
    }

    @Test("encoding gives the spec's forms", arguments: [
        ([OTRVersion.v1], "?OTR?"),
        ([.v2], "?OTRv2?"),
        ([.v2, .v3], "?OTRv23?"),
        ([.v1, .v2], "?OTR?v2?"),
        ([.v3, .v2, .v1], "?OTR?v32?"),
        ([], "?OTRv?"),
        ([.v2, .v2], "?OTRv2?"),
    ])
    func encode(versions: [OTRVersion], expected: String) {
        #expect(QueryMessage.encode(versions: versions) == expected)
    }

    @Test func encodedQueriesParseBackToTheirVersions() {
        let sets: [[OTRVersion]] = [[.v1], [.v2], [.v3], [.v2, .v3], [.v1, .v2, .v3], [.v2, .v4, .other(UInt8(ascii: "x"))]]
        for versions in sets {
            let text = QueryMessage.encode(versions: versions)
            guard case .query(let q)? = PlaintextScanner.scan(Array(text.utf8)).first else {
                Issue.record("no query in \(text)")
                continue
            }
            #expect(q.versions == versions)
            #expect(q.violations.isEmpty)
        }
    }
}

struct WhitespaceTagTests {
    // Protocol-v3.html "Tagged plaintext messages", byte for byte.
    static let base = "\u{20}\u{09}\u{20}\u{20}\u{09}\u{09}\u{09}\u{09}\u{20}\u{09}\u{20}\u{09}\u{20}\u{09}\u{20}\u{20}"
    static let v1 = "\u{20}\u{09}\u{20}\u{09}\u{20}\u{20}\u{09}\u{20}"
    static let v2 = "\u{20}\u{20}\u{09}\u{09}\u{20}\u{20}\u{09}\u{20}"
    static let v3 = "\u{20}\u{20}\u{09}\u{09}\u{20}\u{20}\u{09}\u{09}"
    // OTRv4's block, recognised though not spoken.
    static let v4 = "\u{20}\u{20}\u{09}\u{09}\u{20}\u{09}\u{20}\u{20}"

    @Test func theSpecBlocksAreWhatTheEncoderWrites() {
        #expect(WhitespaceTag.base == Array(Self.base.utf8))
        #expect(WhitespaceTag.block(for: .v1) == Array(Self.v1.utf8))
        #expect(WhitespaceTag.block(for: .v2) == Array(Self.v2.utf8))
        #expect(WhitespaceTag.block(for: .v3) == Array(Self.v3.utf8))
        #expect(WhitespaceTag.block(for: .v4) == Array(Self.v4.utf8))
        #expect(WhitespaceTag.encode(versions: [.v3, .v1, .v2]) == Array((Self.base + Self.v1 + Self.v3 + Self.v2).utf8))
    }

    @Test("tags name their versions", arguments: [
        (v2, [OTRVersion.v2]),
        (v3, [.v3]),
        (v2 + v3, [.v2, .v3]),
        (v1 + v2 + v3, [.v1, .v2, .v3]),
        (v3 + v4, [.v3, .v4]),
    ])
    func versions(blocks: String, versions: [OTRVersion]) {
        let line = Array(("Hello" + Self.base + blocks + "world").utf8)
        let findings = PlaintextScanner.scan(line)
        guard findings.count == 1, case .whitespaceTag(let tag) = findings[0] else {
            Issue.record("expected one tag, got \(findings)")
            return
        }
        #expect(tag.versions == versions)
        #expect(tag.range == 5..<(5 + 16 + blocks.utf8.count))
        #expect(tag.violations.isEmpty)
        #expect(PlaintextScanner.displayText(line, findings: findings) == Array("Helloworld".utf8))
    }

    @Test func anUnknownBlockIsPartOfTheTagAndNamedByItsBits() {
        // 0x78 "x" = 01111000: space tab tab tab tab space space space.
        let x = " \t\t\t\t   "
        let findings = PlaintextScanner.scan(Array((Self.base + Self.v2 + x).utf8))
        guard case .whitespaceTag(let tag)? = findings.first else {
            Issue.record("no tag")
            return
        }
        #expect(tag.versions == [.v2, .other(UInt8(ascii: "x"))])
        #expect(tag.range.count == 32)
    }

    @Test func version1AfterAnotherBlockAndABareBaseBreakRules() {
        guard case .whitespaceTag(let late)? = PlaintextScanner.scan(Array((Self.base + Self.v2 + Self.v1).utf8)).first,
              case .whitespaceTag(let bare)? = PlaintextScanner.scan(Array((Self.base + "hi").utf8)).first else {
            Issue.record("no tags")
            return
        }
        #expect(late.violations.map(\.description) == ["version 1 block is not the first block"])
        #expect(bare.versions.isEmpty)
        #expect(bare.violations.map(\.description) == ["tag base with no version block"])
    }

    @Test func aTagCutShortKeepsOnlyWholeBlocks() {
        let cut = Self.base + Self.v3 + "  \t"  // three bytes of a block
        guard case .whitespaceTag(let tag)? = PlaintextScanner.scan(Array(cut.utf8)).first else {
            Issue.record("no tag")
            return
        }
        #expect(tag.versions == [.v3])
        #expect(tag.range == 0..<24)
        // A base cut short is no tag at all.
        #expect(PlaintextScanner.scan(Array(Self.base.utf8.dropLast(1))).isEmpty)
    }
}

struct ErrorAndOtherFindingTests {
    @Test func anErrorMessageCarriesItsText() {
        let line = Array("?OTR Error: You sent me an unreadable message".utf8)
        let findings = PlaintextScanner.scan(line)
        guard case .error(let e)? = findings.first else {
            Issue.record("no error")
            return
        }
        #expect(e.text == Array("You sent me an unreadable message".utf8))
        #expect(e.range == 0..<line.count)
        #expect(PlaintextScanner.displayText(line, findings: findings) == e.text)
    }

    @Test func encodedMessagesFragmentsAndStrayPrefixesAreTold() {
        let findings = PlaintextScanner.scan(Array("a ?OTR:AAMDxyz=. b ?OTRx".utf8))
        #expect(findings.count == 2)
        #expect(findings.first == .encoded(2..<16))
        #expect(findings.last == .unrecognised(19..<23))
        #expect(PlaintextScanner.scan(Array("?OTR|1|2,1,2,abc,".utf8)) == [.fragment(0..<17)])
        #expect(PlaintextScanner.scan(Array("?OTR,1,2,abc,".utf8)) == [.fragment(0..<13)])
    }

    @Test func aQueryInsideAnEncodedMessageOrErrorIsNotAnOffer() {
        let findings = PlaintextScanner.scan(Array("?OTR Error: do not send ?OTRv3? to me".utf8))
        #expect(findings.count == 1)
        #expect(!findings.contains { $0.isOffer })
    }

    @Test func prefixesCutShortAreNeverOffers() {
        for text in ["?", "?O", "?OT", "?OTR", "?OTR ", "?OTR Err", "?OTR E"] {
            let findings = PlaintextScanner.scan(Array(text.utf8))
            #expect(!findings.contains { $0.isOffer }, "\(text)")
        }
    }

    @Test func invalidUTF8AndNULBytesAreScannedAsBytes() {
        var line: [UInt8] = [0xff, 0xfe, 0x00]
        line += Array("?OTRv3?".utf8)
        line += [0xc3]
        let findings = PlaintextScanner.scan(line)
        guard case .query(let q)? = findings.first else {
            Issue.record("no query")
            return
        }
        #expect(q.range == 3..<10)
        #expect(PlaintextScanner.displayText(line, findings: findings) == [0xff, 0xfe, 0x00, 0xc3])
    }

    @Test func aLongLineOfNearMissesScansInOnePass() {
        // 200 000 repetitions of a prefix that never completes: linear, no offer.
        let line = [UInt8](repeating: 0, count: 0) + Array(String(repeating: "?OT \t  \t\t\t", count: 200_000).utf8)
        let findings = PlaintextScanner.scan(line)
        #expect(findings.isEmpty)
    }
}

/// The run of base64 characters an encoded message's body is, found eight
/// bytes at a time (`PlaintextScanner.base64Run`), against a byte-by-byte
/// reading.
struct Base64RunTests {
    @Test func theRunEndsWhereTheFirstCharacterOutsideBase64Stands() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        let stops = Array(". !:?\u{0}\u{ff}-_".utf8)
        var seed: UInt64 = 42
        func next() -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: seed >> 33)
        }
        for length in 0..<80 {
            for _ in 0..<20 {
                let text: [UInt8] = (0..<length).map { _ in
                    next() % 23 == 0 ? stops[next() % stops.count] : alphabet[next() % alphabet.count]
                }
                for start in 0...length {
                    var expected = start
                    while expected < text.count, PlaintextScanner.isBase64(text[expected]) { expected += 1 }
                    let found = text.withUnsafeBufferPointer { PlaintextScanner.base64Run($0, from: start) }
                    #expect(found == expected, "\(text) from \(start)")
                }
            }
        }
    }
}
