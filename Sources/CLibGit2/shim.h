// The module map's header path is relative to this folder, so the system header
// is reached through this shim (see ../shared/notes/libgit2.md).
#include <git2.h>
