import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

enum RangeKind: String, ExpressibleByArgument, CaseIterable {
    case threeDot = "three-dot"
    case twoDot = "two-dot"
}

/// The options every command that reads a change shares.
struct ChangeOptions: ParsableArguments {
    @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repository: String?

    @Option(help: ArgumentHelp(
        "The revision the change is measured against. Default: from CI variables, 'base:' in rules/gatehouse.yml, origin/HEAD, main or master.",
        valueName: "rev"))
    var base: String?

    @Option(help: ArgumentHelp("The revision the change ends at.", valueName: "rev"))
    var head: String = "HEAD"

    @Option(help: ArgumentHelp(
        "three-dot diffs from the merge base of base and head (git diff base...head); two-dot diffs base against head (base..head).",
        valueName: "kind"))
    var range: RangeKind = .threeDot

    @Flag(help: "Check staged work: the index against HEAD.")
    var staged = false

    @Flag(help: "Check local work: the work tree and index against HEAD (tracked files).")
    var worktree = false

    @Flag(name: .customLong("no-renames"), help: "Do not detect renames; a moved file is a deletion and an addition.")
    var noRenames = false

    @Option(help: ArgumentHelp(
        "How lines are matched, as git diff --diff-algorithm: myers, minimal, patience or histogram. Default: git's diff.algorithm setting, else myers.",
        valueName: "algorithm"))
    var diffAlgorithm: LineDiff.Options.Algorithm?

    @Flag(
        inversion: .prefixedNo,
        help: "Place changed lines where git's indent heuristic does (git's default since 2.14), or not. Default: git's diff.indentHeuristic setting.")
    var indentHeuristic: Bool?

    @Option(help: ArgumentHelp(
        "The configuration file, for a local experiment. Default: rules/gatehouse.yml at the change's base (its 'base:' key, from the work tree).",
        valueName: "path"))
    var config: String?

    @Flag(name: .shortAndLong, help: "Say on stderr which base was chosen and why.")
    var verbose = false

    mutating func validate() throws {
        if staged && worktree {
            throw ValidationError("--staged and --worktree select different changes; give one of them.")
        }
        if (staged || worktree) && (base != nil || head != "HEAD" || range != .threeDot) {
            throw ValidationError("--\(staged ? "staged" : "worktree") compares with HEAD; it cannot be combined with --base, --head or --range.")
        }
    }

    var mode: ChangeMode {
        if staged { return .staged }
        if worktree { return .worktree }
        return range == .twoDot ? .twoDot : .threeDot
    }

    func openRepository() throws(GatehouseError) -> Repository {
        try gatehouse.openRepository(at: repository)
    }

    func loadConfig(for repository: Repository) throws(GatehouseError) -> GatehouseConfig {
        try gatehouse.loadConfig(for: repository, explicitPath: config)
    }

    func request(config: GatehouseConfig) -> ChangeRequest {
        ChangeRequest(
            mode: mode, base: base, head: head,
            baseCandidates: BasePolicy.candidates(
                environment: ProcessInfo.processInfo.environment,
                configBase: config.base,
                configFile: config.file ?? GatehouseConfig.defaultPath),
            detectRenames: !noRenames, diffAlgorithm: diffAlgorithm, indentHeuristic: indentHeuristic)
    }

    /// Where the change's own side of the rules is: the index, the work tree or the head commit.
    var ownSide: JudgingRules.OwnSide { staged ? .index : worktree ? .workTree : .head }

    /// The rules `change` is judged by: its base's unless `from` (`--rules-from`) or `--config`
    /// choose otherwise.
    func judgingRules(repository: Repository, change: ChangeSet, from: RulesSource?) throws(GatehouseError) -> JudgingRules {
        try JudgingRules.resolve(repository: repository, change: change, own: ownSide, from: from, explicitConfig: config)
    }

    /// Opens the repository, reads the configuration and the change, and reports the base under --verbose.
    /// `prefetchingRules` starts compiling the CODEOWNERS rules while the change is read, for
    /// commands that need both.
    func readChange(prefetchingRules: Bool = false) throws(GatehouseError) -> (Repository, GatehouseConfig, ChangeSet) {
        let repository = try openRepository()
        // The work tree's configuration is read only for `base:`; the rules that judge come from
        // the base (JudgingRules). When the base is known without it (--base, a CI variable, a
        // local change), a change that breaks the file is judged rather than refused: its
        // rules.changes gate fails and says why.
        let config: GatehouseConfig
        do {
            config = try loadConfig(for: repository)
        } catch {
            let ciBase = BasePolicy.candidates(environment: ProcessInfo.processInfo.environment, configBase: nil).contains(where: \.isExplicit)
            guard self.config == nil, base != nil || staged || worktree || ciBase else { throw error }
            config = GatehouseConfig()
        }
        if prefetchingRules { prefetchRules(repository: repository, config: config) }
        let change = try repository.readChange(request(config: config))
        // In CI the base comes from the pipeline's variables; say which, so a surprising diff can be traced.
        let fromCI: Set<BaseSelection.Source> = [.githubEvent, .githubBaseRef, .gitlab, .buildkite, .jenkins]
        if !verbose, fromCI.contains(change.baseSelection.source) {
            Output.verbose("base \(change.baseSelection.revision) (\(change.base.map { String($0.prefix(12)) } ?? "(none)")), from \(change.baseSelection.reason)")
        }
        if verbose {
            let short = { (sha: String?) in sha.map { String($0.prefix(12)) } ?? "(none)" }
            Output.verbose("base \(change.baseSelection.revision) (\(short(change.base))), from \(change.baseSelection.reason)")
            if change.mode == .threeDot {
                Output.verbose("merge base \(short(change.mergeBase)); head \(head) (\(short(change.head)))")
            }
            Output.verbose("\(change.files.count) changed file\(change.files.count == 1 ? "" : "s")")
        }
        return (repository, config, change)
    }
}

/// Opens the repository containing `path` (default: the current folder).
func openRepository(at path: String?) throws(GatehouseError) -> Repository {
    let start = path ?? FileManager.default.currentDirectoryPath
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: start, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw GatehouseError(.invalidArgument, "-C \(start): no such folder. Name the folder of a git repository.")
    }
    return try Repository(discoveringFrom: start)
}

/// The configuration: `explicitPath` (--config) when given, which must exist; else
/// rules/gatehouse.yml in the work tree if present; else the defaults.
func loadConfig(for repository: Repository?, explicitPath: String?) throws(GatehouseError) -> GatehouseConfig {
    if let explicitPath {
        return try GatehouseConfig.load(path: explicitPath)
    }
    guard let root = repository?.workdir else { return GatehouseConfig() }
    let path = root + GatehouseConfig.defaultPath
    guard FileManager.default.fileExists(atPath: path) else { return GatehouseConfig() }
    return try GatehouseConfig.load(path: path, displayPath: GatehouseConfig.defaultPath)
}

extension LineDiff.Options.Algorithm: ExpressibleByArgument {
    public init?(argument: String) { self.init(gitName: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) + ["default"] }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}
