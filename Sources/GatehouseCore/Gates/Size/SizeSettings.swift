/// A number of bytes as people write budgets: `250 kB`, `1.5 MiB`, `300 B`, `4096`.
///
/// Decimal units are powers of 1000 and binary units powers of 1024, as the SI and IEC define
/// them: `kB`, `KB` and `kb` all mean 1,000 bytes (size-limit's `bytes-iec` reads them so),
/// `KiB` means 1,024. Sizes of a budget are shown in the kind of unit its limit was written in.
public struct ByteSize: Sendable, Hashable, CustomStringConvertible {
    public var bytes: Int
    /// Whether the limit was written in binary units (KiB, MiB, GiB).
    public var binary: Bool

    public init(bytes: Int, binary: Bool = false) {
        self.bytes = bytes
        self.binary = binary
    }

    static let units: [(suffix: String, factor: Double, binary: Bool)] = [
        ("b", 1, false), ("kb", 1e3, false), ("mb", 1e6, false), ("gb", 1e9, false),
        ("kib", 1024, true), ("mib", 1_048_576, true), ("gib", 1_073_741_824, true),
        ("k", 1e3, false), ("m", 1e6, false), ("g", 1e9, false),
    ]

    /// Parses `250 kB`, `250kB`, `1.5 MiB`, `300 B` or a bare number of bytes; nil otherwise.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let numberEnd = trimmed.firstIndex { !("0123456789.".contains($0)) } ?? trimmed.endIndex
        let numberText = trimmed[..<numberEnd]
        let unitText = trimmed[numberEnd...].trimmingCharacters(in: .whitespaces).lowercased()
        guard !numberText.isEmpty, numberText.filter({ $0 == "." }).count <= 1, let number = Double(numberText), number.isFinite else { return nil }
        let unit: (suffix: String, factor: Double, binary: Bool)
        if unitText.isEmpty {
            unit = ("b", 1, false)
        } else if let known = Self.units.first(where: { $0.suffix == unitText }) {
            unit = known
        } else {
            return nil
        }
        let value = (number * unit.factor).rounded()
        guard value < 1e15 else { return nil }
        self.init(bytes: Int(value), binary: unit.binary)
    }

    public var description: String { Self.format(bytes, binary: binary) }

    /// `999 B`, `12.35 kB`, `1.5 MiB`: at most two decimals, trailing zeros dropped.
    public static func format(_ bytes: Int, binary: Bool = false) -> String {
        let step = binary ? 1024.0 : 1000.0
        let names = binary ? ["B", "KiB", "MiB", "GiB", "TiB"] : ["B", "kB", "MB", "GB", "TB"]
        var value = Double(abs(bytes))
        var index = 0
        while value >= step, index < names.count - 1 {
            value /= step
            index += 1
        }
        let sign = bytes < 0 ? "-" : ""
        guard index > 0 else { return "\(sign)\(abs(bytes)) B" }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return "\(sign)\(text) \(names[index])"
    }

    /// What the unit means, for messages: "kB = 1000 bytes".
    public var unitNote: String { binary ? "KiB = 1024 bytes" : "kB = 1000 bytes" }
}

/// `size:` in the configuration: budgets for files the build writes.
public struct SizeSettings: Sendable, Hashable {
    public enum Compression: String, Sendable, Hashable, CaseIterable {
        /// The bytes on disk.
        case none
        /// gzip container from zlib at level 9, as gzip-size (size-limit, bundlewatch) measures.
        case gzip
        /// Brotli at quality 11 with a 4 MiB window (22 bits), as Node's and size-limit's default.
        case brotli
    }

    public struct Budget: Sendable, Hashable {
        public var name: String
        /// Globs from the repository root (`dist/*.js`, `build/**/*.css`).
        public var files: [String]
        /// The total the matched files may reach; nil only tracks size and growth.
        public var max: ByteSize?
        public var compression: Compression
        /// Where the budget is written, for messages.
        public var location: SourceLocation?

        public init(name: String, files: [String], max: ByteSize? = nil, compression: Compression = .none, location: SourceLocation? = nil) {
            self.name = name
            self.files = files
            self.max = max
            self.compression = compression
            self.location = location
        }
    }

