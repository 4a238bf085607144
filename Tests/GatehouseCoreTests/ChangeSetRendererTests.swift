import Foundation
import GatehouseCore
import PropertyBased
import GatehouseTestSupport
import Testing

private let baseSHA = "1111111111111111111111111111111111111111"
private let headSHA = "2222222222222222222222222222222222222222"
private let mergeBaseSHA = "3333333333333333333333333333333333333333"

private func change(_ files: [ChangedFile], mode: ChangeMode = .threeDot, head: String? = headSHA) -> ChangeSet {
    ChangeSet(
        mode: mode, base: baseSHA, head: head, mergeBase: mergeBaseSHA,
        baseSelection: BaseSelection(
            source: .githubBaseRef, revision: "refs/remotes/origin/main",
            reason: "GITHUB_BASE_REF=main (GitHub Actions pull request)"),
        files: files)
}

/// One file of every kind: 12 lines added and 8 deleted in all.
private let sample = change([
    ChangedFile(path: "src/new.swift", status: .added, added: LineSet(ranges: [1...7])),
    ChangedFile(path: "assets/logo.png", status: .modified, isBinary: true),
    ChangedFile(
        path: "new/name.swift", oldPath: "old/name.swift", status: .renamed,
        added: LineSet([8, 51]), deletedCount: 1, similarity: 87),
    ChangedFile(path: "gone.txt", status: .deleted, deletedCount: 5),
    ChangedFile(path: "dir/tab\there.txt", status: .modified, added: LineSet([3]), deletedCount: 1),
    ChangedFile(path: RepoPath(bytes: [0x6C, 0x61, 0x74, 0x69, 0x6E, 0xE9, 0x2E, 0x74, 0x78, 0x74]), status: .modified,
                added: LineSet([1, 2]), deletedCount: 1),
])

@Suite("ChangeSetRenderer")
struct ChangeSetRendererTests {
    @Test func textMatchesGolden() throws {
        try Golden.check(ChangeSetRenderer.text(sample), against: "diff-text.txt")
    }

    @Test func prettyJSONMatchesGolden() throws {
        try Golden.check(ChangeSetRenderer.json(sample), against: "diff-json.json")
    }

    @Test func compactJSONMatchesGolden() throws {
        try Golden.check(ChangeSetRenderer.json(sample, pretty: false), against: "diff-json-compact.json")
    }

