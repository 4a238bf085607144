/// A piece of an input quoted in a message: short, one line, control characters and terminal
/// escapes shown as escapes.
///
/// Messages name the file, line and what was expected; they quote the input only to point at a
/// token (a key, a level, a mode), never a whole line or value: an input can be anything (a
/// symbolic link to a secret, a megabyte on one line, an alias that expands without bound), and
/// a message is printed to logs that others read.
public enum InputText {
    /// The most characters of input a message quotes.
    public static let maxQuoted = 40

    /// `text`, cut to `limit` characters (with "…") and escaped.
    public static func token<S: StringProtocol>(_ text: S, limit: Int = maxQuoted) -> String {
        var cut = ""
        var count = 0
        for character in text {
            if count == limit {
                cut += "…"
                break
            }
            cut.append(character)
            count += 1
        }
        return TextEscaping.line(cut)
    }

    /// `token`, for bytes that may not be UTF-8 (invalid sequences become U+FFFD).
    public static func token(bytes: some Sequence<UInt8>, limit: Int = maxQuoted) -> String {
        var prefix: [UInt8] = []
        for byte in bytes {
            // Enough bytes for `limit` characters of up to four bytes, and one more to see a cut.
            if prefix.count == limit * 4 + 4 { break }
            prefix.append(byte)
        }
        return token(String(decoding: prefix, as: UTF8.self), limit: limit)
    }
}
