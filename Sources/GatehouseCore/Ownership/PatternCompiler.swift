/// What one path segment must look like.
enum SegmentTest: Hashable, Sendable {
    case literal([UInt8])
    /// `*` as a whole segment: any one segment.
    case any
    case glob(Glob)
}

/// One step of a compiled pattern: a segment, or `**` (zero or more segments).
enum PatternStep: Hashable, Sendable {
    case segment(SegmentTest)
    case anyDepth
}

/// Which paths a pattern matches once its steps have matched a prefix of the path's segments.
enum PatternTerminal: Hashable, Sendable {
    /// Only the path itself (`docs/*`, every GitLab pattern).
    case exact
    /// The path, or anything below it when it is a folder (`/docs`, `*.js`, `apps`).
    case exactOrDescendants
    /// Only what is below (`apps/`, `docs/**`).
    case descendantsOnly
}

struct CompiledPattern: Hashable, Sendable {
    var steps: [PatternStep]
    var terminal: PatternTerminal
}

/// Turns CODEOWNERS patterns into segment steps, per dialect.
enum PatternCompiler {
    static func compile(_ pattern: String, dialect: OwnershipDialect) -> CompiledPattern {
        dialect.compile(pattern)
    }

    /// GitHub, as its documentation describes (gitignore rules, with `docs/*` matching only
    /// direct children): a leading or middle slash anchors to the root, otherwise the pattern
    /// matches at any depth; a trailing slash matches folders only; a pattern that names a
    /// folder also covers everything inside it.
    static func github(_ pattern: String) -> CompiledPattern {
        // An ASCII pattern without "\r" (where every Character is one byte, "\r\n" being the
        // only ASCII pair that makes one Character) is read as bytes: the same steps, without
        // String's Character-by-Character work, which cost more than the rest of the compiling.
        if pattern.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "\r") }) {
            return github(Array(pattern.utf8)[...], slash: UInt8(ascii: "/"), star: UInt8(ascii: "*")) { segment in
                segment.withUnsafeBufferPointer { bytes in
                    let special = bytes.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "\\") }
                    return special ? test(Substring(String(decoding: bytes, as: UTF8.self)), dialect: .github) : .literal(Array(bytes))
                }
            }
        }
        return github(Substring(pattern), slash: "/", star: "*") { test($0, dialect: .github) }
    }

    /// The reading of `github(_:)` on the pattern's Characters, or on its bytes.
    private static func github<Text: BidirectionalCollection>(
        _ pattern: Text, slash: Text.Element, star: Text.Element, test: (Text.SubSequence) -> SegmentTest
    ) -> CompiledPattern where Text.SubSequence == Text, Text.Element: Equatable {
        var text = pattern
        let trailingSlash = text.last == slash
        if trailingSlash { text = text.dropLast() }
        let leadingSlash = text.first == slash
        if leadingSlash { text = text.dropFirst() }
        if text.isEmpty || text.allSatisfy({ $0 == slash }) {
            return never  // "//": git and GitHub match nothing
        }
        let anchored = leadingSlash || text.contains(slash)
        var segments = text.split(separator: slash, omittingEmptySubsequences: false)
        func isGlobstar(_ segment: Text?) -> Bool { segment.map { $0.elementsEqual([star, star]) } ?? false }
        var terminal: PatternTerminal = .exactOrDescendants
        var folderAfterGlobstar = false
        if trailingSlash {
            terminal = .descendantsOnly
            // "docs/**/" and "**/": the trailing slash asks for a folder, which "**" alone
            // could also read as zero folders; at least one folder must follow.
            folderAfterGlobstar = isGlobstar(segments.last)
        } else if isGlobstar(segments.last) {
            segments.removeLast()
            terminal = .descendantsOnly
        } else if segments.last.map({ $0.elementsEqual([star]) }) ?? false {
            terminal = .exact
        }
        var steps: [PatternStep] = anchored ? [] : [.anyDepth]
        for segment in segments {
            if isGlobstar(segment) {
                if steps.last != .anyDepth { steps.append(.anyDepth) }
            } else {
                steps.append(.segment(test(segment)))
            }
        }
        if folderAfterGlobstar { steps.append(.segment(.any)) }
        if steps.allSatisfy({ $0 == .anyDepth }) {
            // "**", "/**", "**/**": everything, files at the root included.
            return CompiledPattern(steps: [.anyDepth, .segment(.any)], terminal: .exact)
        }
        return CompiledPattern(steps: steps, terminal: terminal)
    }

    /// GitLab: `File.fnmatch?` with FNM_PATHNAME and FNM_DOTMATCH against "/path", after
    /// GitLab's own rewriting: `*` is `/**/*`, a pattern without a leading slash gets `/**/`
    /// before it, and a trailing slash gets `**/*` after it.
    static func gitlab(_ pattern: String) -> CompiledPattern {
        var text = pattern == "*" ? "/**/*" : pattern
        if !text.hasPrefix("/") { text = "/**/" + text }
        if text.hasSuffix("/") { text += "**/*" }
        let segments = slashSegments(text.dropFirst())
        var steps: [PatternStep] = []
        for (index, segment) in segments.enumerated() {
            if segment == "**" && index < segments.count - 1 {
                if steps.last != .anyDepth { steps.append(.anyDepth) }
            } else if segment == "**" {
                steps.append(.segment(.any))  // "**" not followed by "/" is just "*"
            } else {
                steps.append(.segment(test(segment, dialect: .gitlab)))
            }
        }
        return CompiledPattern(steps: steps, terminal: .exact)
    }

    /// `text.split(separator: "/", omittingEmptySubsequences: false)`, which compares Characters.
    /// When `text` is ASCII without "\r" (so that every Character is one byte, "\r\n" being the
    /// only ASCII pair that makes one Character), the same split is made on the bytes, several
    /// times faster; otherwise by Characters, where "/" followed by a combining mark is no "/".
    static func slashSegments(_ text: Substring) -> [Substring] {
        var copy = text
        let slashes: [Int]? = copy.withUTF8 { bytes in
            var slashes: [Int] = []
            for (offset, byte) in bytes.enumerated() {
                if byte >= 0x80 || byte == UInt8(ascii: "\r") { return nil }
                if byte == UInt8(ascii: "/") { slashes.append(offset) }
            }
            return slashes
        }
        guard let slashes else { return text.split(separator: "/", omittingEmptySubsequences: false) }
        let utf8 = text.utf8
        var segments: [Substring] = []
        segments.reserveCapacity(slashes.count + 1)
        var start = utf8.startIndex
        for offset in slashes {
            let slash = utf8.index(utf8.startIndex, offsetBy: offset)
            segments.append(Substring(utf8[start..<slash]))
            start = utf8.index(after: slash)
        }
        segments.append(Substring(utf8[start..<utf8.endIndex]))
        return segments
    }

    /// A pattern no path matches (path segments are never empty).
    static let never = CompiledPattern(steps: [.segment(.literal([]))], terminal: .exact)

    static func test(_ segment: Substring, dialect: OwnershipDialect) -> SegmentTest {
        // Most segments are plain names: without a wildcard or an escape, the glob would be
        // that one literal, so it is taken as it is.
        var copy = segment
        let literal: [UInt8]? = copy.withUTF8 { bytes in
            let special = bytes.contains { byte in
                byte == UInt8(ascii: "*") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "\\")
                    || (dialect.hasCharacterClasses && byte == UInt8(ascii: "["))
            }
            return special ? nil : Array(bytes)
        }
        if let literal { return .literal(literal) }
        if segment == "*" { return .any }
        let glob = Glob(segment, classes: dialect.hasCharacterClasses)
        if let literal = glob.literal { return .literal(literal) }
        return .glob(glob)
    }
}

