import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

struct Owners: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show who owns paths, the files of a change, or every tracked file.",
        discussion: """
            With paths: their owners under the work tree's rules. With --all: every file tracked at HEAD. Otherwise: the files of the selected change (same options as gatehouse diff), under the rules of the change's base, as GitHub reads them, so a change cannot loosen its own review.
            """)

    @Argument(help: "Paths to look up (relative to the current folder).")
    var paths: [String] = []

    @Option(name: .customLong("paths-from"), help: ArgumentHelp("Read repository paths from a file, one per line ('-' for stdin).", valueName: "file"))
    var pathsFrom: String?

    @Flag(help: "Every file tracked at HEAD (or --head).")
    var all = false

    @Flag(help: "List only files without owners.")
    var unowned = false

    @OptionGroup var rules: RulesOptions
    @OptionGroup var change: ChangeOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        // Repository paths from a list, with --rules, need no repository at all (and libgit2's
        // start-up, which loads TLS certificates, is skipped); command-line paths need it only to
        // be made relative to its root. Otherwise its errors are the user's to see.
        let needsRepository = rules.rules == nil || all || (paths.isEmpty && pathsFrom == nil)
        let repository: Repository?
        if needsRepository {
            repository = try change.openRepository()
        } else if !paths.isEmpty || change.repository != nil {
            repository = try? change.openRepository()
        } else {
            repository = nil
        }
        let config = try loadConfig(for: repository, explicitPath: change.config)

        var targets: [RepoPath]
        var changeSet: ChangeSet?
        if !paths.isEmpty || pathsFrom != nil {
            targets = repositoryPaths(paths, repository: repository) + (try readPathList())
        } else if all {
            targets = try requireRepository(repository).trackedFiles(at: change.head)
        } else {
            let (_, _, read) = try change.readChange()
            changeSet = read
            targets = read.files.map(\.path)
        }

        let source = rules.rulesFrom ?? (changeSet == nil ? .worktree : .base)
        let ownership: OwnershipRules
        if let changeSet, let repository {
            ownership = try rules.load(for: changeSet, repository: repository, config: config)
        } else {
            ownership = try rules.load(source: source, repository: repository, config: config, base: nil, head: change.head)
        }
        if ownership.file.byteCount == 0, ownership.file.rules.isEmpty, changeSet != nil, source == .base {
            Output.error("note: the base has no \(ownership.file.path), so no file of this change has code owners yet.")
        }

        let results = ownership.owners(of: targets)
        var scratch = OwnershipMatcher.Scratch()

        var ownersAtHead: [RepoPath: [String]] = [:]
        var impact: [(RepoPath, [String], [String])] = []
        let rulesPaths = config.owners.file.map { [$0] } ?? CodeownersFile.searchPaths
        if let changeSet, source == .base, rules.rules == nil, let repository,
           changeSet.files.contains(where: { rulesPaths.contains($0.path.string) || rulesPaths.contains($0.oldPath?.string ?? "") }) {
            // The change edits the rules themselves: show what the new rules would change.
            let headSource: RulesSource = changeSet.head == nil ? .worktree : .head
            let headRules = try rules.load(
                source: headSource, repository: repository, config: config, base: nil, head: changeSet.head, missingMeansNone: true)
            for result in results {
                let next = headRules.owners(of: result.path, scratch: &scratch).owners
                if next != result.owners { ownersAtHead[result.path] = next }
            }
            // Before the first commit nothing is tracked at HEAD; the staged files are all there is.
            let tracked = changeSet.head == nil && repository.isHeadUnborn
                ? changeSet.files.filter { $0.status != .deleted }.map(\.path)
                : try repository.trackedFiles(at: changeSet.head ?? "HEAD")
            for path in tracked {
                let before = ownership.owners(of: path, scratch: &scratch).owners
                let after = headRules.owners(of: path, scratch: &scratch).owners
                if before != after { impact.append((path, before, after)) }
            }
        }

        switch format {
        case .text:
            var out = OwnershipRenderer.ownersText(results, unownedOnly: unowned)
            if changeSet != nil, !impact.isEmpty || !ownersAtHead.isEmpty || results.contains(where: { ownersAtHead[$0.path] != nil }) {
                out += Array(rulesChangeNote(ownership.file.path, impact).utf8)
            }
            Output.write(out)
        case .json:
            Output.write(OwnershipRenderer.ownersJSON(results, rules: ownership, unownedOnly: unowned, ownersAtHead: ownersAtHead))
            if !impact.isEmpty { Output.error(rulesChangeNote(ownership.file.path, impact)) }
        }
    }

    private func rulesChangeNote(_ file: String, _ impact: [(RepoPath, [String], [String])]) -> String {
        func list(_ owners: [String]) -> String { owners.isEmpty ? "(unowned)" : owners.joined(separator: " ") }
        var note = "\nThis change edits \(file); owners above are from the base's rules (as GitHub applies them).\n"
        if impact.isEmpty {
            note += "The new rules give every tracked file the same owners.\n"
            return note
        }
        note += "Under the new rules, \(impact.count) tracked file\(impact.count == 1 ? "" : "s") would change owners:\n"
        for (path, before, after) in impact.prefix(50) {
            note += "  \(PathQuoting.quote(path))  \(list(before)) -> \(list(after))\n"
        }
        if impact.count > 50 { note += "  ... and \(impact.count - 50) more\n" }
        return note
    }

    private func readPathList() throws -> [RepoPath] {
        guard let pathsFrom else { return [] }
        let data: Data
        if pathsFrom == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: pathsFrom) else {
                throw GatehouseError(.unreadableFile, "cannot read the path list \(pathsFrom). Check the path given to --paths-from.")
            }
            data = contents
        }
        var paths: [RepoPath] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
                var stop = end
                if stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                if stop > start { paths.append(RepoPath(bytes: Array(bytes[start..<stop]))) }
                start = end + 1
            }
        }
        return paths
    }
}

