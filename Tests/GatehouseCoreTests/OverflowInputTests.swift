import Foundation
@testable import GatehouseCore
import Testing

/// Numbers from user input that once trapped on integer overflow or looped for hours: each must
/// now be an error naming the file and line, or a documented clamp.
@Suite("Overflowing numbers in user input")
struct OverflowInputTests {
    private func gitlab(_ text: String) throws -> CodeownersFile {
        try CodeownersParser.parse(Array(text.utf8), path: ".gitlab/CODEOWNERS", dialect: .gitlab)
    }

    private func change(_ paths: String...) -> ChangeSet {
        ChangeSet(
            mode: .threeDot, base: "base", head: "head", mergeBase: "base",
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"),
            files: paths.map { ChangedFile(path: RepoPath($0), status: .modified) })
    }

    /// A file whose one section asks for `approvals`, built directly so that the parser's cap
    /// does not hide what the planner and solver do with any Int.
    private func rules(approvals: Int, owners: [String]) -> OwnershipRules {
        OwnershipRules(CodeownersFile(
            path: ".gitlab/CODEOWNERS", dialect: .gitlab,
            sections: [OwnershipSection(name: nil), OwnershipSection(name: "Sec", approvals: approvals, line: 1)],
            rules: [OwnershipRule(index: 0, line: 2, column: 1, pattern: "*", owners: owners, section: 1)],
            problems: [], byteCount: 0))
    }

