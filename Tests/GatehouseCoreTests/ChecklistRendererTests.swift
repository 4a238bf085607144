import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// The fixture checklists applied to one change that triggers each of them in a different way:
/// security by an added file, a renamed file's old path and a `*.pem` glob (its fixtures folder
/// excluded), migrations only by the added migration, docs by a name that is not UTF-8 too.
private func fixtureChecklists() throws -> [AppliedChecklist] {
    let checklists = try #require(try Checklists.load(folder: ChecklistFixtures.folder.path, displayFolder: "rules/checklists"))
    let files = [
        ChangedFile(path: "README.md", status: .modified),
        ChangedFile(path: "certs/dev.pem", status: .added),
        ChangedFile(path: "db/migrations/0001_init.sql", status: .modified),
        ChangedFile(path: "db/migrations/0002_users.sql", status: .added),
        ChangedFile(path: RepoPath(bytes: Array("docs/caf".utf8) + [0xE9] + Array(".md".utf8)), status: .added),
        ChangedFile(path: "lib/aes.go", oldPath: "crypto/aes.go", status: .renamed, similarity: 100),
        ChangedFile(path: "server/auth/fixtures/user.json", status: .added),
        ChangedFile(path: "server/auth/login.ts", status: .added),
        ChangedFile(path: "server/auth/session.ts", status: .modified),
    ]
    return Checklists.applicable(checklists, to: files)
}

@Suite("ChecklistRenderer")
struct ChecklistRendererTests {
    @Test func markdownIsAGitHubTaskListPerChecklist() throws {
        let applied = try fixtureChecklists()
        #expect(applied.map(\.checklist.title) == ["Database migrations", "Security", "Documentation"])
        let markdown = ChecklistRenderer.markdown(applied)
        #expect(markdown.contains("Applies to `certs/dev.pem` and 3 more."))
        #expect(markdown.contains("Applies to `db/migrations/0002_users.sql`."))
        try Golden.check(markdown, against: "checklist-render.md")
    }

    @Test func text() throws {
        let text = ChecklistRenderer.text(try fixtureChecklists())
        #expect(text.contains("applies to README.md and \"docs/caf\\351.md\"\n"))
        try Golden.check(text, against: "checklist-render.txt")
    }

    @Test func json() throws {
        let bytes = ChecklistRenderer.json(try fixtureChecklists(), folder: "rules/checklists", available: 3)
        try Golden.check(bytes, against: "checklist-render.json")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let lists = try #require(object["checklists"] as? [[String: Any]])
        #expect(lists.map { $0["title"] as? String } == ["Database migrations", "Security", "Documentation"])
        let docsFiles = try #require(lists[2]["files"] as? [[String: Any]])
        #expect(docsFiles[1]["pathBytes"] as? String == Data(Array("docs/caf".utf8) + [0xE9] + Array(".md".utf8)).base64EncodedString())
    }

    @Test func nothingAppliesRendersNothingButTheEmptyJSONList() throws {
        #expect(ChecklistRenderer.markdown([]) == "")
        #expect(ChecklistRenderer.text([]) == "")
        #expect(String(decoding: ChecklistRenderer.json([], folder: "rules/checklists", available: 0), as: UTF8.self)
            == "{\n  \"folder\": \"rules/checklists\",\n  \"available\": 0,\n  \"checklists\": []\n}\n")
    }

    @Test func aPathWithBackticksOrPipesStaysOneCodeSpan() {
        let checklist = Checklist(file: "x.md", title: "X", paths: ["*"], isRequired: false, items: [ChecklistItem(text: "x", line: 6)])
        let applied = AppliedChecklist(checklist: checklist, files: [ChangedFile(path: "a|b`c.md", status: .added)], items: checklist.items)
        #expect(ChecklistRenderer.markdown([applied]).contains("Applies to ``a|b`c.md``.\n"))
    }

    @Test func triggeringFilesAreCounted() {
        func line(_ count: Int) -> String {
            let checklist = Checklist(file: "x.md", title: "X", paths: ["*"], isRequired: false, items: [ChecklistItem(text: "x", line: 6)])
            let files = (1...count).map { ChangedFile(path: RepoPath("f\($0)"), status: .added) }
            return ChecklistRenderer.markdown([AppliedChecklist(checklist: checklist, files: files, items: checklist.items)])
                .split(separator: "\n").first { $0.hasPrefix("Applies to") }.map(String.init) ?? ""
        }
        #expect(line(1) == "Applies to `f1`.")
        #expect(line(2) == "Applies to `f1` and `f2`.")
        #expect(line(4) == "Applies to `f1` and 3 more.")
    }
}
