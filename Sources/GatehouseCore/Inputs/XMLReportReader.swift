import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

// Streaming XML machinery shared by the XML report parsers: Cobertura, JaCoCo and Clover
// (coverage) and Checkstyle (lint).

/// What an XML file says before its root element, read from its first bytes without an XML parser.
///
/// Detection uses it on the 4 KiB prefix; parsing uses it on the first 64 KiB to refuse a DOCTYPE
/// with an internal subset before libxml2 sees it. FoundationXML on Linux does not report entity
/// declarations to the delegate and parses with entity substitution on, so this is where
/// entity-expansion attacks (billion laughs) and locally declared external entities are stopped:
/// with no internal subset, a document can only use the five predefined entities, and the external
/// DTD that Cobertura and JaCoCo reports name is never loaded (`shouldResolveExternalEntities` is
/// off, so libxml2 does not load DTDs). A declared encoding that would let libxml2 see markup this
/// scan cannot (UTF-7, EBCDIC) is refused too: see `encodingIsSupported`.
struct XMLProlog {
    enum Outcome: Equatable {
        /// The root element's start tag begins in the bytes read.
        case root
        /// The bytes end before the root element (or are empty).
        case incomplete
        /// Something other than XML markup comes before the root element.
        case notXML
        /// A `<!DOCTYPE … [` internal subset: entity declarations, refused.
        case internalSubset
        /// UTF-32 or another encoding whose markup is not ASCII bytes.
        case unsupportedEncoding
        /// An XML declaration (`<?xml …?>`) that is not at the very start of the document, or a
        /// second one: XML allows one, first. libxml2 crashes on some (a second declaration after
        /// one that switched the encoding), and the encoding check could not say which one it reads.
        case misplacedDeclaration
    }

    var outcome: Outcome = .incomplete
    /// The root element's name, or empty.
    var rootName = ""
    /// The root start tag after its name, as far as the bytes go: its attributes.
    var rootTag: [UInt8] = []
    /// The DOCTYPE declaration after `<!DOCTYPE`, whitespace-trimmed, when there is one.
    var doctype: String?
    /// The `encoding` of the XML declaration, when there is one.
    var encoding: String?
    /// Whether the bytes were UTF-16 (converted to UTF-8 in `text`).
    var isUTF16 = false
    /// 1-based line where scanning stopped (the root tag, or the offending markup).
    var line = 1
    /// The bytes scanned, as UTF-8.
    var text: [UInt8] = []

