import Foundation
import GatehouseCore
import PropertyBased
import GatehouseTestSupport
import Testing

// Fixtures in Tests/Fixtures/lint, and what produced each (Debian 12, x86_64, Python 3.11.7):
//
// - ruff.sarif, ruff.rdjson: ruff 0.17.6 (pip install ruff) in /tmp/lintsample, on main.py and
//   pkg/shapes.py (unused imports, a star import, an unused local, `== None`, a mutable default,
//   a bare except, an f-string without placeholders), with ruff.toml `[lint] select = ["E","F","B","W"]`:
//     ruff check --output-format sarif .  > ruff.sarif
//     ruff check --output-format rdjson . > ruff.rdjson
//   `ruff check --statistics .` printed: 3 F401, 2 F405, 1 each of E741 E722 F541 B006 E711 F403
//   F841: "Found 12 errors." (2 in main.py, 10 in pkg/shapes.py). Ruff's SARIF gives every result
//   level "error", file:/// URIs and its rules' defaultConfiguration; its rdjson gives no
//   per-diagnostic severity, only the result's "severity": "WARNING".
// - ruff.rdjsonl: the diagnostics of ruff.rdjson, one a line (reviewdog's rdjsonl), each given the
//   result's source and severity, as `jq -c '.diagnostics[] + {source, severity}'` would write them
//   (done with Python's json.dumps(separators=(',', ':'))). reviewdog itself is not installed.
// - sarif-edge-cases.sarif: hand-written after the SARIF 2.1.0 spec (OASIS, errata 01), in the shape
//   CodeQL 2.19 and Semgrep write: three runs (one empty), ruleIndex, rule.id, a missing level taken
//   from the rule's defaultConfiguration and from nothing (warning), "none", message.markdown,
//   messageStrings with arguments, uriBaseId resolved through originalUriBaseIds (two levels), an
//   unknown uriBaseId (kept relative), a percent-encoded URI, a result without locations.
// - eslint.json: hand-written after ESLint 9.x `eslint -f json` (the shape has not changed since
//   ESLint 8): a file with 1 error and 2 warnings, a file with a fatal parse error (ruleId null), a
//   clean file, and an ignored file's "File ignored" warning (no line). The npm registry is not
//   reachable here, so ESLint could not run; the errorCount/warningCount fields are what ESLint
//   would print, and the test checks the parser against them.
// - swiftlint.json: hand-written after SwiftLint 0.57 `swiftlint lint --reporter json` (its
//   JSONReporter: keys sorted, " : " separators, escaped slashes, absolute paths, "character": null
//   for a line-level violation). 2 Error, 2 Warning. SwiftLint is not installed here.
// - checkstyle.xml: hand-written after Checkstyle 10.21 `-f xml` (XMLLogger: &apos; escapes, no
//   column for line-level checks), with one "info" and one "ignore" finding (XMLLogger drops ignore
//   itself; other tools writing Checkstyle XML do not), and a file without findings. No Java
//   Checkstyle jar is available here.

// MARK: Helpers

struct LintFixture: CustomTestStringConvertible, Sendable {
    let name: String
    let format: LintFormat

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lint")

    static let all: [LintFixture] = [
        LintFixture(name: "ruff.sarif", format: .sarif),
        LintFixture(name: "sarif-edge-cases.sarif", format: .sarif),
        LintFixture(name: "ruff.rdjson", format: .rdjson),
        LintFixture(name: "ruff.rdjsonl", format: .rdjson),
        LintFixture(name: "eslint.json", format: .eslint),
        LintFixture(name: "swiftlint.json", format: .swiftlint),
        LintFixture(name: "checkstyle.xml", format: .checkstyle),
    ]

    var path: String { Self.folder.appendingPathComponent(name).path }
    var bytes: [UInt8] { Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()) }
    var testDescription: String { name }
}

var lintParsers: [any LintParser.Type] { [SARIFParser.self, CheckstyleParser.self, SwiftLintParser.self, ESLintParser.self, RDJSONParser.self] }

