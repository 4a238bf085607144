import Foundation
import GatehouseTestSupport
import Testing

/// `gatehouse diff` under every `diff.algorithm` and `diff.indentHeuristic` setting, from the
/// repository's configuration and from the command line, against `git diff` under the same.
@Suite("gatehouse diff follows git's line-diff settings")
struct DiffSettingsCommandTests {
    /// A change on which the four algorithms and the heuristic disagree with each other: code
    /// with repeated lines, blank lines and nested blocks, edited in many places.
    static func repository() throws -> TestRepository {
        let repo = try TestRepository()
        var random = SeededLines(seed: 7)
        let old = (0..<2000).map { _ in random.line() }
        var new = old
        for step in 0..<500 {
            let at = Int(random.next() % UInt64(new.count))
            switch step % 4 {
            case 0: new.insert(contentsOf: new[max(0, at - 3)..<at], at: at)
            case 1: new.removeSubrange(at..<min(new.count, at + 2))
            case 2:
                // A block moved elsewhere: patience and histogram anchor on what Myers does not.
                let block = Array(new[at..<min(new.count, at + 6)])
                new.removeSubrange(at..<min(new.count, at + 6))
                new.insert(contentsOf: block, at: Int(random.next() % UInt64(new.count + 1)))
            default: new.insert(random.line(), at: at)
            }
        }
        try repo.write("src/code.c", old.joined(separator: "\n") + "\n")
        try repo.write("other.txt", "unchanged\n")
        try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("src/code.c", new.joined(separator: "\n") + "\n")
        try repo.commit("edit")
        return repo
    }

    static let settings: [(algorithm: String?, heuristic: Bool?)] = [(nil, nil)]
        + ["myers", "minimal", "patience", "histogram"].flatMap { algorithm in [(algorithm, true), (algorithm, false)] }

    /// Added line ranges per path from `gatehouse diff --format json`.
    static func added(_ output: [UInt8]) throws -> [String: [[Int]]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        var result: [String: [[Int]]] = [:]
        for file in files { result[file["path"] as! String] = file["added"] as? [[Int]] }
        return result
    }

    static func gitAdded(_ repo: TestRepository, _ configArguments: [String]) throws -> [[Int]] {
        let patch = try repo.git(configArguments + ["diff", "--no-color", "-U0", "main...feature", "--", "src/code.c"]).output
        return patch.split(separator: "\n").filter { $0.hasPrefix("@@ ") }.compactMap { line in
            let plus = line.split(separator: " ")[2].dropFirst().split(separator: ",").compactMap { Int($0) }
            let count = plus.count > 1 ? plus[1] : 1
            return count > 0 ? [plus[0], plus[0] + count - 1] : nil
        }
    }

    @Test func fromTheRepositoryConfigurationAndFromFlags() throws {
        let repo = try Self.repository()
        var seen = Set<[[Int]]>()
        for (algorithm, heuristic) in Self.settings {
            var gitConfig: [String] = []
            if let algorithm { gitConfig += ["-c", "diff.algorithm=\(algorithm)"] }
            if let heuristic { gitConfig += ["-c", "diff.indentHeuristic=\(heuristic)"] }
            let expected = try Self.gitAdded(repo, gitConfig)
            seen.insert(expected)

            // The repository's own configuration, as a user would set it.
            try repo.git(["config", "--unset-all", "diff.algorithm"], allowFailure: true)
            try repo.git(["config", "--unset-all", "diff.indentHeuristic"], allowFailure: true)
            if let algorithm { try repo.git(["config", "diff.algorithm", algorithm]) }
            if let heuristic { try repo.git(["config", "diff.indentHeuristic", String(heuristic)]) }
            let configured = try GatehouseCLI.run(["diff", "--base", "main", "--format", "json"], in: repo.path)
            #expect(configured.status == 0, "\(configured.stderr)")
            #expect(try Self.added(configured.stdout)["src/code.c"] == expected, "from .git/config: \(algorithm ?? "default") \(heuristic.map(String.init) ?? "")")

            // Flags override the configuration: set the opposite there first.
            try repo.git(["config", "diff.algorithm", algorithm == "patience" ? "histogram" : "patience"])
            try repo.git(["config", "diff.indentHeuristic", String(!(heuristic ?? true))])
            var flags = ["diff", "--base", "main", "--format", "json", "--diff-algorithm", algorithm ?? "default"]
            flags.append(heuristic ?? true ? "--indent-heuristic" : "--no-indent-heuristic")
            let flagged = try GatehouseCLI.run(flags, in: repo.path)
            #expect(flagged.status == 0, "\(flagged.stderr)")
            #expect(try Self.added(flagged.stdout)["src/code.c"] == expected, "from flags: \(flags)")
        }
        // The case must tell the settings apart, or it proves nothing.
        #expect(seen.count >= 4, "only \(seen.count) distinct answers")
    }

    @Test func gitDashCReachesTheHook() throws {
        // `git -c diff.algorithm=X push` hands X to the hook through GIT_CONFIG_PARAMETERS.
        let repo = try Self.repository()
        let parameters = try repo.git(["-c", "alias.p=!printenv GIT_CONFIG_PARAMETERS", "-c", "diff.algorithm=histogram", "p"]).output
            .trimmingCharacters(in: .newlines)
        let result = try GatehouseCLI.run(
            ["diff", "--base", "main", "--format", "json"], in: repo.path, environment: ["GIT_CONFIG_PARAMETERS": parameters])
        #expect(try Self.added(result.stdout)["src/code.c"] == Self.gitAdded(repo, ["-c", "diff.algorithm=histogram"]))
    }

    @Test func anUnknownAlgorithmStopsWithTheFileThatSetsIt() throws {
        let repo = try Self.repository()
        try repo.git(["config", "diff.algorithm", "fastest"])
        let result = try GatehouseCLI.run(["diff", "--base", "main"], in: repo.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("diff.algorithm = 'fastest'"))
        #expect(result.stderr.contains(repo.path + "/.git/config"))
        #expect(result.stderr.contains("--diff-algorithm"))
        // A flag settles it without touching the file.
        #expect(try GatehouseCLI.run(["diff", "--base", "main", "--diff-algorithm", "myers"], in: repo.path).status == 0)

        try repo.git(["config", "diff.algorithm", "myers"])
        try repo.git(["config", "diff.indentHeuristic", "sometimes"])
        let badBool = try GatehouseCLI.run(["diff", "--base", "main"], in: repo.path)
        #expect(badBool.status == 2)
        #expect(badBool.stderr.contains("diff.indentheuristic = 'sometimes'"))

        let badFlag = try GatehouseCLI.run(["diff", "--base", "main", "--diff-algorithm", "fast"], in: repo.path)
        #expect(badFlag.status == 2)
        #expect(badFlag.stderr.contains("'histogram'"))
    }
}

/// Code-like lines from a seed: few distinct lines, so that algorithms have choices.
struct SeededLines {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func line() -> String {
        let texts = ["}", "{", "", "return 0;", "x++;", "if (x) {", "} else {", "int y = x;", "/* note */", "break;"]
        let depth = Int(next() % 3)
        let text = texts[Int(next() % UInt64(texts.count))]
        return text.isEmpty ? "" : String(repeating: "    ", count: depth) + text
    }
}
