import Foundation
import Yams

/// Where the rules that judge a change were read from.
///
/// The base judges the change, as GitHub reads CODEOWNERS from the base branch: a pull request
/// that lowers `coverage.changed_lines`, points `owners.file` at a file of its own or deletes a
/// checklist must not pass its own check by doing so.
public enum RulesOrigin: Sendable, Equatable {
    /// The change's base commit.
    case base(commit: String)
    /// The base has no rules (no `rules/` folder and no CODEOWNERS): the change that adopts
    /// Gatehouse is judged by its own, since there is nothing it could weaken.
    case adoption(base: String?)
    /// Chosen for a local experiment (`--rules-from worktree`, `--rules-from head`, `--config`):
    /// the words say which.
    case chosen(String)
}

/// One setting that a change edits in `rules/gatehouse.yml`.
public struct SettingChange: Sendable, Hashable {
    /// The dotted key, `coverage.changed_lines`, `coverage.areas[0].min`.
    public var key: String
    public var from: String?
    public var to: String?

    public init(key: String, from: String?, to: String?) {
        self.key = key
        self.from = from
        self.to = to
    }

    /// "lowers coverage.changed_lines from 90 to 0", "sets owners.file to rules/MINE".
    public var description: String {
        switch (from, to) {
        case let (from?, to?):
            if let old = Double(from), let new = Double(to), old != new {
                return "\(new < old ? "lowers" : "raises") \(key) from \(from) to \(to)"
            }
            return "changes \(key) from \(from) to \(to)"
        case let (nil, to?): return "sets \(key) to \(to)"
        case let (from?, nil): return "removes \(key) (was \(from))"
        case (nil, nil): return "changes \(key)"
        }
    }
}

/// What a change does to the rules that judge it, for the `rules.changes` gate.
public enum RulesChanges {
    /// Whether `path` is one of the files that judge changes: the configuration, teams,
    /// checklists, and CODEOWNERS wherever it is searched for or configured.
    public static func isRulesFile(_ path: RepoPath, ownersFile: String?) -> Bool {
        let text = path.string
        if text == GatehouseConfig.defaultPath || text == TeamsConfig.defaultPath { return true }
        if text.hasPrefix(Checklists.defaultFolder + "/"), text.hasSuffix(".md"), !text.dropFirst(Checklists.defaultFolder.count + 1).contains("/") {
            return true
        }
        return text == ownersFile || CodeownersFile.searchPaths.contains(text)
    }

    /// At most this many settings are compared and listed: the file is input like any other.
    static let settingLimit = 200
    /// Values are shown up to this many characters.
    static let valueLimit = 80

    /// The settings that differ between two versions of `rules/gatehouse.yml` (nil: no such
    /// file), key by key in the order the head writes them, then the keys it removes. A version
    /// that does not parse contributes no settings (the caller reports the error).
    public static func settingChanges(base: [UInt8]?, head: [UInt8]?) -> [SettingChange] {
        let old = flatten(base)
        let new = flatten(head)
        let oldValues = Dictionary(old, uniquingKeysWith: { first, _ in first })
        let newValues = Dictionary(new, uniquingKeysWith: { first, _ in first })
        var changes: [SettingChange] = []
        for (key, value) in new where oldValues[key] != value {
            changes.append(SettingChange(key: key, from: oldValues[key], to: value))
        }
        for (key, value) in old where newValues[key] == nil {
            changes.append(SettingChange(key: key, from: value, to: nil))
        }
        return Array(changes.prefix(settingLimit))
    }

