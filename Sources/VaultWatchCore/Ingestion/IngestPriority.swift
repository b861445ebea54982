#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scheduling priority of `watch`'s and `demo`'s ingestion, below the dashboard's thread.
///
/// The dashboard draws on a thread of its own while reading, decoding and detecting run on the
/// cooperative pool's threads, as many as there are cores, and on the dispatch threads that
/// ingestion hands work to (a file's next chunk read ahead, a chunk's pieces decoded beside the
/// caller's, a stream read). At the same priority, on a machine whose cores are busy, an ingest
/// thread takes the core in the middle of a frame: at 200×60 a frame renders in under a
/// millisecond, yet its 99th percentile was 24 to 38 ms at load 12 on two cores
/// (docs/performance.md). So every thread doing ingestion's work lowers its own priority as it
/// starts that work (`nice` +10; a thread can always lower its own, never raise it back) and the
/// dashboard's thread, left at the process's priority, wins the core whenever it has a frame to
/// draw. The ingestor's configuration asks for it (`Ingestor.Configuration.runsAtLowerPriority`)
/// and the detector's feed for the threads that hand it batches; ingestion loses nothing on an
/// idle machine, and `detect`, which draws nothing, never asks.
public enum IngestPriority {
    /// How much lower than the dashboard's thread ingestion runs (the `nice` increment).
    public static let increment: Int32 = 10

    /// Lowers the calling thread's priority to `increment` below the process's start (once: a
    /// second call finds it lowered). On Linux the priority is a thread's own (`setpriority` of
    /// `PRIO_PROCESS` 0 is the calling thread), so the dashboard's thread keeps its own.
    public static func lowerCurrentThread() {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let current = getpriority(which, 0)
        guard errno == 0, current < base + increment else { return }
        _ = setpriority(which, 0, base + increment)
        #endif
    }

    /// The process's priority when it started (before any thread lowered its own).
    private static let base: Int32 = {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 0
        #endif
    }()
}
