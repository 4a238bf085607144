import GatehouseCore
import Testing

/// What each dialect answers, where its answers decide which dialect a file is read in and which
/// lines are skipped: a new dialect adds its answers here.
@Suite("Ownership: OwnershipDialect")
struct OwnershipDialectTests {
    @Test func aVendorsOwnFolderImpliesItsDialect() {
        #expect(OwnershipDialect.implied(byPath: ".gitlab/CODEOWNERS") == .gitlab)
        #expect(OwnershipDialect.implied(byPath: ".github/CODEOWNERS") == nil)
        #expect(OwnershipDialect.implied(byPath: "CODEOWNERS") == nil)
        // From the repository's top only, unless the path was named on the command line.
        #expect(OwnershipDialect.implied(byPath: "sub/.gitlab/CODEOWNERS") == nil)
        #expect(OwnershipDialect.implied(byPath: "../clone/.gitlab/CODEOWNERS", anywhere: true) == .gitlab)
        #expect(RulesLocator.dialect(ofFileAt: ".gitlab/CODEOWNERS", configured: .github) == .github)
        #expect(RulesLocator.dialect(ofFileAt: ".gitlab/CODEOWNERS", configured: nil) == .gitlab)
        #expect(RulesLocator.dialect(ofFileAt: "docs/CODEOWNERS", configured: nil) == nil)
    }

    @Test func linesDecideOtherwiseAndGitHubIsTheFallback() throws {
        #expect(OwnershipDialect.fallback == .github)
        #expect(try CodeownersParser.parse(Array("* @a\n".utf8), path: "CODEOWNERS").dialect == .github)
        #expect(try CodeownersParser.parse(Array("[Docs]\n* @a\n".utf8), path: "CODEOWNERS").dialect == .gitlab)
    }

    @Test func sectionsAreGitLabs() {
        #expect(OwnershipDialect.allCases.filter(\.hasSections) == [.gitlab])
        #expect(OwnershipDialect.allCases.map(\.vendor) == ["GitHub", "GitLab"])
    }

    /// Each dialect skips, with a warning, exactly the lines it cannot read.
    @Test(arguments: [("!x", 1), ("\\#x @a", 1), ("x[ab].md @a", 1), ("x @a # @b", 0)])
    func gitHubSkipsWhatOnlyGitLabReads(line: String, skipped: Int) throws {
        let github = try CodeownersParser.parse(Array("\(line)\n".utf8), path: "CODEOWNERS", dialect: .github)
        #expect(github.problems.filter { RulesCheck.Kind($0) == .unsupported }.count == skipped)
        let gitlab = try CodeownersParser.parse(Array("\(line)\n".utf8), path: "CODEOWNERS", dialect: .gitlab)
        #expect(gitlab.problems.isEmpty, "\(gitlab.problems)")
    }
}
