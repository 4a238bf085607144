import Foundation
import GatehouseCore
import GatehouseTestSupport
import PropertyBased
import Testing

/// A path as raw bytes and how `PathQuoting.quote` must print it.
struct QuotingExample: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let quoted: String
    var testDescription: String { quoted }

    init(_ text: String, _ quoted: String) {
        self.bytes = Array(text.utf8)
        self.quoted = quoted
    }

    init(bytes: [UInt8], _ quoted: String) {
        self.bytes = bytes
        self.quoted = quoted
    }
}

/// Reads a C-quoted path back to its bytes, the way git (and `git ls-files` consumers) do;
/// nil for anything that is not a well-formed quoting.
func cUnquote(_ text: [UInt8]) -> [UInt8]? {
    let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    guard text.first == quote else { return text }
    guard text.count >= 2, text.last == quote else { return nil }
    var out: [UInt8] = []
    var i = 1
    let end = text.count - 1
    while i < end {
        let byte = text[i]
        if byte == quote { return nil }
        guard byte == backslash else {
            out.append(byte)
            i += 1
            continue
        }
        i += 1
        guard i < end else { return nil }
        let escape = text[i]
        switch escape {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case quote, backslash: out.append(escape)
        case UInt8(ascii: "0")...UInt8(ascii: "3"):
            guard i + 2 < end else { return nil }
            let digits = text[i...(i + 2)]
            guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "7")).contains($0) }) else { return nil }
            out.append(digits.reduce(0) { $0 * 8 + ($1 - UInt8(ascii: "0")) })
            i += 2
        default: return nil
        }
        i += 1
    }
    return out
}

/// Any byte but NUL and `/`, which cannot occur in a path component.
private let pathByte = Gen.uint8(in: 1...254).map { $0 >= 0x2F ? $0 + 1 : $0 }

/// Pieces that make quoting interesting: valid multi-byte characters, truncated ones and specials.
private let pieces: [[UInt8]] = [
    Array("ü".utf8), Array("日".utf8), Array("😀".utf8), Array("ｆ".utf8), Array("\u{800}".utf8), Array("\u{10FFFF}".utf8), Array("a".utf8), Array(" ".utf8),
    [0x09], [0x0A], [0x0D], [0x22], [0x5C], [0x7F], [0x01], [0x1B],
    [0xE9], [0xC3], [0xE6, 0x97], [0xF0, 0x9F, 0x98], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80],
]
private let piecewisePath = Gen.int(in: 0...(pieces.count - 1)).map { pieces[$0] }
    .array(of: 0...15)
    .map { $0.flatMap { $0 } }

private func isSpecial(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x7F || byte == 0x22 || byte == 0x5C }

