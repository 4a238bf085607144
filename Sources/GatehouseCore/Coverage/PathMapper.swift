/// Maps the paths a coverage report names to repository paths.
///
/// Reports name files absolutely (gcov, llvm-cov: often a CI machine's checkout folder),
/// relative to a source root (Cobertura), as a package path (JaCoCo, Go), or relative to the
/// repository. In order: configured rewrites, the repository root prefix, the report's source
/// roots, the path as it is, then the one repository file whose path ends with it.
public struct PathMapper: Sendable {
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

    let files: Set<RepoPath>
    /// Files by their last path segment, for the suffix match.
    let byBasename: [String: [RepoPath]]
    /// The repository's folder with a trailing slash, to strip from absolute paths.
    let root: String?
    let rewrites: [Rewrite]

    public init(repositoryFiles: [RepoPath], root: String?, rewrites: [Rewrite] = []) {
        files = Set(repositoryFiles)
        var index: [String: [RepoPath]] = [:]
        for file in repositoryFiles {
            index[Self.basename(file.string), default: []].append(file)
        }
        byBasename = index
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
        guard let sameName = byBasename[Self.basename(trimmed)] else { return .unmapped }
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
