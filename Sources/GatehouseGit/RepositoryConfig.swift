import CLibGit2
import GatehouseCore

/// A git configuration handle, freed when released.
private final class ConfigHandle {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { git_config_free(handle) }
}

extension Repository {
    /// The repository's git folder (`.git/`, or the folder of a bare repository), with a trailing slash.
    public var gitDirectory: String { String(cString: git_repository_path(handle)) }

    /// The git folder shared by all work trees of this repository (`.git/` even from a linked
    /// work tree): where `.git/hooks` and the shared configuration live.
    public var commonDirectory: String { String(cString: git_repository_commondir(handle)) }

    /// A value of git's configuration as git reads it (see `GitConfiguration`).
    public func configValue(_ key: String) throws(GatehouseError) -> String? {
        try gitConfiguration().string(key)
    }

    /// Sets `key` in this repository's own configuration (.git/config), as `git config key value` does.
    public func setLocalConfig(_ key: String, _ value: String) throws(GatehouseError) {
        let config = try openLocalConfig()
        guard git_config_set_string(config.handle, key, value) == 0 else {
            throw GatehouseError(.git, "cannot set \(key) in \(gitDirectory)config: \(lastGitErrorMessage())")
        }
    }

    /// Removes `key` from this repository's own configuration; nothing to remove is fine.
    public func unsetLocalConfig(_ key: String) throws(GatehouseError) {
        let config = try openLocalConfig()
        let code = git_config_delete_entry(config.handle, key)
        guard code == 0 || code == GIT_ENOTFOUND.rawValue else {
            throw GatehouseError(.git, "cannot remove \(key) from \(gitDirectory)config: \(lastGitErrorMessage())")
        }
    }

    /// The value `key` has in this repository's own configuration only.
    public func localConfigValue(_ key: String) throws(GatehouseError) -> String? {
        let config = try openLocalConfig()
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        let code = git_config_get_string_buf(&buffer, config.handle, key)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        guard code == 0, let pointer = buffer.ptr else {
            throw GatehouseError(.git, "cannot read \(key) from \(gitDirectory)config: \(lastGitErrorMessage())")
        }
        return String(cString: pointer)
    }

    /// This repository's own file (.git/config), for writing and for values set there.
    private func openLocalConfig() throws(GatehouseError) -> ConfigHandle {
        var all: OpaquePointer?
        guard git_repository_config(&all, handle) == 0, let all else {
            throw GatehouseError(.git, "cannot open git's configuration: \(lastGitErrorMessage())")
        }
        let allHandle = ConfigHandle(all)
        var level: OpaquePointer?
        guard git_config_open_level(&level, allHandle.handle, GIT_CONFIG_LEVEL_LOCAL) == 0, let level else {
            throw GatehouseError(.git, "cannot open \(gitDirectory)config: \(lastGitErrorMessage())")
        }
        return ConfigHandle(level)
    }
}
