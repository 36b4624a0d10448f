import OTR

/// How parse-tag shows what the scanner found, as text and as JSON.
public enum ParseTagReport {
    public static func name(of finding: PlaintextFinding) -> String {
        switch finding {
        case .query: "query message"
        case .whitespaceTag: "whitespace tag"
        case .error: "error message"
        case .encoded: "encoded message"
        case .fragment: "fragment"
        case .unrecognised: "unrecognised ?OTR"
        }
    }

    public static func kind(of finding: PlaintextFinding) -> String {
        switch finding {
        case .query: "query"
        case .whitespaceTag: "whitespace-tag"
        case .error: "error"
        case .encoded: "encoded"
        case .fragment: "fragment"
        case .unrecognised: "unrecognised"
        }
    }

    public static func versions(of finding: PlaintextFinding) -> [OTRVersion] {
        switch finding {
        case .query(let q): q.versions
        case .whitespaceTag(let t): t.versions
        default: []
        }
    }

    public static func violations(of finding: PlaintextFinding) -> [RuleViolation] {
        switch finding {
        case .query(let q): q.violations
        case .whitespaceTag(let t): t.violations
        default: []
        }
    }

    /// The version an AKE would use: the highest one both sides speak.
    public static func bestVersion(_ findings: [PlaintextFinding]) -> OTRVersion? {
        findings.flatMap(versions(of:)).filter(\.isSpoken).max()
    }

    public static func versionList(_ versions: [OTRVersion]) -> String {
        versions.isEmpty ? "none" : versions.map(\.description).joined(separator: ", ")
    }

    public static func human(location: SourceLocation, findings: [PlaintextFinding], line: [UInt8], text: [UInt8]) -> [String] {
        var rows: [String] = []
        let prefix = "\(location):"
        if findings.isEmpty {
            rows.append("\(prefix) plain text, no OTR offer")
        }
        for finding in findings {
            let r = finding.range
            var row = "\(prefix) \(name(of: finding)) at byte \(r.lowerBound), \(r.count) bytes"
            switch finding {
            case .query(let q):
                row += ": \(TextEscaping.quoted(Array(line[r]))) offers \(versionList(q.versions))"
            case .whitespaceTag(let t):
                row += ": offers \(versionList(t.versions))"
            case .error(let e):
                row += ": \(TextEscaping.quoted(e.text))"
            case .encoded, .fragment, .unrecognised:
                row += " (see decode)"
            }
            for violation in violations(of: finding) {
                row += "; breaks rule: \(TextEscaping.line(violation.description))"
            }
            rows.append(row)
        }
        if findings.contains(where: \.isOffer) {
            let best = bestVersion(findings).map { "version \($0)" } ?? "none otrtool speaks"
            rows.append("\(prefix) best version: \(best)")
        }
        if !findings.isEmpty {
            rows.append("\(prefix) text: \(TextEscaping.quoted(text))")
        }
        return rows
    }

    public static func json(location: SourceLocation, findings: [PlaintextFinding], line: [UInt8], text: [UInt8]) -> JSON {
        let items: [JSON] = findings.map { finding in
            let r = finding.range
            var fields: [(String, JSON)] = [
                ("kind", .string(kind(of: finding))),
                ("offset", .int(r.lowerBound)),
                ("length", .int(r.count)),
                ("raw", .text(Array(line[r]))),
            ]
            switch finding {
            case .query, .whitespaceTag:
                let vs = versions(of: finding)
                fields.append(("versions", .array(vs.compactMap(\.number).map { .int($0) })))
                fields.append(("other_versions", .array(vs.filter { $0.number == nil }.map { .string($0.description) })))
                fields.append(("violations", .array(violations(of: finding).map { .string($0.description) })))
            case .error(let e):
                fields.append(("message", .text(e.text)))
            case .encoded, .fragment, .unrecognised:
                break
            }
            return .object(fields)
        }
        let fields: [(String, JSON)] = [
            ("source", .argument(location.source)),
            ("line", .int(location.line)),
            ("findings", .array(items)),
            ("best_version", bestVersion(findings).flatMap(\.number).map { .int($0) } ?? .null),
        ] + JSON.textField("text", text)
        return .object(fields)
    }
}
