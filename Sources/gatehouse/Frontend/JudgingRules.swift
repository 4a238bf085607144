import Foundation
import GatehouseCore
import GatehouseGit

/// The rules a change is judged by: the configuration, CODEOWNERS, teams and checklists, read
/// from the change's base unless a person chose otherwise for a local experiment.
///
/// Every command that judges a change (check, the pre-push hook, owners, reviewers, checklist)
/// takes its rules from here, so that nothing the change edits can weaken what judges it.
struct JudgingRules {
    /// Where the rules files are read.
    enum Place {
        case commit(String)
        case index
        case workTree(String)
    }

    /// The change's own side, for a base without rules and for showing what the change edits.
    enum OwnSide {
        /// The head commit (a range, a push).
        case head
        /// What is staged (`--staged`).
        case index
        /// The work tree (`--worktree`).
        case workTree
    }

    let repository: Repository
    var config: GatehouseConfig
    var origin: RulesOrigin
    var place: Place
    /// The change's side, where its edits to the rules are read.
    var own: Place?

    /// The rules for `change`. `from`: `--rules-from` (default: the base); `explicitConfig`:
    /// `--config`, which replaces the configuration only.
    static func resolve(
        repository: Repository, change: ChangeSet, own side: OwnSide, from: RulesSource? = nil, explicitConfig: String? = nil
    ) throws(GatehouseError) -> JudgingRules {
        let own: Place? = switch side {
        case .head: change.head.map { .commit($0) }
        case .index: .index
        case .workTree: repository.workdir.map { .workTree($0) }
        }
        var origin: RulesOrigin
        let place: Place
        switch from {
        case .worktree?:
            guard let root = repository.workdir else {
                throw GatehouseError(.invalidArgument, "this repository is bare, so it has no work tree to read rules from. Use --rules-from head.")
            }
            (place, origin) = (.workTree(root), .chosen("the work tree's rules (--rules-from worktree) instead of the base's"))
        case .head?:
            let head = change.head ?? "HEAD"
            (place, origin) = (.commit(head), .chosen("the head's rules (--rules-from head) instead of the base's"))
        case .base?, nil:
            if let base = change.base, try hasRules(repository: repository, at: base) {
                (place, origin) = (.commit(base), .base(commit: base))
            } else if let own {
                (place, origin) = (own, .adoption(base: change.base))
            } else {
                // Staged work in a repository without a commit: nothing but the work tree exists.
                guard let root = repository.workdir else { throw GatehouseError(.emptyRepository, "the repository has no commit and no work tree.") }
                (place, origin) = (.workTree(root), .adoption(base: nil))
            }
        }
        var rules = JudgingRules(repository: repository, config: GatehouseConfig(), origin: origin, place: place, own: own)
        if let explicitConfig {
            rules.config = try GatehouseConfig.load(path: explicitConfig)
            if case .base = origin { rules.origin = .chosen("the configuration \(explicitConfig) (--config) instead of the base's") }
        } else {
            rules.config = try rules.readConfig()
        }
        return rules
    }

    /// Whether `commit` holds any rules: a `rules/` folder or a CODEOWNERS where one is looked for.
    private static func hasRules(repository: Repository, at commit: String) throws(GatehouseError) -> Bool {
        if try repository.hasEntry("rules", at: commit) { return true }
        for path in CodeownersFile.searchPaths where try repository.hasEntry(path, at: commit) { return true }
        return false
    }

    /// The bytes of a rules file at the rules' place; nil when there is none.
    func read(_ path: String) throws(GatehouseError) -> [UInt8]? {
        try Self.read(path, at: place, repository: repository)
    }

    static func read(_ path: String, at place: Place, repository: Repository) throws(GatehouseError) -> [UInt8]? {
        switch place {
        case .commit(let commit): return try repository.ruleFile(path, at: commit)
        case .index: return try repository.stagedRuleFile(path)
        case .workTree(let root): return try readWorkTreeRuleFile(root, path)
        }
    }

    /// Where the rules are, in words for messages: "the base (abc123def456)".
    var placeWords: String {
        switch (origin, place) {
        case (.base(let commit), _): "the base (\(commit.prefix(12)))"
        case (_, .commit(let commit)): "\(commit.prefix(12))"
        case (_, .index): "the index"
        case (_, .workTree): "the work tree"
        }
    }

    /// The configuration at the rules' place (the defaults when there is no file).
    private func readConfig() throws(GatehouseError) -> GatehouseConfig {
        guard let bytes = try read(GatehouseConfig.defaultPath) else { return GatehouseConfig() }
        do {
            return try GatehouseConfig.parse(Data(bytes), file: GatehouseConfig.defaultPath)
        } catch {
            guard case .base(let commit) = origin else { throw error }
            // A broken base blocks every change, including its fix: say where the file is broken.
            throw GatehouseError(
                error.kind,
                "\(error.message) (This is the base's version, at \(commit.prefix(12)), which judges the change: fix it on the base branch; "
                    + "meanwhile --rules-from head judges a change by its own rules.)",
                at: error.location)
        }
    }

    /// The checklists at the rules' place (nil: no folder), and how to name the folder.
    func checklists() throws(GatehouseError) -> [Checklist]? {
        let folder = Checklists.defaultFolder
        switch place {
        case .commit(let commit):
            guard let files = try repository.ruleFolder(folder, at: commit) else { return nil }
            return try Checklists.parse(files: files, displayFolder: folder)
        case .index, .workTree:
            guard let root = repository.workdir else { return nil }
            return try Checklists.load(folder: root + folder, displayFolder: folder)
        }
    }

