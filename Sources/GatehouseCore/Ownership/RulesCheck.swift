import Foundation

/// `gatehouse rules check`: everything wrong with a rules file, judged against the files
/// tracked at head.
public enum RulesCheck {
    /// GitHub ignores a CODEOWNERS file over 3 MB.
    public static let sizeLimit = 3 * 1024 * 1024

    /// What is wrong, as a finding's `rule` names it: the vocabulary of `rules check` and of the
    /// problems the parser finds.
    public enum Kind: String, Sendable, CaseIterable {
        case syntax
        case unsupported
        case owner
        case duplicate
        case noMatch = "no-match"
        case shadowed
        case unowned
        case size

        /// A finding of this kind about the rules file `file`: at `line` and `column` when it has
        /// them; for `unowned`, about the repository file `path`.
        public func finding(
            _ severity: Severity, _ message: String, in file: String, line: Int? = nil, column: Int? = nil, path: RepoPath? = nil
        ) -> Finding {
            Finding(severity, message, at: SourceLocation(file: file, line: line, column: column), path: path, rule: rawValue)
        }

        /// The kind of a finding this vocabulary made; nil for any other finding.
        public init?(_ finding: Finding) {
            guard let rule = finding.rule, let kind = Kind(rawValue: rule) else { return nil }
            self = kind
        }
    }

    /// `source` is the file's bytes: with them each placeholder owner is reported at its own column;
    /// without them (the parsed rules keep no owner positions) at its rule's.
    public static func problems(
        _ rules: OwnershipRules, trackedFiles: [RepoPath], requireAll: Bool, source: [UInt8]? = nil
    ) -> [Finding] {
        let batch = PathBatch(trackedFiles)
        let workers = OwnershipRules.workers(for: batch.count)
        let chunk = (batch.count + workers - 1) / max(workers, 1)
        let tallies = TallySlots(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var tally = FileTally(rules)
            tally.add(batch, min(batch.count, worker * chunk)..<min(batch.count, (worker + 1) * chunk), order: worker)
            tallies[worker] = tally
        }
        var tally = tallies[0]
        for worker in 1..<workers { tally.merge(tallies[worker]) }
        return problems(rules, tally: tally, requireAll: requireAll, source: source)
    }

    /// What matching every tracked file found, for `problems`: how often each rule matched and
    /// decided, the first rule that beat each one, and the files without owners. Built batch by
    /// batch, on several threads (a tally each), then merged.
    public struct FileTally {
        let rules: OwnershipRules
        var matched: [Int32]
        var won: [Int32]
        /// A later rule that beat the rule, at the first file where one did (-1: none yet), and
        /// the `order` of the batch of that file.
        var winnerOf: [Int32]
        var winnerOrder: [Int]
        /// Files without owners, by the `order` of their batch.
        var unowned: [(order: Int, paths: [RepoPath])] = []
        /// Whether the rules file itself was among the files.
        var sawRulesFile = false
        private var cursor: OwnershipMatcher.Cursor
        private var found: [Int32] = []

        public init(_ rules: OwnershipRules) {
            self.rules = rules
            let count = rules.file.rules.count
            matched = Array(repeating: 0, count: count)
            won = Array(repeating: 0, count: count)
            winnerOf = Array(repeating: -1, count: count)
            winnerOrder = Array(repeating: 0, count: count)
            cursor = OwnershipMatcher.Cursor(rules.matcher)
        }

        /// Adds the files of `batch` at `indices` (all by default). `order` places the batch among
        /// the others: batches are merged as if added in ascending order.
        public mutating func add(_ batch: PathBatch, _ indices: Range<Int>? = nil, order: Int) {
            let rulesFile = Array(rules.file.path.utf8)
            var unowned: [RepoPath] = []
            batch.forEach(in: indices ?? 0..<batch.count) { _, path in
                if !sawRulesFile, path.count == rulesFile.count, path.elementsEqual(rulesFile) { sawRulesFile = true }
                if !add(path, order: order) { unowned.append(RepoPath(bytes: Array(path))) }
            }
            if !unowned.isEmpty { self.unowned.append((order, unowned)) }
        }

