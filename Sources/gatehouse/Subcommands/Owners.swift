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
        var config = try loadConfig(for: repository, explicitPath: change.config)

        var targets: [RepoPath] = []
        // Named or listed paths, as text: written straight from the list (see `writeOwnersText`).
        var listed: PathBatch?
        var changeSet: ChangeSet?
        if !paths.isEmpty || pathsFrom != nil {
            var batch = PathBatch(try repositoryPaths(paths, repository: repository, from: change.repository))
            try readPathList(into: &batch)
            if format == .text { listed = batch } else { targets = batch.paths }
        } else if all {
            try writeAllOwners(try requireRepository(repository), config: config)
            return
        } else {
            let (_, _, read) = try change.readChange(prefetchingRules: true)
            changeSet = read
            targets = read.files.map(\.path)
        }

        let source = rules.rulesFrom ?? (changeSet == nil ? .worktree : .base)
        let ownership: OwnershipRules
        if let changeSet, let repository {
            // A change is judged by its base's rules: its CODEOWNERS and where the configuration says it is.
            let judging = try change.judgingRules(repository: repository, change: changeSet, from: rules.rulesFrom)
            config = judging.config
            ownership = try rules.load(for: changeSet, repository: repository, judging: judging)
        } else {
            ownership = try rules.load(source: source, repository: repository, config: config, base: nil, head: change.head)
        }
        if ownership.file.byteCount == 0, ownership.file.rules.isEmpty, changeSet != nil, source == .base {
            Output.error("note: the base has no \(ownership.file.path), so no file of this change has code owners yet.")
        }

        if let listed {
            writeOwnersText(listed, ownership)
            return
        }
        let results = ownership.owners(of: targets)
        var scratch = OwnershipMatcher.Scratch()

        var ownersAtHead: [RepoPath: [String]] = [:]
        var impact: [(RepoPath, [String], [String])] = []
        let rulesPaths = RulesLocator.candidates(configuredFile: config.owners.file)
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

    /// `owners --all`. Reading the tree is most of the work, and it is git's own cost (`git
    /// ls-tree -r` pays it too), so everything else is done beside it: the tree is listed on a
    /// thread of its own while the rules are read, and the files are matched and written, a batch
    /// at a time in the tree's order, while the rest is still being listed (text without a
    /// PathOwnership per file; JSON a batch at a time, never the whole list of results at once).
    /// Nothing is written unless the whole tree could be read, and errors come as they did when
    /// the files were listed before the rules were read: the listing's first.
    private func writeAllOwners(_ repository: Repository, config: GatehouseConfig) throws {
        let listing = TreeListing(repository, at: change.head)
        let source = rules.rulesFrom ?? .worktree
        let loaded = Result { () throws(GatehouseError) -> OwnershipRules in
            try rules.load(source: source, repository: repository, config: config, base: nil, head: change.head)
        }
        guard case .success(let ownership) = loaded else {
            if let failure = listing.wait() { throw failure }
            _ = try loaded.get()
            return
        }
        let unowned = self.unowned
        let format = self.format
        let written = listing.run(
            workers: TreeListing.workers,
            {
                (writer: OwnershipRenderer.OwnersTextWriter(ownership, unownedOnly: unowned),
                 cursor: OwnershipMatcher.Cursor(ownership.matcher), outputs: [(Int, [UInt8])]())
            },
            { state, index, batch in
                var out: [UInt8] = []
                switch format {
                case .text:
                    out.reserveCapacity(batch.bytes.count + batch.count * 40)
                    state.writer.write(batch, to: &out)
                case .json:
                    out = OwnershipRenderer.ownersJSONElements(
                        ownership.owners(of: batch, cursor: &state.cursor), rules: ownership, unownedOnly: unowned)
                }
                state.outputs.append((index, out))
            })
        if let failure = listing.wait() { throw failure }
        let parts = written.flatMap(\.outputs).sorted { $0.0 < $1.0 }.map(\.1)
        switch format {
        case .text:
            for part in parts { Output.write(part) }
        case .json:
            for piece in OwnershipRenderer.ownersJSONDocument(parts) { Output.write(piece) }
        }
    }

    /// Text for a long list of paths: runs of consecutive paths on every core, each written
    /// without building a `PathOwnership` per path (OwnershipRenderer.OwnersTextWriter).
    private func writeOwnersText(_ batch: PathBatch, _ ownership: OwnershipRules) {
        let workers = OwnershipRules.workers(for: batch.count)
        let chunk = (batch.count + workers - 1) / max(workers, 1)
        let outputs = StateSlots<[UInt8]>(count: workers)
        let unowned = self.unowned
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var writer = OwnershipRenderer.OwnersTextWriter(ownership, unownedOnly: unowned)
            let indices = min(batch.count, worker * chunk)..<min(batch.count, (worker + 1) * chunk)
            var out: [UInt8] = []
            out.reserveCapacity(indices.count * 64)
            writer.write(batch, indices, to: &out)
            outputs[worker] = out
        }
        for index in 0..<workers { Output.write(outputs[index]) }
    }

    /// Appends the paths of --paths-from, one per line (CRLF too), to `paths`.
    private func readPathList(into paths: inout PathBatch) throws {
        guard let pathsFrom else { return }
        try readPathListFile(pathsFrom, into: &paths)
    }
}

