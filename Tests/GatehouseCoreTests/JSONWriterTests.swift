import Foundation
import GatehouseCore
import PropertyBased
import Testing

// MARK: Generators

/// Characters JSON strings must escape, and a few that they must not mangle.
///
/// U+FEFF is left out: Foundation's JSONSerialization drops it when it starts a string or follows
/// an escape, so it cannot serve as the oracle there; `byteOrderMarkIsKept` checks the writer's bytes.
private let specialScalars: [Unicode.Scalar] = [
    "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{8}", "\u{C}", "\u{1F}", "\u{7F}", "/",
    "\u{2028}", "\u{FFFE}", "é", "日", "😀", "\u{10FFFF}", "\u{FFFD}", "\u{300}",
]

/// A quarter ASCII (control characters included), a quarter specials, a quarter BMP, a quarter astral.
private let anyScalar = Gen.uint32(in: 0...0x3FFFF).map { value -> Unicode.Scalar in
    let n = value / 4
    switch value % 4 {
    case 0: return Unicode.Scalar(UInt8(n % 128))
    case 1: return specialScalars[Int(n) % specialScalars.count]
    case 2:
        let scalar = 0x80 + n % 0xF780  // skips the surrogates D800...DFFF
        let bmp = scalar < 0xD800 ? scalar : scalar + 0x800
        return Unicode.Scalar(bmp == 0xFEFF ? 0xFEFE : bmp)!
    default: return Unicode.Scalar(0x10000 + n % 0x100000)!
    }
}

private let anyString = anyScalar.array(of: 0...16).map { scalars -> String in
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    return text
}

private func scalars(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }

private func parse(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes))
}

private func isJSONNumber(_ text: String) -> Bool {
    text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
}

// MARK: A model of JSON documents built from a list of random operations

indirect enum JSONTree: CustomStringConvertible {
    case object([JSONTree])
    case array([JSONTree])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null
    case range(ClosedRange<Int>)

    /// Interprets each number as an instruction: open an object or array, close one, or add a value.
    static func build(_ operations: [Int]) -> JSONTree {
        var stack: [(isObject: Bool, items: [JSONTree])] = [(true, [])]
        func close() {
            let top = stack.removeLast()
            stack[stack.count - 1].items.append(top.isObject ? .object(top.items) : .array(top.items))
        }
        for op in operations {
            switch op % 8 {
            case 0: stack.append((true, []))
            case 1: stack.append((false, []))
            case 2: if stack.count > 1 { close() }
            case 3: stack[stack.count - 1].items.append(.string("s\(op)\u{1}\"\\ é\n"))
            case 4: stack[stack.count - 1].items.append(.int(op % 3 == 0 ? -op * 1_000_003 : op))
            case 5: stack[stack.count - 1].items.append(.bool(op % 2 == 0))
            case 6: stack[stack.count - 1].items.append(.null)
            default: stack[stack.count - 1].items.append(.range(op...(op + op % 5)))
            }
        }
        while stack.count > 1 { close() }
        return .object(stack[0].items)
    }

    func write(to writer: inout JSONWriter) {
        switch self {
        case .object(let items):
            writer.beginObject()
            for (index, item) in items.enumerated() {
                writer.key("k\(index)")
                item.write(to: &writer)
            }
            writer.endObject()
        case .array(let items):
            writer.beginArray()
            for item in items { item.write(to: &writer) }
            writer.endArray()
        case .string(let text): writer.string(text)
        case .int(let n): writer.int(n)
        case .bool(let b): writer.bool(b)
        case .null: writer.null()
        case .range(let r): writer.range(r)
        }
    }

    /// Whether a value from JSONSerialization is this tree.
    func matches(_ value: Any) -> Bool {
        switch self {
        case .object(let items):
            guard let dictionary = value as? [String: Any], dictionary.count == items.count else { return false }
            return items.enumerated().allSatisfy { index, item in dictionary["k\(index)"].map(item.matches) ?? false }
        case .array(let items):
            guard let array = value as? [Any], array.count == items.count else { return false }
            return Swift.zip(items, array).allSatisfy { $0.matches($1) }
        case .string(let text): return (value as? String).map(scalars) == scalars(text)
        case .int(let n): return (value as? NSNumber)?.intValue == n
        case .bool(let b): return (value as? Bool) == b
        case .null: return value is NSNull
        case .range(let r): return (value as? [Any]).map { $0.compactMap { ($0 as? NSNumber)?.intValue } } == [r.lowerBound, r.upperBound]
        }
    }

    var description: String {
        switch self {
        case .object(let items): "{\(items.map(\.description).joined(separator: ","))}"
        case .array(let items): "[\(items.map(\.description).joined(separator: ","))]"
        case .string(let text): text.debugDescription
        case .int(let n): "\(n)"
        case .bool(let b): "\(b)"
        case .null: "null"
        case .range(let r): "\(r)"
        }
    }
}

