/// What the CI formats (GitHub annotations, SARIF, GitLab Code Quality) list: `Finding`s, each
/// with a rule (a gate's id, or a linter's rule) and a title.
public enum CIRenderers {
    /// Uncovered changed-line runs (errors when their gate failed, warnings otherwise), then
    /// every failing or warning gate that has no lines of its own.
    public static func findings(_ verdict: Verdict) -> [Finding] {
        var findings: [Finding] = []
        for gate in verdict.gates {
            let level: Severity = gate.status == .fail ? .error : .warning
            var hasLines = false
            if let lines = gate.details.changedLines, gate.id == .changedLines || gate.status == .fail {
                for file in lines.files {
                    for range in file.uncovered.ranges {
                        hasLines = true
                        let span = range.count == 1 ? "Line \(range.lowerBound) was" : "Lines \(range.lowerBound)-\(range.upperBound) were"
                        findings.append(Finding(
                            level, "\(span) added by this change, but no test ran \(range.count == 1 ? "it" : "them")\(gate.name.map { " (\($0))" } ?? "").",
                            at: SourceLocation(file: file.path.string, line: range.lowerBound), endLine: range.upperBound, path: file.path,
                            rule: gate.id.rawValue, title: "Changed lines not covered by tests"))
                    }
                }
            }
            if let lint = gate.details.lint {
                for finding in lint.kept {
                    findings.append(Finding(
                        finding.severity, finding.message, at: SourceLocation(file: finding.shownPath, line: finding.line),
                        endLine: finding.endLine ?? finding.line, path: finding.path, rule: finding.rule ?? finding.tool,
                        title: finding.rule.map { "\(finding.tool): \($0)" } ?? finding.tool))
                }
                hasLines = true
            }
            for budget in gate.details.size ?? [] where budget.status == .fail {
                // A bundle is not a source line: the annotation points at the budget in the configuration.
                hasLines = true
                findings.append(Finding(
                    .error,
                    budget.reasons.joined(separator: "; ") + (budget.files.isEmpty ? "" : " (\(budget.files.map(\.path).prefix(5).joined(separator: ", "))\(budget.files.count > 5 ? ", ..." : ""))"),
                    at: budget.location, endLine: budget.location?.line, path: budget.location.map { RepoPath($0.file) },
                    rule: GateID.size.rawValue, title: "Size budget \(budget.name)"))
            }
            // A gate that fails for a cause beyond its lines (a missing report) says so too.
            if !hasLines || gate.failsForAnotherCause, gate.status == .fail || gate.status == .warn {
                findings.append(Finding(
                    level, gate.message + gate.notes.map { "\n" + $0 }.joined(), rule: gate.id.rawValue, title: gate.title))
            }
        }
        // Several changed-line gates (the whole change, an area) can name the same lines: once is
        // enough. Lint findings are each their own, several on one line included.
        var seen = Set<String>()
        return findings.filter { finding in
            guard GateID(rawValue: finding.ciRule)?.group == .coverage, let path = finding.path, let start = finding.line else { return true }
            return seen.insert("\(path.string)\u{0}\(start)\u{0}\(finding.endLine ?? start)").inserted
        }
    }

    // MARK: GitHub Actions

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

    // MARK: JUnit

