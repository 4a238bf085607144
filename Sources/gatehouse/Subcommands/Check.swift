import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every configured gate on a change and print the verdict.",
        discussion: """
            Gates: changed-line, total and per-area coverage from the reports the build wrote (coverage: in rules/gatehouse.yml, or --coverage), lint findings (lint:, or --lint), size budgets (size:), and the ownership rules check. With Markdown output the comment also suggests reviewers and lists the review checklist. Exit 0 when every gate passes, 1 when one fails, 2 for bad input or usage.
            """)

    @OptionGroup var change: ChangeOptions

    @Option(name: .customLong("coverage"), help: ArgumentHelp(
        "A coverage report to read: \(CoverageFormat.titles.joined(separator: ", ")) (repeatable); replaces coverage.reports for this run.",
        valueName: "path"))
    var coverageReports: [String] = []

    @Option(name: .customLong("lint"), help: ArgumentHelp(
        "A lint report to read: \(LintFormat.titles.joined(separator: ", ")) (repeatable); replaces lint.reports for this run.",
        valueName: "path"))
    var lintReports: [String] = []

    @Option(name: .customLong("size-baseline"), help: ArgumentHelp(
        "A snapshot from `gatehouse size --output` to compare the size budgets with; replaces size.baseline for this run.",
        valueName: "file"))
    var sizeBaseline: String?

    @Option(name: .customLong("rules-from"), help: ArgumentHelp(
        "Judge by the rules (configuration, CODEOWNERS, teams, checklists) of the change's base (default: a change cannot weaken what judges it), its head, or the work tree (a local experiment, said so in the output).",
        valueName: "source"))
    var rulesFrom: RulesSource?

    @Option(help: ArgumentHelp("Output format on stdout: \(OutputFormats.names)."))
    var format: CheckFormat = CheckFormat(TextFormat.self)

    @Option(name: .customLong("output"), help: ArgumentHelp(
        "Also write FORMAT to PATH, e.g. json=gatehouse.json or markdown=comment.md (repeatable).", valueName: "format=path"))
    var outputs: [OutputTarget] = []

    func run() throws {
        for target in outputs { try checkOutputTarget(target.path) }
        let (repository, _, changeSet) = try change.readChange(prefetchingRules: true)
        let rules = try change.judgingRules(repository: repository, change: changeSet, from: rulesFrom)
        let config = rules.config
        var inputs = GateInputs(coverageReports: coverageReports, lintReports: lintReports, sizeBaseline: sizeBaseline)
        // Staged and work-tree changes are judged on reports written from the work tree: those must
        // have measured it as it is (a commit range in CI is a clean checkout, and is not judged).
        if change.staged || change.worktree, repository.workdir != nil {
            inputs.freshness = Freshness(repository: repository, target: change.staged ? .index : .workTree, staleFails: false)
        }
        let gates = try GateRunner.run(repository: repository, rules: rules, change: changeSet, inputs: inputs)
        var verdict = Verdict(change: changeSet, gates: gates)
        // The pull-request comment also says who should review and what they must check.
        let summaryPath = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"].flatMap { $0.isEmpty ? nil : $0 }
        let formats = [format.type] + outputs.map(\.format.type)
        let writesSummary = formats.contains { $0.writesStepSummary }
        let wantsMarkdown = formats.contains { $0.showsReviewAdvice } || (summaryPath != nil && writesSummary)
        if wantsMarkdown {
            let advice = ReviewAdvice.gatherOrNote(repository: repository, rules: rules, change: changeSet, checklist: true, reviewers: true)
            (verdict.checklists, verdict.reviewers) = (advice.checklists, advice.reviewers)
            if let note = advice.note { Output.error("warning: \(note)") }
        }
        // Render everything first: nothing is written unless all of it could be produced.
        var files: [(String, [UInt8])] = []
        let configFile = config.file ?? GatehouseConfig.defaultPath
        for target in outputs {
            files.append((target.path, render(verdict, target.format, color: false, configFile: configFile)))
        }
        // In GitHub Actions the Markdown report also goes to the job's summary page.
        if writesSummary, let summary = summaryPath {
            try appendToFile(Array(VerdictRenderer.markdown(verdict).utf8), path: summary)
        }
        for (path, bytes) in files {
            try writeAtomically(bytes, to: path)
        }
        Output.write(render(verdict, format, color: format.type == TextFormat.self && Output.stdoutIsColorTerminal, configFile: configFile))
        if !verdict.passed { throw ExitCode(1) }
    }

    private func render(_ verdict: Verdict, _ format: CheckFormat, color: Bool, configFile: String) -> [UInt8] {
        format.type.render(verdict, RenderContext(color: color, version: Gatehouse.version, configFile: configFile))
    }
}

/// A registered output format (`OutputFormats`), as `--format` takes it.
struct CheckFormat: ExpressibleByArgument {
    let type: any GatehouseCore.OutputFormat.Type

    init(_ type: any GatehouseCore.OutputFormat.Type) { self.type = type }

    init?(argument: String) {
        guard let type = OutputFormats.named(argument) else { return nil }
        self.type = type
    }

    static var allValueStrings: [String] { OutputFormats.all.map { $0.name } }
    var defaultValueDescription: String { type.name }
}

struct OutputTarget: ExpressibleByArgument {
    var format: CheckFormat
    var path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let format = CheckFormat(argument: String(argument[..<equals])) else { return nil }
        let path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
        self.format = format
        self.path = path
    }

    static var defaultValueDescription: String { "format=path" }
}

/// Appends to a file that another program owns (GitHub's step summary), creating it if needed.
/// A write that fails (a full disk) is an error with a message, not a crash.
func appendToFile(_ bytes: [UInt8], path: String) throws(GatehouseError) {
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
        throw GatehouseError(.unreadableFile, "cannot write the step summary \(path) (GITHUB_STEP_SUMMARY): \(String(cString: strerror(errno))). Check that it is writable.")
    }
    defer { close(descriptor) }
    if let failure = Output.writeAll(bytes, to: descriptor) {
        throw GatehouseError(.unreadableFile, "cannot write the step summary \(path) (GITHUB_STEP_SUMMARY): \(String(cString: strerror(failure))).")
    }
}

/// Writes through a temporary file and a rename, so a reader never sees half a report. Only a
/// regular file or a new path is written: a rename over `/dev/full`, `/dev/stdout`, a FIFO or a
/// symbolic link would replace it with a file.
func writeAtomically(_ bytes: [UInt8], to path: String) throws(GatehouseError) {
    try checkOutputTarget(path)
    let url = URL(fileURLWithPath: path)
    do {
        try Data(bytes).write(to: url, options: .atomic)
    } catch {
        throw GatehouseError(.unreadableFile, "cannot write \(path): \(error.localizedDescription). Check that its folder exists and is writable.")
    }
}

/// Refuses, before any work, an output path that is not a regular file or a new path.
func checkOutputTarget(_ path: String) throws(GatehouseError) {
    var status = stat()
    if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFREG {
        let kind = switch status.st_mode & S_IFMT {
        case S_IFDIR: "a folder"
        case S_IFLNK: "a symbolic link"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a FIFO"
        default: "not a regular file"
        }
        throw GatehouseError(.invalidArgument, "will not write \(path): it is \(kind), and writing replaces it with a file. Name a regular file or a new path.")
    }
}