/// The document with every space and newline outside strings removed.
private func strippingLayout(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    var inString = false, escaped = false
    for byte in bytes {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            out.append(byte)
        } else if byte == 0x20 || byte == 0x0A {
            continue
        } else {
            if byte == UInt8(ascii: "\"") { inString = true }
            out.append(byte)
        }
    }
    return out
}

// MARK: Tests

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test("random strings survive as keys and values", arguments: [true, false])
    func stringsRoundTrip(pretty: Bool) async throws {
        await propertyCheck(count: 200, input: anyString.array(of: 0...8)) { strings in
            var w = JSONWriter(pretty: pretty)
            w.beginObject()
            w.key("object")
            w.beginObject()
            for (index, text) in strings.enumerated() {
                w.key("\(index):\(text)")
                w.string(text)
            }
            w.endObject()
            w.key("array")
            w.beginArray()
            for text in strings { w.string(text) }
            w.endArray()
            w.endObject()

            let root = try #require(try parse(w.bytes) as? [String: Any], "\(w.string)")
            let object = try #require(root["object"] as? [String: Any])
            let array = try #require(root["array"] as? [String])
            #expect(array.map(scalars) == strings.map(scalars))
            let expectedKeys = Set(strings.enumerated().map { scalars("\($0):\($1)") })
            #expect(Set(object.keys.map(scalars)) == expectedKeys)
            for (index, text) in strings.enumerated() {
                #expect((object["\(index):\(text)"] as? String).map(scalars) == scalars(text))
            }
            // A JSON string never holds a raw control character.
            #expect(!w.bytes.contains { $0 < 0x20 && $0 != 0x0A } && (pretty || !w.bytes.contains(0x0A)))
        }
    }

    @Test("random nesting gives valid JSON, pretty and compact, with the same content")
    func nestingRoundTrip() async throws {
        await propertyCheck(count: 300, input: Gen.int(in: 0...999).array(of: 0...60)) { operations in
            let tree = JSONTree.build(operations)
            var pretty = JSONWriter(pretty: true)
            tree.write(to: &pretty)
            var compact = JSONWriter(pretty: false)
            tree.write(to: &compact)

            let parsedPretty = try parse(pretty.bytes)
            let parsedCompact = try parse(compact.bytes)
            #expect(tree.matches(parsedPretty), "\(tree)\n\(pretty.string)")
            #expect(tree.matches(parsedCompact), "\(tree)\n\(compact.string)")
            #expect(strippingLayout(pretty.bytes) == compact.bytes, "\(pretty.string)\n\(compact.string)")
            #expect(strippingLayout(compact.bytes) == compact.bytes, "compact output has layout: \(compact.string)")
        }
    }

    @Test func prettyLayout() {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.key("a"); w.int(1)
        w.key("b"); w.beginArray(); w.int(1); w.int(-2); w.endArray()
        w.key("c"); w.beginObject(); w.endObject()
        w.key("d"); w.beginArray(); w.endArray()
        w.key("e"); w.null()
        w.key("f"); w.beginArray(); w.range(3...7); w.endArray()
        w.key("g"); w.bool(true)
        w.endObject()
        #expect(w.string == """
            {
              "a": 1,
              "b": [
                1,
                -2
              ],
              "c": {},
              "d": [],
              "e": null,
              "f": [
                [3, 7]
              ],
              "g": true
            }
            """)
    }

    @Test func compactLayout() {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.key("a"); w.int(Int.min)
        w.key("b"); w.beginArray(); w.range(1...1); w.string(nil); w.bool(false); w.endArray()
        w.key("c"); w.int(Int.max)
        w.endObject()
        #expect(w.string == #"{"a":-9223372036854775808,"b":[[1,1],null,false],"c":9223372036854775807}"#)
    }

    @Test func escapes() {
        var w = JSONWriter(pretty: false)
        w.string("\u{0}\u{1}\u{1F}\u{7F}\"\\\n\r\t\u{8}\u{C}/é😀")
        #expect(w.string == #""\u0000\u0001\u001f\u007f\"\\\n\r\t\u0008\u000c/é😀""#)
    }

    @Test func byteOrderMarkIsKept() {
        var w = JSONWriter(pretty: false)
        w.beginArray(); w.string("\u{FEFF}"); w.string("\u{0}\u{FEFF}"); w.endArray()
        #expect(w.bytes == Array("[\"\u{FEFF}\",\"\\u0000\u{FEFF}\"]".utf8))
        #expect(w.bytes.count == 19)  // brackets, comma, 4 quotes, 2 × 3-byte U+FEFF, 6-byte escape
    }

    // MARK: number(_:digits:)

    struct NumberCase: Sendable, CustomTestStringConvertible {
        let value: Double
        let digits: Int
        let text: String
        var testDescription: String { "\(value) digits \(digits) -> \(text)" }
    }

    @Test(arguments: [
        NumberCase(value: 0, digits: 2, text: "0"),
        NumberCase(value: -0.0, digits: 2, text: "0"),
        NumberCase(value: 12.5, digits: 2, text: "12.5"),
        NumberCase(value: 66.666, digits: 2, text: "66.67"),
        NumberCase(value: 100, digits: 2, text: "100"),
        NumberCase(value: 99.999, digits: 2, text: "100"),
        NumberCase(value: 1.0 / 3.0, digits: 2, text: "0.33"),
        NumberCase(value: 2.0 / 3.0, digits: 1, text: "0.7"),
        NumberCase(value: 2.5, digits: 0, text: "3"),
        NumberCase(value: -1.25, digits: 1, text: "-1.3"),
        NumberCase(value: 50.10, digits: 2, text: "50.1"),
        NumberCase(value: .nan, digits: 2, text: "null"),
        NumberCase(value: .infinity, digits: 2, text: "null"),
    ])
    func number(_ example: NumberCase) {
        var w = JSONWriter()
        w.number(example.value, digits: example.digits)
        #expect(w.string == example.text)
    }

    @Test("number() writes a JSON number equal to the value rounded to `digits`")
    func numberProperty() async {
        await propertyCheck(count: 500, input: Gen.double(in: -1e6...1e6), Gen.int(in: 0...4)) { value, digits in
            var w = JSONWriter()
            w.number(value, digits: digits)
            let text = w.string
            var scale = 1.0
            for _ in 0..<digits { scale *= 10 }
            #expect(isJSONNumber(text), "\(value) -> \(text)")
            #expect(Double(text) == (value * scale).rounded() / scale, "\(value) -> \(text)")
            #expect(!text.contains(".") || !text.hasSuffix("0"), "trailing zero in \(text)")
        }
    }

    @Test(
        "number() stays a valid, exact JSON number for large and tiny values",
        arguments: [
            NumberCase(value: 1e15, digits: 2, text: "1000000000000000"),
            NumberCase(value: 1e20, digits: 2, text: "1e+20"),
            NumberCase(value: 2.5e30, digits: 2, text: "2.5e+30"),
            NumberCase(value: 1e-10, digits: 10, text: "1e-10"),
        ])
    func numberExtremes(_ example: NumberCase) {
        var w = JSONWriter()
        w.number(example.value, digits: example.digits)
        let text = w.string
        #expect(isJSONNumber(text), "\(example.value) -> \(text)")
        #expect(Double(text) == example.value, "\(example.value) -> \(text)")
    }

    // MARK: path(_:_:)

    @Test func pathThatIsUTF8HasNoBytesKey() throws {
        var w = JSONWriter(pretty: false)
        w.beginObject()
        w.path("path", RepoPath("dir/ünï\tx"))
        w.path("oldPath", nil)
        w.endObject()
        #expect(w.string == "{\"path\":\"dir/ünï\\tx\",\"oldPath\":null}")
    }

    @Test func pathThatIsNotUTF8AddsBase64Bytes() throws {
        let bytes: [UInt8] = [0x61, 0xE9, 0x62, 0x2F, 0xFF]
        var w = JSONWriter(pretty: true)
        w.beginObject()
        w.path("path", RepoPath(bytes: bytes))
        w.key("next"); w.int(1)
        w.endObject()
        let root = try #require(try parse(w.bytes) as? [String: Any])
        #expect(root["path"] as? String == "a\u{FFFD}b/\u{FFFD}")
        let base64 = try #require(root["pathBytes"] as? String)
        #expect(base64 == "YeliL/8=")
        #expect(Data(base64Encoded: base64).map(Array.init) == bytes)
        #expect(root["next"] as? Int == 1)
    }

    @Test("any path round-trips through `key` and `keyBytes`")
    func pathProperty() async throws {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...20)) { bytes in
            let path = RepoPath(bytes: bytes)
            var w = JSONWriter(pretty: false)
            w.beginObject()
            w.path("p", path)
            w.endObject()
            let root = try #require(try parse(w.bytes) as? [String: Any], "\(w.string)")
            #expect((root["p"] as? String).map(scalars) == scalars(String(decoding: bytes, as: UTF8.self)))
            if path.isValidUTF8 {
                #expect(root.count == 1)
            } else {
                let base64 = try #require(root["pBytes"] as? String)
                #expect(base64.count % 4 == 0)
                #expect(Data(base64Encoded: base64).map(Array.init) == bytes)
            }
        }
    }
}
