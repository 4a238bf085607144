import Foundation

/// Walks a JSON document in a `TextReportReader`'s buffer, byte by byte, without building it:
/// Gatehouse's one JSON lexer (strings and their escapes, numbers, literals, structure).
///
/// The coverage exports are streamed through it from their file; lint reports and size snapshots
/// are read whole and walked (or built, `LintJSON`) through it over a reader holding all of their
/// bytes, which lets them come back to a `Mark`.
///
/// Containers are opened and closed by the caller (`openObject`/`readKey`/`nextMember`,
/// `openArray`/`nextElement`); values the caller does not want are skipped by `skipValue`, which
/// validates them without recursion and refuses nesting deeper than `maxDepth`. Errors name the
/// line and column, and the byte offset.
struct JSONScanner {
    static let maxDepth = 512
    /// Longest string materialized (a file name, a key): longer ones are not what a tool writes.
    static let maxStringLength = 1 << 20
    /// Longest number read: a count has at most 19 digits, a double's shortest form fewer than 30.
    static let maxNumberLength = 400

    let reader: TextReportReader
    /// Containers open at once, at most: the caller's and those `skipValue` opens.
    let maxDepth: Int
    /// The longest string `readString` and `readKey` return, in bytes.
    let maxStringLength: Int
    /// The longest number, in characters.
    let maxNumberLength: Int
    private(set) var line: Int
    private var lineStartOffset = 0
    /// Open containers while skipping: `{` or `[`. Kept to reuse its storage.
    private var stack: [UInt8] = []
    /// Containers opened by the caller, innermost last.
    private var open: [UInt8] = []
    private var scratch: [UInt8] = []

    /// How the scanner's own messages name the document and what to do, for the format read.
    struct Wording {
        /// What writes the document, after "which no": "llvm-cov export".
        var writer: String
        /// After "not valid": "llvm-cov export JSON".
        var document: String
        /// What to do about a document that is not valid: "Write the export again with llvm-cov export".
        var advice: String
        /// After "ends in the middle of a string: ", what that means and what to do.
        var truncation = "the report is truncated. Run the coverage export again and let it finish"
    }

    let wording: Wording

    /// `line` is the line the reader's first byte is on (a line of a JSON lines report).
    init(
        reader: TextReportReader, wording: Wording, maxDepth: Int = JSONScanner.maxDepth,
        maxStringLength: Int = JSONScanner.maxStringLength, maxNumberLength: Int = JSONScanner.maxNumberLength, line: Int = 1
    ) {
        self.reader = reader
        self.wording = wording
        self.maxDepth = maxDepth
        self.maxStringLength = maxStringLength
        self.maxNumberLength = maxNumberLength
        self.line = line
        lineStartOffset = reader.offset
    }

    /// Where the scanner is, to come back to with `restore`.
    struct Mark {
        fileprivate var start: Int
        fileprivate var line: Int
        fileprivate var lineStartOffset: Int
        fileprivate var open: [UInt8]
    }

    /// Only over a reader holding the whole input: a streamed reader drops the bytes it consumed.
    var mark: Mark {
        precondition(reader.holdsWholeInput, "a mark in a streamed JSON document")
        return Mark(start: reader.start, line: line, lineStartOffset: lineStartOffset, open: open)
    }

    mutating func restore(_ mark: Mark) {
        precondition(reader.holdsWholeInput, "a mark in a streamed JSON document")
        reader.start = mark.start
        line = mark.line
        lineStartOffset = mark.lineStartOffset
        open = mark.open
    }

    var column: Int { reader.offset - lineStartOffset + 1 }

    func error(_ message: String) -> GatehouseError {
        reader.error("\(message) (at byte \(reader.offset)).", line: line, column: column)
    }

    func truncated(_ what: String) -> GatehouseError {
        error("the JSON document ends in the middle of \(what): \(wording.truncation)")
    }

