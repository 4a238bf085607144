import CLibGit2
import Foundation
import GatehouseCore

extension Repository {
    /// Reads the change that `request` selects: resolves base and head, finds the merge
    /// base for three-dot ranges, and diffs with zero context so that every added line
    /// is known by its number in the new file.
    public func readChange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        switch request.mode {
        case .staged, .worktree:
            return try readLocalChange(request)
        case .threeDot, .twoDot:
            return try readRange(request)
        }
    }

    private func readRange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        let head = try resolveCommit(request.head, role: "--head")
        let (base, selection) = try selectBase(request)
        let from: git_oid
        if request.mode == .threeDot {
            from = try mergeBase(base, head, baseName: selection.revision, headName: request.head)
        } else {
            from = base
        }
        let oldTree = try commitTree(from)
        let newTree = try commitTree(head)
        let policy = try textDiffPolicy(algorithm: request.diffAlgorithm, indentHeuristic: request.indentHeuristic)
        let files = try diffTrees(old: oldTree, new: newTree, detectRenames: request.detectRenames, policy: policy)
        return ChangeSet(
            mode: request.mode, base: base.hex, head: head.hex, mergeBase: from.hex,
            baseSelection: selection, files: files)
    }

    private func readLocalChange(_ request: ChangeRequest) throws(GatehouseError) -> ChangeSet {
        if workdir == nil, request.mode == .worktree {
            throw GatehouseError(.invalidArgument, "--worktree needs a work tree, and this repository is bare. Name a range with --base instead.")
        }
        // Staged work in a repository without commits is compared with the empty tree, as git does.
        var headID: git_oid?
        var headTree: Tree?
        if !isHeadUnborn {
            let id = try resolveCommit("HEAD", role: "HEAD")
            headID = id
            headTree = try commitTree(id)
        }
        let treeHandle = headTree?.handle
        let mode = request.mode
        let policy = try textDiffPolicy(algorithm: request.diffAlgorithm, indentHeuristic: request.indentHeuristic)
        let files = try diffFiles(detectRenames: request.detectRenames, policy: policy, conflictsFromWorkTree: mode == .worktree, headTree: treeHandle) { diff, options in
            mode == .staged
                ? git_diff_tree_to_index(&diff, handle, treeHandle, nil, options)
                : git_diff_tree_to_workdir_with_index(&diff, handle, treeHandle, options)
        }
        let selection = BaseSelection(
            source: .head, revision: "HEAD",
            reason: mode == .staged ? "--staged compares the index with HEAD" : "--worktree compares the work tree with HEAD")
        return ChangeSet(
            mode: mode, base: headID?.hex, head: nil, mergeBase: headID?.hex, baseSelection: selection, files: files)
    }

    /// Picks the base: `--base` when given, else the first candidate that resolves.
    func selectBase(_ request: ChangeRequest) throws(GatehouseError) -> (git_oid, BaseSelection) {
        if let base = request.base {
            let id = try resolveCommit(base, role: "--base")
            return (id, BaseSelection(source: .option, revision: base, reason: "--base \(base)"))
        }
        for candidate in request.baseCandidates {
            for revision in candidate.revisions where resolves(revision) {
                let id = try resolveCommit(revision, role: "base")
                return (id, BaseSelection(source: candidate.source, revision: revision, reason: candidate.reason))
            }
            if candidate.isExplicit {
                throw GatehouseError(
                    .unknownRevision,
                    "the base comes from \(candidate.reason), but \(candidate.revisions.map { "'\($0)'" }.joined(separator: " and ")) "
                        + "\(candidate.revisions.count == 1 ? "does" : "do") not name a commit here. Fetch it "
                        + "(in GitHub Actions: fetch-depth: 0 on actions/checkout; in GitLab CI: GIT_DEPTH: 0; elsewhere: git fetch origin), or pass --base.")
            }
        }
        if isHeadUnborn { throw noCommitsError() }
        throw GatehouseError(
            .noBase,
            "no base to compare with: no --base, no CI variable, no 'base:' in rules/gatehouse.yml, no origin/HEAD, and no main or master branch. "
                + "Pass --base BRANCH, or set base: in rules/gatehouse.yml.")
    }
}
