/// `gatehouse reviewers` output: text for people, Markdown for a pull-request comment, JSON for machines.
public enum ReviewerRenderer {
    // MARK: Text

    public static func text(_ suggestion: ReviewerSuggestion) -> String {
        var out = ""
        if suggestion.reviewers.isEmpty {
            out += suggestion.unsatisfied.isEmpty
                ? "No reviewer needed: no file of this change has a required owner.\n"
                : "No reviewer can be suggested.\n"
        } else {
            out += "Reviewers (\(methodSummary(suggestion))):\n"
            for reviewer in suggestion.reviewers {
                out += "  \(reviewer.name)  \(ReviewerPlanner.list(reviewer.covers, limit: 10))\n"
                for reason in reviewer.reasons { out += "    - \(reason)\n" }
            }
        }
        if !suggestion.unsatisfied.isEmpty {
            out += "Cannot be satisfied:\n"
            for group in suggestion.unsatisfiedGroups {
                let files = group.paths.count == 1 ? "" : " (\(group.paths.count) files)"
                out += "  \(group.section.map { "[\($0)] " } ?? "")\(group.owners.joined(separator: " "))\(files): \(group.reason)\n"
                out += "    \(ReviewerPlanner.list(group.paths, limit: 10))\n"
            }
        }
        if !suggestion.optional.isEmpty {
            out += "Optional sections (not required):\n"
            for section in suggestion.optional {
                out += "  [\(section.section)] \(section.owners.joined(separator: " ")): \(ReviewerPlanner.list(section.paths, limit: 10))\n"
            }
        }
        if !suggestion.unowned.isEmpty {
            out += "Unowned (no review required): \(ReviewerPlanner.list(suggestion.unowned, limit: 10))\n"
        }
        out += "Authors (never suggested): \(suggestion.authors.isEmpty ? "none known" : suggestion.authors.joined(separator: ", "))\n"
        for note in suggestion.notes { out += "note: \(note)\n" }
        return out
    }

    /// How the set was chosen, in words.
    static func methodSummary(_ suggestion: ReviewerSuggestion) -> String {
        let candidates = "\(suggestion.candidateCount) candidate\(suggestion.candidateCount == 1 ? "" : "s")"
        switch suggestion.method {
        case .exact:
            return "exact: no smaller set covers every requirement; \(candidates)"
        case .greedy:
            return "greedy: at most \(format(suggestion.bound)) times the smallest set, which has at least \(suggestion.lowerBound); \(candidates)"
        }
    }

    static func format(_ value: Double) -> String {
        var writer = JSONWriter()
        writer.number(value)
        return writer.string
    }

    // MARK: Markdown

    /// A section for a pull-request comment. Names are code spans, so the comment asks nobody by
    /// mentioning them: it suggests, and people decide whom to request.
    public static func markdown(_ suggestion: ReviewerSuggestion) -> String {
        // Lists stop at `VerdictRenderer.tableRows` so the section fits in a pull-request comment;
        // the rest are counted and left to this command's JSON, as the check's JSON has no reviewers.
        func more(_ count: Int, _ noun: String) -> String? {
            VerdictRenderer.more(count, noun, command: "gatehouse reviewers")
        }
        var out = "### Suggested reviewers\n\n"
        if suggestion.reviewers.isEmpty {
            out += suggestion.unsatisfied.isEmpty
                ? "No reviewer needed: no file of this change has a required owner.\n\n"
                : "No reviewer can be suggested.\n\n"
        } else {
            out += "| Reviewer | Covers | Why |\n| --- | --- | --- |\n"
            for reviewer in suggestion.reviewers.prefix(VerdictRenderer.tableRows) {
                let covers = reviewer.covers.prefix(5).map { VerdictRenderer.code($0.string) }.joined(separator: ", ")
                    + (reviewer.covers.count > 5 ? " and \(reviewer.covers.count - 5) more" : "")
                let why = reviewer.reasons.map(prose).joined(separator: "<br>")
                out += "| \(VerdictRenderer.code(reviewer.name)) | \(covers) | \(why) |\n"
            }
            if let more = more(suggestion.reviewers.count, "reviewers") { out += "\n\(more)\n" }
            out += "\n"
        }
        if !suggestion.unsatisfied.isEmpty {
            out += "**Cannot be satisfied**\n\n"
            let groups = suggestion.unsatisfiedGroups
            for group in groups.prefix(VerdictRenderer.tableRows) {
                let section = group.section.map { "\(VerdictRenderer.escape("[\($0)]")) " } ?? ""
                let owners = group.owners.map { VerdictRenderer.code($0) }.joined(separator: " ")
                let paths = group.paths.prefix(5).map { VerdictRenderer.code($0.string) }.joined(separator: ", ")
                    + (group.paths.count > 5 ? " and \(group.paths.count - 5) more" : "")
                let count = group.paths.count == 1 ? "" : "\(group.paths.count) files: "
                out += "- \(section)\(owners): \(prose(group.reason)) (\(count)\(paths))\n"
            }
            if let more = more(groups.count, "groups") { out += "- \(more)\n" }
            out += "\n"
        }
        if !suggestion.optional.isEmpty {
            out += "**Optional sections** (not required)\n\n"
            for section in suggestion.optional.prefix(VerdictRenderer.tableRows) {
                let owners = section.owners.map { VerdictRenderer.code($0) }.joined(separator: " ")
                let paths = section.paths.prefix(5).map { VerdictRenderer.code($0.string) }.joined(separator: ", ")
                    + (section.paths.count > 5 ? " and \(section.paths.count - 5) more" : "")
                out += "- \(VerdictRenderer.escape("[\(section.section)]")) \(owners): \(paths)\n"
            }
            if let more = more(suggestion.optional.count, "sections") { out += "- \(more)\n" }
            out += "\n"
        }
        let authors = suggestion.authors.isEmpty ? "none known" : suggestion.authors.map { VerdictRenderer.code($0) }.joined(separator: ", ")
        let method = methodSummary(suggestion)
        out += "<sub>Authors, never suggested: \(authors). \(VerdictRenderer.html(method.prefix(1).uppercased() + method.dropFirst())). "
        out += "Ties go to recent authorship, then the branch seed.</sub>\n"
        return out
    }

