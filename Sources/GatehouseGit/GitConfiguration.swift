import CLibGit2
import Foundation
import GatehouseCore

/// git's configuration, read from the files and environment git itself reads, in git's order
/// (later wins): the system file, the global files, the repository's file, the work tree's own
/// file, then the command line's settings.
///
/// libgit2 1.5 alone gets this wrong in ways that change answers: it ignores
/// `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_SYSTEM`, `GIT_CONFIG_NOSYSTEM`, the work tree's
/// `config.worktree` and the settings `git -c key=value` hands to hooks through
/// `GIT_CONFIG_PARAMETERS` and `GIT_CONFIG_COUNT`. So the files are added one by one to a fresh
/// libgit2 configuration (which still parses them and follows `include` and `includeIf`), and
/// the command line's settings are parsed here.
public final class GitConfiguration {
    /// One value and where it was set, for messages.
    public struct Entry: Sendable, Hashable {
        /// nil for a key given without `=` (`[diff] indentHeuristic`), which git reads as true.
        public var value: String?
        public var origin: String
    }

    private let handle: OpaquePointer
    /// The file added at each libgit2 level, to name where a value came from.
    private var files: [Int32: String] = [:]
    /// Settings from the command line (the environment), in order; the last one of a key wins.
    private let commandLine: [(key: String, value: String?)]

