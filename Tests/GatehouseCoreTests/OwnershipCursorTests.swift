import Foundation
@testable import GatehouseCore
import PropertyBased
import Testing

// The fast paths behind `owners --all`, `--paths-from` and `rules check` (the cursor that reuses
// a folder's matches, the text writer, the batched tally) and the parser's byte-level shortcuts
// must give exactly what the plain paths give. Each is compared here with the plain path, or
// with the code it replaced, on random input.

/// Pattern segments for both dialects: literals the paths use, suffix globs (`*.y`, found by
/// hash), other globs and classes.
private let segments = ["a", "b", "x.y", "*", "**", "*.y", "*y", "a*", "?", ".h", "c.?", "*a*", "[ab]", "[!a]*", "*.h"]
private let pathSegments = ["a", "b", "x.y", "c.y", ".h", "y"]

private let pattern = zip(Gen.bool, Gen.int(in: 0...(segments.count - 1)).array(of: 1...4), Gen.bool).map { parts in
    (parts.0 ? "/" : "") + parts.1.map { segments[$0] }.joined(separator: "/") + (parts.2 ? "/" : "")
}

/// Paths of 1 to 5 segments, sometimes with empty segments or a trailing slash.
private let path = zip(Gen.int(in: 0...(pathSegments.count - 1)).array(of: 1...5), Gen.int(in: 0...9)).map { parts in
    let joined = parts.0.map { pathSegments[$0] }.joined(separator: "/")
    switch parts.1 {
    case 0: return joined.replacingOccurrences(of: "/", with: "//")
    case 1: return joined + "/"
    case 2: return "/" + joined
    default: return joined
    }
}

@Suite("Ownership: the cursor, the text writer and the tally agree with the plain paths")
struct OwnershipCursorTests {
    @Test("the cursor matches what the matcher matches, in any order of paths", arguments: OwnershipDialect.allCases)
    func cursorAgreesWithTheMatcher(_ dialect: OwnershipDialect) async {
        await propertyCheck(count: 200, input: pattern.array(of: 1...10), path.array(of: 1...30)) { patterns, paths in
            let matcher = OwnershipMatcher(patterns: patterns, dialect: dialect)
            // As listed (shared folders at random), sorted (as a tree is listed), and each path twice.
            // Every third rule an exclusion, for the deciding matches.
            let isExclusion = patterns.indices.map { $0 % 3 == 1 }
            for order in [paths, paths.sorted(), paths.flatMap { [$0, $0] }] {
                var cursor = OwnershipMatcher.Cursor(matcher)
                var deciding = OwnershipMatcher.Cursor(matcher)
                for path in order {
                    let expected = matcher.matches(RepoPath(path))
                    let actual = cursor.matches(RepoPath(path))
                    if actual != expected {
                        Issue.record("\(dialect) \(path) after \(order): cursor \(actual), matcher \(expected); patterns \(patterns)")
                        return
                    }
                    let decision = Array(path.utf8).withUnsafeBufferPointer { deciding.decidingMatches($0, isExclusion: isExclusion) }
                    let rule = expected.last { !isExclusion[$0] } ?? -1
                    let exclusion = expected.first { isExclusion[$0] } ?? -1
                    if Int(decision.rule) != rule || Int(decision.exclusion) != exclusion {
                        Issue.record("\(dialect) \(path): deciding \(decision), expected (\(rule), \(exclusion)); patterns \(patterns)")
                        return
                    }
                }
            }
        }
    }

