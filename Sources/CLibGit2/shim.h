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
