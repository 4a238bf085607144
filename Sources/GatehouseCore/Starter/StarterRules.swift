/// A file `gatehouse init` writes, with its path from the top of the work tree.
public struct StarterFile: Sendable, Hashable {
    public var path: String
    public var contents: String
}

/// The starter rules for a repository that has none: settings, a CODEOWNERS skeleton with
/// placeholder owners, and checklists whose globs fit the languages found.
public enum StarterRules {
    /// The placeholder organisation in the CODEOWNERS skeleton, to be replaced.
    public static let placeholderOrganisation = "@your-org"
    /// How every placeholder owner of the skeleton begins; `gatehouse rules check` looks for it, so
    /// the skeleton and the check cannot drift apart.
    public static let placeholderOwnerPrefix = placeholderOrganisation + "/"

    /// Whether `owner` is one of the skeleton's placeholders (names compare without case, as on GitHub).
    public static func isPlaceholderOwner(_ owner: String) -> Bool {
        owner.lowercased().hasPrefix(placeholderOwnerPrefix)
    }

    /// Every starter file for a repository tracking `files`. `existingReports` are report files
    /// already in the work tree (`StarterReports.candidates` that exist): they are what the
    /// project's tools write, so the gates read those.
    public static func files(trackedFiles files: [RepoPath], existingReports: Set<String> = []) -> [StarterFile] {
        let languages = StarterLanguage.detect(in: files)
        let reports = StarterReports.choose(languages: languages, existing: existingReports)
        var out = [
            StarterFile(path: GatehouseConfig.defaultPath, contents: config(reports: reports)),
            StarterFile(path: "rules/CODEOWNERS", contents: codeowners(trackedFiles: files)),
        ]
        for checklist in StarterChecklist.all {
            out.append(StarterFile(path: "\(Checklists.defaultFolder)/\(checklist.name).md", contents: checklist.file(for: languages)))
        }
        return out
    }

    /// The changed-line coverage `init` asks for: the usual bar for new code (Codecov's and
    /// SonarQube's "coverage on new code" defaults sit at 80 to 90%).
    public static let changedLinesMinimum = 90

    /// `rules/gatehouse.yml`: the coverage and lint gates are on from the first push, reading the
    /// reports the project's tools write; what is not known is commented out with suggestions.
    static func config(reports: StarterReports) -> String {
        func list(_ entries: [StarterReports.Entry], prefix: String) -> String {
            let width = entries.map { $0.report.count + 2 }.max() ?? 0
            return entries.map { entry in
                "\(prefix)- \"\(entry.report)\"" + String(repeating: " ", count: width - entry.report.count)
                    + "# \(entry.found ? "found in the work tree: " : "")\(entry.how)"
            }.joined(separator: "\n")
        }
        let coverage = """
            coverage:
              reports:
            \(list(reports.coverage, prefix: "    "))
              changed_lines: \(changedLinesMinimum)   # minimum % of the change's measured added lines that ran
              # total: 70           # minimum % over the whole repository
            """
        let lint = reports.lint.isEmpty
            ? """
                # lint:
                #   reports: ["lint/*.sarif"]
                #   fail_on: error
                """
            : """
                lint:
                  reports:
                \(list(reports.lint, prefix: "    "))
                  fail_on: error       # an error on a line the change adds fails the gate
                """
        return """
            # Gatehouse settings, written by `gatehouse init`. Every key is documented in Gatehouse's
            # docs/CONFIG.md; an unknown key is an error, so a typo cannot switch a gate off unnoticed.

            # The branch a change is measured against when --base is not given and no CI variable names
            # one. Unset, Gatehouse tries origin/HEAD, then main, then master.
            # base: main

            # Who reviews what: the first of rules/CODEOWNERS, .github/CODEOWNERS, CODEOWNERS,
            # docs/CODEOWNERS and .gitlab/CODEOWNERS, read in GitHub's or GitLab's dialect (detected).
            # owners:
            #   file: .github/CODEOWNERS
            #   dialect: github      # or gitlab
            #   require_all: true    # a tracked file without owners is then an error in `gatehouse rules check`

            # Coverage of the lines a change adds, from the reports your tests write
            # (\(CoverageFormats.all.map { $0.title }.joined(separator: ", "))).
            # The pre-push hook judges a report only when it measured exactly what is pushed; CI
            # judges every change.
            \(coverage)

            # Lint findings on the lines a change adds
            # (\(LintFormats.all.map { $0.title }.joined(separator: ", "))).
            \(lint)

            # A configured report that does not exist fails the gate (or: warn). The pre-push hook
            # skips it instead and says so: CI writes every report.
            missing_report: fail

            """
    }

    /// A CODEOWNERS skeleton in GitHub's dialect: a default owner, then one line per top-level
    /// folder, every owner a placeholder to replace.
    static func codeowners(trackedFiles files: [RepoPath]) -> String {
        var folders: [String] = []
        var seen = Set<String>()
        for file in files where file.isValidUTF8 {
            let parts = file.string.split(separator: "/", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let folder = String(parts[0])
            // Dot-folders (.github, .vscode) stay with the default owner; names GitHub's dialect
            // cannot write as a pattern are left out rather than written as lines it would skip.
            guard !folder.hasPrefix("."), ChecklistParser.globProblem(folder) == nil, !folder.contains("\\"),
                  !folder.contains(where: { $0.isNewline }), team(for: folder) != nil, seen.insert(folder).inserted else { continue }
            folders.append(folder)
        }
        folders.sort()
        // A space would end the pattern: CODEOWNERS escapes it with a backslash.
        let patterns = folders.map { "/" + $0.replacingOccurrences(of: " ", with: "\\ ").replacingOccurrences(of: "\t", with: "\\\t") + "/" }
        let width = max(patterns.map(\.count).max() ?? 0, 1) + 2
        func pad(_ pattern: String) -> String { pattern + String(repeating: " ", count: max(width - pattern.count, 1)) }
        var out = """
            # Code owners, in GitHub's dialect, written by `gatehouse init`.
            #
            # REPLACE THE PLACEHOLDERS: every \(placeholderOwnerPrefix)... owner below is an example, not a real
            # team. Write real users (@name), teams (@org/team) or e-mail addresses before relying on this file.
            #
            # The last matching line wins. Check the file with `gatehouse rules check`, which warns about
            # every placeholder still in it.

            # Everything not matched below, rules/ included (give rules/ its own line once it is committed).
            \(pad("*"))\(placeholderOwnerPrefix)maintainers

            """
        if !patterns.isEmpty { out += "\n# One line per top-level folder.\n" }
        for (folder, pattern) in zip(folders, patterns) {
            out += "\(pad(pattern))\(placeholderOwnerPrefix)\(team(for: folder)!)-owners\n"
        }
        return out
    }

    /// A team name GitHub accepts, from a folder name: lower case, letters, digits and dashes.
    static func team(for folder: String) -> String? {
        var name = ""
        for character in folder.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                name.append(character)
            } else if !name.hasSuffix("-") {
                name.append("-")
            }
        }
        while name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? nil : name
    }
}
