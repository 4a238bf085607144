/// Maps the paths a coverage report names to repository paths.
///
/// Reports name files absolutely (gcov, llvm-cov: often a CI machine's checkout folder),
/// relative to a source root (Cobertura), as a package path (JaCoCo, Go), or relative to the
/// repository. In order: configured rewrites, the repository root prefix, the report's source
/// roots, the path as it is, then the one repository file whose path ends with it.
public struct PathMapper {
    public struct Rewrite: Sendable, Hashable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public enum Result: Sendable, Hashable {
        case mapped(RepoPath)
        case unmapped
        /// Inside the repository's folder but not a tracked file (build output, dependencies):
        /// not this repository's code, and not worth a warning.
        case untracked
        /// Several repository files end with the report's path; none is taken.
        case ambiguous([RepoPath])
    }

    public let files: RepositoryFiles
    /// The repository's folder with a trailing slash, to strip from absolute paths.
    let root: String?
    let rewrites: [Rewrite]

    public init(repositoryFiles: [RepoPath], root: String?, rewrites: [Rewrite] = []) {
        self.init(files: RepositoryFiles(repositoryFiles), root: root, rewrites: rewrites)
    }

    public init(files: RepositoryFiles, root: String?, rewrites: [Rewrite] = []) {
        self.files = files
        self.root = root.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.rewrites = rewrites
    }

    static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Collapses `./`, `//` and `a/../` so that textual prefixes and suffixes compare.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.replacingOccurrences(of: "\\", with: "/").split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (absolute ? "/" : "") + parts.joined(separator: "/")
    }

    public func map(_ reportPath: String, sourceRoots: [String] = []) -> Result {
        var path = reportPath
        for rewrite in rewrites where path.hasPrefix(rewrite.from) {
            path = rewrite.to + path.dropFirst(rewrite.from.count)
            break
        }
        path = Self.normalize(path)
        var candidates: [String] = [path]
        for source in sourceRoots where !source.isEmpty {
            candidates.append(Self.normalize(source + "/" + path))
        }
        var insideRoot = false
        for candidate in candidates {
            if let root, candidate.hasPrefix(root) {
                let relative = RepoPath(String(candidate.dropFirst(root.count)))
                if files.contains(relative) { return .mapped(relative) }
                insideRoot = true
            }
            let relative = RepoPath(candidate.hasPrefix("/") ? String(candidate.dropFirst()) : candidate)
            if !candidate.hasPrefix("/"), files.contains(relative) { return .mapped(relative) }
        }
        if insideRoot { return .untracked }
        // Suffix match at a folder boundary. A report path longer than the file's (another
        // machine's checkout) names it by its longest matching tail; a shorter one (a package
        // path such as JaCoCo's) must fit exactly one file.
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        guard let sameName = files.withBasename(Self.basename(trimmed)) else { return .unmapped }
        let tails = sameName.filter { trimmed == $0.string || trimmed.hasSuffix("/" + $0.string) }
        if let longest = tails.max(by: { $0.bytes.count < $1.bytes.count }) { return .mapped(longest) }
        let heads = sameName.filter { $0.string.hasSuffix("/" + trimmed) }
        switch heads.count {
        case 0: return .unmapped
        case 1: return .mapped(heads[0])
        default: return .ambiguous(heads.sorted())
        }
    }
}

/// The files of the tree reports are mapped onto.
///
/// Most report paths name a file exactly (relative, or under the repository's folder), which a
/// lookup in the tree answers; only a path that must be matched by its tail needs every file.
/// So the tree is listed at most once, and only then: a one-file report in a 400,000-file
/// repository costs one lookup, not a listing. Used from one thread.
public final class RepositoryFiles: @unchecked Sendable {
    private let lookup: ((RepoPath) -> Bool)?
    private let list: () throws -> [RepoPath]
    /// Why the listing failed, for the caller to report: a mapping from part of the tree would
    /// pass for a complete one.
    public private(set) var listingFailure: (any Error)?
    private var listed: Set<RepoPath>?
    private var byBasename: [String: [RepoPath]]?
    private var lookups = 0
    /// Past this many lookups, one listing of the tree is cheaper than looking each path up.
    public static let lookupsBeforeListing = 2_000

    /// Every file, known up front.
    public init(_ files: [RepoPath]) {
        lookup = nil
        list = { files }
    }

    /// `contains` answers for one path; `list` gives every file, and is called at most once.
    public init(contains: @escaping (RepoPath) -> Bool, list: @escaping () throws -> [RepoPath]) {
        lookup = contains
        self.list = list
    }

    func contains(_ path: RepoPath) -> Bool {
        if let listed { return listed.contains(path) }
        if let lookup, lookups < Self.lookupsBeforeListing {
            lookups += 1
            return lookup(path)
        }
        return listAll().contains(path)
    }

    /// The files whose last path segment is `name`.
    func withBasename(_ name: String) -> [RepoPath]? {
        if byBasename == nil {
            var index: [String: [RepoPath]] = [:]
            for file in listAll() { index[PathMapper.basename(file.string), default: []].append(file) }
            byBasename = index
        }
        return byBasename?[name]
    }

    private func listAll() -> Set<RepoPath> {
        if let listed { return listed }
        var made = Set<RepoPath>()
        do {
            made = Set(try list())
        } catch {
            listingFailure = error
        }
        listed = made
        return made
    }
}
