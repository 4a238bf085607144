import Foundation
import GatehouseTestSupport
import Testing

/// Python's jsonschema, when this machine has it: the reference validator for docs/schemas.
let jsonschemaAvailable: Bool = {
    (try? run(["python3", "-c", "import jsonschema"], in: "/"))?.status == 0
}()

@Suite("JSON output follows docs/schemas", .enabled(if: jsonschemaAvailable, "needs python3 with jsonschema (pip install jsonschema)"))
struct JSONSchemaTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/schemas")

    func validate(_ json: [UInt8], schema: String) throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft202012Validator)
            """
        let result = try run(["python3", "-c", script, Self.schemas.appendingPathComponent(schema).path], in: "/", stdin: json)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [["--base", "main"], ["--base", "main", "--range", "two-dot"], ["--staged"], ["--worktree"]])
    func diffOutput(_ arguments: [String]) throws {
        let repo = try featureRepository()
        try repo.write(Array("caf".utf8) + [0xE9] + Array(".bin".utf8), [0, 1, 2])
        try repo.write("Sources/App/main.swift", "changed\n")
        if arguments == ["--staged"] { try repo.git(["add", "-A"]) } else if arguments.contains("main") { try repo.commit("more") }
        let result = try GatehouseCLI.run(["diff", "--format", "json"] + arguments, in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        try validate(result.stdout, schema: "diff.schema.json")
    }

    @Test func ownersAndRulesCheckOutput() throws {
        let repo = try TestRepository()
        try repo.write(".gitlab/CODEOWNERS", "* @admin\n!*.lock\n[Docs][2] @docs\ndocs/\n^[Ruby]\n*.rb @ruby\n/gone/ @x\n")
        try repo.write("docs/a.md", "a\n")
        try repo.write("x.lock", "x\n")
        try repo.write(Array("caf".utf8) + [0xE9] + Array(".rb".utf8), Array("r\n".utf8))
        try repo.commit("files")
        let owners = try GatehouseCLI.run(["owners", "--all", "--format", "json"], in: repo.path)
        #expect(owners.status == 0, "\(owners.stderr)")
        try validate(owners.stdout, schema: "owners.schema.json")
        let check = try GatehouseCLI.run(["rules", "check", "--format", "json"], in: repo.path)
        try validate(check.stdout, schema: "rules-check.schema.json")
    }

    @Test func checkOutput() throws {
        let repo = try coverageRepository(config: "base: main\ncoverage: {reports: [coverage/lcov.info], changed_lines: 80, areas: [{paths: [src/], changed_lines: 50}]}\n")
        try repo.write("coverage/lcov.info", lcov())
        let check = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(check.status == 1, "\(check.stderr)")
        try validate(check.stdout, schema: "check.schema.json")
    }

    @Test func sizeSnapshotAndCheckOutput() throws {
        let repo = try sizeRepository(extra: "  max_growth: 5%\n")
        let snapshot = try GatehouseCLI.run(["size", "--format", "json", "--output", "base.json"], in: repo.path)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        try validate(snapshot.stdout, schema: "size-snapshot.schema.json")
        try writeBundle(repo, functions: 2500)
        let check = try GatehouseCLI.run(["check", "--format", "json", "--size-baseline", "base.json"], in: repo.path)
        #expect(check.status == 1, "\(check.stderr)")
        try validate(check.stdout, schema: "check.schema.json")
    }

    @Test func checkOutputWithLint() throws {
        let repo = try lintRepository(lint: "  scope: all\n")
        try repo.write("eslint.json", eslintReport(root: repo.path))
        let check = try GatehouseCLI.run(["check", "--format", "json"], in: repo.path)
        #expect(check.status == 1, "\(check.stderr)")
        try validate(check.stdout, schema: "check.schema.json")
    }
}
