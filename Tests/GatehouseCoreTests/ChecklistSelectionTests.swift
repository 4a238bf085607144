import Foundation
import GatehouseCore
import Testing

private func checklist(
    _ title: String, paths: [String], exclude: [String] = [], required: Bool = false, statuses: [FileStatus]? = nil,
    items: [String] = ["Check it."]
) -> Checklist {
    Checklist(
        file: "rules/checklists/\(title).md", title: title, paths: paths, exclude: exclude, isRequired: required, statuses: statuses,
        items: items.enumerated().map { ChecklistItem(text: $0.element, line: $0.offset + 6) })
}

private func changed(_ path: RepoPath, _ status: FileStatus = .modified, from old: RepoPath? = nil) -> ChangedFile {
    ChangedFile(path: path, oldPath: old, status: status)
}

/// The titles of the checklists `files` trigger.
private func titles(_ checklists: [Checklist], _ files: [ChangedFile]) -> [String] {
    Checklists.applicable(checklists, to: files).map(\.checklist.title)
}

@Suite("Which checklists apply")
struct ChecklistSelectionTests {
    @Test func pathsAreCodeownersGlobsInGitHubsDialect() {
        let anchored = checklist("auth", paths: ["server/auth/"])
        let anyDepth = checklist("pem", paths: ["*.pem"])
        let children = checklist("docs", paths: ["docs/*"])
        #expect(titles([anchored], [changed("server/auth/a/login.ts")]) == ["auth"])
        #expect(titles([anchored], [changed("lib/server/auth/login.ts")]) == [])
        #expect(titles([anyDepth], [changed("deploy/certs/dev.pem")]) == ["pem"])
        #expect(titles([children], [changed("docs/a.md")]) == ["docs"])
        #expect(titles([children], [changed("docs/guide/a.md")]) == [])
    }

    @Test func excludedFilesDoNotTrigger() {
        let auth = checklist("auth", paths: ["server/auth/"], exclude: ["server/auth/fixtures/", "*.md"])
        #expect(titles([auth], [changed("server/auth/fixtures/user.json"), changed("server/auth/README.md")]) == [])
        let applied = Checklists.applicable([auth], to: [changed("server/auth/README.md"), changed("server/auth/login.ts")])
        #expect(applied.map { $0.files.map(\.path) } == [["server/auth/login.ts"]])
    }

    @Test(arguments: [
        (FileStatus.added, true), (.modified, false), (.deleted, false), (.renamed, true), (.copied, false), (.typeChanged, false),
    ])
    func statusesLimitWhichChangesTrigger(_ status: FileStatus, _ triggers: Bool) {
        let migrations = checklist("migrations", paths: ["db/migrations/"], statuses: [.added, .renamed])
        let file = changed("db/migrations/0002.sql", status, from: status == .renamed || status == .copied ? "db/old.sql" : nil)
        #expect(titles([migrations], [file]) == (triggers ? ["migrations"] : []))
    }

    @Test func aRenameTriggersFromEitherSide() {
        let crypto = checklist("crypto", paths: ["crypto/"])
        #expect(titles([crypto], [changed("lib/aes.go", .renamed, from: "crypto/aes.go")]) == ["crypto"])
        #expect(titles([crypto], [changed("crypto/aes.go", .renamed, from: "lib/aes.go")]) == ["crypto"])
        #expect(titles([crypto], [changed("lib/aes.go", .renamed, from: "vendor/aes.go")]) == [])
    }

    @Test func triggeringFilesKeepTheChangesOrder() {
        let all = checklist("all", paths: ["*.ts"])
        let files = [changed("b.ts"), changed("a.md"), changed("a.ts")]
        #expect(Checklists.applicable([all], to: files).first?.files.map(\.path) == ["b.ts", "a.ts"])
    }

    @Test func requiredChecklistsComeFirstOtherwiseTheGivenOrder() {
        let lists = [
            checklist("a-optional", paths: ["*"]), checklist("b-required", paths: ["*"], required: true),
            checklist("c-optional", paths: ["*"]), checklist("d-required", paths: ["*"], required: true),
        ]
        #expect(titles(lists, [changed("x")]) == ["b-required", "d-required", "a-optional", "c-optional"])
    }

    // MARK: Deduplication

