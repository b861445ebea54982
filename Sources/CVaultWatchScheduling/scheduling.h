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
#include <time.h>
#include <linux/futex.h>
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

/// The frame gate's word (`FrameGate`): open, closed while the dashboard draws a frame, or
/// closed with a thread waiting at it (then opening it wakes the waiters).
#define VW_GATE_OPEN 0u
#define VW_GATE_CLOSED 1u
#define VW_GATE_CLOSED_WAITED 2u

/// The gate's state (an acquire load: what the dashboard did before opening is seen after).
static inline uint32_t vw_gate_state(uint32_t *word) {
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

/// Closes the gate (a frame begins).
static inline void vw_gate_close(uint32_t *word) {
    __atomic_store_n(word, VW_GATE_CLOSED, __ATOMIC_RELEASE);
}

/// Opens the gate and wakes the threads waiting at it, if any. Returns whether any waited.
static inline int vw_gate_open(uint32_t *word) {
    uint32_t was = __atomic_exchange_n(word, VW_GATE_OPEN, __ATOMIC_ACQ_REL);
    if (was != VW_GATE_CLOSED_WAITED) return 0;
#if defined(__linux__) && defined(SYS_futex)
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
#endif
    return 1;
}

/// Waits while the gate is closed, at most `timeout_ns`; returns at once when it is open.
/// Returns 0 when it waited or found the gate open (the caller looks again: a wake-up may be
/// spurious or a signal's), ENOSYS where a thread cannot wait on a word (off Linux).
static inline int vw_gate_wait(uint32_t *word, int64_t timeout_ns) {
#if defined(__linux__) && defined(SYS_futex)
    uint32_t state = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    if (state == VW_GATE_OPEN) return 0;
    if (state == VW_GATE_CLOSED) {
        // Say that a thread waits, so that opening wakes it; unless it opened meanwhile.
        if (!__atomic_compare_exchange_n(word, &state, VW_GATE_CLOSED_WAITED, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)
            && state == VW_GATE_OPEN) return 0;
    }
    if (timeout_ns <= 0) return 0;
    struct timespec timeout;
    timeout.tv_sec = (time_t)(timeout_ns / 1000000000);
    timeout.tv_nsec = (long)(timeout_ns % 1000000000);
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, VW_GATE_CLOSED_WAITED, &timeout, NULL, 0);
    return 0;
#else
    (void)word; (void)timeout_ns;
    return ENOSYS;
#endif
}

#endif
