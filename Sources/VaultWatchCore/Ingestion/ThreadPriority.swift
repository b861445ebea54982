import CVaultWatchScheduling

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scheduling priority of the threads that read, decode, detect and save: the one the
/// process was started with (`nice vaultwatch …`), and in `watch` and `demo` ingestion's
/// below the dashboard's.
///
/// Two reasons, one mechanism. (1) Dispatch starts its worker threads at a priority of its own
/// whatever the process's: run as root (a container's default), `nice -n 10 vaultwatch detect`
/// left every worker at 0, its event thread at −4 (docs/performance.md), so a user's `nice` was
/// not honoured. (2) The dashboard draws on a thread of its own while reading, decoding and
/// detecting run on the cooperative pool's threads and on the dispatch threads ingestion hands
/// work to; at the same priority, on a busy machine, an ingest thread took the core in the middle
/// of a frame (its 99th percentile was 24 to 38 ms at load 12 on two cores). So every thread
/// doing vaultwatch's work settles its own priority as it starts that work: the process's start
/// priority, plus `increment` for ingestion below a dashboard. A thread only ever lowers its own
/// (unprivileged, it could not raise it back), and a thread already lower keeps its priority.
///
/// A priority decides how much of a core a thread gets, not how soon it gets it: the dashboard's
/// thread takes the lowest real-time priority where the system allows it, and otherwise asks
/// for a short time slice (`settleDashboardThread`).
public enum ThreadPriority {
    /// How much lower than the dashboard's thread ingestion runs (the `nice` increment).
    public static let increment: Int32 = 10

