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

    /// Started with `nice`, the dashboard draws at the asked priority and ingestion runs 10
    /// below it. As root, dispatch's threads, from one of which the dashboard's thread starts,
    /// ran at 0: the dashboard drew above the asked priority.
    @Test func demoStartedWithNiceDrawsAtThatPriorityAndIngestsBelowIt() async throws {
        // 5 + 10 must stay within nice's range (19).
        guard ThreadSampler.currentPriority <= 4 else { return }
        try await Self.expectIngestionBelowTheDashboard(
            command: ["/usr/bin/nice", "-n", "5", CommandRunner.executable.path, "demo", "--speed", "3000"])
    }

    /// At normal priority, where the system allows it (root's CAP_SYS_NICE, a user's
    /// `RLIMIT_RTPRIO`), the dashboard's thread draws in the real-time class, so no fair thread
    /// (the terminal's kernel worker, ingestion) takes the core from a frame; the test run itself
    /// runs niced (`nice swift test`), so the command is started back at 0 where it may be.
    @Test func watchAtNormalPriorityDrawsAtTheLowestRealTimePriorityWhereAllowed() async throws {
        let current = ThreadSampler.currentPriority
        guard current == 0 || RealTimePermission.hasCapabilityToSchedule else { return }
        let directory = try TestPaths.temporaryDirectory("vaultwatch-priority")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try SteadyReadsLog.write(count: 50_000, secondsApart: 3, to: log)
        try await Self.expectIngestionBelowTheDashboard(
            command: ["/usr/bin/nice", "-n", "\(-current)", CommandRunner.executable.path, "watch", log.path, "--from-start", "--no-state"])
    }

    @Test func watchIngestsBelowTheDashboardFromItsFirstRecord() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-priority")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try SteadyReadsLog.write(count: 50_000, secondsApart: 3, to: log)
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
        // The main thread's `nice`: dispatch gives its worker threads its own priority whatever
        // the process was started with, and the dashboard's thread, started from one of them,
        // settles at the process's.
        #expect(
            sampler.dashboardPriority != nil && sampler.dashboardPriority == sampler.processPriority,
            "the dashboard's thread runs at the process's priority: \(sampler.threads)")
        // The real-time class at normal priority where allowed; never under a user's `nice`.
        let expected: Int32 = (sampler.processPriority ?? 1) <= 0 && RealTimePermission.isGranted ? 1 : 0
        #expect(
            sampler.dashboardRealTimePriority == expected,
            "the dashboard's thread at real-time priority \(sampler.dashboardRealTimePriority.map(String.init) ?? "?"), expected \(expected) (process at nice \(sampler.processPriority.map(String.init) ?? "?"))")
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
