extension VerdictRenderer {
    public static func json(_ verdict: Verdict) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("schemaVersion"); w.int(1)
        w.key("range"); w.string(verdict.change.mode.rawValue)
        w.key("base"); w.string(verdict.change.base)
        w.key("head"); w.string(verdict.change.head)
        w.key("mergeBase"); w.string(verdict.change.mergeBase)
        w.key("baseSource"); w.string(verdict.change.baseSelection.source.rawValue)
        w.key("verdict"); w.string(verdict.passed ? "pass" : "fail")
        w.key("gates")
        w.beginArray()
        for gate in verdict.gates {
            w.beginObject()
            w.key("id"); w.string(gate.id.rawValue)
            if let name = gate.name { w.key("name"); w.string(name) }
            w.key("status"); w.string(gate.status.rawValue)
            w.key("actual"); if let actual = gate.actual { w.number(actual) } else { w.null() }
            w.key("threshold"); if let threshold = gate.threshold { w.number(threshold) } else { w.null() }
            w.key("message"); w.string(gate.message)
            if let lines = gate.details.changedLines {
                w.key("measured"); w.int(lines.measured)
                w.key("covered"); w.int(lines.covered)
                w.key("files")
                w.beginArray()
                for file in lines.files {
                    w.beginObject()
                    w.path("path", file.path)
                    w.key("covered"); numbers(&w, file.covered)
                    w.key("uncovered"); numbers(&w, file.uncovered)
                    w.endObject()
                }
                w.endArray()
            }
            if let lint = gate.details.lint {
                w.key("findings")
                w.beginArray()
                for finding in lint.kept {
                    w.beginObject()
                    if let path = finding.path { w.path("path", path) } else { w.key("path"); w.string(finding.reportPath) }
                    w.key("line"); w.int(finding.line)
                    w.key("endLine"); w.int(finding.endLine)
                    w.key("severity"); w.string(finding.severity.rawValue)
                    w.key("rule"); w.string(finding.rule)
                    w.key("message"); w.string(finding.message)
                    w.key("tool"); w.string(finding.tool)
                    w.endObject()
                }
                w.endArray()
                w.key("dropped"); w.int(lint.dropped)
            }
            if let budgets = gate.details.size {
                w.key("budgets")
                w.beginArray()
                for budget in budgets {
                    w.beginObject()
                    w.key("name"); w.string(budget.name)
                    w.key("compression"); w.string(budget.compression.rawValue)
                    w.key("files"); BudgetMeasurement.File.write(budget.files, to: &w)
                    w.key("size"); w.int(budget.size)
                    w.key("max"); w.int(budget.max?.bytes)
                    w.key("baseline"); w.int(budget.baseline)
                    w.key("delta"); w.int(budget.delta)
                    w.key("status"); w.string(budget.status.rawValue)
                    w.key("reasons")
                    w.beginArray()
                    for reason in budget.reasons { w.string(reason) }
                    w.endArray()
                    w.endObject()
                }
                w.endArray()
            }
            if !gate.notes.isEmpty {
                w.key("details")
                w.beginArray()
                for detail in gate.notes { w.string(detail) }
                w.endArray()
            }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.document
    }

    private static func numbers(_ w: inout JSONWriter, _ lines: LineSet) {
        w.beginArray()
        for line in lines { w.int(line) }
        w.endArray()
    }
}

/// `--format json`: the verdict as JSON (docs/JSON.md, schemas/check.schema.json)
public enum JSONFormat: OutputFormat {
    public static let name = "json"
    public static let summary = "the verdict as JSON (docs/JSON.md, schemas/check.schema.json)"

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        VerdictRenderer.json(verdict)
    }
}
