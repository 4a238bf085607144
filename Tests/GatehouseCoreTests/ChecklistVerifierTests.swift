import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

private func applied(_ title: String, required: Bool, items: [(String, Int)]) -> AppliedChecklist {
    let checklist = Checklist(
        file: "rules/checklists/\(title.lowercased()).md", title: title, paths: ["*"], isRequired: required,
        items: items.enumerated().map { ChecklistItem(text: $0.element.0, depth: $0.element.1, line: $0.offset + 6) })
    return AppliedChecklist(checklist: checklist, files: [ChangedFile(path: "a", status: .modified)], items: checklist.items)
}

private let security = applied("Security", required: true, items: [
    ("No secret is logged.", 0), ("Endpoints check permissions.", 0), ("Admin routes use `requireAdmin`.", 1),
])
private let docs = applied("Docs", required: false, items: [("Examples were run.", 0)])

/// The texts of what `body` leaves to do, as "missing: ..." or "unticked: ...".
private func problems(_ body: String, _ checklists: [AppliedChecklist] = [security, docs]) -> [String] {
    ChecklistVerifier.verify(checklists, body: body).problems.map {
        "\($0.rule == ChecklistVerification.missingRule ? "missing" : "unticked"): \($0.message)"
    }
}

@Suite("ChecklistVerifier")
struct ChecklistVerifierTests {
    @Test func everyRequiredItemTickedPasses() {
        let body = """
            ## Review checklist
            - [x] No secret is logged.
            - [X] Endpoints check permissions.
              - [x] Admin routes use `requireAdmin`.
            - [ ] Examples were run.
            """
        let result = ChecklistVerifier.verify([security, docs], body: body)
        #expect(result.passed)
        #expect(result.requiredChecklists == 1)
        #expect(result.requiredItems == 3)
        #expect(ChecklistVerifier.text(result) == "All 3 required items are ticked (1 checklist).\n")
    }

    @Test func untickedAndMissingItemsAreNamed() {
        let body = "- [ ] No secret is logged.\n- [x] Endpoints check permissions.\n"
        #expect(problems(body) == ["unticked: No secret is logged.", "missing: Admin routes use `requireAdmin`."])
    }

    @Test func aNestedItemCountsOnItsOwn() {
        let body = "- [x] No secret is logged.\n- [x] Endpoints check permissions.\n  - [ ] Admin routes use `requireAdmin`.\n"
        #expect(problems(body) == ["unticked: Admin routes use `requireAdmin`."])
    }

    @Test func textIsComparedTrimmedWithWhitespaceCollapsed() {
        let body = "* [x]   No  secret\tis logged.  \r\n1. [X] Endpoints check permissions.\r\n    + [x] Admin routes use `requireAdmin`.\r\n"
        #expect(problems(body) == [])
    }

