import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The threads of a process, read from /proc: how long each has run at which priority, in
/// all and since the dashboard's thread (`vaultwatch-ui`) exists.
struct ThreadSampler {
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/thread-self/schedstat") }

    /// The calling thread's priority (`nice`).
    static var currentPriority: Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return 19
        #endif
    }

    /// Whether a thread of a process started from here can run below it (nice tops out at 19).
    static var canLower: Bool { currentPriority < 19 }

    /// One thread as last read, and its CPU time since the dashboard's thread exists.
    struct Seen: CustomStringConvertible {
        var name: String
        var priority: Int32
        var lastTime: Int64
        var atDashboardPriority: Int64 = 0
        var lowered: Int64 = 0
        /// CPU time by the priority it ran at, since the first sample.
        var byPriority: [Int32: Int64] = [:]
        var description: String {
            let spans = byPriority.sorted { $0.key < $1.key }.map { "\($0.value / 1_000_000) ms at \($0.key)" }
            return "\(name) nice \(priority) (\(spans.joined(separator: ", "))): \(atDashboardPriority / 1_000_000) ms at the dashboard's, "
                + "\(lowered / 1_000_000) ms lowered"
        }
    }

    let process: pid_t
    /// The main thread's priority at the first sample (it never lowers its own).
    private(set) var processPriority: Int32?
    /// The dashboard thread's priority, once it exists.
    private(set) var dashboardPriority: Int32?
    /// The dashboard thread's real-time priority at the last sample (0: a fair thread).
    private(set) var dashboardRealTimePriority: Int32?
    /// By thread id.
    private(set) var threads: [Int32: Seen] = [:]

    init(process: pid_t) {
        self.process = process
    }

    /// Whether `tid` is the main thread or the dashboard's (left out of the sums).
    private func isLeftOut(_ tid: Int32, _ thread: Seen) -> Bool { tid == process || thread.name == "vaultwatch-ui" }

    /// CPU time of the other threads at the dashboard's priority.
    var timeAtDashboardPriority: Duration {
        .nanoseconds(threads.filter { !isLeftOut($0.key, $0.value) }.map(\.value.atDashboardPriority).reduce(0, +))
    }

    /// CPU time of the other threads below the dashboard's priority.
    var loweredTime: Duration { .nanoseconds(threads.filter { !isLeftOut($0.key, $0.value) }.map(\.value.lowered).reduce(0, +)) }

    /// Both.
    var workTime: Duration { loweredTime + timeAtDashboardPriority }

    /// CPU time of every thread, main thread included, since the first sample.
    var totalTime: Duration { .nanoseconds(threads.values.flatMap(\.byPriority.values).reduce(0, +)) }

    /// CPU time of every thread run at a higher priority than `priority` (a lower `nice`).
    func time(above priority: Int32) -> Duration {
        .nanoseconds(threads.values.flatMap { $0.byPriority.filter { $0.key < priority }.values }.reduce(0, +))
    }

    /// Reads every thread once; false when the process is gone. A thread's CPU time since the
    /// last sample counts at the priority it has now (a thread lowers its own as it starts work).
    mutating func sample() -> Bool {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process)/task") else { return false }
        let counts = dashboardPriority != nil
        for entry in tasks {
            guard let tid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(process)/task/\(entry)/stat", encoding: .utf8),
                let schedstat = try? String(contentsOfFile: "/proc/\(process)/task/\(entry)/schedstat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                let time = schedstat.split(separator: " ").first.flatMap({ Int64($0) })
            else { continue }
            let name = (try? String(contentsOfFile: "/proc/\(process)/task/\(entry)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            // "tid (comm) state ppid …": `nice` is the 19th field, the 17th after the name (index 16).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 16, let priority = Int32(fields[16]) else { continue }
            var thread = threads[tid] ?? Seen(name: name, priority: priority, lastTime: 0)
            let spent = time - thread.lastTime
            thread.name = name
            thread.priority = priority
            thread.lastTime = time
            thread.byPriority[priority, default: 0] += spent
            if tid == process, processPriority == nil { processPriority = priority }
            if name == "vaultwatch-ui" {
                dashboardPriority = priority
                // `rt_priority`, the 40th field (index 37 after the name).
                if fields.count > 37 { dashboardRealTimePriority = Int32(fields[37]) }
            }
            if counts, let reference = dashboardPriority {
                // Above it (below zero, as root) is dispatch's own event thread: not counted.
                if priority > reference { thread.lowered += spent } else if priority == reference { thread.atDashboardPriority += spent }
            }
            threads[tid] = thread
        }
        return true
    }
}
