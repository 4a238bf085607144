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
        let candidates = configuredFile.map { [$0] } ?? CodeownersFile.searchPaths
        for path in candidates {
            guard let bytes = try read(path) else { continue }
            // The .gitlab/ location is GitLab's own; elsewhere any section header means GitLab.
            let dialect = configured ?? (path.hasPrefix(".gitlab/") ? .gitlab : nil)
            return try CodeownersParser.parse(bytes, path: path, dialect: dialect)
        }
        if missingMeansNone {
            return CodeownersFile(
                path: configuredFile ?? "CODEOWNERS", dialect: configured ?? .github, sections: [OwnershipSection(name: nil)],
                rules: [], problems: [], byteCount: 0)
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
