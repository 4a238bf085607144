/// Reads CODEOWNERS files in GitHub's or GitLab's dialect.
///
/// A line that cannot be used is reported (with line and column) and skipped, as both
/// vendors do; the parser never fails on content, only on bytes that are not UTF-8.
public enum CodeownersParser {
    /// The most approvals a GitLab section (`[Name][N]`) is read as asking for; larger counts are
    /// reported and capped.
    public static let maxApprovals = 1_000

    /// Parses `data`. `dialect` nil means: detect (`OwnershipDialect.detected(in:)`).
    public static func parse(_ data: [UInt8], path: String, dialect: OwnershipDialect? = nil) throws(GatehouseError) -> CodeownersFile {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let offset = firstInvalidUTF8Offset(bytes) + (data.count - bytes.count)
            let line = data[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw GatehouseError(
                .invalidRules,
                "the file is not UTF-8 text: byte \(offset) (0x\(String(data[offset], radix: 16, uppercase: true))) cannot be decoded. Save it as UTF-8.",
                at: SourceLocation(file: path, line: line))
        }
        let lines = splitLines(text)
        let chosen = dialect ?? OwnershipDialect.detected(in: lines)
        var parser = LineParser(path: path, dialect: chosen)
        for (number, line) in lines.enumerated() {
            parser.parse(line, number: number + 1)
        }
        return CodeownersFile(
            path: path, dialect: chosen, sections: parser.sections, rules: parser.rules,
            problems: parser.problems, byteCount: data.count)
    }

    /// The lines of `text`: split at "\n" and "\r\n", then without one trailing "\r".
    ///
    /// As Characters, "\r\n" is one separator and "\n" another (a "\n" never joins a grapheme
    /// with its neighbours, nor a "\r" except before "\n"), so the bytes can be split at each
    /// "\n", dropping the "\r" before it, then one more trailing "\r": the same lines, without
    /// the Character-by-Character walk, which cost as much as the rest of the parsing.
    static func splitLines(_ text: String) -> [Substring] {
        var text = text
        // Where each line starts and stops, in bytes (found inside the closure, whose captured
        // variables would each cost an exclusivity check); then one Substring each.
        let bounds: [(Int, Int)] = text.withUTF8 { bytes in
            var bounds: [(Int, Int)] = []
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: "\n") {
                var stop = end
                // The "\r" of a "\r\n" separator, then one trailing "\r", as the lines always lost.
                if end < bytes.count, stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                if stop > start, bytes[stop - 1] == UInt8(ascii: "\r") { stop -= 1 }
                bounds.append((start, stop))
                start = end + 1
            }
            return bounds
        }
        let utf8 = text.utf8
        return bounds.map { start, stop in
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: stop)])
        }
    }

    static func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int {
        var offset = 0
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            let before = offset
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return offset
            case .error: return before
            }
        }
    }
}

/// One whitespace-separated word of a line, with its 1-based column.
struct Token {
    var text: String
    var column: Int
}

/// Splits a line into words. A backslash before a space or tab keeps it in the word;
/// other escapes are left for the pattern compiler. Works on UTF-8 bytes (every separator
/// is ASCII); columns count characters.
func tokenize(_ line: Substring) -> [Token] {
    // On the line's bytes in place (a Substring's UTF-8 view, walked index by index, cost more
    // than the rest of the parsing), and a word is copied in one piece unless it has escapes.
    var line = line
    return line.withUTF8 { bytes in
        var tokens: [Token] = []
        var column = 0
        var start = 0        // the word's column
        var first = -1       // the word's first byte; -1 between words
        var escaped = false
        var escapes = false  // whether the word has a backslash
        for (index, byte) in bytes.enumerated() {
            if byte & 0xC0 != 0x80 { column += 1 }  // a new character begins
            if escaped {
                escaped = false  // whatever it is, the byte belongs to the word
                continue
            }
            if byte == 0x20 || byte == 0x09 {
                if first >= 0 {
                    tokens.append(Token(text: word(UnsafeBufferPointer(rebasing: bytes[first..<index]), escapes), column: start))
                    first = -1
                }
                continue
            }
            if first < 0 {
                first = index
                start = column
                escapes = false
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                escapes = true
            }
        }
        if first >= 0 {
            tokens.append(Token(text: word(UnsafeBufferPointer(rebasing: bytes[first...]), escapes), column: start))
        }
        return tokens
    }
}

/// A word's text: a backslash before a space or tab keeps it in the word (the backslash
/// dropped); before anything else, and at the end, it stays for the pattern compiler.
private func word(_ bytes: UnsafeBufferPointer<UInt8>, _ escapes: Bool) -> String {
    guard escapes else { return String(decoding: bytes, as: UTF8.self) }
    var text: [UInt8] = []
    var escaped = false
    for byte in bytes {
        if escaped {
            if byte != 0x20 && byte != 0x09 { text.append(UInt8(ascii: "\\")) }
            text.append(byte)
            escaped = false
        } else if byte == UInt8(ascii: "\\") {
            escaped = true
        } else {
            text.append(byte)
        }
    }
    if escaped { text.append(UInt8(ascii: "\\")) }
    return String(decoding: text, as: UTF8.self)
}

