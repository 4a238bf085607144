@testable import GatehouseCore
import Testing

/// GitHub refuses a comment over 65,536 characters, and then CI posts none: the check comment
/// must stay under the limit however large the change.
@Suite("Markdown comment size")
struct MarkdownLimitTests {
    let change = ChangeSet(
        mode: .threeDot, base: nil, head: nil, mergeBase: nil,
        baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])

    /// `count` files, each with a few uncovered runs; `prefix` makes the paths as long as wanted.
    func coverageGate(files count: Int, name: String? = nil, prefix: String = "src") -> GateResult {
        let files = (0..<count).map { index in
            FileLineCoverage(path: RepoPath("\(prefix)/module\(index % 40)/file\(index).swift"), covered: LineSet([1, 2]), uncovered: LineSet([4, 5, 6, 9, 12]))
        }
        return GateResult(
            id: name == nil ? .changedLines : .area, name: name, status: .fail, actual: 28.6, threshold: 80,
            message: "28.6% of changed lines covered", details: .changedLines(ChangedLineCoverage(measured: count * 7, covered: count * 2, files: files)))
    }

    func lintGate(findings count: Int) -> GateResult {
        let kept = (0..<count).map { index in
            Finding.lint(
                path: RepoPath("src/lint\(index).js"), reportPath: "src/lint\(index).js", line: index + 1, endLine: nil,
                severity: index.isMultiple(of: 2) ? .error : .warning, rule: "no-unused-vars",
                message: "'value\(index)' is assigned a value but never used.", tool: "eslint")
        }
        return GateResult(id: .lint, status: .fail, actual: Double(count), message: "\(count) findings", details: .lint(LintOutcome(kept: kept, dropped: 0)))
    }

    func reviewers(_ count: Int, unsatisfied: Int) -> ReviewerSuggestion {
        let paths = (0..<unsatisfied).map { RepoPath("vendor/lib\($0).c") }
        return ReviewerSuggestion(
            authors: ["@ada"],
            reviewers: (0..<count).map { index in
                ReviewerSuggestion.Reviewer(
                    name: "@person\(index)", isTeam: false, covers: Array(paths.prefix(12)),
                    reasons: ["owns these files (rules/CODEOWNERS:\(index + 1))"], expertise: 0, openReviews: nil)
            },
            // 100 causes (owners gone), each shared by many files: grouped, the groups are capped.
            unsatisfied: paths.enumerated().map { index, path in
                ReviewerSuggestion.Unsatisfied(
                    path: path, section: nil, owners: ["@gone\(index % 100)"], approvals: 1, available: [], reason: "@gone\(index % 100) is not a member")
            },
            optional: [], unowned: [], method: .greedy, bound: 2.5, lowerBound: 3, candidateCount: count,
            requirementCount: unsatisfied, seed: "branch", rulesFile: "rules/CODEOWNERS", dialect: .github, teamsFile: nil,
            window: HistoryWindow(), notes: [])
    }

    /// What must hold of any comment: under the limit, marker first, every `<details>` closed
    /// before the next opens, every table row whole.
    func expectWellFormed(_ markdown: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(markdown.utf8.count < 65_000, sourceLocation: sourceLocation)
        #expect(markdown.hasPrefix("<!-- gatehouse -->\n"), sourceLocation: sourceLocation)
        var open = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("<details>") {
                #expect(!open, "a <details> opens inside another", sourceLocation: sourceLocation)
                open = true
            }
            if line == "</details>" {
                #expect(open, "a </details> closes nothing", sourceLocation: sourceLocation)
                open = false
            }
            if line.hasPrefix("|") { #expect(line.hasSuffix(" |") && line.count > 2, "cut row: \(line)", sourceLocation: sourceLocation) }
        }
        #expect(!open, "a <details> is left open", sourceLocation: sourceLocation)
        #expect(markdown.hasSuffix("\n"), sourceLocation: sourceLocation)
    }

    @Test func thousandsOfFilesAndFindingsShowFiftyRowsEach() {
        let verdict = Verdict(
            change: change, gates: [coverageGate(files: 3_000), lintGate(findings: 3_000)],
            reviewers: reviewers(200, unsatisfied: 3_000))
        let markdown = VerdictRenderer.markdown(verdict)
        expectWellFormed(markdown)
        let lines = markdown.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("| `src/module") }.count == 50)
        #expect(lines.filter { $0.hasPrefix("| `src/lint") }.count == 50)
        #expect(lines.filter { $0.hasPrefix("| `@person") }.count == 50)
        #expect(lines.filter { $0.hasPrefix("- `@gone") }.count == 50)
        #expect(lines.contains("… and 2950 more files (gatehouse check --format json lists them all)"))
        #expect(lines.contains("… and 2950 more findings (gatehouse check --format json lists them all)"))
        #expect(lines.contains("… and 150 more reviewers (gatehouse reviewers --format json lists them all)"))
        #expect(lines.contains("- … and 50 more groups (gatehouse reviewers --format json lists them all)"))
        #expect(lines.contains { $0.hasPrefix("- `@gone0`: `@gone0` is not a member (30 files: `vendor/") && $0.hasSuffix(" and 25 more)") }, "\(lines.filter { $0.hasPrefix("- `@gone0") })")
        // The summary still counts everything, not only the rows shown.
        #expect(markdown.contains("Changed-line coverage: 15000 changed lines not covered in 3000 files</summary>"))
        #expect(!markdown.contains(VerdictRenderer.shortenedNote), "capped tables fit without cutting")
    }

    @Test func tooManyLongSectionsAreCutBetweenThemWithANote() {
        // 120 areas of 60 files with long, non-ASCII paths: far beyond the limit even with capped tables.
        let prefix = "src/" + String(repeating: "é", count: 60)
        let gates = (0..<120).map { coverageGate(files: 60, name: "area\($0)", prefix: prefix) }
        let verdict = Verdict(change: change, gates: gates)
        let markdown = VerdictRenderer.markdown(verdict)
        expectWellFormed(markdown)
        #expect(markdown.hasSuffix("</details>\n\n" + VerdictRenderer.shortenedNote))
        #expect(markdown.contains("\n… and 70 more gates (gatehouse check --format json lists them all)\n"))
        // A cut between parts: what is shown is the uncut comment's beginning.
        let whole = VerdictRenderer.markdownParts(verdict).joined()
        #expect(whole.utf8.count > 65_000)
        #expect(whole.hasPrefix(markdown.dropLast(VerdictRenderer.shortenedNote.count)))
    }

    @Test func aCutInTheSummaryTableEndsTheTableBeforeTheNote() {
        let parts = ["<!-- gatehouse -->\n## head\n\n", "| a | b |\n| --- | --- |\n| 1 | 2 |\n", "| \(String(repeating: "3", count: 400)) | 4 |\n", "\n"]
        let limit = parts[0].utf8.count + parts[1].utf8.count + VerdictRenderer.shortenedNote.utf8.count + 2
        let cut = VerdictRenderer.fitted(parts, limit: limit)
        #expect(cut == parts[0] + parts[1] + "\n" + VerdictRenderer.shortenedNote)
        #expect(cut.utf8.count <= limit)
        #expect(VerdictRenderer.fitted(parts, limit: parts.joined().utf8.count) == parts.joined(), "a comment that fits is left alone")
        #expect(VerdictRenderer.fitted(parts, limit: 1).hasPrefix(parts[0]), "the marker stays whatever the limit")
    }

    @Test func oneFileWithThousandsOfRunsIsCountedInItsCell() {
        let file = FileLineCoverage(path: "src/big.swift", covered: LineSet([2]), uncovered: LineSet((0..<3_000).map { $0 * 2 + 1 }))
        let gate = GateResult(id: .changedLines, status: .fail, actual: 0, threshold: 80, message: "", details: .changedLines(ChangedLineCoverage(measured: 3_001, covered: 1, files: [file])))
        let markdown = VerdictRenderer.markdown(Verdict(change: change, gates: [gate]))
        expectWellFormed(markdown)
        #expect(markdown.contains("| `src/big.swift` | 1 of 3001 | 1, 3, 5, "))
        #expect(markdown.contains(", 97, 99 and 2950 more lines |\n"))
    }

    @Test func aLongLintMessageIsShortenedInItsCell() throws {
        var gate = lintGate(findings: 1)
        var lint = try #require(gate.details.lint)
        lint.kept[0].message = String(repeating: "x", count: 2_000)
        gate.details = .lint(lint)
        let markdown = VerdictRenderer.markdown(Verdict(change: change, gates: [gate]))
        #expect(markdown.contains("| " + String(repeating: "x", count: 500) + "… |\n"))
    }

    @Test func aBudgetThatFailedOnGrowthIsNotCalledOver() {
        let grew = BudgetResult(
            name: "app", compression: .none, files: [.init(path: "app.js", size: 100)], max: nil, baseline: 50, delta: 50, status: .fail,
            reasons: ["grew by 50 B"], location: nil)
        let fits = BudgetResult(
            name: "css", compression: .none, files: [.init(path: "app.css", size: 10)], max: nil, baseline: nil, delta: nil, status: .pass,
            reasons: [], location: nil)
        let gate = GateResult(id: .size, status: .fail, message: "1 of 2 budgets failed: app.", details: .size([grew, fits]))
        let markdown = VerdictRenderer.markdown(Verdict(change: change, gates: [gate]))
        #expect(markdown.contains("| ❌ | Size budgets | 1 of 2 failed |  |\n"))
    }
}

/// Input in a Markdown cell or sentence stays on its line: a lint message with a line break and
/// a heading, or a terminal escape, cannot start a block of its own in the pull-request comment.
@Suite("Markdown: input stays on its line")
struct MarkdownEscapingTests {
    @Test(arguments: ["ok\n# Injected heading\n@someone", "tab\there\r\n## also", "bell\u{07} esc\u{1B}[31m red", "line\u{2028}separator"])
    func escapedInputHasNoLineBreakOrControlCharacter(_ text: String) {
        for shown in [VerdictRenderer.cell(text), VerdictRenderer.escape(text)] {
            #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0.value == 0x2028 }, "\(shown.debugDescription)")
            #expect(!shown.contains("\n#"))
        }
    }
}
