import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

struct Hook: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The git pre-push hook: check every pushed ref with the gates of rules/gatehouse.yml.",
        discussion: """
            gatehouse hook install writes .githooks/pre-push and points core.hooksPath at .githooks; git then runs gatehouse hook pre-push on every push. Skip it once with git push --no-verify.
            """,
        subcommands: [PrePush.self, Install.self, Uninstall.self])

    /// What `install` writes. The marker line tells `uninstall` (and a second `install`) it is ours.
    static let marker = "# gatehouse pre-push hook"
    static let script = """
        #!/bin/sh
        \(marker) (written by `gatehouse hook install`; remove it with `gatehouse hook uninstall`).
        # Checks every ref you push with the gates of rules/gatehouse.yml and blocks the push only
        # when a gate fails. Skip it once with: git push --no-verify
        for gatehouse in "${GATEHOUSE:-}" "$(command -v gatehouse 2>/dev/null)" ./.build/release/gatehouse ./.build/debug/gatehouse; do
            if [ -n "$gatehouse" ] && [ -x "$gatehouse" ]; then
                exec "$gatehouse" hook pre-push "$@"
            fi
        done
        echo "gatehouse: not found (not on PATH, no \\$GATEHOUSE, no .build/*/gatehouse), so this push is not checked." >&2
        exit 0

        """

    static let hooksPath = HookFiles.folder
    /// Where install --force keeps what it replaced, for uninstall to restore.
    static let backupSuffix = ".before-gatehouse"
    static let previousKey = "gatehouse.previousHooksPath"

    struct PrePush: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pre-push",
            abstract: "Run as git's pre-push hook: reads '<local ref> <local sha> <remote ref> <remote sha>' lines on stdin.",
            discussion: """
                Every ref of the push is checked: remote..local when the remote's commit is known here, or, for a new branch, the commits on none of the remote's tracking refs. Deletions pass. Gates whose report is missing, or did not measure exactly the pushed commit (a file differs from it, is untracked, or changed after the report), are skipped and say so. Exit 1 (the push is refused) only when a gate fails. With pre-commit, use --from-pre-commit: pre-commit reads git's input itself and hands on its first ref.
                """)

        @Argument(help: "The remote's name (or its URL when pushing to a URL), as git passes it.")
        var remote: String?

        @Argument(help: "The remote's URL, as git passes it.")
        var url: String?

        @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
        var repository: String?

        @Option(help: ArgumentHelp(
            "The configuration file, for a local experiment. Default: rules/gatehouse.yml as the remote already has it (the push's base).",
            valueName: "path"))
        var config: String?

        @Flag(help: "Run from pre-commit's pre-push stage: the pushed ref comes from its PRE_COMMIT_* variables, not stdin.")
        var fromPreCommit = false

        func validate() throws {
            if !fromPreCommit && remote == nil {
                throw ValidationError("missing the remote's name: git passes it to the hook (gatehouse hook pre-push <remote> <url>); from pre-commit, use --from-pre-commit.")
            }
        }

        func run() throws {
            let repository = try openRepository(at: repository)
            let refs: [PushedRef]
            let remote: String
            if fromPreCommit {
                guard let handed = try PrePushInput.fromPreCommit(ProcessInfo.processInfo.environment, resolve: { repository.commitSHA($0) }) else {
                    throw GatehouseError(
                        .invalidArgument,
                        "--from-pre-commit needs pre-commit's PRE_COMMIT_REMOTE_NAME and PRE_COMMIT_TO_REF; run it from a hook with stages: [pre-push].")
                }
                (remote, refs) = (handed.remote, [handed.ref])
            } else {
                let input = FileHandle.standardInput.readDataToEndOfFile()
                refs = try PrePushInput.parse(Array(input))
                remote = self.remote ?? ""
            }
            // Only a hint: the rules that judge each ref come from what the remote has, so the work
            // tree's configuration (perhaps broken by the pushed change itself) cannot stop the push.
            prefetchRules(repository: repository, config: (try? loadConfig(for: repository, explicitPath: config)) ?? GatehouseConfig())
            var out = ""
            var failed = false
            // Whether a ref printed more than its one passing line (a skip, a warning, a failure).
            var unclean = false
            var notedGates = false
            let checkedOut = repository.commitSHA("HEAD")
            for ref in refs {
                if ref.isDeletion {
                    out += "gatehouse: \(remote) \(ref.shortRemoteRef): deleted, nothing to check\n"
                    continue
                }
                // git only ever sends objects it has: a name that is not here is not git speaking.
                guard repository.resolves(ref.localSHA) else {
                    throw GatehouseError(
                        .invalidArgument,
                        "the pushed object \(ref.localSHA) of \(ref.localRef) does not exist in this repository, so it cannot be checked. "
                            + "Run this command from .githooks/pre-push (gatehouse hook install), not by hand.",
                        at: SourceLocation(file: "<stdin>"))
                }
                guard repository.peelsToCommit(ref.localSHA) else {
                    out += "gatehouse: \(remote) \(ref.shortRemoteRef): not a commit (a tag of a tree or blob), nothing to check\n"
                    continue
                }
                let range = try repository.pushRange(for: ref, remote: remote)
                if range.commitCount == 0 {
                    out += "gatehouse: \(remote) \(ref.shortRemoteRef): no new commit, nothing to check\n"
                    continue
                }
                let change = try repository.readChange(from: range.base, to: range.head, reason: range.reason)
                // What the remote already has judges the push: its settings, gates and rules, so that
                // a pushed commit cannot lower its own thresholds or switch its gates off.
                let rules = try JudgingRules.resolve(repository: repository, change: change, own: .head, explicitConfig: config)
                let config = rules.config
                let groups = Set(config.hook.gates)
                // A hook that checks only CODEOWNERS must not look like a quality gate.
                let coverageConfigured = !config.coverage.reports.isEmpty || config.coverage.hasThresholds
                if !notedGates, groups.contains(.coverage) || groups.contains(.lint), !coverageConfigured, config.lint.reports.isEmpty {
                    notedGates = true
                    let checked = groups.contains(.size) && !config.size.budgets.isEmpty ? "size budgets and ownership rules" : "ownership rules"
                    out += "gatehouse: no coverage or lint gate is configured in \(GatehouseConfig.defaultPath) at \(rules.placeWords), so this push is checked for \(checked) only; gatehouse init writes them.\n"
                }
                let freshness = repository.workdir == nil
                    ? nil : Freshness(repository: repository, target: .headCommit, staleFails: config.hook.stale == .fail)
                let counts = "\(range.commitCount) commit\(range.commitCount == 1 ? "" : "s"), \(change.files.count) file\(change.files.count == 1 ? "" : "s")"
                // Reports and build output in the work tree were made from the checked-out commit;
                // another pushed ref has no evidence here, and borrowing HEAD's would judge it wrongly.
                // Reports in the work tree judge the push only when they measured exactly the pushed
                // commit: it is checked out, nothing differs from it, and nothing changed since.
                var inputs = GateInputs(freshness: freshness, missingIsSkip: true, groups: groups, rulesFromHead: true)
                if range.head != checkedOut {
                    inputs.evidenceUnavailable = "not the checked-out commit: the reports and build output here describe HEAD, not \(ref.shortRemoteRef); CI runs this gate (or check out \(ref.shortRemoteRef) and push again)."
                }
                let gates = try GateRunner.run(repository: repository, rules: rules, change: change, inputs: inputs)
                let advice = ReviewAdvice.gatherOrNote(
                    repository: repository, rules: rules, change: change, checklist: config.hook.checklist, reviewers: config.hook.reviewers)
                if gates.allSatisfy({ $0.status == .pass }), advice.note == nil {
                    // A clean push is one line: what passed, and what review will ask.
                    var passed = gates.isEmpty ? "no gate ran" : "\(gates.count) gate\(gates.count == 1 ? "" : "s") passed"
                    if let coverage = gates.first(where: { $0.id == .changedLines }) {
                        passed += ", " + (coverage.message.components(separatedBy: " (").first ?? coverage.message)
                    }
                    let clauses = ReviewAdvice.hookClauses(checklists: advice.checklists, reviewers: advice.reviewers)
                    out += "gatehouse: \(remote) \(ref.shortRemoteRef): \(counts) (\(range.reason)): \(passed)" + clauses.map { "; " + $0 }.joined() + "\n"
                    continue
                }
                unclean = true
                out += "gatehouse: \(remote) \(ref.shortRemoteRef): \(counts) (\(range.reason))\n"
                // What failed, warned or was skipped keeps its detail (at most 10 lines of it); a
                // passing gate is one line.
                let shown = gates.map { gate in
                    var gate = gate
                    if gate.status == .pass {
                        gate.notes = []
                        if case .changedLines = gate.details { gate.details = .none }
                    }
                    return gate
                }
                out += VerdictRenderer.text(gates: shown, color: Output.stderrIsColorTerminal, detailLimit: 10)
                    .split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
                if gates.contains(where: { $0.status == .fail }) {
                    failed = true
                    if let base = range.base {
                        let head = range.head == checkedOut ? "" : " --head \(range.head.prefix(12))"
                        out += "  all of it: gatehouse check --base \(base.prefix(12))\(head)\n"
                    }
                }
                out += ReviewAdvice.hookSummary(checklists: advice.checklists, reviewers: advice.reviewers)
                if let note = advice.note { out += "  note: \(note)\n" }
            }
            if failed {
                out += "gatehouse: push refused: a gate failed. Fix it, or skip this check once with git push --no-verify.\n"
            } else if unclean {
                out += "gatehouse: no gate failed\n"
            }
            // stderr, as git's own push messages: git passes a pre-push hook's stdout on unchanged in some
            // versions and to stderr in others, and tools that parse `git push` output read stdout.
            Output.writeStderr(out)
            if failed { throw ExitCode(1) }
        }
    }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write .githooks/pre-push and point core.hooksPath at .githooks.")

        @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
        var repository: String?

        @Flag(help: "Replace a different pre-push hook, or another core.hooksPath.")
        var force = false

        func run() throws {
            let repository = try openRepository(at: repository)
            guard let root = repository.workdir else {
                throw GatehouseError(.invalidArgument, "a bare repository has no work tree for .githooks; install the hook in a clone.")
            }
            // Teams that run their hooks through a manager keep it: taking core.hooksPath would switch
            // their other hooks off. Gatehouse goes into the manager's configuration instead.
            if !force, let (manager, found) = HookManager.detect(root: root, hooksPath: try repository.configValue("core.hooksPath")) {
                throw GatehouseError(
                    .invalidArgument,
                    "this repository runs its hooks through \(manager.name) (\(found)), so core.hooksPath is left alone. "
                        + "Add Gatehouse to \(manager.configFile) instead:\n\n\(manager.snippet)\n"
                        + "\n(or take over git's hooks anyway with --force)")
            }
            let folder = root + Hook.hooksPath
            let file = folder + "/pre-push"
            let existing = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
            if let existing, !existing.contains(Hook.marker), !force {
                throw GatehouseError(
                    .invalidArgument,
                    "\(Hook.hooksPath)/pre-push already exists and is not Gatehouse's. Call `gatehouse hook pre-push \"$@\"` from it yourself, or replace it with --force.",
                    at: SourceLocation(file: "\(Hook.hooksPath)/pre-push"))
            }
            let current = try repository.configValue("core.hooksPath")
            if let current, !Hook.pointsAtGithooks(current, root: root), !force {
                throw GatehouseError(
                    .invalidArgument,
                    "core.hooksPath is already '\(current)' (another hook manager?). Call `gatehouse hook pre-push \"$@\"` from its pre-push hook, or take over with --force.")
            }
            if current == nil, !force {
                // The hooks git runs live in the common folder, also when installing from a linked work tree.
                let active = Hook.activeHooks(in: repository.commonDirectory + "hooks")
                if !active.isEmpty {
                    throw GatehouseError(
                        .invalidArgument,
                        "core.hooksPath = \(Hook.hooksPath) would make git ignore the hooks in .git/hooks (\(active.joined(separator: ", "))). "
                            + "Move them to \(Hook.hooksPath)/, then run this again, or use --force.")
                }
            }
            // What --force displaces is kept, so that uninstall can put it back.
            if let existing, !existing.contains(Hook.marker) {
                // A copy keeps the file's mode, so a restored hook is still executable.
                try? FileManager.default.removeItem(atPath: file + Hook.backupSuffix)
                do {
                    try FileManager.default.copyItem(atPath: file, toPath: file + Hook.backupSuffix)
                } catch {
                    throw GatehouseError(.unreadableFile, "cannot keep a copy of \(Hook.hooksPath)/pre-push before replacing it: \(error.localizedDescription).")
                }
            }
            if let current, !Hook.pointsAtGithooks(current, root: root), try repository.localConfigValue(Hook.previousKey) == nil {
                try repository.setLocalConfig(Hook.previousKey, current)
            }
            var wrote = false
            if existing != Hook.script {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw GatehouseError(.unreadableFile, "cannot create \(Hook.hooksPath)/: \(error.localizedDescription).")
                }
                try writeAtomically(Array(Hook.script.utf8), to: file)
                wrote = true
            }
            guard chmod(file, 0o755) == 0 else {
                throw GatehouseError(.unreadableFile, "cannot make \(Hook.hooksPath)/pre-push executable: \(String(cString: strerror(errno))).")
            }
            try repository.setLocalConfig("core.hooksPath", Hook.hooksPath)
            Output.write("""
                gatehouse: \(wrote ? "wrote" : "kept") \(Hook.hooksPath)/pre-push and set core.hooksPath = \(Hook.hooksPath).
                Every git push now runs the gates of rules/gatehouse.yml (hook: in it chooses which).
                Skip the check once with: git push --no-verify. Remove it with: gatehouse hook uninstall.
                Commit \(Hook.hooksPath)/pre-push so the whole team shares it; each clone runs gatehouse hook install once.

                """)
        }
    }

    struct Uninstall: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo gatehouse hook install: remove Gatehouse's .githooks/pre-push and unset core.hooksPath.")

        @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
        var repository: String?

        func run() throws {
            let repository = try openRepository(at: repository)
            guard let root = repository.workdir else {
                throw GatehouseError(.invalidArgument, "a bare repository has no work tree with .githooks.")
            }
            let folder = root + Hook.hooksPath
            let file = folder + "/pre-push"
            var said: [String] = []
            if let existing = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) {
                if try repository.isTracked(RepoPath(Hook.hooksPath + "/pre-push")) {
                    // The team's committed copy: uninstalling here only stops git running it.
                    said.append("left \(Hook.hooksPath)/pre-push in place: it is tracked, the team's copy")
                } else if existing.contains(Hook.marker) {
                    do {
                        try FileManager.default.removeItem(atPath: file)
                        said.append("removed \(Hook.hooksPath)/pre-push")
                        if FileManager.default.fileExists(atPath: file + Hook.backupSuffix) {
                            try FileManager.default.moveItem(atPath: file + Hook.backupSuffix, toPath: file)
                            said.append("put back the pre-push hook that install --force had replaced")
                        }
                    } catch {
                        throw GatehouseError(.unreadableFile, "cannot restore \(Hook.hooksPath)/pre-push: \(error.localizedDescription).")
                    }
                } else {
                    said.append("left \(Hook.hooksPath)/pre-push alone: it is not Gatehouse's")
                }
            }
            if let current = try repository.localConfigValue("core.hooksPath"), Hook.pointsAtGithooks(current, root: root) {
                // Gatehouse's own hook, left in place because it is tracked, is not another hook.
                let ours = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self).contains(Hook.marker) } ?? false
                let others = Hook.activeHooks(in: folder).filter { !(ours && $0 == "pre-push") }
                if let previous = try repository.localConfigValue(Hook.previousKey) {
                    try repository.setLocalConfig("core.hooksPath", previous)
                    try repository.unsetLocalConfig(Hook.previousKey)
                    said.append("set core.hooksPath back to \(previous)")
                } else if others.isEmpty {
                    try repository.unsetLocalConfig("core.hooksPath")
                    said.append("unset core.hooksPath")
                } else {
                    said.append("kept core.hooksPath = \(current): \(Hook.hooksPath) still holds \(others.joined(separator: ", "))")
                }
            }
            Output.write("gatehouse: " + (said.isEmpty ? "no Gatehouse hook is installed here." : said.joined(separator: "; ") + ".") + "\n")
        }
    }

    /// Whether a core.hooksPath value names this work tree's .githooks.
    static func pointsAtGithooks(_ value: String, root: String) -> Bool {
        var path = value
        while path.hasSuffix("/") { path.removeLast() }
        return path == hooksPath || path == "./" + hooksPath || path == root + hooksPath
    }

    /// Hook files git would run from `folder`: executable, not git's `.sample` files.
    static func activeHooks(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { name in
            !name.hasSuffix(".sample") && !name.hasPrefix(".") && FileManager.default.isExecutableFile(atPath: folder + "/" + name)
                && !Hook.isDirectory(folder + "/" + name)
        }.sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }
}

