/// Text and JSON for `gatehouse owners`, `explain` and `rules check`.
public enum OwnershipRenderer {
    // MARK: owners

    /// `path  @a @b`, one line per path; `(unowned)` when no rule gives owners.
    public static func ownersText(_ results: [PathOwnership], unownedOnly: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(results.count * 48)
        for result in results {
            if unownedOnly {
                if result.isOwned { continue }
                out.append(contentsOf: PathQuoting.quote(result.path).utf8)
                out.append(0x0A)
                continue
            }
            out.append(contentsOf: PathQuoting.quote(result.path).utf8)
            out.append(0x20)
            out.append(0x20)
            if result.owners.isEmpty {
                out.append(contentsOf: "(unowned)".utf8)
            } else {
                for (i, owner) in result.owners.enumerated() {
                    if i > 0 { out.append(0x20) }
                    out.append(contentsOf: owner.utf8)
                }
            }
            out.append(0x0A)
        }
        return out
    }

    /// `ownersText` for paths that come in batches (a tree listing, a long path list), written
    /// without building a `PathOwnership` per path: the same bytes, at a fraction of the cost.
    /// One per thread; it keeps a matching cursor, so consecutive paths should come in order.
    public struct OwnersTextWriter {
        private let rules: OwnershipRules
        private let unownedOnly: Bool
        private var cursor: OwnershipMatcher.Cursor
        private var found: [Int32] = []
        /// Per rule, once needed: "  @a @b\n", the end of the line of a path that rule decides.
        private var lineEnds: [[UInt8]?]

        public init(_ rules: OwnershipRules, unownedOnly: Bool = false) {
            self.rules = rules
            self.unownedOnly = unownedOnly
            cursor = OwnershipMatcher.Cursor(rules.matcher)
            lineEnds = rules.hasOneSection ? Array(repeating: nil, count: rules.file.rules.count) : []
        }

        /// Appends the lines of `batch`'s paths in `indices` (all of them by default) to `out`.
        public mutating func write(_ batch: PathBatch, _ indices: Range<Int>? = nil, to out: inout [UInt8]) {
            batch.forEach(in: indices ?? 0..<batch.count) { _, path in
                write(path, to: &out)
            }
        }

        public mutating func write(_ path: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
            if rules.hasOneSection {
                let (rule, exclusion) = cursor.decidingMatches(path, isExclusion: rules.isExclusion)
                if rule >= 0, exclusion < 0, !rules.ruleOwners[Int(rule)].isEmpty {
                    let rule = Int(rule)
                    if unownedOnly { return }
                    OwnershipRenderer.appendQuoted(path, to: &out)
                    if lineEnds[rule] == nil { lineEnds[rule] = OwnershipRenderer.lineEnd(rules.ruleOwners[rule]) }
                    out.append(contentsOf: lineEnds[rule]!)
                } else {
                    OwnershipRenderer.appendQuoted(path, to: &out)
                    out.append(contentsOf: unownedOnly ? [0x0A] : OwnershipRenderer.unownedLineEnd)
                }
                return
            }
            cursor.matches(path, into: &found)
            let owners = rules.resolve(RepoPath(bytes: Array(path)), matches: found).owners
            if unownedOnly && !owners.isEmpty { return }
            OwnershipRenderer.appendQuoted(path, to: &out)
            out.append(contentsOf: unownedOnly ? [0x0A] : OwnershipRenderer.lineEnd(owners))
        }
    }

    static let unownedLineEnd = Array("  (unowned)\n".utf8)

    /// What follows the path on an `ownersText` line.
    static func lineEnd(_ owners: [String]) -> [UInt8] {
        if owners.isEmpty { return unownedLineEnd }
        var out: [UInt8] = [0x20, 0x20]
        for (i, owner) in owners.enumerated() {
            if i > 0 { out.append(0x20) }
            out.append(contentsOf: owner.utf8)
        }
        out.append(0x0A)
        return out
    }

