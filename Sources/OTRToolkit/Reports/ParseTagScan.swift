import OTR

/// parse-tag's work: every OTR offer and message in each line found
/// (`PlaintextScanner`), the rules each breaks reported, and the findings
/// written as text rows or a JSON object a line.
public struct ParseTagScan {
    public var json: Bool

    public init(json: Bool) { self.json = json }

    public func scan(_ lines: InputLines, out: OutputSink, diagnostics: Diagnostics) {
        lines.forEach(diagnostics: diagnostics) { location, line in
            let findings = PlaintextScanner.scan(line)
            if findings.count == PlaintextScanner.maximumFindings, let last = findings.last {
                diagnostics.report(location.description,
                                   "more than \(PlaintextScanner.maximumFindings) OTR offers and messages in one line; not scanned after byte \(last.range.upperBound)",
                                   status: .malformedInput)
            }
            let text = PlaintextScanner.displayText(line, findings: findings)
            for finding in findings {
                for violation in ParseTagReport.violations(of: finding) {
                    diagnostics.report(location.description,
                                       Problem(in: "\(ParseTagReport.name(of: finding)) at byte \(finding.range.lowerBound)", violation))
                }
            }
            if json {
                out.writeLine(ParseTagReport.json(location: location, findings: findings, line: line, text: text).render())
            } else {
                for row in ParseTagReport.human(location: location, findings: findings, line: line, text: text) {
                    out.writeLine(row)
                }
            }
        }
    }
}
