import Foundation
import Synchronization
import Testing
@testable import VaultWatchCore

/// While the dashboard draws a frame on a fair thread, ingestion below it waits at its
/// boundaries (`FrameGate`), and never longer than the frame's hold, whether or not the frame
/// ends: a gate never stalls ingestion for long and never deadlocks.
@Suite("The frame gate")
struct FrameGateTests {
    /// Set once a thread has passed.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        func set() { value.store(true, ordering: .releasing) }
        var isSet: Bool { value.load(ordering: .acquiring) }
    }

    /// Runs `body` on a new thread (off the cooperative pool, which the test's own awaits use)
    /// and sets `done` once it returns.
    static func onNewThread(_ done: Flag, _ body: @escaping @Sendable () -> Void) {
        Thread {
            body()
            done.set()
        }.start()
    }

    /// Waits (polling) until `condition` holds or ten seconds pass; returns whether it held.
    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<10_000 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return condition()
    }

    @Test func anOpenGateLetsAThreadThroughAtOnce() {
        let gate = FrameGate(longestHold: .seconds(600))
        gate.passThrough()
        #expect(gate.waits == 0 && !gate.isClosed && !gate.hasWaiters)
    }

    @Test func aClosedGateHoldsAThreadUntilTheFrameEnds() async {
        let gate = FrameGate(longestHold: .seconds(600))
        let passed = Flag()
        gate.close()
        Self.onNewThread(passed) { gate.passThrough() }
        #expect(await Self.eventually { gate.hasWaiters }, "the thread waits at the closed gate")
        #expect(!passed.isSet, "held while the frame is drawn")
        gate.open()
        #expect(await Self.eventually { passed.isSet }, "let through once the frame ends")
        #expect(gate.waits == 1 && !gate.isClosed && !gate.hasWaiters)
    }

    @Test func aFrameThatNeverEndsHoldsIngestionNoLongerThanItsHold() async {
        // A dashboard that quits, or a terminal that stops taking bytes, in the middle of a frame.
        let gate = FrameGate(longestHold: .milliseconds(20))
        let passed = Flag()
        gate.close()
        Self.onNewThread(passed) { gate.passThrough() }
        #expect(await Self.eventually { passed.isSet }, "let through once the frame's hold has passed")
        // It waited unless it started after the hold (a loaded machine): either way, once.
        let waits = gate.waits
        #expect(gate.isClosed && waits <= 1)
        // The hold counts from the frame's start: past it, the same frame holds no one again.
        let later = Flag()
        Self.onNewThread(later) { gate.passThrough() }
        #expect(await Self.eventually { later.isSet })
        #expect(gate.waits == waits, "a thread passing later in the same frame does not wait")
        gate.open()
    }

    @Test func ingestionBelowTheDashboardStepsAsideWhileAFrameIsDrawn() async {
        // Every unit of ingestion's work below the dashboard passes through its gate
        // (`ThreadPriority.settleCurrentThread`, as `watch` and `demo` use it). A gate of the
        // test's own, with a hold of minutes: the dashboard's holds 5 ms, which a thread started
        // late on a loaded machine, or a test's polling starved by the other tests, outlasts.
        let gate = FrameGate(longestHold: .seconds(600))
        let passed = Flag()
        gate.close()
        defer { gate.open() }
        Self.onNewThread(passed) { ThreadPriority.settleCurrentThread(belowDashboard: true, gate: gate) }
        #expect(await Self.eventually { gate.hasWaiters }, "the ingest thread waits at the dashboard's gate")
        #expect(!passed.isSet, "held while the frame is drawn")
        gate.open()
        #expect(await Self.eventually { passed.isSet }, "let through once the frame ends")
        #expect(gate.waits == 1)
    }

    @Test func workNotBelowTheDashboardDoesNotWaitForAFrame() async {
        // `detect`, `hunt`: nothing is drawn, nothing steps aside.
        let gate = FrameGate(longestHold: .seconds(600))
        let passed = Flag()
        gate.close()
        defer { gate.open() }
        Self.onNewThread(passed) { ThreadPriority.settleCurrentThread(belowDashboard: false, gate: gate) }
        #expect(await Self.eventually { passed.isSet })
        #expect(gate.waits == 0 && !gate.hasWaiters)
    }
}