enum OwnerSyntax {
    private static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == "."
    }

    /// `@user`, `@org/team` (GitHub), `@group/subgroup/...` and `@@role` (GitLab), or an e-mail address.
    static func isValid(_ owner: String, dialect: OwnershipDialect) -> Bool {
        if let ascii = isValidASCIIName(owner, dialect: dialect) { return ascii }
        if owner.hasPrefix("@@") {
            return dialect.roles.contains(owner.dropFirst(2).lowercased())
        }
        if owner.hasPrefix("@") {
            let parts = owner.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy(isNameCharacter) }) else { return false }
            return dialect.maxOwnerNameParts.map { parts.count <= $0 } ?? true
        }
        let pieces = owner.split(separator: "@", omittingEmptySubsequences: false)
        guard pieces.count == 2, !pieces[0].isEmpty, pieces[1].contains("."),
              !pieces[1].hasPrefix("."), !pieces[1].hasSuffix(".") else { return false }
        return !owner.contains { $0 == "#" || $0 == "," || $0 == "<" || $0 == ">" }
    }

    /// `isValid` for the usual `@user` and `@org/team`, read as bytes; nil for anything else
    /// (non-ASCII letters, roles, e-mail addresses), which the general reading decides. For ASCII,
    /// Unicode's alphabetic letters are A-Z and a-z.
    private static func isValidASCIIName(_ owner: String, dialect: OwnershipDialect) -> Bool? {
        var utf8 = owner.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "@") else { return nil }
        var parts = 1
        var partLength = 0
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                partLength += 1
            case UInt8(ascii: "/"):
                guard partLength > 0 else { return false }
                parts += 1
                partLength = 0
            default:
                return nil
            }
        }
        guard partLength > 0 else { return false }
        return dialect.maxOwnerNameParts.map { parts <= $0 } ?? true
    }

    static func looksLikeOwner(_ token: String) -> Bool {
        token.hasPrefix("@") || token.contains("@")
    }
}

/// `[Name]`, `^[Name]`, `[Name][2]`, each optionally followed by default owners.
struct GitLabHeader {
    var name: String
    var isOptional: Bool
    var approvals: Int?
    var ownerTokens: [Token]

    /// `[Name]` or `^[Name]`, then nothing, `[N]`, or whitespace and owners: `[abc].txt` is a
    /// pattern, not a header.
    static func looksLikeHeader(_ line: Substring) -> Bool {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("^") { rest = rest.dropFirst() }
        guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]"), close > rest.index(after: rest.startIndex) else { return false }
        rest = rest[rest.index(after: close)...]
        if rest.hasPrefix("["), let end = rest.firstIndex(of: "]") { rest = rest[rest.index(after: end)...] }
        return rest.isEmpty || rest.first == " " || rest.first == "\t"
    }
}

struct LineParser {
    let path: String
    let dialect: OwnershipDialect
    var sections: [OwnershipSection] = [OwnershipSection(name: nil)]
    var rules: [OwnershipRule] = []
    var problems: [Finding] = []
    private var sectionByName: [String: Int] = [:]
    private var currentSection = 0
    private var currentDefaults: [String] = []

    init(path: String, dialect: OwnershipDialect) {
        self.path = path
        self.dialect = dialect
    }

    private mutating func report(_ line: Int, _ column: Int, _ severity: Severity, _ kind: RulesCheck.Kind, _ message: String) {
        problems.append(kind.finding(severity, message, in: path, line: line, column: column))
    }

