import Foundation

/// A real git repository in a temporary folder, built with the git CLI.
///
/// Author, committer and dates are fixed and the user's git configuration is ignored,
/// so the same steps give the same commit ids on every machine (golden files rely on it).
public final class TestRepository: @unchecked Sendable {
    public let path: String
    private let ownsFolder: Bool

    public static let gitEnvironment: [String: String] = {
        var env: [String: String] = [:]
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = NSTemporaryDirectory()
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "Ada Tester"
        env["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        env["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_COMMITTER_NAME"] = "Ada Tester"
        env["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        env["LC_ALL"] = "C"
        return env
    }()

    /// A new repository with branch `main` and no commits.
    public init(name: String = "repo", initArguments: [String] = []) throws {
        let folder = NSTemporaryDirectory() + "gatehouse-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/" + name
        ownsFolder = true
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"] + initArguments)
    }

    /// Wraps an existing folder (e.g. a clone made by `git clone`).
    public init(existing path: String) {
        self.path = path
        ownsFolder = false
    }

    deinit {
        if ownsFolder {
            try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
        }
    }

    /// The folder that holds this repository, for siblings such as clones.
    public var parentFolder: String { (path as NSString).deletingLastPathComponent }

    @discardableResult
    public func git(_ arguments: [String], allowFailure: Bool = false) throws -> ShellResult {
        let result = try run(["git"] + arguments, in: path, environment: Self.gitEnvironment)
        if result.status != 0 && !allowFailure {
            throw ShellError.failed(command: ["git"] + arguments, status: result.status, stderr: result.stderr)
        }
        return result
    }

    /// Output of a git command, trimmed.
    public func gitOutput(_ arguments: [String]) throws -> String {
        try git(arguments).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func write(_ relativePath: String, _ contents: String) throws {
        try write(Array(relativePath.utf8), Array(contents.utf8))
    }

    public func write(_ relativePath: String, bytes: [UInt8]) throws {
        try write(Array(relativePath.utf8), bytes)
    }

    /// Writes a file whose name is raw bytes (names that are not UTF-8 included).
    public func write(_ relativePath: [UInt8], _ contents: [UInt8]) throws {
        let full = Array(path.utf8) + [UInt8(ascii: "/")] + relativePath
        let parent = full[..<(full.lastIndex(of: UInt8(ascii: "/")) ?? full.endIndex)]
        _ = try run(["mkdir", "-p", String(decoding: parent, as: UTF8.self)], in: path)
        let cPath = full.map { CChar(bitPattern: $0) } + [0]
        let fd = open(cPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw ShellError.failed(command: ["open", String(decoding: full, as: UTF8.self)], status: errno, stderr: "") }
        defer { close(fd) }
        _ = contents.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
    }

    /// `git mv`, creating the destination folder first.
    public func move(_ from: String, _ to: String) throws {
        let folder = (to as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: path + "/" + folder, withIntermediateDirectories: true)
        }
        try git(["mv", from, to])
    }

    public func remove(_ relativePath: String) throws {
        try git(["rm", "-q", "-r", relativePath])
    }

    /// Stages everything and commits; returns the new commit id.
    @discardableResult
    public func commit(_ message: String = "change") throws -> String {
        try git(["add", "-A"])
        try git(["commit", "-q", "--allow-empty", "-m", message])
        return try gitOutput(["rev-parse", "HEAD"])
    }

    /// Stages everything and commits as `author` ("Name <email>"), authored and committed at
    /// `date` when given (else the fixed date); returns the new commit id.
    @discardableResult
    public func commit(_ message: String, author: String, date: String? = nil) throws -> String {
        try git(["add", "-A"])
        var environment = Self.gitEnvironment
        if let date {
            environment["GIT_AUTHOR_DATE"] = date
            environment["GIT_COMMITTER_DATE"] = date
        }
        let result = try run(["git", "commit", "-q", "--allow-empty", "--author", author, "-m", message], in: path, environment: environment)
        if result.status != 0 {
            throw ShellError.failed(command: ["git", "commit", "--author", author], status: result.status, stderr: result.stderr)
        }
        return try gitOutput(["rev-parse", "HEAD"])
    }

    /// Commits `files` (path: contents) on top of `branch` without touching the work tree, the
    /// index or the checked-out branch, as a merged pull request would move the base under a
    /// change in review. Returns the new commit id.
    @discardableResult
    public func commitOnBranch(_ branch: String, _ files: [String: String], message: String = "on the base") throws -> String {
        let index = parentFolder + "/index-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: index) }
        var environment = Self.gitEnvironment
        environment["GIT_INDEX_FILE"] = index
        func plumbing(_ arguments: [String], input: String? = nil) throws -> String {
            let result = try run(["git"] + arguments, in: path, environment: environment, stdin: input.map { Array($0.utf8) })
            guard result.status == 0 else { throw ShellError.failed(command: ["git"] + arguments, status: result.status, stderr: result.stderr) }
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try plumbing(["read-tree", branch])
        for (file, contents) in files.sorted(by: { $0.key < $1.key }) {
            let blob = try plumbing(["hash-object", "-w", "--stdin"], input: contents)
            _ = try plumbing(["update-index", "--add", "--cacheinfo", "100644,\(blob),\(file)"])
        }
        let tree = try plumbing(["write-tree"])
        let commit = try plumbing(["commit-tree", tree, "-p", branch, "-m", message])
        _ = try plumbing(["update-ref", "refs/heads/\(branch)", commit])
        return commit
    }

    public func revParse(_ revision: String) throws -> String {
        try gitOutput(["rev-parse", revision])
    }
}

/// Numbered lines `prefix 1` ... `prefix n`, each ending in a newline.
public func lines(_ count: Int, _ prefix: String = "line") -> String {
    (1...max(count, 1)).prefix(count).map { "\(prefix) \($0)\n" }.joined()
}
