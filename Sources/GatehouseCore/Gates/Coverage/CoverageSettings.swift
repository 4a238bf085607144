/// Coverage thresholds, from `coverage:` in the configuration.
public struct CoverageSettings: Sendable, Hashable {
    public enum NoChangedLines: String, Sendable, Hashable, CaseIterable {
        case pass, warn, fail
    }

    public struct Area: Sendable, Hashable {
        public var name: String?
        /// Globs in the ownership matcher's GitHub dialect.
        public var paths: [String]
        public var changedLines: Double?
        public var total: Double?

        public init(name: String? = nil, paths: [String], changedLines: Double? = nil, total: Double? = nil) {
            self.name = name
            self.paths = paths
            self.changedLines = changedLines
            self.total = total
        }

        public var label: String { name ?? paths.joined(separator: ", ") }
    }

    public var reports: [String]
    public var pathRewrites: [PathMapper.Rewrite]
    public var changedLines: Double?
    public var total: Double?
    public var noChangedLines: NoChangedLines
    public var areas: [Area]
    /// Count branches where the reports have them, as coverage.py does with `branch = true`:
    /// the total is (covered lines + taken branches) / (measured lines + branches).
    public var branches = false
    /// With `branches`: whether a changed line whose branches were only partly taken counts as
    /// covered (it ran) or not.
    public var partial: PartialBranches = .covered

    public enum PartialBranches: String, Sendable, Hashable, CaseIterable {
        case covered, uncovered
    }

    /// What a report path that maps to no file of the repository does to coverage.reports.
    public var unmapped: UnmappedPolicy = .warn
    /// Report paths expected outside the repository (dependencies, generated code): globs in
    /// the ownership matcher's GitHub dialect, matched against the path as the report writes it.
    public var expectedOutside: [String] = []

    public enum UnmappedPolicy: String, Sendable, Hashable, CaseIterable {
        case fail, warn, ignore
    }

    public init(
        reports: [String] = [], pathRewrites: [PathMapper.Rewrite] = [], changedLines: Double? = nil, total: Double? = nil,
        noChangedLines: NoChangedLines = .pass, areas: [Area] = []
    ) {
        self.reports = reports
        self.pathRewrites = pathRewrites
        self.changedLines = changedLines
        self.total = total
        self.noChangedLines = noChangedLines
        self.areas = areas
    }

    public var hasThresholds: Bool { changedLines != nil || total != nil || !areas.isEmpty }
}

extension CoverageSettings {
    /// The configuration key these settings live under.
    public static let key = "coverage"

    /// `coverage:` of rules/gatehouse.yml, validated: an unknown key or a wrong value names its line.
    static func parse(_ coverage: ConfigMap) throws(GatehouseError) -> CoverageSettings {
        var settings = CoverageSettings()
        try coverage.rejectUnknownKeys(["reports", "path_rewrites", "changed_lines", "total", "no_changed_lines", "areas", "unmapped", "expected_outside", "branches", "partial"])
        settings.reports = try coverage.strings("reports") ?? []
        for rewrite in try coverage.maps("path_rewrites") ?? [] {
            try rewrite.rejectUnknownKeys(["from", "to"])
            guard let from = try rewrite.string("from"), !from.isEmpty else {
                throw GatehouseError(.invalidConfig, "each of 'coverage.path_rewrites' needs a non-empty 'from'.", at: rewrite.location(of: "from"))
            }
            settings.pathRewrites.append(PathMapper.Rewrite(from: from, to: try rewrite.string("to") ?? ""))
        }
        settings.changedLines = try coverage.percent("changed_lines")
        settings.total = try coverage.percent("total")
        if let choice = try coverage.choice("no_changed_lines", CoverageSettings.NoChangedLines.self) { settings.noChangedLines = choice }
        if let policy = try coverage.choice("unmapped", CoverageSettings.UnmappedPolicy.self) { settings.unmapped = policy }
        settings.expectedOutside = try coverage.strings("expected_outside") ?? []
        settings.branches = try coverage.bool("branches") ?? false
        if let partial = try coverage.choice("partial", CoverageSettings.PartialBranches.self) { settings.partial = partial }
        for area in try coverage.maps("areas") ?? [] {
            try area.rejectUnknownKeys(["name", "paths", "changed_lines", "total"])
            guard let paths = try area.strings("paths"), !paths.isEmpty else {
                throw GatehouseError(.invalidConfig, "each of 'coverage.areas' needs 'paths', a list of globs.", at: area.location(of: "paths"))
            }
            settings.areas.append(CoverageSettings.Area(
                name: try area.string("name"), paths: paths,
                changedLines: try area.percent("changed_lines"), total: try area.percent("total")))
        }
        return settings
    }
}