    /// Markdown-escaped text in which every `@mention` is a code span, so nobody is notified.
    static func prose(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            if word.hasPrefix("@") {
                var mention = Substring(word)
                var tail = ""
                while let last = mention.last, ",;:)".contains(last) {
                    tail = String(last) + tail
                    mention = mention.dropLast()
                }
                out += VerdictRenderer.code(String(mention)) + VerdictRenderer.escape(tail)
            } else {
                out += VerdictRenderer.cell(word)
            }
            word = ""
        }
        for character in text {
            if character == " " || character == "(" {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }

    // MARK: JSON

    public static func json(_ suggestion: ReviewerSuggestion) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("rules"); w.string(suggestion.rulesFile)
        w.key("dialect"); w.string(suggestion.dialect.rawValue)
        w.key("teams"); w.string(suggestion.teamsFile)
        w.key("method"); w.string(suggestion.method.rawValue)
        w.key("bound"); w.number(suggestion.bound, digits: 4)
        w.key("lowerBound"); w.int(suggestion.lowerBound)
        w.key("candidates"); w.int(suggestion.candidateCount)
        w.key("requirements"); w.int(suggestion.requirementCount)
        w.key("seed"); w.string(suggestion.seed)
        w.key("history")
        w.beginObject()
        w.key("maxCommits"); w.int(suggestion.window.maxCommits)
        w.key("days"); w.int(suggestion.window.days)
        w.key("commitsRead"); w.int(suggestion.window.commitsRead)
        w.endObject()
        w.key("authors"); strings(&w, suggestion.authors)
        w.key("reviewers")
        w.beginArray()
        for reviewer in suggestion.reviewers {
            w.beginObject()
            w.key("name"); w.string(reviewer.name)
            w.key("team"); w.bool(reviewer.isTeam)
            w.key("covers"); paths(&w, reviewer.covers)
            w.key("reasons"); strings(&w, reviewer.reasons)
            w.key("expertise"); w.int(reviewer.expertise)
            w.key("openReviews"); w.int(reviewer.openReviews)
            w.endObject()
        }
        w.endArray()
        w.key("unsatisfied")
        w.beginArray()
        for entry in suggestion.unsatisfied {
            w.beginObject()
            w.path("path", entry.path)
            w.key("section"); w.string(entry.section)
            w.key("owners"); strings(&w, entry.owners)
            w.key("approvals"); w.int(entry.approvals)
            w.key("available"); strings(&w, entry.available)
            w.key("reason"); w.string(entry.reason)
            w.endObject()
        }
        w.endArray()
        w.key("optional")
        w.beginArray()
        for section in suggestion.optional {
            w.beginObject()
            w.key("section"); w.string(section.section)
            w.key("owners"); strings(&w, section.owners)
            w.key("paths"); paths(&w, section.paths)
            w.endObject()
        }
        w.endArray()
        w.key("unowned"); paths(&w, suggestion.unowned)
        w.key("notes"); strings(&w, suggestion.notes)
        w.endObject()
        return w.document
    }

    private static func strings(_ w: inout JSONWriter, _ values: [String]) {
        w.beginArray()
        for value in values { w.string(value) }
        w.endArray()
    }

    /// Paths as strings; one that is not UTF-8 shows U+FFFD here (`gatehouse diff --format json` has its bytes).
    private static func paths(_ w: inout JSONWriter, _ values: [RepoPath]) {
        w.beginArray()
        for value in values { w.string(value.string) }
        w.endArray()
    }
}
