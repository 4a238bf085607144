import Foundation
import GatehouseCore
import PropertyBased
import Testing

// MARK: Reference matchers: each pattern translated to one regular expression

/// Independent readings of the two dialects, one NSRegularExpression per pattern, to compare
/// `OwnershipMatcher` (a trie over path segments) with.
enum ReferenceMatcher {
    /// GitHub: gitignore's rules as GitHub documents them, one regular expression per pattern in
    /// the manner of hmarr/codeowners. A slash at the start or in the middle anchors the pattern to the root,
    /// otherwise it matches after any `/`; `*` is `[^/]*` and `?` is `[^/]`; a leading `**/` is any
    /// number of folders, `/**/` in the middle too, a trailing `/**` everything inside; a trailing
    /// slash needs a `/` to follow (folders only); a pattern ending in `/*` (`docs/*`) matches the
    /// direct children only; any other pattern also covers everything inside what it names.
    ///
    /// Checked once by hand against `git check-ignore` for every pattern of one or two segments of
    /// `githubSegments` (with and without slashes at either end, those ending in `/*` aside) on every
    /// file up to three folders deep over `pathSegments`: no difference.
    static func github(_ pattern: String) -> String {
        var text = Substring(pattern)
        let folderOnly = text.hasSuffix("/")
        if folderOnly { text = text.dropLast() }
        let leadingSlash = text.hasPrefix("/")
        if leadingSlash { text = text.dropFirst() }
        let anchored = leadingSlash || text.contains("/")
        let segments = text.split(separator: "/", omittingEmptySubsequences: false)
        var regex = anchored ? #"\A"# : #"(?:\A|/)"#
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            if segment == "**" {
                // Zero or more folders (the separator after it included), or, last, one or more segments.
                regex += isLast ? "[^/]+(?:/[^/]+)*" : "(?:[^/]+/)*"
                continue
            }
            regex += glob(segment, classes: false)
            if !isLast { regex += "/" }
        }
        if folderOnly {
            regex += "/"
        } else if pattern.hasSuffix("/*") {
            regex += #"\z"#
        } else {
            regex += #"(?:\z|/)"#
        }
        return regex
    }

    /// GitLab: its own rewriting (ee/lib/gitlab/code_owners/file.rb `normalize_pattern`), then
    /// Ruby's `File.fnmatch?(pattern, "/" + path, FNM_PATHNAME | FNM_DOTMATCH)`: `**/` at the start of
    /// a segment is any number of folders, any other `*` is `[^/]*`, `?` is `[^/]`, `[...]` a class.
    ///
    /// Checked once by hand against Ruby 3.1's `File.fnmatch?` after GitLab's `normalize_pattern`,
    /// for every pattern of one or two segments of `gitlabSegments` and of three ending in `a`, `**`
    /// or `*` (with and without slashes at either end) on every path up to three segments deep over
    /// `pathSegments`: no difference, and none with the engine either.
    static func gitlab(_ pattern: String) -> String {
        var text = pattern == "*" ? "/**/*" : pattern
        if !text.hasPrefix("/") { text = "/**/" + text }
        if text.hasSuffix("/") { text += "**/*" }
        let c = Array(text.unicodeScalars)
        var regex = #"\A"#
        var i = 0
        while i < c.count {
            if c[i] == "*", i + 2 < c.count, c[i + 1] == "*", c[i + 2] == "/", i == 0 || c[i - 1] == "/" {
                regex += "(?:.*/)?"
                i += 3
                continue
            }
            let (piece, next) = globUnit(c, i, classes: true)
            regex += piece
            i = next
        }
        return regex + #"\z"#
    }

    static func glob(_ segment: Substring, classes: Bool) -> String {
        let c = Array(segment.unicodeScalars)
        var regex = ""
        var i = 0
        while i < c.count {
            let (piece, next) = globUnit(c, i, classes: classes)
            regex += piece
            i = next
        }
        return regex
    }

    /// One wildcard, class, escape or character at `i`, as regex, and where the next one starts.
    private static func globUnit(_ c: [Unicode.Scalar], _ i: Int, classes: Bool) -> (String, Int) {
        switch c[i] {
        case "*": return ("[^/]*", i + 1)
        case "?": return ("[^/]", i + 1)
        case "\\" where i + 1 < c.count: return (literal(c[i + 1]), i + 2)
        case "[" where classes:
            // As Ruby's `bracket()` reads a class: the first `]` closes it, even right after the
            // `[`; a pattern with an unterminated `[` never matches; no class matches a `/`.
            var j = i + 1
            let negated = j < c.count && (c[j] == "!" || c[j] == "^")
            if negated { j += 1 }
            let start = j
            while j < c.count, c[j] != "]" { j += 1 }
            guard j < c.count else { return ("(?!)", c.count) }
            let members = c[start..<j]
            if members.isEmpty { return (negated ? "[^/]" : "(?!)", j + 1) }
            if members.contains("/") { return ("(?!)", j + 1) }
            let set = members.map { $0 == "-" ? "-" : literal($0) }.joined()
            return ((negated ? "[^/" : "[") + set + "]", j + 1)
        default: return (literal(c[i]), i + 1)
        }
    }

    private static func literal(_ scalar: Unicode.Scalar) -> String {
        NSRegularExpression.escapedPattern(for: String(scalar))
    }

    /// Every pattern's index that matches `path`, as `OwnershipMatcher.matches` gives them.
    static func matches(_ regexes: [NSRegularExpression], _ path: String, dialect: OwnershipDialect) -> [Int] {
        let subject = dialect == .gitlab ? "/" + path : path
        let range = NSRange(subject.startIndex..., in: subject)
        return regexes.indices.filter { regexes[$0].firstMatch(in: subject, range: range) != nil }
    }

    static func compile(_ patterns: [String], dialect: OwnershipDialect) -> [NSRegularExpression] {
        patterns.map { pattern in
            let source = dialect == .github ? github(pattern) : gitlab(pattern)
            do {
                return try NSRegularExpression(pattern: source)
            } catch {
                Issue.record("the reference cannot compile \(pattern) as \(source): \(error)")
                return try! NSRegularExpression(pattern: #"\A\z"#)
            }
        }
    }
}