    @Test("the cursor on a deep tree with many rules, in git's order and shuffled")
    func cursorOnADeepTree() {
        var patterns = ["*", "*.y", "/a/", "**/b/", "/a/**/c/", "/a/b/**/*.y", "a/b/c/x.y", "/b/*", "**/a/**", "*.h", "/a/b/c/d/e/"]
        for depth in 1...6 { patterns.append("/" + Array(repeating: "a", count: depth).joined(separator: "/") + "/") }
        var paths: [String] = []
        func fill(_ prefix: String, _ depth: Int) {
            for name in ["x.y", "c.h", "y"] { paths.append(prefix + name) }
            guard depth < 6 else { return }
            for folder in ["a", "b", "c"] { fill(prefix + folder + "/", depth + 1) }
        }
        fill("", 0)
        var shuffled = paths
        var generator = SplitMix(seed: 7)
        shuffled.shuffle(using: &generator)
        for dialect in OwnershipDialect.allCases {
            let matcher = OwnershipMatcher(patterns: patterns, dialect: dialect)
            for order in [paths, shuffled] {
                var cursor = OwnershipMatcher.Cursor(matcher)
                let differing = order.filter { cursor.matches(RepoPath($0)) != matcher.matches(RepoPath($0)) }
                #expect(differing.isEmpty, "\(dialect): \(differing.prefix(5))")
            }
        }
    }

