import Foundation
import Testing

import GatehouseCore

/// Inputs the fuzzing harness (Fuzz/, `make fuzz`) found to crash, hang or exhaust memory, kept
/// under Tests/Fixtures/fuzz/<target>/ and fed to the same entry point as that target, with the
/// checks the harness makes: the parser returns or throws a `GatehouseError` (no trap), what it
/// returns keeps its documented promises, and it is bounded by the input (counts, messages).
/// A new finding needs only its file in the right folder; docs/PERFORMANCE.md, "Fuzzing".
@Suite("Fuzz regressions", .timeLimit(.minutes(1)))
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    /// The targets of Fuzz/Sources/GatehouseFuzz/FuzzTargets.swift, by folder name.
    static let targets = [
        "lcov", "cobertura", "jacoco", "clover", "gocover", "llvmcov", "coveragepy", "coverage",
        "sarif", "checkstyle", "eslint", "rdjson", "swiftlint", "lint",
        "codeowners-github", "codeowners-gitlab", "config", "teams", "checklist", "checklist-verify", "prepush",
    ]

    struct Input: Sendable, CustomTestStringConvertible {
        var target: String
        var file: URL
        var testDescription: String { "\(target)/\(file.lastPathComponent)" }
    }

    static var allInputs: [Input] {
        let manager = FileManager.default
        let folders = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        return folders.sorted().flatMap { target in
            let files = (try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent(target).path)) ?? []
            return files.sorted().filter { !$0.hasPrefix(".") }.map { Input(target: target, file: folder.appendingPathComponent(target).appendingPathComponent($0)) }
        }
    }

    @Test func everyFolderIsATarget() {
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? []
        for name in folders where !name.hasPrefix(".") {
            #expect(Self.targets.contains(name), "Tests/Fixtures/fuzz/\(name) names no fuzz target")
        }
    }

    @Test(arguments: allInputs)
    func inputIsHandled(_ input: Input) throws {
        let bytes = try [UInt8](Data(contentsOf: input.file))
        try Self.run(input.target, bytes, path: input.file.path)
    }

    /// The llvmcov reproducer: a file object with "segments" twice had both lists read as one,
    /// so its lines went back from 14 to 5 in one emission (a broken promise that the streaming
    /// consumers rely on). A repeated "segments" is refused, naming where.
    @Test func segmentsTwiceInOneLLVMCovFileAreRefused() throws {
        let file = Self.folder.appendingPathComponent("llvmcov/segments-twice-in-one-file.json").path
        #expect {
            _ = try LLVMCovJSONParser.parse(path: file, displayPath: "export.json")
        } throws: { error in
            let error = error as? GatehouseError
            return error?.message.contains("has \"segments\" twice") == true && error?.location?.line == 1 && error?.location?.column == 85
        }
    }

    /// The clover reproducer: a second XML declaration after one declaring UTF-7 crashed libxml2
    /// (SEGV in xmlSwitchToEncoding); the declaration is now refused before libxml2 sees it.
    @Test func aSecondXMLDeclarationIsRefusedBeforeTheXMLParser() throws {
        let file = Self.folder.appendingPathComponent("clover/second-xml-declaration-after-utf7.xml").path
        for parser in [CloverParser.self, CoberturaParser.self, JaCoCoParser.self] as [any CoverageParser.Type] {
            #expect {
                _ = try parser.parse(path: file, displayPath: "report.xml")
            } throws: { error in
                (error as? GatehouseError)?.message.contains("XML declaration") == true
            }
        }
        #expect(throws: GatehouseError.self) { _ = try CheckstyleParser.parse(path: file, displayPath: "report.xml") }
    }

    /// A declaration inside the document (after the prolog scan) is libxml2's own error, named.
    @Test func anXMLDeclarationInsideTheRootIsNamed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fuzz-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("<?xml version=\"1.0\"?>\n<coverage clover=\"1\"><?xml version=\"1.0\" encoding=\"utf7\"?></coverage>\n".utf8).write(to: file)
        #expect {
            _ = try CloverParser.parse(path: file.path, displayPath: "clover.xml")
        } throws: { error in
            (error as? GatehouseError)?.message.contains("an XML declaration (<?xml …?>) after the start of the document") == true
        }
    }

    /// The clover and jacoco reproducers: FF FE, "<", then a high surrogate followed by no low one
    /// crashed libxml2 (SEGV in xmlParseChunk). It does anywhere in a UTF-16 file, big- or
    /// little-endian, so the whole file is checked before parsing; a lone low surrogate and a high
    /// one at the very end are refused too, and a real pair still parses.
    @Test func brokenUTF16IsRefusedBeforeTheXMLParser() throws {
        func utf16(_ text: String, bigEndian: Bool = false, units: [UInt16] = [], after marker: String = "") -> [UInt8] {
            var all: [UInt16] = []
            for unit in text.utf16 {
                all.append(unit)
                if !marker.isEmpty, all.count >= marker.utf16.count, Array(all.suffix(marker.utf16.count)) == Array(marker.utf16) {
                    all += units
                }
            }
            var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            for unit in all { bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
            return bytes
        }
        let padding = "<!-- " + String(repeating: "x", count: 100_000) + " -->"
        let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<coverage clover=\"1\"><project>\n\(padding)\n<file name=\"a.php\"><line num=\"1\" type=\"stmt\" count=\"1\"/></file></project></coverage>\n"
        let cases: [(bytes: [UInt8], line: Int)] = [
            (utf16(document, units: [0xD9D9], after: "name=\"a"), 4),
            (utf16(document, bigEndian: true, units: [0xD9D9], after: "name=\"a"), 4),
            (utf16(document, units: [0xDC00], after: "name=\"a"), 4),
            (utf16(document, units: [0xD800, 0xD800, 0xDC00], after: "name=\"a"), 4),
            (utf16(document) + [0x00, 0xD8], 5),
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fuzz-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        for (bytes, line) in cases {
            try Data(bytes).write(to: file)
            #expect {
                _ = try CloverParser.parse(path: file.path, displayPath: "clover.xml")
            } throws: { error in
                let error = error as? GatehouseError
                return error?.message.contains("half of a surrogate pair") == true && error?.location?.line == line
            }
        }
        try Data(utf16(document, units: [0xD83D, 0xDE00], after: "name=\"a")).write(to: file)
        let report = try CloverParser.parse(path: file.path, displayPath: "clover.xml")
        #expect(report.files.map(\.path) == ["a\u{1F600}.php"])
    }

    /// The other llvmcov reproducer: `\ud800\` at the end of the bytes read. The scanner took
    /// the backslash, peeked past it (refilling the buffer, which drops consumed bytes) and put it
    /// back with start - 1: a read before the buffer (heap-buffer-overflow under ASan). At the end
    /// of the file that is a truncated string; at the end of a 1 MiB chunk the escape after the
    /// lone surrogate must still decode.
    @Test func aLoneHighSurrogateEscapeAtTheEndOfTheBufferDecodes() throws {
        let head = "{\"data\":[{\"files\":[{\"filename\":\""
        let padding = String(repeating: "p", count: (1 << 20) - head.utf8.count - "\\ud800\\".utf8.count)
        let json = head + padding + "\\ud800\\nb\",\"segments\":[[1,1,1,true,true,false]]}]}],\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}"
        #expect(Array(json.utf8)[(1 << 20) - 1] == UInt8(ascii: "\\"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fuzz-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(json.utf8).write(to: file)
        let report = try LLVMCovJSONParser.parse(path: file.path, displayPath: "export.json")
        #expect(report.files.count == 1)
        #expect(report.files.first?.path == padding + "\u{FFFD}\nb")

        // A byte order mark cut short names what is there, not a byte after the end of the data.
        for (bytes, message) in [([0xEF, 0xBB], "ends in the middle of the document"), ([0xEF, 0x41], "found 'A'")] as [([UInt8], String)] {
            try Data(bytes).write(to: file)
            #expect {
                _ = try LLVMCovJSONParser.parse(path: file.path, displayPath: "export.json")
            } throws: { error in
                (error as? GatehouseError)?.message.contains(message) == true
            }
        }
    }

    // MARK: The harness's entry points and checks

    static func run(_ target: String, _ bytes: [UInt8], path: String) throws {
        switch target {
        case "lcov": coverage(LCOVParser.self, bytes, path)
        case "cobertura": coverage(CoberturaParser.self, bytes, path)
        case "jacoco": coverage(JaCoCoParser.self, bytes, path)
        case "clover": coverage(CloverParser.self, bytes, path)
        case "gocover": coverage(GoCoverprofileParser.self, bytes, path)
        case "llvmcov": coverage(LLVMCovJSONParser.self, bytes, path)
        case "coveragepy": coverage(CoveragePyJSONParser.self, bytes, path)
        case "coverage":
            handled(bytes) { () throws(GatehouseError) in
                let report = try CoverageReader.read(path: path, displayPath: "fuzz-input")
                report.files.forEach { checkEmission($0, bytes) }
            }
        case "sarif": lint(SARIFParser.self, bytes, path)
        case "checkstyle": lint(CheckstyleParser.self, bytes, path)
        case "eslint": lint(ESLintParser.self, bytes, path)
        case "rdjson": lint(RDJSONParser.self, bytes, path)
        case "swiftlint": lint(SwiftLintParser.self, bytes, path)
        case "lint": handled(bytes) { () throws(GatehouseError) in checkFindings(try LintReader.read(path: path, displayPath: "fuzz-input"), bytes) }
        case "codeowners-github": codeowners(bytes, .github)
        case "codeowners-gitlab": codeowners(bytes, .gitlab)
        case "config": handled(bytes) { () throws(GatehouseError) in _ = try GatehouseConfig.parse(Data(bytes), file: "rules/gatehouse.yml") }
        case "teams":
            handled(bytes) { () throws(GatehouseError) in _ = try TeamsConfig.parse(Data(bytes), file: "rules/teams.yml") }
            handled(bytes) { () throws(GatehouseError) in _ = try TeamsConfig.parseLoad(Data(bytes), file: "load.yml") }
        case "checklist":
            handled(bytes) { () throws(GatehouseError) in
                let checklist = try ChecklistParser.parse(bytes, file: "rules/checklists/fuzz.md")
                #expect(checklist.items.count <= lineCount(bytes))
                let applied = AppliedChecklist(checklist: checklist, files: [], items: checklist.items)
                let verification = ChecklistVerifier.verify([applied], body: ChecklistRenderer.markdown([applied]))
                #expect(verification.problems.count <= verification.requiredItems)
            }
        case "checklist-verify":
            let checklist = Checklist(
                file: "rules/checklists/security.md", title: "Security", paths: ["/src/"], isRequired: true,
                items: [ChecklistItem(text: "Inputs are validated", line: 6), ChecklistItem(text: "No new dependency", line: 7)])
            let verification = ChecklistVerifier.verify(
                [AppliedChecklist(checklist: checklist, files: [], items: checklist.items)], body: String(decoding: bytes, as: UTF8.self))
            #expect(verification.problems.count <= verification.requiredItems)
        case "prepush":
            handled(bytes) { () throws(GatehouseError) in
                let refs = try PrePushInput.parse(bytes)
                #expect(refs.count <= lineCount(bytes))
            }
        default:
            Issue.record("Tests/Fixtures/fuzz/\(target) names no fuzz target")
        }
    }

    static func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    /// Runs `body`; a `GatehouseError` is a fine answer to bad input, if its message stays short.
    static func handled(_ bytes: [UInt8], _ body: () throws(GatehouseError) -> Void) {
        do {
            try body()
        } catch {
            #expect(error.description.utf8.count <= 16 * 1024 + 2 * bytes.count, "a \(error.description.utf8.count)-byte message")
        }
    }

    /// Lines ascending and unique, 1-based and at most a source file's 10 million; hits and
    /// branch counts not negative.
    static func checkEmission(_ file: FileCoverage, _ bytes: [UInt8]) {
        var previous = 0
        for entry in file.lines {
            #expect(entry.line > previous && entry.line <= 10_000_000, "line \(entry.line) after \(previous) in \(file.path)")
            #expect(entry.hits >= 0)
            if let branches = entry.branches { #expect(branches.covered >= 0 && branches.covered <= branches.total) }
            previous = entry.line
        }
    }

    static func coverage(_ parser: any CoverageParser.Type, _ bytes: [UInt8], _ path: String) {
        _ = parser.detect(Array(bytes.prefix(4096)))
        handled(bytes) { () throws(GatehouseError) in
            _ = try parser.parse(path: path, displayPath: "fuzz-input") { file, _ throws(GatehouseError) in checkEmission(file, bytes) }
        }
    }

    static func checkFindings(_ report: LintReport, _ bytes: [UInt8]) {
        #expect(report.findings.count <= bytes.count)
        for finding in report.findings {
            if let line = finding.line { #expect(line >= 1) }
        }
    }

    static func lint(_ parser: any LintParser.Type, _ bytes: [UInt8], _ path: String) {
        _ = parser.detect(Array(bytes.prefix(4096)))
        handled(bytes) { () throws(GatehouseError) in checkFindings(try parser.parse(path: path, displayPath: "fuzz-input"), bytes) }
    }

    /// Parses in one dialect and asks who owns a few paths, one at a time and as a list: the two
    /// must agree.
    static func codeowners(_ bytes: [UInt8], _ dialect: OwnershipDialect) {
        handled(bytes) { () throws(GatehouseError) in
            let file = try CodeownersParser.parse(bytes, path: "CODEOWNERS", dialect: dialect)
            #expect(file.rules.count <= lineCount(bytes))
            let rules = OwnershipRules(file)
            var paths = ["README.md", "a", "docs/guide/intro.md", "src/app/main.swift", "a/b/c/d/e/f/g/h/i/j/k.txt"].map { RepoPath($0) }
            for rule in file.rules.prefix(16) {
                let pattern = rule.pattern.drop { $0 == "/" || $0 == "!" }
                let path = pattern.replacingOccurrences(of: "**", with: "x/y").replacingOccurrences(of: "*", with: "z")
                if !path.isEmpty { paths.append(RepoPath(path)) }
            }
            let listed = rules.owners(of: paths)
            for (index, path) in paths.enumerated() {
                #expect(rules.owners(of: path) == listed[index], "'\(path)'")
            }
        }
    }
}
