/// The few pieces of Markdown that checklists and pull-request descriptions need: lines,
/// indentation, fenced code and GitHub task-list items.
enum TaskList {
    struct Task {
        /// Columns before the list marker (a tab counts as 4).
        var indent: Int
        var isTicked: Bool
        /// The text after the box, trimmed; empty when nothing follows it.
        var text: String
    }

    /// Lines without their terminators; `\r\n` and `\n` both end a line.
    static func lines(_ text: String) -> [Substring] {
        // "\r\n" is one Character in Swift, so it is a separator in its own right.
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// Leading whitespace in columns, and the rest of the line.
    static func indentation(_ line: Substring) -> (Int, Substring) {
        var columns = 0
        var rest = line
        while let first = rest.first, first == " " || first == "\t" {
            columns += first == "\t" ? 4 - columns % 4 : 1
            rest = rest.dropFirst()
        }
        return (columns, rest)
    }

    /// The opening of a fenced code block (three or more backticks or tildes), if the line is one.
    static func fence(_ content: Substring) -> String? {
        for mark in ["`", "~"] {
            let run = content.prefix { String($0) == mark }.count
            if run >= 3 { return String(repeating: mark, count: run) }
        }
        return nil
    }

    /// The list marker a line starts with (`-`, `*`, `+`, `1.` or `1)`) and what follows it,
    /// when a space or the end of the line follows the marker.
    static func listItem(_ content: Substring) -> Substring? {
        var rest = content
        if let first = rest.first, first == "-" || first == "*" || first == "+" {
            rest = rest.dropFirst()
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let delimiter = rest.first, delimiter == "." || delimiter == ")" else { return nil }
            rest = rest.dropFirst()
        }
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        return rest.drop { $0 == " " || $0 == "\t" }
    }

    static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// A GitHub task-list item: a list marker, then `[ ]`, `[x]` or `[X]`, then the text.
    static func task(_ line: Substring) -> Task? {
        let (indent, content) = indentation(line)
        guard let rest = listItem(content), rest.count >= 3 else { return nil }
        let box = Array(rest.prefix(3))
        guard box[0] == "[", box[2] == "]", box[1] == " " || box[1] == "x" || box[1] == "X" else { return nil }
        let after = rest.dropFirst(3)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        return Task(indent: indent, isTicked: box[1] != " ", text: trimmed(after))
    }
}

