/// A path inside a repository, relative to its root, as git stores it: raw bytes.
///
/// Git does not require paths to be UTF-8, so a path is kept as the bytes libgit2 hands
/// over; `string` is only for display and for rules written as text.
public struct RepoPath: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    /// The path decoded as UTF-8; invalid bytes become U+FFFD.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    public var isValidUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    public var description: String { string }

    public static func < (lhs: RepoPath, rhs: RepoPath) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension RepoPath: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}