    /// The priority the process was started with: its main thread's, which nothing here
    /// changes (on Linux a priority is a thread's own and `PRIO_PROCESS` with the process's id
    /// names the main thread), whichever thread reads it first.
    public static let processStart: Int32 = {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(getpid()))
        #else
        return 0
        #endif
    }()

    /// The calling thread's priority (`nice`).
    public static var currentThread: Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }

    /// Puts the calling thread at the process's start priority, or `increment` below it when
    /// `belowDashboard` (ingestion in `watch` and `demo`), unless it already runs lower. Cheap
    /// enough to call at each unit of work (one system call when nothing changes): dispatch
    /// may hand the next unit to a thread it has just started at its own priority.
    ///
    /// Below a dashboard it is also where ingestion steps aside for a frame: it waits while the
    /// dashboard draws one (`FrameGate.dashboard`, at most its hold).
    @inline(__always)
    public static func settleCurrentThread(belowDashboard: Bool = false) {
        settleCurrentThread(belowDashboard: belowDashboard, gate: .dashboard)
    }

    /// `settleCurrentThread(belowDashboard:)`, stepping aside at `gate` instead of the dashboard's
    /// (a test's own gate, which holds no other test's ingestion).
    static func settleCurrentThread(belowDashboard: Bool, gate: FrameGate) {
        if belowDashboard { gate.passThrough() }
        #if os(Linux)
        let target = min(processStart + (belowDashboard ? increment : 0), 19)
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0, current < target else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, target)
        #endif
    }

    /// Settles the dashboard's thread as it starts: at the process's start priority (it is
    /// started from one of dispatch's threads, which run at dispatch's own), in short slices
    /// (`shortenCurrentThreadSlice`), and, where the process runs at its normal priority or
    /// above and the system allows it, at the lowest real-time priority (`takeRealTimePriority`).
    /// - Returns: whether the thread runs in the real-time class.
    @discardableResult
    public static func settleDashboardThread() -> Bool {
        settleCurrentThread()
        shortenCurrentThreadSlice()
        return takeRealTimePriority()
    }

    /// The real-time priority the dashboard's thread takes where it may: the lowest of 1 to 99,
    /// below every real-time thread of the system (audio, the kernel's own).
    public static let dashboardRealTimePriority: Int32 = 1

    /// Puts the calling thread in the kernel's real-time round-robin class at `priority`, unless
    /// it runs below normal priority (the dashboard's thread settles at the process's start
    /// priority first: under `nice vaultwatch watch` the user's `nice` holds) or the system does
    /// not allow it (an ordinary user without an `RLIMIT_RTPRIO`, a control group without
    /// real-time time): then nothing changes. The threads and processes it starts do not inherit
    /// the class, and its nice value stays.
    ///
    /// Why: a fair thread, however high its priority, loses the core in the middle of a frame.
    /// Each write to the terminal wakes the pseudo-terminal's kernel worker on the same core; the
    /// worker takes the core at once, and when it has run, Linux's fair scheduler (EEVDF) gives the
    /// core to whichever thread of the process it finds "eligible": the dashboard's thread has run
    /// since it woke and is not, a waiting ingest thread 10 below it is, and keeps the core until
    /// the next tick (up to 4 ms at 250 Hz). A timer's wake-up of the dashboard's thread can lose
    /// the same way. `perf sched` showed both in the first half-second of `watch --from-start`
    /// (docs/performance.md, "6 December, morning (frames)"). A real-time thread is never
    /// preempted by a fair one and takes a core as soon as it wakes; the dashboard's thread runs
    /// about 1 ms a frame, ten frames a second, so it takes little from anyone.
    /// - Returns: whether the thread now runs in the real-time class.
    @discardableResult
    public static func takeRealTimePriority(_ priority: Int32 = dashboardRealTimePriority) -> Bool {
        #if os(Linux)
        guard currentThread <= 0 else { return false }
        return vw_set_current_thread_real_time(priority) == 0
        #else
        return false
        #endif
    }

    /// The calling thread's real-time priority: 0 for a fair thread.
    public static var currentThreadRealTimePriority: Int32 {
        Int32(vw_current_thread_real_time_priority())
    }

    /// The time slice the dashboard's thread asks for: shorter than Linux's default for every
    /// thread (0.75 ms × (1 + log2 of the cores, up to 8): 1.5 ms on two cores, 3 ms on eight),
    /// longer than most frames' own running time (0.6 to 0.9 ms at 200×60).
    public static let dashboardSlice: UInt64 = 1_000_000

    /// Asks the scheduler to run the calling thread in slices of `nanoseconds`, at its present
    /// priority. Linux's fair scheduler (EEVDF, 6.12 and later) lets a thread that wakes with a
    /// shorter slice than the running thread's take the core at once; otherwise the running
    /// thread keeps the core until its own slice is used, up to the next tick (4 ms at 250 Hz).
    /// That wait is one cause of the dashboard's slow frames while ingesting: a frame's thread
    /// "waiting for a core" 3 to 5 ms (docs/performance.md, "6 December": with the other work
    /// of the machine out of the way it halved the frames over 5 ms; on the quiet machine the
    /// waits of the first half-second remained: another cause, which the real-time class removes,
    /// `takeRealTimePriority`; the slice stays for where that is not allowed). A thread with a short slice is also
    /// the first to be put aside when its slice is used, which a thread that sleeps between
    /// frames rarely is.
    /// - Returns: whether the kernel keeps the slice: false before Linux 6.12 (which ignores or
    ///   refuses it) and off Linux, where nothing changes.
    @discardableResult
    public static func shortenCurrentThreadSlice(to nanoseconds: UInt64 = dashboardSlice) -> Bool {
        #if os(Linux)
        // The call sets the nice value too: the thread's own, so that its priority is unchanged.
        errno = 0
        let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0, vw_set_current_thread_fair_slice(nice, nanoseconds) == 0 else { return false }
        return currentThreadSlice == nanoseconds
        #else
        return false
        #endif
    }

    /// The slice the calling thread asked for, in nanoseconds: 0 when it asked for none (and
    /// before Linux 6.12, which keeps none).
    public static var currentThreadSlice: UInt64 {
        vw_current_thread_fair_slice()
    }
}
