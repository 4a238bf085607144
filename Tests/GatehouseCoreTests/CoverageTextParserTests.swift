import Foundation
import GatehouseCore
import GatehouseTestSupport
import PropertyBased
import Testing

// Fixtures in Tests/Fixtures/coverage read by these tests, and what produced each (Debian 12, x86_64):
//
// - lcov-coveragepy.info: coverage.py 7.17.5 (pip install coverage), CPython 3.11.7, on main.py
//   importing pkg/shapes.py (area/total/unused) and an empty pkg/__init__.py:
//     coverage run --branch main.py && coverage lcov -o coverage.lcov
//   Relative SF paths, no TN, FN with end lines, BRDA branch names with spaces ("jump to line 3"),
//   an SF record without DA lines (pkg/__init__.py).
// - lcov-geninfo-branches.info: LCOV 1.16 (apt-get install lcov) with gcc/gcov 12.2.0 on calc.c
//   (including util.h):
//     gcc --coverage -O0 -o calc calc.c && ./calc
//     lcov --capture --directory . --rc lcov_branch_coverage=1 --output-file gcc.info
// - lcov-geninfo-checksum.info: the same run, captured with checksums and a test name:
//     lcov --capture --directory . --checksum -t calc_run --output-file gcc-checksum.info
//   (DA:<line>,<count>,<md5 base64>).
// - lcov-geninfo-merged-tests.info: after a second run (./calc 1 2 3 4 5 6; gcov counters
//   accumulate), captured with -t second_run, then merged with the first capture:
//     lcov -a gcc.info -a gcc2.info --rc lcov_branch_coverage=1 -o merged.info
//   LCOV keeps one record per test name, so each file has two SF records whose DA lines sum.
// - lcov-2x-handwritten.info: no LCOV 2.x here (Debian 12 ships 1.16), so written by hand after
//   lcov 2.3's TraceFile writer and geninfo(1): the calc.c/util.h data above as LCOV 2.2+ writes
//   it, with VER, FNL/FNA (one function with two aliases), BRDA branch expressions holding commas,
//   exception branches (`e0`) never evaluated (`-`), MCDC/MCF/MCH, DA checksums, and util.h
//   in two test records.
// - llvmcov-swiftpm.json / llvmcov-swiftpm.lcov: Swift 6.3.1 (LLVM 21, llvm-cov under /opt/swift/usr/bin)
//   on a throwaway package (Sources/Shapes/Shape.swift, Parse.swift with a `#if DEBUG_PARSE` block,
//   Tests/ShapesTests/ShapeTests.swift, XCTest):
//     swift test --enable-code-coverage      # writes .build/.../codecov/Shapes.json
//     llvm-cov export -format=lcov -instr-profile=.build/x86_64-unknown-linux-gnu/debug/codecov/default.profdata \
//         .build/x86_64-unknown-linux-gnu/debug/ShapesPackageTests.xctest
//   (`llvm-cov export` with the same arguments and no -format gives Shapes.json byte for byte.)
//   Both trimmed to four files (Parse.swift, Shape.swift, ShapeTests.swift and SwiftPM's derived
//   runner.swift, which has many skipped regions): each file object, each function object of those
//   files, and each LCOV record kept byte for byte; "totals" left as exported.
// - llvmcov-clang-c.json / llvmcov-clang-c.lcov: clang 21.0.0 from the same toolchain on
//   llvmcov-clang-c.c (gap regions, `#if 0`, macros, switch, goto):
//     clang -fprofile-instr-generate -fcoverage-mapping -O0 -o prog prog.c && LLVM_PROFILE_FILE=prog.profraw ./prog
//     llvm-profdata merge -o prog.profdata prog.profraw
//     llvm-cov export -instr-profile=prog.profdata ./prog > prog.json
//     llvm-cov export -format=lcov -instr-profile=prog.profdata ./prog > prog.lcov
// - llvmcov-yams.json / llvmcov-yams.lcov: the same toolchain on Yams 6.2.2 (this package's own
//   dependency, copied from .build/checkouts to /tmp/yams): `swift test --enable-code-coverage`, then
//   `llvm-cov export -format=lcov` as above on YamsPackageTests.xctest; trimmed as above to
//   Sources/Yams/Resolver.swift and Tests/YamsTests/TestHelper.swift, whose counter expressions
//   underflow: the JSON clamps them to 9223372036854775807, the LCOV export prints the wrapped
//   uint64 (18446744073709507777). Over all 46 files of that export (7,490 lines) the JSON parser
//   gives llvm-cov's LCOV counts exactly, up to that clamp.
//   The .lcov files are llvm-cov's own per-line counts: the oracle for the JSON parser.
// - go-set.out, go-count.out: no Go toolchain here, so written by hand in the shape
//   `go test -coverpkg=./... -coverprofile` gives for two test binaries (the blocks of
//   example.com/shapes/area.go and store/store.go twice, once per binary), with a
//   zero-statement block (an empty function body) and consistent counts.
// - coveragepy-branch.json: coverage.py 7.17.5, CPython 3.11.7, on main.py importing pkg/calc.py
//   (classify with if/elif, an unused loop, a `# pragma: no cover` function, a class Counter) and an
//   empty pkg/__init__.py:
//     coverage run --branch main.py && coverage json --pretty-print -o coverage.json
//   Format 3: functions and classes per file, excluded lines, executed and missing arcs (exits of
//   the code object as negative destinations). `coverage report` says: main.py 5 statements, 0
//   missed, 2 branches, 0 partial; pkg/calc.py 18, 6, 10, 3; pkg/__init__.py 0.

// MARK: Helpers

enum TextReportFormat: String, CaseIterable, Sendable {
    case lcov, go, llvm, coveragepy

    func parse(path: String, displayPath: String) throws(GatehouseError) -> CoverageReport {
        switch self {
        case .lcov: try LCOVParser.parse(path: path, displayPath: displayPath)
        case .go: try GoCoverprofileParser.parse(path: path, displayPath: displayPath)
        case .llvm: try LLVMCovJSONParser.parse(path: path, displayPath: displayPath)
        case .coveragepy: try CoveragePyJSONParser.parse(path: path, displayPath: displayPath)
        }
    }

    func detect(_ prefix: [UInt8]) -> Bool {
        switch self {
        case .lcov: LCOVParser.detect(prefix)
        case .go: GoCoverprofileParser.detect(prefix)
        case .llvm: LLVMCovJSONParser.detect(prefix)
        case .coveragepy: CoveragePyJSONParser.detect(prefix)
        }
    }

    var format: CoverageFormat {
        switch self {
        case .lcov: .lcov
        case .go: .goCoverprofile
        case .llvm: .llvmCovJSON
        case .coveragepy: .coveragePyJSON
        }
    }
}

struct TextReportFixture: Sendable, CustomTestStringConvertible {
    let name: String
    let format: TextReportFormat
    var testDescription: String { name }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/coverage")

