import Foundation
@testable import GatehouseCore
import Testing

/// Writes `bytes` to a fresh temporary file, runs `body` with its path, and removes it.
private func withFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bounded-\(UUID().uuidString)").path
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw CocoaError(.fileWriteUnknown) }
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

private func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
    try withFile(Array(text.utf8), body)
}

/// Issue 14: what an input costs follows its size, never a number written in it, and every limit
/// is an error naming the file and line.
@Suite("Bounded cost for every input")
struct BoundedInputTests {
    // MARK: 1. Ranges stay ranges

    @Test("a Go block claiming ten million lines is one run, not ten million entries")
    func goBlockIsOneRun() throws {
        let report = try withFile("mode: set\nsrc/app.py:1.1,10000000.2 1 1\n") { path in
            try CoverageReader.read(path: path, displayPath: "c.out")
        }
        let file = try #require(report.files.first)
        #expect(file.lines.count == 1)
        #expect(file.lines.first?.line == 1 && file.lines.first?.hits == 1)
        var evidence = CoverageEvidence()
        evidence.add(report, mapper: PathMapper(repositoryFiles: [RepoPath("src/app.py")], root: nil))
        #expect(evidence.files[RepoPath("src/app.py")]?.measured.ranges == [1...10_000_000])
        #expect(evidence.total == (10_000_000, 10_000_000))
    }

    @Test("30 KB of such blocks, over two files, cost what their bytes do")
    func manyHugeGoBlocks() throws {
        var text = "mode: count\n"
        for index in 0..<1_100 { text += "src/\(index % 2).go:\(index + 1).1,10000000.2 1 \(index % 3)\n" }
        #expect(text.utf8.count > 30_000)
        let report = try withFile(text) { path in try CoverageReader.read(path: path, displayPath: "c.out") }
        #expect(report.files.map(\.path) == ["src/0.go", "src/1.go"])
        for file in report.files {
            // Runs of equal sums are joined: at most one run per block boundary.
            #expect(file.lines.count <= 1_100)
            #expect((file.lines.first?.line ?? 0) <= 2 && file.lines.last?.lastLine == 10_000_000)
        }
    }

