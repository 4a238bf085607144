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
