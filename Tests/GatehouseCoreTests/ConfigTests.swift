import Foundation
import GatehouseCore
import PropertyBased
import Testing

private let file = "rules/gatehouse.yml"

private func parse(_ text: String) throws(GatehouseError) -> GatehouseConfig {
    try GatehouseConfig.parse(Data(text.utf8), file: file)
}

/// The error `parse` throws for `text`, failing the test when it does not throw one.
private func parseError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    parseError(Data(text.utf8), sourceLocation: sourceLocation)
}

private func parseError(_ data: Data, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> GatehouseError? {
    do {
        let config = try GatehouseConfig.parse(data, file: file)
        Issue.record("expected an error, got \(config)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.kind == .invalidConfig, sourceLocation: sourceLocation)
        #expect(error.location?.file == file, sourceLocation: sourceLocation)
        return error
    }
}

/// YAML-ish fragments, so random documents reach the parser's interesting paths.
private let fragments: [[UInt8]] = [
    "base", "main", ":", " ", "  ", "\n", "\r\n", "\t", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ",
    "!!map ", "? ", "'", "\"", "#", "|", ">", "---\n", "...\n", "%YAML 1.2\n", "\u{FEFF}", "~", "null", "1.5",
    "é", "\\", "<<: ", "=",
].map { Array($0.utf8) } + [[0x00], [0xE9], [0xFF], [0x01], [0xC3]]

private let yamlish = Gen.int(in: 0...(fragments.count - 1)).map { fragments[$0] }
    .array(of: 0...40)
    .map { $0.flatMap { $0 } }

@Suite("GatehouseConfig.parse")
struct ConfigTests {
    // MARK: Valid files

    @Test func baseIsRead() throws {
        let config = try parse("base: main\n")
        #expect(config.base == "main")
        #expect(config.file == file)
    }

    @Test func quotedAndSlashedBase() throws {
        #expect(try parse("base: \"release/2.x\"").base == "release/2.x")
        #expect(try parse("# which branch\nbase: 'origin/main'   # remote\n").base == "origin/main")
    }

    @Test("empty files set nothing", arguments: ["", "\n", "# only a comment\n", "\u{FEFF}", "\u{FEFF}\r\n"])
    func emptyFile(_ text: String) throws {
        let config = try parse(text)
        #expect(config == GatehouseConfig(base: nil, file: file))
    }

    @Test func documentStartMarker() throws {
        #expect(try parse("---\nbase: main\n").base == "main")
        #expect(try parse("%YAML 1.2\n---\nbase: main\n...\n").base == "main")
    }

    @Test(
        "a document with nothing but a start marker sets nothing",
        arguments: ["---\n", "---\n# settings come later\n"])
    func emptyDocument(_ text: String) throws {
        let config = try parse(text)
        #expect(config.base == nil)
    }

    @Test func byteOrderMarkAndCRLF() throws {
        let config = try parse("\u{FEFF}# settings\r\nbase: develop\r\n")
        #expect(config.base == "develop")
    }

    @Test func loadReadsAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-\(UUID().uuidString).yml")
        try Data("base: trunk\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let config = try GatehouseConfig.load(path: url.path, displayPath: "shown.yml")
        #expect(config == GatehouseConfig(base: "trunk", file: "shown.yml"))
    }

    @Test func loadOfAMissingFileIsUnreadable() {
        #expect {
            try GatehouseConfig.load(path: "/nonexistent/gatehouse-\(UUID().uuidString).yml", displayPath: "x.yml")
        } throws: { error in
            guard let error = error as? GatehouseError else { return false }
            return error.kind == .unreadableFile && error.location?.file == "x.yml"
        }
    }

    // MARK: Errors

    @Test func unknownKeyIsNamedAtItsPosition() throws {
        let error = try #require(parseError("base: main\n\n  # typo below\nbsae: develop\n"))
        #expect(error.location?.line == 4)
        #expect(error.location?.column == 1)
        #expect(error.message.contains("'bsae'"))
        #expect(error.message.contains("base"))  // lists the known keys
        #expect(error.description.hasPrefix("\(file):4:1: error: "))
    }

    @Test func unknownKeyInFlowMapping() throws {
        let error = try #require(parseError("{base: main, extra: 1}"))
        #expect(error.location?.line == 1)
        #expect(error.location?.column == 14)
        #expect(error.message.contains("'extra'"))
    }

    @Test func baseGivenAFlowList() throws {
        let error = try #require(parseError("# comment\nbase: [main, master]\n"))
        #expect(error.message.contains("'base'"))
        #expect(error.message.contains("list"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 7)
    }

    @Test func baseGivenABlockList() throws {
        let error = try #require(parseError("base:\n  - main\n  - master\n"))
        #expect(error.message.contains("'base'"))
        #expect(error.message.contains("list"))
        // The list starts on the line after the key.
        #expect(error.location?.line == 2)
    }

    @Test func baseGivenAMapping() throws {
        let error = try #require(parseError("base:\n  branch: main\n"))
        #expect(error.message.contains("'base'"))
        #expect(error.message.contains("mapping"))
        #expect(error.location?.line == 2)
    }

    @Test("invalid YAML is reported at a line", arguments: [
        "base: [unclosed\n",
        "base: main\n  bad: indentation\n",
        "base: \"unterminated\n",
        "base: *undefined\n",
        "---\nbase: a\n---\nbase: b\n",
    ])
    func invalidYAML(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.location?.line != nil, "\(error)")
        #expect(error.location.map { $0.line! >= 1 && $0.line! <= text.split(separator: "\n", omittingEmptySubsequences: false).count } ?? false, "\(error)")
    }

    /// libyaml reports an unclosed list where the input ends, not at its `[`.
    @Test func unclosedFlowListPointsAtTheEndOfInput() throws {
        let error = try #require(parseError("# first\nbase: [unclosed\n"))
        #expect(error.message.hasPrefix("invalid YAML: "))
        #expect(error.message.contains("flow sequence"))
        #expect(error.location?.line == 3)
        #expect(error.location?.column == 1)
    }

    @Test func badIndentationPointsAtTheColon() throws {
        let error = try #require(parseError("base: main\n  bad: indentation\n"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 6)
    }

    @Test(
        "a control character is reported at its line, in one line of text")
    func controlCharacter() throws {
        let error = try #require(parseError("base: main\nx: a\u{1}\n"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 5)
        #expect(!error.message.contains("\n"))
    }

    @Test(
        "a null base is not taken as a branch named '~' or 'null'",
        arguments: ["base: ~\n", "base: null\n"])
    func nullBase(_ text: String) throws {
        // A YAML null leaves base unset; a branch named "~" or "null" would be wrong.
        #expect(try parse(text).base == nil)
    }

    @Test func emptyBaseIsUnset() throws {
        // `base:` with no value is a YAML null: unset, as if the key were absent.
        #expect(try parse("base:\n").base == nil)
        // A quoted "null" is a string, as YAML reads it.
        #expect(try parse("base: \"null\"\n").base == "null")
    }

    @Test func duplicateKeys() throws {
        let error = try #require(parseError("base: main\nbase: master\n"))
        #expect(error.message.contains("'base'"))
        #expect(error.message.contains("more than once"))
        #expect([1, 2].contains(error.location?.line))
    }

    @Test("bytes that are not UTF-8", arguments: [
        [0x62, 0x61, 0x73, 0x65, 0x3A, 0x20, 0xE9, 0x0A] as [UInt8],
        [0xFF, 0xFE, 0x62, 0x00],
        [0xC3],
    ])
    func notUTF8(_ bytes: [UInt8]) throws {
        let error = try #require(parseError(Data(bytes)))
        #expect(error.message.contains("UTF-8"))
    }

    @Test("the top level must be a mapping", arguments: ["- base\n- main\n", "main\n", "[base, main]"])
    func topLevelNotAMapping(_ text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.message.contains("must be a mapping"))
        #expect(error.location?.line == 1)
    }

    // MARK: Properties

    @Test("random bytes never crash the parser")
    func randomBytes() async {
        await propertyCheck(count: 500, input: Gen.uint8().array(of: 0...200)) { bytes in
            checkParseIsTotal(bytes)
        }
    }

    @Test("random YAML-like documents never crash the parser")
    func randomYAML() async {
        await propertyCheck(count: 1000, input: yamlish) { bytes in
            checkParseIsTotal(bytes)
        }
    }

    @Test("any branch-like name given as base is read back")
    func branchNames() async throws {
        let tail = Gen<Character?>.element(of: Array("abcXYZ019/-_.") as [Character]).map { $0! }
        await propertyCheck(input: Gen.letter, tail.string(of: 0...20)) { first, rest in
            let name = String(first) + rest
            let base = try parse("base: \(name)\n").base
            #expect(base == name)
        }
    }

    private func checkParseIsTotal(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        do {
            let config = try GatehouseConfig.parse(Data(bytes), file: file)
            #expect(config.file == file, sourceLocation: sourceLocation)
        } catch {
            #expect(error.kind == .invalidConfig, sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
            if let line = error.location?.line {
                #expect(line >= 1, sourceLocation: sourceLocation)
            }
        }
    }
}

