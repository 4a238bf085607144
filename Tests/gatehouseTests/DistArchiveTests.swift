import Foundation
import GatehouseTestSupport
import Testing

/// The release archive on a clean Debian 12 root (scripts/dist-smoke.sh): no Swift, no -dev
/// package, only the run-time libraries and git. It builds the archive (`make dist`, minutes)
/// and a root file system (debootstrap, as root, from Debian's mirror), so it runs only when
/// GATEHOUSE_DIST_TEST=1 asks for it.
@Suite("Release archive on a clean system")
struct DistArchiveTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let enabled = ProcessInfo.processInfo.environment["GATEHOUSE_DIST_TEST"] == "1"

    @Test(.enabled(if: enabled, "builds a release archive and a Debian root with debootstrap (minutes, root, network): set GATEHOUSE_DIST_TEST=1"))
    func theArchiveRunsAndGatesAPushOnCleanDebian() throws {
        let dist = try run(["scripts/dist.sh"], in: Self.root)
        #expect(dist.status == 0, "\(dist.stderr)")
        let archive = try #require(dist.output.split(separator: "\n").last.map(String.init), "make dist named no archive")
        #expect(archive.hasSuffix(".tar.gz"))
        let smoke = try run(["scripts/dist-smoke.sh", archive], in: Self.root)
        #expect(smoke.status == 0, "\(smoke.output)\n\(smoke.stderr)")
        let output = smoke.output
        #expect(output.contains("gatehouse 0.") && output.contains("libgit2 1.5"), "\(output)")
        #expect(output.contains("FAIL coverage.changed_lines: 50% of 2 changed lines covered"), "\(output)")
        #expect(output.contains("check exit 1"), "\(output)")
        #expect(output.contains("push refused: a gate failed") && output.contains("remote refs: refs/heads/main"), "\(output)")
        #expect(output.contains("dist-smoke: passed"), "\(output)")
    }
}