    var path: String { Self.folder.appendingPathComponent(name).path }
    var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    static let all: [TextReportFixture] = [
        TextReportFixture(name: "lcov-coveragepy.info", format: .lcov),
        TextReportFixture(name: "lcov-geninfo-branches.info", format: .lcov),
        TextReportFixture(name: "lcov-geninfo-checksum.info", format: .lcov),
        TextReportFixture(name: "lcov-geninfo-merged-tests.info", format: .lcov),
        TextReportFixture(name: "lcov-2x-handwritten.info", format: .lcov),
        TextReportFixture(name: "llvmcov-swiftpm.lcov", format: .lcov),
        TextReportFixture(name: "llvmcov-clang-c.lcov", format: .lcov),
        TextReportFixture(name: "llvmcov-yams.lcov", format: .lcov),
        TextReportFixture(name: "llvmcov-swiftpm.json", format: .llvm),
        TextReportFixture(name: "llvmcov-clang-c.json", format: .llvm),
        TextReportFixture(name: "llvmcov-yams.json", format: .llvm),
        TextReportFixture(name: "go-set.out", format: .go),
        TextReportFixture(name: "go-count.out", format: .go),
        TextReportFixture(name: "coveragepy-branch.json", format: .coveragepy),
    ]

    static let xmlNames = [
        "cobertura-coveragepy.xml", "cobertura-gcovr.xml", "jacoco-jacoco-0.8.6.xml", "clover-gcovr.xml",
    ]
}

/// Writes `bytes` to a fresh temporary file, runs `body` with its path, and removes it.
private func withTextReport<T>(_ bytes: [UInt8], _ body: (String) throws -> T) rethrows -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-text-\(UUID().uuidString)").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private func parseText(_ format: TextReportFormat, _ bytes: [UInt8], displayPath: String = "report") -> Result<CoverageReport, GatehouseError> {
    withTextReport(bytes) { path in Result { () throws(GatehouseError) in try format.parse(path: path, displayPath: displayPath) } }
}

private func parseText(_ format: TextReportFormat, _ text: String) -> Result<CoverageReport, GatehouseError> {
    parseText(format, Array(text.utf8))
}

private func parseFixture(_ name: String, _ format: TextReportFormat) throws -> CoverageReport {
    let fixture = TextReportFixture(name: name, format: format)
    return try fixture.format.parse(path: fixture.path, displayPath: name)
}

/// The lines of one file as `[line: hits]`, in the order the report gives them.
private func hits(_ report: CoverageReport, _ path: String) -> [Int: Int]? {
    report.files.first { $0.path == path }.map { Dictionary(uniqueKeysWithValues: $0.lines.eachLine.map { ($0.line, $0.hits) }) }
}

private func pairs(_ list: KeyValuePairs<Int, Int>) -> [Int: Int] {
    Dictionary(uniqueKeysWithValues: list.map { ($0.key, $0.value) })
}

/// Checks that each file's lines are ascending and unique, as `FileCoverage` promises.
private func isNormalized(_ report: CoverageReport) -> Bool {
    report.files.allSatisfy { file in zip(file.lines, file.lines.dropFirst()).allSatisfy { $0.line < $1.line } }
        && Set(report.files.map(\.path)).count == report.files.count
}

