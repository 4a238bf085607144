import Foundation
import GatehouseCore
import Testing

@Suite("configuration: coverage and lint")
struct GateConfigTests {
    func parse(_ text: String) throws(GatehouseError) -> GatehouseConfig {
        try GatehouseConfig.parse(Data(text.utf8), file: "rules/gatehouse.yml")
    }

    @Test func everyKeyIsRead() throws {
        let config = try parse("""
            coverage:
              reports: [a.info, "b/*.xml"]
              path_rewrites: [{from: /ci/, to: src/}]
              changed_lines: 90
              total: "80%"
              no_changed_lines: warn
              areas: [{name: core, paths: [Sources/Core/], changed_lines: 95.5}]
            lint: {reports: [lint.sarif], scope: context, fail_on: warning}
            missing_report: warn
            """)
        #expect(config.coverage.reports == ["a.info", "b/*.xml"])
        #expect(config.coverage.pathRewrites == [PathMapper.Rewrite(from: "/ci/", to: "src/")])
        #expect(config.coverage.changedLines == 90)
        #expect(config.coverage.total == 80)
        #expect(config.coverage.noChangedLines == .warn)
        #expect(config.coverage.areas == [CoverageSettings.Area(name: "core", paths: ["Sources/Core/"], changedLines: 95.5)])
        #expect(config.lint == LintSettings(reports: ["lint.sarif"], scope: .context, failOn: .warning))
        #expect(config.missingReport == .warn)
    }

    @Test(arguments: [
        ("coverage: {changed_lines: 120}", "'coverage.changed_lines' must be a percentage from 0 to 100", 1),
        ("coverage: {total: lots}", "'coverage.total' must be a percentage", 1),
        ("coverage: {no_changed_lines: maybe}", "must be pass, warn or fail", 1),
        ("coverage:\n  areas: [{changed_lines: 90}]", "needs 'paths'", 2),
        ("coverage:\n  path_rewrites: [{to: x}]", "needs a non-empty 'from'", 2),
        ("coverage: {reports: {a: b}}", "'coverage.reports' must be a list of strings", 1),
        ("lint: {scope: nearby}", "'lint.scope' must be added, context, files or all", 1),
        ("lint: {fail_on: always}", "'lint.fail_on' must be error, warning, note or never", 1),
        ("lint: {report: [x]}", "unknown key 'report' under 'lint'", 1),
        ("missing_report: ignore", "'missing_report' must be fail or warn", 1),
    ])
    func badValuesNameTheKeyAndLine(_ text: String, _ message: String, _ line: Int) {
        do {
            _ = try parse(text)
            Issue.record("expected an error for \(text)")
        } catch {
            #expect(error.kind == .invalidConfig)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.location?.line == line, "\(error)")
        }
    }
}
