/// `gatehouse rules check`: everything wrong with a rules file, judged against the files
/// tracked at head.
public enum RulesCheck {
    /// GitHub ignores a CODEOWNERS file over 3 MB.
    public static let sizeLimit = 3 * 1024 * 1024

    public static func problems(
        _ rules: OwnershipRules, trackedFiles: [RepoPath], requireAll: Bool
    ) -> [OwnershipProblem] {
        let file = rules.file
        var problems = file.problems
        if file.byteCount > sizeLimit {
            problems.append(OwnershipProblem(
                line: 1, column: 1, severity: .error, kind: .size,
                message: "the file is \(file.byteCount) bytes; GitHub ignores a CODEOWNERS file over 3 MB. Use broader patterns."))
        }

        // Duplicates: the same pattern twice in one section; the earlier line can never win
        // (which the duplicate warning says, so it is not reported as shadowed as well).
        var firstLine: [String: Int] = [:]
        var duplicated = Set<Int>()
        var ruleAtLine: [Int: Int] = [:]
        for rule in file.rules { ruleAtLine[rule.line] = rule.index }
        for rule in file.rules {
            let key = "\(rule.section)\u{0}\(rule.isExclusion ? "!" : "")\(rule.pattern)"
            if let earlier = firstLine[key] {
                if let index = ruleAtLine[earlier] { duplicated.insert(index) }
                problems.append(OwnershipProblem(
                    line: rule.line, column: rule.column, severity: .warning, kind: .duplicate,
                    message: "'\(rule.pattern)' already appears on line \(earlier)\(sectionSuffix(file, rule.section)); only this later line takes effect. Remove one of them."))
            }
            firstLine[key] = rule.line
        }

        var matched = [Int](repeating: 0, count: file.rules.count)
        var won = [Int](repeating: 0, count: file.rules.count)
        var winnerOf: [Int: Int] = [:]  // a shadowed rule -> a later rule that beat it
        var unowned: [RepoPath] = []
        var scratch = OwnershipMatcher.Scratch()
        for path in trackedFiles {
            let ownership = rules.owners(of: path, scratch: &scratch)
            for section in ownership.sections {
                if let exclusion = section.exclusion { matched[exclusion] += 1; won[exclusion] += 1 }
                if let rule = section.rule {
                    matched[rule] += 1
                    won[rule] += 1
                    for loser in section.overridden {
                        matched[loser] += 1
                        winnerOf[loser] = winnerOf[loser] ?? rule
                    }
                }
            }
            if !ownership.isOwned { unowned.append(path) }
        }
        for rule in file.rules {
            if matched[rule.index] == 0 {
                problems.append(OwnershipProblem(
                    line: rule.line, column: rule.column, severity: .warning, kind: .noMatch,
                    message: "'\(rule.pattern)' matches no tracked file. Fix the pattern, or remove the line if the files are gone."))
            } else if won[rule.index] == 0, !duplicated.contains(rule.index), let winner = winnerOf[rule.index] {
                let later = file.rules[winner]
                problems.append(OwnershipProblem(
                    line: rule.line, column: rule.column, severity: .warning, kind: .shadowed,
                    message: "'\(rule.pattern)' never decides an owner: every file it matches is matched by a later rule in its section (such as '\(later.pattern)' on line \(later.line)). Remove it or move it below."))
            }
        }
        for path in unowned {
            problems.append(OwnershipProblem(
                line: 0, column: 0, severity: requireAll ? .error : .warning, kind: .unowned,
                message: "\(PathQuoting.quote(path)) has no owners.", path: path))
        }
        // By position; problems without a line (unowned files) last; stable otherwise.
        return problems.enumerated().sorted { a, b in
            let ka = (a.element.line == 0 ? Int.max : a.element.line, a.element.column, a.offset)
            let kb = (b.element.line == 0 ? Int.max : b.element.line, b.element.column, b.offset)
            return ka < kb
        }.map(\.element)
    }

    static func sectionSuffix(_ file: CodeownersFile, _ section: Int) -> String {
        guard let name = file.sections[section].name else { return "" }
        return " in section [\(name)]"
    }
}
