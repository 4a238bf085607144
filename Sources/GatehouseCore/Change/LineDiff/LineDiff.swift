/// The line diff of two file contents, exactly as `git diff` computes it.
///
/// This is a port of the xdiff library in git 2.39 (`xdiff/`): the Myers algorithm with its
/// tie-breaking and cost heuristics, `--minimal`, patience and histogram, and the sliding of
/// change groups (`xdl_change_compact`) with the indent heuristic. libgit2 1.5 carries an older
/// xdiff without the indent heuristic and with other tie-breaking, so its line numbers differ from
/// git's on real history; diff-cover and reviewdog read git's diff, and so do people.
///
/// Lines are compared as git compares them: byte for byte, the newline included (a last line
/// without one differs from the same text with one). No whitespace option applies: `git diff`
/// has none by default and no configuration key sets one.
public enum LineDiff {
    /// What `diff.algorithm` and `diff.indentHeuristic` select.
    public struct Options: Hashable, Sendable {
        public enum Algorithm: String, Hashable, Sendable, CaseIterable {
            case myers
            case minimal
            case patience
            case histogram

            /// git's spelling for `diff.algorithm` and `--diff-algorithm`, case-insensitive;
            /// `default` is Myers.
            public init?(gitName: String) {
                switch gitName.lowercased() {
                case "myers", "default": self = .myers
                case "minimal": self = .minimal
                case "patience": self = .patience
                case "histogram": self = .histogram
                default: return nil
                }
            }
        }

        public var algorithm: Algorithm
        /// On by default since git 2.14.
        public var indentHeuristic: Bool

        public init(algorithm: Algorithm = .myers, indentHeuristic: Bool = true) {
            self.algorithm = algorithm
            self.indentHeuristic = indentHeuristic
        }

        /// git's own defaults, when no configuration says otherwise.
        public static let git = Options()
    }

    /// One change of the edit script: `oldCount` lines removed at old line index `oldStart` and
    /// `newCount` lines added at new line index `newStart` (0-based). A pure insertion has
    /// `oldCount == 0`; `oldStart` is then the index of the old line it precedes.
    public struct Change: Hashable, Sendable {
        public var oldStart: Int
        public var oldCount: Int
        public var newStart: Int
        public var newCount: Int