    /// One test case per gate: failures carry the message, skipped gates are skipped, and a
    /// warning passes with its message in system-out.
    public static func junit(_ verdict: Verdict) -> String {
        let failures = verdict.gates.filter { $0.status == .fail }.count
        let skipped = verdict.gates.filter { $0.status == .skip }.count
        let counts = "tests=\"\(verdict.gates.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"\(skipped)\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"gatehouse\" \(counts)>\n"
        out += "  <testsuite name=\"gatehouse check\" \(counts) time=\"0\">\n"
        for gate in verdict.gates {
            let name = gate.name.map { "\(gate.id) [\($0)]" } ?? gate.id.rawValue
            let classname = "gatehouse." + (gate.id.rawValue.split(separator: ".").first.map(String.init) ?? "gate")
            out += "    <testcase classname=\"\(xml(classname))\" name=\"\(xml(name))\" time=\"0\""
            var body = gate.message
            if let lines = gate.details.changedLines {
                for file in lines.files where !file.uncovered.isEmpty {
                    body += "\n\(file.path.string): not covered \(VerdictRenderer.ranges(file.uncovered))"
                }
            }
            for finding in gate.details.lint?.kept ?? [] { body += "\n" + VerdictRenderer.describe(finding) }
            for detail in gate.notes { body += "\n" + detail }
            switch gate.status {
            case .pass:
                out += "/>\n"
            case .fail:
                out += ">\n      <failure message=\"\(xml(gate.message))\" type=\"\(xml(gate.id.rawValue))\">\(xml(body))</failure>\n    </testcase>\n"
            case .skip:
                out += ">\n      <skipped message=\"\(xml(gate.message))\"/>\n    </testcase>\n"
            case .warn:
                out += ">\n      <system-out>\(xml("warning: " + body))</system-out>\n    </testcase>\n"
            }
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// Text for XML attributes and content; characters XML 1.0 cannot hold become U+FFFD.
    static func xml(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += "&#\(scalar.value);"
            default:
                let v = scalar.value
                let allowed = v >= 0x20 && v != 0xFFFE && v != 0xFFFF && !(0xD800...0xDFFF).contains(v)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    // MARK: SARIF

    /// SARIF 2.1.0, as GitHub code scanning accepts it: every result has a message and a
    /// location with a URI and a start line (findings without one point at the file the
    /// setting lives in).
    public static func sarif(_ verdict: Verdict, version: String, configFile: String) -> [UInt8] {
        let all = findings(verdict)
        let ruleIDs = Array(Set(all.map(\.ciRule))).sorted()
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("$schema"); w.string("https://json.schemastore.org/sarif-2.1.0.json")
        w.key("version"); w.string("2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.key("name"); w.string("Gatehouse")
        w.key("version"); w.string(version)
        w.key("rules")
        w.beginArray()
        for id in ruleIDs {
            w.beginObject()
            w.key("id"); w.string(id)
            w.key("shortDescription"); w.beginObject(); w.key("text"); w.string(GateID(rawValue: id)?.summary ?? id); w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endObject()
        w.key("results")
        w.beginArray()
        for finding in all {
            w.beginObject()
            w.key("ruleId"); w.string(finding.ciRule)
            w.key("ruleIndex"); w.int(ruleIDs.firstIndex(of: finding.ciRule) ?? 0)
            w.key("level"); w.string(finding.severity.rawValue)
            w.key("message"); w.beginObject(); w.key("text"); w.string(finding.message); w.endObject()
            w.key("locations")
            w.beginArray()
            w.beginObject()
            w.key("physicalLocation")
            w.beginObject()
            w.key("artifactLocation")
            w.beginObject()
            w.key("uri"); w.string(uri(finding.path?.bytes ?? Array(configFile.utf8)))
            w.key("uriBaseId"); w.string("%SRCROOT%")
            w.endObject()
            w.key("region")
            w.beginObject()
            w.key("startLine"); w.int(finding.line ?? 1)
            if let end = finding.endLine { w.key("endLine"); w.int(end) }
            w.endObject()
            w.endObject()
            w.endObject()
            w.endArray()
            w.key("partialFingerprints")
            w.beginObject()
            w.key("gatehouse/v1"); w.string(fingerprint(finding))
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        return w.document
    }

    /// A relative URI reference for a repository path: bytes outside RFC 3986's unreserved
    /// set and `/` are percent-encoded, so spaces, `#`, `%` and non-UTF-8 names survive.
    static func uri(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Stable across runs for the same finding, different for different findings.
    static func fingerprint(_ finding: Finding) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = "\(finding.ciRule)\u{0}\(finding.path?.string ?? "")\u{0}\(finding.line ?? 0)\u{0}\(finding.endLine ?? 0)\u{0}\(finding.path == nil ? finding.message : "")"
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    // MARK: GitLab Code Quality

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

extension Finding {
    /// The rule a CI format files it under: its rule, else its tool, else Gatehouse's own.
    var ciRule: String { rule ?? tool ?? "gatehouse" }
    var ciTitle: String { title ?? ciRule }
}
