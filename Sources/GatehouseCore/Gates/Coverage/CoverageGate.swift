/// The coverage gates as one unit: `coverage.reports` on the reports themselves, then
/// changed-line, total and area coverage on what they measured (`CoverageGates`).
public enum CoverageGate: Gate {
    public static let group = GateGroup.coverage

    public static func evaluate(_ run: GateRun) throws(GatehouseError) -> [GateResult] {
        let config = run.config
        let reports = run.coverageReports
        guard !reports.found.isEmpty || config.coverage.hasThresholds else { return [] }
        if let gate = try run.notJudged(.coverageReports, kind: "coverage report", reports: reports) { return [gate] }
        let mapper = try run.source.pathMapper()
        // One report at a time, each file's lines merged into the evidence as they are read.
        var evidence = CoverageEvidence()
        for file in reports.found {
            try CoverageReader.read(path: file, displayPath: run.source.shown(file), into: &evidence, mapper: mapper)
        }
        var results = [reportsGate(evidence, missing: reports.missing, policy: config.missingReport, change: run.change, settings: config.coverage)]
        if evidence.reports.isEmpty {
            // With nothing read, every line would pass as "not measured": say so instead.
            results.append(.skipped(.changedLines, "no coverage report was read, so the change's lines cannot be judged."))
        } else {
            results += CoverageGates.evaluate(change: run.change, evidence: evidence, settings: config.coverage)
        }
        return results
    }

    /// `coverage.reports`: what was read, what did not map onto the repository, and what was
    /// configured but never written.
    static func reportsGate(
        _ evidence: CoverageEvidence, missing: [String], policy: GatehouseConfig.MissingReport, change: ChangeSet, settings: CoverageSettings
    ) -> GateResult {
        var notes: [String] = []
        for (report, format, count) in evidence.reports {
            notes.append("\(report): \(format.rawValue), \(evidence.mappedCount[report] ?? 0) of \(count) files mapped to this repository")
        }
        // A changed file measured under another path, and every unmapped path, in every mode.
        let mapping = CoverageMapping.judge(evidence, changed: change.files, settings: settings)
        notes += mapping.details
        for (report, path, candidates) in evidence.ambiguous.prefix(10) {
            notes.append("\(report): \(path) could be any of \(candidates.prefix(3).map(\.string).joined(separator: ", ")); add a coverage.path_rewrites entry")
        }
        if !missing.isEmpty {
            let status: GateStatus = policy == .fail ? .fail : .warn
            return GateResult(
                id: .coverageReports, status: status,
                message: "no file matches the configured report\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")): did the step that writes \(missing.count == 1 ? "it" : "them") run? (missing_report: \(policy.rawValue))",
                notes: notes)
        }
        let noneMapped = evidence.reports.contains(where: { evidence.mappedCount[$0.file] ?? 0 == 0 && $0.files > 0 })
        var status: GateStatus = noneMapped ? .warn : .pass
        if mapping.status == .fail || (mapping.status == .warn && status == .pass) { status = mapping.status }
        let count = evidence.reports.count
        var message = count == 0 ? "no coverage report was given." : "\(count) report\(count == 1 ? "" : "s") read\(noneMapped ? "; a report matches no file of this repository" : "")."
        if let headline = mapping.headline { message = headline }
        else if mapping.status == .warn && !noneMapped { message = "\(count) report\(count == 1 ? "" : "s") read; some paths match no file of this repository (listed below)." }
        var result = GateResult(id: .coverageReports, status: status, message: message, notes: notes)
        result.failsForAnotherCause = mapping.headline != nil
        return result
    }
}
