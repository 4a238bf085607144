import CLibGit2
import Foundation
import GatehouseCore

/// libgit2 needs one global initialisation before any other call; it is never shut down
/// because the process ends with it.
let libgit2Initialized: Bool = {
    guard git_libgit2_init() > 0 else { return false }
    // Read objects as git does: trusting the object database rather than re-hashing each
    // object on every read, which costs as much as the diff itself on a large change.
    _ = gatehouse_set_strict_hash_verification(0)
    // Keep at most 256 MiB of packs mapped, in 32 MiB windows. With libgit2's defaults (8 GiB in
    // 1 GiB windows) every page a command touched stays resident: on a 964 MB pack `owners --all`
    // peaked at 1.0 GB and `check` of a 20,000-file change at 1.1 GB; bounded, 0.38 and 0.43 GB,
    // for at most a few percent more time (docs/PERFORMANCE.md).
    _ = gatehouse_set_pack_mapping(32 << 20, 256 << 20)
    return true
}()

/// The message libgit2 left for the failing call on this thread. Must be read right after
/// the call: the error is per thread and the next call may replace it.
func lastGitErrorMessage() -> String {
    guard let error = git_error_last(), let message = error.pointee.message else {
        return "unknown libgit2 error"
    }
    return String(cString: message)
}

extension git_oid {
    /// The 40-digit hexadecimal object name.
    var hex: String {
        var copy = self
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 41) { buffer in
            git_oid_fmt(buffer.baseAddress, &copy)
            buffer[40] = 0
            return String(cString: buffer.baseAddress!)
        }
    }
}

/// Bytes of a NUL-terminated C string, without assuming UTF-8.
func bytes(ofCString pointer: UnsafePointer<CChar>?) -> [UInt8] {
    guard let pointer else { return [] }
    let length = strlen(pointer)
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        Array(UnsafeBufferPointer(start: $0, count: length))
    }
}

extension Repository {
    /// The libgit2 this process runs with (the shared library's own answer, not the headers'),
    /// for `gatehouse --version` and so bug reports carry it.
    public static var libgit2Version: String {
        var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
        guard git_libgit2_version(&major, &minor, &revision) == 0 else { return "unknown" }
        return "\(major).\(minor).\(revision)"
    }
}
