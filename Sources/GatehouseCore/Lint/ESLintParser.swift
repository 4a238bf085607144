import Foundation

/// ESLint `-f json` (ESLint 8 and 9, the same shape): an array with one object per file linted,
/// `{"filePath", "messages": [{"ruleId", "severity": 1|2, "message", "line", "column", "endLine",
/// "endColumn", "fatal"}], "errorCount", "warningCount", ...}`. Severity 2 is an error, 1 a warning.
/// A parse error is a message with `"fatal": true` and `"ruleId": null` (rule nil, an error).
/// Messages without a line (the "File ignored" warning) are about the whole file.
public enum ESLintParser: LintParser {
    public static let name = "eslint"
    public static let title = "ESLint JSON"
    public static let listed = "ESLint `-f json`"

    /// A JSON array whose first element has `filePath`. (`[]` is detected as SwiftLint's; this
    /// parser reads it as zero findings too.)
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let json = JSONPrefix.scan(prefix)
        return json.root == UInt8(ascii: "[") && json.firstElementIsObject && json.has("filePath")
    }

    private static let messageKeys: Set<String> = ["fatal", "severity", "line", "endLine", "column", "ruleId", "message"]

    /// Streamed: each file's messages are built one at a time (only the members read) and
    /// dropped. A file's messages are read once its `filePath` is known, which may come after them.
    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let input = try LintBytes.read(source, formatName: "ESLint")
        let json = LintJSONReader(displayPath: displayPath, formatName: "ESLint")
        var parser = LintJSON.Parser(input: input, formatName: "ESLint")
        parser.skipByteOrderMark()
        var findings = Findings(displayPath: displayPath)
        try parser.forEachElement("the document") { (parser) throws(GatehouseError) in
            parser.skipBlank()
            let fileLine = parser.line
            var filePath: String?
            var messagesMark: LintJSONMark?
            var messagesRead = false
            try parser.forEachMember("an element of the array") { (parser, key) throws(GatehouseError) in
                switch key {
                case "filePath":
                    filePath = try json.optionalString(try parser.tree(), "\"filePath\"")
                case "messages":
                    messagesMark = parser.mark
                    if let filePath {
                        messagesRead = true
                        try readMessages(&parser, filePath, json, &findings)
                    } else {
                        try parser.skipValue()
                    }
                default:
                    try parser.skipValue()
                }
            }
            guard let filePath else {
                throw json.error("a file result has no \"filePath\". Regenerate the report with eslint -f json.", line: fileLine)
            }
            guard let messagesMark else {
                throw json.error(
                    "the result for \(InputText.token(filePath, limit: 120)) has no \"messages\" array. Regenerate the report with eslint -f json.",
                    line: fileLine)
            }
            if messagesRead { return }
            // The messages came before the path: read them again now that it is known.
            let end = parser.mark
            parser.restore(messagesMark)
            try readMessages(&parser, filePath, json, &findings)
            parser.restore(end)
        }
        try parser.expectEnd()
        return LintReport(file: displayPath, format: format, findings: findings.all)
    }

    private static func readMessages(
        _ parser: inout LintJSON.Parser, _ filePath: String, _ json: LintJSONReader, _ findings: inout Findings
    ) throws(GatehouseError) {
        try parser.forEachElement("\"messages\"") { (parser) throws(GatehouseError) in
            let messageNode = try parser.object(keeping: messageKeys, "an element of \"messages\"")
            if let finding = try finding(messageNode, filePath, json) { try findings.append(finding, line: messageNode.line) }
        }
    }

    private static func finding(_ messageNode: LintJSON, _ filePath: String, _ json: LintJSONReader) throws(GatehouseError) -> Finding? {
        let message = try json.object(messageNode, "an element of \"messages\"")
        let fatal: Bool
        switch message["fatal"]?.value {
        case .bool(let value): fatal = value
        case nil, .null: fatal = false
        default: throw json.wrongType(message["fatal"]!, "\"fatal\"", expected: "a boolean")
        }
        let severity: Severity
        switch try json.optionalInteger(message["severity"], "\"severity\"") {
        case 2: severity = .error
        case 1: severity = .warning
        case nil where fatal: severity = .error
        case 0: return nil  // "off": ESLint does not report these, but a rule set to 0 is not a finding.
        case let other:
            throw json.error(
                "\"severity\" is \(other.map(String.init) ?? "missing"); ESLint writes 1 (warning) or 2 (error). Regenerate the report.",
                line: message["severity"]?.line ?? messageNode.line)
        }
        let line = try json.optionalLine(message["line"], "\"line\"")
        let endLine = try json.endLine(message["endLine"], "\"endLine\"", start: line)
        _ = try json.optionalInteger(message["column"], "\"column\"")
        let rule = try json.optionalString(message["ruleId"], "\"ruleId\"")
        let text = try json.optionalString(message["message"], "\"message\"") ?? ""
        return Finding.lint(reportPath: filePath, line: line, endLine: endLine, severity: fatal ? .error : severity, rule: rule, message: text, tool: "ESLint")
    }
}

extension LintFormat {
    public static let eslint = LintFormat(name: "eslint")
}