/// A pattern for one path segment: `*` (any run), `?` (one character), `[...]` classes
/// (GitLab only) and backslash escapes.
struct Glob: Hashable, Sendable {
    enum Token: Hashable, Sendable {
        case literal([UInt8])
        case star
        case question
        case set(negated: Bool, ranges: [ClosedRange<UInt32>])
        /// Ruby's reading of `[]` and of an unterminated `[`: nothing matches.
        case never
    }

    let tokens: [Token]
    /// For patterns of literals and stars only: the literal pieces between stars.
    private let pieces: [[UInt8]]?
    let startsWithStar: Bool
    let endsWithStar: Bool

    /// The literal pieces between stars, when the glob has nothing but literals and stars.
    var starPieces: [[UInt8]]? { pieces }

    init(_ text: Substring, classes: Bool) {
        var tokens: [Token] = []
        var literal: [UInt8] = []
        func flush() {
            if !literal.isEmpty { tokens.append(.literal(literal)); literal = [] }
        }
        // Wildcards and escapes are ASCII, so bytes suffice except inside a class.
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\\") && i + 1 < bytes.count {
                // The escaped character, whole, however many bytes it takes.
                var end = i + 2
                while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
                literal += bytes[(i + 1)..<end]
                i = end
                continue
            }
            if c == UInt8(ascii: "*") {
                flush()
                if tokens.last != .star { tokens.append(.star) }
            } else if c == UInt8(ascii: "?") {
                flush()
                tokens.append(.question)
                // `?` is one character: the matcher works in characters when it appears.
            } else if c == UInt8(ascii: "["), classes,
                      let (set, next) = Glob.parseSet(Array(String(decoding: bytes[i...], as: UTF8.self).unicodeScalars), from: 0) {
                flush()
                tokens.append(set)
                i += String(String(decoding: bytes[i...], as: UTF8.self).unicodeScalars.prefix(next)).utf8.count
                continue
            } else {
                literal.append(c)
            }
            i += 1
        }
        flush()
        self.tokens = tokens
        if tokens.allSatisfy({ if case .set = $0 { return false }; return $0 != .question && $0 != .never }) {
            pieces = tokens.compactMap { if case .literal(let bytes) = $0 { return bytes }; return nil }
        } else {
            pieces = nil
        }
        startsWithStar = tokens.first == .star
        endsWithStar = tokens.last == .star
    }

    /// `[abc]`, `[a-z]`, `[!x]` / `[^x]` as Ruby's `File.fnmatch` reads them: `]` right after
    /// the `[` closes an empty class, and an unterminated `[` matches nothing.
    private static func parseSet(_ scalars: [Unicode.Scalar], from start: Int) -> (Token, Int)? {
        var i = start + 1
        var negated = false
        if i < scalars.count, scalars[i] == "!" || scalars[i] == "^" {
            negated = true
            i += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        while i < scalars.count {
            var c = scalars[i]
            if c == "]" {
                // An empty class matches nothing, negated or not.
                return ranges.isEmpty ? (.never, i + 1) : (.set(negated: negated, ranges: ranges), i + 1)
            }
            if c == "\\" && i + 1 < scalars.count {
                i += 1
                c = scalars[i]
            }
            if i + 2 < scalars.count, scalars[i + 1] == "-", scalars[i + 2] != "]" {
                let high = scalars[i + 2]
                if c.value <= high.value { ranges.append(c.value...high.value) }
                i += 3
            } else {
                ranges.append(c.value...c.value)
                i += 1
            }
        }
        return (.never, scalars.count)
    }

    /// The bytes when the glob has no wildcard at all.
    var literal: [UInt8]? {
        if tokens.isEmpty { return [] }
        if tokens.count == 1, case .literal(let bytes) = tokens[0] { return bytes }
        return nil
    }

    func matches(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        if let pieces { return matchStars(pieces, segment) }
        return matchGeneral(segment)
    }

    /// Literals and stars only: bytes suffice (UTF-8 never matches inside another character),
    /// and taking each piece at its leftmost place is exact, in linear time.
    private func matchStars(_ pieces: [[UInt8]], _ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = 0
        var end = s.count
        var first = 0
        var last = pieces.count
        if !startsWithStar {
            guard let head = pieces.first, hasPrefix(s, head, at: 0) else { return pieces.isEmpty && s.isEmpty }
            position = head.count
            first = 1
            if pieces.count == 1 && !endsWithStar { return position == s.count }
        }
        if !endsWithStar, last > first {
            let tail = pieces[last - 1]
            guard s.count - tail.count >= position, hasPrefix(s, tail, at: s.count - tail.count) else { return false }
            end = s.count - tail.count
            last -= 1
        }
        for index in first..<last {
            guard let found = find(pieces[index], in: s, from: position, before: end) else { return false }
            position = found + pieces[index].count
        }
        return position <= end
    }

    private func hasPrefix(_ s: UnsafeBufferPointer<UInt8>, _ piece: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset + piece.count <= s.count else { return false }
        for k in 0..<piece.count where s[offset + k] != piece[k] { return false }
        return true
    }

    private func find(_ piece: [UInt8], in s: UnsafeBufferPointer<UInt8>, from: Int, before end: Int) -> Int? {
        guard !piece.isEmpty else { return from }
        var start = from
        while start + piece.count <= end {
            if hasPrefix(s, piece, at: start) { return start }
            start += 1
        }
        return nil
    }

    /// With `?` and classes: characters (Unicode scalars), and the classic single-backtrack
    /// algorithm, which never goes exponential (O(pattern × segment) at worst).
    private func matchGeneral(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value))
        var units: [Token] = []
        for token in tokens {
            if case .literal(let literal) = token {
                for scalar in String(decoding: literal, as: UTF8.self).unicodeScalars {
                    units.append(.set(negated: false, ranges: [scalar.value...scalar.value]))
                }
            } else {
                units.append(token)
            }
        }
        var p = 0
        var i = 0
        var starP = -1
        var starI = 0
        while i < s.count {
            if p < units.count {
                switch units[p] {
                case .star:
                    starP = p
                    starI = i
                    p += 1
                    continue
                case .question:
                    p += 1
                    i += 1
                    continue
                case let .set(negated, ranges):
                    if ranges.contains(where: { $0.contains(s[i]) }) != negated {
                        p += 1
                        i += 1
                        continue
                    }
                case .literal, .never:
                    break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starI += 1
            i = starI
        }
        while p < units.count, units[p] == .star { p += 1 }
        return p == units.count
    }
}
