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
            let expected = try folder.gitHunks(options)
            for (index, pair) in pairs.enumerated() {
                let actual = try LineDiff.changes(old: pair.old, new: pair.new, options: options)
                #expect(
                    actual.map(Hunk.init) == expected[index] ?? [],
                    "seed \(seed) case \(index) under \(options): gatehouse \(actual.map(Hunk.init)) git \(expected[index] ?? [])")
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

    /// Hunks per case index; a case git shows no section for is identical.
    func gitHunks(_ options: LineDiff.Options) throws -> [Int: [Hunk]] {
        let result = try run(
            ["git", "-c", "diff.algorithm=\(options.algorithm.rawValue)", "-c", "diff.indentHeuristic=\(options.indentHeuristic)",
             "diff", "--no-index", "--no-color", "--no-ext-diff", "--no-renames", "-U0", "a", "b"],
            in: root, environment: TestRepository.gitEnvironment)
        guard result.status <= 1 else { throw ShellError.failed(command: ["git", "diff", "--no-index"], status: result.status, stderr: result.stderr) }
        var hunks: [Int: [Hunk]] = [:]
        var current: Int?
        for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("diff --git ") {
                current = line.split(separator: "/").last.flatMap { Int($0) }
                if let current { hunks[current] = [] }
            } else if line.hasPrefix("@@ "), let current, let hunk = Hunk(header: line) {
                hunks[current, default: []].append(hunk)
            }
        }
        return hunks
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
