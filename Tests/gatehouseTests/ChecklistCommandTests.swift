import Foundation
import GatehouseTestSupport
import Testing

private let securityChecklist = """
    ---
    title: Security
    paths: [server/auth/]
    exclude: ["*.md"]
    required: true
    ---
    - [ ] Secrets never reach logs.
    - [ ] Every new endpoint checks permissions.
      - [ ] Denied requests return 403.
    - [ ] Tests cover the change.

    """

private let docsChecklist = """
    ---
    title: Documentation
    paths: ["*.md"]
    required: false
    ---
    - [ ] Examples were run.
    - [ ] Tests cover the change.

    """

private let migrationsChecklist = """
    ---
    title: Migrations
    paths: [db/migrations/]
    statuses: [added]
    required: true
    ---
    - [ ] The migration does not lock large tables.

    """

/// main has three checklists; the feature branch edits the auth code, adds a session file and
/// its notes, edits an existing migration (which does not trigger: only added ones do), and the README.
private func checklistRepository() throws -> TestRepository {
    let repo = try TestRepository()
    try repo.write("rules/checklists/security.md", securityChecklist)
    try repo.write("rules/checklists/docs.md", docsChecklist)
    try repo.write("rules/checklists/migrations.md", migrationsChecklist)
    try repo.write("server/auth/login.ts", "export const login = 1\n")
    try repo.write("db/migrations/0001_init.sql", "create table a (id int);\n")
    try repo.write("README.md", "# Demo\n")
    try repo.commit("base")
    try repo.git(["checkout", "-q", "-b", "feature"])
    try repo.write("server/auth/login.ts", "export const login = 2\n")
    try repo.write("server/auth/session.ts", "export const session = 1\n")
    try repo.write("server/auth/NOTES.md", "notes\n")
    try repo.write("db/migrations/0001_init.sql", "create table a (id bigint);\n")
    try repo.write("README.md", "# Demo\nMore.\n")
    try repo.commit("feature")
    return repo
}

/// Runs the CLI with `stdin`.
func runGatehouse(_ arguments: [String], in directory: String, stdin: String) throws -> ShellResult {
    try run([GatehouseCLI.executable] + arguments, in: directory, environment: TestRepository.gitEnvironment, stdin: Array(stdin.utf8))
}

/// The Markdown checklist with every box ticked except those whose text contains one of `unticked`,
/// and without the lines that contain one of `missing`.
private func ticked(_ markdown: String, except unticked: [String] = [], missing: [String] = []) -> String {
    markdown.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
        if missing.contains(where: { line.contains($0) }) { return nil }
        if unticked.contains(where: { line.contains($0) }) { return String(line) }
        return line.replacingOccurrences(of: "- [ ]", with: "- [x]")
    }.joined(separator: "\n")
}

@Suite("gatehouse checklist")
struct ChecklistCommandTests {
    @Test func markdownForAChange() throws {
        let repo = try checklistRepository()
        let result = try GatehouseCLI.run(["checklist", "--base", "main"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains("### Security (required)\n\nApplies to `server/auth/login.ts` and `server/auth/session.ts`.\n"))
        #expect(result.output.contains("### Documentation\n\nApplies to `README.md` and `server/auth/NOTES.md`.\n"))
        #expect(!result.output.contains("Migrations"), "an edited migration does not trigger a checklist for added ones")
        // The shared item appears once, under the required checklist.
        #expect(result.output.components(separatedBy: "Tests cover the change.").count == 2)
        try Golden.check(result.stdout, against: "checklist-cli.md")

        let show = try GatehouseCLI.run(["checklist", "show", "--base", "main"], in: repo.path)
        #expect(show.stdout == result.stdout)
    }

    @Test func textAndJSON() throws {
        let repo = try checklistRepository()
        let text = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "text"], in: repo.path)
        #expect(text.status == 0, "\(text.stderr)")
        try Golden.check(text.stdout, against: "checklist-cli.txt")

