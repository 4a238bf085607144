import Foundation

// MARK: - JSON

/// A JSON value with the line it starts on, so that a wrong type can be reported where it is.
///
/// Lint reports are small and read whole, so they are parsed into a tree rather than scanned
/// like llvm-cov exports (`JSONScanner`, whose messages speak of llvm-cov). Foundation's
/// `JSONSerialization` is not used: it reports no line for a value of the wrong type, it turns
/// `true` into a number 1 that passes for a line, and it recurses without bound (100,000 nested
/// brackets overflow the stack). This parser refuses nesting beyond `maxDepth`, so its
/// recursion is bounded.
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

    /// Parses one document (or, with `allowTrailing`, one value at `offset`, for JSON lines).
    static func parse(_ bytes: [UInt8], displayPath: String, formatName: String, firstLine: Int = 1) throws(GatehouseError) -> LintJSON {
        var parser = Parser(bytes: bytes, displayPath: displayPath, formatName: formatName, line: firstLine)
        parser.skipByteOrderMark()
        // A whole document as one tree (a size snapshot): bounded like the items of a report.
        parser.budget = maxDocumentValues
        let value = try parser.value(depth: 0)
        parser.skipBlank()
        if parser.index < bytes.count {
            throw parser.error("unexpected \(parser.describe(bytes[parser.index])) after the JSON document ends")
        }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        let displayPath: String
        let formatName: String
        var line: Int
        var index = 0
        var lineStart = 0
        /// How many more values `value(depth:)` may build: see `tree(_:)`.
        var budget = Int.max

        init(bytes: [UInt8], displayPath: String, formatName: String, line: Int) {
            self.bytes = bytes
            self.displayPath = displayPath
            self.formatName = formatName
            self.line = line
        }

        func error(_ problem: String) -> GatehouseError {
            GatehouseError(
                .invalidReport, "not valid JSON: \(problem). Regenerate the \(formatName) report.",
                at: SourceLocation(file: displayPath, line: line, column: index - lineStart + 1))
        }

        func describe(_ byte: UInt8) -> String {
            byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
        }

        func truncated(_ what: String) -> GatehouseError {
            GatehouseError(
                .invalidReport,
                "the JSON ends in the middle of \(what): the \(formatName) report is cut short. Run the linter again and let it finish.",
                at: SourceLocation(file: displayPath, line: line))
        }

        mutating func skipByteOrderMark() {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3; lineStart = 3 }
        }

        mutating func skipBlank() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0D: index += 1
                case 0x0A:
                    index += 1
                    line += 1
                    lineStart = index
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(GatehouseError) -> LintJSON {
            skipBlank()
            guard index < bytes.count else { throw truncated(depth == 0 ? "the document" : "a value") }
            budget -= 1
            if budget < 0 {
                throw error(
                    "one item of the report holds more JSON values than Gatehouse reads from one (\(LintJSON.maxTreeValues), or "
                        + "\(LintJSON.maxDocumentValues) for a document read whole), which no tool writes. The file is corrupt or hostile")
            }
            let startLine = line
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                guard depth < LintJSON.maxDepth else {
                    throw error("objects and arrays nest more than \(LintJSON.maxDepth) levels deep, which no lint report does. The file is corrupt or hostile")
                }
                index += 1
                var members: [String: LintJSON] = [:]
                skipBlank()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return LintJSON(value: .object(members), line: startLine)
                }
                while true {
                    skipBlank()
                    guard index < bytes.count else { throw truncated("an object") }
                    guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key but found \(describe(bytes[index]))") }
                    let key = try string()
                    skipBlank()
                    guard index < bytes.count else { throw truncated("an object") }
                    guard bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key but found \(describe(bytes[index]))") }
                    index += 1
                    members[key] = try value(depth: depth + 1)
                    skipBlank()
                    guard index < bytes.count else { throw truncated("an object") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; break }
                    throw error("expected ',' or '}' in an object but found \(describe(bytes[index]))")
                }
                return LintJSON(value: .object(members), line: startLine)
            case UInt8(ascii: "["):
                guard depth < LintJSON.maxDepth else {
                    throw error("objects and arrays nest more than \(LintJSON.maxDepth) levels deep, which no lint report does. The file is corrupt or hostile")
                }
                index += 1
                var elements: [LintJSON] = []
                skipBlank()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return LintJSON(value: .array(elements), line: startLine)
                }
                while true {
                    elements.append(try value(depth: depth + 1))
                    skipBlank()
                    guard index < bytes.count else { throw truncated("an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; break }
                    throw error("expected ',' or ']' in an array but found \(describe(bytes[index]))")
                }
                return LintJSON(value: .array(elements), line: startLine)
            case UInt8(ascii: "\""):
                return LintJSON(value: .string(try string()), line: startLine)
            case UInt8(ascii: "t"):
                try literal("true")
                return LintJSON(value: .bool(true), line: startLine)
            case UInt8(ascii: "f"):
                try literal("false")
                return LintJSON(value: .bool(false), line: startLine)
            case UInt8(ascii: "n"):
                try literal("null")
                return LintJSON(value: .null, line: startLine)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return LintJSON(value: .number(try number()), line: startLine)
            default:
                throw error("expected a value but found \(describe(byte))")
            }
        }

        mutating func literal(_ word: StaticString) throws(GatehouseError) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw truncated("a literal") }
            for k in 0..<count where bytes[index + k] != word.utf8Start[k] {
                throw error("expected \(word) but found \(describe(bytes[index + k]))")
            }
            index += count
        }

        mutating func number() throws(GatehouseError) -> String {
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            func digits(_ index: inout Int) -> Int {
                let from = index
                while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
                return index - from
            }
            guard digits(&index) > 0 else {
                if index >= bytes.count { throw truncated("a number") }
                throw error("a number without digits")
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits(&index) > 0 else { throw index >= bytes.count ? truncated("a number") : error("a number without digits after '.'") }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&index) > 0 else { throw index >= bytes.count ? truncated("a number") : error("a number without exponent digits") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(GatehouseError) -> String {
            index += 1  // the opening quote
            var out: [UInt8] = []
            while true {
                guard index < bytes.count else { throw truncated("a string") }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw truncated("a string") }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if scalar >= 0xD800, scalar < 0xDC00 {
                            // A high surrogate: a low one should follow.
                            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                                index += 2
                                let low = try hex4()
                                scalar = low >= 0xDC00 && low < 0xE000 ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
                            } else {
                                scalar = 0xFFFD
                            }
                        } else if scalar >= 0xDC00, scalar < 0xE000 {
                            scalar = 0xFFFD
                        }
                        out.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                    default:
                        index -= 1
                        throw error("an invalid escape \\\(String(decoding: [escape], as: UTF8.self)) in a string")
                    }
                case 0x0A:
                    throw error("a line break inside a string (a string must be closed on its line)")
                case 0..<0x20:
                    throw error("a control character (\(describe(byte))) inside a string")
                default:
                    out.append(byte)
                    index += 1
                }
            }
        }

        mutating func hex4() throws(GatehouseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw truncated("a string") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: throw error("\\u must be followed by 4 hex digits")
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}

