import Foundation
import GatehouseCore
import GatehouseTestSupport
import Testing

/// The Swift xdiff against git's own: random file pairs built to be hard (few distinct lines, so
/// many equally short scripts; indented blocks and blank lines, so the indent heuristic has
/// choices; long identical tails, so `-U0` trims them; edits large enough for Myers' cost
/// heuristics), diffed by `git diff --no-index -U0` under every algorithm and heuristic setting.
@Suite struct LineDiffOracleTests {
    static let settings: [LineDiff.Options] = LineDiff.Options.Algorithm.allCases.flatMap { algorithm in
        [true, false].map { LineDiff.Options(algorithm: algorithm, indentHeuristic: $0) }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomPairsAgreeWithGit(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let pairs = (0..<120).map { index in OracleCase.random(&random, large: index % 40 == 39) }
        let folder = try OracleFolder(pairs)
        for options in Self.settings {
            let expected = try folder.gitChanges(options, context: 0)
            // With context git keeps the identical tail, so lines may sit elsewhere: the
            // changes are read from the patch's own - and + lines.
            let expectedWithContext = try folder.gitChanges(options, context: 1)
            for (index, pair) in pairs.enumerated() {
                let actual = try pair.old.withUnsafeBytes { old in
                    try pair.new.withUnsafeBytes { new in try LineDiff.diff(old: old, new: new, options: options) }
                }
                #expect(
                    actual.changes.map(Hunk.init) == expected[index] ?? [],
                    "seed \(seed) case \(index) under \(options): gatehouse \(actual.changes.map(Hunk.init)) git \(expected[index] ?? [])")
                #expect(
                    actual.withContext.map(Hunk.init) == expectedWithContext[index] ?? [],
                    "seed \(seed) case \(index) under \(options) with context: gatehouse \(actual.withContext.map(Hunk.init)) git \(expectedWithContext[index] ?? [])")
            }
        }
    }

    /// Tests/Fixtures/linediff: files from real history where `-U0` and a diff with context
    /// disagree (see its README).
    static let realCases: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/linediff")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    @Test func realHistoryCasesAgreeWithGit() throws {
        #expect(Self.realCases.count >= 5)
        let pairs = try Self.realCases.map { folder in
            OracleCase(
                old: Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/old"))),
                new: Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/new"))))
        }
        let folder = try OracleFolder(pairs)
        for options in Self.settings {
            let expected = try folder.gitChanges(options, context: 0)
            let expectedWithContext = try folder.gitChanges(options, context: 1)
            for (index, pair) in pairs.enumerated() {
                let name = (Self.realCases[index] as NSString).lastPathComponent
                let actual = try pair.old.withUnsafeBytes { old in
                    try pair.new.withUnsafeBytes { new in try LineDiff.diff(old: old, new: new, options: options) }
                }
                #expect(actual.changes.map(Hunk.init) == expected[index] ?? [], "\(name) under \(options)")
                #expect(actual.withContext.map(Hunk.init) == expectedWithContext[index] ?? [], "\(name) under \(options), with context")
                if options == .git {
                    // What makes each a case: the two diffs really differ.
                    #expect(actual.changes != actual.withContext, "\(name) no longer shows the -U0 difference")
                }
            }
        }
    }

    @Test func emptyAndIdenticalSides() throws {
        #expect(try LineDiff.changes(old: [], new: []) == [])
        #expect(try LineDiff.changes(old: Array("a\nb\n".utf8), new: Array("a\nb\n".utf8)) == [])
        #expect(try LineDiff.changes(old: [], new: Array("a\nb".utf8)) == [LineDiff.Change(oldStart: 0, oldCount: 0, newStart: 0, newCount: 2)])
        #expect(try LineDiff.changes(old: Array("a\n".utf8), new: Array("a".utf8)) == [LineDiff.Change(oldStart: 0, oldCount: 1, newStart: 0, newCount: 1)])
    }

    @Test func indentHeuristicPlacesABlockAsGitDoes() throws {
        // The example: a block inserted before an identical line. Without the heuristic
        // the insertion slides as far down as it can; with it, it sits on the block boundary.
        let old = Array("export type {\n  A,\n} from './a'\n".utf8)
        let new = Array("export type {\n  B,\n} from './b'\n\nexport type {\n  A,\n} from './a'\n".utf8)
        #expect(try LineDiff.changes(old: old, new: new, options: .init(indentHeuristic: true))
            == [LineDiff.Change(oldStart: 0, oldCount: 0, newStart: 0, newCount: 4)])
        #expect(try LineDiff.changes(old: old, new: new, options: .init(indentHeuristic: false))
            == [LineDiff.Change(oldStart: 1, oldCount: 0, newStart: 1, newCount: 4)])
    }
}