private func expectInvalid(
    _ result: Result<CoverageReport, GatehouseError>, line: Int? = nil, mentioning words: [String] = [], displayPath: String = "report",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    switch result {
    case .success(let report):
        Issue.record("expected an error, parsed \(report.files.count) files", sourceLocation: sourceLocation)
    case .failure(let error):
        #expect(error.kind == .invalidReport, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location?.file == displayPath, "\(error)", sourceLocation: sourceLocation)
        #expect(error.location?.line != nil, "no line in \(error)", sourceLocation: sourceLocation)
        if let line { #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation) }
        for word in words { #expect(error.message.contains(word), "\(error)", sourceLocation: sourceLocation) }
    }
}

// MARK: - LCOV

extension CoverageTextParserTests {
    @Suite("LCOV")
    struct LCOV {
        @Test func coveragePy() throws {
            let report = try parseFixture("lcov-coveragepy.info", .lcov)
            #expect(report.format == .lcov && report.file == "lcov-coveragepy.info")
            #expect(report.files.map(\.path) == ["main.py", "pkg/__init__.py", "pkg/shapes.py"])
            #expect(hits(report, "main.py") == pairs([1: 1, 3: 1, 4: 1]))
            #expect(hits(report, "pkg/__init__.py") == [:])
            #expect(
                hits(report, "pkg/shapes.py")
                    == pairs([1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 7: 0, 10: 1, 11: 1, 12: 1, 13: 1, 14: 1, 17: 1, 18: 0, 20: 0]))
        }

        static let calc = pairs([
            4: 7, 5: 7, 6: 2, 7: 5, 8: 1, 9: 4, 12: 0, 13: 0, 16: 1, 17: 1, 18: 8, 19: 7, 20: 7, 22: 1, 23: 0, 24: 1, 25: 1,
        ])

        @Test(arguments: ["lcov-geninfo-branches.info", "lcov-geninfo-checksum.info"])
        func geninfo(_ name: String) throws {
            let report = try parseFixture(name, .lcov)
            #expect(report.files.map(\.path) == ["/tmp/gcccov/calc.c", "/tmp/gcccov/util.h"])
            #expect(hits(report, "/tmp/gcccov/calc.c") == Self.calc)
            #expect(hits(report, "/tmp/gcccov/util.h") == pairs([1: 7, 2: 7, 3: 5, 4: 4]))
        }

        @Test("records of several test names for one file sum")
        func mergedTestNames() throws {
            let report = try parseFixture("lcov-geninfo-merged-tests.info", .lcov)
            #expect(report.files.map(\.path) == ["/tmp/gcccov/calc.c", "/tmp/gcccov/util.h"])
            // First run + second run (gcov counters accumulate, so the second record holds both runs).
            #expect(
                hits(report, "/tmp/gcccov/calc.c")
                    == pairs([
                        4: 21, 5: 21, 6: 6, 7: 15, 8: 3, 9: 12, 12: 1, 13: 1, 16: 3, 17: 3, 18: 24, 19: 21, 20: 21, 22: 3, 23: 1, 24: 3,
                        25: 3,
                    ]))
            #expect(hits(report, "/tmp/gcccov/util.h") == pairs([1: 21, 2: 21, 3: 15, 4: 12]))
        }

        @Test("LCOV 2.x: FNL/FNA, branch expressions with commas, MC/DC, checksums")
        func lcov2() throws {
            let report = try parseFixture("lcov-2x-handwritten.info", .lcov)
            #expect(report.files.map(\.path) == ["/tmp/gcccov/calc.c", "/tmp/gcccov/util.h"])
            #expect(hits(report, "/tmp/gcccov/calc.c") == Self.calc)
            #expect(hits(report, "/tmp/gcccov/util.h") == pairs([1: 14, 2: 14, 3: 10, 4: 8, 5: 0]))
        }

        @Test("CRLF line ends, a byte order mark and blank lines change nothing", arguments: TextReportFixture.all.filter { $0.format == .lcov })
        func crlf(_ fixture: TextReportFixture) throws {
            let plain = try #require(try? parseText(.lcov, fixture.bytes).get())
            var crlf: [UInt8] = [0xEF, 0xBB, 0xBF, 0x0D, 0x0A]
            for byte in fixture.bytes {
                if byte == 0x0A { crlf.append(0x0D) }
                crlf.append(byte)
            }
            let windows = try parseText(.lcov, crlf).get()
            #expect(windows.files == plain.files)
            #expect(isNormalized(plain))
        }

        @Test func smallCases() throws {
            // No final newline, no end_of_record, a line 0, a negative count, unsorted and repeated lines.
            let report = try parseText(.lcov, "SF:a.c\nDA:3,1\nDA:1,2\nDA:0,5\nDA:3,4,abc==\nDA:2,-7\nFOO_BAR:anything, really\n# a comment\nDA:9,1").get()
            #expect(report.files == [FileCoverage(path: "a.c", lines: [.init(line: 1, hits: 2), .init(line: 2, hits: 0), .init(line: 3, hits: 5), .init(line: 9, hits: 1)])])
            // A new SF without end_of_record starts a new record; counts saturate instead of overflowing.
            let big = try parseText(.lcov, "TN:\nSF:a\nDA:1,99999999999999999999999\nSF:b\nDA:1,1\nend_of_record\nSF:a\nDA:1,4611686018427387903\n").get()
            #expect(big.files.map(\.path) == ["a", "b"])
            #expect(big.files[0].lines == [LineHits(line: 1, hits: Int.max / 2)])
            // Only TN lines: a report of no files.
            #expect(try parseText(.lcov, "TN:\n\n").get().files.isEmpty)
        }

        struct BadInput: Sendable, CustomTestStringConvertible {
            let text: String
            let line: Int
            let words: [String]
            var testDescription: String { text.debugDescription }
        }

        @Test(arguments: [
            BadInput(text: "SF:a.c\nDA:1,1\nDA:12,abc\nend_of_record\n", line: 3, words: ["malformed DA record"]),
            BadInput(text: "SF:a.c\nDA:x1,1\n", line: 2, words: ["DA"]),
            BadInput(text: "SF:a.c\r\nDA:12\r\n", line: 2, words: ["malformed DA record"]),
            BadInput(text: "SF:a.c\nDA:12,\n", line: 2, words: ["DA"]),
            BadInput(text: "SF:a.c\nDA:-3,1\n", line: 2, words: ["DA"]),
            BadInput(text: "SF:a.c\nDA:3,1.5\n", line: 2, words: ["DA"]),
            BadInput(text: "SF:a.c\nDA:3,1 2\n", line: 2, words: ["DA"]),
            BadInput(text: "SF:a.c\nDA:99999999999999999999999,1\n", line: 2, words: ["DA"]),
            BadInput(text: "TN:\nDA:3,1\n", line: 2, words: ["before any SF"]),
            BadInput(text: "TN:\nSF:\n", line: 2, words: ["SF"]),
            BadInput(text: "TN:\nSF:a\nthis is not lcov\n", line: 3, words: ["not an LCOV record"]),
            BadInput(text: "SF:a\n\u{0}\u{1}binary\n", line: 2, words: ["not an LCOV record"]),
        ])
        func badInput(_ bad: BadInput) {
            expectInvalid(parseText(.lcov, bad.text), line: bad.line, mentioning: bad.words)
        }

        /// Random documents from a list of operations: records, DA lines (repeated, unsorted, with
        /// checksums), other directives, blank lines, CRLF; the expected hits kept alongside.
        static func document(_ ops: [Int]) -> (text: String, files: [FileCoverage]) {
            let crlf = (ops.first ?? 0) % 3 == 0
            var text = ""
            var order: [String] = []
            var expected: [String: [Int: Int]] = [:]
            var current: String?
            let directives = [
                "TN:test", "VER:abc123", "FN:3,9,f", "FNDA:2,f", "FNL:0,3,9", "FNA:0,2,f(int, char**)", "FNF:1", "FNH:1",
                "BRDA:4,0,(a, b) == True,1", "BRDA:4,e0,1,-", "BRF:2", "BRH:1", "MCDC:4,2,t,1,0,a, b", "MCF:2", "MCH:1", "LF:3", "LH:2",
            ]
            func line(_ s: String) { text += s + (crlf ? "\r\n" : "\n") }
            func open(_ path: String) {
                line("SF:\(path)")
                current = path
                if expected[path] == nil {
                    expected[path] = [:]
                    order.append(path)
                }
            }
            for op in ops {
                let path = "src/f\(op / 10 % 4).c"
                switch op % 10 {
                case 0: open(path)
                case 1, 2, 3, 4, 5, 9:
                    if current == nil { open(path) }
                    let number = op / 10 % 30 + 1
                    let count = op / 300 % 5 == 4 ? 4_611_686_018_427_387_000 : op / 300 % 5
                    line(op % 10 == 9 ? "DA:\(number),\(count),c2hh+/==" : "DA:\(number),\(count)")
                    expected[current!]![number] = min((expected[current!]![number] ?? 0) + count, Int.max / 2)
                case 6: line(directives[op / 10 % directives.count])
                case 7:
                    if current != nil {
                        line("end_of_record")
                        current = nil
                    }
                default: line("")
                }
            }
            if current != nil, (ops.last ?? 0) % 2 == 0 { line("end_of_record") }
            if text.isEmpty { text = "TN:\n" }
            let files = order.map { path in
                FileCoverage(path: path, lines: expected[path]!.sorted { $0.key < $1.key }.map { LineHits(line: $0.key, hits: $0.value) })
            }
            return (text, files)
        }

        @Test("random documents parse to what they say")
        func randomDocuments() async {
            await propertyCheck(count: 200, input: Gen.int(in: 0...1_000_000).array(of: 0...60)) { ops in
                let (text, files) = Self.document(ops)
                let result = parseText(.lcov, text)
                // BRDA records the generator writes carry branches the oracle does not model.
                #expect((try? result.get().files)?.withoutBranches == files, "\(text)")
            }
        }

        @Test("lines across chunk boundaries, and a line longer than a chunk")
        func largeFile() throws {
            var text = "TN:\nSF:" + String(repeating: "d/", count: 700_000) + "long.c\nDA:1,1\nend_of_record\n"
            var expected: [FileCoverage] = [FileCoverage(path: String(repeating: "d/", count: 700_000) + "long.c", lines: [LineHits(line: 1, hits: 1)])]
            for file in 0..<1_200 {
                text += "SF:/src/file\(file).swift\n"
                var lines: [LineHits] = []
                for line in 1...100 {
                    text += "DA:\(line),\(line * file % 7)\r\n"
                    lines.append(LineHits(line: line, hits: line * file % 7))
                }
                text += "end_of_record\n"
                expected.append(FileCoverage(path: "/src/file\(file).swift", lines: lines))
            }
            #expect(text.utf8.count > 2 << 20)
            let report = try parseText(.lcov, text).get()
            #expect(report.files.count == expected.count)
            #expect(report.files == expected)
        }
}

}

// MARK: - Go coverprofile

