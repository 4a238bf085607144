import Foundation
import GatehouseTestSupport
import Testing

/// The `owners.rules` gate judges a change that leaves the rules alone by the rules file and
/// the change's own files, and a change to the rules against the whole tree.
@Suite("owners.rules gate: the change's files unless the rules change")
struct OwnershipGateScopeTests {
    /// `main`: rules that own src/ only, with require_all, and a file nobody owns from before.
    static func repository() throws -> TestRepository {
        let repo = try TestRepository()
        try repo.write("rules/CODEOWNERS", "/src/ @org/app\n/rules/ @org/leads\n")
        try repo.write("rules/gatehouse.yml", "owners:\n  require_all: true\n")
        try repo.write("src/app.swift", "let app = 1\n")
        try repo.write("legacy.txt", "nobody owns this\n")
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        return repo
    }

    static func gate(_ repo: TestRepository) throws -> (status: Int32, message: String, details: [String]) {
        let result = try GatehouseCLI.run(["check", "--base", "main", "--format", "json"], in: repo.path)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], "\(result.stderr)")
        let gates = try #require(object["gates"] as? [[String: Any]])
        let gate = try #require(gates.first { $0["id"] as? String == "owners.rules" })
        return (result.status, gate["message"] as? String ?? "", gate["details"] as? [String] ?? [])
    }

    @Test func anOwnedChangePassesWithoutJudgingOlderFiles() throws {
        let repo = try Self.repository()
        try repo.write("src/new.swift", "let new = 2\n")
        try repo.commit("owned file")
        let gate = try Self.gate(repo)
        #expect(gate.status == 0)
        #expect(gate.message.contains("the change's 1 file"), "\(gate.message)")
    }

    @Test func anUnownedNewFileFails() throws {
        let repo = try Self.repository()
        try repo.write("docs/new.md", "# New\n")
        try repo.commit("unowned file")
        let gate = try Self.gate(repo)
        #expect(gate.status == 1)
        #expect(gate.details == ["rules/CODEOWNERS: docs/new.md has no owners."])
    }

    @Test func aChangeToTheRulesIsJudgedAgainstEveryFile() throws {
        let repo = try Self.repository()
        try repo.write("rules/CODEOWNERS", "/src/ @org/app\n/rules/ @org/leads\n/gone/ @org/old\n")
        try repo.commit("edit the rules")
        let gate = try Self.gate(repo)
        #expect(gate.status == 1)
        #expect(gate.details == ["rules/CODEOWNERS: legacy.txt has no owners."])
        #expect(gate.message.contains("1 error, 1 warning"), "\(gate.message)")
        #expect(gate.message.contains("gatehouse rules check shows them all"))
    }
}