    /// The path as `PathQuoting.quote` shows it. Most paths are printable ASCII without quotes or
    /// backslashes, which it shows as they are: they are copied without building a String.
    static func appendQuoted(_ path: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Below 0x20 or from 0x7F (wrapping subtraction), `"` or `\`; without branches, so that
        // the loop runs on whole vectors of bytes.
        var quoted: UInt8 = 0
        for byte in path {
            quoted |= (byte &- 0x20 >= 0x5F ? 1 : 0) | (byte == 0x22 ? 1 : 0) | (byte == 0x5C ? 1 : 0)
        }
        if quoted != 0 {
            out.append(contentsOf: PathQuoting.quote(RepoPath(bytes: Array(path))).utf8)
        } else {
            out.append(contentsOf: path)
        }
    }

    /// `[{"path", "owners", "rules": [...]}]`: `rules` holds the deciding rule of each section.
    public static func ownersJSON(_ results: [PathOwnership], rules: OwnershipRules, unownedOnly: Bool = false,
                                  ownersAtHead: [RepoPath: [String]] = [:]) -> [UInt8] {
        var w = JSONWriter(pretty: true, reserving: results.count * 200)
        w.beginArray()
        for result in results where !unownedOnly || !result.isOwned {
            w.beginObject()
            w.path("path", result.path)
            w.key("owners"); strings(&w, result.owners)
            w.key("rules")
            w.beginArray()
            for match in result.sections {
                if let exclusion = match.exclusion {
                    rule(&w, rules, exclusion, excluded: true)
                } else if let index = match.rule {
                    rule(&w, rules, index, excluded: false)
                }
            }
            w.endArray()
            if let head = ownersAtHead[result.path] {
                w.key("ownersUnderHeadRules"); strings(&w, head)
            }
            w.endObject()
        }
        w.endArray()
        return w.document
    }

    /// `ownersJSON` for results that come in parts (a tree listed in batches), so that no part
    /// waits for the others: each part is the elements of `ownersJSON`'s array (without the
    /// brackets), and `ownersJSONDocument` joins the parts into the same bytes.
    public static func ownersJSONElements(_ results: [PathOwnership], rules: OwnershipRules, unownedOnly: Bool = false) -> [UInt8] {
        let document = ownersJSON(results, rules: rules, unownedOnly: unownedOnly)
        // "[]\n" when no element; otherwise "[", the elements (each after a newline and its
        // indent, commas between), then "\n]\n".
        guard document.count > 3 else { return [] }
        return Array(document[1..<(document.count - 3)])
    }

    public static func ownersJSONDocument(_ parts: [[UInt8]]) -> [[UInt8]] {
        var pieces: [[UInt8]] = [[UInt8(ascii: "[")]]
        for part in parts where !part.isEmpty {
            if pieces.count > 1 { pieces.append([UInt8(ascii: ",")]) }
            pieces.append(part)
        }
        pieces.append(pieces.count > 1 ? Array("\n]\n".utf8) : Array("]\n".utf8))
        return pieces
    }

    static func strings(_ w: inout JSONWriter, _ values: [String]) {
        w.beginArray()
        for value in values { w.string(value) }
        w.endArray()
    }

    static func rule(_ w: inout JSONWriter, _ rules: OwnershipRules, _ index: Int, excluded: Bool) {
        let rule = rules.file.rules[index]
        let section = rules.file.sections[rule.section]
        w.beginObject()
        w.key("section"); w.string(section.name)
        w.key("file"); w.string(rules.file.path)
        w.key("line"); w.int(rule.line)
        w.key("pattern"); w.string(rule.isExclusion ? "!" + rule.pattern : rule.pattern)
        w.key("owners"); strings(&w, rule.owners)
        w.key("approvals"); w.int(section.approvals)
        w.key("optional"); w.bool(section.isOptional)
        if excluded { w.key("excluded"); w.bool(true) }
        w.endObject()
    }

    // MARK: explain

    /// For each section: the winning rule with file:line, and every earlier match it overrode.
    public static func explainText(_ result: PathOwnership, rules: OwnershipRules) -> String {
        let file = rules.file
        let shown = PathQuoting.quote(result.path)
        var out = "\(shown)\n"
        out += result.owners.isEmpty ? "  owners: none\n" : "  owners: \(result.owners.joined(separator: " "))\n"
        func describe(_ index: Int) -> String {
            let rule = file.rules[index]
            let owners = rule.owners.isEmpty ? "(no owners)" : rule.owners.joined(separator: " ")
            let source = rule.ownersFromSection ? " (the section's default owners)" : ""
            return "\(file.path):\(rule.line)  \(rule.isExclusion ? "!" : "")\(rule.pattern)  \(owners)\(source)"
        }
        if result.sections.isEmpty {
            out += "\nNo rule in \(file.path) matches \(shown), so it has no owners and needs no code-owner review.\n"
            out += "To give it owners, add a line such as: /\(result.path.string) @owner\n"
            return out
        }
        let multipleSections = file.dialect.hasSections
        for match in result.sections {
            let section = file.sections[match.section]
            out += "\n"
            if multipleSections {
                var title = section.name.map { "[\($0)]" } ?? "rules before the first section"
                if section.isOptional { title += ", optional" }
                if section.approvals > 1 { title += ", \(section.approvals) approvals" }
                out += "\(title):\n"
            }
            if let exclusion = match.exclusion {
                out += "  excluded by \(describe(exclusion))\n"
                out += "    A path matching an exclusion needs no approval from this section, whatever other lines say.\n"
                if let rule = match.rule { out += "    (without it, \(describe(rule)) would apply)\n" }
                continue
            }
            guard let index = match.rule else { continue }
            out += "  decided by \(describe(index))\n"
            if file.rules[index].owners.isEmpty {
                out += "    This line lists no owners, so it leaves the path unowned on purpose.\n"
            }
            if match.overridden.isEmpty {
                out += "    It is the only line\(multipleSections ? " in this section" : "") that matches.\n"
            } else {
                out += "    It is the last matching line\(multipleSections ? " in this section" : ""), so it takes precedence over these earlier matches:\n"
                for loser in match.overridden.reversed() {
                    out += "      \(describe(loser))\n"
                }
            }
        }
        if multipleSections {
            out += "\nIn \(file.dialect.vendor)'s rules every section applies: the owners are the union of the sections above.\n"
        }
        return out
    }

    // MARK: rules check

    /// `file:line:column: severity: message`, one per problem, then a summary.
    public static func checkText(_ problems: [Finding], file: CodeownersFile, unownedShown: Int = 20) -> String {
        var out = ""
        var unownedCount = 0
        for problem in problems {
            let kind = problem.rule ?? ""
            if kind == RulesCheck.Kind.unowned.rawValue {
                unownedCount += 1
                if unownedCount > unownedShown { continue }
                out += "\(file.path): \(problem.severity.rawValue): \(problem.message) [unowned]\n"
                continue
            }
            out += "\(file.path):\(problem.line ?? 0):\(problem.location?.column ?? 0): \(problem.severity.rawValue): \(problem.message) [\(kind)]\n"
        }
        if unownedCount > unownedShown {
            out += "\(file.path): note: \(unownedCount - unownedShown) more files have no owners (--format json lists them all)\n"
        }
        let errors = problems.filter { $0.severity == .error }.count
        let warnings = problems.filter { $0.severity == .warning }.count
        out += "\(file.path) (\(file.dialect.rawValue) dialect, \(file.rules.count) rules): "
        out += "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out
    }

    public static func checkJSON(_ problems: [Finding], file: CodeownersFile) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("schemaVersion"); w.int(1)
        w.key("file"); w.string(file.path)
        w.key("dialect"); w.string(file.dialect.rawValue)
        w.key("problems")
        w.beginArray()
        for problem in problems {
            w.beginObject()
            // 0 for no line or column: the schema has them always.
            w.key("line"); w.int(problem.line ?? 0)
            w.key("column"); w.int(problem.location?.column ?? 0)
            w.key("severity"); w.string(problem.severity.rawValue)
            w.key("kind"); w.string(problem.rule ?? "")
            w.key("message"); w.string(problem.message)
            if let path = problem.path { w.path("path", path) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.document
    }
}
