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

@Suite("RepositoryFiles: the tree is listed only when a path needs it")
struct RepositoryFilesTests {
    final class Counter: @unchecked Sendable {
        var lookups = 0
        var listings = 0
    }

    static func files(_ counter: Counter, fail: Bool = false) -> RepositoryFiles {
        let all: [RepoPath] = ["src/app/util.py", "lib/src/app/util.py", "README.md"]
        return RepositoryFiles(contains: { path in
            counter.lookups += 1
            return all.contains(path)
        }, list: {
            counter.listings += 1
            if fail { throw GatehouseError(.git, "broken tree") }
            return all
        })
    }

    @Test func exactPathsAreLookedUpWithoutListing() {
        let counter = Counter()
        let mapper = PathMapper(files: Self.files(counter), root: "/work/repo")
        #expect(mapper.map("/work/repo/src/app/util.py") == .mapped("src/app/util.py"))
        #expect(mapper.map("README.md") == .mapped("README.md"))
        #expect(mapper.map("/work/repo/.build/gen.py") == .untracked)
        #expect(counter.listings == 0)
        #expect(counter.lookups == 3)
    }

    @Test func aTailMatchListsOnceAndAgreesWithTheEagerMapper() {
        let counter = Counter()
        let lazy = PathMapper(files: Self.files(counter), root: "/work/repo")
        let eager = PathMapper(repositoryFiles: ["src/app/util.py", "lib/src/app/util.py", "README.md"], root: "/work/repo")
        for path in ["/ci/checkout/lib/src/app/util.py", "app/util.py", "/ci/x/README.md", "nothing.py"] {
            #expect(lazy.map(path) == eager.map(path), "\(path)")
        }
        #expect(counter.listings == 1)
    }

    @Test func manyLookupsTurnIntoOneListing() {
        let counter = Counter()
        let mapper = PathMapper(files: Self.files(counter), root: nil)
        for _ in 0..<(RepositoryFiles.lookupsBeforeListing + 50) { _ = mapper.map("README.md") }
        #expect(counter.lookups == RepositoryFiles.lookupsBeforeListing)
        #expect(counter.listings == 1)
    }

    @Test func aFailedListingIsKeptForTheCaller() {
        let counter = Counter()
        let files = Self.files(counter, fail: true)
        #expect(PathMapper(files: files, root: nil).map("elsewhere/util.py") == .unmapped)
        #expect(files.listingFailure != nil)
    }
}