    /// How much a budget may grow against the baseline.
    public enum Growth: Sendable, Hashable, CustomStringConvertible {
        case percent(Double)
        case bytes(ByteSize)

        /// `5%`, `2.5 %`, `10 kB`; nil otherwise.
        public init?(parsing text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix("%") {
                guard let value = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)), value.isFinite, value >= 0 else { return nil }
                self = .percent(value)
            } else if let size = ByteSize(parsing: trimmed) {
                self = .bytes(size)
            } else {
                return nil
            }
        }

        public var description: String {
            switch self {
            case .percent(let value): "\(CoverageGates.format(value))"
            case .bytes(let size): size.description
            }
        }

        /// Whether growing from `baseline` by `delta` bytes is allowed.
        func allows(delta: Int, baseline: Int) -> Bool {
            guard delta > 0 else { return true }
            switch self {
            case .percent(let limit):
                // From nothing, any growth is infinite: a budget that was empty is judged by max alone.
                guard baseline > 0 else { return true }
                return Double(delta) * 100 <= limit * Double(baseline) + 1e-9
            case .bytes(let limit):
                return delta <= limit.bytes
            }
        }
    }

    public var budgets: [Budget]
    /// A snapshot written by `gatehouse size --output`, to compare with.
    public var baseline: String?
    public var maxGrowth: Growth?

    public init(budgets: [Budget] = [], baseline: String? = nil, maxGrowth: Growth? = nil) {
        self.budgets = budgets
        self.baseline = baseline
        self.maxGrowth = maxGrowth
    }
}

extension SizeSettings {
    /// The configuration key these settings live under.
    public static let key = "size"

    /// `size:` of rules/gatehouse.yml, validated: an unknown key or a wrong value names its line.
    static func parse(_ size: ConfigMap) throws(GatehouseError) -> SizeSettings {
        try size.rejectUnknownKeys(["budgets", "baseline", "max_growth"])
        var settings = SizeSettings()
        for budget in try size.maps("budgets") ?? [] {
            try budget.rejectUnknownKeys(["name", "files", "max", "compression"])
            guard let name = try budget.string("name"), !name.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw GatehouseError(.invalidConfig, "each of 'size.budgets' needs a 'name'.", at: budget.location(of: "name"))
            }
            guard !settings.budgets.contains(where: { $0.name == name }) else {
                throw GatehouseError(.invalidConfig, "two size budgets are named '\(name)'; give each its own name.", at: budget.location(of: "name"))
            }
            guard let files = try budget.strings("files"), !files.isEmpty, !files.contains(where: \.isEmpty) else {
                throw GatehouseError(
                    .invalidConfig, "the size budget '\(name)' needs 'files', a list of globs from the repository root such as \"dist/*.js\".",
                    at: budget.location(of: "files"))
            }
            var max: ByteSize?
            if let text = try budget.string("max") {
                guard let parsed = ByteSize(parsing: text) else {
                    throw GatehouseError(
                        .invalidConfig,
                        "'max' of the size budget '\(name)' must be a size such as \"250 kB\" (1000 bytes) or \"244 KiB\" (1024 bytes), found '\(text)'.",
                        at: budget.location(of: "max"))
                }
                max = parsed
            }
            var compression = SizeSettings.Compression.none
            if let text = try budget.string("compression") {
                guard let parsed = SizeSettings.Compression(rawValue: text) else {
                    throw GatehouseError(
                        .invalidConfig, "'compression' of the size budget '\(name)' must be none, gzip or brotli, found '\(text)'.",
                        at: budget.location(of: "compression"))
                }
                compression = parsed
            }
            settings.budgets.append(SizeSettings.Budget(name: name, files: files, max: max, compression: compression, location: budget.node.location(in: budget.file)))
        }
        settings.baseline = try size.string("baseline")
        if let text = try size.string("max_growth") {
            guard let growth = SizeSettings.Growth(parsing: text) else {
                throw GatehouseError(
                    .invalidConfig, "'size.max_growth' must be a percentage such as \"5%\" or a size such as \"10 kB\", found '\(text)'.",
                    at: size.location(of: "max_growth"))
            }
            settings.maxGrowth = growth
        }
        return settings
    }
}
