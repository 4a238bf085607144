extension VerdictRenderer {
    public static func text(_ verdict: Verdict, color: Bool) -> String {
        var out = text(gates: verdict.gates, color: color)
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        let failed = verdict.gates.filter { $0.status == .fail }.count
        let total = verdict.gates.count
        if failed > 0 {
            out += paint("gatehouse: \(failed) of \(total) gate\(total == 1 ? "" : "s") failed", "1;31") + "\n"
        } else {
            out += paint("gatehouse: \(summary(verdict))", "32") + "\n"
        }
        return out
    }

    /// One line per gate with what it found beneath, without the closing verdict line.
    /// `detailLimit` keeps at most that many lines beneath each gate and counts the rest (the
    /// pre-push hook's summary; `check` shows them all).
    public static func text(gates: [GateResult], color: Bool, detailLimit: Int?) -> String {
        guard let detailLimit else { return text(gates: gates, color: color) }
        var out = ""
        for gate in gates {
            let lines = text(gates: [gate], color: color).split(separator: "\n", omittingEmptySubsequences: true)
            guard let title = lines.first else { continue }
            out += title + "\n"
            // The lint list says on its own line that it was cut: count it as one of the rest.
            let details = lines.dropFirst().filter { !$0.hasPrefix("    ... and ") }
            let hidden = (gate.details.lint.map { max($0.kept.count - 50, 0) } ?? 0) + max(details.count - detailLimit, 0)
            for line in details.prefix(detailLimit) { out += line + "\n" }
            if hidden > 0 { out += "    ... and \(hidden) more\n" }
        }
        return out
    }

    /// One line per gate with what it found beneath, without the closing verdict line.
    public static func text(gates: [GateResult], color: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func label(_ status: GateStatus) -> String {
            switch status {
            case .pass: paint("PASS", "32")
            case .fail: paint("FAIL", "1;31")
            case .warn: paint("WARN", "33")
            case .skip: paint("SKIP", "2")
            }
        }
        var out = ""
        for gate in gates {
            // Messages and details carry input (report paths, owners): one line each, no escapes.
            out += "\(label(gate.status)) \(gate.id)\(gate.name.map { " [\(TextEscaping.line($0))]" } ?? ""): \(TextEscaping.line(gate.message))\n"
            if let lines = gate.details.changedLines, gate.status != .pass || gate.id == .changedLines {
                for file in lines.files where !file.uncovered.isEmpty {
                    out += "    \(PathQuoting.quote(file.path)): not covered \(ranges(file.uncovered))\n"
                }
            }
            if let lint = gate.details.lint {
                for finding in lint.kept.prefix(50) { out += "    \(describe(finding))\n" }
                if lint.kept.count > 50 { out += "    ... and \(lint.kept.count - 50) more (--format json lists them all)\n" }
            }
            for budget in gate.details.size ?? [] {
                out += "    \(budget.status.rawValue): \(describe(budget))\n"
                for reason in budget.reasons { out += "        \(reason)\n" }
            }
            for detail in gate.notes { out += "    \(TextEscaping.line(detail))\n" }
        }
        return out
    }

    /// "no gate failed (3 passed, 1 skipped)": a skipped gate is not a passed one.
    static func summary(_ verdict: Verdict) -> String {
        guard !verdict.gates.isEmpty else { return "no gate is configured" }
        let counts = [GateStatus.pass, .warn, .skip].compactMap { status -> String? in
            let count = verdict.gates.filter { $0.status == status }.count
            guard count > 0 else { return nil }
            return "\(count) " + (status == .pass ? "passed" : status == .warn ? "warned" : "skipped")
        }
        return "no gate failed (\(counts.joined(separator: ", ")))"
    }
}

/// `--format text`: one line per gate with what it found beneath, for a person at a terminal
public enum TextFormat: OutputFormat {
    public static let name = "text"
    public static let summary = "one line per gate with what it found beneath, for a person at a terminal"

    public static func render(_ verdict: Verdict, _ context: RenderContext) -> [UInt8] {
        Array(VerdictRenderer.text(verdict, color: context.color).utf8)
    }
}
