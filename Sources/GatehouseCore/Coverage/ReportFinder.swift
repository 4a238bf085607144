import Foundation

/// Expands the report globs of the configuration (`coverage/lcov.info`,
/// `.build/debug/codecov/*.json`, `**/jacoco.xml`) against the file system.
///
/// A match must stay inside the repository once links are resolved: a change can commit
/// `coverage/lcov.info -> /etc/shadow` or `dist -> /home/ci`, and the configuration's globs are
/// not the user naming a path. Such a match is an error naming it, not a report. The walk costs
/// at most one listing per folder and pattern segment (`**/**/…/**` fifty times once took 59 s).
public enum ReportFinder {
    /// Files matching each pattern, relative to `root` (the work tree) unless absolute; patterns
    /// that match nothing are returned in `missing`. Throws when a match resolves outside `root`.
    public static func expand(_ patterns: [String], root: String) throws(GatehouseError) -> (found: [String], missing: [String]) {
        var found: [String] = []
        var seen = Set<String>()
        var missing: [String] = []
        let realRoot = RepositoryBounds.resolved(root)
        for pattern in patterns {
            let absolute = pattern.hasPrefix("/")
            let base = absolute ? "/" : (root.hasSuffix("/") ? root : root + "/")
            var walker = Walker(segments: segments(pattern))
            walker.walk(base, 0)
            let unique = Array(Set(walker.matches)).sorted()
            if unique.isEmpty { missing.append(pattern) }
            for file in unique {
                let resolved = RepositoryBounds.resolved(file) ?? file
                guard let realRoot, resolved == realRoot || resolved.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
                    let shown = file.hasPrefix(base) && !absolute ? String(file.dropFirst(base.count)) : file
                    throw GatehouseError(
                        .invalidConfig,
                        "'\(InputText.token(pattern, limit: 120))' matches \(InputText.token(shown, limit: 200)), which a symbolic link "
                            + "leads outside the repository: a glob of the configuration only reads files inside it. "
                            + "Remove the link, or write the file inside the repository and name that path.")
                }
                if seen.insert(file).inserted { found.append(file) }
            }
        }
        return (found, missing)
    }

    /// The pattern's segments, with repeated `**` as one (they match the same folders) and a
    /// trailing `**` as `**/*`: every file below, as in .gitignore and globstar.
    static func segments(_ pattern: String) -> [String] {
        var segments: [String] = []
        for segment in pattern.split(separator: "/").map(String.init) where !(segment == "**" && segments.last == "**") {
            segments.append(segment)
        }
        if segments.last == "**" { segments.append("*") }
        return segments
    }

    static func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    static func isRealDirectory(_ path: String) -> Bool {
        guard let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType else { return false }
        return type == .typeDirectory
    }

    /// Matches one pattern, visiting each (folder, segment) pair once: `**` can reach a folder
    /// along many paths, and without the memo a pattern of many `**` walks every combination.
    private struct Walker {
        let segments: [String]
        var matches: [String] = []
        private var visited = Set<String>()

        init(segments: [String]) {
            self.segments = segments
        }

        mutating func walk(_ folder: String, _ index: Int) {
            guard index < segments.count, visited.insert("\(index)/\(folder)").inserted else { return }
            let segment = segments[index]
            let remaining = index + 1
            let fileManager = FileManager.default
            if segment == "**" {
                walk(folder, remaining)  // zero folders
                // Real folders only, as shells' globstar does: a symbolic link can lead back up the
                // tree (node_modules, build folders) and `**` would never end. Hidden folders (.git,
                // .cache) are left out as globstar leaves them; a pattern can still name one.
                for child in (try? fileManager.contentsOfDirectory(atPath: folder)) ?? []
                where !child.hasPrefix(".") && ReportFinder.isRealDirectory(folder + child) {
                    walk(folder + child + "/", index)
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
                if remaining == segments.count {
                    // Regular files only (through links): a FIFO would block the reader forever, and a
                    // dangling link or a socket has nothing to measure or read.
                    if ReportFinder.isRegularFile(path) { matches.append(path) }
                } else if ReportFinder.isDirectory(path) {
                    walk(path + "/", remaining)
                }
            }
        }
    }
}
