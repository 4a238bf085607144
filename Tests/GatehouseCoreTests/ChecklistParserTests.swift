import Foundation
import GatehouseCore
import GatehouseTestSupport
import PropertyBased
import Testing

private let file = "rules/checklists/security.md"

private func parse(_ text: String) throws(GatehouseError) -> Checklist {
    try ChecklistParser.parse(Array(text.utf8), file: file)
}

/// The error `parse` throws for `text`, failing the test when it does not throw one.
private func parseError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    parseError(Array(text.utf8), sourceLocation: sourceLocation)
}

private func parseError(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    do {
        let checklist = try ChecklistParser.parse(bytes, file: file)
        Issue.record("expected an error, got \(checklist)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.kind == .invalidRules, sourceLocation: sourceLocation)
        #expect(error.location?.file == file, sourceLocation: sourceLocation)
        return error
    }
}

/// Tests/Fixtures/checklists: checklists with every feature of the format.
enum ChecklistFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/checklists")
    static let names = ["docs.md", "migrations.md", "security.md"]

    static func bytes(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) ?? Data())
    }
}

/// A valid front matter followed by `body`.
private func withBody(_ body: String) -> String {
    "---\ntitle: T\npaths: [src/]\nrequired: true\n---\n" + body
}

@Suite("ChecklistParser")
struct ChecklistParserTests {
    // MARK: Valid files

