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
        let candidates = configuredFile.map { [$0] } ?? CodeownersFile.searchPaths
        for path in candidates {
            guard let bytes = try read(path) else { continue }
            // The .gitlab/ location is GitLab's own; elsewhere any section header means GitLab.
            let dialect = configured ?? (path.hasPrefix(".gitlab/") ? .gitlab : nil)
            return try RulesMemo.rules(bytes, path: path, dialect: dialect)
        }
        if missingMeansNone {
            return OwnershipRules(CodeownersFile(
                path: configuredFile ?? "CODEOWNERS", dialect: configured ?? .github, sections: [OwnershipSection(name: nil)],
                rules: [], problems: [], byteCount: 0))
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
