@testable import GatehouseCore
import Testing

@Suite("CI output formats")
struct CIRenderersTests {
    /// A failing changed-line gate with `count` uncovered one-line runs in an awkwardly named file.
    func verdict(uncoveredRuns count: Int, path: RepoPath = "src/a,b:c%d.py") -> Verdict {
        let uncovered = LineSet((0..<count).map { $0 * 2 + 1 })
        let file = FileLineCoverage(path: path, covered: LineSet([2]), uncovered: uncovered)
        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])
        return Verdict(change: change, gates: [
            GateResult(id: .changedLines, status: .fail, actual: 10, threshold: 90,
                       message: "10% of changed lines covered\nsecond line", details: .changedLines(ChangedLineCoverage(measured: count + 1, covered: 1, files: [file]))),
            GateResult(id: .ownersRules, status: .fail, message: "rules/CODEOWNERS: 1 error", notes: ["CODEOWNERS:1:3: bad owner"]),
        ])
    }

    @Test func githubEscapesPropertiesAndMessages() {
        let out = CIRenderers.github(verdict(uncoveredRuns: 1))
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines[0] == "::error file=src/a%2Cb%3Ac%25d.py,line=1,endLine=1,title=Changed lines not covered by tests::Line 1 was added by this change, but no test ran it.")
        #expect(lines[1] == "::error title=Ownership rules::rules/CODEOWNERS: 1 error%0ACODEOWNERS:1:3: bad owner")
        #expect(lines.count == 2)
    }

    @Test func githubStopsAtTenPerLevelAndCountsTheRest() {
        let lines = CIRenderers.github(verdict(uncoveredRuns: 14)).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(lines.last == "::notice title=More findings::5 more errors not shown as annotations (GitHub shows 10 per step); the step summary and gatehouse check --format json list them all.")
    }

    /// Several findings on one line are each an annotation; what the limit hides is counted
    /// exactly, per level (a real ruff report: 33 errors, 6 of them two to a line).
    @Test func everyLintFindingIsAnnotatedAndTheRestCountedExactly() {
        var kept: [Finding] = []
        for index in 0..<27 {
            kept.append(Finding.lint(
                path: "src/app.py", reportPath: "src/app.py", line: index + 1, endLine: nil, severity: .error,
                rule: "F401", message: "unused import \(index)", tool: "ruff"))
        }
        for index in 0..<6 {
            kept.append(Finding.lint(
                path: "src/app.py", reportPath: "src/app.py", line: 5, endLine: nil, severity: .error,
                rule: "E\(index)", message: "another finding on line 5, number \(index)", tool: "ruff"))
        }
        for index in 0..<12 {
            kept.append(Finding.lint(
                path: "src/app.py", reportPath: "src/app.py", line: 5, endLine: nil, severity: .note,
                rule: "N\(index)", message: "note \(index)", tool: "ruff"))
        }
        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])
        let gate = GateResult(id: .lint, status: .fail, actual: 33, message: "33 findings", details: .lint(LintOutcome(kept: kept, dropped: 0)))
        #expect(CIRenderers.findings(Verdict(change: change, gates: [gate])).count == 45, "none is merged with another on its line")
        let lines = CIRenderers.github(Verdict(change: change, gates: [gate])).split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(lines.filter { $0.hasPrefix("::notice file=") }.count == 10)
        #expect(lines.contains("::notice title=More findings::23 more errors not shown as annotations (GitHub shows 10 per step); the step summary and gatehouse check --format json list them all."))
        #expect(lines.contains("::notice title=More findings::2 more notes not shown as annotations (GitHub shows 10 per step); the step summary and gatehouse check --format json list them all."))
    }

    @Test func sarifURIsAndFingerprints() throws {
        let sarif = String(decoding: CIRenderers.sarif(verdict(uncoveredRuns: 3, path: RepoPath(bytes: Array("dir/a b#".utf8) + [0xE9])), version: "1.0", configFile: "rules/gatehouse.yml"), as: UTF8.self)
        #expect(sarif.contains(#""uri": "dir/a%20b%23%E9""#))
        #expect(sarif.contains(#""uri": "rules/gatehouse.yml""#), "a finding without a file points at the configuration")
        let fingerprints = sarif.split(separator: "\n").filter { $0.contains("gatehouse/v1") }
        #expect(fingerprints.count == 4)
        #expect(Set(fingerprints).count == 4)
    }

    @Test func junitEscapesAndCounts() {
        let xml = CIRenderers.junit(verdict(uncoveredRuns: 2))
        #expect(xml.contains(#"<testsuites name="gatehouse" tests="2" failures="2" errors="0" skipped="0">"#))
        #expect(xml.contains("10% of changed lines covered&#10;second line"))
        #expect(xml.contains("src/a,b:c%d.py: not covered 1, 3"))
    }

    @Test func codeQualityFingerprintsAreUnique() {
        let json = String(decoding: CIRenderers.codeQuality(verdict(uncoveredRuns: 12), configFile: "rules/gatehouse.yml"), as: UTF8.self)
        let fingerprints = json.split(separator: "\n").filter { $0.contains("\"fingerprint\"") }
        #expect(fingerprints.count == 13)
        #expect(Set(fingerprints).count == 13)
        #expect(json.contains(#""severity": "major""#))
    }
}

@Suite("Markdown: hostile file names")
struct MarkdownHostileNameTests {
    @Test func aFileNameWithLineBreaksStaysInItsCell() {
        let path = RepoPath("src/a\n\n## Approved by @security-team\n\n| x |.py")
        let file = FileLineCoverage(path: path, covered: LineSet([1]), uncovered: LineSet([2]))
        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])
        let gate = GateResult(id: .changedLines, status: .fail, actual: 50, threshold: 90, message: "50%", details: .changedLines(ChangedLineCoverage(measured: 2, covered: 1, files: [file])))
        let markdown = VerdictRenderer.markdown(Verdict(change: change, gates: [gate]))
        let lines = markdown.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("## Approved") }, "\(markdown)")
        #expect(lines.contains { $0.hasPrefix("| `src/a\\n\\n## Approved by @security-team\\n\\n\\| x \\|.py` |") }, "\(markdown)")
    }
}