    static func scan(_ input: [UInt8]) -> XMLProlog {
        var prolog = XMLProlog()
        guard let (utf8, isUTF16) = transcode(input) else {
            prolog.outcome = .unsupportedEncoding
            return prolog
        }
        prolog.text = utf8
        prolog.isUTF16 = isUTF16
        let b = utf8
        var i = 0
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        let documentStart = i

        func starts(_ literal: String, at index: Int) -> Bool {
            var k = index
            for byte in literal.utf8 {
                guard k < b.count, b[k] == byte else { return false }
                k += 1
            }
            return true
        }
        func find(_ literal: String, from index: Int) -> Int? {
            var k = index
            while k < b.count {
                if starts(literal, at: k) { return k }
                k += 1
            }
            return nil
        }
        func finish(_ outcome: Outcome, at index: Int) -> XMLProlog {
            prolog.outcome = outcome
            prolog.line = 1 + b[..<min(index, b.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return prolog
        }

        while true {
            while i < b.count, isSpace(b[i]) { i += 1 }
            guard i < b.count else { return finish(.incomplete, at: i) }
            guard b[i] == UInt8(ascii: "<") else { return finish(.notXML, at: i) }
            if starts("<?", at: i) {
                guard let close = find("?>", from: i + 2) else { return finish(.incomplete, at: i) }
                // The target `xml` (any case) is reserved for the one declaration at the start.
                if i + 5 <= b.count, b[(i + 2)..<(i + 5)].map({ $0 | 0x20 }) == Array("xml".utf8), i + 5 == close || isSpace(b[i + 5]) {
                    guard i == documentStart, starts("<?xml", at: i), i + 5 < close else { return finish(.misplacedDeclaration, at: i) }
                    prolog.encoding = pseudoAttribute("encoding", in: Array(b[(i + 5)..<close]))
                }
                i = close + 2
            } else if starts("<!--", at: i) {
                guard let close = find("-->", from: i + 4) else { return finish(.incomplete, at: i) }
                i = close + 3
            } else if starts("<!DOCTYPE", at: i) {
                let start = i
                var k = i + 9
                var quote: UInt8?
                var closed = false
                while k < b.count {
                    let byte = b[k]
                    if let q = quote {
                        if byte == q { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: "[") {
                        return finish(.internalSubset, at: k)
                    } else if byte == UInt8(ascii: ">") {
                        closed = true
                        break
                    }
                    k += 1
                }
                prolog.doctype = String(decoding: b[(start + 9)..<k], as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                guard closed else { return finish(.incomplete, at: start) }
                i = k + 1
            } else if i + 1 < b.count, isNameStart(b[i + 1]) {
                var k = i + 1
                while k < b.count, !isSpace(b[k]), b[k] != UInt8(ascii: ">"), b[k] != UInt8(ascii: "/") { k += 1 }
                prolog.rootName = String(decoding: b[(i + 1)..<k], as: UTF8.self)
                var end = k
                var quote: UInt8?
                while end < b.count {
                    let byte = b[end]
                    if let q = quote {
                        if byte == q { quote = nil }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        quote = byte
                    } else if byte == UInt8(ascii: ">") {
                        break
                    }
                    end += 1
                }
                prolog.rootTag = Array(b[k..<end])
                return finish(.root, at: i)
            } else if i + 1 >= b.count {
                return finish(.incomplete, at: i)
            } else {
                return finish(.notXML, at: i)
            }
        }
    }

    /// Whether libxml2 reads the document in an encoding whose markup this scan has seen as it is.
    ///
    /// An ASCII-looking document that declares, say, UTF-7 is decoded by libxml2 after the
    /// declaration: `+AFs-` becomes `[`, and an internal subset this scan never saw would declare
    /// entities. So only encodings that write markup as ASCII bytes are allowed, and UTF-16 only
    /// when the bytes are UTF-16.
    var encodingIsSupported: Bool {
        guard let encoding = encoding?.lowercased() else { return true }
        if isUTF16 { return encoding.hasPrefix("utf-16") || encoding == "utf16" }
        let exact: Set<String> = ["utf-8", "utf8", "us-ascii", "ascii", "latin1", "latin-1", "iso-latin-1", "iso_8859-1", "l1"]
        return exact.contains(encoding) || encoding.hasPrefix("iso-8859-") || encoding.hasPrefix("windows-125")
            || encoding.hasPrefix("cp125")
    }

    /// The value of `name="…"` (or single quotes) in the text of an XML declaration.
    private static func pseudoAttribute(_ name: String, in bytes: [UInt8]) -> String? {
        let needle = Array(name.utf8)
        var k = 0
        while k + needle.count <= bytes.count {
            if bytes[k..<(k + needle.count)].elementsEqual(needle) {
                var j = k + needle.count
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "=") else { k += 1; continue }
                j += 1
                while j < bytes.count, isSpace(bytes[j]) { j += 1 }
                guard j < bytes.count, bytes[j] == UInt8(ascii: "\"") || bytes[j] == UInt8(ascii: "'") else { return nil }
                let quote = bytes[j]
                guard let end = bytes[(j + 1)...].firstIndex(of: quote) else { return nil }
                return String(decoding: bytes[(j + 1)..<end], as: UTF8.self)
            }
            k += 1
        }
        return nil
    }

    /// The bytes as UTF-8 and whether they were UTF-16: ASCII-compatible encodings as they are,
    /// UTF-16 (with a byte order mark, or recognised from `<` followed or preceded by a zero byte)
    /// converted; nil for UTF-32.
    private static func transcode(_ bytes: [UInt8]) -> ([UInt8], Bool)? {
        if bytes.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE, 0x00, 0x00])
            || bytes.starts(with: [0x00, 0x00, 0x00, 0x3C]) || bytes.starts(with: [0x3C, 0x00, 0x00, 0x00]) {
            return nil
        }
        var littleEndian: Bool
        var start = 0
        if bytes.starts(with: [0xFF, 0xFE]) {
            littleEndian = true
            start = 2
        } else if bytes.starts(with: [0xFE, 0xFF]) {
            littleEndian = false
            start = 2
        } else if bytes.starts(with: [0x3C, 0x00]) {
            littleEndian = true
        } else if bytes.starts(with: [0x00, 0x3C]) {
            littleEndian = false
        } else {
            return (bytes, false)
        }
        var units: [UInt16] = []
        units.reserveCapacity((bytes.count - start) / 2)
        var k = start
        while k + 1 < bytes.count {
            let (low, high) = littleEndian ? (bytes[k], bytes[k + 1]) : (bytes[k + 1], bytes[k])
            units.append(UInt16(high) << 8 | UInt16(low))
            k += 2
        }
        return (Array(String(decoding: units, as: UTF16.self).utf8), true)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }

    /// Whether the root start tag has the attribute `name` (`name=` after whitespace).
    func rootHasAttribute(_ name: String) -> Bool {
        let needle = Array(name.utf8)
        let tag = rootTag
        var k = 0
        while k + needle.count <= tag.count {
            if (k == 0 || Self.isSpace(tag[k - 1])), tag[k..<(k + needle.count)].elementsEqual(needle) {
                var after = k + needle.count
                while after < tag.count, Self.isSpace(tag[after]) { after += 1 }
                if after < tag.count, tag[after] == UInt8(ascii: "=") { return true }
            }
            k += 1
        }
        return false
    }

    /// Whether a start tag `<name` (followed by whitespace, `>` or `/`) occurs in the bytes scanned.
    func containsElement(_ name: String) -> Bool {
        let needle = Array(("<" + name).utf8)
        let b = text
        var k = 0
        while k + needle.count <= b.count {
            if b[k] == UInt8(ascii: "<"), b[k..<(k + needle.count)].elementsEqual(needle) {
                let after = k + needle.count
                if after == b.count || Self.isSpace(b[after]) || b[after] == UInt8(ascii: ">") || b[after] == UInt8(ascii: "/") {
                    return true
                }
            }
            k += 1
        }
        return false
    }
}

/// An `XMLParser` delegate that keeps the open elements and the first problem, and hands each
/// element to a format's subclass. Subclasses hold one source file's lines at a time.
///
/// FoundationXML (libxml2 underneath, in recovery mode) can return `true` from `parse()` after an
/// error and keeps delivering events after one, so the reader stops at the first error itself and
/// only trusts a parse that closed its root element with no error reported.
class XMLReportReader: NSObject, XMLParserDelegate {
    /// Deeper than any report nests (JaCoCo's groups are the deepest: a handful of levels).
    static let maxDepth = 256
    /// The first bytes examined before parsing, to refuse internal DTD subsets.
    static let prologLimit = 64 * 1024
    /// No source file has this many lines; a larger line number is corrupt data.
    static let maxLine = 10_000_000