    @Test func everyFieldIsRead() throws {
        let checklist = try ChecklistParser.parse(ChecklistFixtures.bytes("security.md"), file: file)
        #expect(checklist.file == file)
        #expect(checklist.title == "Security")
        #expect(checklist.paths == ["server/auth/**", "*.pem", "crypto/"])
        #expect(checklist.exclude == ["server/auth/fixtures/"])
        #expect(checklist.isRequired)
        #expect(checklist.statuses == nil)
        #expect(checklist.items == [
            ChecklistItem(text: "Secrets never reach logs or error messages.", depth: 0, line: 10,
                          explanation: ["Tokens, passwords and keys are redacted before logging."]),
            ChecklistItem(text: "Every new endpoint checks permissions.", depth: 0, line: 12),
            ChecklistItem(text: "Admin-only routes use `requireAdmin`.", depth: 1, line: 13),
            ChecklistItem(text: "Denied requests return 403, not 404.", depth: 1, line: 14),
            ChecklistItem(text: "Tests cover the change.", depth: 0, line: 15),
        ])
    }

    @Test func statusesAndExplanationsWithCode() throws {
        let checklist = try ChecklistParser.parse(ChecklistFixtures.bytes("migrations.md"), file: file)
        #expect(checklist.statuses == [.added, .renamed])
        #expect(checklist.paths == ["db/migrations/"])
        #expect(checklist.items[0].explanation == [
            "For an index on a busy table:", "```sql", "CREATE INDEX CONCURRENTLY users_email ON users (email);", "```",
        ])
        #expect(checklist.items[1].text == "Tests   cover the change.")
        #expect(checklist.items[1].key == "Tests cover the change.")
    }

    @Test func otherListMarkersAndDeeperNesting() throws {
        let checklist = try ChecklistParser.parse(ChecklistFixtures.bytes("docs.md"), file: file)
        #expect(!checklist.isRequired)
        #expect(checklist.items.map(\.depth) == [0, 0, 1])
        #expect(checklist.items.map(\.line) == [8, 9, 10])
        #expect(checklist.items[2].text == "Documentation tests pass.")
    }

    @Test func crlfByteOrderMarkAndDotsClosingTheFrontMatter() throws {
        let text = "\u{FEFF}---\r\ntitle: T\r\npaths: src/\r\nrequired: false\r\n...\r\n- [ ] one\r\n  why\r\n"
        let checklist = try parse(text)
        #expect(checklist.paths == ["src/"])
        #expect(checklist.items == [ChecklistItem(text: "one", line: 6, explanation: ["why"])])
    }

    @Test func aStatusListedTwiceCountsOnce() throws {
        let checklist = try parse("---\ntitle: T\npaths: [a]\nrequired: true\nstatuses: [added, type-changed, added]\n---\n- [ ] x\n")
        #expect(checklist.statuses == [.added, .typeChanged])
    }

    @Test func aSiblingAfterNestedItemsReturnsToItsLevel() throws {
        let checklist = try parse(withBody("- [ ] a\n  - [ ] b\n    - [ ] c\n  - [ ] d\n- [ ] e\n\t- [ ] f\n"))
        #expect(checklist.items.map(\.depth) == [0, 1, 2, 1, 0, 1])
    }

    @Test func taskItemsInsideCodeFencesAreNotItems() throws {
        let checklist = try parse(withBody("- [ ] real\n\n```\n- [ ] in code\n```\n"))
        #expect(checklist.items.map(\.text) == ["real"])
    }

    // MARK: Every bad case names the file and line

    struct Bad: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var line: Int
        var message: String
        var testDescription: String { name }
    }

    static let badCases: [Bad] = [
        Bad(name: "no front matter", text: "# Security\n- [ ] x\n", line: 1, message: "starts with front matter"),
        Bad(name: "front matter never closed", text: "---\ntitle: T\npaths: [a]\n", line: 1, message: "never closed"),
        Bad(name: "empty front matter", text: "---\n---\n- [ ] x\n", line: 1, message: "front matter is empty"),
        Bad(name: "front matter is a list", text: "---\n- title\n---\n- [ ] x\n", line: 2, message: "must be keys and values"),
        Bad(name: "YAML syntax", text: "---\ntitle: T\npaths: [a\nrequired: true\n---\n- [ ] x\n", line: 4, message: "invalid YAML"),
        Bad(name: "duplicate key", text: "---\ntitle: T\ntitle: U\npaths: [a]\nrequired: true\n---\n- [ ] x\n", line: 3, message: "more than once"),
        Bad(name: "unknown key", text: "---\ntitle: T\npaths: [a]\nrequired: true\nowner: '@x'\n---\n- [ ] x\n", line: 5,
            message: "unknown front-matter key 'owner'. Known keys: title, paths, exclude, required, statuses"),
        Bad(name: "missing title", text: "---\npaths: [a]\nrequired: true\n---\n- [ ] x\n", line: 1, message: "needs a 'title'"),
        Bad(name: "blank title", text: "---\ntitle: '  '\npaths: [a]\nrequired: true\n---\n- [ ] x\n", line: 2, message: "needs a 'title'"),
        Bad(name: "title is a list", text: "---\ntitle: [a]\npaths: [a]\nrequired: true\n---\n- [ ] x\n", line: 2, message: "'title' must be a string"),
        Bad(name: "missing paths", text: "---\ntitle: T\nrequired: true\n---\n- [ ] x\n", line: 1, message: "needs 'paths'"),
        Bad(name: "empty paths", text: "---\ntitle: T\npaths: []\nrequired: true\n---\n- [ ] x\n", line: 3, message: "needs 'paths'"),
        Bad(name: "paths is a mapping", text: "---\ntitle: T\npaths: {a: b}\nrequired: true\n---\n- [ ] x\n", line: 3, message: "must be a list of strings"),
        Bad(name: "character class", text: "---\ntitle: T\npaths:\n  - src/\n  - \"[ab].ts\"\nrequired: true\n---\n- [ ] x\n", line: 5,
            message: "character classes"),
        Bad(name: "negation", text: "---\ntitle: T\npaths:\n  - \"!src/\"\nrequired: true\n---\n- [ ] x\n", line: 4, message: "under 'exclude'"),
        Bad(name: "pattern matching nothing", text: "---\ntitle: T\npaths: [src/, \"//\"]\nrequired: true\n---\n- [ ] x\n", line: 3, message: "matches no path"),
        Bad(name: "bad exclude", text: "---\ntitle: T\npaths: [a]\nexclude:\n  - ok/\n  - '#x'\nrequired: true\n---\n- [ ] x\n", line: 6,
            message: "in 'exclude'"),
        Bad(name: "missing required", text: "---\ntitle: T\npaths: [a]\n---\n- [ ] x\n", line: 1, message: "needs 'required: true'"),
        Bad(name: "required is not a boolean", text: "---\ntitle: T\npaths: [a]\nrequired: maybe\n---\n- [ ] x\n", line: 4, message: "must be true or false"),
        Bad(name: "unknown status", text: "---\ntitle: T\npaths: [a]\nrequired: true\nstatuses:\n  - added\n  - typechange\n---\n- [ ] x\n", line: 7,
            message: "'typechange' is not a change status; use added, modified, deleted, renamed, copied, type-changed"),
        Bad(name: "empty statuses", text: "---\ntitle: T\npaths: [a]\nrequired: true\nstatuses: []\n---\n- [ ] x\n", line: 5, message: "'statuses' is empty"),
        Bad(name: "no body", text: "---\ntitle: T\npaths: [a]\nrequired: true\n---\n\n  \n", line: 5, message: "has no body"),
        Bad(name: "no body and no final newline", text: "---\ntitle: T\npaths: [a]\nrequired: true\n---", line: 5, message: "has no body"),
        Bad(name: "no task item", text: withBody("\nJust prose about security.\n"), line: 7, message: "no task item"),
        Bad(name: "a list item without a box", text: withBody("- [ ] fine\n- not a task\n"), line: 7, message: "write '- [ ] not a task'"),
        Bad(name: "a ticked item", text: withBody("- [ ] fine\n  - [x] done already\n"), line: 7, message: "written unticked"),
        Bad(name: "an empty item", text: withBody("- [ ] fine\n- [ ]   \n"), line: 7, message: "has no text"),
    ]

    @Test(arguments: badCases)
    func badFile(_ bad: Bad) throws {
        let error = try #require(parseError(bad.text))
        #expect(error.location?.line == bad.line, "\(error)")
        #expect(error.message.contains(bad.message), "\(error)")
    }

    @Test func notUTF8NamesTheLine() throws {
        let error = try #require(parseError(Array(withBody("- [ ] a\n- [ ] caf").utf8) + [0xE9, 0x0A]))
        #expect(error.location?.line == 7)
        #expect(error.message.contains("UTF-8"))
    }

    @Test func theErrorPrintsAsFileLineColumn() throws {
        let error = try #require(parseError("---\ntitle: T\npaths: [a]\nrequired: true\nowner: x\n---\n- [ ] x\n"))
        #expect(error.description.hasPrefix("\(file):5:1: error: unknown front-matter key 'owner'"))
    }

    // MARK: Properties

    @Test("mutated checklists never crash the parser", arguments: ChecklistFixtures.names)
    func mutatedFixtures(_ name: String) async {
        let original = ChecklistFixtures.bytes(name)
        await propertyCheck(count: 300, input: Gen.int(in: 0...1_000_000).array(of: 1...6)) { edits in
            checkParseIsTotal(mutate(original, edits: edits))
        }
    }

    @Test("random bytes never crash the parser")
    func randomBytes() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...120)) { bytes in
            checkParseIsTotal(Array("---\n".utf8) + bytes)
        }
    }

    private func checkParseIsTotal(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let lineCount = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        do {
            let checklist = try ChecklistParser.parse(bytes, file: file)
            #expect(!checklist.items.isEmpty && !checklist.paths.isEmpty, sourceLocation: sourceLocation)
            #expect(checklist.items.allSatisfy { (1...lineCount).contains($0.line) && !$0.key.isEmpty }, sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .invalidRules, sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
            if let line = error.location?.line {
                #expect((1...lineCount).contains(line), "\(error)", sourceLocation: sourceLocation)
            }
        }
    }
}
