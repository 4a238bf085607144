/// Repository paths in one buffer, one after another: how a tree listing or a path list hands
/// over hundreds of thousands of paths without an array (an allocation) per path.
public struct PathBatch: Sendable {
    public private(set) var bytes: [UInt8] = []
    /// Path i is `bytes[ends[i - 1] ..< ends[i]]` (from 0 for the first).
    public private(set) var ends: [Int] = []

    public init() {}

    public init(_ paths: [RepoPath]) {
        for path in paths { append(path) }
    }

    public var count: Int { ends.count }
    public var isEmpty: Bool { ends.isEmpty }

    public func range(at index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1])..<ends[index]
    }

    public func path(at index: Int) -> RepoPath {
        RepoPath(bytes: Array(bytes[range(at: index)]))
    }

    public var paths: [RepoPath] {
        (0..<count).map(path(at:))
    }

    public mutating func append(_ path: RepoPath) {
        bytes.append(contentsOf: path.bytes)
        ends.append(bytes.count)
    }

    public mutating func append(_ path: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: path)
        ends.append(bytes.count)
    }

    /// Appends the path that is `folder` followed by `name` (a folder ends with "/").
    public mutating func append(_ folder: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: folder)
        bytes.append(contentsOf: name)
        ends.append(bytes.count)
    }

    public mutating func reserveCapacity(paths: Int, bytes byteCount: Int) {
        ends.reserveCapacity(paths)
        bytes.reserveCapacity(byteCount)
    }

    /// Calls `body` with each path of `indices`, in order, without copying it.
    public func forEach(in indices: Range<Int>, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            for index in indices {
                body(index, UnsafeBufferPointer(rebasing: all[range(at: index)]))
            }
        }
    }
}
