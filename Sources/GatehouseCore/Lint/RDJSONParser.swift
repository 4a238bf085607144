import Foundation

/// reviewdog's Diagnostic Format: `rdjson`, one `DiagnosticResult` document
/// (`{"source": {"name", "url"}, "severity", "diagnostics": [Diagnostic]}`, as ruff
/// `--output-format rdjson` writes), and `rdjsonl`, one `Diagnostic` object a line.
///
/// A Diagnostic: `{"message", "location": {"path", "range": {"start": {"line", "column"}, "end":
/// {"line", "column"}}}, "severity": "ERROR"|"WARNING"|"INFO", "source": {"name"}, "code": {"value",
/// "url"}}`. A missing severity takes the result's `severity`, else warning (as does
/// `UNKNOWN_SEVERITY`); INFO is a note. The tool is the diagnostic's `source.name`, else the
/// result's, else "reviewdog". A location without a range is about the whole file.
public enum RDJSONParser: LintParser {
    public static let name = "rdjson"
    public static let title = "reviewdog rdjson/rdjsonl"
    public static let listed = "reviewdog rdjson/rdjsonl"

    /// An object with `diagnostics` (rdjson), or whose first line is an object with `message` and
    /// `location` (rdjsonl).
    public static func detect(_ prefix: [UInt8]) -> Bool {
        isDocument(prefix) || isLines(prefix)
    }

    static func isDocument(_ prefix: [UInt8]) -> Bool {
        let json = JSONPrefix.scan(prefix)
        return json.root == UInt8(ascii: "{") && json.has("diagnostics") && !SARIFParser.detect(prefix)
    }

