// The module map's header path is relative to this folder, so the system header
// is reached through this shim (see ../shared/notes/libgit2.md).
#include <git2.h>
// git_repository_set_index: an empty index for attribute lookups that git makes without one.
#include <git2/sys/repository.h>

// git_libgit2_opts is variadic, which Swift cannot call; these wrappers can be.

/// Whether every object read is re-hashed to check its id. libgit2 does this by default;
/// git does not on ordinary reads (only fsck does), and it doubles the cost of a large diff.
static inline int gatehouse_set_strict_hash_verification(int enabled) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, enabled);
}

/// How much of the pack files libgit2 keeps mapped (in bytes), and in windows of what size.
/// Its 64-bit defaults (8 GiB in 1 GiB windows) let a large diff keep every page it touched of
/// a gigabyte pack resident; a bounded limit makes it unmap the least recently used windows.
static inline int gatehouse_set_pack_mapping(size_t window_size, size_t mapped_limit) {
    int error = git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window_size);
    if (error != 0) return error;
    return git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped_limit);
}