    @Test("the text writer writes what ownersText writes", arguments: [false, true])
    func writerAgreesWithOwnersText(_ unownedOnly: Bool) throws {
        let github = """
            * @all
            *.md @docs @docs
            /src/ @dev
            /src/gen/
            docs/*.y @org/writers
            """
        let gitlab = """
            * @all
            !*.lock
            [Docs] @writers
            *.md
            /src/ @dev
            ^[Optional]
            **/gen/ @gen
            """
        let paths: [RepoPath] = [
            "README.md", "src/a.swift", "src/gen/x.c", "docs/x.y", "docs/a/x.y", "Gemfile.lock", "a/gen/b.md",
            "tab\there.md", "quote\"d.md", "back\\slash", "é/日.md", RepoPath(bytes: [0x61, 0x2F, 0xFF, 0x2E, 0x6D, 0x64]), "del\u{7F}",
        ]
        for (text, dialect) in [(github, OwnershipDialect.github), (gitlab, .gitlab)] {
            let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect))
            var writer = OwnershipRenderer.OwnersTextWriter(rules, unownedOnly: unownedOnly)
            var out: [UInt8] = []
            writer.write(PathBatch(paths), to: &out)
            let expected = OwnershipRenderer.ownersText(paths.map { rules.owners(of: $0) }, unownedOnly: unownedOnly)
            #expect(String(decoding: out, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
            #expect(out == expected)
        }
    }

    @Test("JSON written in parts joins into the document ownersJSON writes", arguments: [false, true])
    func jsonInParts(_ unownedOnly: Bool) throws {
        let text = "* @all\n*.md @docs\n/src/ @dev\n/src/gen/\n"
        let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: .github))
        let paths: [RepoPath] = ["README.md", "src/a.swift", "src/gen/x.c", "src/gen/y.c", "docs/x.md", "tab\there", "src/gen/z.c"]
        var cursor = OwnershipMatcher.Cursor(rules.matcher)
        let results = rules.owners(of: PathBatch(paths), cursor: &cursor)
        #expect(results == paths.map { rules.owners(of: $0) })
        for size in [1, 2, 3, 7] {
            for list in [results, [], Array(results.prefix(1))] {
                let parts = stride(from: 0, to: list.count, by: size).map {
                    OwnershipRenderer.ownersJSONElements(Array(list[$0..<min(list.count, $0 + size)]), rules: rules, unownedOnly: unownedOnly)
                }
                let joined = OwnershipRenderer.ownersJSONDocument(parts).flatMap { $0 }
                #expect(joined == OwnershipRenderer.ownersJSON(list, rules: rules, unownedOnly: unownedOnly), "parts of \(size)")
            }
        }
    }

    @Test("many paths at once: owners(of:) on every core agrees with one path at a time")
    func batchAgreesWithOneByOne() throws {
        let text = "* @all\n*.y @y\n/a/ @a\n**/b/ @b\n/a/b/c/ @c\n/a/**/x.y @x\n"
        let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: .github))
        let paths = (0..<20_000).map { RepoPath(["a", "b", "c", "d"].prefix($0 % 5).joined(separator: "/") + "/f\($0 % 7).y") }
        #expect(rules.owners(of: paths) == paths.map { rules.owners(of: $0) })
    }

    @Test("rules check: the batched, threaded tally finds what matching file by file finds", arguments: [10, 20_000])
    func tallyAgreesWithFileByFile(_ count: Int) throws {
        let texts: [(String, OwnershipDialect)] = [
            ("* @all\n*.y @y\n/a/ @a\n**/b/ @b\n/a/b/c/ @c\n/a/**/x.y @x\n/nothing/ @n\n*.y @y2\n/a/b/\n", .github),
            ("* @all\n!*.lock\n[S] @s\n*.y\n/a/ @a\n[T]\n**/b/ @b\n!/a/b/\n", .gitlab),
        ]
        let paths = (0..<count).map { RepoPath(["a", "b", "c", "d"].prefix($0 % 5).joined(separator: "/") + "/f\($0 % 7).\($0 % 3 == 0 ? "lock" : "y")") }
        for (text, dialect) in texts {
            for tracked in [paths, paths + ["CODEOWNERS"]] {
                let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect))
                let actual = RulesCheck.problems(rules, trackedFiles: tracked, requireAll: false)
                #expect(actual == referenceProblems(rules, tracked))
            }
        }
    }

    @Test("lines are split as by Characters, CRLF and lone CR included")
    func linesSplitAsByCharacters() async {
        let pieces = ["\n", "\r", "\r\n", "a", "é", "\u{301}", " ", "#", "/", "日", "\u{0}", "\r\r\n", "\n\r"]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 500, input: text) { text in
            let expected = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line -> Substring in
                line.hasSuffix("\r") ? line.dropLast() : line
            }
            let actual = CodeownersParser.splitLines(text)
            #expect(actual.map(String.init) == expected.map(String.init), "\(Array(text.utf8))")
        }
    }

    @Test("pattern segments are split as by Characters")
    func segmentsSplitAsByCharacters() async {
        let pieces = ["/", "a", "*", "é", "\u{301}", "\r", "\n", "\\", "[", "日", "."]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...20).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 500, input: text) { text in
            let expected = Substring(text).split(separator: "/", omittingEmptySubsequences: false)
            #expect(PatternCompiler.slashSegments(Substring(text)).map(String.init) == expected.map(String.init), "\(Array(text.utf8))")
        }
    }

    @Test("GitHub patterns compile as before, read as bytes or as Characters")
    func githubPatternsCompileAsBefore() async {
        let pieces = ["/", "/", "a", "*", "**", "?", "\\", "é", "\u{301}", "\r", "\n", ".y", "[", " "]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...8).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 2_000, input: text) { pattern in
            #expect(PatternCompiler.github(pattern) == referenceGitHub(pattern), "\(Array(pattern.utf8))")
        }
    }

    @Test("a segment without wildcards compiles to the literal the glob would give", arguments: OwnershipDialect.allCases)
    func literalSegments(_ dialect: OwnershipDialect) async {
        let pieces = ["a", "*", "?", "[", "]", "\\", "é", "\u{301}", ".", "!", "-", " "]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...8).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 500, input: text) { text in
            let segment = Substring(text)
            let slow: SegmentTest = segment == "*" ? .any : {
                let glob = Glob(segment, classes: dialect == .gitlab)
                return glob.literal.map { .literal($0) } ?? .glob(glob)
            }()
            #expect(PatternCompiler.test(segment, dialect: dialect) == slow, "\(text)")
        }
    }

    @Test("owners are validated as before: the ASCII shortcut agrees with the general reading")
    func ownerSyntax() async {
        let pieces = ["@", "@@", "a", "Z", "0", "-", "_", ".", "/", "é", "\u{301}", "#", ",", "x.y", " ", "developer"]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...8).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 1_000, input: text) { owner in
            for dialect in OwnershipDialect.allCases {
                #expect(OwnerSyntax.isValid(owner, dialect: dialect) == referenceIsValid(owner, dialect: dialect), "\(owner) \(dialect)")
            }
        }
    }

    @Test("lines are split into words as before: escapes, tabs and multi-byte characters")
    func wordsAsBefore() async {
        let pieces = [" ", "\t", "\\", "\\ ", "\\\t", "a", "é", "日", "#", "@o", "\u{301}", "*", "  "]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...16).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 1_000, input: text) { line in
            let actual = tokenize(Substring(line)).map { "\($0.column):\($0.text)" }
            let expected = referenceTokenize(Substring(line)).map { "\($0.column):\($0.text)" }
            #expect(actual == expected, "\(Array(line.utf8))")
        }
    }

    @Test func pathBatchKeepsPathsAndOrder() {
        let paths: [RepoPath] = ["a", "", "b/c", RepoPath(bytes: [0xFF, 0x00])]
        let batch = PathBatch(paths)
        #expect(batch.count == 4)
        #expect(batch.paths == paths)
        var seen: [RepoPath] = []
        batch.forEach(in: 1..<3) { _, path in seen.append(RepoPath(bytes: Array(path))) }
        #expect(seen == ["", "b/c"])
    }
}