// MARK: Generators

/// Pattern segments: literals that the paths use, and every wildcard form.
private let githubSegments = ["a", "b", "x.y", "*", "**", "*.y", "a*", "?", ".h", "c.?", "*a*"]
private let gitlabSegments = githubSegments + ["[ab]", "[!a]*", "[a-c].y"]
/// Path segments: few, so that patterns match often.
private let pathSegments = ["a", "b", "x.y", "c.y", ".h"]

/// One to three segments, with or without a slash at either end.
private let githubPattern = zip(Gen.bool, Gen.int(in: 0...(githubSegments.count - 1)).array(of: 1...3), Gen.bool).map { parts in
    (parts.0 ? "/" : "") + parts.1.map { githubSegments[$0] }.joined(separator: "/") + (parts.2 ? "/" : "")
}
private let gitlabPattern = zip(Gen.bool, Gen.int(in: 0...(gitlabSegments.count - 1)).array(of: 1...3), Gen.bool).map { parts in
    (parts.0 ? "/" : "") + parts.1.map { gitlabSegments[$0] }.joined(separator: "/") + (parts.2 ? "/" : "")
}

private let repoPath = Gen.int(in: 0...(pathSegments.count - 1)).array(of: 1...5).map { indices in
    indices.map { pathSegments[$0] }.joined(separator: "/")
}

/// Every path of 1 to 3 segments over the path alphabet: 155 paths.
private let allShortPaths: [String] = {
    var paths: [[String]] = pathSegments.map { [$0] }
    var all = paths
    for _ in 2...3 {
        paths = paths.flatMap { prefix in pathSegments.map { prefix + [$0] } }
        all += paths
    }
    return all.map { $0.joined(separator: "/") }
}()

/// Compares the engine's matches with the reference's for every path; one failure per pattern set.
private func compareMatches(_ patterns: [String], _ paths: [String], dialect: OwnershipDialect,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let engine = OwnershipMatcher(patterns: patterns, dialect: dialect)
    let reference = ReferenceMatcher.compile(patterns, dialect: dialect)
    var scratch = OwnershipMatcher.Scratch()
    for path in paths {
        let actual = engine.matches(RepoPath(path), scratch: &scratch)
        let expected = ReferenceMatcher.matches(reference, path, dialect: dialect)
        if actual != expected {
            let differing = Set(actual).symmetricDifference(expected).sorted().map { patterns[$0] }
            Issue.record(
                "\(dialect) \(path): engine matches \(actual), reference \(expected); patterns \(patterns); differing \(differing)",
                sourceLocation: sourceLocation)
            return
        }
    }
}

