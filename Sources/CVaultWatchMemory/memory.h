// What the C library's allocator holds, and giving back to the system what the process freed
// (`HeapRelease`): glibc's `mallinfo2` and `malloc_trim`, which Swift's Glibc module does not
// import (<malloc.h> is not in it). Elsewhere (macOS, musl) they do nothing and say so.
#ifndef VAULTWATCH_CMEMORY_H
#define VAULTWATCH_CMEMORY_H

#include <stddef.h>
#if defined(__linux__)
// Defines __GLIBC__ where the C library is glibc (not musl).
#include <features.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// The allocator's heap, summed over its arenas (`mallinfo2`); `known` is 0 where it cannot say.
/// (Not a function of the same name: Swift would call the struct's zero initialiser.)
struct vw_heap_usage {
    /// Bytes the arenas took from the system (their pages, not the large blocks mapped alone).
    size_t arena_bytes;
    /// Of those, bytes in blocks the process holds.
    size_t in_use_bytes;
    /// Of those, bytes free: freed by the process, kept by the allocator.
    size_t free_bytes;
    /// Bytes of the large blocks mapped alone (given back to the system as each is freed).
    size_t mapped_bytes;
    int known;
};

static inline struct vw_heap_usage vw_read_heap_usage(void) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    struct vw_heap_usage usage = { info.arena, info.uordblks, info.fordblks, info.hblkhd, 1 };
    return usage;
#else
    struct vw_heap_usage usage = { 0, 0, 0, 0, 0 };
    return usage;
#endif
}

/// Gives the free pages of every arena back to the system (`malloc_trim(0)`): 1 when some were,
/// 0 when none were or where there is no such call.
static inline int vw_heap_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

#endif
