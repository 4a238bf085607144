import Foundation

/// Finding the checklists a change needs.
public enum Checklists {
    /// Where checklists live, from the top of the work tree.
    public static let defaultFolder = "rules/checklists"

    /// The checklists that apply to `change`, from `rules/checklists/` under the work tree `root`,
    /// deduplicated; empty when the folder does not exist.
    public static func applicable(to change: ChangeSet, workTree root: String) throws(GatehouseError) -> [AppliedChecklist] {
        let folder = (root.hasSuffix("/") ? root : root + "/") + defaultFolder
        return applicable(try load(folder: folder, displayFolder: defaultFolder) ?? [], to: change.files)
    }

    /// Every `*.md` file of `folder`, in file-name order, each parsed; nil when there is no such
    /// folder. `displayFolder` is how messages name the folder.
    public static func load(folder: String, displayFolder: String) throws(GatehouseError) -> [Checklist]? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else {
            throw GatehouseError(
                .invalidRules, "\(displayFolder) is a file, not a folder of checklists; name a folder that holds *.md checklists.",
                at: SourceLocation(file: displayFolder))
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw GatehouseError(.unreadableFile, "cannot list \(displayFolder): \(error.localizedDescription). Check its permissions.",
                                 at: SourceLocation(file: displayFolder))
        }
        var files: [(name: String, bytes: [UInt8])] = []
        for name in names.filter({ $0.hasSuffix(".md") }) {
            let path = folder + "/" + name
            let shown = displayFolder + "/" + name
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: path) else {
                throw GatehouseError(.unreadableFile, "cannot read the checklist \(shown). Check its permissions.", at: SourceLocation(file: shown))
            }
            files.append((name, Array(data)))
        }
        return try parse(files: files, displayFolder: displayFolder)
    }

    /// The checklists of a folder's `*.md` files, given as names and bytes (from the work tree or
    /// a commit), parsed in file-name order.
    public static func parse(files: [(name: String, bytes: [UInt8])], displayFolder: String) throws(GatehouseError) -> [Checklist] {
        var checklists: [Checklist] = []
        // Byte order, so the order (and so which checklist shows a shared item) is the same everywhere.
        for file in files.filter({ $0.name.hasSuffix(".md") }).sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            checklists.append(try ChecklistParser.parse(file.bytes, file: displayFolder + "/" + file.name))
        }
        return checklists
    }

    /// The checklists that `files` trigger, each with the files that triggered it: required ones
    /// first, otherwise in the order given. An item shown by an earlier checklist is not shown again.
    public static func applicable(_ checklists: [Checklist], to files: [ChangedFile]) -> [AppliedChecklist] {
        var applied: [AppliedChecklist] = []
        var shown = Set<String>()
        var scratch = OwnershipMatcher.Scratch()
        // What must be ticked comes first, and keeps the items it shares with optional checklists.
        for checklist in checklists.filter(\.isRequired) + checklists.filter({ !$0.isRequired }) {
            let paths = OwnershipMatcher(patterns: checklist.paths, dialect: .github)
            let exclude = OwnershipMatcher(patterns: checklist.exclude, dialect: .github)
            func counts(_ path: RepoPath) -> Bool {
                !paths.matches(path, scratch: &scratch).isEmpty && exclude.matches(path, scratch: &scratch).isEmpty
            }
            // A rename or copy touches both places: leaving an area can matter as much as entering it.
            let triggering = files.filter { file in
                (checklist.statuses?.contains(file.status) ?? true) && (counts(file.path) || file.oldPath.map(counts) == true)
            }
            guard !triggering.isEmpty else { continue }
            applied.append(AppliedChecklist(checklist: checklist, files: triggering, items: unseen(checklist.items, &shown)))
        }
        return applied
    }

    /// The items whose text is not in `shown` (which they join), each moved up one level for
    /// every ancestor left out.
    static func unseen(_ items: [ChecklistItem], _ shown: inout Set<String>) -> [ChecklistItem] {
        var kept: [ChecklistItem] = []
        var ancestors: [(depth: Int, kept: Bool)] = []
        for item in items {
            while let last = ancestors.last, last.depth >= item.depth { ancestors.removeLast() }
            let isNew = shown.insert(item.key).inserted
            if isNew {
                var shownItem = item
                shownItem.depth = ancestors.filter(\.kept).count
                kept.append(shownItem)
            }
            ancestors.append((item.depth, isNew))
        }
        return kept
    }
}
