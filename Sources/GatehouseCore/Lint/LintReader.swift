import Foundation

/// Reads a lint report of any supported format, detected from its content.
public enum LintReader {
    static var parsers: [any LintParser.Type] { LintFormats.all }

    /// Opens a report named in the configuration or on the command line.
    public static func open(path: String, displayPath: String? = nil) throws(GatehouseError) -> InputSource {
        try InputSource(path: path, displayPath: displayPath, what: "lint report", origin: "lint.reports, or --lint")
    }

    /// Reads the report at `path`, opened once and read once: detection and parsing share the
    /// descriptor, so a pipe (`--lint /dev/stdin`, `<(...)`) works.
    public static func read(path: String, displayPath: String? = nil) throws(GatehouseError) -> LintReport {
        let source = try open(path: path, displayPath: displayPath)
        return try detect(source).parse(source)
    }

    /// The parser for the report, from its first 4 KiB (read ahead: the parser still reads them).
    static func detect(_ source: InputSource) throws(GatehouseError) -> any LintParser.Type {
        try LintFormats.family.detect(source)
    }
}

// MARK: - Shared by the lint parsers

enum LintBytes {
    /// Lint reports are small (ESLint on a large monorepo: tens of MB); this bounds memory.
    static let maxReportSize = 512 << 20
    /// No source file has this many lines; a larger line number is corrupt data.
    static let maxLine = 10_000_000

    static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    /// A NUL byte, or many control bytes, in the first 512 bytes.
    static func looksBinary(_ bytes: [UInt8]) -> Bool {
        let head = bytes.prefix(512)
        if head.contains(0) { return true }
        let control = head.filter { $0 < 0x20 && !isBlank($0) && $0 != 0x0C }.count
        return control * 10 > head.count
    }

    /// The rest of the report, in memory, refusing an empty or binary one and one beyond `maxReportSize`.
    static func read(_ source: InputSource, formatName: String) throws(GatehouseError) -> TextReportReader {
        let displayPath = source.displayPath
        let input = try TextReportReader(
            wholeOf: source, limit: maxReportSize, advice: "No \(formatName) report is this large; check the path, or filter the linter's output.")
        let head = input.withUnreadBytes { Array($0.prefix(512)) }
        guard !head.isEmpty else {
            throw GatehouseError(
                .invalidReport, "the \(formatName) report is empty (0 bytes). Did the linter run and write it?", at: SourceLocation(file: displayPath))
        }
        if looksBinary(head) {
            throw GatehouseError(
                .invalidReport, "this is not a \(formatName) report (it is binary). Point Gatehouse at the report the linter writes.",
                at: SourceLocation(file: displayPath, line: 1))
        }
        return input
    }

    /// Decodes a URI's percent escapes (invalid escapes are kept as written).
    static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let high = hex(bytes[i + 1]), let low = hex(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Findings as a parser collects them, refused past `LintJSON.maxFindings`.
struct Findings {
    let displayPath: String
    private(set) var all: [Finding] = []

    init(displayPath: String) {
        self.displayPath = displayPath
    }

    mutating func append(_ finding: Finding, line: Int?) throws(GatehouseError) {
        guard all.count < LintJSON.maxFindings else {
            throw GatehouseError(
                .invalidReport,
                "the report has more than \(LintJSON.maxFindings) findings, the most Gatehouse reads from one report. "
                    + "Filter the linter's output (by path or severity) or split the report.",
                at: SourceLocation(file: displayPath, line: line))
        }
        all.append(finding)
    }

    mutating func setPath(_ path: String, at index: Int) {
        all[index].reportPath = path
    }
}

/// Typed access to a report's JSON with errors that name the file, the line and what to do.
struct LintJSONReader {
    let displayPath: String
    let formatName: String

    func error(_ message: String, line: Int?) -> GatehouseError {
        GatehouseError(.invalidReport, message, at: SourceLocation(file: displayPath, line: line))
    }

    func wrongType(_ node: LintJSON, _ what: String, expected: String) -> GatehouseError {
        error("\(what) is \(node.typeName), not \(expected). The \(formatName) report is malformed; regenerate it.", line: node.line)
    }

    func object(_ node: LintJSON, _ what: String) throws(GatehouseError) -> [String: LintJSON] {
        guard case .object(let members) = node.value else { throw wrongType(node, what, expected: "an object") }
        return members
    }

    func array(_ node: LintJSON, _ what: String) throws(GatehouseError) -> [LintJSON] {
        guard case .array(let elements) = node.value else { throw wrongType(node, what, expected: "an array") }
        return elements
    }

    /// An optional array: absent or null gives `[]`.
    func optionalArray(_ node: LintJSON?, _ what: String) throws(GatehouseError) -> [LintJSON] {
        guard let node, !node.isNull else { return [] }
        return try array(node, what)
    }

    func optionalObject(_ node: LintJSON?, _ what: String) throws(GatehouseError) -> [String: LintJSON]? {
        guard let node, !node.isNull else { return nil }
        return try object(node, what)
    }

    func optionalString(_ node: LintJSON?, _ what: String) throws(GatehouseError) -> String? {
        guard let node, !node.isNull else { return nil }
        guard case .string(let text) = node.value else { throw wrongType(node, what, expected: "a string") }
        return text
    }

    /// A whole number (JSON `12`, or `12.0`); nil when absent or null.
    func optionalInteger(_ node: LintJSON?, _ what: String) throws(GatehouseError) -> Int? {
        guard let node, !node.isNull else { return nil }
        guard case .number(let raw) = node.value else { throw wrongType(node, what, expected: "a whole number") }
        if let value = Int(raw) { return value }
        if let double = Double(raw), double.rounded() == double, abs(double) < 1e15 { return Int(double) }
        throw error("\(what) is \(InputText.token(raw)), not a whole number. The \(formatName) report is malformed; regenerate it.", line: node.line)
    }

    /// A source line: absent or null gives nil; otherwise a whole number from 1 to `LintBytes.maxLine`.
    func optionalLine(_ node: LintJSON?, _ what: String) throws(GatehouseError) -> Int? {
        guard let node, let value = try optionalInteger(node, what) else { return nil }
        guard value >= 1 else {
            throw error("\(what) is \(value), but source lines start at 1. The \(formatName) report is corrupt; regenerate it.", line: node.line)
        }
        guard value <= LintBytes.maxLine else {
            throw error("\(what) is \(value), beyond any source file (at most \(LintBytes.maxLine)). The \(formatName) report is corrupt; regenerate it.", line: node.line)
        }
        return value
    }

    /// `endLine` checked against `line`: before it is an error.
    func endLine(_ node: LintJSON?, _ what: String, start: Int?) throws(GatehouseError) -> Int? {
        guard let end = try optionalLine(node, what) else { return nil }
        if let start, end < start {
            throw error("\(what) \(end) is before the start line \(start). The \(formatName) report is corrupt; regenerate it.", line: node?.line)
        }
        return end
    }
}
