import Foundation
import GatehouseCore
@testable import GatehouseGit
import GatehouseTestSupport
import Testing

/// `GitConfiguration` reads what `git config --get` reads: the same files in the same order,
/// and the command line's settings that git hands to hooks.
@Suite struct GitConfigurationTests {
    /// A repository and a system and a global file of its own, so that every level can be set.
    struct Levels {
        let repo: TestRepository
        let system: String
        let global: String
        var environment: [String: String]

        init() throws {
            repo = try TestRepository()
            system = repo.parentFolder + "/system-gitconfig"
            global = repo.parentFolder + "/global-gitconfig"
            for file in [system, global] { FileManager.default.createFile(atPath: file, contents: Data()) }
            environment = TestRepository.gitEnvironment
            environment["GIT_CONFIG_NOSYSTEM"] = nil
            environment["GIT_CONFIG_SYSTEM"] = system
            environment["GIT_CONFIG_GLOBAL"] = global
        }

        func set(_ file: String, _ key: String, _ value: String) throws {
            _ = try run(["git", "config", "--file", file, key, value], in: repo.path, environment: environment)
        }

        /// git's own answer, in this environment.
        func gitValue(_ key: String) throws -> String? {
            let result = try run(["git", "config", "--get", key], in: repo.path, environment: environment)
            return result.status == 0 ? result.output.trimmingCharacters(in: .newlines) : nil
        }

        func ours(_ key: String) throws -> String? {
            try Repository(discoveringFrom: repo.path).gitConfiguration(environment: environment).string(key)
        }
    }

    @Test func laterLevelsWinAsInGit() throws {
        var levels = try Levels()
        #expect(try levels.ours("diff.algorithm") == nil)
        try levels.set(levels.system, "diff.algorithm", "patience")
        #expect(try levels.ours("diff.algorithm") == levels.gitValue("diff.algorithm"))
        try levels.set(levels.global, "diff.algorithm", "minimal")
        #expect(try levels.ours("diff.algorithm") == "minimal")
        #expect(try levels.gitValue("diff.algorithm") == "minimal")
        try levels.repo.git(["config", "diff.algorithm", "histogram"])
        #expect(try levels.ours("diff.algorithm") == "histogram")

        // The work tree's own file counts once the repository turns it on.
        try levels.set(levels.repo.path + "/.git/config.worktree", "diff.algorithm", "myers")
        #expect(try levels.ours("diff.algorithm") == levels.gitValue("diff.algorithm"))
        #expect(try levels.ours("diff.algorithm") == "histogram")
        try levels.repo.git(["config", "extensions.worktreeConfig", "true"])
        #expect(try levels.gitValue("diff.algorithm") == "myers")
        #expect(try levels.ours("diff.algorithm") == "myers")

        // What `git -c` passes to a hook beats every file.
        levels.environment["GIT_CONFIG_PARAMETERS"] = try parametersGitWrites(["diff.algorithm=patience"], in: levels.repo)
        #expect(try levels.ours("diff.algorithm") == "patience")
        #expect(try levels.gitValue("diff.algorithm") == "patience")

        // GIT_CONFIG_NOSYSTEM drops the system file.
        levels.environment["GIT_CONFIG_PARAMETERS"] = nil
        try levels.set(levels.system, "diff.indentHeuristic", "false")
        #expect(try levels.ours("diff.indentHeuristic") == "false")
        levels.environment["GIT_CONFIG_NOSYSTEM"] = "1"
        #expect(try levels.ours("diff.indentHeuristic") == levels.gitValue("diff.indentHeuristic"))
        #expect(try levels.ours("diff.indentHeuristic") == nil)
    }

    @Test func includedFilesAreFollowed() throws {
        let levels = try Levels()
        let included = levels.repo.parentFolder + "/included"
        try levels.set(included, "diff.algorithm", "histogram")
        try levels.set(levels.global, "include.path", included)
        #expect(try levels.ours("diff.algorithm") == "histogram")
        #expect(try levels.gitValue("diff.algorithm") == "histogram")
        let entry = try #require(try Repository(discoveringFrom: levels.repo.path).gitConfiguration(environment: levels.environment).entry("diff.algorithm"))
        #expect(entry.origin.contains("included from"))
    }

    @Test func countedEnvironmentSettings() throws {
        var levels = try Levels()
        levels.environment["GIT_CONFIG_COUNT"] = "2"
        levels.environment["GIT_CONFIG_KEY_0"] = "diff.algorithm"
        levels.environment["GIT_CONFIG_VALUE_0"] = "minimal"
        levels.environment["GIT_CONFIG_KEY_1"] = "Diff.IndentHeuristic"
        levels.environment["GIT_CONFIG_VALUE_1"] = "off"
        let config = try Repository(discoveringFrom: levels.repo.path).gitConfiguration(environment: levels.environment)
        #expect(try config.string("diff.algorithm") == "minimal")
        #expect(try config.bool("diff.indentHeuristic") == false)
        levels.environment["GIT_CONFIG_COUNT"] = "3"
        #expect(throws: GatehouseError.self) { try Repository(discoveringFrom: levels.repo.path).gitConfiguration(environment: levels.environment) }
    }

    @Test(arguments: [
        ("'diff.algorithm'='histogram'", [("diff.algorithm", "histogram")]),
        ("'diff.algorithm=patience' 'core.x'", [("diff.algorithm", "patience"), ("core.x", nil)]),
        ("'a.b'='it'\\''s' 'c.d'=", [("a.b", "it's"), ("c.d", nil)]),
        ("'a.b'='x'\\!'y'", [("a.b", "x!y")]),
    ] as [(String, [(String, String?)])])
    func parametersParse(_ text: String, _ expected: [(String, String?)]) throws {
        let parsed = try #require(GitConfiguration.parseParameters(text))
        #expect(parsed.map(\.key) == expected.map(\.0))
        #expect(parsed.map(\.value) == expected.map(\.1))
    }

    @Test(arguments: ["'unterminated", "'a'x", "'a.b'='c'd", "noquote"])
    func malformedParametersAreRejected(_ text: String) {
        #expect(GitConfiguration.parseParameters(text) == nil)
    }

    @Test func valuesAreParsedAsGitParsesThem() throws {
        let levels = try Levels()
        try levels.repo.write(".git/config", try String(contentsOfFile: levels.repo.path + "/.git/config", encoding: .utf8)
            + "[diff]\n\tindentHeuristic\n\trenameLimit = 2k\n[core]\n\tbigFileThreshold = 1m\n")
        let config = try Repository(discoveringFrom: levels.repo.path).gitConfiguration(environment: levels.environment)
        #expect(try config.bool("diff.indentHeuristic") == true)
        #expect(try config.int("diff.renameLimit") == 2048)
        #expect(try config.int("core.bigFileThreshold") == 1_048_576)
    }
}

/// The GIT_CONFIG_PARAMETERS value git itself sets for `git -c ...` (as a hook sees it).
func parametersGitWrites(_ settings: [String], in repo: TestRepository) throws -> String {
    var arguments = ["git", "-c", "alias.show-parameters=!printenv GIT_CONFIG_PARAMETERS"]
    for setting in settings { arguments += ["-c", setting] }
    let result = try run(arguments + ["show-parameters"], in: repo.path, environment: TestRepository.gitEnvironment)
    return result.output.trimmingCharacters(in: .newlines)
}
