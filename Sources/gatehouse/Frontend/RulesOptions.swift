import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

enum RulesSource: String, ExpressibleByArgument, CaseIterable {
    case base
    case head
    case worktree
}

extension OwnershipDialect: ExpressibleByArgument {}

/// Where ownership rules come from, shared by owners, explain and rules check.
struct RulesOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read ownership rules from this file instead of the repository's CODEOWNERS.", valueName: "file"))
    var rules: String?

    @Option(help: "Read the rules as \(OwnershipDialect.allCases.map(\.rawValue).joined(separator: " or ")) (default: owners.dialect, else detected).")
    var dialect: OwnershipDialect?

    @Option(name: .customLong("rules-from"), help: ArgumentHelp(
        "Read the repository's rules from the change's base (default for a change, as GitHub does), its head, or the work tree (default for paths).",
        valueName: "source"))
    var rulesFrom: RulesSource?

    /// Loads the rules: from `--rules`, else from the repository at `source`.
    /// `missingMeansNone`: a revision without a rules file has no owners (rather than an error).
    func load(
        source: RulesSource, repository: Repository?, config: GatehouseConfig, base: String?, head: String?,
        missingMeansNone: Bool = false
    ) throws(GatehouseError) -> OwnershipRules {
        try loadWithSource(
            source: source, repository: repository, config: config, base: base, head: head, missingMeansNone: missingMeansNone).rules
    }

    /// As `load`, with the bytes the rules were parsed from (nil when no file was found), for
    /// messages that point into the file.
    func loadWithSource(
        source: RulesSource, repository: Repository?, config: GatehouseConfig, base: String?, head: String?,
        missingMeansNone: Bool = false
    ) throws(GatehouseError) -> (rules: OwnershipRules, source: [UInt8]?) {
        let dialect = self.dialect ?? config.owners.dialect
        if let rules {
            guard let data = FileManager.default.contents(atPath: rules) else {
                throw GatehouseError(.unreadableFile, "cannot read the rules file \(rules). Check the path given to --rules.")
            }
            let bytes = Array(data)
            return (try RulesLocator.rules(bytes, namedFile: rules, dialect: dialect), bytes)
        }
        guard let repository else {
            throw GatehouseError(.notARepository, "not inside a git repository, so there is no CODEOWNERS to read. Name a rules file with --rules, or run inside a clone.")
        }
        switch source {
        case .worktree:
            guard let root = repository.workdir else {
                throw GatehouseError(.invalidArgument, "this repository is bare, so it has no work tree to read rules from. Use --rules-from head.")
            }
            // As from a commit: a regular file, bounded, never a link out of the repository.
            return try RulesLocator.loadRulesWithSource(configuredFile: config.owners.file, dialect: dialect, source: "the work tree") {
                path throws(GatehouseError) in try readWorkTreeRuleFile(root, path)
            }
        case .base, .head:
            let revision = (source == .base ? base : head) ?? "HEAD"
            let unborn = revision == "HEAD" && repository.isHeadUnborn
            if unborn, !missingMeansNone {
                // Rules at a revision need a commit: the generic no-commit advice (--staged) would not
                // help, and `rules check` has no such option.
                throw GatehouseError(
                    .emptyRepository,
                    "there is no commit yet, so the \(source.rawValue) has no rules to read. Read them from the work tree "
                        + "(--rules-from worktree), or commit them first.")
            }
            return try RulesLocator.loadRulesWithSource(
                configuredFile: config.owners.file, dialect: dialect, source: "\(source.rawValue) (\(revision.prefix(12)))",
                missingMeansNone: missingMeansNone
            ) { path throws(GatehouseError) in
                // Before the first commit, staged work is measured against the empty tree, which has no rules.
                unborn ? nil : try repository.fileContents(path, at: revision)
            }
        }
    }
}

/// Paths named on the command line are relative to the current folder (or the folder given with
/// -C), as git's are; `.` and `..` are resolved against it, and they are matched as paths from
/// the repository root. A path that ends up outside the repository is bad input: answering for
/// `/etc/passwd` or `src/../../x` would describe a file the rules never see.
func repositoryPaths(_ arguments: [String], repository: Repository?, from folder: String? = nil) throws(GatehouseError) -> [RepoPath] {
    guard let workdir = repository?.workdir else { return arguments.map { RepoPath($0) } }
    let root = normalizedAbsolute(workdir, base: "/")
    let realRoot = realPath(root) ?? root
    let process = FileManager.default.currentDirectoryPath
    let start = folder.map { normalizedAbsolute($0, base: process) } ?? process
    // The current folder as the work tree spells it, when a symbolic link leads into it.
    let base = realPath(start).map { real in real.hasPrefix(realRoot) ? root + real.dropFirst(realRoot.count) : start } ?? start
    var paths: [RepoPath] = []
    for argument in arguments {
        let resolved = normalizedAbsolute(argument, base: base)
        if resolved + "/" == root || resolved == root {
            throw GatehouseError(.invalidArgument, "'\(argument)' is the repository's top folder, not a file in it; name files (paths are relative to the current folder, as git's are).")
        }
        guard resolved.hasPrefix(root) else {
            // `/docs/x` may be meant from the top, as CODEOWNERS writes it: suggest that when it exists.
            let fromTop = String(argument.drop { $0 == "/" })
            let hint = argument.hasPrefix("/") && !fromTop.isEmpty && FileManager.default.fileExists(atPath: root + fromTop)
                ? " Paths are relative to the current folder, as git's are: did you mean '\(fromTop)'?" : ""
            throw GatehouseError(.invalidArgument, "'\(argument)' is outside the repository (\(root)), so no rule of it applies.\(hint)")
        }
        paths.append(RepoPath(String(resolved.dropFirst(root.count))))
    }
    return paths
}

/// `path` made absolute against `base` with `.`, `..` and repeated slashes resolved by name, as
/// git resolves a pathspec (no symbolic link is followed). Folders keep no trailing slash, except
/// the result for `root`-style inputs ending in one.
private func normalizedAbsolute(_ path: String, base: String) -> String {
    let full = path.hasPrefix("/") ? path : base + "/" + path
    var parts: [Substring] = []
    for part in full.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == ".." { _ = parts.popLast(); continue }
        parts.append(part)
    }
    let joined = "/" + parts.joined(separator: "/")
    return path.hasSuffix("/") && joined != "/" ? joined + "/" : joined
}

private func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved) + (path.hasSuffix("/") ? "/" : "")
}

/// Starts compiling the work tree's CODEOWNERS in the background (`RulesMemo.prefetch`), so that
/// a command that reads the change first finds the rules ready when a gate or the reviewers
/// need them. The rules are still read from wherever each command reads them; the work tree's
/// bytes only help when they are the same bytes, which is usual.
func prefetchRules(repository: Repository, config: GatehouseConfig, dialect: OwnershipDialect? = nil) {
    guard let root = repository.workdir else { return }
    for path in RulesLocator.candidates(configuredFile: config.owners.file) {
        // Only a hint: anything unusual (a link, a FIFO, an oversized file) is simply not read.
        guard let bytes = (try? readWorkTreeRuleFile(root, path, limit: RulesCheck.sizeLimit)) ?? nil else { continue }
        RulesMemo.prefetch(bytes, path: path, dialect: RulesLocator.dialect(ofFileAt: path, configured: dialect ?? config.owners.dialect))
        return
    }
}

