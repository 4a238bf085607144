import Foundation

/// Expands the report globs of the configuration (`coverage/lcov.info`,
/// `.build/debug/codecov/*.json`, `**/jacoco.xml`) against the file system.
public enum ReportFinder {
    /// Files matching each pattern, relative to `root` unless absolute; patterns that match
    /// nothing are returned in `missing`.
    public static func expand(_ patterns: [String], root: String) -> (found: [String], missing: [String]) {
        var found: [String] = []
        var missing: [String] = []
        for pattern in patterns {
            let absolute = pattern.hasPrefix("/")
            let base = absolute ? "/" : (root.hasSuffix("/") ? root : root + "/")
            let segments = pattern.split(separator: "/").map(String.init)
            var matches: [String] = []
            walk(base, segments[...], into: &matches)
            let unique = Array(Set(matches)).sorted()
            if unique.isEmpty { missing.append(pattern) }
            for file in unique where !found.contains(file) { found.append(file) }
        }
        return (found, missing)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    private static func isRealDirectory(_ path: String) -> Bool {
        guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else { return false }
        return type == .typeDirectory
    }

    private static func walk(_ folder: String, _ rest: ArraySlice<String>, into matches: inout [String]) {
        guard let segment = rest.first else { return }
        let remaining = rest.dropFirst()
        let fileManager = FileManager.default
        if segment == "**" {
            if remaining.isEmpty {
                // A trailing `**` (`dist/**`) means every file below, as in .gitignore and globstar.
                walk(folder, ["*"], into: &matches)
            } else {
                walk(folder, remaining, into: &matches)  // zero folders
            }
            // Real folders only, as shells' globstar does: a symbolic link can lead back up the
            // tree (node_modules, build folders) and `**` would never end. Hidden folders (.git,
            // .cache) are left out as globstar leaves them; a pattern can still name one.
            for child in (try? fileManager.contentsOfDirectory(atPath: folder)) ?? []
            where !child.hasPrefix(".") && isRealDirectory(folder + child) {
                walk(folder + child + "/", rest, into: &matches)
            }
            return
        }
        let hasWildcard = segment.contains { "*?[".contains($0) }
        let names: [String]
        if hasWildcard {
            let glob = Glob(Substring(segment), classes: true)
            // As shells, globby (size-limit) and .gitignore do: a wildcard does not match a leading
            // dot unless the pattern writes it, so dist/*.js leaves dist/.cache.js out.
            let dotsAllowed = segment.hasPrefix(".")
            names = ((try? fileManager.contentsOfDirectory(atPath: folder)) ?? []).filter { name in
                (dotsAllowed || !name.hasPrefix(".")) && Array(name.utf8).withUnsafeBufferPointer { glob.matches($0) }
            }
        } else {
            names = fileManager.fileExists(atPath: folder + segment) ? [segment] : []
        }
        for name in names {
            let path = folder + name
            if remaining.isEmpty {
                // Regular files only (through links): a FIFO would block the reader forever, and a
                // dangling link or a socket has nothing to measure or read.
                if isRegularFile(path) { matches.append(path) }
            } else if isDirectory(path) {
                walk(path + "/", remaining, into: &matches)
            }
        }
    }
}
