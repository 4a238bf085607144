import Foundation

// MARK: - JSON

/// A JSON value with the line it starts on, so that a wrong type can be reported where it is.
///
/// Lint reports are small and read whole, so their items are built as trees, with the lexer the
/// streamed coverage exports use (`JSONScanner`, over the bytes in memory). Foundation's
/// `JSONSerialization` is not used: it reports no line for a value of the wrong type, it turns
/// `true` into a number 1 that passes for a line, and it recurses without bound (100,000 nested
/// brackets overflow the stack). The scanner refuses nesting beyond `maxDepth`, so building a
/// tree recurses a bounded number of times.
struct LintJSON {
    indirect enum Value {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([LintJSON])
        case object([String: LintJSON])
    }

    var value: Value
    /// 1-based line where the value starts in the document.
    var line: Int

    static let maxDepth = 64
    /// The most values one item of a report (a result, a message, a rule) may hold in the parts
    /// Gatehouse reads: items are built one at a time and dropped, so memory follows the largest
    /// item, not the report (a 100 MB SARIF file once took 3.2 GB as one tree).
    static let maxTreeValues = 100_000
    /// The most values a document read whole (a size snapshot) may hold.
    static let maxDocumentValues = 1_000_000
    /// The most findings one report may hold: each is kept until the gate has judged it.
    static let maxFindings = 1_000_000

    var typeName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    subscript(key: String) -> LintJSON? {
        if case .object(let members) = value { return members[key] }
        return nil
    }

    var isNull: Bool { if case .null = value { true } else { false } }

    /// The lexer's wording for a lint report (or a size snapshot) named `formatName`.
    static func wording(_ formatName: String) -> JSONScanner.Wording {
        JSONScanner.Wording(
            writer: "\(formatName) report", document: "JSON", advice: "Regenerate the \(formatName) report",
            truncation: "the \(formatName) report is cut short. Run the linter again and let it finish")
    }

    /// Parses one document, whose first byte is on `firstLine`.
    static func parse(_ bytes: [UInt8], displayPath: String, formatName: String, firstLine: Int = 1) throws(GatehouseError) -> LintJSON {
        var parser = Parser(bytes: bytes, displayPath: displayPath, formatName: formatName, line: firstLine)
        parser.skipByteOrderMark()
        // A whole document as one tree (a size snapshot): bounded like the items of a report.
        parser.budget = maxDocumentValues
        let value = try parser.value("the document")
        try parser.expectEnd()
        return value
    }

    /// Reads a document held in memory with `JSONScanner` (the lexer the coverage exports use
    /// too), walking it (`forEachMember`, `forEachElement`, `skipValue`) and building only the
    /// values asked for (`tree`, `object(keeping:)`).
    struct Parser {
        private(set) var scanner: JSONScanner
        let displayPath: String
        let formatName: String
        /// How many more values `value(_:)` may build: see `tree()`.
        var budget = Int.max

        /// A parser over `input`, which holds the whole document (`LintBytes.read`).
        init(input: TextReportReader, formatName: String, line: Int = 1) {
            precondition(input.holdsWholeInput, "a lint report is read whole")
            displayPath = input.displayPath
            self.formatName = formatName
            scanner = JSONScanner(
                reader: input, wording: LintJSON.wording(formatName),
                // Strings and numbers as long as the report: the lint reader never limited them.
                maxDepth: LintJSON.maxDepth, maxStringLength: .max, maxNumberLength: .max, line: line)
        }

        /// `offset` is the file offset of `bytes` (a line of a JSON lines report), for messages.
        init(bytes: [UInt8], displayPath: String, formatName: String, line: Int, offset: Int = 0) {
            self.init(input: TextReportReader(bytes: bytes, displayPath: displayPath, offset: offset), formatName: formatName, line: line)
        }

        /// The line of the next byte read.
        var line: Int { scanner.line }

        func error(_ problem: String) -> GatehouseError {
            GatehouseError(
                .invalidReport, "not valid JSON: \(problem). Regenerate the \(formatName) report.",
                at: SourceLocation(file: displayPath, line: scanner.line, column: scanner.column))
        }

        /// A whole byte order mark is skipped; part of one is left for the value to refuse.
        mutating func skipByteOrderMark() {
            let reader = scanner.reader
            guard reader.end - reader.start >= 3, reader.base[reader.start] == 0xEF, reader.base[reader.start + 1] == 0xBB,
                reader.base[reader.start + 2] == 0xBF
            else { return }
            try? scanner.skipByteOrderMark()
        }