/// A hunk as `-U0` prints it, 0-based, with git's conventions for empty sides normalised away.
struct Hunk: Hashable, CustomStringConvertible {
    var oldStart: Int
    var oldCount: Int
    var newStart: Int
    var newCount: Int

    init(oldStart: Int, oldCount: Int, newStart: Int, newCount: Int) {
        (self.oldStart, self.oldCount, self.newStart, self.newCount) = (oldStart, oldCount, newStart, newCount)
    }

    init(_ change: LineDiff.Change) {
        oldStart = change.oldStart
        oldCount = change.oldCount
        newStart = change.newStart
        newCount = change.newCount
    }

    /// From `@@ -s1[,c1] +s2[,c2] @@`: an empty side names the line before it.
    init?(header: Substring) {
        let fields = header.split(separator: " ")
        guard fields.count >= 3 else { return nil }
        func side(_ field: Substring) -> (Int, Int)? {
            let numbers = field.dropFirst().split(separator: ",").compactMap { Int($0) }
            guard let start = numbers.first else { return nil }
            let count = numbers.count > 1 ? numbers[1] : 1
            return (count == 0 ? start : start - 1, count)
        }
        guard let old = side(fields[1]), let new = side(fields[2]) else { return nil }
        (oldStart, oldCount, newStart, newCount) = (old.0, old.1, new.0, new.1)
    }

    var description: String { "-\(oldStart),\(oldCount) +\(newStart),\(newCount)" }
}

/// Writes each pair as a/NNNN and b/NNNN and asks git for all hunks in one run per setting.
struct OracleFolder {
    let root: String

    init(_ pairs: [OracleCase]) throws {
        root = NSTemporaryDirectory() + "gatehouse-linediff-" + UUID().uuidString
        for side in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + side, withIntermediateDirectories: true)
        }
        for (index, pair) in pairs.enumerated() {
            let name = String(format: "%04d", index)
            try Data(pair.old).write(to: URL(fileURLWithPath: "\(root)/a/\(name)"))
            try Data(pair.new).write(to: URL(fileURLWithPath: "\(root)/b/\(name)"))
        }
    }

    /// The edit script per case index, read from git's patch with `context` lines: consecutive
    /// - and + lines form one change. A case git shows no section for is identical.
    func gitChanges(_ options: LineDiff.Options, context: Int) throws -> [Int: [Hunk]] {
        let result = try run(
            ["git", "-c", "diff.algorithm=\(options.algorithm.rawValue)", "-c", "diff.indentHeuristic=\(options.indentHeuristic)",
             "diff", "--no-index", "--no-color", "--no-ext-diff", "--no-renames", "-U\(context)", "a", "b"],
            in: root, environment: TestRepository.gitEnvironment)
        guard result.status <= 1 else { throw ShellError.failed(command: ["git", "diff", "--no-index"], status: result.status, stderr: result.stderr) }
        var changes: [Int: [Hunk]] = [:]
        var current: Int?
        var oldLine = 0
        var newLine = 0
        var open: Hunk?
        func close() {
            if let hunk = open, let current { changes[current, default: []].append(hunk) }
            open = nil
        }
        for line in result.stdout.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let text = String(decoding: line.prefix(200), as: UTF8.self)
            if text.hasPrefix("diff --git ") {
                close()
                current = text.split(separator: "/").last.flatMap { Int($0) }
                if let current { changes[current] = [] }
            } else if text.hasPrefix("@@ "), let header = Hunk(header: Substring(text)) {
                close()
                // 0-based indices of the hunk's first line on each side.
                oldLine = header.oldStart
                newLine = header.newStart
            } else if text.hasPrefix("---") || text.hasPrefix("+++") || text.hasPrefix("\\") || current == nil {
                continue
            } else if text.hasPrefix("-") {
                if open == nil { open = Hunk(oldStart: oldLine, oldCount: 0, newStart: newLine, newCount: 0) }
                open!.oldCount += 1
                oldLine += 1
            } else if text.hasPrefix("+") {
                if open == nil { open = Hunk(oldStart: oldLine, oldCount: 0, newStart: newLine, newCount: 0) }
                open!.newCount += 1
                newLine += 1
            } else if text.hasPrefix(" ") {
                close()
                oldLine += 1
                newLine += 1
            }
        }
        close()
        return changes
    }
}