    private func fails(_ message: String, line: Int, file: String, _ body: () throws -> Void) {
        #expect {
            try body()
        } throws: { error in
            guard let error = error as? GatehouseError else { return false }
            return error.message.contains(message) && error.location?.line == line && error.location?.file == file
        }
    }

    // MARK: 1. GitLab approval counts

    @Test(arguments: [
        ("[Sec][5000000000000000000]\n* @org/team\n", "5000000000000000000", 7),
        ("^[Sec][99999999999999999999999]\n* @org/team\n", "99999999999999999999999", 8),
        ("  [Sec][1001] @org/team\n*\n", "1001", 9),
    ])
    func hugeApprovalCountsAreCappedWithAWarningAtTheirColumn(text: String, count: String, column: Int) throws {
        let file = try gitlab(text)
        #expect(file.sections.last?.approvals == CodeownersParser.maxApprovals)
        #expect(file.problems.count == 1)
        let problem = try #require(file.problems.first)
        #expect((problem.line, problem.location?.column, problem.severity, RulesCheck.Kind(problem)) == (1, column, .warning, .syntax))
        #expect(problem.message.contains(count) && problem.message.contains("at most 1000"), "\(problem.message)")
    }

    @Test func theLargestCountIsReadAsWritten() throws {
        let file = try gitlab("[Sec][1000]\n* @org/team\n")
        #expect(file.sections.last?.approvals == 1000)
        #expect(file.problems.isEmpty)
        // A duplicate header cannot raise the count past the cap either.
        let merged = try gitlab("[Sec][2]\n* @a\n[sec][123456789012]\n")
        #expect(merged.sections.map(\.approvals) == [1, 1000])
    }

    @Test func theReviewedCrashSuggestsTheTeamAndSaysWhy() throws {
        let owners = OwnershipRules(try gitlab("[Sec][5000000000000000000]\n* @org/team\n"))
        let result = ReviewerPlanner.suggest(ReviewerInput(change: change("a.txt"), rules: owners))
        #expect(result.reviewers.map(\.name) == ["@org/team"])
        #expect(result.reviewers.first?.reasons.contains("[Sec] needs 1000 approvals") == true)
        #expect(result.notes.contains { $0.hasPrefix("[Sec] needs 1000 approvals (.gitlab/CODEOWNERS:1), the most Gatehouse reads") }, "\(result.notes)")
    }

    @Test(arguments: [20, 0])  // exact search, then the greedy path
    func anyApprovalCountIsSolvedWithoutOverflow(exactLimit: Int) {
        for approvals in [Int.max, Int.max / 2 + 1, 5_000_000_000_000_000_000] {
            // Two whole teams: their units together exceed Int.max.
            let result = ReviewerPlanner.suggest(ReviewerInput(
                change: change("a.txt", "b.txt"), rules: rules(approvals: approvals, owners: ["@org/a", "@org/b"]), exactLimit: exactLimit))
            #expect(result.reviewers.count == 1)
            #expect(result.unsatisfied.isEmpty)
            #expect(result.bound.isFinite && result.bound >= 1)
            #expect(result.lowerBound >= 1)
        }
    }

    @Test func theSolverSaturatesEverySum() {
        let huge = CoverProblem.Requirement(members: [0, 1, 2], units: [.max, .max, .max], demand: .max)
        let people = CoverProblem.Requirement(members: [3, 4], units: [1, 1], demand: 2)
        let problem = CoverProblem(candidateCount: 5, requirements: [huge, huge, people], weights: [.max, .max, 1, 0, 0])
        for limit in [20, 0] {
            let solution = CoverSolver.solve(problem, exactLimit: limit)
            #expect(solution.chosen.count == 3)
            #expect(solution.chosen.contains(3) && solution.chosen.contains(4))
            #expect(solution.bound.isFinite)
        }
        // One member giving Int.max meets a demand of Int.max; two together must not wrap round.
        let short = CoverProblem(candidateCount: 2, requirements: [.init(members: [0, 1], units: [.max, .max], demand: .max)])
        #expect(CoverSolver.solve(short).chosen.count == 1)
    }

    @Test func harmonicNumbersOfAnySizeAreQuick() {
        #expect(CoverSolver.harmonic(0) == 1)
        #expect(CoverSolver.harmonic(1) == 1)
        #expect(abs(CoverSolver.harmonic(4) - 25.0 / 12) < 1e-12)
        // The formula takes over from the sum without a step.
        let summed = CoverSolver.harmonic(10_000)
        #expect(abs(CoverSolver.harmonic(10_001) - (summed + 1.0 / 10_001)) < 1e-10)
        let largest = CoverSolver.harmonic(.max)
        #expect(largest.isFinite && abs(largest - (log(Double(Int.max)) + 0.5772156649)) < 1e-9)
    }

    // MARK: 3. The load file

    @Test func loadCountsOutsideTheRangeNameTheLine() {
        let file = "ci/load.json"
        fails("from 0 to 100000, found '9223372036854775807'", line: 2, file: file) {
            _ = try TeamsConfig.parseLoad(Data("{\"x@y.z\": 1,\n \"@a\": 9223372036854775807}".utf8), file: file)
        }
        fails("from 0 to 100000, found '100001'", line: 1, file: file) {
            _ = try TeamsConfig.parseLoad(Data("{\"@a\": 100001}".utf8), file: file)
        }
        fails("from 0 to 100000", line: 3, file: file) {
            _ = try TeamsConfig.parseLoad(Data("\"@a\": 1\n\"@b\": 2\n\"@c\": 99999999999999999999999\n".utf8), file: file)
        }
    }

    @Test func oneAddressAndItsPersonAddUpSafely() throws {
        let teams = try TeamsConfig.parse(
            Data("people:\n  \"@a\": [x@y.z]\nmax_open_reviews: 5\nload: ci/load.json\n".utf8), file: "rules/teams.yml")
        let load = try TeamsConfig.parseLoad(Data("{\"@a\": 100000, \"x@y.z\": 100000}".utf8), file: "ci/load.json")
        #expect(load == ["@a": 100_000, "x@y.z": 100_000])
        let owners = OwnershipRules(try CodeownersParser.parse(Array("* @a @b\n".utf8), path: "CODEOWNERS"))
        let bounded = ReviewerPlanner.suggest(ReviewerInput(change: change("a.txt"), rules: owners, teams: teams, load: load))
        #expect(bounded.reviewers.map(\.name) == ["@b"])
        // Counts given to the planner directly are not bounded: their sum saturates.
        let unbounded = ReviewerPlanner.suggest(ReviewerInput(
            change: change("a.txt"), rules: owners, teams: teams, load: ["@a": .max, "x@y.z": 1, "@b": .max]))
        #expect(unbounded.reviewers.isEmpty)
        #expect(unbounded.unsatisfied.first?.reason.contains("@a has \(Int.max) open reviews") == true, "\(unbounded.unsatisfied)")
    }

    // MARK: 2. Size snapshots

    private func snapshot(_ sizes: [String]) -> [UInt8] {
        let files = sizes.enumerated().map { "      {\"path\": \"dist/\($0.offset).js\", \"size\": \($0.element)}" }
        return Array("{\"schemaVersion\": 1,\n  \"budgets\": [{\"name\": \"js\", \"files\": [\n\(files.joined(separator: ",\n"))\n  ]}]}\n".utf8)
    }

    @Test func snapshotSizesAboveTwoToTheFiftyThirdNameTheLine() throws {
        fails("has a size of 9223372036854775807 bytes, more than the 9007199254740992", line: 3, file: "base.json") {
            _ = try SizeSnapshot.parse(snapshot(["9223372036854775807", "9223372036854775807"]), displayPath: "base.json")
        }
        fails("has a size of 9007199254740993 bytes", line: 4, file: "base.json") {
            _ = try SizeSnapshot.parse(snapshot(["1", "9007199254740993"]), displayPath: "base.json")
        }
        // Each file within the limit, their total not.
        fails("add up to more than 9007199254740992 bytes", line: 4, file: "base.json") {
            _ = try SizeSnapshot.parse(snapshot(["9007199254740992", "1"]), displayPath: "base.json")
        }
        let largest = try SizeSnapshot.parse(snapshot(["9007199254740000", "992"]), displayPath: "base.json")
        #expect(largest.budgets.first?.size == SizeSnapshot.maxBytes)
    }

    @Test func aMeasurementOfAnySizesHasATotal() {
        let files = [Int.max, Int.max, 5].enumerated().map { BudgetMeasurement.File(path: "f\($0.offset)", size: $0.element) }
        #expect(BudgetMeasurement(name: "x", compression: .none, files: files).size == .max)
        let negative = [Int.min, -1].map { BudgetMeasurement.File(path: "f", size: $0) }
        #expect(BudgetMeasurement(name: "x", compression: .none, files: negative).size == .min)
        #expect(BudgetMeasurement(name: "x", compression: .none, files: [.init(path: "a", size: 2), .init(path: "b", size: 3)]).size == 5)
    }
}