    @Test("nested and overlapping Go blocks: the highest count in set mode, the sum otherwise")
    func nestedGoBlocks() throws {
        let blocks = "a.go:1.1,100.1 1 1\na.go:50.1,60.1 1 5\na.go:55.1,200.1 1 0\na.go:300.1,300.9 1 2\n"
        let set = try withFile("mode: set\n" + blocks) { try GoCoverprofileParser.parse(path: $0, displayPath: "c.out") }
        #expect(set.files.first?.lines == [
            LineHits(lines: 1, through: 49, hits: 1), LineHits(lines: 50, through: 60, hits: 5),
            LineHits(lines: 61, through: 100, hits: 1), LineHits(lines: 101, through: 200, hits: 0), LineHits(line: 300, hits: 2),
        ])
        let count = try withFile("mode: count\n" + blocks) { try GoCoverprofileParser.parse(path: $0, displayPath: "c.out") }
        #expect(count.files.first?.lines == [
            LineHits(lines: 1, through: 49, hits: 1), LineHits(lines: 50, through: 60, hits: 6),
            LineHits(lines: 61, through: 100, hits: 1), LineHits(lines: 101, through: 200, hits: 0), LineHits(line: 300, hits: 2),
        ])
    }

    @Test("llvm-cov segments ten million lines apart: the lines between are one run")
    func llvmGapIsOneRun() throws {
        let document = """
            {"data":[{"files":[{"filename":"/s/a.c","segments":[[1,1,3,true,true,false],[10000000,1,0,false,false,false]]}]}],\
            "type":"llvm.coverage.json.export","version":"2.0.1"}
            """
        let report = try withFile(document) { try LLVMCovJSONParser.parse(path: $0, displayPath: "cov.json") }
        let lines = try #require(report.files.first?.lines)
        #expect(lines.count == 3)
        #expect(lines.map(\.hits) == [3, 3, 3])
        #expect(lines.first?.line == 1 && lines.last?.line == 10_000_000)
    }

    // MARK: 4. One descriptor, read once

    /// A pipe holding `bytes` (written by a thread, so it may exceed the pipe's buffer), named
    /// by the path of its read end.
    private func withPipe<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        // A reader that stops early must fail the test, not end the process on SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        let writer = Thread {
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { break }
                    offset += written
                }
            }
            close(writeEnd)
        }
        writer.start()
        defer { close(readEnd) }
        return try body("/dev/fd/\(readEnd)")
    }

    @Test("detection's bytes are not lost: a pipe's report parses from its first byte", arguments: ["lcov", "cobertura", "sarif"])
    func pipedReportsParseWhole(format: String) throws {
        switch format {
        case "lcov":
            var text = "SF:first.c\nDA:1,1\nend_of_record\n"
            for index in 0..<500 { text += "SF:f\(index).c\nDA:1,0\nend_of_record\n" }
            let report = try withPipe(Array(text.utf8)) { try CoverageReader.read(path: $0, displayPath: "pipe") }
            #expect(report.files.count == 501)
            #expect(report.files.first?.path == "first.c")
        case "cobertura":
            var classes = ""
            for index in 0..<500 { classes += "<class name=\"c\(index)\" filename=\"f\(index).py\"><lines><line number=\"1\" hits=\"1\"/></lines></class>\n" }
            let text = "<?xml version=\"1.0\"?>\n<coverage><packages><package name=\"p\"><classes>\n\(classes)</classes></package></packages></coverage>\n"
            let report = try withPipe(Array(text.utf8)) { try CoverageReader.read(path: $0, displayPath: "pipe") }
            #expect(report.format == .cobertura)
            #expect(report.files.count == 500)
        default:
            var results: [String] = []
            for index in 0..<300 { results.append(#"{"ruleId":"r\#(index)","level":"error","message":{"text":"m"}}"#) }
            let text = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":["# + results.joined(separator: ",\n") + "]}]}"
            let report = try withPipe(Array(text.utf8)) { try LintReader.read(path: $0, displayPath: "pipe") }
            #expect(report.format == .sarif)
            #expect(report.findings.count == 300)
        }
    }

    @Test("a FIFO nobody writes to fails after the timeout, naming it")
    func fifoWithoutWriterTimesOut() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let started = Date()
        #expect {
            let source = try InputSource(path: path, displayPath: "ci/report.fifo", what: "coverage report", origin: "--coverage", timeout: 0.3)
            _ = try CoverageReader.detect(source)
        } throws: { error in
            let error = error as? GatehouseError
            return error?.location?.file == "ci/report.fifo" && error?.message.contains("no data from the coverage report ci/report.fifo") == true
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    // MARK: 2. YAML aliases

    /// Five levels of nine aliases: 59,000 nodes in 205 bytes, as the key of a mapping.
    private static let aliasBomb = """
        ? - &a [x,x,x,x,x,x,x,x,x]
          - &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
          - &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
          - &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
          - &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        : 1

        """

    private func refusal(_ body: () throws -> Void) -> GatehouseError? {
        do {
            try body()
            return nil
        } catch {
            return error as? GatehouseError
        }
    }

    @Test("an alias bomb is refused at the alias that passes the limit, in every YAML file")
    func aliasBombIsRefused() throws {
        let attempts: [(String, () throws -> Void)] = [
            ("rules/gatehouse.yml", { _ = try GatehouseConfig.parse(Data(Self.aliasBomb.utf8), file: "rules/gatehouse.yml") }),
            ("rules/teams.yml", { _ = try TeamsConfig.parse(Data(Self.aliasBomb.utf8), file: "rules/teams.yml") }),
            ("rules/checklists/a.md", { _ = try ChecklistParser.parse(Array(("---\n" + Self.aliasBomb + "---\n- [ ] x\n").utf8), file: "rules/checklists/a.md") }),
        ]
        for (file, attempt) in attempts {
            let started = Date()
            let error = try #require(refusal(attempt), "\(file)")
            #expect(Date().timeIntervalSince(started) < 2, "\(file)")
            #expect(error.message.utf8.count < 600, "\(file): \(error.message.prefix(300))")
            #expect(error.message.contains("more than the 10000 Gatehouse expands"), "\(file): \(error.message.prefix(300))")
            #expect(error.location?.file == file)
            // The front matter's YAML starts on the file's second line.
            #expect(error.location?.line == (file.hasSuffix(".md") ? 6 : 5), "\(file): \(String(describing: error.location))")
        }
    }

    @Test("aliases that save typing still work")
    func modestAliasesWork() throws {
        let teams = "teams:\n  \"@org/a\": &core [\"@x\", \"@y\"]\n  \"@org/b\": *core\n"
        let config = try TeamsConfig.parse(Data(teams.utf8), file: "rules/teams.yml")
        #expect(config.teams["@org/b"] == ["@x", "@y"])
    }

    @Test("an unknown key that is a list or mapping is named by its kind and place, never printed")
    func complexKeysAreNotPrinted() throws {
        let key = "[" + Array(repeating: "xxxxxxxx", count: 20_000).joined(separator: ", ") + "]"
        let long = String(repeating: "k", count: 100_000)
        for text in ["? \(key)\n: 1\n", "? \(long)\n: 1\n"] {
            for (file, attempt) in [
                ("rules/gatehouse.yml", { _ = try GatehouseConfig.parse(Data(text.utf8), file: "rules/gatehouse.yml") }),
                ("rules/teams.yml", { _ = try TeamsConfig.parse(Data(text.utf8), file: "rules/teams.yml") }),
                ("a.md", { _ = try ChecklistParser.parse(Array(("---\n" + text + "---\n").utf8), file: "a.md") }),
            ] as [(String, () throws -> Void)] {
                let error = try #require(refusal(attempt), "\(file)")
                #expect(error.message.utf8.count < 400, "\(file): \(error.message.prefix(300))")
                #expect(error.message.contains("unknown"), "\(file): \(error.message.prefix(300))")
                #expect(error.location?.line == (file.hasSuffix(".md") ? 2 : 1))
            }
        }
    }

    // MARK: 3. Globs

    @Test("a report glob of fifty ** visits each folder once per segment")
    func manyGlobstarsAreLinear() throws {
        let root = NSTemporaryDirectory() + "gatehouse-globstar-" + UUID().uuidString + "/"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "a/b/c/d/e/f/g/h", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "a/b/c/d/e/f/g/h/lcov.info", contents: Data("x".utf8)))
        let pattern = Array(repeating: "**", count: 50).joined(separator: "/") + "/lcov.info"
        let started = Date()
        let (found, missing) = try ReportFinder.expand([pattern, "a/**/**/**/**/**/**/**/**/**/**/**/**/**/**/*.info"], root: root)
        #expect(Date().timeIntervalSince(started) < 2)
        #expect(found == [root + "a/b/c/d/e/f/g/h/lcov.info"])
        #expect(missing.isEmpty)
    }

    @Test("a match that resolves outside the root is an error naming it, whatever the pattern")
    func globMatchesLeavingTheRootAreRefused() throws {
        let folder = NSTemporaryDirectory() + "gatehouse-escape-" + UUID().uuidString + "/"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let root = folder + "repo/"
        try FileManager.default.createDirectory(atPath: root + "coverage", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "outside", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: folder + "outside/lcov.info", contents: Data("secret".utf8)))
        try FileManager.default.createSymbolicLink(atPath: root + "coverage/lcov.info", withDestinationPath: folder + "outside/lcov.info")
        try FileManager.default.createSymbolicLink(atPath: root + "out", withDestinationPath: folder + "outside")
        for pattern in ["coverage/*.info", "out/lcov.info", "\(folder)outside/*.info", "../outside/lcov.info"] {
            #expect(throws: GatehouseError.self, "\(pattern)") { try ReportFinder.expand([pattern], root: root) }
        }
        // A link that stays inside is followed, as before.
        #expect(FileManager.default.createFile(atPath: root + "real.info", contents: Data("x".utf8)))
        try FileManager.default.createSymbolicLink(atPath: root + "alias.info", withDestinationPath: root + "real.info")
        #expect(try ReportFinder.expand(["alias.info"], root: root).found == [root + "alias.info"])
    }

    // MARK: 3. CODEOWNERS at scale

    private func change(_ paths: String...) -> ChangeSet {
        ChangeSet(
            mode: .threeDot, base: "base", head: "head", mergeBase: "base",
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"),
            files: paths.map { ChangedFile(path: RepoPath($0), status: .modified) })
    }

    @Test("20,000 owners on one line: each owner is kept once, without a search per owner")
    func manyOwnersOnOneLine() throws {
        let owners = (0..<20_000).map { "@u\($0)" }
        let text = "* " + (owners + ["@u7"]).joined(separator: " ") + "\n"
        let started = Date()
        let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: "CODEOWNERS", dialect: .github))
        #expect(rules.owners(of: RepoPath("a.txt")).owners == owners)
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test("20,000 GitLab sections: a path's sections are found without a search per match")
    func manySections() throws {
        let text = (0..<20_000).map { "[S\($0)]\n* @o\($0 % 3)\n" }.joined()
        let started = Date()
        let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: ".gitlab/CODEOWNERS", dialect: .gitlab))
        let owned = rules.owners(of: RepoPath("a.txt"))
        #expect(owned.sections.count == 20_000)
        #expect(owned.owners == ["@o0", "@o1", "@o2"])
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("2,000 sections with an owner each: reviewers are planned without a scan per pick")
    func manyOneOwnerSections() throws {
        let text = (0..<2_000).map { "[S\($0)]\n* @u\($0)\n" }.joined()
        let rules = OwnershipRules(try CodeownersParser.parse(Array(text.utf8), path: ".gitlab/CODEOWNERS", dialect: .gitlab))
        let started = Date()
        let result = ReviewerPlanner.suggest(ReviewerInput(change: change("a.txt"), rules: rules))
        #expect(result.reviewers.count == 2_000)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    // MARK: 3. Lint reports item by item

    @Test("a base URI after the results it resolves still resolves them")
    func sarifBaseAfterResults() throws {
        let text = #"""
            {"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t","rules":[{"id":"r","defaultConfiguration":{"level":"error"}}]}},
            "results":[{"ruleId":"r","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.py","uriBaseId":"SRC"},"region":{"startLine":3}}}]}],
            "originalUriBaseIds":{"SRC":{"uri":"file:///work/"}}}]}
            """#
        let report = try withFile(text) { try LintReader.read(path: $0, displayPath: "r.sarif") }
        #expect(report.findings.map(\.reportPath) == ["/work/a.py"])
        #expect(report.findings.map(\.severity) == [.error])
    }

    @Test("an item holding more values than any linter writes is refused, naming its line")
    func hugeItemsAreRefused() throws {
        let values = Array(repeating: "0", count: LintJSON.maxTreeValues + 1).joined(separator: ",")
        let text = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"r",\#n"message":{"text":"m","arguments":["# + values + "]}}]}]}"
        #expect {
            _ = try withFile(text) { try LintReader.read(path: $0, displayPath: "r.sarif") }
        } throws: { error in
            let error = error as? GatehouseError
            return error?.message.contains("more JSON values than Gatehouse reads from one (100000") == true && error?.location?.line == 2
        }
        // What Gatehouse does not read can be any size: it is read past, not built.
        let unread = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":[{"ruleId":"r","properties":{"x":["# + values + "]}}]}]}"
        #expect(try withFile(unread) { try LintReader.read(path: $0, displayPath: "r.sarif") }.findings.count == 1)
    }

    @Test("a report of more findings than Gatehouse keeps is refused")
    func tooManyFindings() throws {
        let text = #"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"t"}},"results":["#
            + Array(repeating: "{}", count: LintJSON.maxFindings + 1).joined(separator: ",") + "]}]}"
        #expect {
            _ = try withFile(text) { try LintReader.read(path: $0, displayPath: "r.sarif") }
        } throws: { error in
            (error as? GatehouseError)?.message.contains("more than 1000000 findings") == true
        }
    }
}
