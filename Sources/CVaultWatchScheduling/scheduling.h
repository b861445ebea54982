// How the dashboard's thread asks Linux for a core (`ThreadPriority.settleDashboardThread`): the
// lowest real-time priority where the system allows it, and otherwise a short time slice from the
// fair scheduler (EEVDF, Linux 6.12 and later: a `sched_attr.sched_runtime` under SCHED_OTHER).
// These are C inline functions because `sched_setattr` has no C library wrapper before glibc 2.41
// and `syscall(2)` is variadic, which Swift cannot call. Elsewhere (macOS, another kernel) they do
// nothing and say so.
#ifndef VAULTWATCH_CSCHEDULING_H
#define VAULTWATCH_CSCHEDULING_H

#include <stdint.h>
#include <errno.h>
#if defined(__linux__)
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/// Linux's flag that keeps a policy from the threads and processes the caller starts
/// (<sched.h> declares it only under _GNU_SOURCE).
#define VW_SCHED_RESET_ON_FORK 0x40000000

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

/// Puts the calling thread in the real-time round-robin class (SCHED_RR) at `priority`, not
/// inherited by the threads and processes it starts (SCHED_RESET_ON_FORK); its nice value stays.
/// Returns 0, or the error number: EPERM without CAP_SYS_NICE or an RLIMIT_RTPRIO of at least
/// `priority` (an ordinary user's default), ENOSYS off Linux.
static inline int vw_set_current_thread_real_time(int priority) {
#if defined(__linux__)
    struct sched_param param = {0};
    param.sched_priority = priority;
    return sched_setscheduler(0, SCHED_RR | VW_SCHED_RESET_ON_FORK, &param) == 0 ? 0 : errno;
#else
    (void)priority;
    return ENOSYS;
#endif
}

/// The calling thread's real-time priority: 0 for a fair thread (SCHED_OTHER, SCHED_BATCH,
/// SCHED_IDLE), 1 to 99 in the real-time classes (SCHED_RR, SCHED_FIFO).
static inline int vw_current_thread_real_time_priority(void) {
#if defined(__linux__)
    int policy = sched_getscheduler(0);
    if (policy < 0) return 0;
    policy &= ~VW_SCHED_RESET_ON_FORK;
    if (policy != SCHED_RR && policy != SCHED_FIFO) return 0;
    struct sched_param param = {0};
    if (sched_getparam(0, &param) != 0) return 0;
    return param.sched_priority;
#else
    return 0;
#endif
}

#endif