// MARK: - Walking a report without building it

/// Where a parser was, to come back to: a member whose meaning depends on members that may come
/// after it (SARIF results and their run's rules) is read past, then read again from here.
struct LintJSONMark {
    fileprivate var index: Int
    fileprivate var line: Int
    fileprivate var lineStart: Int
}

extension LintJSON.Parser {
    var mark: LintJSONMark { LintJSONMark(index: index, line: line, lineStart: lineStart) }

    mutating func restore(_ mark: LintJSONMark) {
        index = mark.index
        line = mark.line
        lineStart = mark.lineStart
    }

    /// What the value ahead is, for "… is an array, not an object".
    private mutating func kindAhead() -> String {
        skipBlank()
        guard index < bytes.count else { return "missing" }
        switch bytes[index] {
        case UInt8(ascii: "{"): return "an object"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "a number"
        }
    }

    private func wrongType(_ what: String, _ found: String, expected: String, line: Int) -> GatehouseError {
        GatehouseError(
            .invalidReport, "\(what) is \(found), not \(expected). The \(formatName) report is malformed; regenerate it.",
            at: SourceLocation(file: displayPath, line: line))
    }

    /// Whether the value ahead is `null` (which is then read).
    mutating func takeNull() throws(GatehouseError) -> Bool {
        skipBlank()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// The value ahead, built, holding at most `LintJSON.maxTreeValues` values.
    mutating func tree() throws(GatehouseError) -> LintJSON {
        budget = LintJSON.maxTreeValues
        defer { budget = .max }
        return try value(depth: 1)
    }

    /// Calls `body` with each key of the object ahead; `body` reads the member's value (or skips it).
    mutating func forEachMember(
        _ what: String, depth: Int = 0, _ body: (inout Self, String) throws(GatehouseError) -> Void
    ) throws(GatehouseError) {
        skipBlank()
        let startLine = line
        guard index < bytes.count else { throw truncated(what) }
        guard bytes[index] == UInt8(ascii: "{") else { throw wrongType(what, kindAhead(), expected: "an object", line: startLine) }
        guard depth < LintJSON.maxDepth else {
            throw error("objects and arrays nest more than \(LintJSON.maxDepth) levels deep, which no lint report does. The file is corrupt or hostile")
        }
        index += 1
        skipBlank()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipBlank()
            guard index < bytes.count else { throw truncated("an object") }
            guard bytes[index] == UInt8(ascii: "\"") else { throw error("expected a quoted key but found \(describe(bytes[index]))") }
            let key = try string()
            skipBlank()
            guard index < bytes.count else { throw truncated("an object") }
            guard bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key but found \(describe(bytes[index]))") }
            index += 1
            try body(&self, key)
            skipBlank()
            guard index < bytes.count else { throw truncated("an object") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return }
            throw error("expected ',' or '}' in an object but found \(describe(bytes[index]))")
        }
    }

