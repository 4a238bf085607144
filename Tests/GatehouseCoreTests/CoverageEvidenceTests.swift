import Foundation
import GatehouseCore
import Testing

/// Writes `text` to a fresh temporary file, runs `body` with its path, and removes it.
private func withReport<T>(_ text: String, _ body: (String) throws -> T) rethrows -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-evidence-\(UUID().uuidString)").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A mapper whose repository holds every path the report names, plus `extra`.
private func mapper(for report: CoverageReport, extra: [String] = []) -> PathMapper {
    let paths = Set(report.files.map { $0.path.hasPrefix("/") ? String($0.path.dropFirst()) : $0.path } + extra)
    return PathMapper(repositoryFiles: paths.sorted().map { RepoPath($0) }, root: nil)
}

private func expectSame(_ streamed: CoverageEvidence, _ collected: CoverageEvidence, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(streamed.files == collected.files, sourceLocation: sourceLocation)
    #expect(streamed.unmapped.map { "\($0.report) \($0.path)" } == collected.unmapped.map { "\($0.report) \($0.path)" }, sourceLocation: sourceLocation)
    #expect(streamed.ambiguous.map { "\($0.path) \($0.candidates)" } == collected.ambiguous.map { "\($0.path) \($0.candidates)" }, sourceLocation: sourceLocation)
    #expect(streamed.untrackedCount == collected.untrackedCount, sourceLocation: sourceLocation)
    #expect(streamed.mappedCount == collected.mappedCount, sourceLocation: sourceLocation)
    #expect(streamed.reports.map { "\($0.file) \($0.format) \($0.files)" } == collected.reports.map { "\($0.file) \($0.format) \($0.files)" }, sourceLocation: sourceLocation)
    #expect(streamed.total == collected.total, sourceLocation: sourceLocation)
}

@Suite("Coverage evidence")
struct CoverageEvidenceTests {
    @Test("streaming each fixture into evidence gives what the collected report gives", arguments: TextReportFixture.all)
    func streamedMatchesCollected(_ fixture: TextReportFixture) throws {
        let report = try CoverageReader.read(path: fixture.path, displayPath: fixture.name)
        let mapper = mapper(for: report)
        var streamed = CoverageEvidence()
        try CoverageReader.read(path: fixture.path, displayPath: fixture.name, into: &streamed, mapper: mapper)
        expectSame(streamed, CoverageEvidence(reports: [report], mapper: mapper))
        #expect(streamed.reports.first?.files == report.files.count)
    }

    @Test("repeated records of one file are mapped and counted once, their lines merged")
    func repeatedRecordsMerge() throws {
        let text = """
            SF:src/a.py
            DA:1,0
            DA:2,1
            end_of_record
            SF:src/missing.py
            DA:1,1
            end_of_record
            SF:src/a.py
            DA:1,3
            DA:3,0
            DA:5,2
            end_of_record
            SF:src/missing.py
            DA:2,1
            end_of_record

            """
        try withReport(text) { path in
            let mapper = PathMapper(repositoryFiles: [RepoPath("src/a.py")], root: nil)
            var evidence = CoverageEvidence()
            try CoverageReader.read(path: path, displayPath: "r.info", into: &evidence, mapper: mapper)
            #expect(evidence.files[RepoPath("src/a.py")]?.measured == LineSet([1, 2, 3, 5]))
            #expect(evidence.files[RepoPath("src/a.py")]?.covered == LineSet([1, 2, 5]))
            #expect(evidence.reports.count == 1)
            #expect(evidence.reports.first?.files == 2)
            #expect(evidence.mappedCount["r.info"] == 1)
            #expect(evidence.unmapped.map(\.path) == ["src/missing.py"])
            let collected = try CoverageReader.read(path: path, displayPath: "r.info")
            expectSame(evidence, CoverageEvidence(reports: [collected], mapper: mapper))
        }
    }

    @Test("Cobertura classes stream with their source roots, several classes of one file merged")
    func coberturaSourceRoots() throws {
        let text = """
            <?xml version="1.0"?>
            <coverage line-rate="0.5"><sources><source>/ci/repo/src</source></sources><packages><package name="p"><classes>
            <class name="A" filename="pkg/a.py"><lines><line number="1" hits="0"/><line number="2" hits="1"/></lines></class>
            <class name="B" filename="pkg/a.py"><lines><line number="1" hits="2"/><line number="4" hits="0"/></lines></class>
            </classes></package></packages></coverage>
            """
        try withReport(text) { path in
            let mapper = PathMapper(repositoryFiles: [RepoPath("src/pkg/a.py"), RepoPath("other/pkg/a.py")], root: "/ci/repo")
            var evidence = CoverageEvidence()
            try CoverageReader.read(path: path, displayPath: "c.xml", into: &evidence, mapper: mapper)
            #expect(evidence.files[RepoPath("src/pkg/a.py")]?.measured == LineSet([1, 2, 4]))
            #expect(evidence.files[RepoPath("src/pkg/a.py")]?.covered == LineSet([1, 2]))
            #expect(evidence.reports.first?.files == 1)
            let collected = try CoverageReader.read(path: path, displayPath: "c.xml")
            #expect(collected.files.count == 1)
            #expect(collected.files.first?.lines == [LineHits(line: 1, hits: 2), LineHits(line: 2, hits: 1), LineHits(line: 4, hits: 0)])
            expectSame(evidence, CoverageEvidence(reports: [collected], mapper: mapper))
        }
    }
}