        /// Counts the rules matching `path`; whether it has owners.
        @discardableResult
        mutating func add(_ path: UnsafeBufferPointer<UInt8>, order: Int) -> Bool {
            cursor.matches(path, into: &found)
            if rules.hasOneSection {
                // The sections `resolve` would give, without building them: the deciding rule,
                // the first exclusion, and every other match overridden.
                let (rule, exclusion) = rules.decidingRule(found)
                if let exclusion { count(exclusion, won: true) }
                if let rule {
                    count(rule, won: true)
                    for match in found where Int(match) != rule && !rules.file.rules[Int(match)].isExclusion {
                        count(Int(match), won: false)
                        beaten(Int(match), by: rule, order: order)
                    }
                }
                return exclusion == nil && rule.map { !rules.ruleOwners[$0].isEmpty } ?? false
            }
            let ownership = rules.resolve(RepoPath(bytes: Array(path)), matches: found)
            for section in ownership.sections {
                if let exclusion = section.exclusion { count(exclusion, won: true) }
                if let rule = section.rule {
                    count(rule, won: true)
                    for loser in section.overridden {
                        count(loser, won: false)
                        beaten(loser, by: rule, order: order)
                    }
                }
            }
            return ownership.isOwned
        }

        @inline(__always)
        private mutating func count(_ rule: Int, won decided: Bool) {
            matched[rule] += 1
            if decided { won[rule] += 1 }
        }

        @inline(__always)
        private mutating func beaten(_ loser: Int, by rule: Int, order: Int) {
            if winnerOf[loser] < 0 {
                winnerOf[loser] = Int32(rule)
                winnerOrder[loser] = order
            }
        }

        /// Adds what another tally counted.
        public mutating func merge(_ other: FileTally) {
            for rule in matched.indices {
                matched[rule] += other.matched[rule]
                won[rule] += other.won[rule]
                if other.winnerOf[rule] >= 0, winnerOf[rule] < 0 || other.winnerOrder[rule] < winnerOrder[rule] {
                    winnerOf[rule] = other.winnerOf[rule]
                    winnerOrder[rule] = other.winnerOrder[rule]
                }
            }
            unowned += other.unowned
            sawRulesFile = sawRulesFile || other.sawRulesFile
        }
    }

    /// The problems, given what matching the tracked files found.
    public static func problems(
        _ rules: OwnershipRules, tally: FileTally, requireAll: Bool, source: [UInt8]? = nil
    ) -> [Finding] {
        let file = rules.file
        var (problems, duplicated) = fileProblems(file, source: source)

        // The rules file itself is a file of the repository even before it is committed (as
        // right after gatehouse init): without it, a catch-all `*` looks as if it decided nothing.
        // It counts for which rules match and win, after every tracked file, not as an unowned
        // file of its own.
        var tally = tally
        if !file.path.hasPrefix("/"), !file.path.isEmpty, !tally.sawRulesFile {
            Array(file.path.utf8).withUnsafeBufferPointer { _ = tally.add($0, order: Int.max) }
        }
        let unowned = tally.unowned.sorted { $0.order < $1.order }.flatMap(\.paths)
        for rule in file.rules {
            if tally.matched[rule.index] == 0 {
                problems.append(Kind.noMatch.finding(
                    .warning, "'\(rule.pattern)' matches no tracked file. Fix the pattern, or remove the line if the files are gone.",
                    in: file.path, line: rule.line, column: rule.column))
            } else if tally.won[rule.index] == 0, !duplicated.contains(rule.index), tally.winnerOf[rule.index] >= 0 {
                let later = file.rules[Int(tally.winnerOf[rule.index])]
                problems.append(Kind.shadowed.finding(
                    .warning,
                    "'\(rule.pattern)' never decides an owner: every file it matches is matched by a later rule in its section (such as '\(later.pattern)' on line \(later.line)). Remove it or move it below.",
                    in: file.path, line: rule.line, column: rule.column))
            }
        }
        for path in unowned { problems.append(Self.unowned(path, in: file.path, requireAll: requireAll)) }
        return sorted(problems)
    }