    @Test func anItemSharedByChecklistsIsShownOnceUnderTheFirst() {
        let security = checklist("security", paths: ["*"], required: true, items: ["Tests cover the change.", "No secret is logged."])
        let docs = checklist("docs", paths: ["*"], items: ["Examples were run.", "  Tests\tcover  the change. "])
        let applied = Checklists.applicable([docs, security], to: [changed("x")])
        #expect(applied.map(\.checklist.title) == ["security", "docs"])
        #expect(applied[0].items.map(\.text) == ["Tests cover the change.", "No secret is logged."])
        #expect(applied[1].items.map(\.text) == ["Examples were run."])
        // The checklist itself keeps every item: verification needs them all.
        #expect(applied[1].checklist.items.count == 2)
    }

    @Test func aChildOfADuplicateMovesUpALevel() {
        let first = checklist("first", paths: ["*"], items: ["Shared."])
        var second = checklist("second", paths: ["*"], items: ["Own.", "Shared.", "Child.", "Grandchild.", "Next."])
        for (index, depth) in [0, 0, 1, 2, 0].enumerated() { second.items[index].depth = depth }
        let applied = Checklists.applicable([first, second], to: [changed("x")])
        #expect(applied[1].items.map(\.text) == ["Own.", "Child.", "Grandchild.", "Next."])
        #expect(applied[1].items.map(\.depth) == [0, 0, 1, 0])
    }

    @Test func aChecklistWhoseItemsAreAllShownStillApplies() {
        let first = checklist("first", paths: ["*"], items: ["Same."])
        let second = checklist("second", paths: ["*"], items: ["Same."])
        let applied = Checklists.applicable([first, second], to: [changed("x")])
        #expect(applied.map(\.items.count) == [1, 0])
    }

    @Test func aChecklistThatDoesNotApplyTakesNoItem() {
        let first = checklist("first", paths: ["src/"], items: ["Same."])
        let second = checklist("second", paths: ["*"], items: ["Same."])
        let applied = Checklists.applicable([first, second], to: [changed("docs/a.md")])
        #expect(applied.map(\.checklist.title) == ["second"])
        #expect(applied[0].items.map(\.text) == ["Same."])
    }

    // MARK: Loading a folder

    @Test func aFolderIsReadInFileNameOrder() throws {
        let checklists = try #require(try Checklists.load(folder: ChecklistFixtures.folder.path, displayFolder: "fixtures"))
        #expect(checklists.map(\.file) == ["fixtures/docs.md", "fixtures/migrations.md", "fixtures/security.md"])
    }

    @Test func noFolderMeansNoChecklists() throws {
        #expect(try Checklists.load(folder: "/nonexistent/rules/checklists", displayFolder: "rules/checklists") == nil)
        let change = ChangeSet(
            mode: .twoDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base"), files: [changed("a")])
        #expect(try Checklists.applicable(to: change, workTree: "/nonexistent").isEmpty)
    }

    @Test func aBadChecklistStopsTheLoadNamingItsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-checklists-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("---\ntitle: T\npaths: [a]\nrequired: true\n---\n- [ ] x\n".utf8).write(to: folder.appendingPathComponent("a.md"))
        try Data("not a checklist\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        #expect(try Checklists.load(folder: folder.path, displayFolder: "rules/checklists")?.count == 1)
        try Data("---\ntitle: T\n".utf8).write(to: folder.appendingPathComponent("b.md"))
        do {
            _ = try Checklists.load(folder: folder.path, displayFolder: "rules/checklists")
            Issue.record("a checklist without closing front matter was accepted")
        } catch {
            #expect(error.location == SourceLocation(file: "rules/checklists/b.md", line: 1))
        }
    }

    @Test func theWorkTreesFolderIsRead() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-tree-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("rules/checklists")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("---\ntitle: Sources\npaths: [src/]\nrequired: true\n---\n- [ ] x\n".utf8).write(to: folder.appendingPathComponent("src.md"))
        let change = ChangeSet(
            mode: .twoDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base"),
            files: [changed("src/a.c"), changed("README")])
        let applied = try Checklists.applicable(to: change, workTree: root.path)
        #expect(applied.map(\.checklist.file) == ["rules/checklists/src.md"])
        #expect(applied.first?.files.map(\.path) == ["src/a.c"])
    }
}
