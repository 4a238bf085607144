import Foundation
@testable import GatehouseCore
import GatehouseTestSupport
import PropertyBased
import Testing

@Suite("size: units, configuration, snapshots and the gate")
struct SizeGateTests {
    // MARK: Units

    @Test(arguments: [
        ("250 kB", 250_000, false), ("250kB", 250_000, false), ("250 KB", 250_000, false), ("250 kb", 250_000, false),
        ("244 KiB", 249_856, true), ("1.5 MiB", 1_572_864, true), ("1 MB", 1_000_000, false), ("2 GB", 2_000_000_000, false),
        ("300 B", 300, false), ("4096", 4096, false), (" 12.5 k ", 12_500, false), ("0", 0, false), ("1 GiB", 1_073_741_824, true),
    ])
    func sizesParse(text: String, bytes: Int, binary: Bool) throws {
        let size = try #require(ByteSize(parsing: text))
        #expect(size.bytes == bytes)
        #expect(size.binary == binary)
    }

    @Test(arguments: ["", "kB", "1..2 kB", "-5 kB", "5 XB", "1e3", "5 kB extra", ".", "99999999999999 GB", "five kB"])
    func nonsenseIsNoSize(text: String) {
        #expect(ByteSize(parsing: text) == nil)
    }

    @Test(arguments: [
        (999, false, "999 B"), (1000, false, "1 kB"), (12_340, false, "12.34 kB"), (250_000, false, "250 kB"),
        (1536, true, "1.5 KiB"), (1_500_000, false, "1.5 MB"), (-2048, true, "-2 KiB"), (0, false, "0 B"),
    ])
    func sizesFormat(bytes: Int, binary: Bool, expected: String) {
        #expect(ByteSize.format(bytes, binary: binary) == expected)
    }