    /// `rules/teams.yml` at the rules' place, or no teams.
    func teams() throws(GatehouseError) -> TeamsConfig {
        guard let bytes = try read(TeamsConfig.defaultPath) else { return TeamsConfig() }
        return try TeamsConfig.parse(Data(bytes), file: TeamsConfig.defaultPath)
    }

    /// The CODEOWNERS rules, located and read as the configuration says. Code owners are read
    /// as GitHub and GitLab read them, from the base, even for the change that adopts Gatehouse:
    /// a base without CODEOWNERS requires nobody. Only a person's explicit choice reads them
    /// elsewhere.
    func ownershipRules(dialect: OwnershipDialect? = nil) throws(GatehouseError) -> OwnershipRules {
        let ownersPlace: Place?
        switch origin {
        case .base(let commit): ownersPlace = .commit(commit)
        case .adoption(let base): ownersPlace = base.map { .commit($0) }
        case .chosen: ownersPlace = place
        }
        return try RulesLocator.loadRules(
            configuredFile: config.owners.file, dialect: dialect ?? config.owners.dialect, source: placeWords, missingMeansNone: true
        ) { path throws(GatehouseError) in try ownersPlace.flatMap { place throws(GatehouseError) in try Self.read(path, at: place, repository: repository) } }
    }

    /// The gates that say where the rules came from and what the change does to them: nil
    /// and nothing for a change judged by its base that leaves the rules alone.
    func notices(change: ChangeSet) -> [GateResult] {
        var gates: [GateResult] = []
        if let source = RulesChanges.sourceGate(origin) { gates.append(source) }
        let edited = change.files.filter { file in
            RulesChanges.isRulesFile(file.path, ownersFile: config.owners.file)
                || file.oldPath.map { RulesChanges.isRulesFile($0, ownersFile: config.owners.file) } == true
        }
        guard !edited.isEmpty else { return gates }
        var settings: [SettingChange] = []
        var headErrors: [(path: String, error: GatehouseError)] = []
        func ownBytes(_ path: String) throws(GatehouseError) -> [UInt8]? {
            try own.flatMap { place throws(GatehouseError) in try Self.read(path, at: place, repository: repository) }
        }
        for file in edited {
            let path = file.path.string
            do {
                if path == GatehouseConfig.defaultPath {
                    let before = change.mergeBase ?? change.base
                    let old = before.flatMap { try? repository.ruleFile(path, at: $0) }
                    let new = file.status == .deleted ? nil : try ownBytes(path)
                    settings = RulesChanges.settingChanges(base: old, head: new)
                    if let new { _ = try GatehouseConfig.parse(Data(new), file: path) }
                } else if file.status == .deleted {
                    continue
                } else if path == TeamsConfig.defaultPath {
                    if let new = try ownBytes(path) { _ = try TeamsConfig.parse(Data(new), file: path) }
                } else if path.hasPrefix(Checklists.defaultFolder + "/") {
                    if let new = try ownBytes(path) { _ = try ChecklistParser.parse(new, file: path) }
                }
            } catch {
                headErrors.append((path, error))
            }
        }
        // Who must approve an edit to the rules: their owners in the base's CODEOWNERS.
        var owners: [RepoPath: [String]] = [:]
        if let rules = try? ownershipRules() {
            for file in edited {
                owners[file.path] = rules.owners(of: file.path).owners
            }
        }
        let appliesNow = if case .base = origin { false } else { true }
        if let gate = RulesChanges.gate(edited: edited, settings: settings, headErrors: headErrors, owners: owners, appliesNow: appliesNow) {
            gates.append(gate)
        }
        return gates
    }
}

/// A rules file from the work tree: a regular file (a symbolic link is not followed, so the
/// rules cannot be read from outside the repository), bounded in size; nil when absent.
func readWorkTreeRuleFile(_ root: String, _ path: String, limit: Int = Repository.ruleFileLimit) throws(GatehouseError) -> [UInt8]? {
    let full = (root.hasSuffix("/") ? root : root + "/") + path
    let descriptor = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard descriptor >= 0 else {
        if errno == ENOENT || errno == ENOTDIR { return nil }
        if errno == ELOOP {
            throw GatehouseError(
                .invalidRules, "\(path) is a symbolic link; Gatehouse reads rules only from regular files in the repository. Replace the link with the file.",
                at: SourceLocation(file: path))
        }
        throw GatehouseError(.unreadableFile, "cannot read \(path): \(String(cString: strerror(errno))). Check its permissions.", at: SourceLocation(file: path))
    }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
        throw GatehouseError(.invalidRules, "\(path) is not a regular file; rules are read from regular files.", at: SourceLocation(file: path))
    }
    guard Int(status.st_size) <= limit else {
        throw GatehouseError(
            .invalidRules, "\(path) is \(status.st_size) bytes; Gatehouse reads rules files of at most \(limit) bytes. Keep it smaller.",
            at: SourceLocation(file: path))
    }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var filled = 0
    while filled < bytes.count {
        let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { break }
        filled += count
    }
    return Array(bytes.prefix(filled))
}
