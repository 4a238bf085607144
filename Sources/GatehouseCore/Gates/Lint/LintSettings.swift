/// Lint settings, from `lint:` in the configuration.
public struct LintSettings: Sendable, Hashable {
    /// Which findings count, as reviewdog's filters choose them.
    public enum Scope: String, Sendable, Hashable, CaseIterable {
        /// On lines the change added.
        case added
        /// On lines the diff shows, with 3 lines of context.
        case context
        /// Anywhere in a file the change touches.
        case files
        /// Everywhere.
        case all
    }

    /// The least severe finding that fails the gate.
    public enum FailOn: String, Sendable, Hashable, CaseIterable {
        case error, warning, note, never
    }

    public var reports: [String]
    public var scope: Scope
    public var failOn: FailOn

    public init(reports: [String] = [], scope: Scope = .added, failOn: FailOn = .error) {
        self.reports = reports
        self.scope = scope
        self.failOn = failOn
    }
}

extension LintSettings {
    /// The configuration key these settings live under.
    public static let key = "lint"

    /// `lint:` of rules/gatehouse.yml, validated: an unknown key or a wrong value names its line.
    static func parse(_ lint: ConfigMap) throws(GatehouseError) -> LintSettings {
        var settings = LintSettings()
        try lint.rejectUnknownKeys(["reports", "scope", "fail_on"])
        settings.reports = try lint.strings("reports") ?? []
        if let scope = try lint.choice("scope", LintSettings.Scope.self) { settings.scope = scope }
        if let failOn = try lint.choice("fail_on", LintSettings.FailOn.self) { settings.failOn = failOn }
        return settings
    }
}
