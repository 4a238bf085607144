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
    public static let name = "sarif"
    public static let title = "SARIF"
    public static let listed = "SARIF 2.1.0"

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

    /// Streamed: the document is walked without being built, and each rule and result is built
    /// alone (only the members read), turned into what Gatehouse keeps, and dropped. A run's
    /// results are read after the run's other members, since its rules and base URIs may come
    /// after them (writers that sort keys put `results` before `tool`).
    public static func parse(_ source: InputSource) throws(GatehouseError) -> LintReport {
        let displayPath = source.displayPath
        let input = try LintBytes.read(source, formatName: "SARIF")
        let json = LintJSONReader(displayPath: displayPath, formatName: "SARIF")
        var parser = LintJSON.Parser(input: input, formatName: "SARIF")
        parser.skipByteOrderMark()
        parser.skipBlank()
        let rootLine = parser.line
        var findings = Findings(displayPath: displayPath)
        var versionChecked = false
        var runsMark: LintJSONMark?
        var runsRead = false
        func checkVersion(_ node: LintJSON) throws(GatehouseError) {
            if let version = try json.optionalString(node, "\"version\""), version != "2.1.0" {
                throw json.error(
                    "SARIF \"version\" is \"\(InputText.token(version))\"; Gatehouse reads SARIF 2.1.0. Have the tool write SARIF 2.1.0.", line: node.line)
            }
        }
        func readRuns(_ parser: inout LintJSON.Parser) throws(GatehouseError) {
            try parser.forEachElement("\"runs\"") { (parser) throws(GatehouseError) in try parseRun(&parser, json, &findings) }
        }
        try parser.forEachMember("the document") { (parser, key) throws(GatehouseError) in
            switch key {
            case "version":
                try checkVersion(try parser.tree())
                versionChecked = true
            case "runs":
                // A version after the runs is checked before any run is read.
                runsMark = parser.mark
                if versionChecked {
                    runsRead = true
                    try readRuns(&parser)
                } else {
                    try parser.skipValue()
                }
            default:
                try parser.skipValue()
            }
        }
        try parser.expectEnd()
        guard let runsMark else {
            throw json.error("the SARIF document has no \"runs\" array. Regenerate the report.", line: rootLine)
        }
        if !runsRead {
            parser.restore(runsMark)
            try readRuns(&parser)
        }
        return LintReport(file: displayPath, format: format, findings: findings.all)
    }

    private struct Rule {
        var id: String?
        var level: Severity?
        var messageStrings: [String: String] = [:]
    }

    private static let ruleKeys: Set<String> = ["id", "defaultConfiguration", "messageStrings"]
    private static let resultKeys: Set<String> = ["ruleId", "ruleIndex", "rule", "level", "message", "locations"]

    private static func parseRun(_ parser: inout LintJSON.Parser, _ json: LintJSONReader, _ findings: inout Findings) throws(GatehouseError) {
        parser.skipBlank()
        let runLine = parser.line
        var sawTool = false
        var toolName = "SARIF"
        var rules: [Rule] = []
        var rulesByID: [String: Int] = [:]
        var baseIDs: LintJSON?
        var resultsMark: LintJSONMark?
        // Findings read before the run's base URIs, whose paths name one: resolved at the end.
        var unresolved: [(index: Int, uri: String, baseID: String)] = []
        func readResults(_ parser: inout LintJSON.Parser, bases: [String: String]) throws(GatehouseError) {
            let basesKnown = baseIDs != nil
            try parser.forEachElement("\"results\"", nullIsEmpty: true) { (parser) throws(GatehouseError) in
                let node = try parser.object(keeping: resultKeys, "an element of \"results\"")
                let (found, uri, baseID) = try finding(node, json, rules: rules, rulesByID: rulesByID, bases: bases, toolName: toolName)
                if !basesKnown, let baseID { unresolved.append((findings.all.count, uri, baseID)) }
                try findings.append(found, line: node.line)
            }
        }
        try parser.forEachMember("an element of \"runs\"") { (parser, key) throws(GatehouseError) in
            switch key {
            case "tool":
                sawTool = true
                parser.skipBlank()
                let toolLine = parser.line
                var sawDriver = false
                try parser.forEachMember("\"tool\"") { (parser, key) throws(GatehouseError) in
                    guard key == "driver" else { return try parser.skipValue() }
                    sawDriver = true
                    try parser.forEachMember("\"tool.driver\"") { (parser, key) throws(GatehouseError) in
                        switch key {
                        case "name":
                            toolName = try json.optionalString(try parser.tree(), "\"tool.driver.name\"") ?? "SARIF"
                        case "rules":
                            try parser.forEachElement("\"tool.driver.rules\"", nullIsEmpty: true) { (parser) throws(GatehouseError) in
                                let node = try parser.object(keeping: ruleKeys, "an element of \"rules\"")
                                let rule = try parseRule(node, json)
                                if let id = rule.id, rulesByID[id] == nil { rulesByID[id] = rules.count }
                                rules.append(rule)
                            }
                        default:
                            try parser.skipValue()
                        }
                    }
                }
                guard sawDriver else {
                    throw json.error("a run's tool has no \"driver\"; SARIF requires runs[].tool.driver.name. Regenerate the report.", line: toolLine)
                }
            case "originalUriBaseIds":
                baseIDs = try parser.tree()
            case "results" where sawTool:
                // The rules are known (the usual order): read the results now. A base URI that
                // comes later is applied to their paths at the end of the run.
                let bases = try baseURIs(baseIDs, json)
                try readResults(&parser, bases: bases)
            case "results":
                resultsMark = parser.mark
                try parser.skipValue()
            default:
                try parser.skipValue()
            }
        }
        guard sawTool else {
            throw json.error("a run has no \"tool\"; SARIF requires runs[].tool.driver.name. Regenerate the report.", line: runLine)
        }
        let bases = try baseURIs(baseIDs, json)
        for (index, uri, baseID) in unresolved { findings.setPath(resolve(uri, baseID: baseID, bases: bases), at: index) }
        guard let resultsMark else { return }
        let end = parser.mark
        parser.restore(resultsMark)
        try readResults(&parser, bases: bases)
        parser.restore(end)
    }

    private static func parseRule(_ node: LintJSON, _ json: LintJSONReader) throws(GatehouseError) -> Rule {
        let rule = try json.object(node, "an element of \"rules\"")
        var parsed = Rule(id: try json.optionalString(rule["id"], "a rule's \"id\""))
        if let configuration = try json.optionalObject(rule["defaultConfiguration"], "a rule's \"defaultConfiguration\"") {
            parsed.level = try level(configuration["level"], json, "a rule's \"defaultConfiguration.level\"")
        }
        if let strings = try json.optionalObject(rule["messageStrings"], "a rule's \"messageStrings\"") {
            for (key, value) in strings {
                let shown = InputText.token(key)
                let message = try json.object(value, "\"messageStrings.\(shown)\"")
                let text = try json.optionalString(message["text"], "\"messageStrings.\(shown).text\"")
                let markdown = try json.optionalString(message["markdown"], "\"messageStrings.\(shown).markdown\"")
                if let text = text ?? markdown { parsed.messageStrings[key] = text }
            }
        }
        return parsed
    }

    /// originalUriBaseIds: id -> a file:// base, resolved through its own uriBaseId when it has one.
    private static func baseURIs(_ node: LintJSON?, _ json: LintJSONReader) throws(GatehouseError) -> [String: String] {
        var bases: [String: String] = [:]
        guard let baseIDs = try json.optionalObject(node, "\"originalUriBaseIds\"") else { return bases }
        var raw: [String: (uri: String?, base: String?)] = [:]
        for (id, node) in baseIDs {
            let shown = InputText.token(id)
            let location = try json.object(node, "\"originalUriBaseIds.\(shown)\"")
            raw[id] = (
                try json.optionalString(location["uri"], "\"originalUriBaseIds.\(shown).uri\""),
                try json.optionalString(location["uriBaseId"], "\"originalUriBaseIds.\(shown).uriBaseId\"")
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
        return bases
    }

    private static func finding(
        _ resultNode: LintJSON, _ json: LintJSONReader, rules: [Rule], rulesByID: [String: Int], bases: [String: String], toolName: String
    ) throws(GatehouseError) -> (Finding, uri: String, baseID: String?) {
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
        var uri = ""
        var baseID: String?
        var line: Int?
        var endLine: Int?
        if let first = try json.optionalArray(result["locations"], "\"locations\"").first,
            let physical = try json.optionalObject(json.object(first, "an element of \"locations\"")["physicalLocation"], "\"physicalLocation\"") {
            if let artifact = try json.optionalObject(physical["artifactLocation"], "\"artifactLocation\"") {
                uri = try json.optionalString(artifact["uri"], "\"artifactLocation.uri\"") ?? ""
                baseID = try json.optionalString(artifact["uriBaseId"], "\"artifactLocation.uriBaseId\"")
                path = resolve(uri, baseID: baseID, bases: bases)
            }
            if let region = try json.optionalObject(physical["region"], "\"region\"") {
                line = try json.optionalLine(region["startLine"], "\"region.startLine\"")
                endLine = try json.endLine(region["endLine"], "\"region.endLine\"", start: line)
            }
        }
        return (Finding.lint(reportPath: path, line: line, endLine: endLine, severity: severity, rule: ruleID, message: messageText, tool: toolName), uri, baseID)
    }

    /// `error`, `warning`, `note`, `none` (a note); nil when absent.
    private static func level(_ node: LintJSON?, _ json: LintJSONReader, _ what: String) throws(GatehouseError) -> Severity? {
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

extension LintFormat {
    public static let sarif = LintFormat(name: "sarif")
}
