/// What one budget measured: its files and their total, in the budget's compression.
public struct BudgetMeasurement: Sendable, Hashable {
    public struct File: Sendable, Hashable {
        /// From the repository root.
        public var path: String
        public var size: Int

        public init(path: String, size: Int) {
            self.path = path
            self.size = size
        }

        /// `[{"path", "size"}]`, as the snapshot and the check's JSON both write files.
        static func write(_ files: [File], to w: inout JSONWriter) {
            w.beginArray()
            for file in files {
                w.beginObject()
                w.key("path"); w.string(file.path)
                w.key("size"); w.int(file.size)
                w.endObject()
            }
            w.endArray()
        }
    }

    public var name: String
    public var compression: SizeSettings.Compression
    public var files: [File]

    public init(name: String, compression: SizeSettings.Compression, files: [File]) {
        self.name = name
        self.compression = compression
        self.files = files
    }

    /// A budget covers the total of its files, each compressed on its own as a server sends it.
    /// Saturates at Int.max: a snapshot is user input, and a total that large fails any budget anyway.
    public var size: Int {
        files.reduce(0) { total, file in
            let (sum, overflow) = total.addingReportingOverflow(file.size)
            return overflow ? (file.size > 0 ? .max : .min) : sum
        }
    }
}

/// The sizes of every budget at one commit: what `gatehouse size --output` writes, and what a
/// later run reads as its `baseline`, so CI can compare with the base branch without a service.
public struct SizeSnapshot: Sendable, Hashable {
    public var budgets: [BudgetMeasurement]
    /// The commit measured, when known.
    public var commit: String?

    public init(budgets: [BudgetMeasurement], commit: String? = nil) {
        self.budgets = budgets
        self.commit = commit
    }

    public static let schemaVersion = 1
    /// The largest size a snapshot may give a file or a budget, 2^53 bytes (8 PiB): far beyond any
    /// build output, exact as a Double, and far enough from Int.max that differences cannot overflow.
    public static let maxBytes = 1 << 53

    public func json(generator: String) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("schemaVersion"); w.int(Self.schemaVersion)
        w.key("generator"); w.string(generator)
        w.key("commit"); w.string(commit)
        w.key("budgets")
        w.beginArray()
        for budget in budgets {
            w.beginObject()
            w.key("name"); w.string(budget.name)
            w.key("compression"); w.string(budget.compression.rawValue)
            w.key("size"); w.int(budget.size)
            w.key("files"); BudgetMeasurement.File.write(budget.files, to: &w)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.document
    }

    /// The largest snapshot read: one holds a few lines per measured file.
    public static let maxFileBytes = 64 << 20

    /// Reads a snapshot; anything else is an error naming the file, the line and what to do.
    public static func parse(_ bytes: [UInt8], displayPath: String) throws(GatehouseError) -> SizeSnapshot {
        let formatName = "size snapshot"
        let reader = LintJSONReader(displayPath: displayPath, formatName: formatName)
        let root = try LintJSON.parse(bytes, displayPath: displayPath, formatName: formatName)
        let members = try reader.object(root, "the document")
        guard let version = try reader.optionalInteger(members["schemaVersion"], "'schemaVersion'") else {
            throw reader.error(
                "this is not a Gatehouse size snapshot (no 'schemaVersion'). Write the baseline with `gatehouse size --output FILE`.",
                line: root.line)
        }
        guard version == schemaVersion else {
            throw reader.error(
                "size snapshot version \(version) is not one this Gatehouse reads (\(schemaVersion)). Write the baseline again with this version of `gatehouse size --output`.",
                line: members["schemaVersion"]?.line)
        }
        var budgets: [BudgetMeasurement] = []
        for node in try reader.array(members["budgets"] ?? LintJSON(value: .null, line: root.line), "'budgets'") {
            let budget = try reader.object(node, "a budget")
            guard let name = try reader.optionalString(budget["name"], "a budget's 'name'") else {
                throw reader.error("a budget has no 'name'. Write the baseline again with `gatehouse size --output FILE`.", line: node.line)
            }
            let compressionName = try reader.optionalString(budget["compression"], "'compression'") ?? "none"
            guard let compression = SizeSettings.Compression(rawValue: compressionName) else {
                throw reader.error(
                    "the budget '\(name)' has compression '\(compressionName)'; it must be none, gzip or brotli. Write the baseline again.",
                    line: budget["compression"]?.line)
            }
            var files: [BudgetMeasurement.File] = []
            var total = 0
            for fileNode in try reader.optionalArray(budget["files"], "'files'") {
                let file = try reader.object(fileNode, "a file of '\(name)'")
                guard let path = try reader.optionalString(file["path"], "a file's 'path'"),
                      let size = try reader.optionalInteger(file["size"], "a file's 'size'"), size >= 0 else {
                    throw reader.error(
                        "a file of the budget '\(name)' needs a 'path' and a 'size' of 0 or more bytes. Write the baseline again.", line: fileNode.line)
                }
                guard size <= maxBytes else {
                    throw reader.error(
                        "the file \(path) of the budget '\(name)' has a size of \(size) bytes, more than the \(maxBytes) a snapshot can hold. Write the baseline again with `gatehouse size --output`.",
                        line: file["size"]?.line ?? fileNode.line)
                }
                let (sum, overflow) = total.addingReportingOverflow(size)
                guard !overflow, sum <= maxBytes else {
                    throw reader.error(
                        "the files of the budget '\(name)' add up to more than \(maxBytes) bytes, more than a snapshot can hold. Write the baseline again with `gatehouse size --output`.",
                        line: file["size"]?.line ?? fileNode.line)
                }
                total = sum
                files.append(BudgetMeasurement.File(path: path, size: size))
            }
            let measurement = BudgetMeasurement(name: name, compression: compression, files: files)
            // The total is written for people reading the file; the files are the truth, but a
            // total that disagrees means the file was edited by hand or cut, so say so.
            if let total = try reader.optionalInteger(budget["size"], "'size'"), total != measurement.size {
                throw reader.error(
                    "the budget '\(name)' says its size is \(total) bytes but its files add up to \(measurement.size). Write the baseline again with `gatehouse size --output`.",
                    line: budget["size"]?.line)
            }
            guard !budgets.contains(where: { $0.name == name }) else {
                throw reader.error("the budget '\(name)' appears twice. Write the baseline again.", line: node.line)
            }
            budgets.append(measurement)
        }
        return SizeSnapshot(budgets: budgets, commit: try reader.optionalString(members["commit"], "'commit'"))
    }
}