/// Writes `bytes` to a fresh temporary file, runs `body` with its path, and removes it.
private func withLintFile<T>(_ bytes: [UInt8], _ body: (String) -> T) -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-lint-\(UUID().uuidString)").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return body(path)
}

private func readLint(_ bytes: [UInt8]) -> Result<LintReport, GatehouseError> {
    withLintFile(bytes) { path in Result { () throws(GatehouseError) in try LintReader.read(path: path, displayPath: "lint.json") } }
}

private func readLint(_ text: String) -> Result<LintReport, GatehouseError> { readLint(Array(text.utf8)) }

private func parseLint(_ parser: any LintParser.Type, _ bytes: [UInt8]) -> Result<LintReport, GatehouseError> {
    withLintFile(bytes) { path in Result { () throws(GatehouseError) in try parser.parse(path: path, displayPath: "lint.json") } }
}

private func fixtureReport(_ name: String) throws -> LintReport {
    let fixture = try #require(LintFixture.all.first { $0.name == name })
    return try LintReader.read(path: fixture.path, displayPath: name)
}

private func lintFailure(_ result: Result<LintReport, GatehouseError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    switch result {
    case .success(let report):
        Issue.record("expected an error, got \(report.findings.count) findings", sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        return error
    }
}

/// What a lint parser promises for any input: findings on real lines (1 to 10,000,000, an end
/// line not before its line), no more of them than bytes, in the format asked for; or an
/// `.invalidReport` naming the report.
private func expectFindingsOrLocatedError(
    _ result: Result<LintReport, GatehouseError>, _ bytes: [UInt8], format: LintFormat? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    switch result {
    case .success(let report):
        if let format { #expect(report.format == format, sourceLocation: sourceLocation) }
        #expect(report.file == "lint.json" && report.findings.count <= bytes.count, sourceLocation: sourceLocation)
        for finding in report.findings {
            if let line = finding.line { #expect((1...10_000_000).contains(line), "\(finding)", sourceLocation: sourceLocation) }
            if let end = finding.endLine { #expect(end >= (finding.line ?? 1) && end <= 10_000_000, "\(finding)", sourceLocation: sourceLocation) }
        }
    case .failure(let error):
        #expect(error.kind == .invalidReport && error.location?.file == "lint.json", "\(error)", sourceLocation: sourceLocation)
    }
}

private func counts(_ report: LintReport) -> [Severity: Int] {
    Dictionary(grouping: report.findings, by: \.severity).mapValues(\.count)
}

// MARK: Real and sample reports

@Suite struct LintParserTests {
    @Test func ruffSARIF() throws {
        let report = try fixtureReport("ruff.sarif")
        #expect(report.format == .sarif)
        #expect(report.findings.count == 12)
        #expect(counts(report) == [.error: 12])
        #expect(Set(report.findings.map(\.tool)) == ["ruff"])
        let rules = Dictionary(grouping: report.findings.compactMap(\.rule), by: { $0 }).mapValues(\.count)
        #expect(rules == ["F401": 3, "F405": 2, "E741": 1, "E722": 1, "F541": 1, "B006": 1, "E711": 1, "F403": 1, "F841": 1])
        #expect(report.findings.filter { $0.reportPath == "/tmp/lintsample/main.py" }.count == 2)
        #expect(report.findings.filter { $0.reportPath == "/tmp/lintsample/pkg/shapes.py" }.count == 10)
        let first = report.findings[0]
        #expect(first == Finding.lint(reportPath: "/tmp/lintsample/main.py", line: 1, endLine: 1, severity: .error, rule: "F401", message: "`json` imported but unused", tool: "ruff"))
    }

    @Test func ruffRDJSONAndLinesAgreeWithSARIF() throws {
        let sarif = try fixtureReport("ruff.sarif")
        for name in ["ruff.rdjson", "ruff.rdjsonl"] {
            let report = try fixtureReport(name)
            #expect(report.format == .rdjson)
            #expect(report.findings.count == 12, "\(name)")
            #expect(counts(report) == [.warning: 12], "\(name)")
            #expect(Set(report.findings.map(\.tool)) == ["ruff"])
            // Same places, rules and messages as the SARIF run.
            func key(_ f: Finding) -> String { "\(f.reportPath):\(f.line ?? 0)-\(f.endLine ?? 0) \(f.rule ?? "") \(f.message)" }
            #expect(report.findings.map(key).sorted() == sarif.findings.map(key).sorted(), "\(name)")
        }
    }

    @Test func sarifEdgeCases() throws {
        let report = try fixtureReport("sarif-edge-cases.sarif")
        #expect(report.findings == [
            Finding.lint(
                reportPath: "/home/ci/work/app/src/db layer/query.js", line: 12, endLine: 14, severity: .error, rule: "js/sql-injection",
                message: "This query depends on a user-provided value from req.query.", tool: "CodeQL"),
            Finding.lint(reportPath: "/home/ci/work/app/lib/util.js", line: 3, severity: .note, rule: "js/unused-local-variable", message: "Unused variable `tmp`.", tool: "CodeQL"),
            Finding.lint(reportPath: "src/app.js", line: 7, severity: .warning, rule: "js/no-default", message: "A rule with no default level: warning.", tool: "CodeQL"),
            Finding.lint(reportPath: "/opt/shared/x.js", line: nil, severity: .note, rule: "js/unused-local-variable", message: "Level none is a note.", tool: "CodeQL"),
            Finding.lint(reportPath: "", line: nil, severity: .error, rule: "generic.secrets.detected", message: "A secret in the repository (no location).", tool: "Semgrep OSS"),
            Finding.lint(reportPath: "app/views.py", line: 40, severity: .warning, rule: "python.lang.eval", message: "No level, no rules: warning.", tool: "Semgrep OSS"),
        ])
    }

    @Test func eslintMatchesItsOwnCounts() throws {
        let fixture = try #require(LintFixture.all.first { $0.name == "eslint.json" })
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(fixture.bytes)) as? [[String: Any]])
        let errorCount = raw.reduce(0) { $0 + ($1["errorCount"] as? Int ?? 0) }
        let warningCount = raw.reduce(0) { $0 + ($1["warningCount"] as? Int ?? 0) }
        let report = try fixtureReport("eslint.json")
        #expect(report.format == .eslint)
        #expect(counts(report) == [.error: errorCount, .warning: warningCount])
        let fatal = try #require(report.findings.first { $0.reportPath.hasSuffix("broken.js") })
        #expect(fatal == Finding.lint(reportPath: "/home/ci/work/web/src/broken.js", line: 5, severity: .error, rule: nil, message: "Parsing error: Unexpected token )", tool: "ESLint"))
        let console = try #require(report.findings.first { $0.rule == "no-console" })
        #expect(console.line == 12 && console.endLine == 14 && console.severity == .warning)
        let ignored = try #require(report.findings.first { $0.reportPath.hasSuffix("bundle.js") })
        #expect(ignored.line == nil && ignored.rule == nil && ignored.severity == .warning)
    }

    @Test func swiftLint() throws {
        let report = try fixtureReport("swiftlint.json")
        #expect(report.format == .swiftlint)
        #expect(counts(report) == [.error: 2, .warning: 2])
        #expect(report.findings[0] == Finding.lint(
            reportPath: "/Users/ci/work/App/Sources/App/Model.swift", line: 14, severity: .error, rule: "identifier_name",
            message: "Variable name 'x' should be between 3 and 40 characters long", tool: "SwiftLint"))
        #expect(report.findings[2].reportPath == "/Users/ci/work/App/Sources/App/View Controllers/Main.swift")
        #expect(report.findings.allSatisfy { $0.reportPath.hasPrefix("/") })
    }

    @Test func checkstyle() throws {
        let report = try fixtureReport("checkstyle.xml")
        #expect(report.format == .checkstyle)
        #expect(counts(report) == [.error: 2, .warning: 2, .note: 1])
        #expect(report.findings.count == 5)
        #expect(!report.findings.contains { $0.message.contains("Ignored") })
        #expect(report.findings[1] == Finding.lint(
            reportPath: "/home/ci/work/svc/src/main/java/com/example/App.java", line: 12, severity: .error,
            rule: "com.puppycrawl.tools.checkstyle.checks.indentation.IndentationCheck",
            message: "'method def' child has incorrect indentation level 4, expected level should be 2.", tool: "Checkstyle"))
    }

    // MARK: Detection

    @Test("each fixture is detected by its own parser and no other", arguments: LintFixture.all)
    func detection(_ fixture: LintFixture) throws {
        let prefix = Array(fixture.bytes.prefix(4096))
        let claims = lintParsers.filter { $0.detect(prefix) }.map { $0.format }
        #expect(claims == [fixture.format])
        // With a byte order mark and leading blank lines (XML: only the mark, since nothing may come
        // before an XML declaration), through the reader.
        let lead: [UInt8] = [0xEF, 0xBB, 0xBF] + (fixture.format == .checkstyle ? [] : Array("\n  \n".utf8))
        let report = try #require(try? readLint(lead + fixture.bytes).get())
        #expect(report.format == fixture.format)
        #expect(report.findings == (try fixtureReport(fixture.name)).findings)
    }

    @Test func sarifWithoutSchemaAndVersionLast() throws {
        // Key-sorting writers (ruff without its $schema line) put "runs" first and "version" last.
        let fixture = try #require(LintFixture.all.first { $0.name == "ruff.sarif" })
        let text = String(decoding: fixture.bytes, as: UTF8.self).replacingOccurrences(of: "  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n", with: "")
        #expect(!text.contains("$schema") && text.count > 4096)
        let report = try readLint(text).get()
        #expect(report.format == .sarif && report.findings.count == 12)
        let error = try #require(lintFailure(readLint(text.replacingOccurrences(of: "\"version\": \"2.1.0\"", with: "\"version\": \"2.2\""))))
        #expect(error.message.contains("SARIF 2.1.0"), "\(error)")
    }

    @Test func emptyArrayIsZeroFindingsEitherWay() throws {
        for text in ["[]", "[\n\n]", " [ ] \n"] {
            let report = try readLint(text).get()
            #expect(report.format == .swiftlint && report.findings.isEmpty)
            #expect(try parseLint(ESLintParser.self, Array(text.utf8)).get().findings.isEmpty)
            #expect(lintParsers.filter { $0.detect(Array(text.utf8).drop { $0 == 0x20 }.map { $0 }) }.count == 1)
        }
        #expect(try readLint(#"{"diagnostics": []}"#).get().findings.isEmpty)
        #expect(try readLint(#"{"version": "2.1.0", "runs": []}"#).get().findings.isEmpty)
        #expect(try readLint("<checkstyle version=\"10.0\"/>").get().findings.isEmpty)
    }

    @Test("coverage and other JSON and XML are no lint format", arguments: [
        #"{"data": [{"files": []}], "type": "llvm.coverage.json.export", "version": "2.0.1"}"#,
        #"{"version": "2.0.0", "runs": []}"#,
        #"{"message": "x"}"#,
        #"[{"description": "x", "check_name": "y", "location": {"path": "a", "lines": {"begin": 1}}}]"#,
        #"[1, 2]"#,
        "<?xml version=\"1.0\"?>\n<coverage line-rate=\"1\"></coverage>",
        "<checkstyles/>",
        "SF:a.c\nDA:1,1\nend_of_record\n",
        "mode: set\n",
    ])
    func notLint(_ text: String) throws {
        let head = Array(text.utf8)
        #expect(lintParsers.filter { $0.detect(head) }.isEmpty)
        let error = try #require(lintFailure(readLint(text)))
        #expect(error.kind == .invalidReport && error.message.contains("unrecognised"), "\(error)")
        #expect(error.location == GatehouseCore.SourceLocation(file: "lint.json", line: 1))
    }

    @Test func detectionIsExclusiveUnderMutation() async {
        let fixtures = LintFixture.all.map { Array($0.bytes.prefix(4096)) }
        await propertyCheck(count: 300, input: Gen.int(in: 0...(fixtures.count - 1)), Gen.int(in: 0...100_000).array(of: 0...12)) { index, edits in
            let bytes = mutate(fixtures[index], edits: edits)
            let claims = lintParsers.filter { $0.detect(bytes) }
            #expect(claims.count <= 1, "\(claims) for \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
    }

    // MARK: Bad input: an .invalidReport naming the file and a line, never a crash

    @Test func emptyAndBinaryFiles() throws {
        let empty = try #require(lintFailure(readLint([])))
        #expect(empty.kind == .invalidReport && empty.message.contains("empty") && empty.location?.file == "lint.json")
        let binary = try #require(lintFailure(readLint([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00] + Array(repeating: 0, count: 64))))
        #expect(binary.kind == .invalidReport && binary.message.contains("binary"), "\(binary)")
        #expect(binary.location == GatehouseCore.SourceLocation(file: "lint.json", line: 1))
        for parser in lintParsers {
            let error = try #require(lintFailure(parseLint(parser, [])))
            #expect(error.kind == .invalidReport && error.message.contains("empty"), "\(parser): \(error)")
            let binary = try #require(lintFailure(parseLint(parser, [0x00, 0x01, 0x02, 0xFF])))
            #expect(binary.kind == .invalidReport, "\(parser)")
        }
        let missing = try #require(lintFailure(Result { () throws(GatehouseError) in try LintReader.read(path: "/nonexistent/gatehouse/lint.sarif") }))
        #expect(missing.kind == .unreadableFile)
    }

    @Test("truncated reports are refused with a line", arguments: LintFixture.all)
    func truncated(_ fixture: LintFixture) throws {
        let bytes = fixture.bytes
        for fraction in [0.1, 0.33, 0.5, 0.77, 0.95] {
            let cut = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
            let parser = try #require(lintParsers.first { $0.format == fixture.format && $0.detect(Array(cut.prefix(4096))) } ?? lintParsers.first { $0.format == fixture.format })
            let result = parseLint(parser, cut)
            if fixture.name.hasSuffix(".rdjsonl"), case .success = result { continue }  // a cut at a line break is a shorter report
            let error = try #require(lintFailure(result), "cut at \(fraction)")
            #expect(error.kind == .invalidReport)
            #expect(error.location?.file == "lint.json" && (error.location?.line ?? 0) >= 1, "\(error)")
        }
    }

    @Test("wrong types and impossible lines name the line", arguments: [
        (#"[{"file": "/a.swift", "line": "x", "severity": "Warning", "rule_id": "r", "reason": "m"}]"#, 1, "whole number"),
        ("[\n{\"file\": \"/a.swift\", \"line\": 0, \"severity\": \"Warning\", \"rule_id\": \"r\", \"reason\": \"m\"}]", 2, "start at 1"),
        ("[{\"filePath\": \"/a.js\", \"messages\": [\n{\"ruleId\": \"x\", \"severity\": 2, \"message\": \"m\", \"line\": -3}]}]", 2, "start at 1"),
        ("[{\"filePath\": \"/a.js\", \"messages\": [{\"ruleId\": \"x\", \"severity\": 2, \"message\": \"m\",\n \"line\": true}]}]", 2, "whole number"),
        ("[{\"filePath\": \"/a.js\", \"messages\": {}}]", 1, "not an array"),
        ("[{\"filePath\": \"/a.js\", \"messages\": [{\"severity\": 3, \"message\": \"m\"}]}]", 1, "1 (warning) or 2"),
        ("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": [{\"message\": {\"text\": \"m\"}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \"a\"},\n\"region\": {\"startLine\": 0}}}]}]}]}", 2, "start at 1"),
        ("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"t\"}}, \"results\": [\n{\"level\": \"fatal\", \"message\": {\"text\": \"m\"}}]}]}", 2, "SARIF levels"),
        ("{\"version\": \"2.1.0\", \"runs\": {}}", 1, "not an array"),
        ("{\"diagnostics\": [{\"message\": \"m\", \"location\": {\"path\": \"a\", \"range\": {\"start\": {\"line\": 99999999999}}}}]}", 1, "beyond any source file"),
        ("{\"message\": \"m\", \"location\": {\"path\": \"a\"}}\n{\"message\": \"m\", \"location\": {\"path\": \"a\", \"range\": {\"start\": {\"line\": \"7\"}}}}\n", 2, "whole number"),
        ("{\"message\": \"m\", \"location\": {\"path\": \"a\"}}\n{\"message\": \"m\", \"location\": \n", 2, "cut short"),
        ("<checkstyle>\n<file name=\"a\">\n<error line=\"0\" severity=\"error\" message=\"m\"/></file></checkstyle>", 3, "start at 1"),
        ("<checkstyle>\n<file name=\"a\">\n<error line=\"x\" severity=\"error\" message=\"m\"/></file></checkstyle>", 3, "whole number"),
        ("<checkstyle>\n<file name=\"a\">\n<error line=\"1\" severity=\"fatal\" message=\"m\"/></file></checkstyle>", 3, "severities"),
    ] as [(String, Int, String)])
    func badValues(_ text: String, _ line: Int, _ phrase: String) throws {
        let error = try #require(lintFailure(readLint(text)))
        #expect(error.kind == .invalidReport)
        #expect(error.location?.file == "lint.json")
        #expect(error.location?.line == line, "\(error)")
        #expect(error.message.contains(phrase), "\(error)")
    }

    // MARK: The JSON lexer lint shares with the coverage exports

    /// A SARIF report with one result whose members are `members`.
    private static func sarif(result members: String) -> String {
        #"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "t"}}, "results": [{"# + members + "}]}]}"
    }

    @Test("nesting is counted from the document's root, 64 levels, in members read or skipped")
    func nestingFromTheRoot() throws {
        // The root, runs, a run, results and a result are 5 levels; a message 1 more.
        let members: [(String, Int)] = [
            (#""message": {"text": "m"}, "properties": NESTED"#, 59),
            (#""message": {"text": "m", "arguments": NESTED}"#, 58),
        ]
        for (template, levels) in members {
            func text(_ levels: Int) -> String {
                Self.sarif(result: template.replacingOccurrences(
                    of: "NESTED", with: String(repeating: "[", count: levels) + String(repeating: "]", count: levels)))
            }
            #expect(try readLint(text(levels)).get().findings.count == 1, "\(template)")
            let error = try #require(lintFailure(readLint(text(levels + 1))))
            #expect(error.message.contains("nests deeper than 64 levels") && error.location?.line == 1, "\(error)")
        }
    }

    @Test("numbers with leading zeros are not JSON (RFC 8259), wherever they are")
    func leadingZeros() throws {
        for member in [#""message": {"text": "m"}, "ruleIndex": 012"#, #""message": {"text": "m"}, "properties": {"n": -012}"#] {
            let error = try #require(lintFailure(readLint(Self.sarif(result: member))))
            #expect(error.message.contains("leading zeros") && error.message.contains("Regenerate the SARIF report"), "\(error)")
            #expect(error.location?.line == 1 && error.location?.column != nil, "\(error)")
        }
    }

    @Test("escapes decode as in the coverage exports: pairs, and a lone high surrogate as U+FFFD before what follows")
    func escapes() throws {
        let lines = [#"\ud83d\ude00"#, #"\ud800\u0041"#, #"\ud800\n"#, #"\u00e9\/\t"#].map { #"{"message": "x"# + $0 + #"y", "location": {"path": "a"}}"# }
        let report = try readLint(lines.joined(separator: "\n")).get()
        #expect(report.findings.map(\.message) == ["x\u{1F600}y", "x\u{FFFD}Ay", "x\u{FFFD}\ny", "x\u{E9}/\ty"])
        // An rdjsonl line's error gives the byte offset in the file, not in the line.
        let error = try #require(lintFailure(readLint(lines[0] + "\n" + #"{"message": "m\q", "location": {"path": "a"}}"#)))
        #expect(error.location?.line == 2 && error.location?.column == 16, "\(error)")
        #expect(error.message.contains("(at byte \(lines[0].utf8.count + 1 + 15))"), "\(error)")
    }

    @Test("detection reads keys and values with their escapes decoded")
    func detectionDecodesEscapes() {
        let text = #"{"\u0024schema": "https:\/\/example.com\/sarif-2.1.0.json", "runs": []}"#
        #expect(SARIFParser.detect(Array(text.utf8)))
    }

    @Test func hostileNestingAndEntities() throws {
        let deep = String(repeating: "[", count: 100_000)
        for text in [deep, "[{\"rule_id\": " + deep, "{\"diagnostics\": " + deep, "{\"$schema\": \"sarif\", \"runs\": " + deep, "[{\"filePath\": \"a\", \"messages\": " + deep,
                     "{\"message\": \"m\", \"location\": " + String(repeating: "{\"a\":", count: 100_000)] {
            for parser in lintParsers {
                let result = parseLint(parser, Array(text.utf8))
                let error = try #require(lintFailure(result))
                #expect(error.kind == .invalidReport && error.location?.line == 1)
            }
            _ = readLint(text)
        }
        let bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE checkstyle [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
            <checkstyle><file name="x"><error line="1" severity="error" message="&c;"/></file></checkstyle>
            """
        let error = try #require(lintFailure(parseLint(CheckstyleParser.self, Array(bomb.utf8))))
        #expect(error.kind == .invalidReport && error.message.contains("entities"), "\(error)")
        #expect(error.location?.line == 2)
        let undeclared = try #require(lintFailure(readLint("<checkstyle><file name=\"x\"><error line=\"1\" message=\"&lol;\"/></file></checkstyle>")))
        #expect(undeclared.kind == .invalidReport)
        let pi = try #require(lintFailure(readLint("<checkstyle>\n<?x?></checkstyle>")))
        #expect(pi.location?.line == 2)
        let nested = "<checkstyle>" + String(repeating: "<a>", count: 100_000)
        #expect(lintFailure(readLint(nested))?.kind == .invalidReport)
    }

    // MARK: Fuzzing

    @Test func randomBytesNeverCrash() async {
        let starts = ["[", "{", "[{\"filePath\":", "[{\"rule_id\":", "{\"diagnostics\":", "{\"$schema\":\"sarif\",", "<checkstyle>", "{\"message\":1,\"location\":{}}\n"]
        await propertyCheck(count: 200, input: Gen.int(in: 0...(starts.count - 1)), Gen.int(in: 0...255).array(of: 0...300)) { start, values in
            let bytes = Array(starts[start].utf8) + values.map { UInt8($0) }
            _ = readLint(bytes)
            for parser in lintParsers { _ = parseLint(parser, bytes) }
        }
    }

    @Test("truncations, byte flips and insertions of each fixture never crash a parser", arguments: LintFixture.all)
    func mutatedFixtures(_ fixture: LintFixture) async {
        let original = fixture.bytes
        let inserts = ["[", "]", "{", "}", "\"", ",", ":", "-1", "0", "null", "true", "\"x\"", "\\u00", "\n", "<", ">", "&lol;", "</file>", "\u{0}", "\"line\": 0,", "\"startLine\": -1,"]
        await propertyCheck(count: 60, input: Gen.int(in: 0...10_000_000).array(of: 1...6)) { edits in
            let bytes = mutate(original, edits: edits, inserting: inserts.map { Array($0.utf8) })
            expectFindingsOrLocatedError(readLint(bytes), bytes)
            let parser = lintParsers.first { $0.format == fixture.format }
            #expect(parser != nil, "no parser for \(fixture.format)")
            if let parser { expectFindingsOrLocatedError(parseLint(parser, bytes), bytes, format: parser.format) }
        }
    }
}
