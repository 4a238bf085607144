/// Writes JSON straight into a byte buffer, keys in the order given.
///
/// Output must be byte-stable for golden files and fast for 5,000-file changes;
/// Foundation's encoder offers neither a fixed key order nor raw-byte strings.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private let pretty: Bool
    private var afterKey = false

    public init(pretty: Bool = true, reserving capacity: Int = 4096) {
        self.pretty = pretty
        bytes.reserveCapacity(capacity)
    }

    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The finished document as a file holds it: the bytes and a final newline.
    public var document: [UInt8] { bytes + [0x0A] }

    private mutating func newline() {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<(needsComma.count - 1) { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func beforeValue() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { bytes.append(UInt8(ascii: ",")) }
        needsComma[needsComma.count - 1] = true
        if needsComma.count > 1 { newline() }
    }

    public mutating func beginObject() { beforeValue(); bytes.append(UInt8(ascii: "{")); needsComma.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { beforeValue(); bytes.append(UInt8(ascii: "[")); needsComma.append(false) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func close(_ bracket: UInt8) {
        let hadItems = needsComma.removeLast()
        if hadItems { newline() }
        bytes.append(bracket)
    }

    public mutating func key(_ name: String) {
        beforeValue()
        appendQuoted(name.utf8)
        bytes.append(UInt8(ascii: ":"))
        if pretty { bytes.append(0x20) }
        afterKey = true
    }

    public mutating func string(_ value: String) { beforeValue(); appendQuoted(value.utf8) }
    public mutating func string(_ value: String?) { if let value { string(value) } else { null() } }
    public mutating func int(_ value: Int) { beforeValue(); appendInt(value) }
    public mutating func int(_ value: Int?) { if let value { int(value) } else { null() } }
    public mutating func bool(_ value: Bool) { beforeValue(); bytes.append(contentsOf: value ? Array("true".utf8) : Array("false".utf8)) }
    public mutating func null() { beforeValue(); bytes.append(contentsOf: Array("null".utf8)) }

    /// Writes a number such as a percentage, rounded to `digits` decimals, without trailing zeros.
    public mutating func number(_ value: Double, digits: Int = 2) {
        beforeValue()
        guard value.isFinite else { bytes.append(contentsOf: Array("null".utf8)); return }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = abs(value) < 1e15 ? (value * scale).rounded() / scale : value
        if rounded == rounded.rounded(.towardZero), abs(rounded) < 1e15 {
            appendInt(Int(rounded))
            return
        }
        // Swift prints shortest round-trip digits: "66.67", "1e+20", "2.5e-08", all valid JSON.
        var text = String(rounded)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        bytes.append(contentsOf: Array(text.utf8))
    }

    /// A compact `[start, end]` pair on one line, for line ranges.
    public mutating func range(_ range: ClosedRange<Int>) {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        appendInt(range.lowerBound)
        bytes.append(UInt8(ascii: ","))
        if pretty { bytes.append(0x20) }
        appendInt(range.upperBound)
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func appendInt(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendUInt(UInt(value.magnitude))
        } else {
            appendUInt(UInt(value))
        }
    }

    private mutating func appendUInt(_ value: UInt) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                      UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while n > 0 {
                buffer[count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[i]) }
        }
    }

    private mutating func appendQuoted<C: Collection>(_ utf8: C) where C.Element == UInt8 {
        bytes.append(UInt8(ascii: "\""))
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\")); bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "\\")); bytes.append(UInt8(ascii: "t"))
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8))
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONWriter {
    /// Writes a repository path. JSON strings must be Unicode, so a path that is not valid
    /// UTF-8 is written with U+FFFD in `key` and its exact bytes, base64, in `key + "Bytes"`.
    public mutating func path(_ key: String, _ path: RepoPath?) {
        self.key(key)
        guard let path else { null(); return }
        string(path.string)
        if !path.isValidUTF8 {
            self.key(key + "Bytes")
            string(Base64.encode(path.bytes))
        }
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = (b0 << 16) | (b1 << 8) | b2
            out.append(table[Int((n >> 18) & 63)])
            out.append(table[Int((n >> 12) & 63)])
            out.append(i + 1 < bytes.count ? table[Int((n >> 6) & 63)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