    mutating func parse(_ raw: Substring, number: Int) {
        let leading = raw.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
        let line = raw.drop { $0 == " " || $0 == "\t" }
        if line.isEmpty || line.hasPrefix("#") { return }
        if dialect.hasSections, line.hasPrefix("[") || line.hasPrefix("^[") {
            parseHeader(line, number: number, offset: leading)
            return
        }
        var tokens = tokenize(line)
        for index in tokens.indices { tokens[index].column += leading }
        guard let first = tokens.first else { return }
        var pattern = first.text
        let column = first.column
        var ownerTokens = Array(tokens.dropFirst())
        // GitLab gives a section's default owners only to entries with nothing after the pattern.
        let hasOwnerText = !ownerTokens.isEmpty

        if let hash = ownerTokens.firstIndex(where: { $0.text.hasPrefix("#") }) {
            // An inline comment ends the owners (GitHub); or, with no inline comments, owners
            // named in one are still read (GitLab): only the other words after '#' are dropped.
            let tail = dialect.readsOwnersAfterHash
                ? ownerTokens[hash...].filter { OwnerSyntax.looksLikeOwner($0.text) && !$0.text.hasPrefix("#") } : []
            ownerTokens = Array(ownerTokens[..<hash]) + tail
        }
        if let reason = dialect.unsupported(pattern: pattern) {
            report(number, column, .warning, .unsupported, reason)
            return
        }
        if dialect.escapesLeadingHash, pattern.hasPrefix("\\#") { pattern.removeFirst() }

        var isExclusion = false
        if pattern.hasPrefix("!") {
            isExclusion = true
            pattern.removeFirst()
            if !ownerTokens.isEmpty {
                report(number, ownerTokens[0].column, .warning, .owner, "owners on an exclusion ('!') line are ignored: an exclusion only removes paths from its section.")
                ownerTokens = []
            }
        }
        if pattern.isEmpty || pattern.allSatisfy({ $0 == "/" }) {
            report(number, column, .error, .syntax, "'\(first.text)' matches no path; write a file, folder or glob pattern.")
            return
        }

        var owners: [String] = []
        for token in ownerTokens {
            if OwnerSyntax.isValid(token.text, dialect: dialect) {
                owners.append(token.text)
            } else {
                report(number, token.column, .error, .owner, ownerMessage(token.text))
            }
        }
        var fromSection = false
        if owners.isEmpty, !isExclusion, dialect.hasSections, !hasOwnerText {
            if currentDefaults.isEmpty {
                report(number, column, .error, .owner, "this entry has no owners and its section has no default owners; add owners, e.g. '\(pattern) @team'.")
            } else {
                owners = currentDefaults
                fromSection = true
            }
        }
        rules.append(OwnershipRule(
            index: rules.count, line: number, column: column, pattern: pattern, owners: owners,
            section: currentSection, isExclusion: isExclusion, ownersFromSection: fromSection))
    }

    private func ownerMessage(_ token: String) -> String {
        "'\(token)' is not an owner: write \(dialect.ownerForms)."
    }

    private mutating func parseHeader(_ line: Substring, number: Int, offset: Int) {
        let column = offset + 1
        var rest = line[...]
        let isOptional = rest.hasPrefix("^")
        if isOptional { rest = rest.dropFirst() }
        rest = rest.dropFirst()  // [
        guard let close = rest.firstIndex(of: "]") else {
            report(number, column, .error, .syntax, "section header is missing its closing ']'.")
            return
        }
        // GitLab keeps the name as written between the brackets ("[ Docs ]" is not "[Docs]").
        let name = String(rest[..<close])
        rest = rest[rest.index(after: close)...]
        var approvals: Int?
        if rest.hasPrefix("["), let end = rest.firstIndex(of: "]") {
            let text = rest[rest.index(after: rest.startIndex)..<end]
            let isDigits = !text.isEmpty && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
            if isDigits, Int(text).map({ $0 > CodeownersParser.maxApprovals }) ?? true {
                // Nobody can give that many approvals, and a count near Int.max overflows the sums
                // `gatehouse reviewers` makes; a capped count stays just as unsatisfiable.
                let countColumn = column + (isOptional ? 1 : 0) + name.unicodeScalars.count + 3
                report(number, countColumn, .warning, .syntax,
                       "section '\(name)' asks for \(text) approvals; Gatehouse reads at most \(CodeownersParser.maxApprovals) (no team is that large). Write the number of approvals the section needs, e.g. [\(name)][2].")
                approvals = CodeownersParser.maxApprovals
            } else if let count = Int(text), count > 0 {
                approvals = count
            } else {
                // GitLab treats an invalid count as 1; the section still applies.
                report(number, column, .warning, .syntax, "section '\(name)' asks for '\(text)' approvals, which GitLab treats as 1; write a whole number of at least 1, e.g. [\(name)][2].")
                approvals = 1
            }
            rest = rest[rest.index(after: end)...]
        }
        guard !name.trimmingCharacters(in: [" ", "\t"]).isEmpty else {
            report(number, column, .error, .syntax, "section header has no name; write e.g. [Backend].")
            return
        }
        if let first = rest.first, first != " " && first != "\t" {
            report(number, column, .error, .syntax, "unexpected '\(rest)' after section header [\(name)]; separate default owners with a space.")
            return
        }
        var defaults: [String] = []
        let headerLength = line.unicodeScalars.count - rest.unicodeScalars.count
        for token in tokenize(rest) {
            if token.text.hasPrefix("#") { break }
            if OwnerSyntax.isValid(token.text, dialect: dialect) {
                defaults.append(token.text)
            } else {
                report(number, offset + headerLength + token.column, .error, .owner, ownerMessage(token.text))
            }
        }
        let key = name.lowercased()
        if let existing = sectionByName[key] {
            // Sections with the same name are one section; required wins over optional.
            sections[existing].isOptional = sections[existing].isOptional && isOptional
            if let approvals { sections[existing].approvals = max(sections[existing].approvals, approvals) }
            currentSection = existing
        } else {
            sections.append(OwnershipSection(name: name, isOptional: isOptional, approvals: approvals ?? 1, line: number))
            sectionByName[key] = sections.count - 1
            currentSection = sections.count - 1
        }
        currentDefaults = defaults
    }
}
