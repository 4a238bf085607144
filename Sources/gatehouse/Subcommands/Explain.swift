import ArgumentParser
import GatehouseCore
import GatehouseGit

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain which rules decide a path's owners, and which earlier rules they override.")

    @Argument(help: "The paths to explain (relative to the current folder).")
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("name a path to explain (relative to the current folder).") }
    }

    @OptionGroup var rules: RulesOptions

    @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?

    @Option(help: ArgumentHelp("With --rules-from base or head: the revision to read rules from.", valueName: "rev"))
    var revision: String = "HEAD"

    @Option(help: ArgumentHelp("The configuration file. Default: rules/gatehouse.yml in the work tree, if present.", valueName: "path"))
    var config: String?

    func run() throws {
        // With --rules, no repository is needed at all.
        let repository: Repository? = rules.rules == nil ? try openRepository(at: repositoryPath) : try? openRepository(at: repositoryPath)
        let config = try loadConfig(for: repository, explicitPath: config)
        let ownership = try rules.load(
            source: rules.rulesFrom ?? .worktree, repository: repository, config: config, base: revision, head: revision)
        let targets = try repositoryPaths(paths, repository: repository, from: repositoryPath)
        Output.write(targets.map { OwnershipRenderer.explainText(ownership.owners(of: $0), rules: ownership) }.joined(separator: "\n"))
    }
}
