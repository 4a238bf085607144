import Foundation

/// One budget's verdict: its size against its maximum and, with a baseline, its growth.
public struct BudgetResult: Sendable, Hashable {
    public var name: String
    public var compression: SizeSettings.Compression
    public var files: [BudgetMeasurement.File]
    /// The total of `files`, as the measurement counts it.
    public var size: Int { BudgetMeasurement(name: name, compression: compression, files: files).size }
    public var max: ByteSize?
    /// The budget's size in the baseline snapshot, when it has one measured the same way.
    public var baseline: Int?
    public var delta: Int?
    public var status: GateStatus
    /// Why it failed, or what is worth knowing (new budget, different compression).
    public var reasons: [String]
    /// Where the budget is written in the configuration: what CI annotations point at.
    public var location: SourceLocation?

    /// The unit style sizes of this budget are shown in: its limit's.
    public var binaryUnits: Bool { max?.binary ?? false }
}

public enum SizeGate: Gate {
    public static let group = GateGroup.size

    /// Budgets measure what the build wrote into the work tree, so they need one. Freshness is
    /// judged before anything is compressed (brotli at quality 11 is slow, and stale output
    /// would be thrown away). For the hook a budget matching no file and a missing baseline are
    /// notes rather than failures: the build output and baseline come in CI.
    public static func evaluate(_ run: GateRun) throws(GatehouseError) -> [GateResult] {
        let config = run.config
        guard !config.size.budgets.isEmpty else {
            if run.sizeBaseline != nil {
                throw GatehouseError(
                    .invalidArgument,
                    "--size-baseline was given but no size budget is configured. Add size.budgets to \(config.file ?? GatehouseConfig.defaultPath).")
            }
            return []
        }
        if let reason = run.evidenceUnavailable { return [.skipped(.size, reason)] }
        guard let workTree = run.source.workTree else {
            return [.skipped(.size, "a bare repository has no work tree with build output to measure.")]
        }
        if run.source.judgesFreshness, let stale = try run.source.staleReason(kind: "size budget file", files: Array(run.sizeFiles.joined())) {
            return [GateResult(id: .size, status: run.staleFails ? .fail : .skip, message: stale)]
        }
        if run.missingIsSkip, try budgetFiles(config.size, root: workTree).contains(where: \.isEmpty) {
            return [.skipped(.size, "a size budget matches no file (no build output yet); CI runs this gate.")]
        }
        let measured = try run.source.measure(config.size.budgets)
        return [try judge(
            config: config, root: workTree, measured: measured, baselineOverride: run.sizeBaseline, missingBaselineIsNote: run.missingIsSkip)]
    }

    /// The files each size budget's globs match (an error when one resolves outside the repository).
    public static func budgetFiles(_ settings: SizeSettings, root: String) throws(GatehouseError) -> [[String]] {
        var files: [[String]] = []
        for budget in settings.budgets { files.append(try ReportFinder.expand(budget.files, root: root).found) }
        return files
    }

    /// Judges measured budgets against the baseline: `baselineOverride` (from the command line,
    /// named by `option`, which must exist) or `size.baseline`, which follows missing_report
    /// unless `missingBaselineIsNote` (the hook, and writing a snapshot: CI writes the baseline).
    public static func judge(
        config: GatehouseConfig, root: String, measured: [BudgetMeasurement], baselineOverride: String?, option: String = "--size-baseline",
        missingBaselineIsNote: Bool = false
    ) throws(GatehouseError) -> GateResult {
        var baseline: SizeSnapshot?
        var note: String?
        var missingBaseline = false
        if let path = baselineOverride ?? config.size.baseline {
            let full = baselineOverride != nil || path.hasPrefix("/") ? path : root + path
            if FileManager.default.fileExists(atPath: full) {
                // The configured baseline must be inside the repository, as every path the
                // configuration names; one given on the command line is the user's to choose.
                let data = try RepositoryBounds.read(
                    full, root: baselineOverride != nil ? "/" : root, limit: SizeSnapshot.maxFileBytes, what: "size baseline", shown: path)
                guard let data else {
                    throw GatehouseError(.unreadableFile, "cannot read the size baseline \(path). Check its permissions.", at: SourceLocation(file: path))
                }
                baseline = try SizeSnapshot.parse(data, displayPath: path)
                note = "compared with the baseline \(path)\(baseline?.commit.map { " (commit \($0.prefix(12)))" } ?? "")"
            } else if baselineOverride != nil {
                throw GatehouseError(.unreadableFile, "cannot read the size baseline \(path). Check the path given to \(option), or write it with `gatehouse size --output`.")
            } else if missingBaselineIsNote {
                note = "the size baseline \(path) does not exist here, so growth is not compared (CI writes it)"
            } else {
                missingBaseline = true
                note = "the size baseline \(path) does not exist, so growth is not compared: write it with `gatehouse size --output \(path)` on the base branch (missing_report: \(config.missingReport.rawValue))"
            }
        }
        var gate = evaluate(settings: config.size, measured: measured, baseline: baseline, baselineNote: note)
        if missingBaseline, gate.status != .fail {
            gate.status = config.missingReport == .fail ? .fail : .warn
            gate.message += " The size baseline \(config.size.baseline ?? "") does not exist (missing_report: \(config.missingReport.rawValue))."
        }
        return gate
    }

