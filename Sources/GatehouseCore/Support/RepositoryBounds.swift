import Foundation

/// Whether a file the repository's content led to (a glob of the configuration, a committed
/// path) stays inside the repository once symbolic links are resolved.
///
/// A change can commit `dist/app.js -> /etc/shadow` or `coverage -> /home/ci`: what a glob or a
/// tracked path names is the author's choice, and where it resolves must not be. Paths given on
/// the command line are the user's own and are not checked.
public enum RepositoryBounds {
    /// `path` with every symbolic link resolved, or nil when it does not exist.
    public static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// The path an open descriptor refers to, as the kernel resolved it when it was opened (so no
    /// link can be swapped in between the check and the read), or nil where that is not known.
    public static func resolved(descriptor: Int32) -> String? {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/fd/\(descriptor)", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN) + 1)
        guard fcntl(descriptor, F_GETPATH, &buffer) != -1 else { return nil }
        return String(cString: buffer)
        #endif
    }

    /// Whether `resolvedPath` (links resolved) is `root` or inside it; `root` is resolved here.
    public static func contains(root: String, resolvedPath: String) -> Bool {
        guard let realRoot = resolved(root) else { return false }
        let prefix = realRoot.hasSuffix("/") ? realRoot : realRoot + "/"
        return resolvedPath == realRoot || resolvedPath.hasPrefix(prefix)
    }
}