/// The hook managers teams already run, and how Gatehouse joins each one's pre-push hook.
enum HookManager: CaseIterable {
    case preCommit, lefthook, husky

    var name: String {
        switch self {
        case .preCommit: "pre-commit"
        case .lefthook: "lefthook"
        case .husky: "husky"
        }
    }

    var configFile: String {
        switch self {
        case .preCommit: ".pre-commit-config.yaml"
        case .lefthook: "lefthook.yml"
        case .husky: ".husky/pre-push"
        }
    }

    /// What to add. pre-commit reads git's stdin itself and hands the first pushed ref on in its
    /// variables; lefthook and husky pass git's arguments and stdin through.
    var snippet: String {
        switch self {
        case .preCommit:
            """
              - repo: local
                hooks:
                  - id: gatehouse
                    name: gatehouse
                    entry: gatehouse hook pre-push --from-pre-commit
                    language: system
                    pass_filenames: false
                    always_run: true
                    stages: [pre-push]

            then: pre-commit install --hook-type pre-push
            """
        case .lefthook:
            """
            pre-push:
              commands:
                gatehouse:
                  run: gatehouse hook pre-push {1} {2}
                  use_stdin: true

            then: lefthook install
            """
        case .husky:
            """
            gatehouse hook pre-push "$@"

            (a line of .husky/pre-push; husky passes git's arguments and stdin on)
            """
        }
    }

    /// The manager this work tree uses, and the file that shows it.
    static func detect(root: String, hooksPath: String?) -> (HookManager, String)? {
        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: root + path) }
        if exists(".pre-commit-config.yaml") { return (.preCommit, ".pre-commit-config.yaml") }
        for file in ["lefthook.yml", ".lefthook.yml", "lefthook.yaml", ".lefthook.yaml", ".config/lefthook.yml"] where exists(file) {
            return (.lefthook, file)
        }
        if exists(".husky") { return (.husky, ".husky/") }
        if let hooksPath, hooksPath.hasPrefix(".husky") { return (.husky, "core.hooksPath = \(hooksPath)") }
        return nil
    }
}

