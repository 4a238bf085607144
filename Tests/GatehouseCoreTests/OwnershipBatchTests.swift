import GatehouseCore
import Testing

@Suite("Ownership: many paths at once")
struct OwnershipBatchTests {
    /// Large lists are matched on several threads; the answers must be the same, in order.
    @Test(arguments: [10, 20_000])
    func batchAnswersEqualOneByOneAnswers(_ count: Int) throws {
        let file = try CodeownersParser.parse(
            Array("* @all\n*.md @docs\n/src/ @dev\n/src/gen/\n[Core]\ncore/ @core\n".utf8), path: "CODEOWNERS", dialect: .gitlab)
        let rules = OwnershipRules(file)
        let paths = (0..<count).map { index -> RepoPath in
            switch index % 4 {
            case 0: RepoPath("src/module\(index)/file.swift")
            case 1: RepoPath("docs/page\(index).md")
            case 2: RepoPath("src/gen/out\(index).c")
            default: RepoPath("lib/core/x\(index).c")
            }
        }
        let batch = rules.owners(of: paths)
        #expect(batch.count == count)
        #expect(batch == paths.map { rules.owners(of: $0) })
        #expect(batch[3].owners == ["@all", "@core"])  // lib/core: the unnamed section and [Core]
        #expect(batch[1].owners == ["@docs"])  // *.md overrides * within the unnamed section
    }
}