        /// Reads past white space (and counts its lines).
        mutating func skipBlank() {
            // The whole input is in memory: looking ahead reads no file and cannot fail.
            _ = try? scanner.peekToken()
        }

        mutating func value(_ what: String) throws(GatehouseError) -> LintJSON {
            let byte = try scanner.token(what)
            budget -= 1
            if budget < 0 {
                throw error(
                    "one item of the report holds more JSON values than Gatehouse reads from one (\(LintJSON.maxTreeValues), or "
                        + "\(LintJSON.maxDocumentValues) for a document read whole), which no tool writes. The file is corrupt or hostile")
            }
            let startLine = scanner.line
            switch byte {
            case UInt8(ascii: "{"):
                var members: [String: LintJSON] = [:]
                if try scanner.openObject(what: what) {
                    var key: [UInt8] = []
                    repeat {
                        try scanner.readKey(into: &key)
                        members[String(decoding: key, as: UTF8.self)] = try value("a value")
                    } while try scanner.nextMember()
                }
                return LintJSON(value: .object(members), line: startLine)
            case UInt8(ascii: "["):
                var elements: [LintJSON] = []
                if try scanner.openArray(what: what) {
                    repeat { elements.append(try value("a value")) } while try scanner.nextElement()
                }
                return LintJSON(value: .array(elements), line: startLine)
            case UInt8(ascii: "\""):
                return LintJSON(value: .string(try string(what)), line: startLine)
            case UInt8(ascii: "t"):
                try scanner.literal("true")
                return LintJSON(value: .bool(true), line: startLine)
            case UInt8(ascii: "f"):
                try scanner.literal("false")
                return LintJSON(value: .bool(false), line: startLine)
            case UInt8(ascii: "n"):
                try scanner.literal("null")
                return LintJSON(value: .null, line: startLine)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var text: [UInt8] = []
                try scanner.readNumber(into: &text, what: what)
                return LintJSON(value: .number(String(decoding: text, as: UTF8.self)), line: startLine)
            default:
                throw scanner.unexpected(byte, expected: "a value")
            }
        }

        private mutating func string(_ what: String) throws(GatehouseError) -> String {
            var text: [UInt8] = []
            try scanner.readString(into: &text, what: what)
            return String(decoding: text, as: UTF8.self)
        }
    }
}

// MARK: - Walking a report without building it

/// Where a parser was, to come back to: a member whose meaning depends on members that may come
/// after it (SARIF results and their run's rules) is read past, then read again from here.
struct LintJSONMark {
    fileprivate var scanner: JSONScanner.Mark
}

extension LintJSON.Parser {
    var mark: LintJSONMark { LintJSONMark(scanner: scanner.mark) }

    mutating func restore(_ mark: LintJSONMark) {
        scanner.restore(mark.scanner)
    }

    /// What a value starting with `byte` is, for "… is an array, not an object".
    private func kind(of byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }

    private func wrongType(_ what: String, _ found: String, expected: String, line: Int) -> GatehouseError {
        GatehouseError(
            .invalidReport, "\(what) is \(found), not \(expected). The \(formatName) report is malformed; regenerate it.",
            at: SourceLocation(file: displayPath, line: line))
    }

    /// Whether the value ahead is `null` (which is then read).
    mutating func takeNull() throws(GatehouseError) -> Bool {
        guard try scanner.peekToken() == UInt8(ascii: "n") else { return false }
        try scanner.literal("null")
        return true
    }

    /// The value ahead, built, holding at most `LintJSON.maxTreeValues` values.
    mutating func tree() throws(GatehouseError) -> LintJSON {
        budget = LintJSON.maxTreeValues
        defer { budget = .max }
        return try value("a value")
    }

    /// Calls `body` with each key of the object ahead; `body` reads the member's value (or skips it).
    mutating func forEachMember(_ what: String, _ body: (inout Self, String) throws(GatehouseError) -> Void) throws(GatehouseError) {
        let byte = try scanner.token(what)
        guard byte == UInt8(ascii: "{") else { throw wrongType(what, kind(of: byte), expected: "an object", line: scanner.line) }
        guard try scanner.openObject(what: what) else { return }
        var key: [UInt8] = []
        repeat {
            try scanner.readKey(into: &key)
            try body(&self, String(decoding: key, as: UTF8.self))
        } while try scanner.nextMember()
    }