        let json = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "json"], in: repo.path)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout)) as? [String: Any])
        #expect(object["available"] as? Int == 3)
        let lists = try #require(object["checklists"] as? [[String: Any]])
        #expect(lists.map { $0["file"] as? String } == ["rules/checklists/security.md", "rules/checklists/docs.md"])
    }

    @Test func anAddedFileTriggersAChecklistLimitedToAdditions() throws {
        let repo = try checklistRepository()
        try repo.write("db/migrations/0002_users.sql", "create table users (id int);\n")
        try repo.commit("migration")
        let result = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "text"], in: repo.path)
        #expect(result.output.contains("Migrations (required, rules/checklists/migrations.md)\n  applies to db/migrations/0002_users.sql\n"))
    }

    @Test func stagedWorkIsAChangeToo() throws {
        let repo = try checklistRepository()
        try repo.write("server/auth/token.ts", "t\n")
        try repo.git(["add", "server/auth/token.ts"])
        let result = try GatehouseCLI.run(["checklist", "--staged", "--format", "text"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.hasPrefix("Security (required, rules/checklists/security.md)\n  applies to server/auth/token.ts\n"))
    }

    @Test func noChecklistsFolderIsNotAnError() throws {
        let repo = try TestRepository()
        try repo.write("a.txt", "a\n")
        try repo.commit("base")
        try repo.write("a.txt", "b\n")
        try repo.commit("change")
        let markdown = try GatehouseCLI.run(["checklist", "--base", "HEAD~1"], in: repo.path)
        #expect(markdown.status == 0, "\(markdown.stderr)")
        #expect(markdown.output.isEmpty)
        #expect(markdown.stderr.contains("no rules/checklists folder"))
        #expect(markdown.stderr.contains("gatehouse init"))
        let json = try GatehouseCLI.run(["checklist", "--base", "HEAD~1", "--format", "json"], in: repo.path)
        #expect(json.status == 0)
        #expect(json.output == "{\n  \"folder\": \"rules/checklists\",\n  \"available\": 0,\n  \"checklists\": []\n}\n")
    }

    @Test func aChangeNoChecklistAppliesTo() throws {
        let repo = try checklistRepository()
        try repo.write("tools/x.sh", "x\n")
        try repo.commit("tool")
        let markdown = try GatehouseCLI.run(["checklist", "--base", "HEAD~1"], in: repo.path)
        #expect(markdown.status == 0)
        #expect(markdown.output.isEmpty)
        #expect(markdown.stderr.contains("no checklist applies to this change (3 checklists in rules/checklists)"))
        let text = try GatehouseCLI.run(["checklist", "--base", "HEAD~1", "--format", "text"], in: repo.path)
        #expect(text.output == "No checklist applies to this change (3 checklists in rules/checklists).\n")
    }

    @Test func checklistsFromAnotherFolder() throws {
        let repo = try checklistRepository()
        let elsewhere = repo.parentFolder + "/lists"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try Data("---\ntitle: Readme\npaths: [README.md]\nrequired: true\n---\n- [ ] The README says it.\n".utf8)
            .write(to: URL(fileURLWithPath: elsewhere + "/readme.md"))
        let result = try GatehouseCLI.run(["checklist", "--base", "main", "--checklists", elsewhere, "--format", "text"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output == "Readme (required, \(elsewhere)/readme.md)\n  applies to README.md\n  [ ] The README says it.\n")
        let missing = try GatehouseCLI.run(["checklist", "--base", "main", "--checklists", elsewhere + "/none"], in: repo.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such folder"))
    }

    @Test func aBrokenChecklistIsABadInputNamingFileAndLine() throws {
        let repo = try checklistRepository()
        try repo.commitOnBranch("main", ["rules/checklists/docs.md": docsChecklist.replacingOccurrences(of: "required: false", with: "required: false\nowners: x")])
        for arguments in [["checklist", "--base", "main"], ["checklist", "verify", "--base", "main", "--body", "-"]] {
            let result = try runGatehouse(arguments, in: repo.path, stdin: "")
            #expect(result.status == 2)
            #expect(result.output.isEmpty)
            #expect(result.stderr.contains("rules/checklists/docs.md:5:1: error: unknown front-matter key 'owners'"), "\(result.stderr)")
        }
    }

    // MARK: verify

    @Test func verifyPassesWhenEveryRequiredItemIsTicked() throws {
        let repo = try checklistRepository()
        let markdown = try GatehouseCLI.run(["checklist", "--base", "main"], in: repo.path).output
        // Optional items may stay unticked.
        try repo.write("../body.md", ticked("Please review.\n\n" + markdown, except: ["Examples were run."]))
        let result = try GatehouseCLI.run(["checklist", "verify", "--base", "main", "--body", repo.parentFolder + "/body.md"], in: repo.path)
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
        #expect(result.output == "All 4 required items are ticked (1 checklist).\n")
    }

    @Test func verifyFailsNamingUntickedAndMissingItems() throws {
        let repo = try checklistRepository()
        let markdown = try GatehouseCLI.run(["checklist", "--base", "main"], in: repo.path).output
        let body = ticked(markdown, except: ["Denied requests"], missing: ["Secrets never"])
        try repo.write("../body.md", body)
        let fromFile = try GatehouseCLI.run(["checklist", "verify", "--base", "main", "--body", repo.parentFolder + "/body.md"], in: repo.path)
        #expect(fromFile.status == 1)
        #expect(fromFile.output == """
            Security (rules/checklists/security.md): 2 required items not ticked
              missing:    Secrets never reach logs.  [line 7]
              not ticked: Denied requests return 403.  [line 9]
            2 of 4 required items are missing from the description or not ticked. \
            Paste the list from 'gatehouse checklist' into the description and tick each item once it is done.

            """)
        let fromStdin = try runGatehouse(["checklist", "verify", "--base", "main", "--body", "-"], in: repo.path, stdin: body)
        #expect(fromStdin.status == 1)
        #expect(fromStdin.output == fromFile.output)
    }

    @Test func verifyReadsStdinAndAcceptsUpperCaseX() throws {
        let repo = try checklistRepository()
        let body = """
            - [X] Secrets never reach logs.
            - [x] Every new endpoint checks permissions.
                - [X] Denied requests return 403.
            - [x]   Tests cover  the change.
            """
        let result = try runGatehouse(["checklist", "verify", "--base", "main", "--body", "-"], in: repo.path, stdin: body)
        #expect(result.status == 0, "\(result.output)\(result.stderr)")
    }

    @Test func verifyWithoutRequiredChecklistsPasses() throws {
        let repo = try checklistRepository()
        try repo.write("notes.md", "n\n")
        try repo.commit("notes")
        let result = try runGatehouse(["checklist", "verify", "--base", "HEAD~1", "--body", "-"], in: repo.path, stdin: "")
        #expect(result.status == 0)
        #expect(result.output == "No required checklist applies to this change.\n")
    }

    @Test func verifyUsageErrorsExitTwo() throws {
        let repo = try checklistRepository()
        let noFile = try GatehouseCLI.run(["checklist", "verify", "--base", "main", "--body", "/nonexistent/body.md"], in: repo.path)
        #expect(noFile.status == 2)
        #expect(noFile.output.isEmpty)
        #expect(noFile.stderr.contains("cannot read the description /nonexistent/body.md"))
        let noBody = try GatehouseCLI.run(["checklist", "verify", "--base", "main"], in: repo.path)
        #expect(noBody.status == 2)
        #expect(noBody.stderr.contains("--body"))
        let badBase = try runGatehouse(["checklist", "verify", "--base", "nope", "--body", "-"], in: repo.path, stdin: "")
        #expect(badBase.status == 2)
        #expect(badBase.output.isEmpty)
    }
}

/// Python's jsonschema, when this machine has it, validates the JSON against docs/schemas.
private let checklistSchemaValidatorAvailable: Bool = {
    (try? run(["python3", "-c", "import jsonschema"], in: "/"))?.status == 0
}()

@Suite("gatehouse checklist JSON follows docs/schemas/checklist.schema.json",
       .enabled(if: checklistSchemaValidatorAvailable, "needs python3 with jsonschema (pip install jsonschema)"))
struct ChecklistSchemaTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/schemas/checklist.schema.json")

    func validate(_ json: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft202012Validator)
            """
        let result = try run(["python3", "-c", script, Self.schema.path], in: "/", stdin: json)
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test func aChangeWithRenamesAndPathsThatAreNotUTF8() throws {
        let repo = try checklistRepository()
        try repo.move("server/auth/session.ts", "server/auth/sessions.ts")
        try repo.write(Array("server/auth/caf".utf8) + [0xE9] + Array(".ts".utf8), Array("x\n".utf8))
        try repo.commit("more")
        let result = try GatehouseCLI.run(["checklist", "--base", "main", "--format", "json"], in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.output.contains("\"pathBytes\""))
        try validate(result.stdout)
    }

    @Test func noFolder() throws {
        let repo = try TestRepository()
        try repo.write("a", "a\n")
        try repo.commit("a")
        let result = try GatehouseCLI.run(["checklist", "--base", "HEAD", "--format", "json"], in: repo.path)
        try validate(result.stdout)
    }

    @Test func theSchemaRejectsWhatItShould() throws {
        let bad = #"{"folder": "rules/checklists", "available": 1, "checklists": [{"file": "a.md", "title": "A", "required": true, "files": [], "items": []}]}"#
        let script = """
            import json, sys, jsonschema
            jsonschema.validate(json.loads(sys.argv[2]), json.load(open(sys.argv[1])), cls=jsonschema.Draft202012Validator)
            """
        let result = try run(["python3", "-c", script, Self.schema.path, bad], in: "/")
        #expect(result.status != 0, "a checklist without triggering files must not validate")
    }
}