@Suite("PathQuoting")
struct PathQuotingTests {
    static let examples: [QuotingExample] = [
        QuotingExample("src/main.swift", "src/main.swift"),
        QuotingExample("with space.txt", "with space.txt"),
        QuotingExample("", ""),
        QuotingExample("a\tb", #""a\tb""#),
        QuotingExample("a\nb", #""a\nb""#),
        QuotingExample("say \"hi\"", #""say \"hi\"""#),
        QuotingExample("back\\slash", #""back\\slash""#),
        QuotingExample("\u{07}\u{08}\u{0B}\u{0C}\u{0D}", #""\a\b\v\f\r""#),
        QuotingExample("ctl\u{01}x", #""ctl\001x""#),
        QuotingExample("esc\u{1B}", #""esc\033""#),
        QuotingExample("del\u{7F}", #""del\177""#),
        QuotingExample(bytes: [0x61, 0xE9, 0x62], #""a\351b""#),
        QuotingExample("ünï/日本.txt", "ünï/日本.txt"),
        QuotingExample("emoji 😀.md", "emoji 😀.md"),
        // Three-byte characters at both ends of the lead-byte range (E0 and EF), and the largest code point.
        QuotingExample("\u{800}ｆｕｌｌ\u{FFFD}\u{FFFF}\u{10FFFF}", "\u{800}ｆｕｌｌ\u{FFFD}\u{FFFF}\u{10FFFF}"),
        QuotingExample("\u{FEFF}\u{7FF}\u{80}\"", "\"\u{FEFF}\u{7FF}\u{80}\\\"\""),
        QuotingExample("ü\tx", "\"ü\\tx\""),
        QuotingExample(bytes: Array("ü".utf8) + [0xE9], "\"ü\\351\""),
        // A truncated sequence, an overlong encoding, a surrogate and a code point above U+10FFFF.
        QuotingExample(bytes: [0xE2, 0x82], #""\342\202""#),
        QuotingExample(bytes: [0xC0, 0xAF], #""\300\257""#),
        QuotingExample(bytes: [0xED, 0xA0, 0x80], #""\355\240\200""#),
        QuotingExample(bytes: [0xF4, 0x90, 0x80, 0x80], #""\364\220\200\200""#),
        // A valid character right after an invalid lead byte is kept.
        QuotingExample(bytes: [0xE9] + Array("é".utf8), "\"\\351é\""),
    ]

    @Test("quotes like git with core.quotePath=false", arguments: examples)
    func quoting(_ example: QuotingExample) {
        #expect(PathQuoting.quote(RepoPath(bytes: example.bytes)) == example.quoted)
    }

    /// git's own quoting is the oracle. `git -c core.quotePath=false ls-files` leaves bytes that are not
    /// UTF-8 raw (its output is then not UTF-8 text), which a Swift string cannot carry; for those
    /// names Gatehouse escapes them as git does by default, so they are compared with plain `git ls-files`.
    @Test("matches git ls-files for odd file names")
    func matchesGit() throws {
        let repo = try TestRepository()
        let names: [[UInt8]] = [
            Array("plain.txt".utf8),
            Array("tab\there".utf8),
            Array("quote\"d".utf8),
            Array("back\\slash".utf8),
            Array("new\nline".utf8),
            Array("ünï.txt".utf8),
            Array("ｆｕｌｌ\u{FFFD}\u{800}😀".utf8),
            Array("ｆｕｌｌ\u{FFFD}\r".utf8),
            Array("with space".utf8),
            Array("del\u{7F}".utf8),
            Array("bell\u{07}\u{1B}".utf8),
            Array("ü\tmix".utf8),
            Array("dir/sub dir/x\"y".utf8),
            Array("lone".utf8) + [0xE9],
            [0xE9, 0x2E, 0x74, 0x78, 0x74],
        ]
        for name in names { try repo.write(name, Array("x\n".utf8)) }
        try repo.commit("odd names")

        var raw = try repo.git(["ls-files", "-z"]).stdout.split(separator: 0, omittingEmptySubsequences: false).map(Array.init)
        if raw.last == [] { raw.removeLast() }
        func lines(_ arguments: [String]) throws -> [[UInt8]] {
            var lines = try repo.git(arguments).stdout.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if lines.last == [] { lines.removeLast() }
            return lines
        }
        let unicodeLines = try lines(["-c", "core.quotePath=false", "ls-files"])
        let defaultLines = try lines(["-c", "core.quotePath=true", "ls-files"])
        try #require(raw.count == names.count)
        try #require(unicodeLines.count == raw.count && defaultLines.count == raw.count)
        #expect(Set(raw) == Set(names))

        for index in raw.indices {
            let path = RepoPath(bytes: raw[index])
            let ours = Array(PathQuoting.quote(path).utf8)
            let gits = path.isValidUTF8 ? unicodeLines[index] : defaultLines[index]
            #expect(
                ours == gits,
                "\(raw[index]): Gatehouse \(String(decoding: ours, as: UTF8.self)) git \(String(decoding: gits, as: UTF8.self))")
        }
    }

    @Test("unquote(quote(p)) == p for random bytes; quoted text is one line")
    func roundTripRandomBytes() async {
        await propertyCheck(count: 500, input: pathByte.array(of: 0...40)) { bytes in
            checkRoundTrip(bytes)
        }
    }

    @Test("unquote(quote(p)) == p for paths mixing characters, specials and broken UTF-8")
    func roundTripPieces() async {
        await propertyCheck(count: 500, input: piecewisePath) { bytes in
            checkRoundTrip(bytes)
        }
    }

    @Test("a path is left bare exactly when it is UTF-8 without specials")
    func bareWhenHarmless() async {
        await propertyCheck(count: 300, input: piecewisePath) { bytes in
            let path = RepoPath(bytes: bytes)
            let quoted = PathQuoting.quote(path)
            let harmless = path.isValidUTF8 && !bytes.contains(where: isSpecial)
            #expect((Array(quoted.utf8) == bytes) == harmless, "\(bytes) -> \(quoted)")
            #expect(quoted.hasPrefix("\"") == !harmless, "\(bytes) -> \(quoted)")
        }
    }

    private func checkRoundTrip(_ bytes: [UInt8], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let quoted = Array(PathQuoting.quote(RepoPath(bytes: bytes)).utf8)
        #expect(cUnquote(quoted) == bytes, "\(bytes) -> \(String(decoding: quoted, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(!quoted.contains(where: isSpecial) || quoted.first == UInt8(ascii: "\""), sourceLocation: sourceLocation)
        #expect(!quoted.contains(0x0A), "raw newline in \(quoted)", sourceLocation: sourceLocation)
        // Inside the quotes only the quoting's own quote and backslash characters remain special.
        if quoted.first == UInt8(ascii: "\"") {
            #expect(!quoted.contains { $0 < 0x20 || $0 == 0x7F }, "raw control byte in \(quoted)", sourceLocation: sourceLocation)
        }
        #expect(String(validating: quoted, as: UTF8.self) != nil, sourceLocation: sourceLocation)
    }

    @Test func unquoteHelperRejectsMalformedQuoting() {
        #expect(cUnquote(Array(#""a\qb""#.utf8)) == nil)
        #expect(cUnquote(Array(#""a\4""#.utf8)) == nil)
        #expect(cUnquote(Array(#""a\35""#.utf8)) == nil)
        #expect(cUnquote(Array(#""abc"#.utf8)) == nil)
        #expect(cUnquote(Array(#""a\351b""#.utf8)) == [0x61, 0xE9, 0x62])
        #expect(cUnquote(Array("plain".utf8)) == Array("plain".utf8))
    }
}