/// Every setting that takes one of a fixed set of words names all of them, from the type, when
/// given another: the list cannot fall behind a new case.
@Suite("Configuration choices")
struct ConfigChoiceTests {
    static func words<T: RawRepresentable & CaseIterable>(_ type: T.Type) -> [String] where T.RawValue == String {
        T.allCases.map { $0.rawValue }
    }

    static let yaml = [
        "hook:\n  stale: x\n", "missing_report: x\n", "lint:\n  scope: x\n", "lint:\n  fail_on: x\n",
        "coverage:\n  no_changed_lines: x\n", "coverage:\n  unmapped: x\n", "coverage:\n  partial: x\n", "owners:\n  dialect: x\n",
    ]
    static let keys = [
        "hook.stale", "missing_report", "lint.scope", "lint.fail_on", "coverage.no_changed_lines", "coverage.unmapped", "coverage.partial",
        "owners.dialect",
    ]
    static var allowed: [[String]] {
        [
            words(HookSettings.StalePolicy.self), words(GatehouseConfig.MissingReport.self), words(LintSettings.Scope.self),
            words(LintSettings.FailOn.self), words(CoverageSettings.NoChangedLines.self), words(CoverageSettings.UnmappedPolicy.self),
            words(CoverageSettings.PartialBranches.self), words(OwnershipDialect.self),
        ]
    }

