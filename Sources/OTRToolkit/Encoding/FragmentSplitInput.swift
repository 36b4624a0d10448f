import OTR

/// What `fragment split` cuts in an input record: the OTR message in it,
/// wherever it stands, as decode finds messages (a log line's timestamp
/// and name are not part of the message a client sent, and left in they
/// would also hide a version 3 header, giving v2 fragments).
public enum FragmentSplitInput {
    public enum Piece: Equatable {
        /// The bytes of the record to split.
        case message(Range<Int>)
        /// An encoded message cut short: there is nothing to split.
        case unterminated(offset: Int)
    }

    /// - Each encoded message ("?OTR:" to its "."), every one of them when
    ///   a record holds several;
    /// - else a query, an OTR error or a fragment, from its "?OTR" to the
    ///   end of the record (the text after a query is the query message's;
    ///   a fragment is refused by the fragmenter);
    /// - else the whole record: plain text, tagged or not, is sent whole.
    public static func pieces(of record: [UInt8]) -> [Piece] {
        let findings = PlaintextScanner.scan(record)
        var encoded: [Piece] = []
        for finding in findings {
            guard case .encoded(let range) = finding else { continue }
            if range.upperBound > range.lowerBound, record[range.upperBound - 1] == UInt8(ascii: ".") {
                encoded.append(.message(range))
            } else {
                encoded.append(.unterminated(offset: range.lowerBound))
            }
        }
        if !encoded.isEmpty { return encoded }
        for finding in findings {
            switch finding {
            case .query, .error, .fragment:
                return [.message(finding.range.lowerBound..<record.count)]
            default:
                continue
            }
        }
        return [.message(0..<record.count)]
    }
}
