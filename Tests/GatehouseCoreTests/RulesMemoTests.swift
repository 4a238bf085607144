import Foundation
import Testing

@testable import GatehouseCore

/// The memo is shared by a background prefetch and the gates that read the same rules, so it
/// must hand every caller the same answer, once compiled, whatever the interleaving.
struct RulesMemoTests {
    private static func rulesFile(_ marker: String, rules: Int) -> [UInt8] {
        var text = "# \(marker)\n"
        for index in 0..<rules { text += "/area\(index)/**/*.swift @team-\(index % 7)\n" }
        return Array(text.utf8)
    }

    @Test func concurrentCallersGetTheSameRules() throws {
        let bytes = Self.rulesFile(UUID().uuidString, rules: 2_000)
        RulesMemo.prefetch(bytes, path: "CODEOWNERS", dialect: nil)
        let owners = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            let rules = try? RulesMemo.rules(bytes, path: "CODEOWNERS", dialect: nil)
            owners.set(index, rules?.owners(of: RepoPath("area\(index * 100)/deep/file.swift")).owners)
        }
        for index in 0..<16 {
            #expect(owners.get(index) == ["@team-\((index * 100) % 7)"])
        }
    }

    @Test func aFailureIsReportedToEveryCaller() {
        // Not UTF-8: the parser rejects it, and the memo must not turn that into rules for anyone.
        let bytes = Array("# \(UUID().uuidString)\n/a @one\n".utf8) + [0xFF, 0xFE]
        var direct: GatehouseError?
        do throws(GatehouseError) { _ = try CodeownersParser.parse(bytes, path: "CODEOWNERS", dialect: nil) } catch { direct = error }
        #expect(direct != nil)
        let messages = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            do throws(GatehouseError) {
                _ = try RulesMemo.rules(bytes, path: "CODEOWNERS", dialect: nil)
                messages.set(index, ["ok"])
            } catch {
                messages.set(index, [error.message])
            }
        }
        for index in 0..<8 {
            #expect(messages.get(index) == [direct?.message ?? "ok"])
        }
    }

    @Test func differentBytesAreNotConfused() throws {
        let first = Array("/x @one\n".utf8)
        let second = Array("/x @two\n".utf8)
        RulesMemo.prefetch(first, path: "CODEOWNERS", dialect: nil)
        #expect(try RulesMemo.rules(second, path: "CODEOWNERS", dialect: nil).owners(of: RepoPath("x")).owners == ["@two"])
        #expect(try RulesMemo.rules(first, path: "CODEOWNERS", dialect: nil).owners(of: RepoPath("x")).owners == ["@one"])
        #expect(try RulesMemo.rules(first, path: "CODEOWNERS", dialect: .gitlab).owners(of: RepoPath("x")).owners == ["@one"])
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [String]] = [:]
    func set(_ index: Int, _ value: [String]?) { lock.withLock { values[index] = value } }
    func get(_ index: Int) -> [String]? { lock.withLock { values[index] } }
}
