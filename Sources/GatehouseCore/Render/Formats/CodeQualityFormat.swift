extension CIRenderers {
    /// GitLab's Code Quality report: a JSON array; fingerprints unique; a failing gate's
    /// findings are `major`, a warning's `minor`.
    public static func codeQuality(_ verdict: Verdict, configFile: String) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginArray()
        for finding in findings(verdict) {
            w.beginObject()
            w.key("description"); w.string(finding.message)
            w.key("check_name"); w.string(finding.ciRule)
            w.key("fingerprint"); w.string(fingerprint(finding))
            w.key("severity"); w.string(finding.severity == .error ? "major" : finding.severity == .warning ? "minor" : "info")
            w.key("location")
            w.beginObject()
            w.key("path"); w.string(finding.path?.string ?? configFile)
            w.key("lines")
            w.beginObject()
            w.key("begin"); w.int(finding.line ?? 1)
            if let end = finding.endLine { w.key("end"); w.int(end) }
            w.endObject()
            w.endObject()
            w.endObject()
        }
        w.endArray()
        return w.document
    }
}

/// `--format codequality`: GitLab's Code Quality report
public enum CodeQualityFormat: OutputFormat {
    public static let name = "codequality"
    public static let summary = "GitLab's Code Quality report"

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        CIRenderers.codeQuality(verdict, configFile: context.configFile)
    }
}