/// Reads a path list (one repository path per line, CRLF too; `-` for stdin) into `paths`.
func readPathListFile(_ pathsFrom: String, into paths: inout PathBatch) throws(GatehouseError) {
    let data: Data
    if pathsFrom == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        guard let contents = FileManager.default.contents(atPath: pathsFrom) else {
            throw GatehouseError(.unreadableFile, "cannot read the path list \(pathsFrom). Check the path given to --paths-from.")
        }
        data = contents
    }
    data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
        let bytes = raw.bindMemory(to: UInt8.self)
        var start = 0
        for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
            var stop = end
            if stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
            if stop > start { paths.append(UnsafeBufferPointer(rebasing: bytes[start..<stop])) }
            start = end + 1
        }
    }
}

/// A revision's tracked files, listed on a thread of its own through a handle of its own (a
/// handle serves one thread at a time) while the caller does other work, such as reading the
/// rules, then handed to workers in batches as they come, each with its place in the tree's order.
final class TreeListing: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [PathBatch] = []
    private var taken = 0
    private var done = false
    private var failure: GatehouseError?

    /// Workers beside the listing's thread: the other cores, up to 4 (more would only wait for
    /// the listing).
    static var workers: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount - 1, 4)) }

    /// Starts listing. Should the repository not open a second time, the files are listed here
    /// and now, on the caller's handle.
    init(_ repository: Repository, at revision: String) {
        guard let lister = try? repository.reopened() else {
            list(repository, revision)
            return
        }
        let handle = UncheckedRepository(repository: lister)
        Thread.detachNewThread { [self] in
            list(handle.repository, revision)
        }
    }

    private func list(_ repository: Repository, _ revision: String) {
        var failure: GatehouseError?
        do {
            try repository.forEachTrackedFileBatch(at: revision) { batch in
                condition.lock()
                batches.append(batch)
                condition.signal()
                condition.unlock()
            }
        } catch {
            failure = error
        }
        condition.lock()
        self.failure = failure
        done = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch and its place, or nil once every batch is taken and the listing is over.
    private func next() -> (Int, PathBatch)? {
        condition.lock()
        defer { condition.unlock() }
        while taken == batches.count && !done { condition.wait() }
        guard taken < batches.count else { return nil }
        let batch = batches[taken]
        batches[taken] = PathBatch()  // its memory goes with the worker
        taken += 1
        return (taken - 1, batch)
    }

    /// Waits for the listing to end: its error, if it failed.
    func wait() -> GatehouseError? {
        condition.lock()
        defer { condition.unlock() }
        while !done { condition.wait() }
        return failure
    }

    /// Works on every batch, with its place, as the batches come, on `workers` threads (this one
    /// among them), each with the state `start()` gives it; returns the states. Each thread takes
    /// the batches in ascending order.
    func run<State>(workers: Int, _ start: @escaping @Sendable () -> State,
                    _ work: @escaping @Sendable (inout State, Int, PathBatch) -> Void) -> [State] {
        let states = StateSlots<State>(count: workers)
        let group = DispatchGroup()
        let body: @Sendable (Int) -> Void = { [self] worker in
            var state = start()
            while let (index, batch) = next() { work(&state, index, batch) }
            states[worker] = state
        }
        for worker in 1..<max(workers, 1) {
            DispatchQueue.global(qos: .userInitiated).async(group: group) { body(worker) }
        }
        body(0)
        group.wait()
        return (0..<max(workers, 1)).map { states[$0] }
    }
}

/// A repository handle given to one other thread, which alone uses it from then on.
private struct UncheckedRepository: @unchecked Sendable {
    let repository: Repository
}

/// One value per worker, each written by its worker only (separate slots, so no lock).
private final class StateSlots<State>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<State?>
    init(count: Int) {
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    subscript(index: Int) -> State {
        get { slots[index]! }
        set { slots[index] = newValue }
    }
}

extension RulesOptions {
    /// The rules a change is judged by: its base's unless --rules-from says otherwise, as GitHub
    /// reads them, so a change cannot loosen its own review. A base without rules requires nobody's
    /// review, as on GitHub; the change may be adding them. Shared by owners and reviewers.
    /// The rules a change is judged by: `--rules` when given, else `judging`'s CODEOWNERS (read
    /// where `judging` reads every rule, the base's unless chosen otherwise).
    func load(for change: ChangeSet, repository: Repository, judging: JudgingRules) throws(GatehouseError) -> OwnershipRules {
        if rules != nil {
            return try load(source: .worktree, repository: repository, config: judging.config, base: nil, head: nil)
        }
        return try judging.ownershipRules(dialect: dialect)
    }
}

func requireRepository(_ repository: Repository?) throws(GatehouseError) -> Repository {
    guard let repository else {
        throw GatehouseError(.notARepository, "not inside a git repository. Run Gatehouse from a clone, or name one with -C PATH.")
    }
    return repository
}