    /// What is wrong with the rules file itself, whatever the tree: syntax, owners, size and
    /// duplicate patterns; and the rules a duplicate makes dead.
    private static func fileProblems(_ file: CodeownersFile, source: [UInt8]?) -> ([Finding], Set<Int>) {
        var problems = file.problems
        problems += placeholderOwners(file, source: source)
        if file.byteCount > sizeLimit {
            problems.append(Kind.size.finding(
                .error, "the file is \(file.byteCount) bytes; GitHub ignores a CODEOWNERS file over 3 MB. Use broader patterns.",
                in: file.path, line: 1, column: 1))
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
                problems.append(Kind.duplicate.finding(
                    .warning,
                    "'\(rule.pattern)' already appears on line \(earlier)\(sectionSuffix(file, rule.section)); only this later line takes effect. Remove one of them.",
                    in: file.path, line: rule.line, column: rule.column))
            }
            firstLine[key] = rule.line
        }

        return (problems, duplicated)
    }

    /// For a change that leaves the rules as they were: the rules file's own problems, and which
    /// of `changedPaths` have no owners. Problems only the whole tree can show (patterns that
    /// match nothing, rules that never decide) are left to a full check, as are files the change
    /// does not touch: a one-file change costs one file, not the tree.
    public static func problems(
        _ rules: OwnershipRules, changedPaths: [RepoPath], requireAll: Bool, source: [UInt8]? = nil
    ) -> [Finding] {
        var (problems, _) = fileProblems(rules.file, source: source)
        var scratch = OwnershipMatcher.Scratch()
        for path in changedPaths where !rules.owners(of: path, scratch: &scratch).isOwned {
            problems.append(unowned(path, in: rules.file.path, requireAll: requireAll))
        }
        return sorted(problems)
    }

    /// About a file of the repository, not a line of the rules: the rules file without a line.
    private static func unowned(_ path: RepoPath, in rulesFile: String, requireAll: Bool) -> Finding {
        Kind.unowned.finding(requireAll ? .error : .warning, "\(PathQuoting.quote(path)) has no owners.", in: rulesFile, path: path)
    }

    /// By position; problems without a line (unowned files) last; stable otherwise.
    private static func sorted(_ problems: [Finding]) -> [Finding] {
        problems.enumerated().sorted { a, b in
            let ka = (a.element.line ?? Int.max, a.element.location?.column ?? 0, a.offset)
            let kb = (b.element.line ?? Int.max, b.element.location?.column ?? 0, b.offset)
            return ka < kb
        }.map(\.element)
    }

    /// Owners still as `gatehouse init` wrote them: the forge reads them as a team nobody belongs to,
    /// so the files would seem owned while nobody can approve them.
    static func placeholderOwners(_ file: CodeownersFile, source: [UInt8]?) -> [Finding] {
        func problem(_ owner: String, _ line: Int, _ column: Int) -> Finding {
            Kind.owner.finding(
                .warning, "'\(owner)' is the placeholder owner `gatehouse init` wrote; replace it with a real user (@name) or team (@org/team).",
                in: file.path, line: line, column: column)
        }
        // Real files hold no placeholder: one pass over the bytes spares splitting a 10,000-rule
        // file into lines on every check.
        if let source, !containsIgnoringASCIICase(source, Array(StarterRules.placeholderOwnerPrefix.utf8)) { return [] }
        guard let source, let lines = sourceLines(source) else {
            var problems: [Finding] = []
            var reportedDefaults = Set<Int>()
            for rule in file.rules {
                if rule.ownersFromSection {
                    // The section header wrote them, once for all its entries.
                    guard reportedDefaults.insert(rule.section).inserted else { continue }
                    let header = file.sections[rule.section].line
                    for owner in rule.owners where StarterRules.isPlaceholderOwner(owner) { problems.append(problem(owner, header, 1)) }
                } else {
                    for owner in rule.owners where StarterRules.isPlaceholderOwner(owner) { problems.append(problem(owner, rule.line, rule.column)) }
                }
            }
            return problems
        }

        // The owners' columns, found as the parser found them: the entries' owners among the words
        // after the pattern, and a GitLab header's default owners after its brackets.
        var problems: [Finding] = []
        var ruleAtLine: [Int: OwnershipRule] = [:]
        for rule in file.rules where !rule.ownersFromSection { ruleAtLine[rule.line] = rule }
        let rejectedHeaders = Set(file.problems.filter { Kind($0) == .syntax && $0.severity == .error }.compactMap(\.line))
        for (offset, line) in lines.enumerated() where line.lowercased().contains(StarterRules.placeholderOwnerPrefix) {
            let number = offset + 1
            if let rule = ruleAtLine[number] {
                for token in tokenize(line).dropFirst() {
                    // GitHub ends the owners at an inline comment; GitLab still reads owners after it.
                    if !file.dialect.readsOwnersAfterHash, token.text.hasPrefix("#") { break }
                    if StarterRules.isPlaceholderOwner(token.text), rule.owners.contains(token.text) {
                        problems.append(problem(token.text, number, token.column))
                    }
                }
            } else if file.dialect.hasSections, !rejectedHeaders.contains(number), let (defaults, start) = headerDefaults(line) {
                for token in tokenize(defaults) {
                    if token.text.hasPrefix("#") { break }
                    if StarterRules.isPlaceholderOwner(token.text), OwnerSyntax.isValid(token.text, dialect: file.dialect) {
                        problems.append(problem(token.text, number, start + token.column))
                    }
                }
            }
        }
        return problems
    }

    /// The lines as the parser splits them.
    /// Whether `needle` (lowercase ASCII) occurs in `haystack`, ASCII letters compared without case.
    static func containsIgnoringASCIICase(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        let first = needle[0]
        return haystack.withUnsafeBufferPointer { bytes in
            var start = 0
            let last = bytes.count - needle.count
            while start <= last {
                if lower(bytes[start]) == first {
                    var offset = 1
                    while offset < needle.count, lower(bytes[start + offset]) == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                start += 1
            }
            return false
        }
    }

    private static func sourceLines(_ source: [UInt8]) -> [Substring]? {
        var bytes = source[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
        return text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// What follows a GitLab section header (`[Name]`, `^[Name]`, `[Name][2]`), and how many
    /// characters come before it; nil when the line is no header.
    private static func headerDefaults(_ line: Substring) -> (Substring, Int)? {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        guard rest.hasPrefix("[") || rest.hasPrefix("^[") else { return nil }
        if rest.hasPrefix("^") { rest = rest.dropFirst() }
        guard let close = rest.firstIndex(of: "]") else { return nil }
        rest = rest[rest.index(after: close)...]
        if rest.hasPrefix("["), let end = rest.firstIndex(of: "]") { rest = rest[rest.index(after: end)...] }
        return (rest, line.unicodeScalars.count - rest.unicodeScalars.count)
    }

    static func sectionSuffix(_ file: CodeownersFile, _ section: Int) -> String {
        guard let name = file.sections[section].name else { return "" }
        return " in section [\(name)]"
    }
}

/// One tally per worker, each written by its worker only (separate slots, so no lock).
private final class TallySlots: @unchecked Sendable {
    private var slots: UnsafeMutableBufferPointer<RulesCheck.FileTally?>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    subscript(index: Int) -> RulesCheck.FileTally {
        get { slots[index]! }
        set { slots[index] = newValue }
    }
}