extension CoverageTextParserTests {
    @Suite("Go coverprofile")
    struct GoCoverprofile {
        @Test("set mode: a line's hits are the highest of its blocks; repeated blocks OR")
        func setMode() throws {
            let report = try parseFixture("go-set.out", .go)
            #expect(report.format == .goCoverprofile)
            #expect(report.files.map(\.path) == ["example.com/shapes/area.go", "example.com/shapes/store/store.go"])
            #expect(
                hits(report, "example.com/shapes/area.go")
                    == pairs([6: 1, 7: 1, 8: 1, 9: 1, 10: 1, 11: 1, 13: 0, 17: 1, 18: 1, 19: 1, 20: 1, 21: 0, 22: 0, 23: 1, 25: 1]))
            // Line 17 has only the zero-statement block 17.26,17.28: not measured.
            #expect(hits(report, "example.com/shapes/store/store.go") == pairs([12: 1, 13: 1, 14: 1, 20: 1, 21: 1, 22: 1, 23: 1, 24: 1]))
        }

        @Test("count mode: the blocks on a line, and repeated blocks, sum")
        func countMode() throws {
            let report = try parseFixture("go-count.out", .go)
            #expect(
                hits(report, "example.com/shapes/area.go")
                    == pairs([6: 13, 7: 13, 8: 9, 9: 9, 10: 4, 11: 4, 13: 0, 17: 4, 18: 4, 19: 19, 20: 18, 21: 3, 22: 3, 23: 12, 25: 4]))
            #expect(hits(report, "example.com/shapes/store/store.go") == pairs([12: 13, 13: 13, 14: 13, 20: 9, 21: 17, 22: 8, 23: 8, 24: 1]))
        }

        @Test func smallCases() throws {
            let atomic = try parseText(.go, "mode: atomic\r\nC:/go/src/my pkg/a.go:3.1,4.2 2 5\r\nC:/go/src/my pkg/a.go:4.2,4.9 1 1\r\n\r\nmode: atomic\r\nC:/go/src/my pkg/a.go:3.1,3.9 1 2").get()
            #expect(atomic.files == [FileCoverage(path: "C:/go/src/my pkg/a.go", lines: [.init(line: 3, hits: 7), .init(line: 4, hits: 6)])])
            #expect(try parseText(.go, "mode: set\n").get().files.isEmpty)
            let empty = try parseText(.go, "mode: count\nx.go:1.1,1.2 0 3\n").get()
            #expect(empty.files == [FileCoverage(path: "x.go", lines: [])])
        }

        struct BadInput: Sendable, CustomTestStringConvertible {
            let text: String
            let line: Int
            var testDescription: String { text.debugDescription }
        }

        @Test(arguments: [
            BadInput(text: "a.go:1.1,2.2 1 1\n", line: 1),
            BadInput(text: "\nmode: set\n", line: 1),
            BadInput(text: "mode: sometimes\n", line: 1),
            BadInput(text: "mode: set\na.go:1.1,2.2 1 1\na.go:x.1,2.2 1 1\n", line: 3),
            BadInput(text: "mode: set\na.go:1.1,2.2 1\n", line: 2),
            BadInput(text: "mode: set\na.go:3.1,2.2 1 1\n", line: 2),
            BadInput(text: "mode: set\na.go:0.1,2.2 1 1\n", line: 2),
            BadInput(text: "mode: set\n:1.1,2.2 1 1\n", line: 2),
            BadInput(text: "mode: set\na.go:1.1,99999999.2 1 1\n", line: 2),
            BadInput(text: "mode: set\na.go:1.1,2.2 -1 1\n", line: 2),
            BadInput(text: "mode: set\na.go:1.1,2.2 1 1\nmode: count\n", line: 3),
        ])
        func badInput(_ bad: BadInput) {
            expectInvalid(parseText(.go, bad.text), line: bad.line)
        }

        @Test("random profiles: max per line in set mode, sum otherwise")
        func randomProfiles() async {
            await propertyCheck(count: 200, input: Gen.int(in: 0...10_000_000).array(of: 0...40)) { ops in
                let modes = ["set", "count", "atomic"]
                let mode = modes[(ops.first ?? 0) % 3]
                var text = "mode: \(mode)\n"
                var order: [String] = []
                var expected: [String: [Int: Int]] = [:]
                for op in ops {
                    let path = "example.com/m/f\(op % 3).go"
                    let start = op / 3 % 20 + 1, span = op / 60 % 3, statements = op / 180 % 3, count = op / 540 % 4
                    text += "\(path):\(start).\(op % 7 + 1),\(start + span).\(op % 5 + 2) \(statements) \(count)\n"
                    if expected[path] == nil {
                        expected[path] = [:]
                        order.append(path)
                    }
                    guard statements > 0 else { continue }
                    for line in start...(start + span) {
                        let old = expected[path]![line]
                        expected[path]![line] = mode == "set" ? max(old ?? 0, count) : (old ?? 0) + count
                    }
                }
                let files = order.map { path in
                    FileCoverage(path: path, lines: expected[path]!.sorted { $0.key < $1.key }.map { LineHits(line: $0.key, hits: $0.value) })
                }
                #expect((try? parseText(.go, text).get().files)?.eachLine == files, "\(text)")
            }
        }
}

}

// MARK: - llvm-cov export JSON

/// One segment as llvm-cov writes it: `[line, column, count, hasCount, isRegionEntry, isGapRegion]`.
struct LLVMTestSegment: Sendable {
    var line: Int
    var column: Int
    var count: Int
    var hasCount: Bool
    var isRegionEntry: Bool
    var isGapRegion: Bool

    var json: String { "[\(line),\(column),\(count),\(hasCount),\(isRegionEntry),\(isGapRegion)]" }
}

/// LLVM's LineCoverageIterator and LineCoverageStats (CoverageMapping.cpp, LLVM 21), transcribed
/// statement by statement: every line from the first segment's on, until the segments run out.
private func llvmReferenceLines(_ segments: [LLVMTestSegment]) -> [LineHits] {
    guard let first = segments.first else { return [] }
    var out: [LineHits] = []
    var wrapped: LLVMTestSegment?
    var lineSegments: [LLVMTestSegment] = []
    var next = 0
    var line = first.line
    while next < segments.count {  // operator++: `if (Next == CD.end()) { Ended = true; ... }`
        if !lineSegments.isEmpty { wrapped = lineSegments.last }
        lineSegments.removeAll()
        while next < segments.count, segments[next].line == line {
            lineSegments.append(segments[next])
            next += 1
        }
        // LineCoverageStats(LineSegments, WrappedSegment, Line)
        func isStartOfRegion(_ s: LLVMTestSegment) -> Bool { !s.isGapRegion && s.hasCount && s.isRegionEntry }
        var minRegionCount = 0
        for s in lineSegments where minRegionCount < 2 && isStartOfRegion(s) { minRegionCount += 1 }
        let startOfSkippedRegion = !lineSegments.isEmpty && !lineSegments[0].hasCount && lineSegments[0].isRegionEntry
        var mapped = !startOfSkippedRegion && ((wrapped?.hasCount ?? false) || minRegionCount > 0)
        mapped = mapped || lineSegments.contains { $0.isRegionEntry && $0.hasCount }
        if mapped {
            var executionCount = wrapped?.count ?? 0
            if minRegionCount > 0 {
                for s in lineSegments where isStartOfRegion(s) { executionCount = max(executionCount, s.count) }
            }
            out.append(LineHits(line: line, hits: executionCount))
        }
        line += 1
    }
    return out
}

