import Foundation
import Synchronization
import Testing
import VaultWatchCore
import VaultWatchTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Every thread doing vaultwatch's work runs at the process's start priority, and `watch`'s and
/// `demo`'s ingestion below it, never the dashboard's thread, which asks for short slices and,
/// where allowed, the lowest real-time priority.
@Suite("Threads' scheduling priority")
struct ThreadPriorityTests {
    #if os(Linux)
    static func priority() -> Int32 { ThreadPriority.currentThread }

    /// Runs `body` on a new thread (off the cooperative pool) and returns its result.
    static func onNewThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    @Test func loweringAThreadLeavesTheOthersAtTheirPriority() async throws {
        let before = Self.priority()
        let (started, lowered, again) = await Self.onNewThread {
            let started = Self.priority()
            ThreadPriority.settleCurrentThread(belowDashboard: true)
            let lowered = Self.priority()
            ThreadPriority.settleCurrentThread(belowDashboard: true)
            return (started, lowered, Self.priority())
        }
        // Nice values top out at 19, and a thread already lower keeps its own.
        let expected = max(started, min(ThreadPriority.processStart + ThreadPriority.increment, 19))
        #expect(lowered == expected, "the calling thread runs below the process's start priority")
        #expect(again == lowered, "once: a second call does not lower it further")
        #expect(Self.priority() == before, "the other threads keep theirs")
    }

    @Test func aThreadAboveTheProcessesPriorityIsBroughtDownToIt() async throws {
        let (raised, settled) = await Self.onNewThread { () -> (Bool, Int32) in
            // What dispatch does to its workers: only a privileged process can (as root, a
            // container's default); unprivileged, no thread can run above the process's start
            // and there is nothing to bring down.
            let above = ThreadPriority.processStart - 2
            guard above >= -20, setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, above) == 0 else { return (false, 0) }
            ThreadPriority.settleCurrentThread()
            return (true, Self.priority())
        }
        guard raised else { return }
        #expect(settled == ThreadPriority.processStart)
    }

    /// Whether the running kernel keeps a fair thread's slice (Linux 6.12 and later).
    static var kernelKeepsSlices: Bool {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let numbers = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard numbers.count == 2 else { return false }
        return (numbers[0], numbers[1]) >= (6, 12)
    }

    @Test func theDashboardsThreadAsksForAShortSliceAtItsOwnPriority() async throws {
        let (lowered, kept, slice, after) = await Self.onNewThread { () -> (Int32, Bool, UInt64, Int32) in
            // Below the process's priority first, so that a call resetting it would show.
            ThreadPriority.settleCurrentThread(belowDashboard: true)
            let lowered = Self.priority()
            let kept = ThreadPriority.shortenCurrentThreadSlice()
            return (lowered, kept, ThreadPriority.currentThreadSlice, Self.priority())
        }
        #expect(after == lowered, "the slice leaves the thread's priority as it was")
        if Self.kernelKeepsSlices {
            #expect(kept)
            #expect(slice == ThreadPriority.dashboardSlice)
        } else {
            #expect(!kept)
        }
        #expect(ThreadPriority.currentThreadSlice != ThreadPriority.dashboardSlice, "only the calling thread's")
    }

    /// At normal priority, where the system allows it, the dashboard's thread takes the lowest
    /// real-time priority (no fair thread then takes the core from a frame: docs/performance.md),
    /// keeps its nice value, and the threads it starts are fair ones; below normal priority (a
    /// user's `nice`) it stays fair.
    @Test func theDashboardsThreadTakesTheLowestRealTimePriorityAtNormalPriorityWhereAllowed() async throws {
        struct Seen: Sendable {
            var atNormal = false
            var taken = false
            var realTime: Int32 = -1
            var nice: Int32 = -1
            var childRealTime: Int32 = -1
            var belowNormalTaken = true
            var belowNormalRealTime: Int32 = -1
        }
        let seen = await Self.onNewThread { () -> Seen in
            var seen = Seen()
            // Unprivileged, a thread of a niced test run cannot come back to 0: only the second half applies.
            seen.atNormal = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 0) == 0
            if seen.atNormal {
                seen.taken = ThreadPriority.takeRealTimePriority()
                seen.realTime = ThreadPriority.currentThreadRealTimePriority
                seen.nice = Self.priority()
                let started = DispatchSemaphore(value: 0)
                let child = Mutex<Int32>(-1)
                Thread {
                    child.withLock { $0 = ThreadPriority.currentThreadRealTimePriority }
                    started.signal()
                }.start()
                started.wait()
                seen.childRealTime = child.withLock { $0 }
            }
            return seen
        }
        let below = await Self.onNewThread { () -> (Bool, Int32) in
            ThreadPriority.settleCurrentThread(belowDashboard: true)
            guard Self.priority() > 0 else { return (false, 0) }
            return (ThreadPriority.takeRealTimePriority(), ThreadPriority.currentThreadRealTimePriority)
        }
        #expect(!below.0 && below.1 == 0, "below normal priority the thread stays fair")
        #expect(ThreadPriority.currentThreadRealTimePriority == 0, "only the calling thread's")
        guard seen.atNormal else { return }
        if RealTimePermission.isGranted {
            #expect(seen.taken)
            #expect(seen.realTime == ThreadPriority.dashboardRealTimePriority)
            #expect(seen.nice == 0, "its nice value stays")
            #expect(seen.childRealTime == 0, "a thread it starts is a fair one")
        } else {
            #expect(!seen.taken && seen.realTime == 0)
        }
    }
    #endif
}
