import ArgumentParser
import GatehouseCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the files a change touches, with their added lines.",
        discussion: """
            Default: the change from the merge base of the base and HEAD to HEAD (git diff base...HEAD). Text output is one line per file: status, added and deleted line counts, path (old and new path for renames). JSON output is documented in docs/JSON.md.
            """)

    @OptionGroup var change: ChangeOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let (_, _, changeSet) = try change.readChange()
        switch format {
        case .text: Output.write(ChangeSetRenderer.text(changeSet))
        case .json: Output.write(ChangeSetRenderer.json(changeSet))
        }
    }
}
