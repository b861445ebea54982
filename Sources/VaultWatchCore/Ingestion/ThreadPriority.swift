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
    public static func settleCurrentThread(belowDashboard: Bool = false) {
        #if os(Linux)
        let target = min(processStart + (belowDashboard ? increment : 0), 19)
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        guard errno == 0, current < target else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, target)
        #endif
    }
}