    /// Calls `body` for each element of the array ahead (null reads as empty when `nullIsEmpty`);
    /// `body` reads the element.
    mutating func forEachElement(
        _ what: String, nullIsEmpty: Bool = false, _ body: (inout Self) throws(GatehouseError) -> Void
    ) throws(GatehouseError) {
        if nullIsEmpty, try takeNull() { return }
        let byte = try scanner.token(what)
        guard byte == UInt8(ascii: "[") else { throw wrongType(what, kind(of: byte), expected: "an array", line: scanner.line) }
        guard try scanner.openArray(what: what) else { return }
        repeat { try body(&self) } while try scanner.nextElement()
    }

    /// The object ahead with only the members named in `keys` built (each within the tree
    /// limit); the others are read past without being built.
    mutating func object(keeping keys: Set<String>, _ what: String) throws(GatehouseError) -> LintJSON {
        skipBlank()
        let startLine = line
        var members: [String: LintJSON] = [:]
        try forEachMember(what) { (parser, key) throws(GatehouseError) in
            if keys.contains(key) { members[key] = try parser.tree() } else { try parser.skipValue() }
        }
        return LintJSON(value: .object(members), line: startLine)
    }

    /// Reads past the value ahead, checking it is valid JSON, without building it.
    mutating func skipValue() throws(GatehouseError) {
        try scanner.skipValue()
    }

    /// After the document: only white space may follow.
    mutating func expectEnd() throws(GatehouseError) {
        try scanner.expectEnd()
    }
}


// MARK: - Detection from a prefix

/// What the first bytes of a (possibly cut) JSON document say: the root's kind, and the members of
/// the root object, or of the first element of a root array when that is an object.
struct JSONPrefix {
    /// `{` or `[`, or nil when the bytes do not start with either.
    var root: UInt8?
    /// The root array is `[]` (closed in the bytes, with nothing in it).
    var isEmptyArray = false
    /// The root array's first element is an object.
    var firstElementIsObject = false
    /// Keys of the object examined (the root, or the root array's first element), with their value
    /// when it is a string (its escapes decoded, up to 200 bytes), else nil.
    var members: [String: String?] = [:]
    /// The object examined closes within the bytes (so `members` is all of its keys).
    var isComplete = false

    func has(_ key: String) -> Bool { members[key] != nil }
    func string(_ key: String) -> String? { members[key] ?? nil }

    static func scan(_ bytes: [UInt8]) -> JSONPrefix {
        var prefix = JSONPrefix()
        var i = 0
        func skipBlank() { while i < bytes.count, ReportBytes.isBlank(bytes[i]) { i += 1 } }
        skipBlank()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") else { return prefix }
        prefix.root = bytes[i]
        var targetDepth = 1
        if bytes[i] == UInt8(ascii: "[") {
            i += 1
            skipBlank()
            guard i < bytes.count else { return prefix }
            if bytes[i] == UInt8(ascii: "]") {
                prefix.isEmptyArray = true
                return prefix
            }
            guard bytes[i] == UInt8(ascii: "{") else { return prefix }
            prefix.firstElementIsObject = true
            targetDepth = 1
        }
        // Now at the `{` of the object examined.
        i += 1
        var depth = 1
        var expectKey = true
        var pendingKey: String?
        // Strings are read by the lexer every JSON reader uses, over the prefix.
        var scanner = JSONScanner(reader: TextReportReader(bytes: bytes, displayPath: ""), wording: LintJSON.wording("JSON"))
        // Reads a string starting at the quote, its escapes decoded, keeping its first 200 bytes;
        // nil if cut short (or not valid: what follows cannot be read either).
        func readString() -> [UInt8]? {
            scanner.reader.start = i
            var out: [UInt8] = []
            do throws(GatehouseError) {
                try scanner.readString(into: &out, what: "a string")
            } catch {
                return nil
            }
            i = scanner.reader.start
            return Array(out.prefix(200))
        }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                guard let text = readString() else { return prefix }
                if depth == targetDepth {
                    if expectKey {
                        pendingKey = String(decoding: text, as: UTF8.self)
                        prefix.members[pendingKey!] = .some(nil)
                    } else if let key = pendingKey {
                        prefix.members[key] = .some(String(decoding: text, as: UTF8.self))
                        pendingKey = nil
                    }
                }
                continue
            case UInt8(ascii: ":"):
                if depth == targetDepth { expectKey = false }
            case UInt8(ascii: ","):
                if depth == targetDepth {
                    expectKey = true
                    pendingKey = nil
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == targetDepth { pendingKey = nil }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < targetDepth {
                    prefix.isComplete = true
                    return prefix
                }
            default:
                if depth == targetDepth, !ReportBytes.isBlank(b) { pendingKey = nil }
            }
            i += 1
        }
        return prefix
    }
}
