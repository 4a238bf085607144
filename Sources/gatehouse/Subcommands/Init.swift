import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

/// `gatehouse init`: starter rules for a repository that has none.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write starter rules: rules/gatehouse.yml, a rules/CODEOWNERS skeleton and review checklists.",
        discussion: """
            The checklists' globs fit the languages of the files tracked at HEAD. An existing file is never overwritten: it is skipped and named, and no rules/CODEOWNERS is written when the repository already has a CODEOWNERS file. Every target is checked before anything is written; if a write still fails, the files written so far are removed.
            """)

    @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repositoryPath: String?

    func run() throws {
        let repository = try openRepository(at: repositoryPath)
        guard let root = repository.workdir else {
            throw GatehouseError(.invalidArgument, "this repository is bare; run 'gatehouse init' in a clone with a work tree.")
        }
        // Before the first commit nothing is tracked at HEAD: the starter globs are then generic.
        let tracked = repository.isHeadUnborn ? [] : try repository.trackedFiles(at: "HEAD")
        let languages = StarterLanguage.detect(in: tracked)

        // rules/CODEOWNERS comes first in the search, so writing it would silently replace rules
        // the repository already keeps elsewhere.
        let configuredOwners = (try? loadConfig(for: repository, explicitPath: nil))?.owners.file
        let existingOwners = ([configuredOwners].compactMap { $0 } + CodeownersFile.searchPaths).first { exists(root + $0) }

        // Reports the project's tools already wrote: the gates read those.
        let existingReports = Set(StarterReports.candidates.map(\.path).filter { isRegularFile(root + $0) })
        let reports = StarterReports.choose(languages: languages, existing: existingReports)
        var targets: [StarterFile] = []
        var skipped: [String] = []
        for file in StarterRules.files(trackedFiles: tracked, existingReports: existingReports) {
            try refuseLinkLeavingRepository(file.path, root: root)
            if exists(root + file.path) {
                skipped.append("\(file.path) (it exists; init never overwrites a file)")
            } else if file.path == "rules/CODEOWNERS", let existingOwners {
                skipped.append("\(file.path) (the ownership rules are in \(existingOwners))")
            } else {
                targets.append(file)
            }
        }
        for target in targets { try checkWritable(target.path, root: root) }
        try write(targets, root: root)

        var out = ""
        if languages.isEmpty {
            out += repository.isHeadUnborn
                ? "No commit yet, so no language was detected: the checklists' globs are generic.\n"
                : "No known language among the tracked files: the checklists' globs are generic.\n"
        } else {
            out += "Languages found: \(languages.map(\.name).joined(separator: ", ")).\n"
        }
        for target in targets { out += "Wrote \(target.path)\n" }
        for line in skipped { out += "Skipped \(line)\n" }
        if targets.isEmpty {
            out += "Nothing was written: the starter files exist already.\n"
        } else {
            if targets.contains(where: { $0.path == GatehouseConfig.defaultPath }) { out += "\n" + gatesSummary(reports) }
            out += "\n" + nextSteps(written: targets.map(\.path), base: baseBranch(repository))
        }
        Output.write(out)
    }

    private func nextSteps(written: [String], base: String) -> String {
        var steps: [String] = []
        if written.contains("rules/CODEOWNERS") {
            steps.append("Replace every \(StarterRules.placeholderOwnerPrefix)... owner in rules/CODEOWNERS with a real user or team, then run 'gatehouse rules check' (it warns about any left).")
        }
        if written.contains(where: { $0.hasPrefix(Checklists.defaultFolder + "/") }) {
            steps.append("Read rules/checklists/ and adapt the globs and items to the project; 'gatehouse checklist --base \(base)' shows what a change gets.")
        }
        if written.contains(GatehouseConfig.defaultPath) {
            steps.append("Make your test and lint steps write the reports above, here and in CI (or point rules/gatehouse.yml at the ones they write). Other files your build writes belong in .gitignore: the hook trusts a report only when the work tree holds exactly the pushed commit (coverage data, caches and bytecode aside).")
        }
        steps.append("Turn on the pre-push hook with 'gatehouse hook install', then work as usual: edit, run the tests, commit, push.")
        steps.append("Commit rules/: for a change, Gatehouse reads the ownership rules from its base branch.")
        return "Next steps:\n" + steps.enumerated().map { "  \($0.offset + 1). \($0.element)\n" }.joined()
    }

    /// The branch changes will be measured against, for the advice: as the other commands find a base
    /// (base: in rules/gatehouse.yml, origin's default branch, main, master), else the branch checked
    /// out, which in a new repository is the one its first commit will start.
    private func baseBranch(_ repository: Repository) -> String {
        if let configured = (try? loadConfig(for: repository, explicitPath: nil))?.base?.trimmingCharacters(in: .whitespaces),
           !configured.isEmpty {
            return shellWord(configured)
        }
        let remotePrefix = "ref: refs/remotes/origin/"
        if let data = FileManager.default.contents(atPath: repository.commonDirectory + "refs/remotes/origin/HEAD"),
           let line = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           line.hasPrefix(remotePrefix), line.count > remotePrefix.count {
            return shellWord(String(line.dropFirst(remotePrefix.count)))
        }
        for branch in ["main", "master"] where repository.resolves("refs/heads/" + branch) || repository.resolves("refs/remotes/origin/" + branch) {
            return branch
        }
        if let current = repository.headBranch() { return shellWord(current) }
        // An unborn branch has no reference yet: only HEAD names it.
        let headPrefix = "ref: refs/heads/"
        if let data = FileManager.default.contents(atPath: repository.gitDirectory + "HEAD"),
           let line = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
           line.hasPrefix(headPrefix), line.count > headPrefix.count {
            return shellWord(String(line.dropFirst(headPrefix.count)))
        }
        return "main"
    }

    /// A branch name as a word the shell leaves alone: quoted when it holds anything but the usual characters.
    private func shellWord(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_./+@,:".unicodeScalars.contains($0))
        }
        return plain ? name : "'" + name.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The gates the written configuration turns on, and the report each expects.
    private func gatesSummary(_ reports: StarterReports) -> String {
        func lines(_ entries: [StarterReports.Entry]) -> String {
            entries.map { "    \($0.report)" + ($0.found ? " (found here: \($0.how))\n" : ", written by: \($0.how)\n") }.joined()
        }
        var out = "Gates on in rules/gatehouse.yml (each reads a report your tools write):\n"
        out += "  coverage: at least \(StarterRules.changedLinesMinimum)% of the lines a change adds must run, from\n" + lines(reports.coverage)
        if reports.lint.isEmpty {
            out += "  lint: off (no linter with a report Gatehouse reads was found); see the lint: lines in rules/gatehouse.yml\n"
        } else {
            out += "  lint: an error on a line a change adds fails, from\n" + lines(reports.lint)
        }
        out += "  owners: rules/CODEOWNERS is checked on every change\n"
        return out
    }

    private func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Anything at the path, a dangling symbolic link included.
    private func exists(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)) != nil
    }

    /// Fails when a starter file is a symbolic link that leads out of the repository (a clone
    /// can commit `rules/gatehouse.yml -> ~/.bashrc`): it would be skipped as existing, but the
    /// repository is then not what it seems, and init says so instead (a link inside the
    /// repository is skipped like any existing file).
    private func refuseLinkLeavingRepository(_ path: String, root: String) throws(GatehouseError) {
        var status = stat()
        guard lstat(root + path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK else { return }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: root + path)) ?? "?"
        // A dangling link: where it would lead, by its text.
        let resolved = RepositoryBounds.resolved(root + path)
            ?? (target.hasPrefix("/") ? (target as NSString).standardizingPath
                : RepositoryBounds.resolved(((root + path) as NSString).deletingLastPathComponent)
                    .map { (($0 + "/" + target) as NSString).standardizingPath })
        if let resolved, RepositoryBounds.contains(root: root, resolvedPath: resolved) { return }
        throw GatehouseError(
            .invalidArgument,
            "cannot write \(path): it is a symbolic link to \(InputText.token(target, limit: 200)), outside the repository. "
                + "gatehouse init writes only inside the repository and never through a link; remove the link and run 'gatehouse init' again. Nothing was written.")
    }

    /// Fails before anything is written when a folder on the way is a file, a symbolic link
    /// (init never writes through one: `rules -> /etc` would put the starter files there), or
    /// cannot be written.
    private func checkWritable(_ path: String, root: String) throws(GatehouseError) {
        var folder = root
        for component in path.split(separator: "/").dropLast() {
            // Without a trailing slash, so that a file in the folder's place is found as a file.
            let next = folder + component
            var status = stat()
            guard lstat(next, &status) == 0 else { break }
            if (status.st_mode & S_IFMT) == S_IFLNK {
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: next)) ?? "?"
                let outside = RepositoryBounds.resolved(next).map { !RepositoryBounds.contains(root: root, resolvedPath: $0) } ?? true
                throw GatehouseError(
                    .invalidArgument,
                    "cannot write \(path): \(next.dropFirst(root.count)) is a symbolic link to \(InputText.token(target, limit: 200))"
                        + (outside ? ", outside the repository" : "")
                        + ". gatehouse init never writes through a link; replace it with a folder (or write the starter files by hand) "
                        + "and run 'gatehouse init' again. Nothing was written.")
            }
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw GatehouseError(
                    .invalidArgument,
                    "cannot write \(path): \(next.dropFirst(root.count)) is a file, not a folder. Move it away and run 'gatehouse init' again; nothing was written.")
            }
            folder = next + "/"
        }
        guard FileManager.default.isWritableFile(atPath: folder) else {
            throw GatehouseError(
                .unreadableFile, "cannot write \(path): the folder \(folder) is not writable. Fix its permissions and run 'gatehouse init' again; nothing was written.")
        }
    }

    /// Writes every file or, when one fails, removes those already written and the folders made
    /// for them. Each folder is opened without following a link and each file is created in it
    /// (O_EXCL, O_NOFOLLOW), so a link put in place after the checks is never written through.
    private func write(_ files: [StarterFile], root: String) throws(GatehouseError) {
        var written: [String] = []
        var madeFolders: [String] = []
        for file in files {
            do throws(GatehouseError) {
                try create(file, root: root, madeFolders: &madeFolders)
                written.append(root + file.path)
            } catch {
                for done in written { try? FileManager.default.removeItem(atPath: done) }
                for made in madeFolders.reversed() { try? FileManager.default.removeItem(atPath: made) }
                throw GatehouseError(
                    .unreadableFile, "cannot write \(file.path): \(error.message) Nothing was written; fix the cause and run 'gatehouse init' again.")
            }
        }
    }

    private func create(_ file: StarterFile, root: String, madeFolders: inout [String]) throws(GatehouseError) {
        func failure(_ what: String) -> GatehouseError {
            GatehouseError(.unreadableFile, "\(what): \(String(cString: strerror(errno))).")
        }
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw failure("cannot open the work tree") }
        defer { close(folder) }
        var path = root
        let components = file.path.split(separator: "/").map(String.init)
        for component in components.dropLast() {
            path += component + "/"
            if mkdirat(folder, component, 0o777) == 0 {
                madeFolders.append(path)
            } else if errno != EEXIST {
                throw failure("cannot make the folder \(path.dropFirst(root.count))")
            }
            let next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else { throw failure("cannot open the folder \(path.dropFirst(root.count)) (a link is never followed)") }
            close(folder)
            folder = next
        }
        // A file that appeared since the check is left alone: O_EXCL fails on it, a link included.
        let descriptor = openat(folder, components.last ?? "", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure("cannot create the file") }
        defer { close(descriptor) }
        let bytes = Array(file.contents.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw failure("cannot write the file") }
            offset += count
        }
    }
}
