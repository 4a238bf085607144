import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseGit

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every configured gate on a change and print the verdict.",
        discussion: """
            Gates: changed-line and total coverage from the reports the build wrote (coverage: in
            rules/gatehouse.yml, or --coverage), per-area coverage, and the ownership rules check.
            Exit 0 when every gate passes, 1 when one fails, 2 for bad input or usage.
            """)

    @OptionGroup var change: ChangeOptions

    @Option(name: .customLong("coverage"), help: ArgumentHelp(
        "A coverage report to read (repeatable); replaces coverage.reports for this run.", valueName: "path"))
    var coverageReports: [String] = []

    @Option(name: .customLong("lint"), help: ArgumentHelp(
        "A lint report to read: SARIF, Checkstyle, SwiftLint JSON, ESLint JSON or reviewdog rdjson (repeatable); replaces lint.reports for this run.",
        valueName: "path"))
    var lintReports: [String] = []

    @Option(name: .customLong("size-baseline"), help: ArgumentHelp(
        "A snapshot from `gatehouse size --output` to compare the size budgets with; replaces size.baseline for this run.",
        valueName: "file"))
    var sizeBaseline: String?

    @Option(help: "Output format on stdout: text, json, markdown, github, junit, sarif or codequality.")
    var format: CheckFormat = .text

    @Option(name: .customLong("output"), help: ArgumentHelp(
        "Also write FORMAT to PATH, e.g. json=gatehouse.json or markdown=comment.md (repeatable).", valueName: "format=path"))
    var outputs: [OutputTarget] = []

    func run() throws {
        let (repository, config, changeSet) = try change.readChange()
        var gates: [GateResult] = []

        // Reports named on the command line must exist; configured ones follow missing_report.
        let root = repository.workdir ?? FileManager.default.currentDirectoryPath + "/"
        let (reportFiles, missing) = try reports(coverageReports, option: "--coverage", configured: config.coverage.reports, root: root)
        let (lintFiles, lintMissing) = try reports(lintReports, option: "--lint", configured: config.lint.reports, root: root)
        let wantsCoverage = !reportFiles.isEmpty || config.coverage.hasThresholds
        let wantsLint = !lintFiles.isEmpty || !lintMissing.isEmpty
        var mapperCache: PathMapper?
        func mapper() throws(GatehouseError) -> PathMapper {
            if let mapperCache { return mapperCache }
            let made = PathMapper(
                repositoryFiles: try repository.trackedFiles(at: changeSet.head ?? "HEAD"), root: repository.workdir,
                rewrites: config.coverage.pathRewrites)
            mapperCache = made
            return made
        }
        if wantsCoverage {
            let mapper = try mapper()
            // One report at a time, each file's lines merged into the evidence as they are read.
            var evidence = CoverageEvidence()
            for file in reportFiles {
                try CoverageReader.read(
                    path: file, displayPath: file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file,
                    into: &evidence, mapper: mapper)
            }
            gates.append(reportsGate(evidence, missing: missing, policy: config.missingReport))
            gates += CoverageGates.evaluate(change: changeSet, evidence: evidence, settings: config.coverage)
        }

        if wantsLint {
            let lint = try lintFiles.map { file throws(GatehouseError) in
                try LintReader.read(path: file, displayPath: file.hasPrefix(root) ? String(file.dropFirst(root.count)) : file)
            }
            gates.append(LintGate.evaluate(
                change: changeSet, reports: lint, mapper: try mapper(), settings: config.lint,
                missing: lintMissing, missingPolicy: config.missingReport))
        }

        if !config.size.budgets.isEmpty {
            // Budgets measure what the build wrote into the work tree, so they need one.
            if let workdir = repository.workdir {
                gates.append(try SizeEvaluation.run(config: config, root: workdir, baselineOverride: sizeBaseline).0)
            } else {
                gates.append(GateResult(id: "size", status: .skip, message: "a bare repository has no work tree with build output to measure."))
            }
        } else if sizeBaseline != nil {
            throw GatehouseError(.invalidArgument, "--size-baseline was given but no size budget is configured. Add size.budgets to \(config.file ?? GatehouseConfig.defaultPath).")
        }

        gates.append(try ownershipGate(repository: repository, config: config))

        let verdict = Verdict(change: changeSet, gates: gates)
        // Render everything first: nothing is written unless all of it could be produced.
        var files: [(String, [UInt8])] = []
        let configFile = config.file ?? GatehouseConfig.defaultPath
        for target in outputs {
            files.append((target.path, render(verdict, target.format, color: false, configFile: configFile)))
        }
        // In GitHub Actions the Markdown report also goes to the job's summary page.
        if format == .github || outputs.contains(where: { $0.format == .github }),
           let summary = ProcessInfo.processInfo.environment["GITHUB_STEP_SUMMARY"], !summary.isEmpty {
            try appendToFile(Array(VerdictRenderer.markdown(verdict).utf8), path: summary)
        }
        for (path, bytes) in files {
            try writeAtomically(bytes, to: path)
        }
        Output.write(render(verdict, format, color: format == .text && Output.stdoutIsColorTerminal, configFile: configFile))
        if !verdict.passed { throw ExitCode(1) }
    }

    /// Report files: those named with `option` (which must exist), else the configured globs.
    private func reports(
        _ named: [String], option: String, configured: [String], root: String
    ) throws(GatehouseError) -> (found: [String], missing: [String]) {
        guard !named.isEmpty else { return ReportFinder.expand(configured, root: root) }
        for path in named where !FileManager.default.fileExists(atPath: path) {
            throw GatehouseError(.unreadableFile, "cannot read the report \(path). Check the path given to \(option).")
        }
        return (named, [])
    }

    private func render(_ verdict: Verdict, _ format: CheckFormat, color: Bool, configFile: String) -> [UInt8] {
        switch format {
        case .text: Array(VerdictRenderer.text(verdict, color: color).utf8)
        case .json: VerdictRenderer.json(verdict)
        case .markdown: Array(VerdictRenderer.markdown(verdict).utf8)
        case .github: Array((CIRenderers.github(verdict) + VerdictRenderer.text(verdict, color: false)).utf8)
        case .junit: Array(CIRenderers.junit(verdict).utf8)
        case .sarif: CIRenderers.sarif(verdict, version: Gatehouse.configuration.version, configFile: configFile)
        case .codequality: CIRenderers.codeQuality(verdict, configFile: configFile)
        }
    }

    private func reportsGate(_ evidence: CoverageEvidence, missing: [String], policy: GatehouseConfig.MissingReport) -> GateResult {
        var details: [String] = []
        for (report, format, count) in evidence.reports {
            details.append("\(report): \(format.rawValue), \(evidence.mappedCount[report] ?? 0) of \(count) files mapped to this repository")
        }
        let unmapped = evidence.unmapped
        for (report, path) in unmapped.prefix(10) {
            details.append("\(report): \(path) matches no file of this repository (add a coverage.path_rewrites entry)")
        }
        if unmapped.count > 10 { details.append("... and \(unmapped.count - 10) more paths that match no file") }
        for (report, path, candidates) in evidence.ambiguous.prefix(10) {
            details.append("\(report): \(path) could be any of \(candidates.prefix(3).map(\.string).joined(separator: ", ")); add a coverage.path_rewrites entry")
        }
        if !missing.isEmpty {
            let status: GateStatus = policy == .fail ? .fail : .warn
            return GateResult(
                id: "coverage.reports", status: status,
                message: "no file matches the configured report\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): did the step that writes \(missing.count == 1 ? "it" : "them") run? (missing_report: \(policy.rawValue))",
                details: details)
        }
        let status: GateStatus = evidence.reports.contains(where: { evidence.mappedCount[$0.file] ?? 0 == 0 && $0.files > 0 }) ? .warn : .pass
        let count = evidence.reports.count
        return GateResult(
            id: "coverage.reports", status: status,
            message: count == 0 ? "no coverage report was given." : "\(count) report\(count == 1 ? "" : "s") read\(status == .warn ? "; a report matches no file of this repository" : "").",
            details: details)
    }

    private func ownershipGate(repository: Repository, config: GatehouseConfig) throws(GatehouseError) -> GateResult {
        guard let root = repository.workdir else {
            return GateResult(id: "owners.rules", status: .skip, message: "a bare repository has no work tree rules to check.")
        }
        let file: CodeownersFile
        do {
            file = try RulesLocator.load(configuredFile: config.owners.file, dialect: config.owners.dialect, source: "the work tree") { path in
                FileManager.default.contents(atPath: root + path).map(Array.init)
            }
        } catch where error.kind == .invalidRules && config.owners.file == nil && !error.message.contains("UTF-8") {
            return GateResult(id: "owners.rules", status: .skip, message: "no CODEOWNERS file, so there are no ownership rules to check.")
        }
        let rules = OwnershipRules(file)
        let problems = RulesCheck.problems(rules, trackedFiles: try repository.trackedFiles(at: "HEAD"), requireAll: config.owners.requireAll)
        let errors = problems.filter { $0.severity == .error }
        let warnings = problems.count - errors.count
        let details = errors.prefix(20).map { problem in
            problem.line > 0 ? "\(file.path):\(problem.line):\(problem.column): \(problem.message)" : "\(file.path): \(problem.message)"
        }
        return GateResult(
            id: "owners.rules", status: errors.isEmpty ? .pass : .fail,
            message: "\(file.path): \(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s") (gatehouse rules check shows them all).",
            details: Array(details))
    }
}

enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    case markdown
    /// GitHub Actions workflow commands (annotations), then the text verdict.
    case github
    case junit
    case sarif
    /// GitLab's Code Quality report.
    case codequality
}

struct OutputTarget: ExpressibleByArgument {
    var format: CheckFormat
    var path: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
              let format = CheckFormat(rawValue: String(argument[..<equals])) else { return nil }
        let path = String(argument[argument.index(after: equals)...])
        guard !path.isEmpty else { return nil }
        self.format = format
        self.path = path
    }

    static var defaultValueDescription: String { "format=path" }
}

/// Appends to a file that another program owns (GitHub's step summary), creating it if needed.
func appendToFile(_ bytes: [UInt8], path: String) throws(GatehouseError) {
    guard FileManager.default.fileExists(atPath: path) || FileManager.default.createFile(atPath: path, contents: nil),
          let handle = FileHandle(forWritingAtPath: path) else {
        throw GatehouseError(.unreadableFile, "cannot write the step summary \(path) (GITHUB_STEP_SUMMARY). Check that it is writable.")
    }
    defer { try? handle.close() }
    handle.seekToEndOfFile()
    handle.write(Data(bytes))
}

/// Writes through a temporary file and a rename, so a reader never sees half a report.
func writeAtomically(_ bytes: [UInt8], to path: String) throws(GatehouseError) {
    let url = URL(fileURLWithPath: path)
    do {
        try Data(bytes).write(to: url, options: .atomic)
    } catch {
        throw GatehouseError(.unreadableFile, "cannot write \(path): \(error.localizedDescription). Check that its folder exists and is writable.")
    }
}
