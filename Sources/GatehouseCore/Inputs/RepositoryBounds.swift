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

extension RepositoryBounds {
    /// The bytes of a regular file the repository's content names (a configured path under
    /// `root`), read through one descriptor that must resolve inside `root`; nil when there is no
    /// such file. Refused: a link out of the repository, anything but a regular file, and more
    /// than `limit` bytes.
    public static func read(_ path: String, root: String, limit: Int, what: String, shown: String) throws(GatehouseError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw GatehouseError(.unreadableFile, "cannot read the \(what) \(shown): \(String(cString: strerror(errno))).", at: SourceLocation(file: shown))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw GatehouseError(.unreadableFile, "the \(what) \(shown) is not a regular file. Check the path.", at: SourceLocation(file: shown))
        }
        if let resolved = resolved(descriptor: descriptor), !contains(root: root, resolvedPath: resolved) {
            throw GatehouseError(
                .invalidConfig,
                "a symbolic link leads the \(what) \(shown) outside the repository; Gatehouse reads the files the repository names only inside it. "
                    + "Remove the link, or give the file's path on the command line.",
                at: SourceLocation(file: shown))
        }
        guard Int(status.st_size) <= limit else {
            throw GatehouseError(
                .invalidConfig, "the \(what) \(shown) is \(status.st_size) bytes, more than the \(limit >> 20) MiB Gatehouse reads. Check the path.",
                at: SourceLocation(file: shown))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        return Array(bytes[..<filled])
    }
}
