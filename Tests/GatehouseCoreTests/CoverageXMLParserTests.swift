import Foundation
import GatehouseCore
import PropertyBased
import GatehouseTestSupport
import Testing

// Fixtures in Tests/Fixtures/coverage, and what produced each (Debian 12, x86_64):
//
// - cobertura-coveragepy.xml: coverage.py 7.17.5 (pip install coverage) on a small package
//   (main.py importing shapes/area.py and shapes/unused.py):
//     coverage run --branch main.py && coverage xml -o cobertura-coveragepy.xml
//   `coverage report -m` printed: main.py 4 stmts 0 miss; shapes/__init__.py 1 0;
//   shapes/area.py 11 4 (missing 10, 16-18); shapes/unused.py 5 4 (missing 2-5); TOTAL 21 8.
// - cobertura-gcovr.xml, clover-gcovr.xml, jacoco-gcovr.xml: gcovr 8.8 (pip install gcovr) with
//   gcc/gcov 12.2.0 on src/main.c + src/util/mathx.c:
//     gcc --coverage -O0 -o demo src/main.c src/util/mathx.c && ./demo
//     gcovr -r . --cobertura-pretty --cobertura cobertura-gcovr.xml --jacoco-pretty --jacoco jacoco-gcovr.xml \
//           --clover-pretty --clover clover-gcovr.xml --txt
//   The --txt summary: src/main.c 8 lines 7 exec (missing 10); src/util/mathx.c 8 5 (missing 5,11-12).
//   gcovr's JaCoCo writer puts no mi/ci on <line>, so that file carries no line hits (an error here).
// - jacoco-jacoco-0.8.6.xml: JaCoCo 0.8.6 (Debian libjacoco-java; Maven Central is not reachable) on
//   OpenJDK 17, classes compiled with `javac --release 11` (com/example/App.java, Calc.java with a
//   nested class, util/Strings.java): the agent (org.jacoco.agent.rt with a Premain-Class manifest)
//     java -javaagent:jacocoagent.jar=destfile=jacoco.exec,includes=com.example.*,sessionid=demo-session -cp classes com.example.App
//   then a 20-line Report.java doing what `jacococli report --xml` does (ExecFileLoader, Analyzer,
//   XMLFormatter.createVisitor: visitInfo, visitBundle("demo")). JaCoCo's own LINE counters per
//   sourcefile: Strings.java 0 missed 1 covered; Calc.java 4 5; App.java 1 5. Valid against the
//   report.dtd in org.jacoco.report.jar (xmllint --dtdvalid).
// - jacoco-handwritten.xml: hand-written after report.dtd, one line as JaCoCo writes it, with the
//   DOCTYPE, two <sessioninfo>, nested <group>s as Maven's report-aggregate writes, the default
//   package (name=""), an inner class and Kotlin; validated with xmllint --dtdvalid against report.dtd.
// - clover-devel-cover.xml: Devel::Cover 1.38 with Devel::Cover::Report::Clover 1.01 (Debian
//   libdevel-cover-report-clover-perl) on main.pl + lib/Shapes/Area.pm:
//     perl -MDevel::Cover=-db,cover_db main.pl && cover -report clover cover_db
//   Several stmt records per line, cond lines with only truecount/falsecount, method lines.
//   `cover -report text`: Area.pm statements on lines 2,3,6,7,8,11,13,17,18, uncovered 13,17,18;
//   main.pl lines 1,2,3,4,6,7 all covered.
// - cobertura-merged-classes.xml: hand-written in the shape of cobertura-maven-plugin 2.1.1 output:
//   several classes (Cart, Cart$Line, Cart$1) naming one file, methods repeating class lines,
//   a <source> with surrounding whitespace.

// MARK: Helpers

enum XMLReportFormat: String, CaseIterable, Sendable {
    case cobertura, jacoco, clover

    var coverageFormat: CoverageFormat {
        switch self {
        case .cobertura: .cobertura
        case .jacoco: .jacoco
        case .clover: .clover
        }
    }

    func detect(_ prefix: [UInt8]) -> Bool {
        switch self {
        case .cobertura: CoberturaParser.detect(prefix)
        case .jacoco: JaCoCoParser.detect(prefix)
        case .clover: CloverParser.detect(prefix)
        }
    }

    func parse(path: String, displayPath: String) -> Result<CoverageReport, GatehouseError> {
        do {
            switch self {
            case .cobertura: return .success(try CoberturaParser.parse(path: path, displayPath: displayPath))
            case .jacoco: return .success(try JaCoCoParser.parse(path: path, displayPath: displayPath))
            case .clover: return .success(try CloverParser.parse(path: path, displayPath: displayPath))
            }
        } catch {
            return .failure(error)
        }
    }

