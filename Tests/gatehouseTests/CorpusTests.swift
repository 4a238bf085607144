import Foundation
import GatehouseTestSupport
import Testing

/// Real CODEOWNERS files from public projects (copied from ../shared/corpus), against
/// repositories holding exactly their paths.
@Suite("real CODEOWNERS files")
struct CorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/corpus")

    /// A repository whose HEAD tracks every path of `name.paths` (empty files, added through the
    /// index in one command, so thousands of paths take a second).
    func repository(_ name: String) throws -> TestRepository {
        let repo = try TestRepository()
        let empty = try repo.gitOutput(["hash-object", "-w", "/dev/null"])
        let paths = try String(contentsOf: Self.corpus.appendingPathComponent("\(name).paths"), encoding: .utf8)
        let info = paths.split(separator: "\n").map { "100644 \(empty)\t\($0)\n" }.joined()
        let result = try run(["git", "update-index", "--add", "--index-info"], in: repo.path,
                             environment: TestRepository.gitEnvironment, stdin: Array(info.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        try repo.git(["commit", "-q", "-m", "corpus"])
        return repo
    }

    func rules(_ name: String) -> String { Self.corpus.appendingPathComponent("\(name).CODEOWNERS").path }

    @Test func metaMaskAgreesWithTheCodeownersPackageOnEveryPath() throws {
        let repo = try repository("MetaMask-core")
        let result = try GatehouseCLI.run(["owners", "--all", "--rules", rules("MetaMask-core")], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: Self.corpus.appendingPathComponent("MetaMask-core.codeowners-package.txt"), encoding: .utf8)
        let actualLines = Set(result.output.split(separator: "\n"))
        let expectedLines = Set(expected.split(separator: "\n"))
        #expect(actualLines.count == 3226)
        #expect(actualLines == expectedLines, "differs on \(actualLines.symmetricDifference(expectedLines).prefix(5))")

        // Real findings: one pattern written twice, and 121 files no rule covers.
        let check = try GatehouseCLI.run(["rules", "check", "--format", "json", "--rules", rules("MetaMask-core")], in: repo.path)
        #expect(check.status == 0, "\(check.output)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout)) as? [String: Any])
        let problems = try #require(report["problems"] as? [[String: Any]])
        let byKind = Dictionary(grouping: problems) { $0["kind"] as? String ?? "" }.mapValues(\.count)
        #expect(byKind == ["duplicate": 1, "unowned": 121])
        #expect(problems.first?["line"] as? Int == 131)
    }

    @Test func gitlabsOwnFileInAllThreeCommands() throws {
        let repo = try repository("gitlab")
        let owners = try GatehouseCLI.run(["owners", "--all", "--format", "json", "--rules", rules("gitlab")], in: repo.path)
        #expect(owners.status == 0, "\(owners.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(owners.stdout)) as? [[String: Any]])
        #expect(entries.count == 2721)
        func ownersOf(_ path: String) -> [String] {
            entries.first { $0["path"] as? String == path }?["owners"] as? [String] ?? ["(missing)"]
        }
        // `!/doc/**/*.md` takes documentation out of the unnamed section; [Documentation Pages] applies.
        let doc = try #require(entries.first { ($0["path"] as? String)?.hasPrefix("doc/") == true && ($0["path"] as? String)?.hasSuffix(".md") == true })
        let docRules = try #require(doc["rules"] as? [[String: Any]])
        #expect(docRules.contains { $0["excluded"] as? Bool == true && $0["pattern"] as? String == "!/doc/**/*.md" })
        #expect(ownersOf(".gitlab/CODEOWNERS").contains("@gitlab-org/development-leaders"))

        let explain = try GatehouseCLI.run(["explain", "--rules", rules("gitlab"), doc["path"] as! String], in: repo.path)
        #expect(explain.status == 0)
        #expect(explain.output.contains("excluded by"))
        #expect(explain.output.contains("every section applies"))

        let check = try GatehouseCLI.run(["rules", "check", "--format", "json", "--rules", rules("gitlab")], in: repo.path)
        #expect(check.status == 0 || check.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout)) as? [String: Any])
        #expect(report["dialect"] as? String == "gitlab")
        let problems = try #require(report["problems"] as? [[String: Any]])
        // GitLab's own file is valid GitLab syntax: nothing but findings about this partial tree.
        let kinds = Set(problems.compactMap { $0["kind"] as? String })
        #expect(kinds.isSubset(of: ["no-match", "shadowed", "unowned", "duplicate"]), "\(kinds)")
    }
}