    let displayPath: String
    let formatName: String
    /// What writes this format, for "regenerate it with …": `the coverage tool`, `the linter`.
    let producer: String
    /// The open elements, root first.
    private(set) var stack: [String] = []
    private var failure: GatehouseError?
    private var xmlError: (code: Int, line: Int, column: Int)?
    private var rootClosed = false
    private weak var parser: XMLParser?

    init(displayPath: String, formatName: String, producer: String = "the coverage tool") {
        self.displayPath = displayPath
        self.formatName = formatName
        self.producer = producer
    }

    /// Where `emit(_:_:)` sends files: set by `run(_:path:emit:)` while it parses.
    private var emitter: ((FileCoverage, ReportInfo) throws(GatehouseError) -> Void)?

    /// Hands one file to the parse's consumer.
    func emit(_ file: FileCoverage, _ info: ReportInfo) throws(GatehouseError) {
        try emitter?(file, info)
    }

    /// `run(_:source:)`, with the files the reader emits handed to `emit` as they are read.
    static func run(_ reader: XMLReportReader, source: InputSource, emit: CoverageEmit) throws(GatehouseError) {
        try withoutActuallyEscaping(emit) { (escapable) throws(GatehouseError) in
            reader.emitter = escapable
            defer { reader.emitter = nil }
            try run(reader, source: source)
        }
    }

