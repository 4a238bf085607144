import Foundation

/// SARIF 2.1.0 (OASIS): what CodeQL, ruff (`--output-format sarif`), Semgrep, ESLint's SARIF
/// formatter and GitHub code scanning use.
///
/// Every run's results are read. Per result: the rule (`ruleId`, else `rule.id`, else the rule at
/// `ruleIndex`), the level (`error`, `warning`, `note`; `none` is a note; a missing level takes the
/// rule's `defaultConfiguration.level`, and that defaults to `warning`), the message (`text`, else
/// `markdown`, else the rule's `messageStrings[id]` with `{0}`-style arguments filled in) and the
/// first `physicalLocation`. A result with no location is kept with path "" and no line.
public enum SARIFParser: LintParser {
    public static let format = LintFormat.sarif

    /// A JSON object whose `$schema` mentions SARIF, or with `"version": "2.1.0"` and `runs`, or
    /// (as tools that sort keys write `runs` before `version`) with `runs` and no `diagnostics`
    /// when the object goes on beyond the prefix, before its `version` is seen.
    public static func detect(_ prefix: [UInt8]) -> Bool {
        let json = JSONPrefix.scan(prefix)
        guard json.root == UInt8(ascii: "{"), !json.has("diagnostics") else { return false }
        if let schema = json.string("$schema"), schema.lowercased().contains("sarif") { return true }
        if json.has("runs"), !json.has("version"), !json.isComplete, prefix.count >= 4096 { return true }
        return json.string("version") == "2.1.0" && json.has("runs")
    }

    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let bytes = try LintBytes.read(source, formatName: "SARIF")
        let root = try LintJSON.parse(bytes, displayPath: displayPath, formatName: "SARIF")
        let json = LintJSONReader(displayPath: displayPath, formatName: "SARIF")
        let document = try json.object(root, "the document")
        if let version = try json.optionalString(document["version"], "\"version\""), version != "2.1.0" {
            throw json.error(
                "SARIF \"version\" is \"\(InputText.token(version))\"; Gatehouse reads SARIF 2.1.0. Have the tool write SARIF 2.1.0.", line: document["version"]?.line)
        }
        guard let runsNode = document["runs"] else {
            throw json.error("the SARIF document has no \"runs\" array. Regenerate the report.", line: root.line)
        }
        var findings: [LintFinding] = []
        for run in try json.array(runsNode, "\"runs\"") {
            try parseRun(run, json, &findings)
        }
        return LintReport(file: displayPath, format: format, findings: findings)
    }

    private struct Rule {
        var id: String?
        var level: LintFinding.Severity?
        var messageStrings: [String: String] = [:]
    }

    private static func parseRun(_ runNode: LintJSON, _ json: LintJSONReader, _ findings: inout [LintFinding]) throws(GatehouseError) {
        let run = try json.object(runNode, "an element of \"runs\"")
        guard let toolNode = run["tool"] else {
            throw json.error("a run has no \"tool\"; SARIF requires runs[].tool.driver.name. Regenerate the report.", line: runNode.line)
        }
        let tool = try json.object(toolNode, "\"tool\"")
        guard let driverNode = tool["driver"] else {
            throw json.error("a run's tool has no \"driver\"; SARIF requires runs[].tool.driver.name. Regenerate the report.", line: toolNode.line)
        }
        let driver = try json.object(driverNode, "\"tool.driver\"")
        let toolName = try json.optionalString(driver["name"], "\"tool.driver.name\"") ?? "SARIF"

        var rules: [Rule] = []
        var rulesByID: [String: Int] = [:]
        for ruleNode in try json.optionalArray(driver["rules"], "\"tool.driver.rules\"") {
            let rule = try json.object(ruleNode, "an element of \"rules\"")
            var parsed = Rule(id: try json.optionalString(rule["id"], "a rule's \"id\""))
            if let configuration = try json.optionalObject(rule["defaultConfiguration"], "a rule's \"defaultConfiguration\"") {
                parsed.level = try level(configuration["level"], json, "a rule's \"defaultConfiguration.level\"")
            }
            if let strings = try json.optionalObject(rule["messageStrings"], "a rule's \"messageStrings\"") {
                for (key, value) in strings {
                    let message = try json.object(value, "\"messageStrings.\(key)\"")
                    let text = try json.optionalString(message["text"], "\"messageStrings.\(key).text\"")
                    let markdown = try json.optionalString(message["markdown"], "\"messageStrings.\(key).markdown\"")
                    if let text = text ?? markdown { parsed.messageStrings[key] = text }
                }
            }
            if let id = parsed.id, rulesByID[id] == nil { rulesByID[id] = rules.count }
            rules.append(parsed)
        }

        // originalUriBaseIds: id -> a file:// base, resolved through its own uriBaseId when it has one.
        var bases: [String: String] = [:]
        if let baseIDs = try json.optionalObject(run["originalUriBaseIds"], "\"originalUriBaseIds\"") {
            var raw: [String: (uri: String?, base: String?)] = [:]
            for (id, node) in baseIDs {
                let location = try json.object(node, "\"originalUriBaseIds.\(id)\"")
                raw[id] = (
                    try json.optionalString(location["uri"], "\"originalUriBaseIds.\(id).uri\""),
                    try json.optionalString(location["uriBaseId"], "\"originalUriBaseIds.\(id).uriBaseId\"")
                )
            }
            for id in raw.keys {
                var uri = ""
                var current: String? = id
                var seen: Set<String> = []
                while let key = current, let entry = raw[key], seen.insert(key).inserted {
                    uri = (entry.uri ?? "") + uri
                    if entry.uri.map(isAbsoluteURI) == true { break }
                    current = entry.base
                }
                if let path = filePath(uri) { bases[id] = path.hasSuffix("/") ? path : path + "/" }
            }
        }

        for resultNode in try json.optionalArray(run["results"], "\"results\"") {
            let result = try json.object(resultNode, "an element of \"results\"")
            let ruleIndex = try json.optionalInteger(result["ruleIndex"], "\"ruleIndex\"")
            var ruleID = try json.optionalString(result["ruleId"], "\"ruleId\"")
            var ruleRefIndex: Int?
            if let reference = try json.optionalObject(result["rule"], "\"rule\"") {
                if ruleID == nil { ruleID = try json.optionalString(reference["id"], "\"rule.id\"") }
                ruleRefIndex = try json.optionalInteger(reference["index"], "\"rule.index\"")
            }
            var rule: Rule?
            if let index = ruleIndex ?? ruleRefIndex, index >= 0, index < rules.count {
                rule = rules[index]
            } else if let id = ruleID {
                // A hierarchical id ("CA2000/1") names its rule by the part before the slash.
                if let index = rulesByID[id] ?? id.split(separator: "/").first.flatMap({ rulesByID[String($0)] }) { rule = rules[index] }
            }
            if ruleID == nil { ruleID = rule?.id }

            let severity = try level(result["level"], json, "\"level\"") ?? rule?.level ?? .warning

            var messageText = ""
            if let messageNode = result["message"], !messageNode.isNull {
                let message = try json.object(messageNode, "\"message\"")
                let text = try json.optionalString(message["text"], "\"message.text\"")
                let markdown = try json.optionalString(message["markdown"], "\"message.markdown\"")
                if let text = text ?? markdown {
                    messageText = text
                } else if let id = try json.optionalString(message["id"], "\"message.id\""), let template = rule?.messageStrings[id] {
                    let arguments = try json.optionalArray(message["arguments"], "\"message.arguments\"")
                    var strings: [String] = []
                    for argument in arguments { strings.append(try json.optionalString(argument, "a message argument") ?? "") }
                    messageText = fill(template, strings)
                }
            }

            var path = ""
            var line: Int?
            var endLine: Int?
            if let first = try json.optionalArray(result["locations"], "\"locations\"").first,
                let physical = try json.optionalObject(json.object(first, "an element of \"locations\"")["physicalLocation"], "\"physicalLocation\"") {
                if let artifact = try json.optionalObject(physical["artifactLocation"], "\"artifactLocation\"") {
                    let uri = try json.optionalString(artifact["uri"], "\"artifactLocation.uri\"") ?? ""
                    let baseID = try json.optionalString(artifact["uriBaseId"], "\"artifactLocation.uriBaseId\"")
                    path = resolve(uri, baseID: baseID, bases: bases)
                }
                if let region = try json.optionalObject(physical["region"], "\"region\"") {
                    line = try json.optionalLine(region["startLine"], "\"region.startLine\"")
                    endLine = try json.endLine(region["endLine"], "\"region.endLine\"", start: line)
                }
            }
            findings.append(LintFinding(path: path, line: line, endLine: endLine, severity: severity, rule: ruleID, message: messageText, tool: toolName))
        }
    }

    /// `error`, `warning`, `note`, `none` (a note); nil when absent.
    private static func level(_ node: LintJSON?, _ json: LintJSONReader, _ what: String) throws(GatehouseError) -> LintFinding.Severity? {
        guard let text = try json.optionalString(node, what) else { return nil }
        switch text {
        case "error": return .error
        case "warning": return .warning
        case "note", "none": return .note
        default:
            throw json.error("\(what) is \"\(InputText.token(text))\"; SARIF levels are error, warning, note and none. Regenerate the report.", line: node?.line)
        }
    }

    private static func isAbsoluteURI(_ uri: String) -> Bool {
        guard let colon = uri.firstIndex(of: ":") else { return false }
        let scheme = uri[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// The path of a `file:` URI (`file:///a/b`, `file://localhost/a/b`, `file:/a/b`), decoded; nil for other URIs.
    static func filePath(_ uri: String) -> String? {
        guard uri.lowercased().hasPrefix("file:") else { return nil }
        var rest = uri.dropFirst(5)
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            if let slash = rest.firstIndex(of: "/") {
                let host = rest[..<slash]
                guard host.isEmpty || host.lowercased() == "localhost" else { return nil }
                rest = rest[slash...]
            } else {
                return nil
            }
        }
        var path = LintBytes.percentDecoded(String(rest))
        // file:///C:/dir -> C:/dir
        let scalars = Array(path.unicodeScalars.prefix(3))
        if scalars.count == 3, scalars[0] == "/", scalars[1].properties.isAlphabetic, scalars[2] == ":" { path.removeFirst() }
        return path
    }

    static func resolve(_ uri: String, baseID: String?, bases: [String: String]) -> String {
        if let path = filePath(uri) { return path }
        if isAbsoluteURI(uri) { return LintBytes.percentDecoded(uri) }
        let relative = LintBytes.percentDecoded(uri)
        if let baseID, let base = bases[baseID], !relative.hasPrefix("/") { return base + relative }
        return relative
    }

    /// `{0}`, `{1}`… replaced by the arguments; `{{` and `}}` are literal braces.
    private static func fill(_ template: String, _ arguments: [String]) -> String {
        var out = ""
        var chars = template[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{", chars.first == "{" {
                out.append("{")
                chars = chars.dropFirst()
            } else if c == "}", chars.first == "}" {
                out.append("}")
                chars = chars.dropFirst()
            } else if c == "{", let close = chars.firstIndex(of: "}"), let n = Int(chars[..<close]), n >= 0, n < arguments.count {
                out += arguments[n]
                chars = chars[chars.index(after: close)...]
            } else {
                out.append(c)
            }
        }
        return out
    }
}
