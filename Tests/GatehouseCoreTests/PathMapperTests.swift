import GatehouseCore
import Testing

@Suite("PathMapper: report paths to repository paths")
struct PathMapperTests {
    let files: [RepoPath] = [
        "src/main/java/com/example/Foo.java", "src/app/util.py", "lib/src/app/util.py",
        "pkg/a/handler.go", "pkg/b/handler.go", "README.md",
    ]
    var mapper: PathMapper { PathMapper(repositoryFiles: files, root: "/work/repo") }

    @Test(arguments: [
        // The repository's own folder (gcov, llvm-cov on this machine).
        ("/work/repo/src/app/util.py", [String](), "src/app/util.py"),
        // Relative to the repository, with ./ and .. folded.
        ("./src/app/../app/util.py", [], "src/app/util.py"),
        // Relative to a Cobertura source root, absolute or not.
        ("util.py", ["/work/repo/lib/src/app"], "lib/src/app/util.py"),
        ("app/util.py", ["lib/src"], "lib/src/app/util.py"),
        // A JaCoCo package path: the one file that ends with it.
        ("com/example/Foo.java", [], "src/main/java/com/example/Foo.java"),
        // Another machine's checkout: the longest matching tail names the file.
        ("/home/runner/work/app/app/lib/src/app/util.py", [], "lib/src/app/util.py"),
        ("/home/runner/work/app/app/src/app/util.py", [], "src/app/util.py"),
    ])
    func maps(_ reportPath: String, _ roots: [String], _ expected: String) {
        #expect(mapper.map(reportPath, sourceRoots: roots) == .mapped(RepoPath(expected)))
    }

    @Test func aShortPathThatFitsSeveralFilesIsAmbiguous() {
        #expect(mapper.map("handler.go") == .ambiguous(["pkg/a/handler.go", "pkg/b/handler.go"]))
        #expect(mapper.map("a/handler.go") == .mapped("pkg/a/handler.go"))
    }

    @Test func untrackedFilesInsideTheRepositoryAreNotWarnedAbout() {
        // Dependencies and build output: inside the folder, not tracked, and not suffix-matched.
        #expect(mapper.map("/work/repo/.build/checkouts/dep/Sources/README.md") == .untracked)
        #expect(mapper.map("/elsewhere/unknown.py") == .unmapped)
    }

    @Test func rewritesComeFirst() {
        let rewriting = PathMapper(repositoryFiles: files, root: "/work/repo", rewrites: [.init(from: "/ci/build/", to: "lib/")])
        #expect(rewriting.map("/ci/build/src/app/util.py") == .mapped("lib/src/app/util.py"))
    }
}