    @Test func otherTextIsNotAnItem() {
        // Different words, a box without a list marker, and a box not followed by a space.
        let body = "- [x] No secrets are logged.\n[x] Endpoints check permissions.\n- [x]Admin routes use `requireAdmin`.\n"
        #expect(problems(body) == [
            "missing: No secret is logged.", "missing: Endpoints check permissions.", "missing: Admin routes use `requireAdmin`.",
        ])
    }

    @Test func aTickedCopyWinsOverAnUntickedOne() {
        let body = "- [ ] No secret is logged.\n- [x] No secret is logged.\n- [x] Endpoints check permissions.\n- [x] Admin routes use `requireAdmin`.\n"
        #expect(problems(body) == [])
    }

    @Test func itemsInCommentsAndCodeFencesDoNotCount() {
        let body = """
            <!-- Template:
            - [x] No secret is logged.
            -->
            ```markdown
            - [x] Endpoints check permissions.
            ```
            - [x] Admin routes use `requireAdmin`. <!-- done -->
            <!-- unclosed
            - [x] Endpoints check permissions.
            """
        #expect(problems(body) == ["missing: No secret is logged.", "missing: Endpoints check permissions."])
    }

    @Test func optionalChecklistsAreNeverRequired() {
        #expect(ChecklistVerifier.verify([docs], body: "").passed)
        #expect(ChecklistVerifier.text(ChecklistVerifier.verify([docs], body: "")) == "No required checklist applies to this change.\n")
    }

    @Test func anItemOfTwoRequiredChecklistsIsReportedOnce() {
        let other = applied("Other", required: true, items: [("No secret is logged.", 0), ("Own item.", 0)])
        let result = ChecklistVerifier.verify([security, other], body: "")
        #expect(result.problems.map(\.message) == [
            "No secret is logged.", "Endpoints check permissions.", "Admin routes use `requireAdmin`.", "Own item.",
        ])
        #expect(result.problems.map(\.location?.file).last == "rules/checklists/other.md")
        #expect(result.requiredItems == 4)
    }

    @Test func anEmptyDescriptionMissesEverything() {
        let result = ChecklistVerifier.verify([security], body: "")
        #expect(!result.passed)
        #expect(ChecklistVerifier.text(result) == """
            Security (rules/checklists/security.md): 3 required items not ticked
              missing:    No secret is logged.  [line 6]
              missing:    Endpoints check permissions.  [line 7]
              missing:    Admin routes use `requireAdmin`.  [line 8]
            3 of 3 required items are missing from the description or not ticked. \
            Paste the list from 'gatehouse checklist' into the description and tick each item once it is done.

            """)
    }

    @Test func theMarkdownChecklistTickedInFullPasses() {
        let markdown = ChecklistRenderer.markdown(Checklists.applicable([security.checklist, docs.checklist], to: security.files))
        #expect(!ChecklistVerifier.verify([security], body: markdown).passed)
        let ticked = markdown.replacingOccurrences(of: "- [ ]", with: "- [x]")
        #expect(ChecklistVerifier.verify([security], body: ticked).passed)
    }
}

/// A ticked box counts only where GitHub renders one (issue 14: a description could quote the
/// checklist, ticked, inside an indented code block and pass). Each case's answer is
/// CommonMark's, as markdown-it-py with its task-list plugin renders it.
@Suite("ChecklistVerifier: boxes only where Markdown renders them")
struct ChecklistRenderedBoxTests {
    static let one = applied("Security", required: true, items: [("No secret is logged.", 0)])

    @Test(arguments: [
        ("Intro\n\n    - [x] No secret is logged.\n", false),
        ("    - [x] No secret is logged.\n", false),
        ("Intro\n    - [x] No secret is logged.\n", false),
        ("Text\n\n\t- [x] No secret is logged.\n", false),
        ("- [ ] Other.\n\n        - [x] No secret is logged.\n", false),
        ("- [ ] Other.\n    - [x] No secret is logged.\n", true),
        ("- [ ] Other.\n\n    - [x] No secret is logged.\n", true),
        ("1. [ ] Other.\n   - [x] No secret is logged.\n", true),
        ("   - [x] No secret is logged.\n", true),
    ])
    func tickCountsOnlyWhereRendered(body: String, counts: Bool) {
        #expect(ChecklistVerifier.verify([Self.one], body: body).passed == counts, "\(body.debugDescription)")
    }

    /// Random nestings of lists, blank lines, text and indentation, judged by markdown-it-py.
    @Test(.enabled(if: markdownOracleAvailable, "needs python3 with markdown-it-py and mdit-py-plugins (scripts/ensure-test-tools.sh)"))
    func agreesWithCommonMarkOnRandomBodies() throws {
        var generator = SystemRandomNumberGenerator()
        var bodies: [String] = []
        let pieces = ["- [x] No secret is logged.", "- [ ] Other.", "1. [ ] Other.", "Some text.", "", "* [X] No secret is logged."]
        for _ in 0..<300 {
            var body = ""
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                let indent = String(repeating: " ", count: [0, 0, 1, 2, 3, 4, 5, 6, 8].randomElement(using: &generator)!)
                body += indent + pieces.randomElement(using: &generator)! + "\n"
            }
            bodies.append(body)
        }
        let script = """
            import json, sys
            from markdown_it import MarkdownIt
            from mdit_py_plugins.tasklists import tasklists_plugin
            md = MarkdownIt("commonmark").use(tasklists_plugin)
            out = []
            for body in json.load(sys.stdin):
                found = False
                # A rendered, ticked box for the item: an inline token the plugin opened with a
                # checked input, whose first line of text is the item's.
                for token in md.parse(body):
                    children = token.children or []
                    if token.type == "inline" and children and children[0].type == "html_inline" and 'checked="checked"' in children[0].content:
                        found = found or token.content.split("\\n")[0].strip() == "No secret is logged."
                out.append(found)
            json.dump(out, sys.stdout)
            """
        let input = try JSONSerialization.data(withJSONObject: bodies)
        let result = try run(["python3", "-c", script], in: "/", stdin: Array(input))
        let answers = try #require((try? JSONSerialization.jsonObject(with: Data(result.stdout))) as? [Bool], "\(result.stderr)")
        for (body, rendered) in zip(bodies, answers) {
            #expect(ChecklistVerifier.verify([Self.one], body: body).passed == rendered, "\(body.debugDescription)")
        }
    }
}

let markdownOracleAvailable: Bool =
    (try? run(["python3", "-c", "import markdown_it, mdit_py_plugins"], in: "/"))?.status == 0
