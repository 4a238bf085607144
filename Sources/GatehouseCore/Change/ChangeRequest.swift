/// Which change to read: what the change options of every command (`--base`, `--head`,
/// `--range`, `--staged`, `--worktree`) come down to.
public struct ChangeRequest: Sendable, Hashable {
    public var mode: ChangeMode
    /// `--base`; when nil the base comes from `baseCandidates`.
    public var base: String?
    /// `--head`, HEAD by default; ignored for staged and work-tree changes.
    public var head: String
    /// Where to look for a base when `base` is nil, in order (see `BasePolicy`).
    public var baseCandidates: [BaseCandidate]
    public var detectRenames: Bool
    /// `--diff-algorithm`; nil: git's `diff.algorithm` setting, else Myers.
    public var diffAlgorithm: LineDiff.Options.Algorithm?
    /// `--[no-]indent-heuristic`; nil: git's `diff.indentHeuristic` setting, else on.
    public var indentHeuristic: Bool?

    public init(
        mode: ChangeMode = .threeDot, base: String? = nil, head: String = "HEAD",
        baseCandidates: [BaseCandidate] = [], detectRenames: Bool = true,
        diffAlgorithm: LineDiff.Options.Algorithm? = nil, indentHeuristic: Bool? = nil
    ) {
        self.mode = mode
        self.base = base
        self.head = head
        self.baseCandidates = baseCandidates
        self.detectRenames = detectRenames
        self.diffAlgorithm = diffAlgorithm
        self.indentHeuristic = indentHeuristic
    }
}
