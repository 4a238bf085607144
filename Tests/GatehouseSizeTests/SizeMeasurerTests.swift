import Foundation
import GatehouseCore
import GatehouseTestSupport
@testable import GatehouseSize
import Testing

/// Samples that exercise the compressors differently: text that compresses well, bytes that do
/// not, nothing at all, and files larger than one streaming chunk.
enum SizeSample: String, CaseIterable, CustomTestStringConvertible {
    case empty, oneByte, sourceText, randomBytes, repetitive, largeMixed

    var testDescription: String { rawValue }

    var bytes: [UInt8] {
        switch self {
        case .empty: return []
        case .oneByte: return [0x41]
        case .sourceText:
            // This package's own sources: real code, like a bundle's.
            let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Sources/GatehouseCore/Render")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: sources.path).sorted()) ?? []
            return names.flatMap { Array(FileManager.default.contents(atPath: sources.appendingPathComponent($0).path) ?? Data()) }
        case .randomBytes: return Self.pseudoRandom(count: 300_000, seed: 7)
        case .repetitive: return Array(String(repeating: "function add(a, b) { return a + b; }\n", count: 20_000).utf8)
        case .largeMixed:
            // Several chunks of the measurer's stream, with text and noise interleaved.
            var out: [UInt8] = []
            for round in 0..<12 {
                out += Array(String(repeating: "export const value\(round) = \(round * 31);\n", count: 4_000).utf8)
                out += Self.pseudoRandom(count: 40_000, seed: UInt64(round) + 1)
            }
            return out
        }
    }

    static func pseudoRandom(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }
}

private let brotliTool = (try? run(["brotli", "--version"], in: "/")).map { $0.status == 0 } ?? false
private let python = (try? run(["python3", "-c", "import zlib"], in: "/")).map { $0.status == 0 } ?? false

private func temporaryFile(_ bytes: [UInt8]) throws -> String {
    let path = NSTemporaryDirectory() + "gatehouse-size-\(UUID().uuidString)"
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

@Suite struct SizeMeasurerTests {
    @Test(arguments: SizeSample.allCases)
    func rawSizeIsTheFileSize(sample: SizeSample) throws {
        let path = try temporaryFile(sample.bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SizeMeasurer.size(ofFile: path, compression: .none) == sample.bytes.count)
    }

    /// Python's zlib with the same settings (level 9, gzip container) must produce the same number
    /// of bytes: it is the same library, so any difference is a bug in how the stream is driven.
    @Test(.enabled(if: python, "python3 with zlib is not installed"), arguments: SizeSample.allCases)
    func gzipSizeMatchesZlibFromPython(sample: SizeSample) throws {
        let path = try temporaryFile(sample.bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let oracle = try run([
            "python3", "-c",
            "import sys, zlib\nc = zlib.compressobj(9, zlib.DEFLATED, 31)\ndata = open(sys.argv[1], 'rb').read()\nprint(len(c.compress(data) + c.flush()))",
            path,
        ], in: "/")
        try #require(oracle.status == 0, "\(oracle.stderr)")
        let expected = Int(oracle.output.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try SizeMeasurer.size(ofFile: path, compression: .gzip) == expected)
        #expect(try SizeMeasurer.size(of: sample.bytes, compression: .gzip) == expected)
    }

    /// Debian's `brotli` tool is built on the same libbrotli: at quality 11 and window 22 it must
    /// write exactly as many bytes as the measurer counts.
    @Test(.enabled(if: brotliTool, "the brotli tool is not installed (apt-get install brotli)"), arguments: SizeSample.allCases)
    func brotliSizeMatchesTheBrotliTool(sample: SizeSample) throws {
        let path = try temporaryFile(sample.bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let oracle = try run(["brotli", "-q", "11", "-w", "22", "-c", path], in: "/")
        try #require(oracle.status == 0, "\(oracle.stderr)")
        #expect(try SizeMeasurer.size(ofFile: path, compression: .brotli) == oracle.stdout.count)
    }

    @Test func compressedSizesAreSmallerForText() throws {
        let text = SizeSample.repetitive.bytes
        let gzip = try SizeMeasurer.size(of: text, compression: .gzip)
        let brotli = try SizeMeasurer.size(of: text, compression: .brotli)
        #expect(gzip < text.count / 50)
        #expect(brotli < gzip)
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        #expect {
            _ = try SizeMeasurer.size(ofFile: "/nonexistent/bundle.js", compression: .gzip, displayPath: "dist/bundle.js")
        } throws: { error in
            let error = error as? GatehouseError
            return error?.kind == .unreadableFile && error?.description.contains("dist/bundle.js") == true
        }
    }

    @Test func budgetsTotalTheirFilesAndShareMeasurements() throws {
        let root = NSTemporaryDirectory() + "gatehouse-size-tree-\(UUID().uuidString)/"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let files: [String: [UInt8]] = [
            "dist/app.js": SizeSample.repetitive.bytes,
            "dist/vendor.js": SizeSample.sourceText.bytes,
            "dist/app.css": Array("body { color: red }\n".utf8),
            "dist/nested/chunk.js": SizeSample.randomBytes.bytes,
        ]
        for (path, bytes) in files {
            try FileManager.default.createDirectory(atPath: root + (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: root + path))
        }
        let budgets = [
            SizeSettings.Budget(name: "js", files: ["dist/*.js"], compression: .gzip),
            SizeSettings.Budget(name: "all", files: ["dist/**/*.js", "dist/*.css"], compression: .none),
            SizeSettings.Budget(name: "app-br", files: ["dist/app.js"], compression: .brotli),
            SizeSettings.Budget(name: "images", files: ["dist/*.png"], compression: .none),
        ]
        let measured = try SizeMeasurer.measure(budgets, root: root)
        #expect(measured.map(\.name) == ["js", "all", "app-br", "images"])
        #expect(measured[0].files.map(\.path) == ["dist/app.js", "dist/vendor.js"])
        let appGzip = try SizeMeasurer.size(of: files["dist/app.js"]!, compression: .gzip)
        let vendorGzip = try SizeMeasurer.size(of: files["dist/vendor.js"]!, compression: .gzip)
        #expect(measured[0].size == appGzip + vendorGzip)
        #expect(measured[1].files.map(\.path) == ["dist/app.css", "dist/app.js", "dist/nested/chunk.js", "dist/vendor.js"])
        #expect(measured[1].size == files.values.reduce(0) { $0 + $1.count })
        #expect(measured[2].size == (try SizeMeasurer.size(of: files["dist/app.js"]!, compression: .brotli)))
        #expect(measured[3].files.isEmpty)
    }
}
