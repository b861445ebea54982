// The time slice a thread asks Linux's fair scheduler for (EEVDF, Linux 6.12 and later: a
// `sched_attr.sched_runtime` under SCHED_OTHER). `ThreadPriority.shortenCurrentThreadSlice`
// uses it for the dashboard's thread. These are C inline functions because the system call has
// no C library wrapper before glibc 2.41 and `syscall(2)` is variadic, which Swift cannot call.
// Elsewhere (macOS, another kernel) they do nothing and say so.
#ifndef VAULTWATCH_CSCHEDULING_H
#define VAULTWATCH_CSCHEDULING_H

#include <stdint.h>
#include <errno.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

/// The first version of the kernel's `struct sched_attr` (SCHED_ATTR_SIZE_VER0, 48 bytes),
/// spelled out so that no kernel header is needed.
struct vw_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

/// Asks for a time slice of `slice_ns` for the calling thread under SCHED_OTHER at nice `nice`
/// (the call sets both: pass the thread's own nice to keep it). Returns 0, or the error number
/// (ENOSYS where there is no such call).
static inline int vw_set_current_thread_fair_slice(int32_t nice, uint64_t slice_ns) {
#if defined(__linux__) && defined(SYS_sched_setattr)
    struct vw_sched_attr attr = {0};
    attr.size = sizeof(attr);
    attr.sched_policy = 0; // SCHED_OTHER
    attr.sched_nice = nice;
    attr.sched_runtime = slice_ns;
    return syscall(SYS_sched_setattr, 0, &attr, 0) == 0 ? 0 : errno;
#else
    (void)nice; (void)slice_ns;
    return ENOSYS;
#endif
}

/// The calling thread's requested slice in nanoseconds: 0 when it asked for none (or where the
/// kernel keeps none, before Linux 6.12).
static inline uint64_t vw_current_thread_fair_slice(void) {
#if defined(__linux__) && defined(SYS_sched_getattr)
    struct vw_sched_attr attr = {0};
    if (syscall(SYS_sched_getattr, 0, &attr, sizeof(attr), 0) != 0) return 0;
    return attr.sched_runtime;
#else
    return 0;
#endif
}

#endif
