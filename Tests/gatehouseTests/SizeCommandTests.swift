import Foundation
import GatehouseTestSupport
import Testing

/// A repository whose build wrote dist/: a JavaScript bundle, a stylesheet and a chunk in a
/// subfolder, with budgets for each kind of compression. dist/ is ignored, as build output is.
func sizeRepository(budgets: String = defaultBudgets, extra: String = "") throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write(".gitignore", "dist/\n")
    try repo.write("src/app.js", "export const app = 1;\n")
    try repo.write("rules/gatehouse.yml", "base: main\nsize:\n  budgets:\n" + budgets + extra)
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("src/app.js", "export const app = 2;\n")
    try repo.commit("feature")
    try writeBundle(repo, functions: 2000)
    return repo
}

let defaultBudgets = """
        - {name: js, files: ["dist/*.js", "dist/chunks/**/*.js"], max: "40 kB", compression: gzip}
        - {name: css, files: ["dist/*.css"], max: "2 KiB", compression: brotli}
        - {name: everything, files: ["dist/**"]}

    """

/// Deterministic bundle contents: `functions` decides how much the JavaScript grows.
func writeBundle(_ repo: TestRepository, functions: Int) throws {
    try repo.write("dist/app.js", (0..<functions).map { "function f\($0)(a) { return a * \($0 * 7919 % 1000); }\n" }.joined())
    try repo.write("dist/chunks/lazy/page.js", (0..<200).map { "export const page\($0) = \"\($0 * 31)\";\n" }.joined())
    try repo.write("dist/app.css", String(repeating: "body { margin: 0; color: #333 }\n.btn { padding: 4px }\n", count: 40))
}

@Suite("gatehouse size and the size gate")
struct SizeCommandTests {
    func json(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func sizeGate(_ verdict: [String: Any]) throws -> [[String: Any]] {
        let gate = try #require((verdict["gates"] as? [[String: Any]])?.first { $0["id"] as? String == "size" })
        return try #require(gate["budgets"] as? [[String: Any]])
    }

    @Test func snapshotThenCheckAgainstIt() throws {
        let repo = try sizeRepository(extra: "  max_growth: 5%\n  baseline: size-base.json\n")
        let measured = try GatehouseCLI.run(["size", "--output", "size-base.json"], in: repo.path)
        #expect(measured.status == 0, "\(measured.stderr)")
        #expect(measured.output.contains("pass: js (gzip): "), "\(measured.output)")
        let snapshot = try json(Array(try #require(FileManager.default.contents(atPath: repo.path + "/size-base.json"))))
        let budgets = try #require(snapshot["budgets"] as? [[String: Any]])
        #expect(budgets.map { $0["name"] as? String } == ["js", "css", "everything"])
        #expect((budgets[0]["files"] as? [[String: Any]])?.map { $0["path"] as? String } == ["dist/app.js", "dist/chunks/lazy/page.js"])
        #expect(snapshot["commit"] as? String == (try repo.revParse("HEAD")))
        let raw = try #require(budgets[2]["size"] as? Int)
        #expect(raw == [repo.path + "/dist/app.js", repo.path + "/dist/chunks/lazy/page.js", repo.path + "/dist/app.css"].reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
        })

        // Unchanged: every budget passes with no growth.
        let same = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(same.status == 0, "\(same.output)\(same.stderr)")
        #expect(try sizeGate(json(same.stdout)).map { $0["delta"] as? Int } == [0, 0, 0])

        // The bundle grows by far more than 5%: the gate fails and says by how much.
        try writeBundle(repo, functions: 2600)
        let grown = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(grown.status == 1)
        let js = try #require(try sizeGate(json(grown.stdout)).first)
        #expect(js["status"] as? String == "fail")
        #expect((js["delta"] as? Int ?? 0) > 0)
        #expect((js["reasons"] as? [String])?.first?.contains("more than max_growth 5%") == true)
    }

    /// As a CI step ("bundle size check"), `size` stops the build on a failed budget, as
    /// size-limit does, and still writes its snapshot.
    @Test func overBudgetFailsSizeAndCheckAndTheSnapshotIsStillWritten() throws {
        let repo = try sizeRepository(budgets: "    - {name: js, files: [dist/app.js], max: 1 kB, compression: gzip}\n")
        let size = try GatehouseCLI.run(["size", "--output", "snap.json"], in: repo.path)
        #expect(size.status == 1, "\(size.output)\(size.stderr)")
        #expect(size.output.contains("FAIL size:"), "\(size.output)")
        #expect(size.output.contains("fail: js (gzip): "))
        #expect(FileManager.default.fileExists(atPath: repo.path + "/snap.json"))
        let check = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(check.status == 1)
        #expect(check.output.contains("is over the budget of 1 kB by"), "\(check.output)")
        #expect(check.output.contains("(kB = 1000 bytes)"))
    }

    @Test func aBudgetMatchingNothingFailsTheGate() throws {
        let repo = try sizeRepository(budgets: "    - {name: images, files: [\"dist/img/*.png\"], max: 100 kB}\n")
        let check = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(check.status == 1)
        #expect(check.output.contains("no file matches dist/img/*.png"), "\(check.output)")
        let size = try GatehouseCLI.run(["size", "--output", "snap.json"], in: repo.path)
        #expect(size.status == 1)
        #expect(size.stderr.contains("the size budget 'images' matches no file, so it is not in the snapshot, and it fails"))
    }

    @Test func reportsForEveryFormat() throws {
        let repo = try sizeRepository(extra: "  max_growth: 2 kB\n")
        try #require(try GatehouseCLI.run(["size", "--output", "base.json"], in: repo.path).status == 0)
        try writeBundle(repo, functions: 2300)
        // Sizes depend on zlib and libbrotli only, so the reports are stable on every machine
        // with Debian's libraries; the baseline path is the same in every run.
        let markdown = try GatehouseCLI.run(["check", "--format", "markdown", "--size-baseline", "base.json"], in: repo.path)
        #expect(markdown.status == 1)
        try Golden.check(markdown.stdout, against: "cli-check-size.md")
        let text = try GatehouseCLI.run(["check", "--size-baseline", "base.json"], in: repo.path)
        try Golden.check(text.stdout, against: "cli-check-size.txt")
        let github = try GatehouseCLI.run(["check", "--format", "github", "--size-baseline", "base.json"], in: repo.path)
        #expect(github.output.contains("::error file=rules/gatehouse.yml,line=6,endLine=6,title=Size budget everything::grew by 11.37 kB (+13.7%25) against the baseline, more than max_growth 2 kB (dist/app.css, dist/app.js, dist/chunks/lazy/page.js)"), "\(github.output)")
    }

    @Test func badInputIsExitTwoAndWritesNothing() throws {
        let repo = try sizeRepository(extra: "  baseline: base.json\n")
        try repo.write("base.json", "{\"schemaVersion\": 1,\n \"budgets\": {}}\n")
        let bad = try GatehouseCLI.run(["size", "--output", "out.json"], in: repo.path)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("base.json:2"), "\(bad.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/out.json"))
        let check = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(check.status == 2)