struct OracleCase {
    var old: [UInt8]
    var new: [UInt8]

    /// Lines from a small vocabulary of code-like lines at several indents, so that equal
    /// lines are everywhere and blocks look like real blocks.
    static let vocabulary: [String] = [
        "}", "{", "", "", "return x;", "x = 1;", "y = 2;", "if (a) {", "} else {", "end", "#include <a.h>",
        "export type {", "} from './a'", "  A,", "  B,", "def f():", "pass", "// comment", "\t", "  ",
    ]

    static func randomLine(_ random: inout SplitMix64) -> String {
        let depth = Int(random.next() % 4)
        let indent = random.next() % 5 == 0 ? String(repeating: "\t", count: depth) : String(repeating: "    ", count: depth)
        let text = vocabulary[Int(random.next() % UInt64(vocabulary.count))]
        return text.isEmpty ? "" : indent + text
    }

    static func random(_ random: inout SplitMix64, large: Bool) -> OracleCase {
        let length = large ? 1500 + Int(random.next() % 2500) : Int(random.next() % 60)
        var old = (0..<length).map { _ in randomLine(&random) }
        var new = old
        let edits = large ? 150 + Int(random.next() % 400) : 1 + Int(random.next() % 5)
        for _ in 0..<edits {
            let position = new.isEmpty ? 0 : Int(random.next() % UInt64(new.count + 1))
            let size = 1 + Int(random.next() % (large ? 6 : 8))
            switch random.next() % 5 {
            case 0, 1:
                // A copy of nearby lines: the hardest case for sliding.
                let from = max(0, position - size)
                let block = new.isEmpty ? [randomLine(&random)] : Array(new[from..<min(new.count, from + size)])
                new.insert(contentsOf: block, at: position)
            case 2:
                new.insert(contentsOf: (0..<size).map { _ in randomLine(&random) }, at: position)
            case 3:
                new.removeSubrange(position..<min(new.count, position + size))
            default:
                if position < new.count { new[position] = randomLine(&random) }
            }
        }
        if random.next() % 3 == 0 {
            // A long identical tail: -U0 trims it in 1,024-byte blocks before diffing.
            let tail = (0..<(40 + Int(random.next() % 200))).map { _ in randomLine(&random) + " tail" }
            old += tail
            new += tail
        }
        var oldText = old.joined(separator: "\n")
        var newText = new.joined(separator: "\n")
        if !old.isEmpty, random.next() % 4 != 0 { oldText += "\n" }
        if !new.isEmpty, random.next() % 4 != 0 { newText += "\n" }
        return OracleCase(old: Array(oldText.utf8), new: Array(newText.utf8))
    }
}

struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