extension RulesOptions {
    /// The rules a change is judged by: its base's unless --rules-from says otherwise, as GitHub
    /// reads them, so a change cannot loosen its own review. A base without rules requires nobody's
    /// review, as on GitHub; the change may be adding them. Shared by owners and reviewers.
    func load(for change: ChangeSet, repository: Repository, config: GatehouseConfig) throws(GatehouseError) -> OwnershipRules {
        let source = rulesFrom ?? .base
        return try load(
            source: source, repository: repository, config: config, base: change.base, head: change.head ?? "HEAD",
            missingMeansNone: source == .base)
    }
}

func requireRepository(_ repository: Repository?) throws(GatehouseError) -> Repository {
    guard let repository else {
        throw GatehouseError(.notARepository, "not inside a git repository. Run Gatehouse from a clone, or name one with -C PATH.")
    }
    return repository
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain which rules decide a path's owners, and which earlier rules they override.")

    @Argument(help: "The path to explain (relative to the current folder).")
    var path: String

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
        let target = repositoryPaths([path], repository: repository)[0]
        Output.write(OwnershipRenderer.explainText(ownership.owners(of: target), rules: ownership))
    }
}

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

        func run() throws {
            let repository = try openRepository(at: repositoryPath)
            let config = try loadConfig(for: repository, explicitPath: config)
            let (ownership, source) = try rules.loadWithSource(
                source: rules.rulesFrom ?? .worktree, repository: repository, config: config, base: head, head: head)
            let files: [RepoPath]
            if head == "HEAD", repository.isHeadUnborn {
                files = try stagedFiles(repository)
            } else {
                files = try repository.trackedFiles(at: head)
            }
            let problems = RulesCheck.problems(ownership, trackedFiles: files, requireAll: config.owners.requireAll, source: source)
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