        let missing = try GatehouseCLI.run(["check", "--size-baseline", "nowhere.json"], in: repo.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read the size baseline nowhere.json"))

        try repo.write("rules/gatehouse.yml", "size:\n  budgets:\n    - {name: js, files: [dist/app.js], max: 250 kilobytes}\n")
        let config = try GatehouseCLI.run(["size"], in: repo.path)
        #expect(config.status == 2)
        #expect(config.stderr.contains("rules/gatehouse.yml:3:"), "\(config.stderr)")

        // A base branch from before the first budget: an empty snapshot, not an error.
        try repo.write("rules/gatehouse.yml", "base: main\n")
        let none = try GatehouseCLI.run(["size", "--output", "empty.json"], in: repo.path)
        #expect(none.status == 0)
        #expect(none.stderr.contains("no size budget is configured"))
        let empty = try #require(FileManager.default.contents(atPath: repo.path + "/empty.json"))
        #expect(String(decoding: empty, as: UTF8.self).contains("\"budgets\": []"))
        #expect(try GatehouseCLI.run(["check", "--size-baseline", "base.json"], in: repo.path).status == 2)
    }

    @Test func aMissingConfiguredBaselineFollowsMissingReport() throws {
        let repo = try sizeRepository(extra: "  baseline: size-base.json\n")
        let failing = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(failing.status == 1)
        #expect(failing.output.contains("the size baseline size-base.json does not exist"), "\(failing.output)")
        try repo.commitOnBranch("main", ["rules/gatehouse.yml": "base: main\nmissing_report: warn\nsize:\n  budgets:\n" + defaultBudgets + "  baseline: size-base.json\n"])
        let warning = try GatehouseCLI.run(["check"], in: repo.path)
        #expect(warning.status == 0, "\(warning.output)")
        #expect(warning.output.contains("WARN size:"))
    }
}
