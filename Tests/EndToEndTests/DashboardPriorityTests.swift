import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchTestSupport

/// `watch` and `demo` draw at the process's priority and ingest below it from the first
/// record on: every thread that reads, decodes or detects lowers its own priority as it starts
/// that work, so on a busy machine the dashboard's thread wins a core for each frame. Before,
/// a thread ingested at the dashboard's priority until it first handed the detector a batch
/// (100–200 ms of a release build), and the first frames waited for a core.
///
/// Run as a user runs them, under tmux; the process's threads are read from /proc every few
/// milliseconds: each one's priority (`nice`) and CPU time (`schedstat`), from the moment the
/// dashboard's thread (`vaultwatch-ui`) exists.
@Suite(.enabled(if: Tmux.isAvailable && ThreadSampler.isAvailable, "needs tmux and Linux's /proc"), .serialized)
struct DashboardPriorityTests {
    @Test func demoIngestsBelowTheDashboardFromItsFirstRecord() async throws {
        try await Self.expectIngestionBelowTheDashboard(command: [CommandRunner.executable.path, "demo", "--speed", "3000"])
    }

    @Test func watchIngestsBelowTheDashboardFromItsFirstRecord() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-priority")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        // 50,000 reads over two days (~35 MB): a debug build reads them at full speed for seconds.
        var text = ""
        for index in 0..<50_000 {
            let second = index * 3
            var record = RecordBuilder(
                time: String(
                    format: "2024-05-%02dT%02d:%02d:%02d.0000000Z", 1 + second / 86_400, second / 3600 % 24, second / 60 % 60, second % 60))
            record.objectName = "secret-\(index % 300)"
            record.callerIPAddress = "10.0.\(index % 7).\(index % 200 + 1)"
            text += record.jsonLine()
        }
        try text.write(to: log, atomically: false, encoding: .utf8)
        try await Self.expectIngestionBelowTheDashboard(
            command: [CommandRunner.executable.path, "watch", log.path, "--from-start", "--no-state"])
    }

    /// Runs `command` and samples its threads until they have spent `enough` CPU (or a liveness
    /// deadline passes), then expects: the dashboard's thread never below the process's
    /// priority, and next to nothing run at the dashboard's priority by any thread but it and the
    /// main thread (which only starts the command) once the dashboard exists. A thread dispatch
    /// runs above it (its event thread, as root) is left out.
    static func expectIngestionBelowTheDashboard(command: [String]) async throws {
        // At nice 19 nothing runs lower. Checked here, not in a trait: a test run may be reniced
        // after its tests are listed.
        guard ThreadSampler.canLower else { return }
        let tmux = try Tmux(width: 200, height: 60, command: command)
        defer { tmux.kill() }
        let enough: Duration = .seconds(1)
        let sampled = await sample(tmux, until: enough, within: .seconds(120))
        let screen = try tmux.capture().joined(separator: "\n")
        let sampler = try #require(sampled, "vaultwatch did not start; the screen was:\n\(screen)")
        try #require(sampler.dashboardPriority != nil, "no dashboard thread was seen; the screen was:\n\(screen)")
        try #require(sampler.workTime >= enough, "the threads worked \(sampler.workTime) only; the screen was:\n\(screen)")
        // At most the main thread's `nice`: dispatch gives its worker threads its own priority
        // whatever the process was started with (`nice vaultwatch …` leaves them at 0), and the
        // dashboard's thread is started from one of them.
        #expect(
            sampler.dashboardPriority.map { $0 <= sampler.processPriority ?? $0 } == true,
            "the dashboard's thread never runs below the process's priority")
        // What dispatch's event thread spends at the dashboard's priority (not as root) fits in this.
        #expect(
            sampler.timeAtDashboardPriority < sampler.workTime / 20,
            "threads ran \(sampler.timeAtDashboardPriority) at the dashboard's priority, \(sampler.loweredTime) below it: \(sampler.threads)")
    }
}

extension DashboardPriorityTests {
    /// Samples the threads of the pane's `vaultwatch` every 5 ms until they have spent `enough`
    /// CPU since its dashboard exists, or `limit` passes; nil if it never started. On a thread of
    /// its own: on the cooperative pool, other tests' work delayed the samples past the end of
    /// the command's ingestion.
    static func sample(_ tmux: Tmux, until enough: Duration, within limit: Duration) async -> ThreadSampler? {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                let clock = ContinuousClock()
                let deadline = clock.now + limit
                var process: pid_t?
                while process == nil, clock.now < deadline {
                    process = try? tmux.process(named: "vaultwatch")
                    if process == nil { usleep(20_000) }
                }
                guard let process else { return continuation.resume(returning: nil) }
                var sampler = ThreadSampler(process: process)
                while sampler.dashboardPriority == nil || sampler.workTime < enough, clock.now < deadline, sampler.sample() {
                    usleep(5_000)
                }
                continuation.resume(returning: sampler)
            }
            thread.start()
        }
    }
}

/// The threads of a process, read from /proc: how long each has run at which priority since
/// the dashboard's thread (`vaultwatch-ui`) exists.
struct ThreadSampler {
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: "/proc/thread-self/schedstat") }

    /// Whether a thread of a process started from here can run below it (nice tops out at 19).
    static var canLower: Bool {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) < 19
        #else
        return false
        #endif
    }

    /// One thread as last read, and its CPU time since the dashboard's thread exists.
    struct Seen: CustomStringConvertible {
        var name: String
        var priority: Int32
        var lastTime: Int64
        var atDashboardPriority: Int64 = 0
        var lowered: Int64 = 0
        var description: String { "\(name) nice \(priority): \(atDashboardPriority / 1_000_000) ms at the dashboard's, \(lowered / 1_000_000) ms lowered" }
    }

    let process: pid_t
    /// The main thread's priority at the first sample (it never lowers its own).
    private(set) var processPriority: Int32?
    /// The dashboard thread's priority, once it exists.
    private(set) var dashboardPriority: Int32?
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
            if tid == process, processPriority == nil { processPriority = priority }
            if name == "vaultwatch-ui" { dashboardPriority = priority }
            if counts, let reference = dashboardPriority {
                // Above it (below zero, as root) is dispatch's own event thread: not counted.
                if priority > reference { thread.lowered += spent } else if priority == reference { thread.atDashboardPriority += spent }
            }
            threads[tid] = thread
        }
        return true
    }
}