private func exportDocument(_ files: [(name: String, segments: [LLVMTestSegment])], typeFirst: Bool = false) -> String {
    let fileObjects = files.map { file in
        #"{"branches":[],"expansions":[],"filename":"\#(file.name)","mcdc_records":[],"segments":[\#(file.segments.map(\.json).joined(separator: ","))],"summary":{"lines":{"count":1,"covered":1,"percent":100}}}"#
    }
    let data = #""data":[{"files":[\#(fileObjects.joined(separator: ","))],"functions":[{"count":1,"filenames":["x"],"name":"f","regions":[[1,1,2,2,1,0,0,0]]}],"totals":{"lines":{"count":1,"percent":100}}}]"#
    let type = #""type":"llvm.coverage.json.export","version":"3.0.1""#
    return typeFirst ? "{\(type),\(data)}" : "{\(data),\(type)}"
}

extension CoverageTextParserTests {
    @Suite("llvm-cov export JSON")
    struct LLVMCovJSON {
        @Test(
            "per-line counts are llvm-cov's own (its LCOV export of the same profile)",
            arguments: [
                ("llvmcov-swiftpm.json", "llvmcov-swiftpm.lcov"), ("llvmcov-clang-c.json", "llvmcov-clang-c.lcov"),
                ("llvmcov-yams.json", "llvmcov-yams.lcov"),
            ])
        func matchesLLVMCov(_ json: String, _ lcov: String) throws {
            let report = try parseFixture(json, .llvm)
            let oracle = try parseFixture(lcov, .lcov)
            #expect(report.format == .llvmCovJSON)
            #expect(report.files.count == oracle.files.count)
            for file in oracle.files {
                // llvm-cov's branch regions are not read from its JSON; its LCOV export has BRDA.
                #expect(report.files.first { $0.path == file.path }?.withoutBranches == file.withoutBranches, "\(file.path)")
            }
            #expect(isNormalized(report))
        }

        @Test func swiftPackage() throws {
            let report = try parseFixture("llvmcov-swiftpm.json", .llvm)
            let parse = try #require(hits(report, "/tmp/swcov/Sources/Shapes/Parse.swift"))
            // Lines 14-16 are `#if DEBUG_PARSE ... #endif`: a skipped region, not executable.
            #expect(parse[13] == 1 && parse[14] == nil && parse[15] == nil && parse[16] == nil && parse[17] == 1)
            #expect(parse[20] == 0 && parse[21] == 0)  // neverCalled
            let shape = try #require(hits(report, "/tmp/swcov/Sources/Shapes/Shape.swift"))
            #expect(shape[8] == 7 && shape[12] == 0 && shape[31] == 2)  // wrapped counts: 8 and 31 take the line above's
        }

        @Test func clangGapRegions() throws {
            let report = try parseFixture("llvmcov-clang-c.json", .llvm)
            let prog = try #require(hits(report, "/tmp/ccov/prog.c"))
            // Lines whose only segment is a gap region take the wrapped segment's count, not the gap's:
            // line 16 `return 3;` has gap [16,13,0,...] and wraps [15,3,2,...].
            #expect(prog[16] == 2 && prog[18] == 3 && prog[21] == 7 && prog[53] == 1)
            // llvm-cov's known miscount (llvm/llvm-project#203740): `int result = 42;` ran once, shows 0.
            #expect(prog[54] == 0)
            // `#if 0` and `#ifdef NOT_DEFINED_ANYWHERE` blocks are not executable.
            #expect((36...44).allSatisfy { prog[$0] == nil })
        }

        @Test("counts llvm-cov wraps below zero stay covered, saturated")
        func underflowedCounts() throws {
            let report = try parseFixture("llvmcov-yams.json", .llvm)
            let resolver = try #require(hits(report, "/tmp/yams/Sources/Yams/Resolver.swift"))
            // [90,10,9223372036854775807,true,true,false] in the JSON; DA:90,18446744073709507777 in the LCOV.
            #expect(resolver[90] == Int.max / 2 && resolver[91] == Int.max / 2 && resolver[68] == 7)
            let oracle = try parseFixture("llvmcov-yams.lcov", .lcov)
            #expect(hits(oracle, "/tmp/yams/Sources/Yams/Resolver.swift")?[90] == Int.max / 2)
        }

        struct SegmentCase: Sendable, CustomTestStringConvertible {
            let name: String
            let segments: [LLVMTestSegment]
            let lines: [Int: Int]
            var testDescription: String { name }
        }

        @Test(arguments: [
            SegmentCase(
                name: "a region's count carries over lines without segments",
                segments: [LLVMTestSegment(line: 2, column: 10, count: 4, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 5, column: 2, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)],
                lines: [2: 4, 3: 4, 4: 4, 5: 4]),
            SegmentCase(
                name: "a line's count is the highest of the wrapped count and the regions starting on it",
                segments: [LLVMTestSegment(line: 1, column: 1, count: 3, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 2, column: 5, count: 9, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 2, column: 9, count: 3, hasCount: true, isRegionEntry: false, isGapRegion: false),
                           LLVMTestSegment(line: 3, column: 5, count: 1, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 3, column: 9, count: 3, hasCount: true, isRegionEntry: false, isGapRegion: false),
                           LLVMTestSegment(line: 4, column: 2, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)],
                lines: [1: 3, 2: 9, 3: 3, 4: 3]),
            SegmentCase(
                name: "a line starting a skipped region is not executable, nor those inside it, nor the line it ends on",
                segments: [LLVMTestSegment(line: 1, column: 1, count: 2, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 3, column: 1, count: 0, hasCount: false, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 5, column: 7, count: 2, hasCount: true, isRegionEntry: false, isGapRegion: false),
                           LLVMTestSegment(line: 7, column: 2, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)],
                lines: [1: 2, 2: 2, 6: 2, 7: 2]),
            SegmentCase(
                name: "a line whose only segment is a gap region takes the wrapped count",
                segments: [LLVMTestSegment(line: 1, column: 1, count: 5, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 2, column: 9, count: 0, hasCount: true, isRegionEntry: false, isGapRegion: true),
                           LLVMTestSegment(line: 3, column: 3, count: 1, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 4, column: 1, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)],
                lines: [1: 5, 2: 5, 3: 1, 4: 1]),
            SegmentCase(
                name: "a gap region entry with a count maps a line outside any region (LLVM 19+), at the wrapped count",
                segments: [LLVMTestSegment(line: 1, column: 1, count: 5, hasCount: true, isRegionEntry: true, isGapRegion: false),
                           LLVMTestSegment(line: 2, column: 2, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false),
                           LLVMTestSegment(line: 4, column: 3, count: 8, hasCount: true, isRegionEntry: true, isGapRegion: true),
                           LLVMTestSegment(line: 5, column: 1, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false)],
                lines: [1: 5, 2: 5, 4: 0, 5: 8]),
            SegmentCase(
                name: "a line with only a segment that ends regions, and no count wrapped, is not executable",
                segments: [LLVMTestSegment(line: 3, column: 1, count: 0, hasCount: false, isRegionEntry: false, isGapRegion: false),
                           LLVMTestSegment(line: 4, column: 1, count: 6, hasCount: true, isRegionEntry: false, isGapRegion: false)],
                lines: [:]),
        ])
        func segmentRules(_ example: SegmentCase) throws {
            let report = try parseText(.llvm, exportDocument([("/s/a.swift", example.segments)])).get()
            #expect(hits(report, "/s/a.swift") == example.lines)
            let reference = llvmReferenceLines(example.segments)
            #expect(Dictionary(uniqueKeysWithValues: reference.map { ($0.line, $0.hits) }) == example.lines)
        }