    init(repository: Repository, environment: [String: String]) throws(GatehouseError) {
        var config: OpaquePointer?
        guard git_config_new(&config) == 0, let config else {
            throw GatehouseError(.git, "cannot read git's configuration: \(lastGitErrorMessage())")
        }
        handle = config
        commandLine = try Self.commandLineSettings(environment)

        func truthy(_ name: String) -> Bool {
            guard let value = environment[name] else { return false }
            var parsed: Int32 = 0
            return git_config_parse_bool(&parsed, value) == 0 && parsed != 0
        }
        if !truthy("GIT_CONFIG_NOSYSTEM") {
            try add(environment["GIT_CONFIG_SYSTEM"] ?? "/etc/gitconfig", level: GIT_CONFIG_LEVEL_SYSTEM, repository: repository)
        }
        if let global = environment["GIT_CONFIG_GLOBAL"] {
            try add(global, level: GIT_CONFIG_LEVEL_GLOBAL, repository: repository)
        } else {
            let home = environment["HOME"]
            if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
                try add(xdg + "/git/config", level: GIT_CONFIG_LEVEL_XDG, repository: repository)
            } else if let home {
                try add(home + "/.config/git/config", level: GIT_CONFIG_LEVEL_XDG, repository: repository)
            }
            if let home { try add(home + "/.gitconfig", level: GIT_CONFIG_LEVEL_GLOBAL, repository: repository) }
        }
        try add(repository.commonDirectory + "config", level: GIT_CONFIG_LEVEL_LOCAL, repository: repository)
        // The work tree's own file counts only when the repository turned it on; git reads that
        // switch from the shared file. libgit2 1.5 has no level for it: the one above local.
        if (try? bool("extensions.worktreeConfig")) == true {
            try add(repository.gitDirectory + "config.worktree", level: GIT_CONFIG_LEVEL_APP, repository: repository)
        }
    }

    deinit { git_config_free(handle) }

    private func add(_ path: String, level: git_config_level_t, repository: Repository) throws(GatehouseError) {
        // git reads a missing file, /dev/null or a folder as empty.
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular || attributes[.type] as? FileAttributeType == .typeSymbolicLink
        else { return }
        guard git_config_add_file_ondisk(handle, path, level, repository.handle, 0) == 0 else {
            throw GatehouseError(
                .invalidConfig,
                "cannot read git's configuration file \(path): \(lastGitErrorMessage()). Fix the file (git config --file \(path) --list shows what git reads).")
        }
        files[Int32(level.rawValue)] = path
    }

    /// The value of `key` as git would use it, or nil when no file sets it.
    public func entry(_ key: String) throws(GatehouseError) -> Entry? {
        let canonical = Self.canonical(key)
        if let setting = commandLine.last(where: { $0.key == canonical }) {
            return Entry(value: setting.value, origin: "the command line (git -c \(canonical)\(setting.value.map { "=" + $0 } ?? ""))")
        }
        var entry: UnsafeMutablePointer<git_config_entry>?
        let code = git_config_get_entry(&entry, handle, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        guard code == 0, let entry else {
            throw GatehouseError(.invalidConfig, "cannot read \(key) from git's configuration: \(lastGitErrorMessage())")
        }
        defer { git_config_entry_free(entry) }
        let level = Int32(entry.pointee.level.rawValue)
        var origin = files[level].map { "git's configuration file \($0)" } ?? "git's configuration"
        if entry.pointee.include_depth > 0 { origin = "a file included from " + origin }
        return Entry(value: entry.pointee.value.map { String(cString: $0) }, origin: origin)
    }

    public func string(_ key: String) throws(GatehouseError) -> String? {
        guard let entry = try entry(key) else { return nil }
        return entry.value ?? ""
    }

    /// A boolean as git reads one: true/yes/on/1 (or no value), false/no/off/0/empty, or any integer.
    public func bool(_ key: String) throws(GatehouseError) -> Bool? {
        guard let entry = try entry(key) else { return nil }
        var parsed: Int32 = 0
        guard let value = entry.value else { return true }
        guard git_config_parse_bool(&parsed, value) == 0 else {
            throw GatehouseError(
                .invalidConfig,
                "\(Self.canonical(key)) = '\(value)' in \(entry.origin) is not a boolean, and git stops on it too. Set it to true or false.")
        }
        return parsed != 0
    }

    public func int(_ key: String) throws(GatehouseError) -> Int? {
        guard let entry = try entry(key), let value = entry.value else { return nil }
        var parsed: Int64 = 0
        guard git_config_parse_int64(&parsed, value) == 0 else {
            throw GatehouseError(
                .invalidConfig, "\(Self.canonical(key)) = '\(value)' in \(entry.origin) is not a number, and git stops on it too. Fix it.")
        }
        return Int(parsed)
    }

    /// git's canonical spelling: section and name lowercase, a subsection as written.
    static func canonical(_ key: String) -> String {
        guard let firstDot = key.firstIndex(of: "."), let lastDot = key.lastIndex(of: ".") else { return key.lowercased() }
        let section = key[..<firstDot].lowercased()
        let name = key[key.index(after: lastDot)...].lowercased()
        if firstDot == lastDot { return section + "." + name }
        return section + String(key[firstDot..<lastDot]) + "." + name
    }

    /// `git -c` settings as git passes them on to hooks and subprocesses (config.c's
    /// git_config_from_parameters): `GIT_CONFIG_COUNT` pairs first, then `GIT_CONFIG_PARAMETERS`.
    static func commandLineSettings(_ environment: [String: String]) throws(GatehouseError) -> [(key: String, value: String?)] {
        var settings: [(key: String, value: String?)] = []
        if let countText = environment["GIT_CONFIG_COUNT"] {
            guard let count = Int(countText), count >= 0, count <= Int(Int32.max) else {
                throw GatehouseError(.invalidConfig, "GIT_CONFIG_COUNT='\(countText)' is not a count, and git stops on it too. Unset it or fix it.")
            }
            for index in 0..<min(count, 10_000) {
                guard let key = environment["GIT_CONFIG_KEY_\(index)"], let value = environment["GIT_CONFIG_VALUE_\(index)"] else {
                    throw GatehouseError(.invalidConfig, "GIT_CONFIG_COUNT is \(count) but GIT_CONFIG_KEY_\(index) or GIT_CONFIG_VALUE_\(index) is missing, and git stops on it too.")
                }
                settings.append((canonical(key), value))
            }
        }
        if let parameters = environment["GIT_CONFIG_PARAMETERS"] {
            guard let parsed = parseParameters(parameters) else {
                throw GatehouseError(.invalidConfig, "GIT_CONFIG_PARAMETERS is not in the form git writes ('key'='value' ...), and git stops on it too. Unset it.")
            }
            settings += parsed.map { (canonical($0.key), $0.value) }
        }
        return settings
    }

    /// config.c's parse_config_env_list over shell-quoted words (quote.c's sq_dequote_step).
    static func parseParameters(_ text: String) -> [(key: String, value: String?)]? {
        let bytes = Array(text.utf8)
        var position = 0
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        /// One quoted word, with `'\''` and `'\!'` as escaped quote and bang; nil when malformed.
        func quoted() -> [UInt8]? {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "'") else { return nil }
            var word: [UInt8] = []
            position += 1
            while true {
                guard position < bytes.count else { return nil }
                let byte = bytes[position]
                position += 1
                if byte != UInt8(ascii: "'") {
                    word.append(byte)
                    continue
                }
                // Out of the quotes: '\'' and '\!' continue the word with a quote or a bang.
                if position + 2 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                   bytes[position + 1] == UInt8(ascii: "'") || bytes[position + 1] == UInt8(ascii: "!"),
                   bytes[position + 2] == UInt8(ascii: "'") {
                    word.append(bytes[position + 1])
                    position += 3
                    continue
                }
                return word
            }
        }
        var settings: [(key: String, value: String?)] = []
        while position < bytes.count {
            guard let key = quoted() else { return nil }
            if position >= bytes.count || isSpace(bytes[position]) {
                // Old style: 'key=value'.
                let text = String(decoding: key, as: UTF8.self)
                if let equals = text.firstIndex(of: "=") {
                    settings.append((text[..<equals].trimmingCharacters(in: .whitespaces), String(text[text.index(after: equals)...])))
                } else {
                    settings.append((text.trimmingCharacters(in: .whitespaces), nil))
                }
            } else if bytes[position] == UInt8(ascii: "=") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "'") {
                    guard let value = quoted(), position >= bytes.count || isSpace(bytes[position]) else { return nil }
                    settings.append((String(decoding: key, as: UTF8.self), String(decoding: value, as: UTF8.self)))
                } else if position >= bytes.count || isSpace(bytes[position]) {
                    settings.append((String(decoding: key, as: UTF8.self), nil))
                } else {
                    return nil
                }
            } else {
                return nil
            }
            while position < bytes.count, isSpace(bytes[position]) { position += 1 }
        }
        return settings
    }
}

extension Repository {
    /// git's configuration for this repository, as git would read it in this process's environment.
    public func gitConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws(GatehouseError) -> GitConfiguration {
        try GitConfiguration(repository: self, environment: environment)
    }
}
