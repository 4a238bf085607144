import Foundation
import Testing

@testable import GatehouseCore

/// The report formats the docs name are the ones Gatehouse reads: every table of formats in
/// README.md and docs/*.md (a table whose first header cell is "Coverage format" or "Lint format")
/// lists exactly the names of its family's registry, docs/CONFIG.md has both tables, and README's
/// feature list names each family as the "unrecognised format" message does.
@Suite("Docs name the registered report formats")
struct FormatDocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var documents: [String] {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/\($0)" }
    }

    static func text(_ document: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(document), encoding: .utf8)
    }

    /// The tables headed by `header` in `text`: each the backquoted names in its rows' first cells.
    static func tables(_ header: String, in text: String) -> [[String]] {
        var tables: [[String]] = []
        var current: [String]?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("|"), cells.count > 2 else {
                if let table = current { tables.append(table) }
                current = nil
                continue
            }
            if cells[1] == header {
                current = []
            } else if current != nil, !cells[1].hasPrefix("---") {
                current?.append(cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")))
            }
        }
        if let table = current { tables.append(table) }
        return tables
    }

    static let families: [(header: String, names: [String], listed: String)] = [
        ("Coverage format", CoverageFormats.family.names, ReportFamily<Any>.list(CoverageFormats.family.formats.map { $0.listed }, "and")),
        ("Lint format", LintFormats.family.names, ReportFamily<Any>.list(LintFormats.family.formats.map { $0.listed }, "and")),
    ]

    @Test(arguments: documents)
    func everyTableListsTheRegistry(_ document: String) throws {
        let text = try Self.text(document)
        for family in Self.families {
            for table in Self.tables(family.header, in: text) {
                #expect(table == family.names, "\(document): the \"\(family.header)\" table lists \(table); Gatehouse reads \(family.names)")
            }
        }
    }

    @Test func configHasBothTables() throws {
        let text = try Self.text("docs/CONFIG.md")
        for family in Self.families {
            #expect(Self.tables(family.header, in: text).count == 1, "docs/CONFIG.md has no \"\(family.header)\" table")
        }
    }

    @Test func readmeNamesEveryFormat() throws {
        let text = try Self.text("README.md").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for family in Self.families {
            #expect(text.contains(family.listed), "README.md should say \"\(family.listed)\"")
        }
    }

    @Test func theTableReaderFindsWhatIsThere() {
        let text = "a\n\n| Coverage format | x |\n| --- | --- |\n| `lcov` | y |\n| `b` | z |\n\n| Other | x |\n| --- | --- |\n| `c` | d |\n"
        #expect(Self.tables("Coverage format", in: text) == [["lcov", "b"]])
        #expect(Self.tables("Lint format", in: text).isEmpty)
    }
}