/// `rules check`'s counting as it was, one file at a time through `owners(of:)`.
private func referenceProblems(_ rules: OwnershipRules, _ trackedFiles: [RepoPath]) -> [Finding] {
    let file = rules.file
    var matched = [Int](repeating: 0, count: file.rules.count)
    var won = [Int](repeating: 0, count: file.rules.count)
    var winnerOf: [Int: Int] = [:]
    var unowned: [RepoPath] = []
    var files = trackedFiles
    var untracked: RepoPath?
    if !trackedFiles.contains(RepoPath(file.path)) {
        untracked = RepoPath(file.path)
        files.append(RepoPath(file.path))
    }
    for path in files {
        let ownership = rules.owners(of: path)
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
        if !ownership.isOwned, path != untracked { unowned.append(path) }
    }
    // Only the kinds the tally decides; the rest comes from the same code either way.
    var problems: [Finding] = []
    let all = RulesCheck.problems(rules, tally: RulesCheck.FileTally(rules), requireAll: false)
        .filter { ![.noMatch, .shadowed, .unowned].contains(RulesCheck.Kind($0)) }
    problems += all
    var duplicated = Set<Int>()
    var firstLine: [String: Int] = [:]
    for rule in file.rules {
        let key = "\(rule.section)\u{0}\(rule.isExclusion ? "!" : "")\(rule.pattern)"
        if let earlier = firstLine[key], let index = file.rules.first(where: { $0.line == earlier })?.index { duplicated.insert(index) }
        firstLine[key] = rule.line
    }
    for rule in file.rules {
        if matched[rule.index] == 0 {
            problems.append(RulesCheck.Kind.noMatch.finding(
                .warning, "'\(rule.pattern)' matches no tracked file. Fix the pattern, or remove the line if the files are gone.",
                in: file.path, line: rule.line, column: rule.column))
        } else if won[rule.index] == 0, !duplicated.contains(rule.index), let winner = winnerOf[rule.index] {
            let later = file.rules[winner]
            problems.append(RulesCheck.Kind.shadowed.finding(
                .warning,
                "'\(rule.pattern)' never decides an owner: every file it matches is matched by a later rule in its section (such as '\(later.pattern)' on line \(later.line)). Remove it or move it below.",
                in: file.path, line: rule.line, column: rule.column))
        }
    }
    for path in unowned {
        problems.append(RulesCheck.Kind.unowned.finding(.warning, "\(PathQuoting.quote(path)) has no owners.", in: file.path, path: path))
    }
    return problems.enumerated().sorted { a, b in
        let ka = (a.element.line ?? Int.max, a.element.location?.column ?? 0, a.offset)
        let kb = (b.element.line ?? Int.max, b.element.location?.column ?? 0, b.offset)
        return ka < kb
    }.map(\.element)
}

