import GatehouseCore
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
    ChecklistVerifier.verify(checklists, body: body).problems.map { "\($0.isMissing ? "missing" : "unticked"): \($0.item.text)" }
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
        #expect(result.problems.map(\.item.text) == [
            "No secret is logged.", "Endpoints check permissions.", "Admin routes use `requireAdmin`.", "Own item.",
        ])
        #expect(result.problems.map(\.file).last == "rules/checklists/other.md")
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
