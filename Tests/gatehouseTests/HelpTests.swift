import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// `check --help` lists what the registries hold, so help cannot fall behind a new format.
@Suite("gatehouse check --help")
struct HelpTests {
    @Test func namesEveryRegisteredFormat() throws {
        let result = try GatehouseCLI.run(["check", "--help"], in: "/")
        #expect(result.status == 0, "\(result.stderr)")
        // Help wraps lines: compare with runs of white space folded.
        let help = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        for title in CoverageFormat.titles + LintFormat.titles {
            #expect(help.contains(title), "check --help does not name \(title)")
        }
        let formats = OutputFormats.all.map { $0.name }
        #expect(help.contains("Output format on stdout: " + formats.dropLast().joined(separator: ", ") + " or " + formats[formats.count - 1] + "."), "\(help)")
    }
}
