import Foundation
import Testing
@testable import VaultWatchTUI
import VaultWatchCore
#if canImport(Glibc)
import Glibc
#endif

/// The soak test's frame-time opt-in: off unless asked for, one line per frame when on.
struct FrameTimeLogTests {
    @Test func offUnlessTheVariableNamesAFile() {
        #expect(FrameTimeLog(environment: [:]) == nil)
        #expect(FrameTimeLog(environment: [FrameTimeLog.environmentVariable: ""]) == nil)
    }

    @Test func appendsOneLinePerFrame() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let log = try #require(FrameTimeLog(environment: [FrameTimeLog.environmentVariable: path]))
            log.record(start: 12.5, rendered: 12.5001, end: 12.5004)
            log.record(start: 12.6, rendered: 12.6025, end: 12.6125)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Without `frameStarts()`, no scheduler figures: -1 each.
        #expect(text == "12500 400 100 -1 -1\n12600 12500 2500 -1 -1\n")
    }

    /// A frame's time split into waiting for a core, running and the rest (blocked): a frame
    /// that runs 20 ms of CPU and sleeps 30 ms logs at least 20 ms running and at least 25 ms
    /// neither running nor waiting, whatever else the machine runs meanwhile.
    @Test func splitsAFramesTimeIntoWaitingRunningAndBlocked() throws {
        #if os(Linux)
        guard SchedulerStatistics.currentThread() != nil else { return }  // no scheduler statistics
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let log = try #require(FrameTimeLog(environment: [FrameTimeLog.environmentVariable: path]))
            log.frameStarts()
            let start = DashboardModel.monotonicSeconds()
            let cpuStart = threadCPUSeconds()
            var spins = 0
            while threadCPUSeconds() - cpuStart < 0.020 { spins &+= 1 }
            usleep(30_000)
            log.record(start: start, rendered: start, end: DashboardModel.monotonicSeconds())
        }
        let fields = try String(contentsOfFile: path, encoding: .utf8).split(separator: " ").map { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -2 }
        try #require(fields.count == 5)
        let (total, waiting, running) = (fields[1], fields[3], fields[4])
        #expect(running >= 20_000, "ran \(running) µs of a frame that spun 20 ms")
        #expect(waiting >= 0)
        #expect(total - waiting - running >= 25_000, "blocked \(total - waiting - running) µs of a frame that slept 30 ms")
        #endif
    }
}

#if os(Linux)
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}
#endif
