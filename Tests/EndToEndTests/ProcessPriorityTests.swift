import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import VaultWatchTestSupport

/// `nice vaultwatch detect …` runs all of vaultwatch's work at the priority it was started with.
/// Dispatch starts its worker threads at a priority of its own whatever the process's; run as
/// root (a container's default) `nice -n 10 vaultwatch detect` read, decoded, detected and
/// saved at 0, and some of it at −2 (docs/performance.md). Unprivileged, the kernel keeps every
/// thread at or below the asked priority whatever dispatch asks, and this test shows nothing
/// raises one. The threads are read from /proc every few milliseconds, as in
/// `DashboardPriorityTests`.
@Suite(.enabled(if: ThreadSampler.isAvailable && FileManager.default.isExecutableFile(atPath: "/usr/bin/nice"), "needs Linux's /proc and nice"))
struct ProcessPriorityTests {
    @Test func detectReadsDecodesDetectsAndSavesAtThePriorityItWasStartedWith() async throws {
        let directory = try TestPaths.temporaryDirectory("vaultwatch-nice")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("audit.jsonl")
        try SteadyReadsLog.write(count: 40_000, secondsApart: 4, to: log)
        let state = directory.appendingPathComponent("state.db")
        let arguments = ["-n", "10", CommandRunner.executable.path, "detect", "--state", state.path, log.path]
        let (sampled, status) = try await Self.sample(command: arguments, within: .seconds(180))
        let sampler = try #require(sampled, "vaultwatch did not start")
        #expect(status == 0)
        let asked = try #require(sampler.processPriority)
        try #require(sampler.totalTime >= .milliseconds(200), "the threads worked \(sampler.totalTime) only: \(sampler.threads)")
        // What dispatch's event thread spends above it (as root) fits in this.
        #expect(
            sampler.time(above: asked) < sampler.totalTime / 20,
            "threads ran \(sampler.time(above: asked)) above the asked priority \(asked), of \(sampler.totalTime): \(sampler.threads)")
    }

    /// Starts `/usr/bin/nice ARGUMENTS` (which becomes the command) and samples its threads
    /// every 5 ms until it exits or `limit` passes, on a thread of its own (off the cooperative
    /// pool, whose other tests would delay the samples). Nil when it never started.
    static func sample(command arguments: [String], within limit: Duration) async throws -> (ThreadSampler?, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                let clock = ContinuousClock()
                let deadline = clock.now + limit
                var sampler = ThreadSampler(process: process.processIdentifier)
                var started = false
                while process.isRunning, clock.now < deadline {
                    // `nice` execs the command in place: the same process, once renamed.
                    let name = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/comm", encoding: .utf8)
                    if started || name?.hasPrefix("vaultwatch") == true {
                        started = true
                        guard sampler.sample() else { break }
                    }
                    usleep(5_000)
                }
                if process.isRunning { process.terminate() }
                process.waitUntilExit()
                continuation.resume(returning: (started ? sampler : nil, process.terminationStatus))
            }
            thread.start()
        }
    }
}
