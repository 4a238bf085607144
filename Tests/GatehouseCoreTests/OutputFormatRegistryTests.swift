import Foundation
import Testing

import GatehouseCore

/// The output formats are declared once (`OutputFormats.all`): the docs that list them must list
/// exactly those, so a format added or removed cannot leave README or docs/JSON.md behind.
@Suite("Output format registry")
struct OutputFormatRegistryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func namesAreUniqueAndLowercase() {
        let names = OutputFormats.all.map { $0.name }
        #expect(Set(names).count == names.count)
        for name in names { #expect(name == name.lowercased() && !name.isEmpty && !name.contains(" "), "\(name)") }
        #expect(OutputFormats.named("sarif") == SARIFFormat.self)
        #expect(OutputFormats.named("html") == nil)
    }

    /// README's `check` reference: "`--format text|json|...`" names every format, in order.
    @Test func readmeListsExactlyTheRegisteredFormats() throws {
        let readme = try Self.read("README.md")
        let lists = readme.components(separatedBy: "- `--format ").dropFirst().compactMap { rest -> [String]? in
            guard let end = rest.firstIndex(of: "`") else { return nil }
            let list = rest[..<end]
            return list.contains("|") ? list.split(separator: "|").map(String.init) : nil
        }
        let check = try #require(lists.first { $0.contains("sarif") }, "README has no `--format a|b|...` list of check's formats")
        #expect(check == OutputFormats.all.map { $0.name })
    }

    /// docs/JSON.md: `check --format json` has its own section, and every other format but the
    /// two for people (text, markdown) a bullet in "CI formats of gatehouse check".
    @Test func jsonDocsDescribeEveryFormatAndNoOther() throws {
        let docs = try Self.read("docs/JSON.md")
        #expect(docs.contains("## `gatehouse check --format json`"))
        let section = try #require(docs.components(separatedBy: "## CI formats of `gatehouse check`").dropFirst().first)
            .components(separatedBy: "\n## ").first ?? ""
        let described = section.components(separatedBy: "\n- `--format ").dropFirst().compactMap { $0.split(separator: "`").first.map(String.init) }
        let expected = OutputFormats.all.map { $0.name }.filter { !["text", "json", "markdown"].contains($0) }
        #expect(described == expected, "docs/JSON.md describes \(described), the registry has \(expected)")
    }

    /// Each format renders a verdict with no gate without trapping, and the structured ones
    /// write what their readers parse.
    @Test(arguments: OutputFormats.all.map { $0.name })
    func everyFormatRendersAnEmptyVerdict(name: String) throws {
        let format = try #require(OutputFormats.named(name))
        let change = ChangeSet(
            mode: .threeDot, base: nil, head: nil, mergeBase: nil,
            baseSelection: BaseSelection(source: .option, revision: "main", reason: "--base main"), files: [])
        let bytes = format.render(Verdict(change: change, gates: []), RenderContext(color: false, version: "0", configFile: "rules/gatehouse.yml"))
        #expect(!bytes.isEmpty)
        if ["json", "sarif", "codequality"].contains(name) {
            #expect(throws: Never.self) { _ = try JSONSerialization.jsonObject(with: Data(bytes)) }
        }
    }
}
