import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

enum ChecklistFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown
    case text
    case json
}

/// `gatehouse checklist`: what reviewers must check for a change, and whether a pull-request
/// description ticks it all.
struct ChecklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checklist",
        abstract: "Print the review checklist for a change, or verify a pull-request description against it.",
        discussion: """
            Checklists are the *.md files of rules/checklists/ at the change's base, so that a change cannot drop its own checklist (see docs/CHECKLISTS.md); --rules-from worktree reads the work tree's. The change is selected as for gatehouse diff.
            """,
        subcommands: [Show.self, Verify.self],
        defaultSubcommand: Show.self)

    /// Options both subcommands share.
    struct Source: ParsableArguments {
        @OptionGroup var change: ChangeOptions

        @Option(help: ArgumentHelp(
            "Read checklists from this folder instead of rules/checklists in the work tree.", valueName: "dir"))
        var checklists: String?

        @Option(name: .customLong("rules-from"), help: ArgumentHelp(
            "Read rules/checklists from the change's base (default: a change cannot drop its own checklist), its head, or the work tree.",
            valueName: "source"))
        var rulesFrom: RulesSource?

        /// The change, the checklists read (nil when there is no folder) and how to name the folder.
        func load() throws(GatehouseError) -> (ChangeSet, [Checklist]?, String) {
            let (repository, _, changeSet) = try change.readChange()
            if let checklists {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: checklists, isDirectory: &isDirectory), isDirectory.boolValue else {
                    throw GatehouseError(.invalidArgument, "--checklists \(checklists): no such folder. Name a folder of *.md checklists.")
                }
                return (changeSet, try Checklists.load(folder: checklists, displayFolder: checklists), checklists)
            }
            let rules = try change.judgingRules(repository: repository, change: changeSet, from: rulesFrom)
            if case .chosen(let words) = rules.origin { Output.error("note: checklists from \(words).") }
            return (changeSet, try rules.checklists(), Checklists.defaultFolder)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print the checklists that apply to a change.",
            discussion: """
                markdown (default) is a GitHub task list to paste into the pull-request description, one section per checklist naming the files that triggered it; an item that several checklists share is shown once, under the first. Without a checklists folder the output is empty (json: no checklists) and a note goes to stderr.
                """)

        @OptionGroup var source: Source

        @Option(help: "Output format: markdown, text or json.")
        var format: ChecklistFormat = .markdown

        func run() throws {
            let (changeSet, checklists, folder) = try source.load()
            guard let checklists else {
                Output.error("note: there is no \(folder) folder, so no checklist applies. Run 'gatehouse init' to write starter checklists, or name a folder with --checklists.")
                if format == .json { Output.write(ChecklistRenderer.json([], folder: folder, available: 0)) }
                return
            }
            let applied = Checklists.applicable(checklists, to: changeSet.files)
            if applied.isEmpty, format != .json {
                // Markdown stays empty so that CI can skip the comment; a person still hears why.
                let read = "(\(checklists.count) checklist\(checklists.count == 1 ? "" : "s") in \(folder))"
                if format == .text {
                    Output.write("No checklist applies to this change \(read).\n")
                } else {
                    Output.error("note: no checklist applies to this change \(read).")
                }
                return
            }
            switch format {
            case .markdown: Output.write(ChecklistRenderer.markdown(applied))
            case .text: Output.write(ChecklistRenderer.text(applied))
            case .json: Output.write(ChecklistRenderer.json(applied, folder: folder, available: checklists.count))
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a pull-request description ticks every item of the required checklists.",
            discussion: """
                Items are matched by their text (trimmed, whitespace collapsed); [x] and [X] are ticked. Items inside code fences or HTML comments do not count. Exit 0 when every required item is ticked, 1 when some are missing or unticked (each is named), 2 for bad input.
                """)

        @OptionGroup var source: Source

        @Option(help: ArgumentHelp("The pull-request description, a Markdown file ('-' for stdin).", valueName: "file"))
        var body: String

        func run() throws {
            // Read the description first: a wrong path is a usage error whatever the change.
            let text = try readBody()
            let (changeSet, checklists, folder) = try source.load()
            guard let checklists else {
                Output.error("note: there is no \(folder) folder, so nothing is required.")
                Output.write("No required checklist applies to this change.\n")
                return
            }
            let verification = ChecklistVerifier.verify(Checklists.applicable(checklists, to: changeSet.files), body: text)
            Output.write(ChecklistVerifier.text(verification))
            if !verification.passed { throw ExitCode(1) }
        }

        private func readBody() throws(GatehouseError) -> String {
            let data: Data
            if body == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                // A file handle also reads pipes and devices: --body <(gh pr view --json body -q .body).
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: body, isDirectory: &isDirectory), !isDirectory.boolValue,
                      let handle = FileHandle(forReadingAtPath: body) else {
                    throw GatehouseError(.unreadableFile, "cannot read the description \(body). Check the path given to --body, or pass '-' to read stdin.")
                }
                defer { try? handle.close() }
                data = handle.readDataToEndOfFile()
            }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