    @Test func textLayout() {
        let lines = ChangeSetRenderer.text(sample).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == sample.files.count + 2)  // files, summary, and the final newline
        #expect(lines[1] == "M\t-\t-\tassets/logo.png")
        #expect(lines[2] == "R087\t2\t1\told/name.swift\tnew/name.swift")
        #expect(lines[4] == "M\t1\t1\t" + #""dir/tab\there.txt""#)
        #expect(lines[6] == "6 files changed, 12 insertions(+), 8 deletions(-)")
        #expect(lines[7] == "")
    }

    @Test("summary uses singular and plural forms", arguments: [
        ([ChangedFile](), "0 files changed, 0 insertions(+), 0 deletions(-)\n"),
        ([ChangedFile(path: "a", status: .modified, added: LineSet([1]), deletedCount: 1)],
         "M\t1\t1\ta\n1 file changed, 1 insertion(+), 1 deletion(-)\n"),
        ([ChangedFile(path: "a", status: .added, added: LineSet([1, 2])),
          ChangedFile(path: "b", oldPath: "c", status: .copied, addedCount: 0, deletedCount: 2),
          ChangedFile(path: "d", status: .typeChanged)],
         "A\t2\t0\ta\nC\t0\t2\tc\tb\nT\t0\t0\td\n3 files changed, 2 insertions(+), 2 deletions(-)\n"),
    ])
    func summary(_ files: [ChangedFile], _ expected: String) {
        #expect(ChangeSetRenderer.text(change(files)) == expected)
    }

    @Test func jsonContent() throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(ChangeSetRenderer.json(sample))) as? [String: Any])
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["range"] as? String == "three-dot")
        #expect(root["base"] as? String == baseSHA)
        #expect(root["head"] as? String == headSHA)
        #expect(root["mergeBase"] as? String == mergeBaseSHA)
        #expect(root["baseSource"] as? String == "github-base-ref")
        let files = try #require(root["files"] as? [[String: Any]])
        try #require(files.count == sample.files.count)
        #expect(files.map { $0["status"] as? String } == ["added", "modified", "renamed", "deleted", "modified", "modified"])
        #expect(files[0]["added"] as? [[Int]] == [[1, 7]])
        #expect(files[0]["oldPath"] is NSNull)
        #expect(files[1]["binary"] as? Bool == true)
        #expect(files[2]["oldPath"] as? String == "old/name.swift")
        #expect(files[2]["similarity"] as? Int == 87)
        #expect(files[2]["added"] as? [[Int]] == [[8, 8], [51, 51]])
        #expect(files.enumerated().allSatisfy { $0.offset == 2 || $0.element["similarity"] == nil })
        #expect(files[3]["deletedCount"] as? Int == 5)
        #expect(files[4]["path"] as? String == "dir/tab\there.txt")
        #expect(files[5]["path"] as? String == "latin\u{FFFD}.txt")
        #expect((files[5]["pathBytes"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init) == sample.files[5].path.bytes)
        #expect(files.enumerated().allSatisfy { $0.offset == 5 || $0.element["pathBytes"] == nil })
    }

    @Test func prettyAndCompactJSONAgree() throws {
        let pretty = try JSONSerialization.jsonObject(with: Data(ChangeSetRenderer.json(sample, pretty: true))) as? NSDictionary
        let compact = try JSONSerialization.jsonObject(with: Data(ChangeSetRenderer.json(sample, pretty: false))) as? NSDictionary
        #expect(pretty != nil && pretty == compact)
        #expect(ChangeSetRenderer.json(sample, pretty: false).filter { $0 == 0x0A } == [0x0A])
        #expect(ChangeSetRenderer.json(sample).last == 0x0A)
    }

    @Test func stagedChangeHasNullHead() throws {
        let staged = change([], mode: .staged, head: nil)
        let text = String(decoding: ChangeSetRenderer.json(staged, pretty: false), as: UTF8.self)
        #expect(text.contains(#""range":"staged","#))
        #expect(text.contains(#""head":null,"#))
        #expect(text.contains(#""files":[]}"#))
    }

    @Test("every text line splits into status, counts and paths that read back exactly")
    func textLinesParse() async throws {
        let pathBytes = Gen.uint8(in: 1...254).map { $0 >= 0x2F ? $0 + 1 : $0 }.array(of: 1...12)
        await propertyCheck(count: 300, input: pathBytes, pathBytes, Gen.bool, Gen.bool) { path, old, renamed, binary in
            let file = ChangedFile(
                path: RepoPath(bytes: path), oldPath: renamed ? RepoPath(bytes: old) : nil,
                status: renamed ? .renamed : .modified, isBinary: binary, added: LineSet([1, 2, 3]), deletedCount: 4)
            let text = ChangeSetRenderer.text(change([file]))
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            try #require(lines.count == 3, "\(text)")
            let fields = lines[0].split(separator: "\t", omittingEmptySubsequences: false).map { Array($0.utf8) }
            try #require(fields.count == (renamed ? 5 : 4), "\(lines[0])")
            #expect(fields[0] == Array((renamed ? "R" : "M").utf8))
            #expect(fields[1] == Array((binary ? "-" : "3").utf8))
            #expect(fields[2] == Array((binary ? "-" : "4").utf8))
            #expect(cUnquote(fields.last!) == path)
            if renamed { #expect(cUnquote(fields[3]) == old) }
        }
    }
}