    @Test func formattedLimitsParseBack() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...2_000_000_000), Gen.bool) { bytes, binary in
            let text = ByteSize.format(bytes, binary: binary)
            let parsed = ByteSize(parsing: text)
            #expect(parsed != nil, "\(text)")
            // Two decimals keep the value within half a hundredth of its unit.
            if let parsed { #expect(abs(parsed.bytes - bytes) <= max(1, bytes / 200), "\(text) -> \(parsed.bytes)") }
        }
    }

    @Test func growthLimits() throws {
        let percent = try #require(SizeSettings.Growth(parsing: "5%"))
        #expect(percent.allows(delta: 5, baseline: 100))
        #expect(!percent.allows(delta: 6, baseline: 100))
        #expect(percent.allows(delta: -50, baseline: 100))
        #expect(percent.allows(delta: 1_000, baseline: 0), "from nothing, only max judges")
        let bytes = try #require(SizeSettings.Growth(parsing: "2 kB"))
        #expect(bytes.allows(delta: 2000, baseline: 1))
        #expect(!bytes.allows(delta: 2001, baseline: 1_000_000))
        #expect(SizeSettings.Growth(parsing: "lots") == nil)
        #expect(SizeSettings.Growth(parsing: "-5%") == nil)
    }

    // MARK: Configuration

    func parse(_ text: String) throws(GatehouseError) -> GatehouseConfig {
        try GatehouseConfig.parse(Data(text.utf8), file: "rules/gatehouse.yml")
    }

    @Test func everySizeKeyIsRead() throws {
        let config = try parse("""
            size:
              budgets:
                - {name: app, files: ["dist/*.js", "dist/**/*.mjs"], max: "250 kB", compression: gzip}
                - name: styles
                  files: dist/app.css
                  max: 20 KiB
                  compression: brotli
                - {name: raw, files: [build/app]}
              baseline: .gatehouse/size-base.json
              max_growth: 5%
            """)
        #expect(config.size.budgets.map(\.name) == ["app", "styles", "raw"])
        #expect(config.size.budgets[0].files == ["dist/*.js", "dist/**/*.mjs"])
        #expect(config.size.budgets[0].max == ByteSize(bytes: 250_000))
        #expect(config.size.budgets[0].compression == .gzip)
        #expect(config.size.budgets[1].files == ["dist/app.css"])
        #expect(config.size.budgets[1].max == ByteSize(bytes: 20_480, binary: true))
        #expect(config.size.budgets[1].location?.line == 4)
        #expect(config.size.budgets[2].max == nil && config.size.budgets[2].compression == .none)
        #expect(config.size.baseline == ".gatehouse/size-base.json")
        #expect(config.size.maxGrowth == .percent(5))
    }

    @Test(arguments: [
        ("size: {budgets: [{files: [a]}]}", "needs a 'name'", 1),
        ("size:\n  budgets:\n    - {name: a}", "needs 'files'", 3),
        ("size:\n  budgets:\n    - {name: a, files: []}", "needs 'files'", 3),
        ("size:\n  budgets:\n    - {name: a, files: [x], max: huge}", "must be a size such as \"250 kB\" (1000 bytes)", 3),
        ("size:\n  budgets:\n    - {name: a, files: [x], compression: zstd}", "must be none, gzip or brotli", 3),
        ("size:\n  budgets:\n    - {name: a, files: [x]}\n    - {name: a, files: [y]}", "two size budgets are named 'a'", 4),
        ("size:\n  budgets:\n    - {name: a, files: [x], limit: 3 kB}", "unknown key 'limit' under 'size.budgets[0]'", 3),
        ("size: {max_growth: a lot}", "'size.max_growth' must be a percentage such as \"5%\"", 1),
        ("size: {budget: []}", "unknown key 'budget' under 'size'", 1),
        ("size: [a]", "'size' must be a mapping", 1),
    ])
    func badSizeSettingsNameTheLine(text: String, message: String, line: Int) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let error = error as? GatehouseError else { return false }
            return error.kind == .invalidConfig && error.message.contains(message) && error.location?.line == line
                && error.location?.file == "rules/gatehouse.yml"
        }
    }

    // MARK: Snapshots

    static let snapshot = SizeSnapshot(
        budgets: [
            BudgetMeasurement(name: "app", compression: .gzip, files: [.init(path: "dist/a.js", size: 1200), .init(path: "dist/b.js", size: 300)]),
            BudgetMeasurement(name: "styles \"main\"", compression: .brotli, files: [.init(path: "dist/ü.css", size: 99)]),
        ],
        commit: "0123456789abcdef0123456789abcdef01234567")

    @Test func snapshotsRoundTrip() throws {
        let bytes = Self.snapshot.json(generator: "gatehouse test")
        #expect(try SizeSnapshot.parse(bytes, displayPath: "base.json") == Self.snapshot)
    }

    @Test(arguments: [
        ("{\"budgets\": []}", "not a Gatehouse size snapshot", 1),
        ("{\"schemaVersion\": 2, \"budgets\": []}", "version 2", 1),
        ("{\"schemaVersion\": 1,\n \"budgets\": [{\"compression\": \"gzip\"}]}", "has no 'name'", 2),
        ("{\"schemaVersion\": 1, \"budgets\": [{\"name\": \"a\", \"compression\": \"lzma\"}]}", "must be none, gzip or brotli", 1),
        ("{\"schemaVersion\": 1,\n\"budgets\": [{\"name\": \"a\",\n \"size\": 5, \"files\": [{\"path\": \"x\", \"size\": 4}]}]}", "add up to 4", 3),
        ("{\"schemaVersion\": 1, \"budgets\": [{\"name\": \"a\", \"files\": [{\"path\": \"x\", \"size\": -1}]}]}", "0 or more bytes", 1),
        ("{\"schemaVersion\": 1, \"budgets\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}", "appears twice", 1),
        ("{\"schemaVersion\": 1, \"budgets\": [", "cut short", 1),
    ])
    func badSnapshotsNameTheLine(text: String, message: String, line: Int) {
        #expect {
            _ = try SizeSnapshot.parse(Array(text.utf8), displayPath: "base.json")
        } throws: { error in
            guard let error = error as? GatehouseError else { return false }
            return error.kind == .invalidReport && error.message.contains(message) && error.location?.line == line
                && error.location?.file == "base.json"
        }
    }

    @Test func mutatedSnapshotsNeverCrash() async {
        let original = Self.snapshot.json(generator: "gatehouse test")
        await propertyCheck(count: 500, input: Gen.int(in: 0...100_000).array(of: 0...8)) { edits in
            let bytes = mutate(original, edits: edits)
            do throws(GatehouseError) {
                let parsed = try SizeSnapshot.parse(bytes, displayPath: "base.json")
                #expect(parsed.budgets.allSatisfy { budget in budget.files.allSatisfy { $0.size >= 0 } })
            } catch {
                #expect(error.location?.file == "base.json" && error.location?.line != nil, "\(error)")
            }
        }
    }

    // MARK: The gate

    static let settings = SizeSettings(
        budgets: [
            .init(name: "app", files: ["dist/*.js"], max: ByteSize(bytes: 1600), compression: .gzip),
            .init(name: "styles \"main\"", files: ["dist/*.css"], max: ByteSize(bytes: 1024, binary: true), compression: .brotli),
        ],
        maxGrowth: .percent(5))

    func measured(app: Int, styles: Int) -> [BudgetMeasurement] {
        [
            BudgetMeasurement(name: "app", compression: .gzip, files: [.init(path: "dist/a.js", size: app)]),
            BudgetMeasurement(name: "styles \"main\"", compression: .brotli, files: [.init(path: "dist/ü.css", size: styles)]),
        ]
    }

    @Test func withinBudgetAndGrowthPasses() {
        let gate = SizeGate.evaluate(settings: Self.settings, measured: measured(app: 1575, styles: 99), baseline: Self.snapshot)
        #expect(gate.status == .pass)
        #expect(gate.details.size?.map(\.delta) == [75, 0])
        #expect(gate.details.size?.map(\.baseline) == [1500, 99])
        #expect(gate.message == "2 budgets within limits.")
    }

    @Test func overTheMaximumFailsSayingTheUnit() throws {
        let gate = SizeGate.evaluate(settings: Self.settings, measured: measured(app: 1601, styles: 2000), baseline: nil)
        #expect(gate.status == .fail)
        let app = try #require(gate.details.size?.first)
        #expect(app.status == .fail)
        #expect(app.reasons == ["1.6 kB gzipped is over the budget of 1.6 kB by 1 B (kB = 1000 bytes)"])
        let styles = try #require(gate.details.size?.last)
        #expect(styles.reasons == ["1.95 KiB with brotli is over the budget of 1 KiB by 976 B (KiB = 1024 bytes)"])
        #expect(app.delta == nil && app.baseline == nil)
    }

    @Test func growingTooMuchFails() throws {
        let gate = SizeGate.evaluate(settings: Self.settings, measured: measured(app: 1576, styles: 99), baseline: Self.snapshot)
        #expect(gate.status == .fail)
        let app = try #require(gate.details.size?.first)
        #expect(app.reasons == ["grew by 76 B (+5.1%) against the baseline, more than max_growth 5%"])
        #expect(SizeGate.describeDelta(app) == "+76 B (+5.1%)")
    }

    @Test func aBudgetThatMatchesNothingFails() throws {
        let gate = SizeGate.evaluate(settings: Self.settings, measured: [measured(app: 10, styles: 1)[0]], baseline: nil)
        #expect(gate.status == .fail)
        let styles = try #require(gate.details.size?.last)
        #expect(styles.files.isEmpty && styles.status == .fail)
        #expect(styles.reasons.first?.contains("no file matches dist/*.css") == true)
        #expect(gate.message.contains("1 of 2 budgets failed: styles \"main\""))
    }

    @Test func newBudgetsAndChangedCompressionAreNotCompared() throws {
        var settings = Self.settings
        settings.budgets[1].compression = .gzip
        settings.budgets.append(.init(name: "new", files: ["x"]))
        var measuredNow = measured(app: 1500, styles: 5000)
        measuredNow[1].compression = .gzip
        measuredNow.append(BudgetMeasurement(name: "new", compression: .none, files: [.init(path: "x", size: 1)]))
        settings.budgets[1].max = nil
        let gate = SizeGate.evaluate(settings: settings, measured: measuredNow, baseline: Self.snapshot, baselineNote: "compared with base.json")
        #expect(gate.status == .pass)
        #expect(gate.details.size?[1].delta == nil)
        #expect(gate.details.size?[1].reasons.first?.contains("compression brotli, not gzip") == true)
        #expect(gate.details.size?[2].reasons == ["new: the baseline has no budget of this name"])
        #expect(gate.notes == ["compared with base.json"])
    }

    @Test func noBudgetsSkips() {
        #expect(SizeGate.evaluate(settings: SizeSettings(), measured: [], baseline: nil).status == .skip)
    }
}
