import Foundation
import Yams

/// The project's settings, from `rules/gatehouse.yml`.
///
/// Later gates add their sections here; every key is validated strictly so that a typo
/// is an error at its line rather than a setting that silently does nothing.
public struct GatehouseConfig: Sendable, Hashable {
    /// The branch or revision changes are measured against when nothing more specific is known.
    public var base: String?
    public var owners: OwnersSettings
    public var coverage: CoverageSettings
    public var lint: LintSettings
    public var size: SizeSettings
    public var hook: HookSettings
    /// What a configured report that does not exist does to the verdict.
    public var missingReport: MissingReport
    /// The file these settings came from, when there was one.
    public var file: String?

    public enum MissingReport: String, Sendable, Hashable, CaseIterable {
        case fail, warn
    }

    public init(
        base: String? = nil, owners: OwnersSettings = OwnersSettings(), coverage: CoverageSettings = CoverageSettings(),
        lint: LintSettings = LintSettings(), size: SizeSettings = SizeSettings(), hook: HookSettings = HookSettings(),
        missingReport: MissingReport = .fail, file: String? = nil
    ) {
        self.base = base
        self.owners = owners
        self.coverage = coverage
        self.lint = lint
        self.size = size
        self.hook = hook
        self.missingReport = missingReport
        self.file = file
    }

    /// `owners:`: where the CODEOWNERS file is and how to read it.
    public struct OwnersSettings: Sendable, Hashable {
        /// Overrides the search for a CODEOWNERS file (path from the repository root).
        public var file: String?
        /// Overrides dialect detection.
        public var dialect: OwnershipDialect?
        /// Makes an unowned tracked file an error in `rules check`.
        public var requireAll: Bool

        public init(file: String? = nil, dialect: OwnershipDialect? = nil, requireAll: Bool = false) {
            self.file = file
            self.dialect = dialect
            self.requireAll = requireAll
        }
    }

    public static let defaultPath = "rules/gatehouse.yml"