// MARK: Properties

@Suite("Ownership: properties")
struct OwnershipPropertyTests {
    // (a) GitHub

    @Test("GitHub: the matcher agrees with a regex per pattern (hmarr/codeowners' translation)")
    func githubMatchesTheReference() async {
        await propertyCheck(count: 250, input: githubPattern.array(of: 6), repoPath.array(of: 20)) { patterns, paths in
            compareMatches(patterns, paths, dialect: .github)
        }
    }

    @Test("GitHub: the matcher agrees with the reference for every single pattern on every short path")
    func githubExhaustive() {
        // Every pattern of one or two segments, with and without slashes at either end.
        var patterns: [String] = []
        for first in githubSegments {
            for second in [nil] + githubSegments.map(Optional.some) {
                let body = second.map { "\(first)/\($0)" } ?? first
                patterns += [body, "/" + body, body + "/", "/" + body + "/"]
            }
        }
        for chunk in stride(from: 0, to: patterns.count, by: 64) {
            let slice = Array(patterns[chunk..<min(chunk + 64, patterns.count)])
            compareMatches(slice, allShortPaths, dialect: .github)
        }
    }

    @Test("GitHub: owners are those of the last matching line, none when that line has none")
    func githubLastMatchWins() async {
        let line = zip(githubPattern, Gen.int(in: 0...3))
        await propertyCheck(count: 150, input: line.array(of: 1...8), repoPath.array(of: 15)) { lines, paths in
            // About one line in four has no owners: it leaves its files unowned.
            let text = lines.enumerated().map { index, line in line.1 == 0 ? line.0 : "\(line.0) @o\(index)" }.joined(separator: "\n")
            let file: CodeownersFile
            do { file = try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: .github) } catch {
                Issue.record("\(error)")
                return
            }
            #expect(file.problems.isEmpty, "\(file.problems)")
            let rules = OwnershipRules(file)
            let reference = ReferenceMatcher.compile(lines.map(\.0), dialect: .github)
            for path in paths {
                let last = ReferenceMatcher.matches(reference, path, dialect: .github).last
                let expected = last.map { lines[$0].1 == 0 ? [] : ["@o\($0)"] } ?? []
                let actual = rules.owners(of: RepoPath(path))
                #expect(actual.owners == expected, "\(path) in\n\(text)")
                #expect(actual.sections.first?.rule == last, "\(path) in\n\(text)")
            }
        }
    }

    // (b) GitLab

    @Test("GitLab: the matcher agrees with fnmatch after GitLab's rewriting, as a regex per pattern")
    func gitlabMatchesTheReference() async {
        await propertyCheck(count: 250, input: gitlabPattern.array(of: 6), repoPath.array(of: 20)) { patterns, paths in
            compareMatches(patterns, paths, dialect: .gitlab)
        }
    }

    @Test("GitLab: the matcher agrees with the reference for every single pattern on every short path")
    func gitlabExhaustive() {
        var patterns: [String] = []
        for first in gitlabSegments {
            for second in [nil] + gitlabSegments.map(Optional.some) {
                let body = second.map { "\(first)/\($0)" } ?? first
                patterns += [body, "/" + body, body + "/", "/" + body + "/"]
            }
        }
        for chunk in stride(from: 0, to: patterns.count, by: 64) {
            compareMatches(Array(patterns[chunk..<min(chunk + 64, patterns.count)]), allShortPaths, dialect: .gitlab)
        }
    }

    @Test("GitLab: every section applies, the last match within each, exclusions anywhere in it")
    func gitlabSections() async {
        // A line: a section header, an exclusion, or an entry with or without its own owners.
        let headers = ["[S1]", "[s1]", "^[S2]", "[S3] @d3", "[s3]"]
        let line = zip(Gen.int(in: 0...9), Gen.int(in: 0...(headers.count - 1)), gitlabPattern)
        await propertyCheck(count: 150, input: line.array(of: 1...12), repoPath.array(of: 15)) { lines, paths in
            var text: [String] = []
            // The model: entries per section (names case-insensitive), sections in order of appearance.
            var order: [String] = [""]
            var entries: [String: [(pattern: String, owners: [String], exclusion: Bool)]] = ["": []]
            var current = ""
            var defaults: [String] = []
            for (index, line) in lines.enumerated() {
                // A pattern that starts with `[` would read as a header: anchor it instead.
                let pattern = line.2.hasPrefix("[") ? "/" + line.2 : line.2
                switch line.0 {
                case 0:
                    let header = headers[line.1]
                    text.append(header)
                    current = header.split(separator: " ")[0].trimmingCharacters(in: CharacterSet(charactersIn: "^[]")).lowercased()
                    defaults = header.hasSuffix("@d3") ? ["@d3"] : []
                    if entries[current] == nil {
                        order.append(current)
                        entries[current] = []
                    }
                case 1:
                    text.append("!" + pattern)
                    entries[current, default: []].append((pattern, [], true))
                case 2, 3:
                    text.append(pattern)
                    entries[current, default: []].append((pattern, defaults, false))
                default:
                    text.append("\(pattern) @o\(index)")
                    entries[current, default: []].append((pattern, ["@o\(index)"], false))
                }
            }
            let source = text.joined(separator: "\n")
            let file: CodeownersFile
            do { file = try CodeownersParser.parse(Array(source.utf8), path: "CODEOWNERS", dialect: .gitlab) } catch {
                Issue.record("\(error)")
                return
            }
            let rules = OwnershipRules(file)
            let compiled = entries.mapValues { list in ReferenceMatcher.compile(list.map(\.pattern), dialect: .gitlab) }
            for path in paths {
                var expected: [String] = []
                for name in order {
                    let list = entries[name]!
                    let matching = ReferenceMatcher.matches(compiled[name]!, path, dialect: .gitlab)
                    if matching.contains(where: { list[$0].exclusion }) { continue }
                    guard let winner = matching.last else { continue }
                    for owner in list[winner].owners where !expected.contains(owner) { expected.append(owner) }
                }
                #expect(rules.owners(of: RepoPath(path)).owners == expected, "\(path) in\n\(source)")
            }
        }
    }

    // (c) Robustness

    @Test("random bytes never crash the parser, and parse exactly when they are UTF-8")
    func randomBytes() async {
        // Mostly bytes that mean something to the parser, some that break UTF-8.
        let interesting: [UInt8] = Array("\n\n\r \t[]^!#@/*?\\ab.-02".utf8) + [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0xFF, 0x80, 0x00, 0xE2]
        let byte = Gen.int(in: 0...(interesting.count + 3)).map { $0 < interesting.count ? interesting[$0] : UInt8(truncatingIfNeeded: $0 &* 37) }
        await propertyCheck(count: 300, input: byte.array(of: 0...200), Gen.uint8(in: 0...255).array(of: 0...64)) { bytes, noise in
            for input in [bytes, noise, [0xEF, 0xBB, 0xBF] + bytes] {
                let body = input.starts(with: [0xEF, 0xBB, 0xBF]) ? input.dropFirst(3) : input[...]
                let isUTF8 = String(validating: body, as: UTF8.self) != nil
                for dialect in [nil, OwnershipDialect.github, .gitlab] {
                    do throws(GatehouseError) {
                        let file = try CodeownersParser.parse(input, path: "CODEOWNERS", dialect: dialect)
                        #expect(isUTF8, "parsed bytes that are not UTF-8: \(input)")
                        checkInvariants(file, input: input)
                    } catch {
                        #expect(!isUTF8, "threw on UTF-8: \(input)")
                        #expect(error.kind == .invalidRules)
                        #expect(error.message.contains("byte "))
                    }
                }
            }
        }
    }

    @Test("random text never crashes the parser, and whatever parses matches random paths")
    func randomText() async {
        let pieces = ["\n", "\r\n", " ", "\t", "[", "]", "^", "!", "#", "@", "@@", "/", "*", "**", "?", "\\", "\\ ", "a", "b",
                      "x.y", ".", "-", "2", "0", "[A]", "[a][2]", "^[B]", "é", "日", "😀", "\u{FEFF}", "\u{0}", "@o", "a@b.c"]
        let text = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...120).map { $0.map { pieces[$0] }.joined() }
        let path = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...8).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 300, input: text, path.array(of: 10)) { text, paths in
            for dialect in [nil, OwnershipDialect.github, .gitlab] {
                let file: CodeownersFile
                do { file = try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: dialect) } catch {
                    Issue.record("valid UTF-8 must parse: \(error)")
                    continue
                }
                checkInvariants(file, input: Array(text.utf8))
                let rules = OwnershipRules(file)
                var scratch = OwnershipMatcher.Scratch()
                for path in paths + allShortPaths.prefix(20) {
                    let ownership = rules.owners(of: RepoPath(path), scratch: &scratch)
                    #expect(ownership.sections.map(\.section) == ownership.sections.map(\.section).sorted())
                    #expect(Set(ownership.owners).count == ownership.owners.count)
                }
            }
        }
    }

    @Test("random patterns straight into the matcher never crash it, and matches are sorted rule indices")
    func randomPatterns() async {
        let pieces = ["a", "b", "/", "*", "?", "[", "]", "!", "^", "\\", "-", ".", "é", " ", "**", "[!", "[]", "[a-", "\u{0}"]
        let pattern = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...10).map { $0.map { pieces[$0] }.joined() }
        let path = Gen.int(in: 0...(pieces.count - 1)).array(of: 0...10).map { $0.map { pieces[$0] }.joined() }
        await propertyCheck(count: 300, input: pattern.array(of: 1...8), path.array(of: 10)) { patterns, paths in
            for dialect in OwnershipDialect.allCases {
                let matcher = OwnershipMatcher(patterns: patterns, dialect: dialect)
                #expect(matcher.ruleCount == patterns.count)
                for path in paths + ["", "/", "a//b", "/a/", "é/日"] {
                    let found = matcher.matches(RepoPath(path))
                    #expect(found == Array(Set(found)).sorted())
                    #expect(found.allSatisfy { patterns.indices.contains($0) })
                }
                // Bytes that are not UTF-8 in a path.
                _ = matcher.matches(RepoPath(bytes: [0x61, 0x2F, 0xFF, 0xC3]))
            }
        }
    }

    // (d) Pathological patterns

    @Test("pathological patterns finish on a 5,000-character segment", arguments: OwnershipDialect.allCases)
    func pathologicalPatterns(_ dialect: OwnershipDialect) {
        let patterns = [
            "a*a*a*a*a*a*a*a*a*b",
            String(repeating: "*", count: 2_000),
            "a?a*a*a*a*a*a*a*a*b",
            String(repeating: "*", count: 2_000) + "b",
            String(repeating: "*?", count: 1_000) + "b",
            String(repeating: "a*", count: 1_000) + "b",
        ]
        let matcher = OwnershipMatcher(patterns: patterns, dialect: dialect)
        let run = String(repeating: "a", count: 5_000)
        #expect(matcher.matches(RepoPath(run)) == [1])
        #expect(matcher.matches(RepoPath(run + "b")) == [0, 1, 2, 3, 4, 5])
        // Neither pattern has a slash: both dialects match it at any depth.
        #expect(matcher.matches(RepoPath("x/" + run + "b")) == [0, 1, 2, 3, 4, 5])
    }

    @Test("globstars finish on a path of 2,000 segments", arguments: OwnershipDialect.allCases)
    func deepPaths(_ dialect: OwnershipDialect) {
        let patterns = ["**/a/**/a/**/a/**/b", "/**/a/**/c", "a/**/", "**/b"]
        let matcher = OwnershipMatcher(patterns: patterns, dialect: dialect)
        let deep = Array(repeating: "a", count: 2_000).joined(separator: "/")
        #expect(matcher.matches(RepoPath(deep + "/b")) == [0, 2, 3])
        #expect(matcher.matches(RepoPath(deep)) == [2])
    }

    // Globstars and brackets at the edges of gitignore's and Ruby's rules

    /// GitHub, "About code owners": CODEOWNERS "uses a pattern that follows most of the same rules
    /// used in gitignore files", the exceptions being `\#`, `!` and `[ ]`. gitignore: "If there is a
    /// separator at the end of the pattern then the pattern will only match directories", "A
    /// trailing "/**" matches everything inside", "A leading "**" followed by a slash means match in
    /// all directories". So `**/` is any folder (the files in folders, not those at the root),
    /// `docs/**/` any folder inside docs (not the files directly in docs), and `**/**` everything.
    /// `git check-ignore` agrees on every case here.
    @Test(arguments: [
        ("**/", "docs/README.md", true), ("/**/", "docs/a/b.md", true),
        ("docs/**/", "docs/api/README.md", true), ("docs/**/", "README.md", false),
        ("**/**", "docs/README.md", true), ("docs/**", "docs/README.md", true), ("docs/**", "docs", false),
    ])
    func githubGlobstarsAsGitignore(_ pattern: String, _ path: String, _ matches: Bool) {
        let matcher = OwnershipMatcher(patterns: [pattern], dialect: .github)
        let reference = ReferenceMatcher.compile([pattern], dialect: .github)
        #expect(ReferenceMatcher.matches(reference, path, dialect: .github) == (matches ? [0] : []), "the reference")
        #expect(matcher.matches(RepoPath(path)) == (matches ? [0] : []))
    }

    @Test(arguments: [
        ("**/", "README.md", false), ("/**/", "README.md", false),
        ("docs/**/", "docs/README.md", false), ("**/**", "README.md", true),
    ])
    func githubGlobstarsAtTheRoot(_ pattern: String, _ path: String, _ matches: Bool) {
        let matcher = OwnershipMatcher(patterns: [pattern], dialect: .github)
        let reference = ReferenceMatcher.compile([pattern], dialect: .github)
        #expect(ReferenceMatcher.matches(reference, path, dialect: .github) == (matches ? [0] : []), "the reference")
        #expect(matcher.matches(RepoPath(path)) == (matches ? [0] : []), "\(pattern) on \(path)")
    }
    /// GitLab, "Advanced CODEOWNERS configuration", "Pattern matching": "GitLab uses `File::fnmatch`
    /// with the `File::FNM_DOTMATCH` and `File::FNM_PATHNAME` flags set". Ruby's fnmatch (checked
    /// with Ruby 3.1) never matches a pattern whose `[` is not closed, reads `[]` as an empty class
    /// (so `[]a]` matches nothing), and matches no `/` with a class. Glob (PatternCompiler.swift)
    /// follows Ruby here.
    @Test(arguments: [("docs/a[b", "docs/a[b"), ("docs/[]a]", "docs/a"), ("docs/[]a]", "docs/]"), ("/x[/]y", "x[/]y")])
    func gitlabBracketsAsRubyReadsThem(_ pattern: String, _ path: String) {
        let reference = ReferenceMatcher.compile([pattern], dialect: .gitlab)
        #expect(ReferenceMatcher.matches(reference, path, dialect: .gitlab) == [], "the reference")
        #expect(OwnershipMatcher(patterns: [pattern], dialect: .gitlab).matches(RepoPath(path)) == [], "\(pattern) on \(path)")
    }

    /// `/` matches no path, and the parser rejects it for that; `//` matches none either
    /// (`git check-ignore` with `//` in .gitignore ignores nothing; hmarr/codeowners compiles it to
    /// `\A/.*\z`, which no repository path matches; GitLab's fnmatch of `//**/*` matches nothing).
    @Test func aDoubleSlashMatchesNothing() throws {
        let reference = ReferenceMatcher.compile(["//"], dialect: .github)
        #expect(ReferenceMatcher.matches(reference, "README.md", dialect: .github) == [])
        #expect(OwnershipMatcher(patterns: ["//"], dialect: .gitlab).matches("README.md") == [])
        let file = try CodeownersParser.parse(Array("// @everyone\n".utf8), path: "CODEOWNERS", dialect: .github)
        #expect(OwnershipMatcher(patterns: ["//"], dialect: .github).matches("README.md") == [])
        #expect(OwnershipRules(file).owners(of: "src/main.swift").owners == [])
    }
}

