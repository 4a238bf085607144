extension GatehouseConfig.OwnersSettings {
    /// The configuration key these settings live under.
    public static let key = "owners"

    /// `owners:` of rules/gatehouse.yml, validated: an unknown key or a wrong value names its line.
    static func parse(_ owners: ConfigMap) throws(GatehouseError) -> GatehouseConfig.OwnersSettings {
        var settings = GatehouseConfig.OwnersSettings()
        try owners.rejectUnknownKeys(["file", "dialect", "require_all"])
        settings.file = try owners.string("file")
        if let dialect = try owners.choice("dialect", OwnershipDialect.self) { settings.dialect = dialect }
        settings.requireAll = try owners.bool("require_all") ?? false
        return settings
    }
}