    /// Why `base` names wherever the work is rather than a branch (HEAD, `@`, `HEAD~2`, a reflog
    /// entry), or nil.
    static func followsTheCheckout(_ base: String) -> String? {
        let trimmed = base.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "is empty" }
        let upper = trimmed.uppercased()
        for name in ["HEAD", "@", "FETCH_HEAD", "ORIG_HEAD", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REBASE_HEAD"] {
            if upper == name || trimmed.hasPrefix(name + "~") || trimmed.hasPrefix(name + "^") || trimmed.hasPrefix(name + "@{") {
                return "names the checked-out commit (or one relative to it)"
            }
        }
        if trimmed.contains("@{") { return "names a reflog entry, which follows the checkout" }
        return nil
    }
    static let topLevelKeys = ["base", OwnersSettings.key, CoverageSettings.key, LintSettings.key, SizeSettings.key, "hook", "missing_report"]

    /// Reads and validates a configuration file.
    public static func load(path: String, displayPath: String? = nil) throws(GatehouseError) -> GatehouseConfig {
        let shown = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatehouseError(
                .unreadableFile,
                "cannot read the configuration file \(shown). Check the path given to --config, or create the file (see docs/CONFIG.md).",
                at: SourceLocation(file: shown))
        }
        return try parse(data, file: shown)
    }

    public static func parse(_ data: Data, file: String) throws(GatehouseError) -> GatehouseConfig {
        guard var text = String(data: data, encoding: .utf8) else {
            throw GatehouseError(.invalidConfig, "the file is not UTF-8 text; save it as UTF-8.", at: SourceLocation(file: file))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var config = GatehouseConfig(file: file)
        // An empty file, or a document that is only "---" and comments, sets nothing.
        guard let root = try YAMLDocument.compose(text, file: file, kind: .invalidConfig) else { return config }
        let map = try ConfigMap(root, path: "", file: file)
        try map.rejectUnknownKeys(topLevelKeys)
        config.base = try map.string("base")
        if let base = config.base, let why = followsTheCheckout(base) {
            throw GatehouseError(
                .invalidConfig,
                "'base: \(base)' \(why), so every change would be measured against itself and be empty. "
                    + "Name the branch changes merge into, such as main or origin/main.",
                at: map.location(of: "base"))
        }
        // Each gate's settings are read by the gate's own folder (Gates/<gate>/…Settings.swift).
        if let owners = try map.map(OwnersSettings.key) { config.owners = try OwnersSettings.parse(owners) }
        if let coverage = try map.map(CoverageSettings.key) { config.coverage = try CoverageSettings.parse(coverage) }
        if let lint = try map.map(LintSettings.key) { config.lint = try LintSettings.parse(lint) }
        if let size = try map.map(SizeSettings.key) { config.size = try SizeSettings.parse(size) }
        if let hook = try map.map("hook") {
            try hook.rejectUnknownKeys(["gates", "checklist", "reviewers", "stale"])
            if let gates = try hook.strings("gates") {
                config.hook.gates = try gates.map { name throws(GatehouseError) in
                    guard let group = GateGroup(rawValue: name) else {
                        throw GatehouseError(
                            .invalidConfig, "'hook.gates' lists '\(name)'; the gates are \(GateGroup.allCases.map(\.rawValue).joined(separator: ", ")).",
                            at: hook.location(of: "gates"))
                    }
                    return group
                }
            }
            config.hook.checklist = try hook.bool("checklist") ?? true
            config.hook.reviewers = try hook.bool("reviewers") ?? true
            if let policy = try hook.choice("stale", HookSettings.StalePolicy.self) { config.hook.stale = policy }
        }
        if let choice = try map.choice("missing_report", MissingReport.self) { config.missingReport = choice }
        return config
    }


    /// 1-based line and column of a byte offset, columns counted in characters as libyaml does.
    static func lineAndColumn(ofUTF8Offset offset: Int, in text: String) -> (Int?, Int?) {
        var line = 1
        var lineStart = text.utf8.startIndex
        var index = text.utf8.startIndex
        var consumed = 0
        while index < text.utf8.endIndex, consumed < offset {
            if text.utf8[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = text.utf8.index(after: index)
            }
            index = text.utf8.index(after: index)
            consumed += 1
        }
        let column = (String(text.utf8[lineStart..<index]) ?? "").unicodeScalars.count + 1
        return (line, column)
    }
}

/// A YAML mapping being validated, with enough context to name the file, line and key in errors.
struct ConfigMap {
    let node: Node
    let mapping: Node.Mapping
    let path: String
    let file: String

    init(_ node: Node, path: String, file: String) throws(GatehouseError) {
        guard let mapping = node.mapping else {
            throw GatehouseError(
                .invalidConfig,
                "\(path.isEmpty ? "the file" : "'\(path)'") must be a mapping of keys to values, found \(node.kindName).",
                at: node.location(in: file))
        }
        self.node = node
        self.mapping = mapping
        self.path = path
        self.file = file
    }

    func rejectUnknownKeys(_ known: [String]) throws(GatehouseError) {
        for (key, _) in mapping {
            guard let name = key.string, known.contains(name) else {
                let place = path.isEmpty ? "at the top level" : "under '\(path)'"
                throw GatehouseError(
                    .invalidConfig,
                    "unknown key \(key.keyInMessage) \(place). Known keys: \(known.joined(separator: ", ")) (see docs/CONFIG.md).",
                    at: key.location(in: file))
            }
        }
    }

    func string(_ key: String) throws(GatehouseError) -> String? {
        guard let value = mapping[key], !value.isNull else { return nil }  // `key: ~` leaves it unset
        guard case .scalar(let scalar) = value else {
            throw GatehouseError(
                .invalidConfig, "'\(qualified(key))' must be a string, found \(value.kindName).",
                at: value.location(in: file))
        }
        return scalar.string
    }

