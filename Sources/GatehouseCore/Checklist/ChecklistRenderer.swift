/// The applicable checklists as a GitHub task list, as text, or as JSON.
public enum ChecklistRenderer {
    /// A task list for a pull-request description or comment: one section per checklist, naming
    /// the files that triggered it. Empty when no checklist applies.
    public static func markdown(_ checklists: [AppliedChecklist]) -> String {
        guard !checklists.isEmpty else { return "" }
        var out = "## Review checklist\n"
        for applied in checklists {
            out += "\n### \(applied.checklist.title)\(applied.checklist.isRequired ? " (required)" : "")\n\n"
            out += "Applies to \(triggers(applied.files) { VerdictRenderer.code($0.string, inTable: false) }).\n\n"
            if applied.items.isEmpty { out += "Every item is listed above.\n" }
            for item in applied.items {
                let indent = String(repeating: "  ", count: item.depth)
                out += "\(indent)- [ ] \(item.text)\n"
                for line in item.explanation {
                    out += line.isEmpty ? "\n" : "\(indent)  \(line)\n"
                }
            }
        }
        return out
    }

    /// For a terminal: each checklist's title and file, its triggers, then its items.
    public static func text(_ checklists: [AppliedChecklist]) -> String {
        var out = ""
        for (index, applied) in checklists.enumerated() {
            if index > 0 { out += "\n" }
            out += "\(applied.checklist.title) (\(applied.checklist.isRequired ? "required, " : "")\(applied.checklist.file))\n"
            out += "  applies to \(triggers(applied.files) { PathQuoting.quote($0) })\n"
            if applied.items.isEmpty { out += "  every item is listed above\n" }
            for item in applied.items {
                let indent = "  " + String(repeating: "  ", count: item.depth)
                out += "\(indent)[ ] \(item.text)\n"
                for line in item.explanation where !line.isEmpty {
                    out += "\(indent)    \(line)\n"
                }
            }
        }
        return out
    }

    /// `docs/schemas/checklist.schema.json`. `folder` is where checklists were read from and
    /// `available` how many it holds (0 when it does not exist).
    public static func json(_ checklists: [AppliedChecklist], folder: String, available: Int) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("folder"); w.string(folder)
        w.key("available"); w.int(available)
        w.key("checklists")
        w.beginArray()
        for applied in checklists {
            w.beginObject()
            w.key("file"); w.string(applied.checklist.file)
            w.key("title"); w.string(applied.checklist.title)
            w.key("required"); w.bool(applied.checklist.isRequired)
            w.key("files")
            w.beginArray()
            for file in applied.files {
                w.beginObject()
                w.path("path", file.path)
                if let old = file.oldPath { w.path("oldPath", old) }
                w.key("status"); w.string(file.status.rawValue)
                w.endObject()
            }
            w.endArray()
            w.key("items")
            w.beginArray()
            for item in applied.items {
                w.beginObject()
                w.key("text"); w.string(item.text)
                w.key("depth"); w.int(item.depth)
                w.key("line"); w.int(item.line)
                w.key("explanation")
                w.beginArray()
                for line in item.explanation { w.string(line) }
                w.endArray()
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.document
    }


    /// "a.ts", "a.ts and b.ts", "a.ts and 3 more".
    static func triggers(_ files: [ChangedFile], _ show: (RepoPath) -> String) -> String {
        guard let first = files.first else { return "no file" }
        switch files.count {
        case 1: return show(first.path)
        case 2: return "\(show(first.path)) and \(show(files[1].path))"
        default: return "\(show(first.path)) and \(files.count - 1) more"
        }
    }
}