    // MARK: Subclass hooks

    /// An element opened; it is already the last of `stack`.
    func start(_ name: String, _ attributes: [String: String]) throws(GatehouseError) {}
    /// An element is closing; it is still the last of `stack`.
    func end(_ name: String) throws(GatehouseError) {}
    /// Text inside the current element.
    func text(_ string: String) {}

    /// The element enclosing the current one.
    var parent: String? { stack.count >= 2 ? stack[stack.count - 2] : nil }

    /// Where the parser is: the end of the current start tag.
    var location: SourceLocation {
        let line = parser?.lineNumber ?? 0
        let column = parser?.columnNumber ?? 0
        return SourceLocation(file: displayPath, line: max(line, 1), column: column > 0 ? column : nil)
    }

    func error(_ message: String) -> GatehouseError {
        GatehouseError(.invalidReport, message, at: location)
    }

    /// A required line-number attribute: a whole number from 1 to `maxLine`.
    func lineNumber(_ attributes: [String: String], _ name: String) throws(GatehouseError) -> Int {
        let element = stack.last ?? "line"
        guard let raw = attributes[name] else {
            throw error("<\(element)> has no \(name) attribute, so it names no source line. Regenerate the \(formatName) report with \(producer).")
        }
        switch Self.wholeNumber(raw) {
        case .value(let value) where value >= 1 && value <= Self.maxLine:
            return value
        case .value(let value) where value < 1:
            throw error("<\(element) \(name)=\"\(InputText.token(raw))\">: line \(value) does not exist (source lines start at 1). The report is corrupt; regenerate it.")
        case .value, .tooLarge:
            throw error("<\(element) \(name)=\"\(InputText.token(raw))\">: line \(InputText.token(raw)) is beyond any source file (at most \(Self.maxLine)). The report is corrupt; regenerate it.")
        case .notANumber:
            throw error("<\(element) \(name)=\"\(InputText.token(raw))\">: a line number must be a whole number. The report is corrupt; regenerate it.")
        }
    }

    /// A required count attribute (hits, instructions, branches): a whole number ≥ 0. Counts
    /// beyond `Int` (gcov's 64-bit unsigned counters) are capped.
    func count(_ attributes: [String: String], _ name: String, line: Int) throws(GatehouseError) -> Int {
        guard let value = try optionalCount(attributes, name, line: line) else {
            throw error("<\(stack.last ?? "line")> for line \(line) has no \(name) attribute. Regenerate the \(formatName) report with \(producer).")
        }
        return value
    }

    /// A count attribute that may be absent (nil); when present, as `count` checks it.
    func optionalCount(_ attributes: [String: String], _ name: String, line: Int) throws(GatehouseError) -> Int? {
        guard let raw = attributes[name] else { return nil }
        switch Self.wholeNumber(raw) {
        case .value(let value) where value >= 0:
            return value
        case .value:
            throw error("\(name)=\"\(InputText.token(raw))\" on line \(line) is negative; a count cannot be. The report is corrupt; regenerate it.")
        case .tooLarge:
            return Int.max / 2
        case .notANumber:
            throw error("\(name)=\"\(InputText.token(raw))\" on line \(line) is not a whole number. The report is corrupt; regenerate it.")
        }
    }

    enum WholeNumber: Equatable {
        case value(Int)
        case tooLarge
        case notANumber
    }

