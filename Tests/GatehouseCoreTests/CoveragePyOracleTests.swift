import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// coverage.py is the oracle for its own JSON report: a small Python project is run under it in a
/// temporary folder, `coverage json` writes the report Gatehouse reads, and what Gatehouse reads
/// is compared with the report's lists (decoded here by Foundation's JSON reader, not Gatehouse's)
/// and with `coverage report`'s table, file by file and in total.
@Suite("coverage.py JSON against coverage.py", .enabled(if: coveragePyAvailable, "needs python3 with coverage.py (pip install coverage; scripts/ensure-test-tools.sh)"))
struct CoveragePyOracleTests {
    /// The project: branches taken one way, both ways and never, loops, an exception, a class,
    /// a comprehension, an excluded function, an empty `__init__.py` and a file in a subfolder.
    static let project: [String: String] = [
        "main.py": """
            import sys
            from pkg.calc import classify, Counter, parse
            from pkg.deep.walk import walk

            for v in (1, 0, 5):
                print(classify(v))
            c = Counter()
            c.bump(2)
            c.bump(0)
            print(parse("12"), parse("x"))
            print(walk([1, [2, [3]], 4]))
            if len(sys.argv) > 5:
                print("never")

            """,
        "pkg/__init__.py": "",
        "pkg/calc.py": """
            def classify(n):
                if n < 0:
                    return "negative"
                elif n == 0:
                    return "zero"
                return "positive"


            def unused(x):
                total = 0
                for i in range(x):
                    if i % 2:
                        total += i
                return total


            def debug():  # pragma: no cover
                print("debug")


            class Counter:
                def __init__(self):
                    self.n = 0

                def bump(self, by=1):
                    if by > 0:
                        self.n += by
                    return self.n


            def parse(text):
                try:
                    return int(text)
                except ValueError:
                    return None
                finally:
                    pass

            """,
        "pkg/deep/__init__.py": "",
        "pkg/deep/walk.py": """
            def walk(tree):
                out = []
                stack = [tree]
                while stack:
                    node = stack.pop()
                    if isinstance(node, list):
                        stack.extend(reversed(node))
                    else:
                        out.append(node)
                squares = [n * n for n in out if n % 2]
                return out, squares


            def flat(tree):
                return [leaf for leaf in tree] if tree else []

            """,
    ]

    /// One row of `coverage report`: statements, missed, and with branches, branches and partial.
    struct Row: Equatable {
        var statements: Int, missed: Int, branches: Int, partial: Int
    }