    /// A small valid report of this format whose one `<line>` (on line 4 of the document) is `line`.
    func document(line: String) -> String {
        switch self {
        case .cobertura:
            """
            <?xml version="1.0" ?>
            <coverage line-rate="1" version="7.0">
            <packages><package name="p"><classes><class name="a.py" filename="src/a.py"><methods/><lines>
            \(line)
            </lines></class></classes></package></packages>
            </coverage>
            """
        case .jacoco:
            """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?><!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
            <report name="r"><sessioninfo id="s" start="1" dump="2"/>
            <package name="com/example"><sourcefile name="A.java">
            \(line)
            </sourcefile></package>
            </report>
            """
        case .clover:
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <coverage generated="1" clover="4.4.1">
            <project timestamp="1"><package name="p"><file name="a.php" path="/src/a.php">
            \(line)
            </file></package></project>
            </coverage>
            """
        }
    }

    /// This format's `<line>` for a line number and a hit count, both as written in the file.
    func lineElement(_ number: String, _ hits: String) -> String {
        switch self {
        case .cobertura: "<line number=\"\(number)\" hits=\"\(hits)\"/>"
        case .jacoco: "<line nr=\"\(number)\" mi=\"0\" ci=\"\(hits)\" mb=\"0\" cb=\"0\"/>"
        case .clover: "<line num=\"\(number)\" count=\"\(hits)\" type=\"stmt\"/>"
        }
    }

    var rootName: String { self == .jacoco ? "report" : "coverage" }

    /// The root start tag, with what `detect` looks for.
    var rootTag: String {
        switch self {
        case .cobertura: "<coverage line-rate=\"1\">"
        case .jacoco: "<report name=\"r\">"
        case .clover: "<coverage clover=\"4.4.1\">"
        }
    }
}

struct XMLReportFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let format: XMLReportFormat
    var testDescription: String { name }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/coverage")

    var path: String { Self.folder.appendingPathComponent(name).path }
    var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    static let all: [XMLReportFixture] = [
        XMLReportFixture(name: "cobertura-coveragepy.xml", format: .cobertura),
        XMLReportFixture(name: "cobertura-gcovr.xml", format: .cobertura),
        XMLReportFixture(name: "cobertura-merged-classes.xml", format: .cobertura),
        XMLReportFixture(name: "jacoco-jacoco-0.8.6.xml", format: .jacoco),
        XMLReportFixture(name: "jacoco-handwritten.xml", format: .jacoco),
        XMLReportFixture(name: "jacoco-gcovr.xml", format: .jacoco),
        XMLReportFixture(name: "clover-gcovr.xml", format: .clover),
        XMLReportFixture(name: "clover-devel-cover.xml", format: .clover),
    ]
}

/// Writes `bytes` to a fresh temporary file, runs `body` with its path, and removes it.
private func withTemporaryFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) rethrows -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-xml-\(UUID().uuidString).xml").path
    try? Data(bytes).write(to: URL(fileURLWithPath: path))  // not atomic: FileManager.createFile syncs, 10× slower
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private func parse(_ format: XMLReportFormat, _ bytes: [UInt8]) -> Result<CoverageReport, GatehouseError> {
    withTemporaryFile(bytes) { format.parse(path: $0, displayPath: "report.xml") }
}

private func parse(_ format: XMLReportFormat, _ text: String) -> Result<CoverageReport, GatehouseError> {
    parse(format, Array(text.utf8))
}

private func parseFixture(_ name: String) throws -> CoverageReport {
    let fixture = try #require(XMLReportFixture.all.first { $0.name == name })
    return try fixture.format.parse(path: fixture.path, displayPath: name).get()
}

/// The error a parse must have thrown.
private func failure(_ result: Result<CoverageReport, GatehouseError>, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    switch result {
    case .success(let report):
        Issue.record("expected an error, parsed \(report.files.count) files: \(report.files)", sourceLocation: sourceLocation)
        return nil
    case .failure(let error):
        return error
    }
}

/// What a coverage tool prints per file: measured lines, covered lines, the uncovered line numbers.
struct XMLFileSummary: Equatable, CustomStringConvertible {
    let path: String
    let measured: Int
    let covered: Int
    let missing: [Int]

    init(_ path: String, measured: Int, covered: Int, missing: [Int]) {
        self.path = path
        self.measured = measured
        self.covered = covered
        self.missing = missing
    }

    init(_ file: FileCoverage) {
        self.init(
            file.path, measured: file.lines.count, covered: file.lines.filter { $0.hits > 0 }.count,
            missing: file.lines.filter { $0.hits == 0 }.map(\.line))
    }

    var description: String { "\(path): \(measured) measured, \(covered) covered, missing \(missing)" }
}

/// Every file's lines ascending, each line once: the parser contract.
private func expectNormalized(_ report: CoverageReport, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for file in report.files {
        let numbers = file.lines.map(\.line)
        #expect(numbers == Array(Set(numbers)).sorted(), "\(file.path) lines not ascending and unique", sourceLocation: sourceLocation)
        #expect(file.lines.allSatisfy { $0.line >= 1 && $0.hits >= 0 }, sourceLocation: sourceLocation)
    }
    #expect(Set(report.files.map(\.path)).count == report.files.count, "a path appears twice", sourceLocation: sourceLocation)
}

/// The text with XML's five special characters escaped, for attribute values.
private func escaped(_ text: String) -> String {
    var out = ""
    for character in text {
        switch character {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        default: out.append(character)
        }
    }
    return out
}

// MARK: Tests

@Suite("Cobertura, JaCoCo and Clover XML parsers")
struct CoverageXMLParserTests {
    // MARK: Real tool output against the numbers the tools print

    @Test func coveragePyCobertura() throws {
        let report = try parseFixture("cobertura-coveragepy.xml")
        #expect(report.format == .cobertura)
        #expect(report.file == "cobertura-coveragepy.xml")
        #expect(report.sourceRoots == ["/tmp/covgen/py"])
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("main.py", measured: 4, covered: 4, missing: []),
            XMLFileSummary("shapes/__init__.py", measured: 1, covered: 1, missing: []),
            XMLFileSummary("shapes/area.py", measured: 11, covered: 7, missing: [10, 16, 17, 18]),
            XMLFileSummary("shapes/unused.py", measured: 5, covered: 1, missing: [2, 3, 4, 5]),
        ])
        // coverage xml's totals: lines-valid="21" lines-covered="13".
        #expect(report.files.reduce(0) { $0 + $1.lines.count } == 21)
        #expect(report.files.reduce(0) { $0 + $1.lines.filter { $0.hits > 0 }.count } == 13)
        expectNormalized(report)
    }

    @Test func gcovrCobertura() throws {
        let report = try parseFixture("cobertura-gcovr.xml")
        #expect(report.sourceRoots == ["/tmp/covgen/c"])
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("src/main.c", measured: 8, covered: 7, missing: [10]),
            XMLFileSummary("src/util/mathx.c", measured: 8, covered: 5, missing: [5, 11, 12]),
        ])
        // Hit counts as gcov counted them, not doubled by the <methods> copies of the lines.
        let main = try #require(report.files.first)
        #expect(main.lines.first { $0.line == 6 }?.hits == 4)
        #expect(main.lines.first { $0.line == 7 }?.hits == 3)
        expectNormalized(report)
    }

    @Test func gcovrClover() throws {
        let report = try parseFixture("clover-gcovr.xml")
        #expect(report.format == .clover)
        #expect(report.sourceRoots.isEmpty)
        // The same numbers as gcovr --txt; <testproject>'s "dummy" file is not a source file.
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("src/main.c", measured: 8, covered: 7, missing: [10]),
            XMLFileSummary("src/util/mathx.c", measured: 8, covered: 5, missing: [5, 11, 12]),
        ])
        let cobertura = try parseFixture("cobertura-gcovr.xml")
        #expect(report.files.withoutBranches == cobertura.files.withoutBranches, "gcovr's Clover and Cobertura outputs of one run agree line by line")
    }

    @Test func gcovrJaCoCoHasNoLineHitsAndSaysSo() throws {
        let fixture = try #require(XMLReportFixture.all.first { $0.name == "jacoco-gcovr.xml" })
        #expect(JaCoCoParser.detect(Array(fixture.bytes.prefix(4096))))
        let error = try #require(failure(XMLReportFormat.jacoco.parse(path: fixture.path, displayPath: fixture.name)))
        #expect(error.kind == .invalidReport)
        #expect(error.location?.file == "jacoco-gcovr.xml")
        #expect(error.location?.line == 6)
        #expect(error.message.contains("mi, ci") && error.message.contains("gcovr --cobertura"), "\(error)")
    }

    @Test func jacocoReport() throws {
        let report = try parseFixture("jacoco-jacoco-0.8.6.xml")
        #expect(report.format == .jacoco)
        #expect(report.sourceRoots.isEmpty)
        // JaCoCo's own LINE counters per sourcefile.
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("com/example/util/Strings.java", measured: 1, covered: 1, missing: []),
            XMLFileSummary("com/example/Calc.java", measured: 9, covered: 5, missing: [6, 15, 18, 20]),
            XMLFileSummary("com/example/App.java", measured: 6, covered: 5, missing: [5]),
        ])
        // Hits are covered instructions.
        let app = try #require(report.files.last)
        #expect(app.lines.map(\.hits) == [0, 4, 7, 7, 4, 1])
        expectNormalized(report)
    }

    @Test func jacocoHandwrittenWithGroups() throws {
        let report = try parseFixture("jacoco-handwritten.xml")
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("com/shop/core/Cart.java", measured: 7, covered: 5, missing: [13, 19]),
            XMLFileSummary("Main.java", measured: 2, covered: 0, missing: [3, 4]),
            XMLFileSummary("com/shop/billing/Invoice.kt", measured: 2, covered: 2, missing: []),
        ])
        #expect(report.files.first?.lines.first { $0.line == 12 } == LineHits(line: 12, hits: 4, branches: BranchHits(covered: 1, total: 2)))
    }

    @Test func develCoverClover() throws {
        let report = try parseFixture("clover-devel-cover.xml")
        #expect(report.files.map(XMLFileSummary.init) == [
            XMLFileSummary("main.pl", measured: 6, covered: 6, missing: []),
            XMLFileSummary("lib/Shapes/Area.pm", measured: 9, covered: 6, missing: [13, 17, 18]),
        ])
        let area = try #require(report.files.last)
        // Line 2: three stmt records of count 1 (the method record is skipped).
        #expect(area.lines.first { $0.line == 2 }?.hits == 3)
        // Line 7: stmt 2, plus cond truecount 2 + falsecount 0, plus cond 1 + 0.
        #expect(area.lines.first { $0.line == 7 }?.hits == 5)
        // Line 18: stmt 0 and a cond never evaluated (0/0): uncovered.
        #expect(area.lines.first { $0.line == 18 }?.hits == 0)
        expectNormalized(report)
    }

    @Test func coberturaMergesClassesOfOneFile() throws {
        let report = try parseFixture("cobertura-merged-classes.xml")
        #expect(report.sourceRoots == ["/home/ci/shop/src/main/java", "/home/ci/shop/build/generated-sources"])
        #expect(report.files.withoutBranches == [
            FileCoverage(path: "com/shop/core/Cart.java", lines: [
                LineHits(line: 7, hits: 5), LineHits(line: 12, hits: 3), LineHits(line: 13, hits: 0),
                LineHits(line: 15, hits: 3), LineHits(line: 19, hits: 0), LineHits(line: 24, hits: 4),
                LineHits(line: 30, hits: 0),
            ]),
            FileCoverage(path: "com/shop/core/Item.java", lines: [LineHits(line: 5, hits: 6)]),
        ])
    }

    @Test func utf16ReportParsesLikeUTF8() throws {
        let fixture = try #require(XMLReportFixture.all.first { $0.name == "cobertura-coveragepy.xml" })
        let text = String(decoding: fixture.bytes, as: UTF8.self)
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(CoberturaParser.detect(Array(utf16.prefix(4096))))
        let report = try parse(.cobertura, utf16).get()
        #expect(report.files == (try parseFixture(fixture.name)).files)
    }

    // MARK: Detection

    @Test("each fixture is detected by its own parser and no other", arguments: XMLReportFixture.all)
    func detection(_ fixture: XMLReportFixture) {
        let prefix = Array(fixture.bytes.prefix(4096))
        for format in XMLReportFormat.allCases {
            #expect(format.detect(prefix) == (format == fixture.format), "\(format)")
        }
        // As CoverageReader hands it over: byte order mark and leading whitespace removed.
        var trimmed = prefix[...]
        while let first = trimmed.first, first == 0x20 || first == 0x0A { trimmed = trimmed.dropFirst() }
        #expect(fixture.format.detect([0xEF, 0xBB, 0xBF] + Array(trimmed)))
        // The root start tag alone says enough.
        let text = String(decoding: prefix, as: UTF8.self)
        if let root = text.range(of: "<\(fixture.format.rootName) "), let close = text[root.upperBound...].firstIndex(of: ">") {
            #expect(fixture.format.detect(Array(text[...close].utf8)))
        }
    }

    struct DetectCase: Sendable, CustomTestStringConvertible {
        let text: String
        let format: XMLReportFormat?
        var testDescription: String { String(text.prefix(60)) }
    }

    @Test(arguments: [
        DetectCase(text: "<coverage line-rate=\"0.5\" branch-rate=\"0\">", format: .cobertura),
        DetectCase(text: "<?xml version=\"1.0\"?>\n<!DOCTYPE coverage SYSTEM \"http://cobertura.sourceforge.net/xml/coverage-04.dtd\">\n<coverage>", format: .cobertura),
        DetectCase(text: "<coverage version=\"1\">\n<sources><source>.</source></sources>", format: .cobertura),
        DetectCase(text: "<coverage>\n  <packages>", format: .cobertura),
        DetectCase(text: "<coverage generated=\"1\" clover=\"4.4.1\">", format: .clover),
        DetectCase(text: "<coverage clover=\"\" generated=\"1\"><project name=\"\">", format: .clover),
        // PHPUnit (php-code-coverage before 11) writes no clover attribute.
        DetectCase(text: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<coverage generated=\"1717171717\">\n  <project timestamp=\"1717171717\">", format: .clover),
        // A clover attribute wins over a stray line-rate; line-rate wins over a <project> element.
        DetectCase(text: "<coverage line-rate=\"1\" clover=\"3.2.0\">", format: .clover),
        DetectCase(text: "<coverage line-rate=\"1\"><project>", format: .cobertura),
        DetectCase(text: "<report name=\"x\">", format: .jacoco),
        DetectCase(text: "<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">", format: .jacoco),
        DetectCase(text: "<!-- made by hand --><?pi x?>\n<report>", format: .jacoco),
        // Not these formats.
        DetectCase(text: "", format: nil),
        DetectCase(text: "TN:\nSF:/src/a.c\nDA:1,1\nend_of_record\n", format: nil),
        DetectCase(text: "{\"type\": \"llvm.coverage.json.export\"}", format: nil),
        DetectCase(text: "mode: set\nexample.com/a/b.go:1.1,2.2 1 1\n", format: nil),
        DetectCase(text: "<?xml version=\"1.0\"?><checkstyle version=\"8\">", format: nil),
        DetectCase(text: "<coverage>", format: nil),
        DetectCase(text: "<coverage-report line-rate=\"1\">", format: nil),
        DetectCase(text: "<!-- <coverage line-rate=\"1\"> --><testsuites>", format: nil),
        DetectCase(text: "<reports>", format: nil),
        DetectCase(text: "<!DOCTYPE coverage [<!ENTITY a \"b\">]><coverage line-rate=\"1\">", format: nil),
    ])
    func detectsByContent(_ example: DetectCase) {
        for format in XMLReportFormat.allCases {
            #expect(format.detect(Array(example.text.utf8)) == (format == example.format), "\(format)")
        }
    }

    @Test("detection never crashes and never claims a file for two formats")
    func detectionIsExclusive() async {
        let fixtures = XMLReportFixture.all.map { Array($0.bytes.prefix(4096)) }
        await propertyCheck(count: 300, input: Gen.int(in: 0...(fixtures.count - 1)), Gen.int(in: 0...100_000).array(of: 0...12)) { index, edits in
            let bytes = mutate(fixtures[index], edits: edits)
            let claims = XMLReportFormat.allCases.filter { $0.detect(bytes) }
            #expect(claims.count <= 1, "\(claims) for \(String(decoding: bytes.prefix(300), as: UTF8.self))")
        }
    }

    // MARK: Bad input: every parser, every case an .invalidReport with a location

    @Test(arguments: XMLReportFormat.allCases)
    func emptyFile(_ format: XMLReportFormat) throws {
        let error = try #require(failure(parse(format, [])))
        #expect(error.kind == .invalidReport)
        #expect(error.message.contains("empty"), "\(error)")
        #expect(error.location?.file == "report.xml")
    }

    @Test(arguments: XMLReportFormat.allCases)
    func binaryFile(_ format: XMLReportFormat) throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let bytes = (0..<3000).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let error = try #require(failure(parse(format, bytes)))
        #expect(error.kind == .invalidReport)
        #expect(error.location?.line != nil)
        // An ELF header, and a PNG's.
        for header: [UInt8] in [[0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0, 0, 0], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]] {
            let error = try #require(failure(parse(format, header + bytes)))
            #expect(error.kind == .invalidReport)
            #expect(error.message.contains("binary"), "\(error)")
        }
    }

    @Test("a report cut short fails with the line where it ends", arguments: XMLReportFixture.all.filter { $0.name != "jacoco-gcovr.xml" })
    func truncated(_ fixture: XMLReportFixture) throws {
        let bytes = fixture.bytes
        for fraction in [0.1, 0.5, 0.9, 0.999] {
            let cut = Array(bytes.prefix(Int(Double(bytes.count) * fraction)))
            let error = try #require(failure(parse(fixture.format, cut)), "cut at \(fraction)")
            #expect(error.kind == .invalidReport)
            let lines = cut.filter { $0 == 0x0A }.count + 1
            let line = try #require(error.location?.line, "\(error)")
            #expect(line >= 1 && line <= lines, "\(error)")
        }
    }

    @Test("100,000 nested elements fail at depth 256, fast", arguments: XMLReportFormat.allCases)
    func nestingBomb(_ format: XMLReportFormat) throws {
        let depth = 100_000
        let text = "<?xml version=\"1.0\"?>\n\(format.rootTag)\n" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth)
            + "</\(format.rootName)>"
        let clock = ContinuousClock()
        var result: Result<CoverageReport, GatehouseError>?
        let elapsed = clock.measure { result = parse(format, text) }
        let outcome = try #require(result)
        let error = try #require(failure(outcome))
        #expect(error.kind == .invalidReport)
        #expect(error.message.contains("nest"), "\(error)")
        #expect(error.location?.line == 3)
        #expect(elapsed < .seconds(2))
    }

    @Test("entity declarations are refused before parsing: billion laughs, external entities", arguments: XMLReportFormat.allCases)
    func entityDeclarations(_ format: XMLReportFormat) throws {
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE \(format.rootName) [\n <!ENTITY lol \"lol\">\n"
        for level in 1...9 {
            laughs += " <!ENTITY lol\(level) \"" + String(repeating: "&lol\(level == 1 ? "" : String(level - 1));", count: 10) + "\">\n"
        }
        laughs += "]>\n\(format.rootTag)&lol9;</\(format.rootName)>\n"
        let external = "<?xml version=\"1.0\"?>\n<!DOCTYPE \(format.rootName) [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n\(format.rootTag)&xxe;</\(format.rootName)>"
        let parameter = "<?xml version=\"1.0\"?>\n<!DOCTYPE \(format.rootName) [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/x.dtd\"> %p;]>\n\(format.rootTag)</\(format.rootName)>"
        for text in [laughs, external, parameter] {
            let error = try #require(failure(parse(format, text)))
            #expect(error.kind == .invalidReport)
            #expect(error.message.contains("DOCTYPE") && error.message.contains("entities"), "\(error)")
            #expect(error.location?.line == 2)
        }
    }

    @Test("an entity that is not predefined fails; the predefined five work", arguments: XMLReportFormat.allCases)
    func entityReferences(_ format: XMLReportFormat) throws {
        let undeclared = format.document(line: format.lineElement("3", "&foo;"))
        let error = try #require(failure(parse(format, undeclared)))
        #expect(error.kind == .invalidReport)
        #expect(error.location?.line == 4, "\(error)")
        #expect(error.message.contains("&foo;"), "\(error)")

        let text = format.document(line: format.lineElement("&#51;", "&#x32;")).replacingOccurrences(of: "a.py", with: "&lt;a&amp;b&gt;.py")
            .replacingOccurrences(of: "A.java", with: "&quot;A&apos;.java").replacingOccurrences(of: "/src/a.php", with: "/src/&amp;a.php")
        let report = try parse(format, text).get()
        #expect(report.files.first?.lines == [LineHits(line: 3, hits: 2)])
        let path = try #require(report.files.first?.path)
        #expect(["src/<a&b>.py", "com/example/\"A'.java", "/src/&a.php"].contains(path), "\(path)")
    }

    @Test("the external DTD a report names is never read", arguments: XMLReportFormat.allCases)
    func externalDTDIsNotLoaded(_ format: XMLReportFormat) throws {
        let dtd = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(UUID().uuidString).dtd").path
        _ = FileManager.default.createFile(atPath: dtd, contents: Data("<!ENTITY five \"5\">".utf8))
        defer { try? FileManager.default.removeItem(atPath: dtd) }
        var text = format.document(line: format.lineElement("3", "&five;"))
        text = text.replacingOccurrences(of: "<!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">", with: "")
        text = text.replacingOccurrences(of: "?>\n", with: "?>\n<!DOCTYPE \(format.rootName) SYSTEM \"\(dtd)\">", options: [], range: text.range(of: "?>\n"))
        let error = try #require(failure(parse(format, text)), "the DTD was loaded: &five; resolved")
        #expect(error.kind == .invalidReport)
        #expect(error.message.contains("&five;"), "\(error)")
    }

    /// FoundationXML on Linux dies in strlen on `<?name?>` (libxml2 passes NULL data): if this
    /// test runs at all to the end, the parsers refused those files before parsing them.
    @Test("processing instructions without data are refused before they crash the parser", arguments: XMLReportFormat.allCases)
    func datalessProcessingInstructions(_ format: XMLReportFormat) throws {
        let valid = format.document(line: format.lineElement("3", "1"))
        let lines = valid.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let cases: [(String, Int)] = [
            ("<?x?>\n" + valid, 1),
            (lines[0] + "\n<?x-y.z?>\n" + lines.dropFirst().joined(separator: "\n"), 2),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: "<?é?>" + format.lineElement("3", "1")), 4),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: format.lineElement("3", "<?x?>")), 4),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: "<!-- <?x:y?> -->"), 4),
            (valid + "\n<?x?>", 7),
        ]
        for (text, line) in cases {
            let error = try #require(failure(parse(format, text)), "\(text)")
            #expect(error.kind == .invalidReport)
            #expect(error.location?.line == line, "\(error)")
            #expect(error.message.contains("<?name?>"), "\(error)")
            var utf16: [UInt8] = [0xFE, 0xFF]
            for unit in text.replacingOccurrences(of: " encoding=\"UTF-8\"", with: "").utf16 { utf16 += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
            let error16 = try #require(failure(parse(format, utf16)), "UTF-16: \(text)")
            #expect(error16.location?.line == line, "\(error16)")
        }
        // With data (even empty) they are harmless and allowed.
        let stylesheet = valid.replacingOccurrences(of: "?>\n", with: "?>\n<?xml-stylesheet href=\"c.xsl\"?><?x ?>", options: [], range: valid.range(of: "?>\n"))
        #expect((try? parse(format, stylesheet).get())?.files.count == 1)
    }

    struct NumberCase: Sendable, CustomTestStringConvertible {
        let number: String
        let hits: String
        let mentions: [String]
        var testDescription: String { "line \(number) hits \(hits)" }
    }

    @Test("letters, zero, negative and absurd numbers fail naming the line", arguments: XMLReportFormat.allCases, [
        NumberCase(number: "12", hits: "x", mentions: ["\"x\"", "line 12", "whole number"]),
        NumberCase(number: "12", hits: "1.5", mentions: ["\"1.5\"", "line 12"]),
        NumberCase(number: "12", hits: "", mentions: ["line 12", "whole number"]),
        NumberCase(number: "12", hits: "0x10", mentions: ["line 12"]),
        NumberCase(number: "12", hits: "-1", mentions: ["line 12", "negative"]),
        NumberCase(number: "twelve", hits: "1", mentions: ["\"twelve\"", "whole number"]),
        NumberCase(number: "0", hits: "1", mentions: ["line 0", "start at 1"]),
        NumberCase(number: "-4", hits: "1", mentions: ["line -4"]),
        NumberCase(number: "99999999999", hits: "1", mentions: ["99999999999", "beyond"]),
        NumberCase(number: "99999999999999999999999", hits: "1", mentions: ["beyond"]),
    ])
    func badNumbers(_ format: XMLReportFormat, _ example: NumberCase) throws {
        let error = try #require(failure(parse(format, format.document(line: format.lineElement(example.number, example.hits)))))
        #expect(error.kind == .invalidReport)
        #expect(error.location == SourceLocation(file: "report.xml", line: 4, column: error.location?.column))
        for text in example.mentions {
            #expect(error.message.contains(text), "\(text) not in: \(error)")
        }
    }

    @Test("huge hit counts (gcov's 64-bit counters) are capped, not rejected", arguments: XMLReportFormat.allCases)
    func hugeCounts(_ format: XMLReportFormat) throws {
        let report = try parse(format, format.document(line: format.lineElement(" 7 ", "18446744073709551615"))).get()
        #expect(report.files.first?.lines == [LineHits(line: 7, hits: Int.max / 2)])
    }

    @Test("missing attributes fail", arguments: XMLReportFormat.allCases)
    func missingAttributes(_ format: XMLReportFormat) throws {
        let elements: [String] = switch format {
        case .cobertura: ["<line hits=\"1\"/>", "<line number=\"3\"/>"]
        case .jacoco: ["<line mi=\"1\" ci=\"0\"/>", "<line nr=\"3\" mb=\"0\" cb=\"1\"/>"]
        case .clover: ["<line count=\"1\" type=\"stmt\"/>", "<line num=\"3\" type=\"stmt\"/>", "<line num=\"3\" type=\"cond\"/>"]
        }
        for element in elements {
            let error = try #require(failure(parse(format, format.document(line: element))), "\(element)")
            #expect(error.kind == .invalidReport)
            #expect(error.location?.line == 4)
        }
    }

    @Test("not well-formed XML fails with the parser's line", arguments: XMLReportFormat.allCases)
    func malformed(_ format: XMLReportFormat) throws {
        let valid = format.document(line: format.lineElement("3", "1"))
        let cases: [(String, Int)] = [
            (valid + "\n<\(format.rootName)/>", 7),  // a second root
            (valid + "\ntrailing text", 7),
            (valid.replacingOccurrences(of: "</\(format.rootName)>", with: "</wrong>"), 6),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: "<line number=3 />"), 4),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: "<line a=\"1\" a=\"2\"/>"), 4),
            (valid.replacingOccurrences(of: format.lineElement("3", "1"), with: "<line>\u{1}</line>"), 4),
        ]
        for (text, line) in cases {
            let error = try #require(failure(parse(format, text)), "\(text)")
            #expect(error.kind == .invalidReport)
            #expect(error.location?.line == line, "\(error)")
        }
    }

    @Test("another format's report, or another XML file, fails naming what it is", arguments: XMLReportFormat.allCases)
    func wrongRoot(_ format: XMLReportFormat) throws {
        for other in XMLReportFormat.allCases where other != format {
            let text = other.document(line: other.lineElement("3", "1"))
            if format == .jacoco || other == .jacoco {
                let error = try #require(failure(parse(format, text)))
                #expect(error.message.contains("root element"), "\(error)")
            } else {
                // Cobertura and Clover share <coverage>: the attributes tell them apart.
                let error = try #require(failure(parse(format, text)))
                #expect(error.message.contains("this is a"), "\(error)")
            }
        }
        // Without the telling attributes, the first child tells.
        let phpunit = "<coverage generated=\"1\">\n<project timestamp=\"1\"><file name=\"/a.php\"><line num=\"1\" type=\"stmt\" count=\"1\"/></file></project></coverage>"
        let bare = "<coverage>\n<packages><package name=\"p\"/></packages></coverage>"
        switch format {
        case .cobertura:
            let error = try #require(failure(parse(format, phpunit)))
            #expect(error.message.contains("this is a Clover report") && error.location?.line == 2, "\(error)")
            #expect((try? parse(format, bare).get())?.files == [])
        case .clover:
            let error = try #require(failure(parse(format, bare)))
            #expect(error.message.contains("this is a Cobertura report") && error.location?.line == 2, "\(error)")
            #expect((try? parse(format, phpunit).get())?.files.map(\.path) == ["/a.php"])
        case .jacoco:
            break
        }
        let error = try #require(failure(parse(format, "<?xml version=\"1.0\"?>\n<checkstyle version=\"8\"><file name=\"a\"/></checkstyle>")))
        #expect(error.message.contains("<checkstyle>"), "\(error)")
        #expect(error.location?.line == 2)
    }

    @Test(arguments: XMLReportFormat.allCases)
    func otherEncodings(_ format: XMLReportFormat) throws {
        let text = format.document(line: format.lineElement("3", "1"))
        var utf32: [UInt8] = [0xFF, 0xFE, 0, 0]
        for scalar in text.unicodeScalars { utf32 += withUnsafeBytes(of: scalar.value.littleEndian, Array.init) }
        let error = try #require(failure(parse(format, utf32)))
        #expect(error.message.contains("UTF-32"), "\(error)")
        // libxml2 would decode UTF-7 after the declaration: +AFsAPA- is "[<", so this hides an
        // internal subset from the check that runs before parsing. Such encodings are refused.
        let utf7 = "<?xml version=\"1.0\" encoding=\"UTF-7\"?><!DOCTYPE \(format.rootName) +AFsAPA-!ENTITY lol \"lol\"+AD4AXQ->\(format.rootTag)&lol;</\(format.rootName)>"
        for text in [utf7, "<?xml version='1.0' encoding='IBM037'?>\(format.rootTag)</\(format.rootName)>"] {
            let error = try #require(failure(parse(format, text)))
            #expect(error.kind == .invalidReport)
            #expect(error.message.contains("encoding="), "\(error)")
        }
        // UTF-16 bytes that declare UTF-8.
        var mislabelled: [UInt8] = [0xFF, 0xFE]
        for unit in "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\(format.rootTag)</\(format.rootName)>".utf16 { mislabelled += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let mislabelledError = try #require(failure(parse(format, mislabelled)))
        #expect(mislabelledError.message.contains("encoding=\"UTF-8\""), "\(mislabelledError)")
        // A declared single-byte encoding works.
        let latin1 = text.replacingOccurrences(of: "<?xml version=\"1.0\" ?>", with: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
            .replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
            .replacingOccurrences(of: "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>", with: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
        let bytes = Array(latin1.replacingOccurrences(of: "a.py", with: "\u{E9}.py").replacingOccurrences(of: "A.java", with: "\u{E9}.java")
            .replacingOccurrences(of: "a.php", with: "\u{E9}.php").unicodeScalars.map { UInt8($0.value) })
        let report = try parse(format, bytes).get()
        #expect(report.files.first?.path.contains("\u{E9}") == true)
    }

    @Test(arguments: XMLReportFormat.allCases)
    func unreadableFile(_ format: XMLReportFormat) throws {
        for path in ["/nonexistent/gatehouse/report.xml", FileManager.default.temporaryDirectory.path] {
            let error = try #require(failure(format.parse(path: path, displayPath: "coverage.xml")))
            #expect(error.kind == .unreadableFile)
            #expect(error.location?.file == "coverage.xml")
        }
    }

    @Test("an empty report root is an empty report", arguments: XMLReportFormat.allCases)
    func emptyReport(_ format: XMLReportFormat) throws {
        let report = try parse(format, "\(format.rootTag)</\(format.rootName)>").get()
        #expect(report.files.isEmpty)
        #expect(report.format == format.coverageFormat)
    }

    // MARK: Format details

    @Test func jacocoSkipsLinesWithoutInstructionsAndJoinsDefaultPackage() throws {
        let text = """
            <report name="r"><package name=""><sourcefile name="A.java">
            <line nr="1" mi="0" ci="0" mb="0" cb="0"/><line nr="2" mi="3" ci="0" mb="0" cb="0"/><line nr="3" mi="1" ci="2" mb="1" cb="1"/>
            </sourcefile></package><group name="g"><group name="h"><package name="com/x/"><sourcefile name="B.kt"><line nr="9" ci="1"/></sourcefile></package></group></group></report>
            """
        let report = try parse(.jacoco, text).get()
        #expect(report.files.withoutBranches == [
            FileCoverage(path: "A.java", lines: [LineHits(line: 2, hits: 0), LineHits(line: 3, hits: 2)]),
            FileCoverage(path: "com/x/B.kt", lines: [LineHits(line: 9, hits: 1)]),
        ])
        let negative = try #require(failure(parse(.jacoco, text.replacingOccurrences(of: "mb=\"1\"", with: "mb=\"-1\""))))
        #expect(negative.message.contains("mb") && negative.message.contains("line 3"), "\(negative)")
    }

    @Test func cloverLineTypes() throws {
        let text = """
            <coverage generated="1"><project timestamp="1">
            <file name="/abs/top.php"><line num="1" type="method" count="9" name="f"/><line num="2" type="stmt" count="0"/></file>
            <package name="p"><file name="b.js" path=""><line num="5" type="cond" truecount="0" falsecount="2"/><line num="6" type="cond" truecount="0" falsecount="0"/>
            <line num="7" type="cond" count="3" truecount="1" falsecount="0"/><line num="8" type="unknown" count="1"/><line num="9" count="4"/></file></package>
            </project><testproject timestamp="1"><file name="t.js" path="test/t.js"><line num="1" type="stmt" count="1"/></file></testproject></coverage>
            """
        let report = try parse(.clover, text).get()
        #expect(report.files == [
            FileCoverage(path: "/abs/top.php", lines: [LineHits(line: 2, hits: 0)]),
            FileCoverage(path: "b.js", lines: [LineHits(line: 5, hits: 2), LineHits(line: 6, hits: 0), LineHits(line: 7, hits: 3), LineHits(line: 9, hits: 4)]),
        ])
    }

    @Test func coberturaIgnoresLinesOutsideClasses() throws {
        let text = """
            <coverage line-rate="1"><sources><source>  </source><source>
              /src </source></sources><packages><package name="p"><classes>
            <class name="A" filename="a.c"><methods><method name="m"><lines><line number="1" hits="5"/></lines></method></methods>
            <lines><line number="1" hits="5"/><line number="2" hits="0" branch="true" condition-coverage="0% (0/2)"><conditions><condition number="0" type="jump" coverage="0%"/></conditions></line></lines></class>
            <class name="Empty" filename="empty.c"><lines/></class>
            </classes></package></packages></coverage>
            """
        let report = try parse(.cobertura, text).get()
        #expect(report.sourceRoots == ["/src"])
        #expect(report.files.withoutBranches == [
            FileCoverage(path: "a.c", lines: [LineHits(line: 1, hits: 5), LineHits(line: 2, hits: 0)]),
            FileCoverage(path: "empty.c", lines: []),
        ])
        let noFilename = try #require(failure(parse(.cobertura, text.replacingOccurrences(of: " filename=\"a.c\"", with: ""))))
        #expect(noFilename.message.contains("filename"), "\(noFilename)")
        #expect(noFilename.location?.line == 3)
    }

    // MARK: Round trip of generated reports

    /// Records (one class / sourcefile / file element each) drawn from numbers: a path, then lines.
    static let records = Gen.int(in: 0...1_000_000).array(of: 1...10).array(of: 0...6)
    static let paths = ["src/a.c", "src/b & c.c", "lib/<d>.c", "src/ünï \"q\".c"]

    static func expected(_ records: [[Int]], path: (Int) -> String) -> [FileCoverage] {
        var order: [String] = []
        var lines: [String: [LineHits]] = [:]
        for record in records {
            let name = path(record[0] % paths.count)
            if lines[name] == nil { order.append(name) }
            lines[name, default: []] += record.dropFirst().map { LineHits(line: 1 + $0 % 40, hits: ($0 / 40) % 4) }
        }
        return order.map { FileCoverage.normalized(path: $0, lines[$0]!) }
    }

    @Test("generated reports of each format parse back to the lines written", arguments: XMLReportFormat.allCases)
    func roundTrip(_ format: XMLReportFormat) async throws {
        await propertyCheck(count: 60, input: Self.records) { records in
            var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            let expected: [FileCoverage]
            switch format {
            case .cobertura:
                text += "<coverage line-rate=\"0.5\"><sources><source>/r</source></sources><packages><package name=\"p\"><classes>\n"
                for record in records {
                    let lines = record.dropFirst().map { "<line number=\"\(1 + $0 % 40)\" hits=\"\(($0 / 40) % 4)\"/>" }.joined()
                    text += "<class name=\"c\" filename=\"\(escaped(Self.paths[record[0] % Self.paths.count]))\"><methods><method name=\"m\" signature=\"\"><lines>\(lines)</lines></method></methods><lines>\(lines)</lines></class>\n"
                }
                text += "</classes></package></packages></coverage>\n"
                expected = Self.expected(records) { Self.paths[$0] }
            case .jacoco:
                text += "<report name=\"r\"><sessioninfo id=\"s\" start=\"1\" dump=\"2\"/>"
                for record in records {
                    let lines = record.dropFirst().map { value in
                        let hits = (value / 40) % 4
                        return "<line nr=\"\(1 + value % 40)\" mi=\"\(hits == 0 ? 2 : 0)\" ci=\"\(hits)\" mb=\"0\" cb=\"0\"/>"
                    }.joined()
                    text += "<group name=\"g\"><package name=\"pkg/sub\"><class name=\"pkg/sub/C\"><counter type=\"LINE\" missed=\"1\" covered=\"1\"/></class><sourcefile name=\"\(escaped(Self.paths[record[0] % Self.paths.count]))\">\(lines)<counter type=\"LINE\" missed=\"1\" covered=\"1\"/></sourcefile></package></group>"
                }
                text += "</report>"
                expected = Self.expected(records) { "pkg/sub/" + Self.paths[$0] }
            case .clover:
                text += "<coverage clover=\"4.4.1\" generated=\"1\"><project timestamp=\"1\"><package name=\"p\">\n"
                for record in records {
                    let lines = record.dropFirst().map { "<line num=\"\(1 + $0 % 40)\" type=\"stmt\" count=\"\(($0 / 40) % 4)\"/>" }.joined()
                    text += "<file name=\"x\" path=\"\(escaped(Self.paths[record[0] % Self.paths.count]))\"><metrics statements=\"1\"/><line num=\"1\" type=\"method\" count=\"99\"/>\(lines)</file>\n"
                }
                text += "</package></project></coverage>\n"
                expected = Self.expected(records) { Self.paths[$0] }
            }
            #expect(format.detect(Array(text.utf8.prefix(4096))))
            let report = try parse(format, text).get()
            #expect(report.files == expected)
            expectNormalized(report)
        }
    }

    // MARK: Fuzzing: never crash, only parse or throw .invalidReport

    private static func expectParsesOrFails(_ format: XMLReportFormat, _ bytes: [UInt8]) {
        switch parse(format, bytes) {
        case .success(let report):
            expectNormalized(report)
        case .failure(let error):
            #expect(error.kind == .invalidReport, "\(error)")
            #expect(error.location?.file == "report.xml")
            #expect(!error.message.isEmpty)
        }
    }

    @Test("random bytes never crash a parser", arguments: XMLReportFormat.allCases)
    func randomBytes(_ format: XMLReportFormat) async {
        let tokens = ["<", ">", "/>", "</", "<?xml version=\"1.0\"?>", "<!DOCTYPE x [", "<!--", "&", ";", "\"", "=", " ", "\n", "\u{0}",
                      format.rootTag, "</\(format.rootName)>", "<line ", "<class ", "<package ", "<file ", "<sourcefile ", "number=\"1\"", "hits=\"2\""]
        await propertyCheck(count: 150, input: Gen.int(in: 0...100_000).array(of: 0...200)) { values in
            var bytes: [UInt8] = []
            for value in values {
                if value % 3 == 0 { bytes.append(UInt8(truncatingIfNeeded: value >> 2)) } else { bytes += Array(tokens[value % tokens.count].utf8) }
            }
            Self.expectParsesOrFails(format, bytes)
        }
    }

    @Test("truncations, byte flips and insertions of real reports never crash a parser", arguments: XMLReportFixture.all)
    func mutatedFixtures(_ fixture: XMLReportFixture) async {
        let original = fixture.bytes
        let inserts = ["<", ">", "&", "&lol;", "\"", "-1", "x", "<line number=\"0\"/>", "</a>", "<a>", "\u{0}", "\u{FFFF}", "]]>", "<![CDATA[", "<!DOCTYPE r [<!ENTITY a \"b\">]>"]
        await propertyCheck(count: 80, input: Gen.int(in: 0...10_000_000).array(of: 1...6)) { edits in
            let bytes = mutate(original, edits: edits, inserting: inserts.map { Array($0.utf8) })
            Self.expectParsesOrFails(fixture.format, bytes)
            let claims = XMLReportFormat.allCases.filter { $0.detect(Array(bytes.prefix(4096))) }
            #expect(claims.count <= 1, "\(claims)")
        }
    }
}