    /// Optional surrounding spaces, an optional `-`, then ASCII digits only. Runs once per line
    /// record, so it reads the UTF-8 bytes itself rather than through Foundation.
    static func wholeNumber(_ raw: String) -> WholeNumber {
        var utf8 = Substring(raw).utf8[...]
        while let first = utf8.first, first == 0x20 || first == 0x09 { utf8 = utf8.dropFirst() }
        while let last = utf8.last, last == 0x20 || last == 0x09 { utf8 = utf8.dropLast() }
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        guard !utf8.isEmpty else { return .notANumber }
        var value = 0
        var overflow = false
        for byte in utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return .notANumber }
            if !overflow {
                let (times10, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int(byte - 0x30))
                overflow = o1 || o2
                value = sum
            }
        }
        if overflow { return negative ? .value(Int.min) : .tooLarge }
        return .value(negative ? -value : value)
    }

    // MARK: Running

    /// Parses the report in `source` with `reader`, streaming: `XMLParser(stream:)` reads it in
    /// 128 KiB chunks and the reader keeps one source file's lines, so memory does not grow with the
    /// report beyond what the parser emits (a 62 MB Cobertura file whose lines sit in ignored
    /// `<methods>`: 22 MiB peak, as for a 3 MB one). `XMLParser(data:)` with a delegate peaks at
    /// 199 MiB on that file (the bytes, and libxml2 given them in one chunk).
    ///
    /// The report is read once, front to back, from the descriptor detection read from (a pipe
    /// can be read only once): the first 64 KiB are checked by `XMLProlog` before parsing (no
    /// internal DTD subset, a supported encoding), and every chunk is searched for `<?name?>`,
    /// which crashes FoundationXML, before the parser is given it (see `ReportStream`).
    static func run(_ reader: XMLReportReader, source: InputSource) throws(GatehouseError) {
        let shown = reader.displayPath
        let head = try source.peek(prologLimit)

        let prolog = XMLProlog.scan(head)
        let prologAt = SourceLocation(file: shown, line: prolog.line)
        switch prolog.outcome {
        case .root where !prolog.encodingIsSupported:
            throw GatehouseError(
                .invalidReport,
                "the report declares encoding=\"\(InputText.token(prolog.encoding ?? ""))\"; Gatehouse reads reports in UTF-8, UTF-16, ASCII, ISO-8859 or Windows-125x, the encodings whose markup it can check before parsing. Convert the file to UTF-8.",
                at: SourceLocation(file: shown, line: 1))
        case .root:
            break
        case .incomplete where head.isEmpty:
            throw GatehouseError(.invalidReport, "the \(reader.formatName) report is empty (0 bytes). Did the test run that writes it fail?", at: SourceLocation(file: shown))
        case .incomplete where head.count >= prologLimit:
            throw GatehouseError(.invalidReport, "no root element in the first \(prologLimit / 1024) KiB of the \(reader.formatName) report. Regenerate it with \(reader.producer).", at: prologAt)
        case .incomplete:
            throw GatehouseError(.invalidReport, "the \(reader.formatName) report ends before its root element: it is cut short. Regenerate it.", at: prologAt)
        case .notXML:
            let binary = head.prefix(512).contains(0)
            throw GatehouseError(
                .invalidReport,
                binary
                    ? "this is not XML (it is binary), so not a \(reader.formatName) report. Point Gatehouse at the XML report \(reader.producer) writes."
                    : "this is not XML: text or markup other than a declaration, comment or DOCTYPE comes before the root element. Point Gatehouse at the \(reader.formatName) XML report.",
                at: prologAt)
        case .internalSubset:
            throw GatehouseError(
                .invalidReport,
                "the DOCTYPE declares its own entities or elements (an internal DTD subset). Coverage tools and linters never write one and it can expand without bound (\"billion laughs\"), so Gatehouse refuses it. Regenerate the report with \(reader.producer).",
                at: prologAt)
        case .unsupportedEncoding:
            throw GatehouseError(.invalidReport, "the report is UTF-32 encoded; Gatehouse reads XML in UTF-8 or UTF-16. Convert it or regenerate it.", at: prologAt)
        case .misplacedDeclaration:
            // A dataless instruction before it is the likelier cause, and named first.
            var probe = DatalessInstructionScanner()
            if let (problem, line) = head.withUnsafeBufferPointer({ probe.scan($0) }) {
                throw preParseError(problem, line: line, reader: reader, shown: shown)
            }
            throw GatehouseError(
                .invalidReport,
                "an XML declaration (<?xml …?>) that is not the first thing in the file: XML allows one, at the very start, and the XML parser on Linux crashes on a second one. Regenerate the \(reader.formatName) report.",
                at: prologAt)
        }

        let stream = ReportStream(source)
        let parser = XMLParser(stream: stream)
        parser.shouldResolveExternalEntities = false
        parser.externalEntityResolvingPolicy = .never
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        parser.delegate = reader
        reader.parser = parser
        let succeeded = withExtendedLifetime(reader) { parser.parse() }

        if let (problem, line) = stream.problem {
            throw preParseError(problem, line: line, reader: reader, shown: shown)
        }
        if let failure = stream.failure { throw failure }
        if let failure = reader.failure { throw failure }
        if let xml = reader.xmlError {
            throw GatehouseError(
                .invalidReport,
                "not well-formed XML: \(describe(xmlCode: xml.code)). Regenerate the \(reader.formatName) report; if \(reader.producer) wrote it like this, the run that wrote it was probably interrupted.",
                at: SourceLocation(file: shown, line: max(xml.line, 1), column: xml.column > 0 ? xml.column : nil))
        }
        if !succeeded || parser.parserError != nil {
            let code = (parser.parserError as NSError?)?.code
            throw GatehouseError(
                .invalidReport,
                "the XML parser stopped: \(code.map(describe(xmlCode:)) ?? "the file could not be read to the end"). Regenerate the \(reader.formatName) report.",
                at: SourceLocation(file: shown, line: max(parser.lineNumber, 1)))
        }
        guard reader.rootClosed else {
            throw GatehouseError(
                .invalidReport, "the \(reader.formatName) report ends before its root element closes: it is cut short. Regenerate it.",
                at: SourceLocation(file: shown, line: max(parser.lineNumber, 1)))
        }
    }

    static func preParseError(_ problem: PreParseProblem, line: Int, reader: XMLReportReader, shown: String) -> GatehouseError {
        switch problem {
        case .datalessProcessingInstruction:
            GatehouseError(
                .invalidReport,
                "a processing instruction without data (<?name?>), which no coverage tool or linter writes and which crashes the XML parser on Linux, so Gatehouse refuses it. Regenerate the \(reader.formatName) report.",
                at: SourceLocation(file: shown, line: line))
        case .unpairedSurrogate:
            GatehouseError(
                .invalidReport,
                "the report is UTF-16 with a broken character (half of a surrogate pair), which crashes the XML parser on Linux, so Gatehouse refuses it. Regenerate the \(reader.formatName) report.",
                at: SourceLocation(file: shown, line: line))
        }
    }

    /// libxml2's error codes (which XMLParser.ErrorCode mirrors) for the problems reports have.
    static func describe(xmlCode code: Int) -> String {
        switch code {
        case 4: "the document is empty or is not XML"
        case 5: "content after the root element ends, or the document is cut short"
        case 9: "a character that XML does not allow (is the file binary, or in another encoding than it declares?)"
        case 23: "an entity reference without its closing ';'"
        case 26, 27: "a reference to an undeclared entity"
        case 31, 32: "an encoding libxml2 does not know"
        case 34, 40, 44, 45, 47, 63, 77: "the document ends inside a value, comment or tag: it is cut short"
        case 38: "a '<' inside an attribute value"
        case 39, 41: "an attribute without a quoted value"
        case 42: "an attribute given twice on one element"
        case 64: "an XML declaration (<?xml …?>) after the start of the document"
        case 68: "a tag without a name"
        case 73: "a tag that is not closed with '>'"
        case 76: "an end tag that does not match the open element"
        case 81: "bytes that are not valid in the document's encoding"
        case 111: "parsing was stopped"
        default: "libxml2 error \(code)"
        }
    }

    private func fail(_ problem: GatehouseError, _ parser: XMLParser) {
        if failure == nil { failure = problem }
        parser.abortParsing()
    }

    private var stopped: Bool { failure != nil || xmlError != nil }

    // MARK: XMLParserDelegate

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String]
    ) {
        guard !stopped else { return }
        guard stack.count < Self.maxDepth else {
            fail(error("elements nest more than \(Self.maxDepth) levels deep at <\(InputText.token(elementName))>; no coverage or lint report does. The file is corrupt or hostile; regenerate it."), parser)
            return
        }
        guard !rootClosed else {
            fail(error("a second root element <\(InputText.token(elementName))>; an XML report has one. Regenerate it."), parser)
            return
        }
        stack.append(elementName)
        do throws(GatehouseError) {
            try start(elementName, attributeDict)
        } catch {
            fail(error, parser)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard !stopped, !stack.isEmpty else { return }
        do throws(GatehouseError) {
            try end(elementName)
        } catch {
            fail(error, parser)
            return
        }
        stack.removeLast()
        if stack.isEmpty { rootClosed = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stopped else { return }
        text(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stopped else { return }
        text(String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if xmlError == nil, failure == nil {
            xmlError = ((parseError as NSError).code, parser.lineNumber, parser.columnNumber)
        }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: Error) {
        self.parser(parser, parseErrorOccurred: validationError)
    }

    /// Called for every entity reference libxml2 cannot resolve: there are none in a report.
    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        fail(error("a reference to the entity &\(name);, which is not one of XML's five predefined entities. Coverage tools do not write these; regenerate the report."), parser)
        return nil
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(error("the report declares the entity \(name); Gatehouse refuses entity declarations. Regenerate the report with \(producer)."), parser)
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(error("the report declares the external entity \(name); Gatehouse refuses entity declarations. Regenerate the report with \(producer)."), parser)
    }

    func parser(_ parser: XMLParser, foundUnparsedEntityDeclarationWithName name: String, publicID: String?, systemID: String?, notationName: String?) {
        fail(error("the report declares the entity \(name); Gatehouse refuses entity declarations. Regenerate the report with \(producer)."), parser)
    }
}

/// What `XMLParser(stream:)` reads a report through: the bytes of one `InputSource`, each chunk
/// searched for a processing instruction without data before the parser sees it.
///
/// libxml2 reports `<?name?>` with a NULL data pointer, and FoundationXML on Linux
/// (swift-corelibs-foundation, Swift 6.3) reads it as a C string: the process dies in strlen. No
/// delegate setting avoids it, so the chunk holding the `>` that completes one is withheld and the
/// stream fails instead; libxml2 parses a processing instruction only once its `?>` has arrived,
/// so the parts given before are harmless. The search costs a few milliseconds per 10 MB.
final class ReportStream: InputStream {
    private let source: InputSource
    private var scanner = DatalessInstructionScanner()
    private var status: Stream.Status = .notOpen
    private var error: Error?
    /// The first chunk's problem that would crash the parser, and its line, once found.
    private(set) var problem: (PreParseProblem, line: Int)?
    /// A read that failed (a pipe that timed out, an I/O error).
    private(set) var failure: GatehouseError?

    init(_ source: InputSource) {
        self.source = source
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: Error? { error }
    override var hasBytesAvailable: Bool { status == .open }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength length: Int) -> Int {
        guard status == .open else { return status == .atEnd ? 0 : -1 }
        let count: Int
        do {
            count = try source.read(into: buffer, count: length)
        } catch {
            return fail(error, code: 1)
        }
        if count == 0 {
            // A file that ends on half of a surrogate pair is refused before libxml2 finishes it.
            if let line = scanner.endsInsidePair {
                problem = (.unpairedSurrogate, line)
                return fail(nil, code: 2)
            }
            status = .atEnd
            return 0
        }
        // Before libxml2 sees the chunk: what it would crash on stops the read instead.
        if let found = scanner.scan(UnsafeBufferPointer(start: buffer, count: count)) {
            problem = found
            return fail(nil, code: 2)
        }
        return count
    }

    private func fail(_ failure: GatehouseError?, code: Int) -> Int {
        self.failure = failure
        error = NSError(domain: "Gatehouse.ReportStream", code: code)
        status = .error
        return -1
    }
}

/// Finds the first `<?name?>` anywhere in a stream of bytes (prolog, content, attribute values
/// after libxml2's error recovery, comments, CDATA), chunk by chunk. UTF-16 input is scanned by
/// code unit; every other encoding allowed writes `<`, `?`, `>` and whitespace as those ASCII bytes.
/// What a report is refused for before libxml2 sees it: each crashes the parser on Linux.
///
/// - `<?name?>`: libxml2 reports a processing instruction without data with a NULL data
///   pointer, and FoundationXML on Linux (swift-corelibs-foundation, Swift 6.3) reads it as a C
///   string: the process dies in strlen. No delegate setting avoids it.
/// - A high surrogate not followed by a low one in a UTF-16 file: libxml2 2.9's push parser dies
///   on a NULL pointer in xmlParseChunk, wherever in the file it is (found by fuzzing). A lone
///   low surrogate is only a parse error there, but is refused too: it is as broken.
enum PreParseProblem: Equatable {
    case datalessProcessingInstruction
    case unpairedSurrogate
}

/// Finds a `PreParseProblem` in a report chunk by chunk, as the parser is given the chunks.
/// UTF-16 files are scanned by code unit; every other encoding allowed writes `<`, `?`, `>` and
/// whitespace as those ASCII bytes.
struct DatalessInstructionScanner {
    // 0: outside; 1: after "<"; 2: after "<?"; 3: in the target name; 4: after "<?name?".
    private var state = 0
    /// UTF-16: the last unit was a high surrogate, so the next must be a low one.
    private var expectingLowSurrogate = false

    /// The line, when the file so far ends on half of a surrogate pair.
    var endsInsidePair: Int? { expectingLowSurrogate || (unitWidth == 2 && carry != nil) ? line : nil }
    private var line = 1
    private var startLine = 1
    private var unitWidth = 0  // 1 for byte encodings, 2 for UTF-16; 0 until the first bytes are seen
    private var bigEndian = false
    private var carry: UInt8?

    /// The first problem `bytes` completes, and its line.
    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (PreParseProblem, line: Int)? {
        let lt: UInt16 = 0x3C, question: UInt16 = 0x3F, gt: UInt16 = 0x3E  // < ? >
        let count = bytes.count
        guard count > 0 else { return nil }
        if unitWidth == 0 {
            let first = bytes[0], second = count > 1 ? bytes[1] : 0
            if (first == 0xFF && second == 0xFE) || (first == 0x3C && second == 0x00) {
                unitWidth = 2
            } else if (first == 0xFE && second == 0xFF) || (first == 0x00 && second == 0x3C) {
                unitWidth = 2
                bigEndian = true
            } else {
                unitWidth = 1
            }
        }
        var index = 0
        while index < count {
            if state == 0 && unitWidth == 1 {
                // The common case, kept tight: run to the next "<", counting lines.
                var newlines = 0
                while index < count, bytes[index] != 0x3C {
                    if bytes[index] == 0x0A { newlines += 1 }
                    index += 1
                }
                line += newlines
                if index == count { break }
            }
            let unit: UInt16
            if unitWidth == 1 {
                unit = UInt16(bytes[index])
                index += 1
            } else if let low = carry {
                unit = bigEndian ? UInt16(low) << 8 | UInt16(bytes[index]) : UInt16(bytes[index]) << 8 | UInt16(low)
                carry = nil
                index += 1
            } else if index + 1 < count {
                unit = bigEndian ? UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]) : UInt16(bytes[index + 1]) << 8 | UInt16(bytes[index])
                index += 2
            } else {
                carry = bytes[index]
                index += 1
                continue
            }
            if unitWidth == 2 {
                let isHigh = (0xD800...0xDBFF).contains(unit), isLow = (0xDC00...0xDFFF).contains(unit)
                if expectingLowSurrogate != isLow { return (.unpairedSurrogate, line) }
                expectingLowSurrogate = isHigh
            }
            let space = unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D
            switch state {
            case 0:
                if unit == lt { state = 1; startLine = line }
            case 1:
                state = unit == question ? 2 : (unit == lt ? 1 : 0)
            case 2:
                state = space || unit == question || unit == gt ? 0 : (unit == lt ? 1 : 3)
                if unit == lt { startLine = line }
            case 3:
                if unit == question {
                    state = 4
                } else if space || unit == gt {
                    state = 0
                } else if unit == lt {
                    state = 1
                    startLine = line
                }
            default:
                if unit == gt { return (.datalessProcessingInstruction, startLine) }
                state = unit == lt ? 1 : 0
                if unit == lt { startLine = line }
            }
            if unit == 0x0A { line += 1 }
        }
        return nil
    }
}
