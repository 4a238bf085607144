import ArgumentParser
import GatehouseCore
import GatehouseGit

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the ownership rules.",
        subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lint the CODEOWNERS file against the files tracked at HEAD.",
            discussion: """
                Reports syntax errors, lines the dialect does not support, malformed owners, placeholder owners left from 'gatehouse init', duplicate patterns, patterns that match no tracked file, rules that never win, unowned files (an error with owners.require_all: true) and files over GitHub's 3 MB limit. Before the first commit, the files in the index are the tracked files. Exit 1 when any error is found.
                """)

        @OptionGroup var rules: RulesOptions

        @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
        var repositoryPath: String?

        @Option(help: ArgumentHelp("Check against the files tracked at this revision.", valueName: "rev"))
        var head: String = "HEAD"

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        @Option(help: ArgumentHelp("The configuration file. Default: rules/gatehouse.yml in the work tree, if present.", valueName: "path"))
        var config: String?

        @Option(help: ArgumentHelp(
            "Check against the paths in this file (one per line; - for stdin) instead of the tracked files. With --rules, no repository is needed.",
            valueName: "file"))
        var pathsFrom: String?

        func run() throws {
            if let pathsFrom {
                try checkAgainstList(pathsFrom)
                return
            }
            if rules.rules != nil, (try? openRepository(at: repositoryPath)) == nil {
                throw GatehouseError(
                    .notARepository,
                    "not inside a git repository, so there are no tracked files to check \(rules.rules!) against. Give them with --paths-from FILE (one path per line, e.g. from git ls-files), or run inside a clone.")
            }
            let repository = try openRepository(at: repositoryPath)
            let config = try loadConfig(for: repository, explicitPath: config)
            // The tree is listed (on a thread of its own) while the rules are read, and the files
            // are matched as they come; the rules' errors still come first.
            let unborn = head == "HEAD" && repository.isHeadUnborn
            let listing = unborn ? nil : TreeListing(repository, at: head)
            let loaded = Result { () throws(GatehouseError) -> (OwnershipRules, [UInt8]?) in
                try rules.loadWithSource(
                    source: rules.rulesFrom ?? .worktree, repository: repository, config: config, base: head, head: head)
            }
            guard case .success(let (ownership, source)) = loaded else {
                _ = listing?.wait()
                _ = try loaded.get()
                return
            }
            let problems: [Finding]
            if let listing {
                let tallies = listing.run(
                    workers: TreeListing.workers, { RulesCheck.FileTally(ownership) },
                    { tally, index, batch in tally.add(batch, order: index) })
                if let failure = listing.wait() { throw failure }
                var tally = tallies[0]
                for other in tallies.dropFirst() { tally.merge(other) }
                problems = RulesCheck.problems(ownership, tally: tally, requireAll: config.owners.requireAll, source: source)
            } else {
                let files = try stagedFiles(repository)
                problems = RulesCheck.problems(ownership, trackedFiles: files, requireAll: config.owners.requireAll, source: source)
            }
            switch format {
            case .text: Output.write(OwnershipRenderer.checkText(problems, file: ownership.file))
            case .json: Output.write(OwnershipRenderer.checkJSON(problems, file: ownership.file))
            }
            if problems.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }

        /// The rules against a path list: any rules file and any tree, no repository needed with --rules.
        private func checkAgainstList(_ pathsFrom: String) throws {
            let repository: Repository? = rules.rules == nil ? try openRepository(at: repositoryPath) : try? openRepository(at: repositoryPath)
            let config = try loadConfig(for: repository, explicitPath: config)
            let (ownership, source) = try rules.loadWithSource(
                source: rules.rulesFrom ?? .worktree, repository: repository, config: config, base: head, head: head)
            var batch = PathBatch()
            try readPathListFile(pathsFrom, into: &batch)
            let problems = RulesCheck.problems(ownership, trackedFiles: batch.paths, requireAll: config.owners.requireAll, source: source)
            switch format {
            case .text: Output.write(OwnershipRenderer.checkText(problems, file: ownership.file))
            case .json: Output.write(OwnershipRenderer.checkJSON(problems, file: ownership.file))
            }
            if problems.contains(where: { $0.severity == .error }) { throw ExitCode(1) }
        }

        /// Before the first commit the index holds what will be tracked: right after `gatehouse init`
        /// the rules can be checked before anything is committed.
        private func stagedFiles(_ repository: Repository) throws(GatehouseError) -> [RepoPath] {
            let staged = try repository.readChange(ChangeRequest(mode: .staged, detectRenames: false))
            let files = staged.files.filter { $0.status != .deleted }.map(\.path)
            guard !files.isEmpty else {
                throw GatehouseError(
                    .emptyRepository,
                    "this repository has no commits yet and nothing is staged, so there is no file to check the rules against. "
                        + "Stage the files (git add), or commit them, then run gatehouse rules check.")
            }
            Output.error("note: no commit yet, so the rules are checked against the \(files.count) file\(files.count == 1 ? "" : "s") staged in the index.")
            return files
        }
    }
}
