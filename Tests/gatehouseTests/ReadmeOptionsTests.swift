import Foundation
import GatehouseTestSupport
import Testing

/// README and the command line agree: every option README shows beside a `gatehouse` command is
/// one that command's `--help` lists, so a newcomer who copies a line is never told it is unknown.
@Suite("README and --help agree")
struct ReadmeOptionsTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md").path

    static let commands: Set<String> = ["diff", "check", "owners", "explain", "rules", "reviewers", "checklist", "hook", "init", "size"]
    static let subcommands: [String: Set<String>] = [
        "rules": ["check"], "hook": ["install", "uninstall", "pre-push"], "checklist": ["show", "verify"],
    ]
    /// Commands whose options live on a default subcommand.
    static let defaults: [String: String] = ["checklist": "show"]

    /// (command path, option) for every `gatehouse ...` mention: in code blocks and inline code,
    /// up to a comment or the end of the mention.
    static func mentions() throws -> [(command: [String], option: String, line: Int)] {
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        var found: [(command: [String], option: String, line: Int)] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            while let start = rest.range(of: "gatehouse ") {
                // `gatehouse` as a word: not part of a path such as .build/release/gatehouse's folder.
                let before = rest[..<start.lowerBound].last
                rest = rest[start.upperBound...]
                if let before, before.isLetter || before == "-" || before == "." { continue }
                let mention = rest.prefix { $0 != "`" && $0 != "#" && $0 != ";" && $0 != "|" && $0 != "&" && $0 != ")" }
                let words = mention.split(separator: " ").map(String.init)
                guard let first = words.first, commands.contains(first) else { continue }
                var command = [first]
                if words.count > 1, subcommands[first]?.contains(words[1]) == true { command.append(words[1]) }
                for word in words.dropFirst(command.count) where word.hasPrefix("--") && word.count > 2 {
                    let option = String(word.prefix { $0 != "=" && $0 != "," && $0 != "." && $0 != "'" && $0 != "\"" })
                    found.append((command, option, number + 1))
                }
            }
        }
        return found
    }

    @Test func everyOptionReadmeShowsIsInTheCommandsHelp() throws {
        let mentions = try Self.mentions()
        #expect(mentions.count >= 20, "the extraction finds README's options (\(mentions.count))")
        var helps: [[String]: String] = [:]
        for mention in mentions {
            var command = mention.command
            if command.count == 1, let sub = Self.defaults[command[0]] { command.append(sub) }
            if helps[command] == nil {
                let result = try GatehouseCLI.run(command + ["--help"], in: "/")
                #expect(result.status == 0, "\(command) --help: \(result.stderr)")
                helps[command] = result.output
            }
            #expect(helps[command]!.contains(mention.option), "README.md:\(mention.line): gatehouse \(mention.command.joined(separator: " ")) \(mention.option) is not in its --help")
        }
    }
}
