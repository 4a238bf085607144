extension CIRenderers {
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
}

/// `--format junit`: JUnit XML, one test case per gate
public enum JUnitFormat: OutputFormat {
    public static let name = "junit"
    public static let summary = "JUnit XML, one test case per gate"

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        Array(CIRenderers.junit(verdict).utf8)
    }
}
