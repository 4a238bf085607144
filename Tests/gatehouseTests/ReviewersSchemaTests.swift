import Foundation
import GatehouseTestSupport
import Testing

/// Python's jsonschema, when this machine has it: the reference validator for docs/schemas.
private let validatorAvailable: Bool = {
    (try? run(["python3", "-c", "import jsonschema"], in: "/"))?.status == 0
}()

@Suite("gatehouse reviewers --format json follows docs/schemas/reviewers.schema.json",
       .enabled(if: validatorAvailable, "needs python3 with jsonschema (pip install jsonschema)"))
struct ReviewersSchemaTests {
    static let schema = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/schemas/reviewers.schema.json").path

    func validate(_ json: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            jsonschema.validate(json.load(sys.stdin), schema, cls=jsonschema.Draft202012Validator)
            """
        let result = try run(["python3", "-c", script, Self.schema], in: "/", stdin: json)
        #expect(result.status == 0, "\(result.stderr)", sourceLocation: sourceLocation)
    }

    func output(_ repo: TestRepository, _ arguments: [String] = ["--base", "main"]) throws -> [UInt8] {
        let result = try GatehouseCLI.run(["reviewers", "--format", "json"] + arguments, in: repo.path)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    @Test func githubWithTeamsAndHistory() throws {
        try validate(try output(try reviewersRepository(rules: "* @org/backend\n/docs/ @org/docs\n")))
    }

    @Test func gitlabWithUnsatisfiedAndOptionalSections() throws {
        let repo = try reviewersRepository(
            rules: "[Backend][2] @org/backend\n/src/\n\n^[Docs] @org/docs\n/docs/\n",
            rulesPath: ".gitlab/CODEOWNERS", teams: reviewerTeams + "unavailable: [\"@carl\"]\nmax_open_reviews: 3\nload: load.json\n")
        try repo.write("load.json", #"{"@bob": 1}"#)
        try validate(try output(repo))
    }

    @Test func unownedFilesTeamsAskedWholeAndNotes() throws {
        let repo = try reviewersRepository(rules: "/src/ @org/unknown\n", teams: nil)
        let json = try output(repo)
        try validate(json)
        #expect(String(decoding: json, as: UTF8.self).contains("\"team\": true"))
    }

    @Test func anAuthorWhoOwnsEverything() throws {
        try validate(try output(try reviewersRepository(rules: "* @alice\n")))
    }

    @Test func aNameThatIsNotUTF8() throws {
        let repo = try reviewersRepository(rules: "* @alice\n")
        try repo.write(Array("caf".utf8) + [0xE9] + Array(".txt".utf8), Array("x\n".utf8))
        try repo.commit("odd name", author: "Alice <alice@example.com>", date: "2026-01-03T00:00:00Z")
        try validate(try output(repo))
    }
}