    /// Judges each budget. `measured` holds the budgets whose globs matched files; a budget of
    /// `settings` missing from it matched nothing, which fails: a build that wrote no bundle
    /// must not pass as a small one.
    public static func evaluate(
        settings: SizeSettings, measured: [BudgetMeasurement], baseline: SizeSnapshot?, baselineNote: String? = nil
    ) -> GateResult {
        var results: [BudgetResult] = []
        for budget in settings.budgets {
            let binary = budget.max?.binary ?? false
            guard let measurement = measured.first(where: { $0.name == budget.name }), !measurement.files.isEmpty else {
                results.append(BudgetResult(
                    name: budget.name, compression: budget.compression, files: [], max: budget.max, baseline: nil, delta: nil,
                    status: .fail,
                    reasons: ["no file matches \(budget.files.joined(separator: ", ")): did the build run, and are the globs right?"],
                    location: budget.location))
                continue
            }
            var result = BudgetResult(
                name: budget.name, compression: budget.compression, files: measurement.files, max: budget.max,
                baseline: nil, delta: nil, status: .pass, reasons: [], location: budget.location)
            if let max = budget.max, result.size > max.bytes {
                result.status = .fail
                result.reasons.append(
                    "\(ByteSize.format(result.size, binary: binary))\(label(budget.compression)) is over the budget of \(max) by \(ByteSize.format(result.size - max.bytes, binary: binary)) (\(max.unitNote))")
            }
            if let baseline {
                if let before = baseline.budgets.first(where: { $0.name == budget.name }) {
                    if before.compression == budget.compression {
                        result.baseline = before.size
                        result.delta = result.size - before.size
                        if let growth = settings.maxGrowth, !growth.allows(delta: result.size - before.size, baseline: before.size) {
                            result.status = .fail
                            result.reasons.append(
                                "grew by \(ByteSize.format(result.size - before.size, binary: binary))\(percentChange(result.size - before.size, of: before.size)) against the baseline, more than max_growth \(growth)")
                        }
                    } else {
                        result.reasons.append(
                            "the baseline measured it with compression \(before.compression.rawValue), not \(budget.compression.rawValue); growth is not compared")
                    }
                } else {
                    result.reasons.append("new: the baseline has no budget of this name")
                }
            }
            results.append(result)
        }
        let failed = results.filter { $0.status == .fail }
        var details: [String] = []
        if let baselineNote { details.append(baselineNote) }
        let message: String
        if results.isEmpty {
            message = "no size budget is configured."
        } else if failed.isEmpty {
            message = "\(results.count) budget\(results.count == 1 ? "" : "s") within limits."
        } else {
            message = "\(failed.count) of \(results.count) budget\(results.count == 1 ? "" : "s") failed: \(failed.map(\.name).joined(separator: ", "))."
        }
        return GateResult(
            id: .size, status: failed.isEmpty ? (results.isEmpty ? .skip : .pass) : .fail, message: message, details: .size(results),
            notes: details)
    }

    static func label(_ compression: SizeSettings.Compression) -> String {
        switch compression {
        case .none: ""
        case .gzip: " gzipped"
        case .brotli: " with brotli"
        }
    }

    /// " (+4.2%)", or nothing when there was nothing before.
    static func percentChange(_ delta: Int, of before: Int) -> String {
        guard before > 0 else { return "" }
        let percent = Double(delta) * 100 / Double(before)
        return String(format: " (%@%.1f%%)", percent >= 0 ? "+" : "", percent)
    }

    /// `12.5 kB`, `+1.2 kB (+4.0%)`: how a budget's change reads in the reports.
    public static func describeDelta(_ result: BudgetResult) -> String? {
        guard let delta = result.delta, let before = result.baseline else { return nil }
        guard delta != 0 else { return "no change" }
        let sign = delta > 0 ? "+" : ""
        return "\(sign)\(ByteSize.format(delta, binary: result.binaryUnits))\(percentChange(delta, of: before))"
    }
}