    /// Runs the project under coverage.py; returns the JSON report's path and `coverage report`'s
    /// rows by file (and "TOTAL").
    static func runCoverage(branch: Bool, in folder: String) throws -> (json: String, rows: [String: Row]) {
        for (name, text) in project {
            let path = (folder as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let coverage = ["python3", "-m", "coverage"]
        let environment = ProcessInfo.processInfo.environment.merging(["COVERAGE_FILE": "\(folder)/.coverage"]) { $1 }
        for arguments in [["run"] + (branch ? ["--branch"] : []) + ["main.py"], ["json", "-o", "coverage.json"]] {
            let result = try run(coverage + arguments, in: folder, environment: environment)
            guard result.status == 0 else { throw ShellError.failed(command: coverage + arguments, status: result.status, stderr: result.stderr) }
        }
        let report = try run(coverage + ["report"], in: folder, environment: environment)
        guard report.status == 0 else { throw ShellError.failed(command: coverage + ["report"], status: report.status, stderr: report.stderr) }
        var rows: [String: Row] = [:]
        for line in report.output.split(separator: "\n") {
            let fields = line.split(separator: " ")
            let numbers = fields.dropFirst().dropLast().compactMap { Int($0) }
            guard fields.count == (branch ? 6 : 4), numbers.count == fields.count - 2 else { continue }
            rows[String(fields[0])] = Row(
                statements: numbers[0], missed: numbers[1], branches: branch ? numbers[2] : 0, partial: branch ? numbers[3] : 0)
        }
        return ((folder as NSString).appendingPathComponent("coverage.json"), rows)
    }

    /// The report's own lists for one file, as Foundation decodes them.
    struct Expected {
        var executed: Set<Int>, missing: Set<Int>
        /// Per line with arcs: (arcs run, arcs).
        var branches: [Int: BranchHits]
    }

    static func decode(_ path: String) throws -> [String: Expected] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let meta = try #require(root["meta"] as? [String: Any])
        #expect([2, 3].contains(meta["format"] as? Int ?? 0))
        let files = try #require(root["files"] as? [String: [String: Any]])
        var out: [String: Expected] = [:]
        for (path, file) in files {
            var arcs: [Int: (covered: Int, total: Int)] = [:]
            for (key, taken) in [("executed_branches", true), ("missing_branches", false)] {
                for arc in file[key] as? [[Int]] ?? [] {
                    arcs[arc[0], default: (0, 0)].total += 1
                    if taken { arcs[arc[0], default: (0, 0)].covered += 1 }
                }
            }
            out[path] = Expected(
                executed: Set(file["executed_lines"] as? [Int] ?? []), missing: Set(file["missing_lines"] as? [Int] ?? []),
                branches: arcs.mapValues { BranchHits(covered: $0.covered, total: $0.total) })
        }
        return out
    }

    @Test("Gatehouse reads what coverage.py's JSON and its report say", arguments: [false, true])
    func agreesWithCoveragePy(branch: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-coveragepy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (json, rows) = try Self.runCoverage(branch: branch, in: folder)
        let expected = try Self.decode(json)

        let report = try CoverageReader.read(path: json, displayPath: "coverage.json")
        #expect(report.format == .coveragePyJSON)
        #expect(Set(report.files.map(\.path)) == Set(expected.keys))
        #expect(expected.count == 5)
        for file in report.files {
            let oracle = try #require(expected[file.path])
            #expect(Set(file.lines.filter { $0.hits > 0 }.map(\.line)) == oracle.executed, "\(file.path)")
            #expect(Set(file.lines.filter { $0.hits == 0 }.map(\.line)) == oracle.missing, "\(file.path)")
            let branches = Dictionary(uniqueKeysWithValues: file.lines.compactMap { line in line.branches.map { (line.line, $0) } })
            #expect(branches == oracle.branches, "\(file.path)")
            #expect(branch || branches.isEmpty, "\(file.path)")

            // coverage report's row: statements, missed, branches, partial (lines that ran with an arc not taken).
            let row = try #require(rows[file.path], "\(file.path) in \(rows.keys.sorted())")
            let partial = file.lines.filter { $0.hits > 0 && $0.branches?.isPartial == true }.count
            #expect(Row(statements: file.lines.count, missed: file.lines.filter { $0.hits == 0 }.count,
                        branches: branches.values.map(\.total).reduce(0, +), partial: partial) == row, "\(file.path)")
        }

        // The totals, through the evidence the gates use.
        let files = report.files.map { RepoPath($0.path) }
        var evidence = CoverageEvidence()
        try CoverageReader.read(path: json, displayPath: "coverage.json", into: &evidence, mapper: PathMapper(repositoryFiles: files, root: folder))
        #expect(evidence.unmapped.isEmpty, "\(evidence.unmapped)")
        let total = try #require(rows["TOTAL"])
        #expect(evidence.total.measured == total.statements && evidence.total.measured - evidence.total.covered == total.missed)
        #expect(evidence.branchTotal.total == total.branches)
        // The project is not trivial: both kinds of line, and with --branch lines that ran with an arc not taken (2: main.py and calc.py).
        #expect(total.statements > 40 && total.missed > 5)
        if branch { #expect(total.branches > 15 && total.partial >= 2) }
    }
}

let coveragePyAvailable: Bool = (try? run(["python3", "-c", "import coverage"], in: "/"))?.status == 0
