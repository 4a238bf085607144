import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseSize

struct Size: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the size budgets of rules/gatehouse.yml in the work tree, and write a snapshot.",
        discussion: """
            Each budget totals the files its globs match: raw bytes, gzip (zlib, level 9) or brotli (quality 11), each file compressed on its own as a server sends it. Sizes are decimal: kB = 1000 bytes (KiB = 1024 when a budget's max is written in KiB).

            --output writes a snapshot that a later `gatehouse check` reads as its size baseline (size.baseline in the configuration, or --size-baseline), so CI can compare a pull request with its base branch: measure the base with --output, then check the head.

            Exit 0 when every budget passes (with no budget configured, the snapshot is empty), 1 when a budget fails (the snapshot is still written), 2 for bad input or usage: as a CI step it stops the build, as size-limit does.
            """)

    @Option(name: [.customShort("C"), .customLong("repo")], help: ArgumentHelp("Run as if started in <path>.", valueName: "path"))
    var repository: String?

    @Option(help: ArgumentHelp("The configuration file. Default: rules/gatehouse.yml in the work tree.", valueName: "path"))
    var config: String?

    @Option(help: ArgumentHelp("Write the snapshot (JSON) to this file.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Compare with this snapshot instead of size.baseline.", valueName: "file"))
    var baseline: String?

    @Option(help: "Output format on stdout: text or json (the snapshot).")
    var format: OutputFormat = .text

    func run() throws {
        let repository = try openRepository(at: repository)
        let config = try loadConfig(for: repository, explicitPath: config)
        guard let root = repository.workdir else {
            throw GatehouseError(.invalidArgument, "a bare repository has no work tree to measure. Run gatehouse size in a checkout.")
        }
        guard !config.size.budgets.isEmpty else {
            // Measuring nothing is no error: a base branch from before the first budget gives an
            // empty snapshot, against which every budget of the head is "new".
            Output.error("note: no size budget is configured in \(config.file ?? GatehouseConfig.defaultPath) (size.budgets, see docs/CONFIG.md); the snapshot is empty.")
            let empty = SizeSnapshot(budgets: [], commit: repository.commitSHA("HEAD")).json(generator: "gatehouse \(Gatehouse.version)")
            if let output { try writeAtomically(empty, to: output) }
            if format == .json { Output.write(empty) }
            return
        }
        // Writing a snapshot is how a baseline comes to exist: the configured one missing then is
        // no failure (the base branch is being measured), only a note in the gate.
        let measured = try SizeMeasurer.measure(config.size.budgets, root: root)
        let gate = try SizeGate.judge(
            config: config, root: root, measured: measured, baselineOverride: baseline, option: "--baseline",
            missingBaselineIsNote: output != nil && baseline == nil)
        let snapshot = SizeSnapshot(
            budgets: measured.filter { !$0.files.isEmpty },
            commit: repository.commitSHA("HEAD"))
        let json = snapshot.json(generator: "gatehouse \(Gatehouse.version)")
        if let output { try writeAtomically(json, to: output) }
        switch format {
        case .json: Output.write(json)
        case .text: Output.write(VerdictRenderer.text(gates: [gate], color: Output.stdoutIsColorTerminal))
        }
        for budget in gate.details.size ?? [] where budget.files.isEmpty {
            Output.error("warning: the size budget '\(budget.name)' matches no file, so it is not in the snapshot, and it fails. Did the build run?")
        }
        if gate.status == .fail { throw ExitCode(1) }
    }
}