    /// The `rules.changes` gate: nil when the change edits no rules file. It warns (the edits
    /// take effect once merged, and the rules' owners review them); it fails when an edited
    /// rules file would not parse, since the checks that read it would stop once it is merged.
    ///
    /// - `edited`: the change's files that are rules files, with their status.
    /// - `settings`: what the configuration edit changes.
    /// - `headErrors`: each edited rules file (configuration, teams, checklist) that does not
    ///   parse as the change leaves it, with why.
    /// - `owners`: each edited file's owners in the base's CODEOWNERS (empty: nobody's).
    /// - `appliesNow`: the change is judged by its own rules (adoption, or chosen for an
    ///   experiment), so the edits already apply to this run.
    public static func gate(
        edited: [ChangedFile], settings: [SettingChange], headErrors: [(path: String, error: GatehouseError)],
        owners: [RepoPath: [String]], appliesNow: Bool
    ) -> GateResult? {
        guard !edited.isEmpty else { return nil }
        var details: [String] = []
        for (path, error) in headErrors {
            details.append("\(path) as this change leaves it does not parse: \(error.description)")
        }
        let configBroken = headErrors.contains { $0.path == GatehouseConfig.defaultPath }
        details += settings.map { "\(GatehouseConfig.defaultPath): this change \($0.description)" }
        for file in edited where file.path.string != GatehouseConfig.defaultPath || file.status == .deleted || settings.isEmpty && !configBroken {
            let what = file.status == .deleted ? "deletes" : file.status == .added ? "adds" : "edits"
            details.append("this change \(what) \(PathQuoting.quote(file.path)) (+\(file.addedCount) -\(file.deletedCount))")
        }
        var unowned: [RepoPath] = []
        var owning: [String] = []
        for file in edited {
            let found = owners[file.path] ?? []
            if found.isEmpty { unowned.append(file.path) }
            for owner in found where !owning.contains(owner) { owning.append(owner) }
        }
        if !owning.isEmpty {
            details.append("the rules' owners must review this: \(owning.joined(separator: ", "))")
        }
        if !unowned.isEmpty {
            details.append(
                "the base gives \(unowned.prefix(3).map { PathQuoting.quote($0) }.joined(separator: ", "))\(unowned.count > 3 ? " and \(unowned.count - 3) more" : "") "
                    + "no code owner, so anyone may approve changes to the rules: add a rule such as "
                    + "'/\(unowned[0].string.hasPrefix("rules/") ? "rules/" : unowned[0].string) @your-team'")
        }
        let when = appliesNow ? "they already apply to this run" : "they take effect once it is merged; the base's rules judge this change"
        let count = edited.count
        let message = configBroken
            ? "this change leaves \(GatehouseConfig.defaultPath) unreadable, so every check would stop once it is merged."
            : !headErrors.isEmpty
            ? "this change leaves \(headErrors.map(\.path).joined(separator: ", ")) unreadable, so what reads \(headErrors.count == 1 ? "it" : "them") would stop once it is merged."
            : "this change edits \(count) of the rules that judge changes; \(when)."
        return GateResult(id: .rulesChanges, status: headErrors.isEmpty ? .warn : .fail, message: message, notes: details)
    }

    /// The `rules.source` note when the rules are not the base's: nil for the base.
    public static func sourceGate(_ origin: RulesOrigin) -> GateResult? {
        switch origin {
        case .base:
            return nil
        case .adoption(let base):
            let at = base.map { " (\($0.prefix(12)))" } ?? ""
            return GateResult(
                id: .rulesSource, status: .warn,
                message: "the base\(at) has no rules yet, so this change, which adopts Gatehouse, is judged by its own rules; later changes are judged by the base's.")
        case .chosen(let words):
            return GateResult(
                id: .rulesSource, status: .warn,
                message: "judged by \(words): a local experiment. CI and the pre-push hook judge with the base's rules.")
        }
    }

    /// `key -> value` for every scalar or list of scalars in a configuration, keys dotted, in
    /// document order; bounded in the number of nodes visited (aliases can make a small file a
    /// large graph) and in the length of each value.
    static func flatten(_ bytes: [UInt8]?) -> [(String, String)] {
        guard let bytes, var text = String(bytes: bytes, encoding: .utf8) else { return [] }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let root = try? YAMLDocument.compose(text, file: GatehouseConfig.defaultPath, kind: .invalidConfig) else { return [] }
        var out: [(String, String)] = []
        var budget = 10_000
        func shown(_ value: String) -> String {
            let line = TextEscaping.line(value)
            return line.count > valueLimit ? String(line.prefix(valueLimit)) + "…" : line
        }
        func scalarList(_ node: Node) -> String? {
            guard let sequence = node.sequence else { return nil }
            var items: [String] = []
            for item in sequence {
                budget -= 1
                guard budget > 0, let scalar = item.scalar?.string else { return nil }
                items.append(scalar)
            }
            return "[" + items.joined(separator: ", ") + "]"
        }
        func visit(_ node: Node, _ key: String) {
            budget -= 1
            guard budget > 0, out.count < settingLimit * 2 else { return }
            switch node {
            case .scalar(let scalar):
                out.append((key, shown(scalar.string)))
            case .mapping(let mapping):
                for (name, value) in mapping {
                    let part = shown(name.scalar?.string ?? "?")
                    visit(value, key.isEmpty ? part : key + "." + part)
                }
            case .sequence(let sequence):
                if let list = scalarList(node) {
                    out.append((key, shown(list)))
                } else {
                    for (index, item) in sequence.enumerated() { visit(item, "\(key)[\(index)]") }
                }
            default:
                out.append((key, "(alias)"))
            }
        }
        visit(root, "")
        return out
    }
}
