#include <zlib.h>

// deflateInit2 is a macro that passes the library's version and stream size; Swift cannot
// call macros with arguments, so this wraps it once.
static inline int gatehouse_deflate_init_gzip(z_stream *stream, int level) {
    // windowBits 15 + 16 asks zlib for a gzip container: what gzip-size and web servers produce.
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}