/// What any parsed file must satisfy, whatever its text.
private func checkInvariants(_ file: CodeownersFile, input: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let lineCount = input.count { $0 == 0x0A } + 1
    #expect(file.byteCount == input.count, sourceLocation: sourceLocation)
    #expect(file.rules.map(\.index) == Array(file.rules.indices), sourceLocation: sourceLocation)
    #expect(file.rules.map(\.line) == file.rules.map(\.line).sorted(), sourceLocation: sourceLocation)
    #expect(file.rules.allSatisfy { file.sections.indices.contains($0.section) && $0.column >= 1 && (1...lineCount).contains($0.line) },
            sourceLocation: sourceLocation)
    #expect(file.rules.allSatisfy { !$0.pattern.isEmpty && $0.pattern != "/" }, sourceLocation: sourceLocation)
    #expect(file.problems.allSatisfy { (1...lineCount).contains($0.line ?? 0) && ($0.location?.column ?? 0) >= 1 }, sourceLocation: sourceLocation)
    #expect(file.sections.first?.name == nil, sourceLocation: sourceLocation)
    if file.dialect == .github {
        #expect(file.sections.count == 1, sourceLocation: sourceLocation)
        #expect(file.rules.allSatisfy { !$0.isExclusion }, sourceLocation: sourceLocation)
    }
}
