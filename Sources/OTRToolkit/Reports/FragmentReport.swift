import OTR

/// How `fragment` shows fragments, messages and problems as JSON.
public enum FragmentReport {
    /// Where the fragment in a line starts: the first "?OTR|" or "?OTR,".
    public static func fragmentStart(_ line: [UInt8]) -> Int? {
        let q = UInt8(ascii: "?")
        var i = 0
        let n = line.count
        while i + 5 <= n {
            if line[i] == q, line[i + 1] == UInt8(ascii: "O"), line[i + 2] == UInt8(ascii: "T"),
               line[i + 3] == UInt8(ascii: "R"),
               line[i + 4] == UInt8(ascii: "|") || line[i + 4] == UInt8(ascii: ",") {
                return i
            }
            i += 1
        }
        return nil
    }

    public static func tagFields(_ name: String, _ tag: UInt32) -> [(String, JSON)] {
        [(name, .int(Int(tag))), ("\(name)_hex", .string(hex(tag)))]
    }

    public static func hex(_ tag: UInt32) -> String {
        let digits = String(tag, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }


    public static func streamFields(_ stream: FragmentStream?) -> [(String, JSON)] {
        guard let stream else {
            return [("form", .null)]
        }
        var fields: [(String, JSON)] = [("form", .string(stream.form.rawValue))]
        if stream.form == .v3 {
            fields += tagFields("sender", stream.senderInstance)
            fields += tagFields("receiver", stream.receiverInstance)
        }
        return fields
    }

    public static func splitJSON(location: SourceLocation, offset: Int, fragment: [UInt8], k: Int?, n: Int?,
                          form: FragmentForm, sender: UInt32, receiver: UInt32) -> JSON {
        var fields: [(String, JSON)] = [
            ("source", .argument(location.source)),
            ("line", .int(location.line)),
            ("offset", .int(offset)),
            ("fragmented", .bool(k != nil)),
            ("k", k.map { .int($0) } ?? .null),
            ("n", n.map { .int($0) } ?? .null),
        ]
        if k != nil {
            fields += streamFields(FragmentStream(form: form, senderInstance: sender, receiverInstance: receiver))
        }
        fields.append(("length", .int(fragment.count)))
        fields += JSON.textField("text", fragment)
        return .object(fields)
    }

    public static func messageJSON(_ message: ReassembledMessage, positions: PositionTable) -> JSON {
        let last = positions.location(message.lastPosition)
        let first = positions.location(message.firstPosition)
        var fields: [(String, JSON)] = [
            ("event", .string("message")),
            ("source", .argument(last.source)),
            ("line", .int(last.line)),
            ("first_source", .argument(first.source)),
            ("first_line", .int(first.line)),
            ("fragmented", .bool(true)),
        ]
        fields += streamFields(message.stream)
        fields += [
            ("fragments", .int(message.fragmentCount)),
            ("padded", .bool(message.isPadded)),
            ("length", .int(message.message.count)),
        ]
        fields += JSON.textField("message", message.message)
        return .object(fields)
    }

    public static func unfragmentedJSON(_ line: [UInt8], location: SourceLocation) -> JSON {
        var fields: [(String, JSON)] = [
            ("event", .string("message")),
            ("source", .argument(location.source)),
            ("line", .int(location.line)),
            ("first_source", .argument(location.source)),
            ("first_line", .int(location.line)),
            ("fragmented", .bool(false)),
            ("length", .int(line.count)),
        ]
        fields += JSON.textField("message", line)
        return .object(fields)
    }

    public static func problemJSON(_ problem: ReassemblyProblem, positions: PositionTable) -> JSON {
        let location = positions.location(problem.position)
        var fields: [(String, JSON)] = [
            ("event", .string("problem")),
            ("kind", .string(problem.kind.rawValue)),
            ("source", .argument(location.source)),
            ("line", .int(location.line)),
        ]
        fields += streamFields(problem.stream)
        fields += [
            ("k", problem.k.map { .int($0) } ?? .null),
            ("n", problem.n.map { .int($0) } ?? .null),
            ("expected_k", problem.expectedK.map { .int($0) } ?? .null),
            ("previous_n", problem.previousN.map { .int($0) } ?? .null),
            ("discarded_fragments", .int(problem.discardedFragments)),
            ("missing", problem.missing.map { .array([.int($0.lowerBound), .int($0.upperBound)]) } ?? .null),
            ("detail", .string(problem.description)),
        ]
        return .object(fields)
    }
}