    func bool(_ key: String) throws(GatehouseError) -> Bool? {
        guard let value = mapping[key], !value.isNull else { return nil }
        guard case .scalar = value, let bool = value.bool else {
            throw GatehouseError(
                .invalidConfig, "'\(qualified(key))' must be true or false, found \(value.valueInMessage).",
                at: value.location(in: file))
        }
        return bool
    }

    /// A list of strings (a single string counts as a list of one).
    func strings(_ key: String) throws(GatehouseError) -> [String]? {
        guard let value = mapping[key] else { return nil }
        return try strings(key, value: value)
    }

    /// `strings(key)` for the value already in hand: while iterating the mapping, a lookup by
    /// key would search it again (Yams searches a mapping in order), which is quadratic.
    func strings(_ key: String, value: Node) throws(GatehouseError) -> [String]? {
        guard !value.isNull else { return nil }
        if case .scalar(let scalar) = value { return [scalar.string] }
        guard case .sequence(let sequence) = value else {
            throw GatehouseError(.invalidConfig, "'\(qualified(key))' must be a list of strings, found \(value.kindName).", at: value.location(in: file))
        }
        var result: [String] = []
        for item in sequence {
            guard case .scalar(let scalar) = item else {
                throw GatehouseError(.invalidConfig, "each item of '\(qualified(key))' must be a string, found \(item.kindName).", at: item.location(in: file))
            }
            result.append(scalar.string)
        }
        return result
    }

    /// A list of mappings, each validated in its turn.
    func maps(_ key: String) throws(GatehouseError) -> [ConfigMap]? {
        guard let value = mapping[key], !value.isNull else { return nil }
        guard case .sequence(let sequence) = value else {
            throw GatehouseError(.invalidConfig, "'\(qualified(key))' must be a list, found \(value.kindName).", at: value.location(in: file))
        }
        var result: [ConfigMap] = []
        for (index, item) in sequence.enumerated() {
            result.append(try ConfigMap(item, path: "\(qualified(key))[\(index)]", file: file))
        }
        return result
    }

    /// A percentage from 0 to 100 (`90`, `87.5`, or `"90%"`).
    func percent(_ key: String) throws(GatehouseError) -> Double? {
        guard let value = mapping[key], !value.isNull else { return nil }
        var text = value.string ?? ""
        if text.hasSuffix("%") { text.removeLast() }
        guard case .scalar = value, let number = Double(text.trimmingCharacters(in: .whitespaces)), number >= 0, number <= 100 else {
            throw GatehouseError(
                .invalidConfig, "'\(qualified(key))' must be a percentage from 0 to 100, found \(value.valueInMessage).",
                at: value.location(in: file))
        }
        return number
    }

    /// A nested mapping, validated in its turn.
    func map(_ key: String) throws(GatehouseError) -> ConfigMap? {
        guard let value = mapping[key], !value.isNull else { return nil }
        return try ConfigMap(value, path: qualified(key), file: file)
    }

    func location(of key: String) -> SourceLocation {
        (mapping[key] ?? node).location(in: file)
    }

    private func qualified(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// One of a fixed set of words: the error lists them from the type, so it never falls
    /// behind a new case.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(GatehouseError) -> T? where T.RawValue == String {
        guard let value = try string(key) else { return nil }
        guard let choice = T(rawValue: value) else {
            let names = T.allCases.map(\.rawValue)
            let list = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names[names.count - 1] : names.joined()
            throw GatehouseError(.invalidConfig, "'\(qualified(key))' must be \(list), found '\(InputText.token(value))'.", at: location(of: key))
        }
        return choice
    }
}

extension Node {
    /// `~`, `null` or nothing, as YAML resolves them (a quoted "null" stays a string).
    var isNull: Bool {
        if case .scalar = self { return null != nil }
        return false
    }

    var kindName: String {
        switch self {
        case .scalar: "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line, column: mark?.column)
    }
}