    @Test(arguments: 0..<8)
    func anUnknownWordListsTheAllowedOnes(index: Int) {
        let yaml = Self.yaml[index]
        let words = Self.allowed[index]
        let list = words.dropLast().joined(separator: ", ") + " or " + words[words.count - 1]
        let expected = "'\(Self.keys[index])' must be \(list), found 'x'."
        let lines = yaml.split(separator: "\n").count
        #expect {
            _ = try GatehouseConfig.parse(Data(yaml.utf8), file: "rules/gatehouse.yml")
        } throws: { error in
            let error = error as? GatehouseError
            return error?.message == expected && error?.location?.line == lines
        }
    }

    /// The value is the file's, not Gatehouse's: a megabyte of it is quoted as a short token.
    @Test func aHugeUnknownWordIsQuotedShort() {
        let value = String(repeating: "x", count: 1_000_000)
        #expect {
            _ = try GatehouseConfig.parse(Data("lint:\n  scope: \(value)\n".utf8), file: "rules/gatehouse.yml")
        } throws: { error in
            let message = (error as? GatehouseError)?.message ?? ""
            return message.hasPrefix("'lint.scope' must be added, context, files or all, found 'xxx") && message.count < 1_000
        }
    }

    @Test func aKnownWordIsRead() throws {
        let config = try GatehouseConfig.parse(Data("hook:\n  stale: fail\nlint:\n  fail_on: never\n".utf8), file: "rules/gatehouse.yml")
        #expect(config.hook.stale == .fail && config.lint.failOn == .never)
    }
}
