/// Renders a change set for `gatehouse diff`.
public enum ChangeSetRenderer {
    /// One line per file, like `git diff --name-status` with `--numstat` counts between:
    /// `M<TAB>12<TAB>3<TAB>path`; renames and copies carry git's similarity (`R087`) and end
    /// `old<TAB>new`; binary files show `-` for both counts. A summary line follows.
    public static func text(_ change: ChangeSet) -> String {
        var out = ""
        out.reserveCapacity(change.files.count * 48)
        for file in change.files {
            out += file.status.letter
            if let similarity = file.similarity, file.status == .renamed || file.status == .copied {
                let digits = String(similarity)
                out += String(repeating: "0", count: max(0, 3 - digits.count)) + digits
            }
            out += "\t"
            out += file.isBinary ? "-\t-" : "\(file.addedCount)\t\(file.deletedCount)"
            out += "\t"
            if let oldPath = file.oldPath {
                out += PathQuoting.quote(oldPath)
                out += "\t"
            }
            out += PathQuoting.quote(file.path)
            out += "\n"
        }
        let n = change.files.count
        out += "\(n) file\(n == 1 ? "" : "s") changed, \(change.addedCount) insertion\(change.addedCount == 1 ? "" : "s")(+), "
        out += "\(change.deletedCount) deletion\(change.deletedCount == 1 ? "" : "s")(-)\n"
        return out
    }

    /// The JSON documented in docs/JSON.md (`gatehouse diff --format json`).
    public static func json(_ change: ChangeSet, pretty: Bool = true) -> [UInt8] {
        var w = JSONWriter(pretty: pretty, reserving: 256 + change.files.count * 160)
        w.beginObject()
        w.key("schemaVersion"); w.int(1)
        w.key("range"); w.string(change.mode.rawValue)
        w.key("base"); w.string(change.base)
        w.key("head"); w.string(change.head)
        w.key("mergeBase"); w.string(change.mergeBase)
        w.key("baseSource"); w.string(change.baseSelection.source.rawValue)
        w.key("baseRevision"); w.string(change.baseSelection.revision)
        w.key("baseReason"); w.string(change.baseSelection.reason)
        w.key("files")
        w.beginArray()
        for file in change.files {
            w.beginObject()
            w.path("path", file.path)
            w.path("oldPath", file.oldPath)
            w.key("status"); w.string(file.status.rawValue)
            if let similarity = file.similarity {
                w.key("similarity"); w.int(similarity)
            }
            w.key("binary"); w.bool(file.isBinary)
            w.key("added")
            w.beginArray()
            for range in file.added.ranges { w.range(range) }
            w.endArray()
            w.key("addedCount"); w.int(file.addedCount)
            w.key("deletedCount"); w.int(file.deletedCount)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.document
    }
}
