import Foundation
import Testing

@testable import GatehouseCore

/// Branch coverage counted as coverage.py counts it, checked against coverage.py's own report on a
/// real project (Tests/Fixtures/coverage/branches/README.md).
@Suite("Coverage: branches")
struct BranchCoverageTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/coverage/branches")

    /// coverage.py's `coverage report` rows: file, statements, missed, branches, partial, percent.
    static func oracle() throws -> [(file: String, statements: Int, missed: Int, branches: Int, percent: String)] {
        let text = try String(contentsOf: folder.appendingPathComponent("pyflakes-3.4.0-coverage-report.txt"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 6, let statements = Int(fields[1]), let missed = Int(fields[2]), let branches = Int(fields[3]) else { return nil }
            return (String(fields[0]), statements, missed, branches, String(fields[5]))
        }
    }

    static func evidence() throws -> CoverageEvidence {
        let files = try oracle().map(\.file).filter { $0 != "TOTAL" }.map { RepoPath($0) }
        let mapper = PathMapper(repositoryFiles: files, root: "/work/pyflakes/")
        var evidence = CoverageEvidence()
        let path = folder.appendingPathComponent("pyflakes-3.4.0-branch.xml").path
        try CoverageReader.read(path: path, displayPath: "coverage.xml", into: &evidence, mapper: mapper)
        #expect(evidence.unmapped.isEmpty, "\(evidence.unmapped)")
        return evidence
    }

    @Test func theTotalAndEveryFileEqualCoveragePysReport() throws {
        let evidence = try Self.evidence()
        let oracle = try Self.oracle()
        let total = try #require(oracle.first { $0.file == "TOTAL" })
        #expect(evidence.total.measured == total.statements && evidence.total.measured - evidence.total.covered == total.missed)
        #expect(evidence.branchTotal.total == total.branches)

        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])
        var settings = CoverageSettings(total: 96.4)
        settings.branches = true
        let gate = try #require(CoverageGates.evaluate(change: change, evidence: evidence, settings: settings).first { $0.id == .total })
        #expect(String(format: "%.2f%%", gate.actual ?? 0) == total.percent, "\(gate.message)")
        #expect(gate.status == .pass)
        #expect(gate.message == "96.4% of 3420 measured lines and 636 branches are covered (3319 lines, 591 branches); the minimum is 96.4%.")

        // Without branches, the figure is line coverage, as before (and as diff-cover's).
        settings.branches = false
        let lines = try #require(CoverageGates.evaluate(change: change, evidence: evidence, settings: settings).first { $0.id == .total })
        #expect(String(format: "%.2f", lines.actual ?? 0) == "97.05")

        // File by file, coverage.py's percentages.
        for row in oracle where row.file != "TOTAL" {
            let lines = try #require(evidence.files[RepoPath(row.file)], "\(row.file)")
            let branches = lines.branches.values.reduce((0, 0)) { ($0.0 + $1.total, $0.1 + $1.covered) }
            #expect(lines.measured.count == row.statements && branches.0 == row.branches, "\(row.file)")
            // An empty file (an __init__.py with no statement) is 100% to coverage.py.
            let measured = lines.measured.count + branches.0
            let percent = measured == 0 ? 100 : Double(lines.covered.count + branches.1) * 100 / Double(measured)
            #expect(String(format: "%.2f%%", percent) == row.percent, "\(row.file)")
        }
    }

    @Test func lcovBranchRecordsAndPartlyTakenChangedLines() throws {
        let text = """
            SF:src/a.py
            DA:1,1
            DA:2,1
            DA:3,1
            DA:4,0
            BRDA:2,0,0,3
            BRDA:2,0,1,0
            BRDA:3,0,0,1
            BRDA:3,0,1,2
            BRDA:4,0,0,-
            BRDA:4,0,1,-
            end_of_record

            """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("branches-\(UUID().uuidString).info")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        var evidence = CoverageEvidence()
        try CoverageReader.read(path: url.path, displayPath: "lcov.info", into: &evidence, mapper: PathMapper(repositoryFiles: [RepoPath("src/a.py")], root: nil))
        let lines = try #require(evidence.files[RepoPath("src/a.py")])
        #expect(lines.branches == [2: BranchHits(covered: 1, total: 2), 3: BranchHits(covered: 2, total: 2), 4: BranchHits(covered: 0, total: 2)])
        #expect(evidence.branchTotal == (6, 3) ? true : false)

        let file = ChangedFile(path: "src/a.py", status: .modified, added: LineSet([2, 3, 4]))
        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [file])
        var settings = CoverageSettings(changedLines: 0)
        settings.branches = true
        let ran = try #require(CoverageGates.evaluate(change: change, evidence: evidence, settings: settings).first)
        #expect(ran.message.hasPrefix("66.6% of 3 changed lines covered (2 covered, 1 not)"), "\(ran.message)")
        settings.partial = .uncovered
        let strict = try #require(CoverageGates.evaluate(change: change, evidence: evidence, settings: settings).first)
        #expect(strict.message.hasPrefix("33.3% of 3 changed lines covered (1 covered, 2 not)"), "\(strict.message)")
    }
}

extension BranchCoverageTests {
    /// JaCoCo's line branch counters add up to its own report-level BRANCH counter.
    @Test func jacocoBranchCountersEqualTheReportsOwnTotal() throws {
        let path = Self.folder.deletingLastPathComponent().appendingPathComponent("jacoco-jacoco-0.8.6.xml").path
        let report = try CoverageReader.read(path: path, displayPath: "jacoco.xml")
        let files = report.files.map { RepoPath($0.path) }
        var evidence = CoverageEvidence()
        try CoverageReader.read(path: path, displayPath: "jacoco.xml", into: &evidence, mapper: PathMapper(repositoryFiles: files, root: nil))
        // <counter type="BRANCH" missed="2" covered="4"/> closes the report.
        #expect(evidence.branchTotal == (6, 4) ? true : false, "\(evidence.branchTotal)")
    }
}

extension FileCoverage {
    /// The file's lines and hits only: for comparisons with sources that carry no branch data
    /// (another format of the same run, or a generated oracle of lines).
    var withoutBranches: FileCoverage {
        FileCoverage(path: path, lines: lines.eachLine.map { LineHits(line: $0.line, hits: $0.hits) })
    }

    /// One entry per line, runs expanded: to compare small reports line by line.
    var eachLine: FileCoverage { FileCoverage(path: path, lines: lines.eachLine) }
}

extension Array where Element == LineHits {
    /// One entry per line, runs expanded.
    var eachLine: [LineHits] {
        flatMap { entry in entry.isRun ? (entry.line...entry.lastLine).map { LineHits(line: $0, hits: entry.hits) } : [entry] }
    }
}

extension Array where Element == FileCoverage {
    var withoutBranches: [FileCoverage] { map(\.withoutBranches) }
    var eachLine: [FileCoverage] { map(\.eachLine) }
}
