import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse --version` names the libraries the binary runs with, so a bug report carries them;
/// pkg-config (what the build linked against) is the oracle.
@Suite("gatehouse --version")
struct VersionTests {
    static func modversion(_ package: String) -> String? {
        guard let result = try? run(["pkg-config", "--modversion", package], in: "/"), result.status == 0 else { return nil }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func namesGatehouseAndTheLibrariesInUse() throws {
        let result = try GatehouseCLI.run(["--version"], in: "/")
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result.output)")
        #expect(lines.first?.hasPrefix("gatehouse ") == true)
        let version = try #require(lines.first?.dropFirst("gatehouse ".count))
        #expect(version.split(separator: ".").count == 3 && version.allSatisfy { $0.isNumber || $0 == "." }, "\(version)")
        for (name, package) in [("libgit2", "libgit2"), ("zlib", "zlib"), ("brotli", "libbrotlienc")] {
            let line = try #require(lines.first { $0.hasPrefix(name + " ") }, "no \(name) line in \(result.output)")
            if let expected = Self.modversion(package) {
                #expect(line == "\(name) \(expected)")
            } else {
                #expect(line.split(separator: " ").last?.split(separator: ".").count == 3, "\(line)")
            }
        }
    }
}