/// `PatternCompiler.github` as it was, on Characters only.
private func referenceGitHub(_ pattern: String) -> CompiledPattern {
    var text = Substring(pattern)
    let trailingSlash = text.hasSuffix("/")
    if trailingSlash { text = text.dropLast() }
    let leadingSlash = text.hasPrefix("/")
    if leadingSlash { text = text.dropFirst() }
    if text.isEmpty || text.allSatisfy({ $0 == "/" }) { return PatternCompiler.never }
    let anchored = leadingSlash || text.contains("/")
    var segments = text.split(separator: "/", omittingEmptySubsequences: false)
    var terminal: PatternTerminal = .exactOrDescendants
    var folderAfterGlobstar = false
    if trailingSlash {
        terminal = .descendantsOnly
        folderAfterGlobstar = segments.last == "**"
    } else if segments.last == "**" {
        segments.removeLast()
        terminal = .descendantsOnly
    } else if segments.last == "*" {
        terminal = .exact
    }
    var steps: [PatternStep] = anchored ? [] : [.anyDepth]
    for segment in segments {
        if segment == "**" {
            if steps.last != .anyDepth { steps.append(.anyDepth) }
        } else if segment == "*" {
            steps.append(.segment(.any))
        } else {
            let glob = Glob(segment, classes: false)
            steps.append(.segment(glob.literal.map { .literal($0) } ?? .glob(glob)))
        }
    }
    if folderAfterGlobstar { steps.append(.segment(.any)) }
    if steps.allSatisfy({ $0 == .anyDepth }) { return CompiledPattern(steps: [.anyDepth, .segment(.any)], terminal: .exact) }
    return CompiledPattern(steps: steps, terminal: terminal)
}

/// `tokenize` as it was, byte by byte into a buffer.
private func referenceTokenize(_ line: Substring) -> [Token] {
    var tokens: [Token] = []
    var current: [UInt8] = []
    var start = 0
    var column = 0
    var escaped = false
    func flush() {
        if !current.isEmpty {
            tokens.append(Token(text: String(decoding: current, as: UTF8.self), column: start))
            current.removeAll(keepingCapacity: true)
        }
    }
    for byte in line.utf8 {
        if byte & 0xC0 != 0x80 { column += 1 }
        if escaped {
            if byte != 0x20 && byte != 0x09 { current.append(UInt8(ascii: "\\")) }
            current.append(byte)
            escaped = false
            continue
        }
        if byte == 0x20 || byte == 0x09 {
            flush()
            continue
        }
        if current.isEmpty { start = column }
        if byte == UInt8(ascii: "\\") {
            escaped = true
            continue
        }
        current.append(byte)
    }
    if escaped { current.append(UInt8(ascii: "\\")) }
    flush()
    return tokens
}

/// `OwnerSyntax.isValid` as it was, before its ASCII shortcut.
private func referenceIsValid(_ owner: String, dialect: OwnershipDialect) -> Bool {
    func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "."
    }
    if owner.hasPrefix("@@") {
        guard dialect == .gitlab else { return false }
        let role = owner.dropFirst(2).lowercased()
        return ["developer", "developers", "maintainer", "maintainers", "owner", "owners"].contains(role)
    }
    if owner.hasPrefix("@") {
        let parts = owner.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isNameCharacter) }) else { return false }
        return dialect == .gitlab ? true : parts.count <= 2
    }
    let pieces = owner.split(separator: "@", omittingEmptySubsequences: false)
    guard pieces.count == 2, !pieces[0].isEmpty, pieces[1].contains("."),
          !pieces[1].hasPrefix("."), !pieces[1].hasSuffix(".") else { return false }
    return !owner.contains { $0 == "#" || $0 == "," || $0 == "<" || $0 == ">" }
}

/// A small seeded generator, so a shuffled order is the same on every run.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
