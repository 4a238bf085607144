/// Quotes a path for line-oriented text output as git does: left bare unless it holds a
/// control character, a double quote or a backslash, in which case it is C-quoted with octal
/// escapes, so every path stays unambiguous on one line and can be read back. Valid UTF-8
/// stays readable (git's `core.quotePath=false`); bytes that are not UTF-8 are escaped as
/// git's default does, since the output is text.
public enum PathQuoting {
    public static func quote(_ path: RepoPath) -> String {
        let bytes = path.bytes
        let needsQuoting = !path.isValidUTF8 || bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0x22 || $0 == 0x5C }
        guard needsQuoting else { return path.string }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x07: out += Array("\\a".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0B: out += Array("\\v".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x22: out += Array("\\\"".utf8)
            case 0x5C: out += Array("\\\\".utf8)
            case 0x00..<0x20, 0x7F: out += octal(byte)
            case 0x80...:
                // Keep valid multi-byte characters readable; escape only bytes that are not.
                let length = validSequenceLength(bytes, at: index)
                if length > 0 {
                    out += bytes[index..<index + length]
                    index += length
                    continue
                }
                out += octal(byte)
            default: out.append(byte)
            }
            index += 1
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    private static func octal(_ byte: UInt8) -> [UInt8] {
        [UInt8(ascii: "\\"), UInt8(ascii: "0") + (byte >> 6), UInt8(ascii: "0") + ((byte >> 3) & 7), UInt8(ascii: "0") + (byte & 7)]
    }

    private static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        return String(validating: bytes[index..<index + length], as: UTF8.self) == nil ? 0 : length
    }
}

/// Text from input (lint messages, rule ids, report paths, checklist items) for line-oriented
/// text output: control characters, terminal escape sequences (ESC, C1) and line breaks become
/// visible escapes, so a value can neither start a line of its own (a GitHub workflow command
/// after the annotations) nor drive the reader's terminal.
public enum TextEscaping {
    public static func line(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where isControl(scalar): out += visible(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// How a control character is shown: `\u{1B}`, readable and inert in every format.
    static func visible(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}

