import Foundation
import GatehouseTestSupport
import Testing

/// Changed-line coverage against diff-cover on real code where git's indent heuristic moves lines.
///
/// The fixture (Tests/Fixtures/replay/rich, see its README.md) is the part of Textualize/rich's
/// range aab0e1ff5b...7592f09797 that matters: the real base and head blobs of rich/pretty.py,
/// where git places a 46-line hunk at 536-581 and places it at 538-583 with the heuristic off
/// (line 537 and line 583 are both run by the tests, so the covered lines depend on the placement),
/// plus rich/_ratio.py, which has an uncovered changed line, and coverage.py's report of the
/// project's own test run at the head, restricted to those two files.
@Suite("diff-cover replay: rich, where the indent heuristic moves lines", .enabled(if: diffCoverAvailable, "needs diff-cover (pip install diff-cover)"))
struct DiffCoverReplayTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/replay/rich")

    /// The files replayed, with their blob ids in the real repository at base and head.
    static let blobs: [(path: String, base: String, head: String)] = [
        ("rich/pretty.py", "1e2f532d439a92b34967fbdb48d2fd2c435c23cf", "4695e9b60fcfc0c7a57440fba1b38df9ce334609"),
        ("rich/_ratio.py", "a395af9d607c7ac7980ffd4a20dc4ba3588378f1", "8084d39f14706bfd346f7c75bf4a6cc15d46cf63"),
    ]

    /// main holds the base files, branch feature the head files (checked out).
    func replayRepository() throws -> TestRepository {
        let repo = try TestRepository()
        for side in ["base", "head"] {
            if side == "head" { try repo.git(["checkout", "-q", "-b", "feature"]) }
            for blob in Self.blobs {
                let bytes = try Data(contentsOf: Self.fixture.appendingPathComponent(side + "/" + blob.path))
                try repo.write(blob.path, bytes: Array(bytes))
            }
            try repo.commit(side)
        }
        // The fixture holds the real blobs byte for byte (no line ending or whitespace rewritten).
        for blob in Self.blobs {
            #expect(try repo.revParse("main:" + blob.path) == blob.base, "\(blob.path) at base")
            #expect(try repo.revParse("feature:" + blob.path) == blob.head, "\(blob.path) at head")
        }
        return repo
    }

    /// Added line numbers of `git diff -U0 main...feature -- path`, with extra `git -c` settings.
    func gitAddedLines(_ repo: TestRepository, _ path: String, settings: [String] = []) throws -> Set<Int> {
        let diff = try repo.git(settings.flatMap { ["-c", $0] } + ["diff", "-U0", "main...feature", "--", path]).output
        var added: Set<Int> = []
        for line in diff.split(separator: "\n") where line.hasPrefix("@@ ") {
            // @@ -a,b +c,d @@: the new side starts at c and runs d lines (1 when d is left out).
            let new = line.split(separator: " ")[2].dropFirst().split(separator: ",")
            let start = Int(new[0])!
            let count = new.count > 1 ? Int(new[1])! : 1
            added.formUnion(start..<start + count)
        }
        return added
    }

    struct FileFigures: Equatable, CustomStringConvertible {
        var covered: [Int]
        var uncovered: [Int]
        var description: String { "covered \(covered), uncovered \(uncovered)" }
    }

    struct Figures {
        var files: [String: FileFigures]
        var measured: Int
        var uncovered: Int
        var percent: Double
    }

    /// diff-cover's answer, from its JSON report.
    func diffCover(_ repo: TestRepository, report: String) throws -> Figures {
        let output = repo.parentFolder + "/diff-cover-\(UUID().uuidString).json"
        let result = try run(["diff-cover", report, "--compare-branch=main", "--format", "json:" + output], in: repo.path,
                             environment: TestRepository.gitEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any])
        let stats = try #require(json["src_stats"] as? [String: [String: Any]])
        var files: [String: FileFigures] = [:]
        for (path, stat) in stats {
            let covered = try #require(stat["covered_lines"] as? [Int], "diff-cover 7 or later lists covered_lines")
            files[path] = FileFigures(covered: covered.sorted(), uncovered: (stat["violation_lines"] as? [Int] ?? []).sorted())
        }
        return Figures(files: files, measured: try #require(json["total_num_lines"] as? Int),
                       uncovered: try #require(json["total_num_violations"] as? Int),
                       percent: try #require(json["total_percent_covered"] as? Double))
    }

    /// Gatehouse's answer: the coverage.changed_lines gate of `check --format json`, with no configuration file.
    func gatehouse(_ repo: TestRepository, report: String) throws -> Figures {
        let result = try GatehouseCLI.run(["check", "--base", "main", "--coverage", report, "--format", "json"], in: repo.path)
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        let verdict = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any])
        let gate = try #require((verdict["gates"] as? [[String: Any]])?.first { $0["id"] as? String == "coverage.changed_lines" })
        var files: [String: FileFigures] = [:]
        for file in gate["files"] as? [[String: Any]] ?? [] {
            files[try #require(file["path"] as? String)] = FileFigures(
                covered: (file["covered"] as? [Int] ?? []).sorted(), uncovered: (file["uncovered"] as? [Int] ?? []).sorted())
        }
        let measured = try #require(gate["measured"] as? Int)
        let covered = try #require(gate["covered"] as? Int)
        return Figures(files: files, measured: measured, uncovered: measured - covered, percent: try #require(gate["actual"] as? Double))
    }

    func expectAgreement(_ ours: Figures, _ theirs: Figures, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ours.files == theirs.files, sourceLocation: sourceLocation)
        #expect(ours.measured == theirs.measured, sourceLocation: sourceLocation)
        #expect(ours.uncovered == theirs.uncovered, sourceLocation: sourceLocation)
        // diff-cover's total is a whole number (97 for 97.49); Gatehouse keeps two decimals.
        #expect(abs(ours.percent - theirs.percent) < 1, "\(ours.percent) against \(theirs.percent)", sourceLocation: sourceLocation)
    }

    /// The fixture is not vacuous: git's indent heuristic moves the added lines of rich/pretty.py,
    /// and the moved lines are measured and run, so diff-cover's covered lines change with them.
    @Test func theHeuristicMovesCoveredLinesInTheFixture() throws {
        let repo = try replayRepository()
        let withHeuristic = try gitAddedLines(repo, "rich/pretty.py")
        let without = try gitAddedLines(repo, "rich/pretty.py", settings: ["diff.indentHeuristic=false"])
        #expect(withHeuristic.count == without.count)
        #expect(withHeuristic.subtracting(without) == [536, 537])
        #expect(without.subtracting(withHeuristic) == [582, 583])
        // rich/_ratio.py is placed the same either way.
        #expect(try gitAddedLines(repo, "rich/_ratio.py") == gitAddedLines(repo, "rich/_ratio.py", settings: ["diff.indentHeuristic=false"]))

        let report = Self.fixture.appendingPathComponent("coverage.xml").path
        let git = try diffCover(repo, report: report)
        try repo.git(["config", "diff.indentHeuristic", "false"])
        let noHeuristic = try diffCover(repo, report: report)
        let covered = try #require(git.files["rich/pretty.py"]?.covered)
        let coveredWithout = try #require(noHeuristic.files["rich/pretty.py"]?.covered)
        #expect(covered.contains(537) && !covered.contains(583))
        #expect(coveredWithout.contains(583) && !coveredWithout.contains(537))
    }

    /// Per file covered and uncovered lines, measured lines and percentage: the same as diff-cover's,
    /// which reads `git diff -U0 main...HEAD` under git's defaults (the heuristic on).
    @Test func sameAnswerAsDiffCoverUnderGitsDefaults() throws {
        let repo = try replayRepository()
        let report = Self.fixture.appendingPathComponent("coverage.xml").path
        let theirs = try diffCover(repo, report: report)
        let ours = try gatehouse(repo, report: report)
        expectAgreement(ours, theirs)
        // What both say, so that an empty answer from both cannot pass.
        #expect(theirs.measured == 63 && theirs.uncovered == 1)
        #expect(theirs.files["rich/_ratio.py"] == FileFigures(covered: [1, 6], uncovered: [9]))
        #expect(theirs.files["rich/pretty.py"]?.covered.count == 60 && theirs.files["rich/pretty.py"]?.uncovered == [])
        #expect(ours.files["rich/pretty.py"]?.covered.contains(537) == true)
        #expect(ours.files["rich/pretty.py"]?.covered.contains(583) == false)
    }

    /// With `diff.indentHeuristic=false` in the repository's configuration, git (and so diff-cover)
    /// places the lines elsewhere, and Gatehouse, reading the same setting, follows.
    @Test func sameAnswerAsDiffCoverWithTheHeuristicOff() throws {
        let repo = try replayRepository()
        try repo.git(["config", "diff.indentHeuristic", "false"])
        let report = Self.fixture.appendingPathComponent("coverage.xml").path
        let theirs = try diffCover(repo, report: report)
        let ours = try gatehouse(repo, report: report)
        expectAgreement(ours, theirs)
        #expect(ours.files["rich/pretty.py"]?.covered.contains(583) == true)
        #expect(ours.files["rich/pretty.py"]?.covered.contains(537) == false)
    }
}
