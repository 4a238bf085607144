import Foundation

/// Finds and parses the rules file from some source: the work tree or a revision's tree.
public enum RulesLocator {
    /// Reads the configured file, or the first of `CodeownersFile.searchPaths` that exists.
    /// `read` returns a file's bytes, or nil when there is no such file.
    /// With `missingMeansNone`, a source without any rules file gives an empty rules file (as
    /// GitHub reads a base branch that has no CODEOWNERS: nobody's review is required) instead
    /// of an error.
    public static func load(
        configuredFile: String?, dialect configured: OwnershipDialect?,
        source: String, missingMeansNone: Bool = false, read: (String) throws(GatehouseError) -> [UInt8]?
    ) throws(GatehouseError) -> CodeownersFile {
        try loadRules(configuredFile: configuredFile, dialect: configured, source: source, missingMeansNone: missingMeansNone, read: read).file
    }

    /// As `load`, compiled for matching. The same bytes are parsed and compiled once per
    /// process: `check` and the pre-push hook read one CODEOWNERS for the gate and again for the
    /// reviewers, and 10,000 rules cost tens of milliseconds each time.
    public static func loadRules(
        configuredFile: String?, dialect configured: OwnershipDialect?,
        source: String, missingMeansNone: Bool = false, read: (String) throws(GatehouseError) -> [UInt8]?
    ) throws(GatehouseError) -> OwnershipRules {
        try loadRulesWithSource(
            configuredFile: configuredFile, dialect: configured, source: source, missingMeansNone: missingMeansNone, read: read).rules
    }

    /// As `loadRules`, with the bytes the rules were parsed from (nil when no file was found):
    /// `rules check` and the ownership gate point into them (a placeholder owner's own column)
    /// and compare them with the base's.
    public static func loadRulesWithSource(
        configuredFile: String?, dialect configured: OwnershipDialect?,
        source: String, missingMeansNone: Bool = false, read: (String) throws(GatehouseError) -> [UInt8]?
    ) throws(GatehouseError) -> (rules: OwnershipRules, source: [UInt8]?) {
        for path in candidates(configuredFile: configuredFile) {
            guard let bytes = try read(path) else { continue }
            return (try RulesMemo.rules(bytes, path: path, dialect: dialect(ofFileAt: path, configured: configured)), bytes)
        }
        if missingMeansNone {
            return (OwnershipRules(CodeownersFile(
                path: configuredFile ?? "CODEOWNERS", dialect: configured ?? .fallback, sections: [OwnershipSection(name: nil)],
                rules: [], problems: [], byteCount: 0)), nil)
        }
        if let configuredFile {
            throw GatehouseError(
                .invalidRules,
                "owners.file names \(configuredFile), which does not exist in \(source). Fix owners.file in rules/gatehouse.yml, or create the file.")
        }
        throw GatehouseError(
            .noRules,
            "no CODEOWNERS file in \(source): looked for \(CodeownersFile.searchPaths.joined(separator: ", ")). "
                + "Create rules/CODEOWNERS (gatehouse init writes a starter), or name one with --rules.")
    }

    /// The rules of a file named outside the repository's places (`--rules`), from its bytes.
    /// Its path may be anywhere, so a vendor's folder anywhere in it implies the dialect.
    public static func rules(
        _ bytes: [UInt8], namedFile path: String, dialect configured: OwnershipDialect?
    ) throws(GatehouseError) -> OwnershipRules {
        try RulesMemo.rules(bytes, path: path, dialect: configured ?? OwnershipDialect.implied(byPath: path, anywhere: true))
    }

    /// Where the rules file may be, in order: the configured file, else every search path.
    public static func candidates(configuredFile: String?) -> [String] {
        configuredFile.map { [$0] } ?? CodeownersFile.searchPaths
    }

    /// The dialect to read the file at `path` (from the repository's top) in: the configured
    /// one, else the one its place implies (a vendor's own folder), else nil for the parser to
    /// detect from its lines.
    public static func dialect(ofFileAt path: String, configured: OwnershipDialect?) -> OwnershipDialect? {
        configured ?? OwnershipDialect.implied(byPath: path)
    }
}

/// Compiled rules by the file's path, dialect and exact bytes, for the life of the process.
///
/// Thread-safe, and a second caller asking for rules being compiled waits for them rather than
/// compiling them again: a command may start compiling the work tree's rules in the background
/// (`prefetch`) while it reads the change, and take them when a gate needs them.
public enum RulesMemo {
    private struct Key: Hashable {
        var path: String
        var dialect: OwnershipDialect?
        var bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(path)
            hasher.combine(dialect)
            // Whole, not byte by byte: a large CODEOWNERS is hashed on every lookup.
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    private enum Entry {
        case compiling
        case done(Result<OwnershipRules, GatehouseError>)
    }

    private static let condition = NSCondition()
    nonisolated(unsafe) private static var entries: [Key: Entry] = [:]

    public static func rules(_ bytes: [UInt8], path: String, dialect: OwnershipDialect?) throws(GatehouseError) -> OwnershipRules {
        let key = Key(path: path, dialect: dialect, bytes: bytes)
        condition.lock()
        while true {
            switch entries[key] {
            case .done(let result)?:
                condition.unlock()
                return try result.get()
            case .compiling?:
                condition.wait()
            case nil:
                // A process reads a few revisions' rules at most; keep memory bounded all the same.
                if entries.count >= 8 { entries = entries.filter { if case .compiling = $0.value { true } else { false } } }
                entries[key] = .compiling
                condition.unlock()
                let result: Result<OwnershipRules, GatehouseError>
                do throws(GatehouseError) {
                    result = .success(OwnershipRules(try CodeownersParser.parse(bytes, path: path, dialect: dialect)))
                } catch {
                    result = .failure(error)
                }
                condition.lock()
                entries[key] = .done(result)
                condition.broadcast()
                condition.unlock()
                return try result.get()
            }
        }
    }

    /// Starts compiling rules on another thread, for a later `rules` call with the same bytes.
    public static func prefetch(_ bytes: [UInt8], path: String, dialect: OwnershipDialect?) {
        Thread.detachNewThread { _ = try? rules(bytes, path: path, dialect: dialect) }
    }
}