        @Test("random segments: the same counts as LLVM's line iterator")
        func randomSegments() async {
            await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 0...40)) { ops in
                var segments: [LLVMTestSegment] = []
                var line = 1, column = 1
                for op in ops {
                    let step = op % 4
                    if step > 0 { (line, column) = (line + step, 1) } else { column += 1 + op % 5 }
                    segments.append(LLVMTestSegment(line: line, column: column, count: op / 4 % 6, hasCount: op / 24 % 4 != 0,
                                        isRegionEntry: op / 96 % 2 == 0, isGapRegion: op / 192 % 3 == 0))
                }
                let result = parseText(.llvm, exportDocument([("f.c", segments)], typeFirst: (ops.first ?? 0) % 2 == 0))
                let lines = try? result.get().files.first?.lines.eachLine
                #expect(lines == llvmReferenceLines(segments), "\(segments.map(\.json))")
            }
        }

        @Test("a document of several MiB, with a file name across chunk boundaries")
        func largeDocument() throws {
            var files: [(name: String, segments: [LLVMTestSegment])] = []
            for index in 0..<2_000 {
                var segments: [LLVMTestSegment] = []
                for line in stride(from: 1, through: 120, by: 3) {
                    segments.append(LLVMTestSegment(line: line, column: 5, count: (line * index) % 9, hasCount: true, isRegionEntry: index % 3 != 0, isGapRegion: line % 7 == 0))
                    segments.append(LLVMTestSegment(line: line + 1, column: 2, count: 0, hasCount: line % 5 != 0, isRegionEntry: false, isGapRegion: false))
                }
                files.append((index == 700 ? "/src/" + String(repeating: "long/", count: 150_000) + "x.swift" : "/src/f\(index).swift", segments))
            }
            let text = exportDocument(files)
            #expect(text.utf8.count > 3 << 20)
            let report = try parseText(.llvm, text).get()
            #expect(report.files.map(\.path) == files.map(\.name))
            for (file, expected) in zip(report.files, files) where file.lines.eachLine != llvmReferenceLines(expected.segments) {
                Issue.record("\(file.path.prefix(40)): \(file.lines.prefix(8)) differs")
            }
        }

        @Test func layoutAndEscapes() throws {
            let pretty = """
                \u{FEFF}{
                  "version" : "2.0.1",
                  "data" : [ {
                    "totals" : { "lines" : { "count" : 2 } },
                    "files" : [ {
                      "segments" : [ [ 1, 1, 2.0e0, true, true, false ], [ 2, 1, 0, 0, 0 ] ],
                      "filename" : "\\/src\\/caf\\u00e9 \\ud83d\\ude00\\t\\"x\\".swift",
                      "branches" : [ [ 1, 2, 3, 4, 5, 6, 7, 8, 9 ] ],
                      "summary" : { "note" : "ignored \\u0041", "n" : -1.5E-3, "ok": null, "t": [true, false, {}] }
                    } ]
                  } ],
                  "type" : "llvm.coverage.json.export"
                }

                """
            let report = try parseText(.llvm, pretty).get()
            #expect(report.files == [FileCoverage(path: "/src/café 😀\t\"x\".swift", lines: [.init(line: 1, hits: 2), .init(line: 2, hits: 2)])])
        }

        struct BadInput: Sendable, CustomTestStringConvertible {
            let name: String
            let text: String
            let words: [String]
            var testDescription: String { name }
        }

        @Test(arguments: [
            BadInput(name: "wrong type", text: #"{"data":[],"type":"llvm.coverage.json.export.v9"}"#, words: ["not an llvm-cov export"]),
            BadInput(name: "no type", text: #"{"data":[{"files":[]}],"version":"2.0.1"}"#, words: ["no \"type\""]),
            BadInput(name: "no data", text: #"{"type":"llvm.coverage.json.export"}"#, words: ["no \"data\""]),
            BadInput(name: "not an object", text: "[1,2]", words: ["expected an object"]),
            BadInput(name: "text after the document", text: #"{"type":"llvm.coverage.json.export","data":[]} x"#, words: ["end of the document"]),
            BadInput(name: "a file without a filename", text: #"{"data":[{"files":[{"segments":[]}]}],"type":"llvm.coverage.json.export"}"#, words: ["filename"]),
            BadInput(name: "a short segment", text: #"{"data":[{"files":[{"filename":"a","segments":[[1,2,3]]}]}]}"#, words: ["3 fields"]),
            BadInput(name: "segments out of order", text: #"{"data":[{"files":[{"filename":"a","segments":[[5,1,1,true,true,false],[4,1,0,false,false,false]]}]}]}"#, words: ["out of order"]),
            BadInput(name: "line 0", text: #"{"data":[{"files":[{"filename":"a","segments":[[0,1,1,true,true,false]]}]}]}"#, words: ["out of range"]),
            BadInput(name: "a string for a number", text: #"{"data":[{"files":[{"filename":"a","segments":[["1",1,1,true,true,false]]}]}]}"#, words: ["a number"]),
            BadInput(name: "a raw newline in a string", text: "{\"data\":[{\"files\":[{\"filename\":\"a\nb\"}]}]}", words: ["control"]),
            BadInput(name: "a bad escape", text: #"{"data":[{"files":[{"filename":"a\qb"}]}]}"#, words: ["escape"]),
            BadInput(name: "a trailing comma", text: #"{"data":[{"files":[],}],"type":"llvm.coverage.json.export"}"#, words: ["quoted key"]),
            BadInput(name: "a leading zero", text: #"{"x":01,"data":[]}"#, words: ["leading zeros"]),
            BadInput(name: "a bare word", text: #"{"x":nul,"data":[]}"#, words: ["null"]),
            BadInput(name: "a mismatched bracket", text: #"{"x":[1,2},"data":[]}"#, words: ["']'"]),
        ])
        func badInput(_ bad: BadInput) {
            expectInvalid(parseText(.llvm, bad.text), mentioning: bad.words)
        }

        @Test("a truncated export fails wherever it is cut, naming the line")
        func truncated() throws {
            let bytes = TextReportFixture(name: "llvmcov-clang-c.json", format: .llvm).bytes
            try #require(bytes.count > 1000)
            for cut in stride(from: 1, to: bytes.count - 1, by: 173) + [bytes.count / 2, bytes.count - 2] {
                expectInvalid(parseText(.llvm, Array(bytes[..<cut])), line: 1)
            }
            expectInvalid(parseText(.llvm, Array(bytes[..<(bytes.count / 2)])), mentioning: ["truncated"])
        }

        @Test("100,000 nested arrays fail at the depth limit, without recursion")
        func deepNesting() {
            let deep = String(repeating: "[", count: 100_000)
            expectInvalid(parseText(.llvm, #"{"type":"llvm.coverage.json.export","functions":"# + deep), mentioning: ["deeper than 512"])
            expectInvalid(parseText(.llvm, #"{"data":"# + deep), mentioning: ["expected an object"])
            expectInvalid(parseText(.llvm, #"{"data":[{"files":[{"filename":"a","segments":[[1,1,1,true,true,false,"# + deep), mentioning: ["deeper than 512"])
        }

        @Test func errorsNameLineAndColumn() throws {
            let text = "{\n  \"data\": [\n    {\"files\": [ {\"filename\": \"a\", \"segments\": [[1, 1, x]]} ]}\n  ]\n}\n"
            let error = try #require(failureOf(parseText(.llvm, text)))
            #expect(error.location == GatehouseCore.SourceLocation(file: "report", line: 3, column: 55))
            #expect(error.message.contains("byte 68"), "\(error)")
        }
}

}

private func failureOf(_ result: Result<CoverageReport, GatehouseError>) -> GatehouseError? {
    if case .failure(let error) = result { return error }
    return nil
}

// MARK: - coverage.py JSON

extension CoverageTextParserTests {
    @Suite("coverage.py JSON")
    struct CoveragePyJSON {
        /// Detection sees a prefix that may end anywhere: cut the fixture at every length up to
        /// 4 KiB, the detector answers (it trapped when the cut fell within the flag's length of
        /// `"meta": {`, found by fuzzing) and claims only a prefix that holds the flag.
        @Test func detectionOfEveryPrefixOfTheFixture() throws {
            let bytes = try [UInt8](Data(contentsOf: TextReportFixture.folder.appendingPathComponent("coveragepy-branch.json")))
            let flag = Array("\"branch_coverage\"".utf8)
            for length in 0...min(bytes.count, 4096) {
                let prefix = Array(bytes.prefix(length))
                let holdsFlag = prefix.count >= flag.count && (0...(prefix.count - flag.count)).contains { prefix[$0..<($0 + flag.count)].elementsEqual(flag) }
                #expect(CoveragePyJSONParser.detect(prefix) == holdsFlag, "cut at \(length)")
            }
            #expect(!CoveragePyJSONParser.detect(Array("{\n    \"meta\": {\n  3,\n   ti,m".utf8)))
        }

        @Test func theFixtureGivesCoveragePysLinesAndBranches() throws {
            let report = try parseFixture("coveragepy-branch.json", .coveragepy)
            #expect(report.format == .coveragePyJSON && report.format.rawValue == "coverage-py-json")
            #expect(report.files.map(\.path) == ["main.py", "pkg/__init__.py", "pkg/calc.py"])
            #expect(hits(report, "main.py") == pairs([1: 1, 2: 1, 3: 1, 4: 1, 5: 1]))
            #expect(hits(report, "pkg/__init__.py") == [:])
            // Executed 1, missing 0; the excluded 14 and 15 are not measured.
            #expect(hits(report, "pkg/calc.py") == pairs([
                1: 1, 2: 1, 3: 0, 4: 1, 5: 0, 6: 1, 8: 1, 9: 0, 10: 0, 11: 0, 12: 0, 17: 1, 18: 1, 19: 1, 21: 1, 22: 1, 23: 1, 24: 1,
            ]))
            let calc = try #require(report.files.first { $0.path == "pkg/calc.py" })
            let branches = Dictionary(uniqueKeysWithValues: calc.lines.compactMap { line in line.branches.map { (line.line, $0) } })
            #expect(branches == [
                2: BranchHits(covered: 1, total: 2), 4: BranchHits(covered: 1, total: 2), 9: BranchHits(covered: 0, total: 2),
                10: BranchHits(covered: 0, total: 2), 22: BranchHits(covered: 1, total: 2),
            ])
            // coverage report's figures: 18 statements, 6 missed, 10 branches, 3 partial.
            #expect(calc.lines.count == 18 && calc.lines.filter { $0.hits == 0 }.count == 6)
            #expect(branches.values.map(\.total).reduce(0, +) == 10)
            #expect(calc.lines.filter { $0.hits > 0 && $0.branches?.isPartial == true }.count == 3)
            #expect(isNormalized(report))
        }

        @Test func detection() {
            #expect(CoveragePyJSONParser.detect(Array(#"{"meta": {"format": 2, "version": "6.5.0", "timestamp": "x", "branch_coverage": false"#.utf8)))
            #expect(CoveragePyJSONParser.detect(Array("{\n    \"meta\": {\n        \"format\": 3,\n        \"branch_coverage\": true".utf8)))
            #expect(CoveragePyJSONParser.detect(Array("\u{FEFF}{\"meta\":{\"branch_coverage\":true".utf8)))
            // Another JSON document that has "meta" somewhere, and llvm-cov's export.
            #expect(!CoveragePyJSONParser.detect(Array(#"{"files": {}, "meta": {"branch_coverage": true}}"#.utf8)))
            #expect(!CoveragePyJSONParser.detect(Array(#"{"meta": {"version": "7.5"}, "files": {"a.py": {}}}"#.utf8)))
            #expect(!CoveragePyJSONParser.detect(Array(#"{"data":[{"files":[{"filename":"a"}]}],"type":"llvm.coverage.json.export"}"#.utf8)))
        }

        static func report(_ files: String, format: String = "3") -> String {
            #"{"meta": {"format": \#(format), "version": "7.17.5", "branch_coverage": true, "show_contexts": false}, "files": {\#(files)}}"#
        }

        @Test func minimalDocumentsAndWhatIsSkipped() throws {
            let text = Self.report(#""a.py": {"summary": {"x": [1, {"y": null}]}, "executed_lines": [3, 1], "missing_lines": [2], "excluded_lines": [9], "#
                + #""contexts": {"1": [""]}, "functions": {"f": {"executed_lines": [40]}}}, "b.py": {}"#, format: "2")
            let report = try parseText(.coveragepy, text).get()
            #expect(hits(report, "a.py") == pairs([1: 1, 2: 0, 3: 1]))
            #expect(report.files.first { $0.path == "a.py" }?.lines.allSatisfy { $0.branches == nil } == true)
            #expect(hits(report, "b.py") == [:])
            // No format (coverage.py 5) reads the same.
            let old = #"{"meta": {"version": "5.5", "branch_coverage": false}, "files": {"a.py": {"executed_lines": [1]}}}"#
            #expect(hits(try parseText(.coveragepy, old).get(), "a.py") == pairs([1: 1]))
        }

        @Test func malformedReportsFailNamingTheLine() {
            expectInvalid(parseText(.coveragepy, Self.report("", format: "4")), line: 1, mentioning: ["\"format\" is 4", "2 and 3"])
            expectInvalid(parseText(.coveragepy, #"{"meta": {"format": 3}}"#), line: 1, mentioning: ["no \"files\""])
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"executed_lines": [1], "executed_lines": [2]}"#)), line: 1, mentioning: ["twice"])
            expectInvalid(parseText(.coveragepy, Self.report("\"a.py\": {\n\"missing_lines\": [0]}")), line: 2, mentioning: ["out of range"])
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"missing_lines": [10000001]}"#)), mentioning: ["out of range"])
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"executed_branches": [[1, 2, 3]]}"#)), mentioning: ["more than 2"])
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"missing_branches": [[1]]}"#)), mentioning: ["1 numbers"])
            expectInvalid(parseText(.coveragepy, Self.report(#""": {}"#)), mentioning: ["empty path"])
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"executed_lines": "1"}"#)), mentioning: ["not valid coverage.py JSON"])
            expectInvalid(parseText(.coveragepy, #"{"meta": {"format": 3}, "files": {"a.py": {"executed_lines": [1"#), mentioning: ["truncated"])
            // 10,000,001 entries of one line: refused at the limit, not held.
            let repeated = Self.report(#""a.py": {"executed_lines": ["# + String(repeating: "1,", count: 10_000_000) + "1]}")
            expectInvalid(parseText(.coveragepy, repeated), line: 1, mentioning: ["more than 10000000 lines and arcs"])
            let deep = String(repeating: "[", count: 600)
            expectInvalid(parseText(.coveragepy, Self.report(#""a.py": {"summary": \#(deep)"#)), mentioning: ["which no coverage.py JSON report does"])
        }

        @Test func throughTheReaderAndItsName() throws {
            #expect(CoverageFormat(rawValue: "coverage-py-json") == .coveragePyJSON)
            let fixture = TextReportFixture(name: "coveragepy-branch.json", format: .coveragepy)
            #expect(try CoverageReader.read(path: fixture.path, displayPath: "coverage.json").format == .coveragePyJSON)
        }
    }
}

// MARK: - All of them: detection, empty and binary files, fuzzing

/// LCOV, Go coverprofile and llvm-cov export JSON parsers; the nested suites hold each format's tests.
@Suite("Coverage text parsers")
struct CoverageTextParserTests {
    @Test("each fixture is detected by its own parser alone", arguments: TextReportFixture.all)
    func detection(_ fixture: TextReportFixture) {
        let prefix = Array(fixture.bytes.prefix(4096))
        for format in TextReportFormat.allCases {
            #expect(format.detect(prefix) == (format == fixture.format), "\(format)")
        }
    }

    @Test func detectionEdges() {
        // llvm-cov writes "type" last: past the first 4 KiB in any real export.
        #expect(LLVMCovJSONParser.detect(Array(#"{"data":[{"files":[{"branches":[],"#.utf8)))
        #expect(LLVMCovJSONParser.detect(Array("\n{ \"type\": \"llvm.coverage.json.export\"".utf8)))
        #expect(!LLVMCovJSONParser.detect(Array(#"{"meta":{"version":"7.5"},"files":{"data/a.py":{}}}"#.utf8)))  // coverage.py JSON
        #expect(!LLVMCovJSONParser.detect(Array(#"[{"filePath":"a.js"}]"#.utf8)))
        #expect(LCOVParser.detect(Array("\n\r\nTN:\nSF:a\n".utf8)))
        #expect(LCOVParser.detect(Array("\u{FEFF}SF:a.py\n".utf8)))
        #expect(!LCOVParser.detect(Array("DA:1,1\n".utf8)))
        #expect(!LCOVParser.detect(Array("mode: set\n".utf8)))
        #expect(GoCoverprofileParser.detect(Array("mode: count\n".utf8)))
        #expect(!GoCoverprofileParser.detect(Array("mode:set\n".utf8)))
        for format in TextReportFormat.allCases {
            #expect(!format.detect([]))
            #expect(!format.detect(Array("<?xml version=\"1.0\"?>\n<coverage>".utf8)))
            for name in TextReportFixture.xmlNames {
                let bytes = Array(FileManager.default.contents(atPath: TextReportFixture.folder.appendingPathComponent(name).path) ?? Data())
                #expect(!format.detect(Array(bytes.prefix(4096))), "\(format) \(name)")
            }
        }
    }

    @Test("an empty (0-byte) file", arguments: TextReportFormat.allCases)
    func emptyFile(_ format: TextReportFormat) {
        expectInvalid(parseText(format, [UInt8]()), line: 1, mentioning: ["empty"])
    }

    @Test("a binary file", arguments: TextReportFormat.allCases)
    func binaryFile(_ format: TextReportFormat) {
        // The start of a gzip-compressed tracefile, as CI caches sometimes leave one.
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xED, 0x5A, 0x0A, 0x00, 0xFF, 0x7F, 0x00, 0x00]
        expectInvalid(parseText(format, gzip), line: 1)
        expectInvalid(parseText(format, [UInt8](repeating: 0, count: 5000)), line: 1)
    }

    @Test("a missing file is unreadable, not invalid", arguments: TextReportFormat.allCases)
    func missingFile(_ format: TextReportFormat) {
        let result = Result { () throws(GatehouseError) in try format.parse(path: "/nonexistent/gatehouse/report", displayPath: "cov") }
        #expect(failureOf(result)?.kind == .unreadableFile)
    }

    @Test("random bytes never crash a parser", arguments: TextReportFormat.allCases)
    func randomBytes(_ format: TextReportFormat) async {
        let prefixes: [[UInt8]] = [[], Array("mode: set\n".utf8), Array("SF:a\nDA:".utf8), Array(#"{"data":[{"files":[{"#.utf8)]
        await propertyCheck(count: 150, input: Gen.uint8().array(of: 0...300), Gen.int(in: 0...3)) { bytes, prefix in
            Self.expectGraceful(format, prefixes[prefix] + bytes)
        }
    }

    @Test("mutated fixtures never crash a parser", arguments: TextReportFixture.all)
    func mutations(_ fixture: TextReportFixture) async {
        let original = fixture.bytes
        let interesting: [[UInt8]] = (Array("0123456789,.:-[]{}\"\\\n\r ".utf8) + [0, 0xFF, 0xC3]).map { [$0] }
            + ["true", "false", "null", "SF:", "DA:0,1", "end_of_record", "mode: set", "1.1,2.2 1 1", "[1, 2]", "\\ud800"].map { Array($0.utf8) }
        await propertyCheck(count: 60, input: Gen.int(in: 0...Int(Int32.max)).array(of: 1...6)) { ops in
            Self.expectGraceful(fixture.format, mutate(original, edits: ops, inserting: interesting))
        }
    }

    static func expectGraceful(_ format: TextReportFormat, _ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        switch parseText(format, bytes) {
        case .success(let report):
            #expect(isNormalized(report), sourceLocation: sourceLocation)
            #expect(report.files.allSatisfy { $0.lines.allSatisfy { $0.line > 0 && $0.hits >= 0 } }, sourceLocation: sourceLocation)
        case .failure(let error):
            #expect(error.kind == .invalidReport, "\(error)", sourceLocation: sourceLocation)
            #expect(error.location?.file == "report" && error.location?.line != nil, "\(error)", sourceLocation: sourceLocation)
        }
    }
}
