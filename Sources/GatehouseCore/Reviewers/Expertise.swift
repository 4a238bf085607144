/// How well people know the files of a change, from recent history: the commits that touched each
/// file and the lines of the changed regions each person last wrote. Keyed by e-mail address
/// (lowercased), which is what commits carry; `TeamsConfig.people` links addresses to people.
public struct Expertise: Sendable, Hashable {
    public struct Score: Sendable, Hashable {
        /// Recent commits that touched the file (abbreviated ids, so that a commit touching several
        /// files of the change counts once across them).
        public var commits: Set<String> = []
        /// Lines of the region the change edits that this person last wrote.
        public var lines = 0

        public init(commits: Set<String> = [], lines: Int = 0) {
            self.commits = commits
            self.lines = lines
        }

        /// One point per line last written, ten per recent commit: a commit is a deliberate visit to
        /// the file, while a single commit can account for hundreds of lines.
        public var points: Int { commits.count * 10 + lines }
    }

    public private(set) var scores: [String: [RepoPath: Score]] = [:]
    /// What the history walk was bounded by, for the output.
    public var window: HistoryWindow

    public init(window: HistoryWindow = HistoryWindow()) {
        self.window = window
    }

    public mutating func recordCommit(_ commit: String, email: String, path: RepoPath) {
        scores[email.lowercased(), default: [:]][path, default: Score()].commits.insert(commit)
    }

    public mutating func recordLines(_ count: Int, email: String, path: RepoPath) {
        guard count > 0 else { return }
        scores[email.lowercased(), default: [:]][path, default: Score()].lines += count
    }
}

/// How far back expertise looks: at most `maxCommits` non-merge commits, and none committed more than
/// `days` before the newest one, so that the walk stays fast on long histories.
public struct HistoryWindow: Sendable, Hashable {
    public var maxCommits: Int
    public var days: Int
    /// Commits actually read, filled by the walk.
    public var commitsRead: Int

    public init(maxCommits: Int = 500, days: Int = 90, commitsRead: Int = 0) {
        self.maxCommits = maxCommits
        self.days = days
        self.commitsRead = commitsRead
    }
}

/// The author of a commit in the change.
public struct ChangeAuthor: Sendable, Hashable {
    public var name: String
    public var email: String

    public init(name: String, email: String) {
        self.name = name
        self.email = email
    }
}

/// FNV-1a (64 bits): the same input gives the same number on every machine and every run, unlike
/// Swift's `Hasher`, which is seeded per process. Ties between reviewers are broken with it.
public enum StableHash {
    public static func fnv1a<S: Sequence>(_ bytes: S) -> UInt64 where S.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    public static func fnv1a(_ text: String) -> UInt64 { fnv1a(text.utf8) }
}
