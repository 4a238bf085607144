import Foundation
import GatehouseCore
import Testing

@Suite("ReportFinder: report globs")
struct ReportFinderTests {
    func folder() throws -> String {
        let root = NSTemporaryDirectory() + "gatehouse-reports-" + UUID().uuidString + "/"
        let fm = FileManager.default
        for dir in ["coverage", "a/b/coverage", "build/debug-real/codecov", ".git/coverage"] {
            try fm.createDirectory(atPath: root + dir, withIntermediateDirectories: true)
        }
        for file in ["coverage/lcov.info", "a/b/coverage/lcov.info", "build/debug-real/codecov/App.json", ".git/coverage/lcov.info", "a/notes.txt"] {
            #expect(fm.createFile(atPath: root + file, contents: Data("x".utf8)), "\(file)")
        }
        // A link named in a pattern is followed; a cycle under ** is not walked into.
        try fm.createSymbolicLink(atPath: root + "build/debug", withDestinationPath: root + "build/debug-real")
        try fm.createSymbolicLink(atPath: root + "a/b/loop", withDestinationPath: root + "a")
        return root
    }

    @Test func expandsGlobsAndReportsWhatIsMissing() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (found, missing) = try ReportFinder.expand(["coverage/*.info", "build/debug/codecov/*.json", "nothing/*.xml"], root: root)
        #expect(found == [root + "coverage/lcov.info", root + "build/debug/codecov/App.json"])
        #expect(missing == ["nothing/*.xml"])
    }

    @Test func globstarFindsEveryDepthButNotThroughLinksOrGit() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (found, _) = try ReportFinder.expand(["**/lcov.info"], root: root)
        #expect(found == [root + "a/b/coverage/lcov.info", root + "coverage/lcov.info"])
    }

    @Test func trailingGlobstarMatchesEveryFileBelow() throws {
        let root = try folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (found, missing) = try ReportFinder.expand(["a/**", "build/**"], root: root)
        #expect(found == [root + "a/b/coverage/lcov.info", root + "a/notes.txt", root + "build/debug-real/codecov/App.json"])
        #expect(missing.isEmpty)
    }

    @Test func wildcardsLeaveHiddenFilesAndFoldersOutUnlessThePatternNamesThem() throws {
        let root = NSTemporaryDirectory() + "gatehouse-dots-" + UUID().uuidString + "/"
        defer { try? FileManager.default.removeItem(atPath: root) }
        for dir in ["dist/.cache", "dist/chunks"] { try FileManager.default.createDirectory(atPath: root + dir, withIntermediateDirectories: true) }
        for file in ["dist/app.js", "dist/.hidden.js", "dist/.cache/c.js", "dist/chunks/a.js"] {
            #expect(FileManager.default.createFile(atPath: root + file, contents: Data("x".utf8)), "\(file)")
        }
        #expect(try ReportFinder.expand(["dist/**/*.js"], root: root).found == [root + "dist/app.js", root + "dist/chunks/a.js"])
        #expect(try ReportFinder.expand(["dist/*.js"], root: root).found == [root + "dist/app.js"])
        #expect(try ReportFinder.expand(["dist/.*.js", "dist/.cache/*.js"], root: root).found == [root + "dist/.hidden.js", root + "dist/.cache/c.js"])
    }

    /// A FIFO would block whoever reads it forever; a dangling link has nothing to read.
    @Test func onlyRegularFilesMatch() throws {
        let root = NSTemporaryDirectory() + "gatehouse-fifo-" + UUID().uuidString + "/"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "out", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: root + "out/app.js", contents: Data("x".utf8)))
        #expect(mkfifo(root + "out/pipe", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: root + "out/dangling", withDestinationPath: root + "nowhere")
        try FileManager.default.createSymbolicLink(atPath: root + "out/link.js", withDestinationPath: root + "out/app.js")
        #expect(try ReportFinder.expand(["out/**"], root: root).found == [root + "out/app.js", root + "out/link.js"])
        #expect(try ReportFinder.expand(["out/pipe"], root: root).missing == ["out/pipe"])
    }
}
