/// Mutates report bytes for fuzz tests, deterministically from `edits`: each edit overwrites a
/// byte, cuts out a run of up to 40 bytes, or truncates the rest.
public func mutate(_ original: [UInt8], edits: [Int]) -> [UInt8] {
    mutate(original, edits: edits, inserting: [])
}

/// `mutate(_:edits:)` with a fourth kind of edit when `inserts` is not empty: one of `inserts`
/// (tokens of the format: a bracket, a tag, `"line": 0,`) put in at the edit's position, so that
/// mutants reach the parser's later states instead of failing on the first byte.
public func mutate(_ original: [UInt8], edits: [Int], inserting inserts: [[UInt8]]) -> [UInt8] {
    var bytes = original
    let kinds = inserts.isEmpty ? 3 : 4
    for edit in edits where !bytes.isEmpty {
        let position = edit % bytes.count
        switch edit % kinds {
        case 0: bytes[position] = UInt8(truncatingIfNeeded: edit >> 3)
        case 1: bytes.removeSubrange(position..<min(bytes.count, position + 1 + (edit >> 3) % 40))
        case 2: bytes = Array(bytes.prefix(position))
        default: bytes.insert(contentsOf: inserts[(edit >> 3) % inserts.count], at: position)
        }
    }
    return bytes
}