    static func isLines(_ prefix: [UInt8]) -> Bool {
        let firstLine = Array(prefix.prefix { $0 != 0x0A })
        let json = JSONPrefix.scan(firstLine)
        return json.root == UInt8(ascii: "{") && !json.has("diagnostics") && json.has("message") && json.has("location")
    }

    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let input = try LintBytes.read(source, formatName: "reviewdog rdjson")
        let head = input.withUnreadBytes { ReportBytes.trimmedPrefix(Array($0.prefix(4096))) }
        var findings = Findings(displayPath: displayPath)
        if isLines(head) {
            let json = LintJSONReader(displayPath: displayPath, formatName: "reviewdog rdjsonl")
            try input.withUnreadBytes { (bytes) throws(GatehouseError) in
                var lineNumber = 0
                var start = 0
                while start < bytes.count {
                    let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                    lineNumber += 1
                    var line = Array(bytes[start..<end])
                    if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
                    start = end + 1
                    guard line.contains(where: { !LintBytes.isBlank($0) }) else { continue }
                    // Each line is built alone, with only the members read.
                    var parser = LintJSON.Parser(
                        bytes: line, displayPath: displayPath, formatName: "reviewdog rdjsonl", line: lineNumber, offset: end - line.count)
                    let node = try parser.object(keeping: diagnosticKeys, "a diagnostic")
                    try parser.expectEnd()
                    try findings.append(try diagnostic(node, json, defaultSeverity: nil, defaultTool: "reviewdog"), line: lineNumber)
                }
            }
        } else {
            // Streamed: each diagnostic is built alone (only the members read) and dropped, once
            // the document's defaults (`source`, `severity`, which sorted keys put after
            // `diagnostics`) are known.
            let json = LintJSONReader(displayPath: displayPath, formatName: "reviewdog rdjson")
            var parser = LintJSON.Parser(input: input, formatName: "reviewdog rdjson")
            parser.skipByteOrderMark()
            parser.skipBlank()
            let rootLine = parser.line
            var tool = "reviewdog"
            var severity: Severity?
            var diagnosticsMark: LintJSONMark?
            try parser.forEachMember("the document") { (parser, key) throws(GatehouseError) in
                switch key {
                case "source": tool = try sourceName(try parser.tree(), json) ?? "reviewdog"
                case "severity": severity = try self.severity(try parser.tree(), json)
                case "diagnostics":
                    diagnosticsMark = parser.mark
                    try parser.skipValue()
                default: try parser.skipValue()
                }
            }
            try parser.expectEnd()
            guard let diagnosticsMark else {
                throw json.error("the rdjson document has no \"diagnostics\" array. Regenerate the report.", line: rootLine)
            }
            parser.restore(diagnosticsMark)
            try parser.forEachElement("\"diagnostics\"") { (parser) throws(GatehouseError) in
                let node = try parser.object(keeping: diagnosticKeys, "a diagnostic")
                try findings.append(try diagnostic(node, json, defaultSeverity: severity, defaultTool: tool), line: node.line)
            }
        }
        return LintReport(file: displayPath, format: format, findings: findings.all)
    }

    private static let diagnosticKeys: Set<String> = ["message", "location", "code", "severity", "source"]

    private static func sourceName(_ node: LintJSON?, _ json: LintJSONReader) throws(GatehouseError) -> String? {
        guard let source = try json.optionalObject(node, "\"source\"") else { return nil }
        return try json.optionalString(source["name"], "\"source.name\"").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// ERROR, WARNING, INFO (or the enum's numbers 1, 2, 3); nil when absent or UNKNOWN_SEVERITY.
    private static func severity(_ node: LintJSON?, _ json: LintJSONReader) throws(GatehouseError) -> Severity? {
        guard let node, !node.isNull else { return nil }
        switch node.value {
        case .string(let text):
            switch text.uppercased() {
            case "ERROR": return .error
            case "WARNING": return .warning
            case "INFO": return .note
            case "UNKNOWN_SEVERITY", "": return nil
            default:
                throw json.error("\"severity\" is \"\(InputText.token(text))\"; reviewdog severities are ERROR, WARNING and INFO. Regenerate the report.", line: node.line)
            }
        case .number:
            switch try json.optionalInteger(node, "\"severity\"") {
            case 0: return nil
            case 1: return .error
            case 2: return .warning
            case 3: return .note
            case let other:
                throw json.error("\"severity\" is \(other ?? 0); reviewdog severities are ERROR, WARNING and INFO. Regenerate the report.", line: node.line)
            }
        default:
            throw json.wrongType(node, "\"severity\"", expected: "a string")
        }
    }

    private static func diagnostic(
        _ node: LintJSON, _ json: LintJSONReader, defaultSeverity: Severity?, defaultTool: String
    ) throws(GatehouseError) -> Finding {
        let diagnostic = try json.object(node, "a diagnostic")
        let message = try json.optionalString(diagnostic["message"], "\"message\"") ?? ""
        var path = ""
        var line: Int?
        var endLine: Int?
        if let location = try json.optionalObject(diagnostic["location"], "\"location\"") {
            path = try json.optionalString(location["path"], "\"location.path\"") ?? ""
            if let range = try json.optionalObject(location["range"], "\"location.range\"") {
                if let start = try json.optionalObject(range["start"], "\"range.start\"") {
                    line = try json.optionalLine(start["line"], "\"range.start.line\"")
                    _ = try json.optionalInteger(start["column"], "\"range.start.column\"")
                }
                if let end = try json.optionalObject(range["end"], "\"range.end\"") {
                    endLine = try json.endLine(end["line"], "\"range.end.line\"", start: line)
                }
            }
        }
        var rule: String?
        if let code = try json.optionalObject(diagnostic["code"], "\"code\"") {
            rule = try json.optionalString(code["value"], "\"code.value\"").flatMap { $0.isEmpty ? nil : $0 }
        }
        let severity = try severity(diagnostic["severity"], json) ?? defaultSeverity ?? .warning
        let tool = try sourceName(diagnostic["source"], json) ?? defaultTool
        return Finding.lint(reportPath: path, line: line, endLine: endLine, severity: severity, rule: rule, message: message, tool: tool)
    }
}

extension LintFormat {
    public static let rdjson = LintFormat(name: "rdjson")
}
