import Foundation
import GatehouseCore
import GatehouseGit
import GatehouseTestSupport
import Testing

/// `workTreeDiffers` says which files' work-tree content is not what a commit holds, as
/// `git diff --quiet COMMIT -- PATH` would (filters applied), without reading the index.
@Suite struct WorkTreeDiffersTests {
    @Test func editedMissingAndUnchangedFiles() throws {
        let repo = try TestRepository()
        try repo.write("same.txt", "same\n")
        try repo.write("edited.txt", "before\n")
        try repo.write("gone.txt", "here\n")
        try repo.write("crlf.txt", "one\ntwo\n")
        _ = try run(["ln", "-s", "same.txt", "link"], in: repo.path)
        try repo.commit("base")
        try repo.git(["config", "core.autocrlf", "true"])
        // Checked out with CRLF, stored with LF: the same content to git.
        try repo.write("crlf.txt", "one\r\ntwo\r\n")
        try repo.write("edited.txt", "after\n")
        try FileManager.default.removeItem(atPath: repo.path + "/gone.txt")
        let paths: [RepoPath] = ["same.txt", "edited.txt", "gone.txt", "crlf.txt", "link", "not-in-commit.txt"]
        let differing = try Repository(discoveringFrom: repo.path).workTreeDiffers(from: "HEAD", paths: paths)
        #expect(differing == ["edited.txt", "gone.txt"])
        // git agrees, file by file.
        for path in paths.dropLast() {
            let quiet = try repo.git(["diff", "--quiet", "HEAD", "--", path.string], allowFailure: true).status
            #expect((quiet != 0) == differing.contains(path), "\(path)")
        }
    }
}
