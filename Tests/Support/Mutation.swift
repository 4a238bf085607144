/// Mutates report bytes for fuzz tests, deterministically from `edits`: each edit overwrites a
/// byte, cuts out a run of up to 40 bytes, or truncates the rest.
public func mutate(_ original: [UInt8], edits: [Int]) -> [UInt8] {
    var bytes = original
    for edit in edits where !bytes.isEmpty {
        let position = edit % bytes.count
        switch edit % 3 {
        case 0: bytes[position] = UInt8(truncatingIfNeeded: edit >> 3)
        case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + (edit >> 3) % 40))
        default: bytes = Array(bytes.prefix(position))
        }
    }
    return bytes
}