        public init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
            self.oldStart = oldStart
            self.oldCount = oldCount
            self.newStart = newStart
            self.newCount = newCount
        }
    }

    public enum Failure: Error, Hashable, Sendable {
        /// git's histogram diff gives up on a region whose hash chains are too long
        /// (`xhistogram.c`'s `max_chain_length`), and `git diff` then stops with
        /// "unable to generate diff".
        case histogramGaveUp
    }

    /// A file's diff as git shows it two ways.
    public struct Result: Hashable, Sendable {
        /// `git diff -U0`'s edit script: the added lines people and diff-cover see.
        public var changes: [Change]
        /// The edit script of a diff with context (`--numstat`, `-U3`). It differs from
        /// `changes` only in the rare file where `-U0`'s tail trimming (below) moves a line.
        public var withContext: [Change]
        /// Lines of each side, a last line without a newline included.
        public var oldLineCount: Int
        public var newLineCount: Int
    }

    /// `new` against `old` as git diffs it.
    ///
    /// With zero lines of context git first drops the identical tail of the two contents in
    /// whole 1,024-byte blocks, cut back to a line boundary (`trim_common_tail` in
    /// xdiff-interface.c); the dropped lines take no part in that diff, which can then place or
    /// even count lines differently from a diff with context. Both are computed, sharing the
    /// lines' hashing: the second costs only the diff of the region that differs.
    public static func diff(old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer, options: Options = .git) throws(Failure) -> Result {
        let buffer1 = UnsafeBufferPointer(start: old.baseAddress?.assumingMemoryBound(to: UInt8.self), count: old.count)
        let buffer2 = UnsafeBufferPointer(start: new.baseAddress?.assumingMemoryBound(to: UInt8.self), count: new.count)
        let whole = XDEnvironment(buffer1, buffer2, algorithm: options.algorithm)
        let newLineCount = whole.file2.recordCount
        let dropped = commonTailToDrop(old, new)
        var trimmed: XDEnvironment?
        if dropped > 0 {
            // The dropped bytes are whole lines at the end of both sides.
            let droppedLines = lineCount(UnsafeRawBufferPointer(rebasing: new[(new.count - dropped)...]))
            trimmed = XDEnvironment(
                prefixOf: whole, records1: whole.file1.recordCount - droppedLines, records2: newLineCount - droppedLines,
                algorithm: options.algorithm)
        }
        let withContext = try whole.editScript(options)
        let changes = try trimmed?.editScript(options) ?? withContext
        return Result(changes: changes, withContext: withContext, oldLineCount: whole.file1.recordCount, newLineCount: newLineCount)
    }

    /// The edit script of `old` against `new`, as `git diff -U0` finds it (`trimCommonTail`), or
    /// as a diff with context does.
    public static func changes(
        old: UnsafeRawBufferPointer, new: UnsafeRawBufferPointer, options: Options = .git, trimCommonTail: Bool = true
    ) throws(Failure) -> [Change] {
        let result = try diff(old: old, new: new, options: options)
        return trimCommonTail ? result.changes : result.withContext
    }

    /// Convenience for byte arrays.
    public static func changes(old: [UInt8], new: [UInt8], options: Options = .git, trimCommonTail: Bool = true) throws(Failure) -> [Change] {
        let result: Swift.Result<[Change], Failure> = old.withUnsafeBytes { oldBytes in
            new.withUnsafeBytes { newBytes in
                do throws(Failure) {
                    return .success(try changes(old: oldBytes, new: newBytes, options: options, trimCommonTail: trimCommonTail))
                } catch {
                    return .failure(error)
                }
            }
        }
        return try result.get()
    }

    /// How many bytes `trim_common_tail` removes from the end of both sides.
    static func commonTailToDrop(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let block = 1024
        let smaller = min(a.count, b.count)
        guard smaller >= block, let aBase = a.baseAddress, let bBase = b.baseAddress else { return 0 }
        var trimmed = 0
        while block + trimmed <= smaller,
              memcmp(aBase + (a.count - trimmed - block), bBase + (b.count - trimmed - block), block) == 0 {
            trimmed += block
        }
        // Give back the trimmed region up to and including its first newline, so the kept
        // part ends on a whole line.
        var recovered = 0
        let start = a.count - trimmed
        while recovered < trimmed {
            let byte = a.load(fromByteOffset: start + recovered, as: UInt8.self)
            recovered += 1
            if byte == UInt8(ascii: "\n") { break }
        }
        return trimmed - recovered
    }

    /// git's test for binary content (`buffer_is_binary`): a NUL byte in the first 8,000 bytes.
    public static func looksBinary(_ content: UnsafeRawBufferPointer) -> Bool {
        guard let base = content.baseAddress else { return false }
        return memchr(base, 0, min(content.count, 8000)) != nil
    }

    /// Lines of a content as git counts them: a last line without a newline counts.
    public static func lineCount(_ content: UnsafeRawBufferPointer) -> Int {
        guard let base = content.baseAddress, content.count > 0 else { return 0 }
        var count = 0
        var position = 0
        while position < content.count, let newline = memchr(base + position, Int32(UInt8(ascii: "\n")), content.count - position) {
            count += 1
            position = UnsafeRawPointer(newline) - base + 1
        }
        return position < content.count ? count + 1 : count
    }

    /// Files above git's `core.bigFileThreshold` default (512 MiB) are never diffed by line:
    /// git calls them binary.
    public static let bigFileThreshold = 512 * 1024 * 1024
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