    func unexpected(_ byte: UInt8, expected: String) -> GatehouseError {
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
        return error("expected \(expected) but found \(shown): not valid \(wording.document). \(wording.advice)")
    }

    // MARK: Bytes

    @inline(__always)
    private mutating func peek() throws(GatehouseError) -> UInt8? {
        if reader.start == reader.end {
            guard try reader.fill() else { return nil }
        }
        return reader.base[reader.start]
    }

    /// The next byte that is not JSON white space, not consumed; nil at the end.
    @inline(__always)
    mutating func peekToken() throws(GatehouseError) -> UInt8? {
        while true {
            if reader.start == reader.end {
                guard try reader.fill() else { return nil }
            }
            let byte = reader.base[reader.start]
            switch byte {
            case 0x20, 0x09, 0x0D:
                reader.start += 1
            case 0x0A:
                reader.start += 1
                line += 1
                lineStartOffset = reader.offset
            default:
                return byte
            }
        }
    }

    mutating func token(_ what: String) throws(GatehouseError) -> UInt8 {
        guard let byte = try peekToken() else { throw truncated(what) }
        return byte
    }

    mutating func skipByteOrderMark() throws(GatehouseError) {
        if try peek() == 0xEF {
            for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
                guard let byte = try peek() else { throw truncated("the document") }
                guard byte == expected else { throw unexpected(byte, expected: "'{'") }
                reader.start += 1
            }
            lineStartOffset = reader.offset
        }
    }

    /// Only white space may follow the document.
    mutating func expectEnd() throws(GatehouseError) {
        if let byte = try peekToken() { throw unexpected(byte, expected: "the end of the document") }
    }

    // MARK: Containers the caller walks

    /// Consumes `{`; false when the object is empty (its `}` consumed too).
    mutating func openObject(what: String) throws(GatehouseError) -> Bool {
        let byte = try token(what)
        guard byte == UInt8(ascii: "{") else { throw unexpected(byte, expected: "an object for \(what)") }
        try push(byte, skipping: false)
        reader.start += 1
        if try token(what) == UInt8(ascii: "}") {
            reader.start += 1
            open.removeLast()
            return false
        }
        return true
    }

    /// Consumes `[`; false when the array is empty (its `]` consumed too).
    mutating func openArray(what: String) throws(GatehouseError) -> Bool {
        let byte = try token(what)
        guard byte == UInt8(ascii: "[") else { throw unexpected(byte, expected: "an array for \(what)") }
        try push(byte, skipping: false)
        reader.start += 1
        if try token(what) == UInt8(ascii: "]") {
            reader.start += 1
            open.removeLast()
            return false
        }
        return true
    }

    /// Reads `"key":`.
    mutating func readKey(into key: inout [UInt8]) throws(GatehouseError) {
        let byte = try token("an object")
        guard byte == UInt8(ascii: "\"") else { throw unexpected(byte, expected: "a quoted key") }
        key.removeAll(keepingCapacity: true)
        try readString(into: &key, what: "a key")
        let colon = try token("an object")
        guard colon == UInt8(ascii: ":") else { throw unexpected(colon, expected: "':' after a key") }
        reader.start += 1
    }

    /// Skips `"key":`.
    private mutating func skipKey() throws(GatehouseError) {
        let byte = try token("an object")
        guard byte == UInt8(ascii: "\"") else { throw unexpected(byte, expected: "a quoted key") }
        reader.start += 1
        var unused: [UInt8] = []
        try scanString(into: &unused, keep: false)
        let colon = try token("an object")
        guard colon == UInt8(ascii: ":") else { throw unexpected(colon, expected: "':' after a key") }
        reader.start += 1
    }

    /// The scratch buffer, emptied, moved out of `self` so that it can be passed `inout`.
    private mutating func takeScratch() -> [UInt8] {
        var buffer: [UInt8] = []
        swap(&buffer, &scratch)
        buffer.removeAll(keepingCapacity: true)
        return buffer
    }

    /// After a member's value: consumes `,` (true: another member follows) or `}` (false).
    mutating func nextMember() throws(GatehouseError) -> Bool {
        let byte = try token("an object")
        reader.start += 1
        if byte == UInt8(ascii: ",") { return true }
        if byte == UInt8(ascii: "}") {
            open.removeLast()
            return false
        }
        reader.start -= 1
        throw unexpected(byte, expected: "',' or '}' after an object member")
    }

    /// After an element: consumes `,` (true: another element follows) or `]` (false).
    mutating func nextElement() throws(GatehouseError) -> Bool {
        let byte = try token("an array")
        reader.start += 1
        if byte == UInt8(ascii: ",") { return true }
        if byte == UInt8(ascii: "]") {
            open.removeLast()
            return false
        }
        reader.start -= 1
        throw unexpected(byte, expected: "',' or ']' after an array element")
    }

    private mutating func push(_ byte: UInt8, skipping: Bool) throws(GatehouseError) {
        guard open.count + stack.count < maxDepth else {
            throw error("the JSON document nests deeper than \(maxDepth) levels, which no \(wording.writer) does. Check the report's path and format")
        }
        if skipping { stack.append(byte) } else { open.append(byte) }
    }

    // MARK: Values

    /// Reads a string value, the next token, decoding its escapes into `out`.
    mutating func readString(into out: inout [UInt8], what: String) throws(GatehouseError) {
        let byte = try token(what)
        guard byte == UInt8(ascii: "\"") else { throw unexpected(byte, expected: "a string for \(what)") }
        reader.start += 1
        try scanString(into: &out, keep: true)
    }

    /// After the opening quote: up to and including the closing quote.
    private mutating func scanString(into out: inout [UInt8], keep: Bool) throws(GatehouseError) {
        while true {
            if reader.start == reader.end {
                guard try reader.fill() else { throw truncated("a string") }
            }
            // The plain run up to a quote, a backslash or a control character.
            let base = reader.base
            var index = reader.start
            let end = reader.end
            while index < end {
                let byte = base[index]
                if byte == 0x22 || byte == 0x5C || byte < 0x20 { break }
                index += 1
            }
            if keep, index > reader.start {
                guard out.count + (index - reader.start) <= maxStringLength else {
                    throw error("a string is longer than \(maxStringLength >> 20) MiB, which no \(wording.writer) has. Check the report")
                }
                out.append(contentsOf: UnsafeBufferPointer(start: base + reader.start, count: index - reader.start))
            }
            reader.start = index
            guard index < end else { continue }
            let byte = base[index]
            if byte == 0x22 {
                reader.start += 1
                return
            }
            if byte < 0x20 {
                throw unexpected(byte, expected: "a string without raw control characters")
            }
            reader.start += 1  // the backslash
            try scanEscape(into: &out, keep: keep)
        }
    }

    private mutating func scanEscape(into out: inout [UInt8], keep: Bool) throws(GatehouseError) {
        guard let byte = try peek() else { throw truncated("a string") }
        reader.start += 1
        let simple: UInt8?
        switch byte {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            reader.start -= 1
            throw unexpected(byte, expected: "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)")
        }
        if let simple {
            if keep { out.append(simple) }
            return
        }
        var scalar = try hex4()
        if scalar >= 0xD800, scalar < 0xDC00 {
            // A high surrogate: a low one must follow to make one scalar.
            if try peek() == UInt8(ascii: "\\") {
                reader.start += 1
                if try peek() == UInt8(ascii: "u") {
                    reader.start += 1
                    let low = try hex4()
                    if low >= 0xDC00, low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        if keep { appendUTF8(0xFFFD, to: &out) }
                        scalar = low
                    }
                } else {
                    // An escape of its own, read here: the backslash cannot be put back, as
                    // peeking past it may have refilled the buffer (it was then the last byte
                    // read, and start - 1 fell before the buffer: found by fuzzing).
                    if keep { appendUTF8(0xFFFD, to: &out) }
                    try scanEscape(into: &out, keep: keep)
                    return
                }
            } else {
                scalar = 0xFFFD
            }
        }
        if scalar >= 0xD800, scalar < 0xE000 { scalar = 0xFFFD }
        if keep { appendUTF8(scalar, to: &out) }
    }

    private mutating func hex4() throws(GatehouseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try peek() else { throw truncated("a string") }
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: throw unexpected(byte, expected: "four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            reader.start += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(value)).utf8)
    }

    /// A JSON number as an integer: a fraction is dropped, an exponent applied, and values beyond
    /// ±`ReportBytes.saturatedCount` are clamped to it.
    mutating func readInteger(what: String) throws(GatehouseError) -> Int {
        let first = try token(what)
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw unexpected(first, expected: "a number for \(what)")
        }
        // The common case, read in place: up to 18 digits, no sign, no leading zero, ending
        // inside the buffer at a byte that cannot continue a number.
        if first != UInt8(ascii: "-") {
            let base = reader.base
            var index = reader.start
            let limit = Swift.min(reader.end, index + 19)
            var value = 0
            while index < limit, case let digit = base[index] &- 0x30, digit < 10 {
                value = value &* 10 &+ Int(digit)
                index += 1
            }
            let digits = index - reader.start
            if index < limit, digits > 0, digits < 19, first != 0x30 || digits == 1 {
                let next = base[index]
                if next == UInt8(ascii: ",") || next == UInt8(ascii: "]") || next == UInt8(ascii: "}") || next == 0x20 || next == 0x0A
                    || next == 0x0D || next == 0x09
                {
                    reader.start = index
                    return value
                }
            }
        }
        var scratch = takeScratch()
        defer { self.scratch = scratch }
        try scanNumber(into: &scratch)
        var isPlainInteger = true
        var value = 0
        var negative = false
        for (index, byte) in scratch.enumerated() {
            if index == 0, byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else {
                isPlainInteger = false
                break
            }
            value = value > ReportBytes.maxDigitsValue ? ReportBytes.saturatedCount : value * 10 + Int(byte - 0x30)
        }
        if isPlainInteger {
            value = Swift.min(value, ReportBytes.saturatedCount)
            return negative ? -value : value
        }
        let double = Double(String(decoding: scratch, as: UTF8.self)) ?? 0
        let limit = Double(ReportBytes.saturatedCount)
        return Int(Swift.max(-limit, Swift.min(limit, double.rounded(.towardZero))))
    }

    /// `true`/`false`, or a number (non-zero is true), as older writers used.
    mutating func readFlag(what: String) throws(GatehouseError) -> Bool {
        let first = try token(what)
        if reader.end - reader.start >= 5 {
            let p = reader.base + reader.start
            if p[0] == UInt8(ascii: "t"), p[1] == UInt8(ascii: "r"), p[2] == UInt8(ascii: "u"), p[3] == UInt8(ascii: "e") {
                reader.start += 4
                return true
            }
            if p[0] == UInt8(ascii: "f"), p[1] == UInt8(ascii: "a"), p[2] == UInt8(ascii: "l"), p[3] == UInt8(ascii: "s"), p[4] == UInt8(ascii: "e") {
                reader.start += 5
                return false
            }
        }
        if first == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        if first == UInt8(ascii: "f") {
            try literal("false")
            return false
        }
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw unexpected(first, expected: "true or false for \(what)")
        }
        return try readInteger(what: what) != 0
    }

    /// Reads a number value, the next token, appending its text (checked against the JSON grammar) to `out`.
    mutating func readNumber(into out: inout [UInt8], what: String) throws(GatehouseError) {
        let first = try token(what)
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else {
            throw unexpected(first, expected: "a number for \(what)")
        }
        try scanNumber(into: &out)
    }

    /// Validates a number (the JSON grammar) and consumes it, appending its bytes to `out`.
    private mutating func scanNumber(into out: inout [UInt8]) throws(GatehouseError) {
        // States: 0 sign/start, 1 integer digits, 2 after '.', 3 fraction digits, 4 after e, 5 after e sign, 6 exponent digits.
        var state = 0
        var leadingZero = false
        while let byte = try peek() {
            let isDigit = byte >= 0x30 && byte <= 0x39
            var accept = true
            switch state {
            case 0:
                if byte == UInt8(ascii: "-"), out.isEmpty { break }
                if isDigit {
                    state = 1
                    leadingZero = byte == 0x30
                } else {
                    accept = false
                }
            case 1:
                if isDigit {
                    if leadingZero { throw unexpected(byte, expected: "a number without leading zeros") }
                } else if byte == UInt8(ascii: ".") {
                    state = 2
                } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    state = 4
                } else {
                    accept = false
                }
            case 2: if isDigit { state = 3 } else { throw unexpected(byte, expected: "a digit after '.'") }
            case 3:
                if isDigit {
                } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                    state = 4
                } else {
                    accept = false
                }
            case 4:
                if isDigit { state = 6 } else if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") { state = 5 } else {
                    throw unexpected(byte, expected: "an exponent")
                }
            case 5: if isDigit { state = 6 } else { throw unexpected(byte, expected: "an exponent") }
            default: if !isDigit { accept = false }
            }
            if !accept { break }
            guard out.count < maxNumberLength else { throw error("a number is longer than \(maxNumberLength) characters. Check the report") }
            out.append(byte)
            reader.start += 1
        }
        guard state == 1 || state == 3 || state == 6 else {
            if let byte = try peek() { throw unexpected(byte, expected: "a digit") }
            throw truncated("a number")
        }
    }

    mutating func literal(_ word: StaticString) throws(GatehouseError) {
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes {
            guard let byte = try peek() else { throw truncated("\(word)") }
            guard byte == expected else { throw unexpected(byte, expected: "\(word)") }
            reader.start += 1
        }
    }

    /// Skips one value of any kind, checking that it is well formed, without recursion.
    mutating func skipValue() throws(GatehouseError) {
        stack.removeAll(keepingCapacity: true)
        while true {
            // A value starts here.
            let byte = try token("a value")
            switch byte {
            case UInt8(ascii: "{"):
                try push(byte, skipping: true)
                reader.start += 1
                if try token("an object") == UInt8(ascii: "}") {
                    reader.start += 1
                    stack.removeLast()
                } else {
                    try skipKey()
                    continue
                }
            case UInt8(ascii: "["):
                try push(byte, skipping: true)
                reader.start += 1
                if try token("an array") == UInt8(ascii: "]") {
                    reader.start += 1
                    stack.removeLast()
                } else {
                    continue
                }
            case UInt8(ascii: "\""):
                reader.start += 1
                var unused: [UInt8] = []
                try scanString(into: &unused, keep: false)
            case UInt8(ascii: "-"), 0x30...0x39:
                var number = takeScratch()
                defer { scratch = number }
                try scanNumber(into: &number)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: throw unexpected(byte, expected: "a value")
            }
            // After a value: close containers, or go on to the next element or member.
            while true {
                guard let top = stack.last else { return }
                let next = try token(top == UInt8(ascii: "{") ? "an object" : "an array")
                if next == UInt8(ascii: ",") {
                    reader.start += 1
                    if top == UInt8(ascii: "{") { try skipKey() }
                    break
                }
                if (next == UInt8(ascii: "}") && top == UInt8(ascii: "{")) || (next == UInt8(ascii: "]") && top == UInt8(ascii: "[")) {
                    reader.start += 1
                    stack.removeLast()
                    continue
                }
                throw unexpected(next, expected: top == UInt8(ascii: "{") ? "',' or '}'" : "',' or ']'")
            }
        }
    }
}