    /// Calls `body` for each element of the array ahead (null reads as empty when `nullIsEmpty`);
    /// `body` reads the element.
    mutating func forEachElement(
        _ what: String, depth: Int = 0, nullIsEmpty: Bool = false, _ body: (inout Self) throws(GatehouseError) -> Void
    ) throws(GatehouseError) {
        if nullIsEmpty, try takeNull() { return }
        skipBlank()
        let startLine = line
        guard index < bytes.count else { throw truncated(what) }
        guard bytes[index] == UInt8(ascii: "[") else { throw wrongType(what, kindAhead(), expected: "an array", line: startLine) }
        guard depth < LintJSON.maxDepth else {
            throw error("objects and arrays nest more than \(LintJSON.maxDepth) levels deep, which no lint report does. The file is corrupt or hostile")
        }
        index += 1
        skipBlank()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try body(&self)
            skipBlank()
            guard index < bytes.count else { throw truncated("an array") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return }
            throw error("expected ',' or ']' in an array but found \(describe(bytes[index]))")
        }
    }

    /// The object ahead with only the members named in `keys` built (each within the tree
    /// limit); the others are read past without being built.
    mutating func object(keeping keys: Set<String>, _ what: String, depth: Int = 0) throws(GatehouseError) -> LintJSON {
        skipBlank()
        let startLine = line
        var members: [String: LintJSON] = [:]
        try forEachMember(what, depth: depth) { (parser, key) throws(GatehouseError) in
            if keys.contains(key) { members[key] = try parser.tree() } else { try parser.skipValue(depth: depth + 1) }
        }
        return LintJSON(value: .object(members), line: startLine)
    }

    /// Reads past the value ahead, checking it is valid JSON, without building it.
    mutating func skipValue(depth: Int) throws(GatehouseError) {
        skipBlank()
        guard index < bytes.count else { throw truncated("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try forEachMember("a value", depth: depth) { (parser, _) throws(GatehouseError) in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try forEachElement("a value", depth: depth) { (parser) throws(GatehouseError) in try parser.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try number()
        default: throw error("expected a value but found \(describe(bytes[index]))")
        }
    }

    /// After the document: only white space may follow.
    mutating func expectEnd() throws(GatehouseError) {
        skipBlank()
        if index < bytes.count {
            throw error("unexpected \(describe(bytes[index])) after the JSON document ends")
        }
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
    /// when it is a string (up to 200 bytes), else nil.
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
        // Reads a string starting at the quote; nil if cut short.
        func readString() -> [UInt8]? {
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\\") {
                    i += 2
                    if out.count < 200 { out.append(UInt8(ascii: "?")) }
                    continue
                }
                i += 1
                if b == UInt8(ascii: "\"") { return out }
                if out.count < 200 { out.append(b) }
            }
            return nil
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
