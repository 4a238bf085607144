extension CIRenderers {
    /// Workflow commands. GitHub shows at most 10 error and 10 warning annotations per step and
    /// drops the rest silently, so each level stops at 10 and a closing notice counts the rest.
    public static func github(_ verdict: Verdict, limit: Int = 10) -> String {
        var out = ""
        var shown: [Severity: Int] = [:]
        var hidden: [Severity: Int] = [:]
        for finding in findings(verdict) {
            if shown[finding.severity, default: 0] >= limit {
                hidden[finding.severity, default: 0] += 1
                continue
            }
            shown[finding.severity, default: 0] += 1
            var properties: [String] = []
            if let path = finding.path {
                properties.append("file=\(property(path.string))")
                if let start = finding.line { properties.append("line=\(start)") }
                if let end = finding.endLine { properties.append("endLine=\(end)") }
            }
            properties.append("title=\(property(finding.ciTitle))")
            out += "::\(finding.severity == .note ? "notice" : finding.severity.rawValue) \(properties.joined(separator: ","))::\(data(finding.message))\n"
        }
        for level in [Severity.error, .warning, .note] {
            if let count = hidden[level], count > 0 {
                out += "::notice title=More findings::\(count) more \(level.rawValue)\(count == 1 ? "" : "s") not shown as annotations (GitHub shows \(limit) per step); the step summary and gatehouse check --format json list them all.\n"
            }
        }
        return out
    }

    /// A workflow command's message: %, CR and LF escaped.
    static func data(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            // Other control characters (ESC, BEL, C1) would reach the log viewer's terminal emulation.
            case _ where TextEscaping.isControl(scalar) && scalar != "\t":
                out += TextEscaping.visible(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A workflow command's property value: also `:` and `,`.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

/// `--format github`: GitHub Actions workflow commands (annotations), then the text verdict; the Markdown report goes to the job summary
public enum GitHubFormat: OutputFormat {
    public static let name = "github"
    public static let summary = "GitHub Actions workflow commands (annotations), then the text verdict; the Markdown report goes to the job summary"
    public static let writesStepSummary = true

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        Array((CIRenderers.github(verdict) + VerdictRenderer.text(verdict, color: false)).utf8)
    }
}
