import Foundation

/// One file of a change as the git CLI reports it.
public struct OracleFile: Hashable, Sendable, CustomStringConvertible {
    public var status: Character
    /// Rename or copy similarity in percent, as `--name-status` prints it after R or C.
    public var similarity: Int?
    public var path: [UInt8]
    public var oldPath: [UInt8]?
    public var binary: Bool
    public var added: [ClosedRange<Int>]
    public var addedCount: Int
    public var deletedCount: Int

    public init(status: Character, similarity: Int? = nil, path: [UInt8], oldPath: [UInt8]?, binary: Bool, added: [ClosedRange<Int>], addedCount: Int, deletedCount: Int) {
        self.status = status
        self.similarity = similarity
        self.path = path
        self.oldPath = oldPath
        self.binary = binary
        self.added = added
        self.addedCount = addedCount
        self.deletedCount = deletedCount
    }

    public var description: String {
        let old = oldPath.map { String(decoding: $0, as: UTF8.self) + " -> " } ?? ""
        return "\(status)\(similarity.map(String.init) ?? "") \(old)\(String(decoding: path, as: UTF8.self)) +\(addedCount) -\(deletedCount)\(binary ? " binary" : "") \(added)"
    }
}

/// What `git diff -M -U0` says about a change: the oracle the libgit2 reader is checked against.
///
/// `--name-status -z` and `--numstat -z` give statuses, counts and exact path bytes;
/// the zero-context patch gives the added line numbers. All three list files in the same order.
public enum GitOracle {
    public static func files(in repository: TestRepository, diffArguments: [String]) throws -> [OracleFile] {
        let common = ["-c", "core.quotePath=false", "diff", "--no-ext-diff", "--no-color"]
        let nameStatus = try repository.git(common + ["-z", "--name-status"] + diffArguments).stdout
        let numstat = try repository.git(common + ["-z", "--numstat"] + diffArguments).stdout
        let patch = try repository.git(common + ["-U0", "--src-prefix=a/", "--dst-prefix=b/"] + diffArguments).stdout

        var statusFields = nameStatus.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
        if statusFields.last == [] { statusFields.removeLast() }
        var entries: [(Character, Int?, [UInt8]?, [UInt8])] = []
        var i = 0
        while i < statusFields.count {
            let letter = Character(UnicodeScalar(statusFields[i][0]))
            if letter == "R" || letter == "C" {
                let score = Int(String(decoding: statusFields[i].dropFirst(), as: UTF8.self))
                entries.append((letter, score, statusFields[i + 1], statusFields[i + 2]))
                i += 3
            } else {
                entries.append((letter, nil, nil, statusFields[i + 1]))
                i += 2
            }
        }

        var counts: [(Int?, Int?)] = []
        var fields = numstat.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
        if fields.last == [] { fields.removeLast() }
        i = 0
        while i < fields.count {
            let parts = fields[i].split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
            let added = Int(String(decoding: parts[0], as: UTF8.self))
            let deleted = Int(String(decoding: parts[1], as: UTF8.self))
            counts.append((added, deleted))
            // A rename's record is "A\tD\t" followed by two NUL-terminated paths.
            i += parts.count == 3 && parts[2].isEmpty ? 3 : 1
        }

        let sections = newSideLinesPerFile(patch)
        // The patch shows a type change as a deletion section followed by an addition section.
        let expectedSections = entries.reduce(0) { $0 + ($1.0 == "T" ? 2 : 1) }
        guard entries.count == counts.count, sections.count == expectedSections else {
            throw ShellError.failed(
                command: ["git", "diff"] + diffArguments, status: 0,
                stderr: "git's listings disagree: \(entries.count) statuses, \(counts.count) counts, \(sections.count) patch sections")
        }
        var section = 0
        return entries.indices.map { index in
            let (letter, similarity, old, path) = entries[index]
            let (added, deleted) = counts[index]
            if letter == "T" { section += 1 }
            defer { section += 1 }
            return OracleFile(
                status: letter, similarity: similarity, path: path, oldPath: old, binary: added == nil,
                added: sections[section], addedCount: added ?? 0, deletedCount: deleted ?? 0)
        }
    }

    /// The new-file lines of every hunk (`@@ -a,b +c,d @@`), per file section of a patch: with
    /// zero context the added lines, with `-U3` the lines the diff shows.
    static func newSideLinesPerFile(_ patch: [UInt8]) -> [[ClosedRange<Int>]] {
        var result: [[ClosedRange<Int>]] = []
        let diffHeader = Array("diff --git ".utf8)
        let hunkHeader = Array("@@ ".utf8)
        for line in patch.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: diffHeader) {
                result.append([])
            } else if line.starts(with: hunkHeader), !result.isEmpty {
                // @@ -a[,b] +c[,d] @@
                let text = String(decoding: line, as: UTF8.self)
                guard let plus = text.split(separator: " ").first(where: { $0.hasPrefix("+") }) else { continue }
                let numbers = plus.dropFirst().split(separator: ",").compactMap { Int($0) }
                let start = numbers[0]
                let count = numbers.count > 1 ? numbers[1] : 1
                if count > 0 { result[result.count - 1].append(start...(start + count - 1)) }
            }
        }
        return result
    }

    /// New-file lines each file's `git diff -U3` hunks show, in file order (type changes and
    /// binary files have none).
    public static func contextLines(in repository: TestRepository, diffArguments: [String]) throws -> [[ClosedRange<Int>]] {
        let patch = try repository.git(["-c", "core.quotePath=false", "diff", "--no-ext-diff", "--no-color", "-U3",
                                        "--src-prefix=a/", "--dst-prefix=b/"] + diffArguments).stdout
        return newSideLinesPerFile(patch)
    }
}
