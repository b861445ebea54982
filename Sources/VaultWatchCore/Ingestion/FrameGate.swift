import CVaultWatchScheduling
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// While the dashboard draws a frame, the threads that ingest below it (`watch`, `demo`) step
/// aside: the dashboard closes the gate for the frame (`close`, `open`), and each ingest thread,
/// at the boundaries of its work (a piece of a chunk, a chunk, a batch: every
/// `ThreadPriority.settleCurrentThread(belowDashboard: true)`), waits while it is closed, for at
/// most `longestHold` from the frame's start, and goes on when it opens.
///
/// Why: where the dashboard's thread may not take the real-time class (an ordinary user, without
/// `CAP_SYS_NICE` or an `RLIMIT_RTPRIO`), it is a fair thread like the ingest threads, and loses
/// the core in the middle of a frame: the frame's write to the terminal wakes the pseudo-terminal's
/// kernel worker on the same core, which takes it; when the worker is done, Linux's fair scheduler
/// (EEVDF) hands the core to an "eligible" thread, and the dashboard's, having run since it woke,
/// is not: a runnable ingest thread, however low its priority, is, and keeps the core until it
/// blocks or the next tick (up to 4 ms at 250 Hz; docs/performance.md, "6 December, morning
/// (frames)"). No priority or slice of a fair thread changes that pick (ingestion at SCHED_IDLE
/// and the dashboard's short slice were tried); an ingest thread that is not runnable cannot be
/// picked. With the gate closed, the thread the worker's turn handed the core to runs only to its
/// next boundary and waits there; the dashboard's thread is the one left to run.
///
/// A thread of the cooperative pool may wait here too (the feed's steps, the ingestor's resumes):
/// briefly and boundedly, as any blocking call; nothing the dashboard's thread waits for runs there.
///
/// What it costs ingestion: the frames' time (about 1 ms, ten frames a second while the view
/// changes: about 1% of both cores), and never more than `longestHold` a frame, however long the
/// frame takes (a terminal that does not take its bytes, Ctrl-S, holds nothing for long). A
/// thread in the real-time class needs no gate: nothing fair preempts it
/// (`ThreadPriority.takeRealTimePriority`), and its dashboard does not close one.
///
/// - Important: only the dashboard's thread closes and opens a gate (one frame at a time); any
///   thread may pass through it. Waiting is bounded, so a gate never deadlocks, whatever the
///   waiting thread holds: at worst a frame is as slow as it would be without the gate.
public final class FrameGate: @unchecked Sendable {
    /// The gate of the process's dashboard, which ingestion below it passes through.
    public static let dashboard = FrameGate()

    /// The longest a frame holds ingestion, counted from the frame's start: the frame budget
    /// (DESIGN.md §7's 5 ms), past which holding ingestion no longer saves the frame.
    public static let dashboardHold: Duration = .milliseconds(5)

    /// The longest a frame holds a thread passing through, from the frame's start.
    public let longestHold: Duration
    private let holdNanoseconds: Int64
    /// The futex word (`VW_GATE_…`), at an address of its own that never moves.
    private let word: UnsafeMutablePointer<UInt32>
    /// When the frame being drawn started (monotonic nanoseconds).
    private let closedAt = Atomic<Int64>(0)
    /// How many times a thread waited at the gate (found it closed within the hold).
    private let waitCount = Atomic<Int>(0)

    public init(longestHold: Duration = dashboardHold) {
        self.longestHold = longestHold
        let (seconds, attoseconds) = longestHold.components
        holdNanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        word = .allocate(capacity: 1)
        word.initialize(to: VW_GATE_OPEN)
    }

    deinit {
        word.deallocate()
    }

    /// Whether a frame is being drawn.
    public var isClosed: Bool { vw_gate_state(word) != VW_GATE_OPEN }

    /// Whether a thread waits at the closed gate now (opening it wakes that thread).
    public var hasWaiters: Bool { vw_gate_state(word) == VW_GATE_CLOSED_WAITED }

    /// How many times a thread has waited at the gate so far.
    public var waits: Int { waitCount.load(ordering: .relaxed) }

    /// Closes the gate for a frame: `passThrough` waits until `open`, or `longestHold` from now.
    public func close() {
        closedAt.store(Self.monotonicNanoseconds(), ordering: .relaxed)
        vw_gate_close(word)
    }

    /// Opens the gate at a frame's end and wakes the threads waiting at it.
    public func open() {
        _ = vw_gate_open(word)
    }

    /// Returns at once while the gate is open (one load); while it is closed, waits until it opens
    /// or `longestHold` has passed since the frame started, whichever is first.
    @inline(__always)
    public func passThrough() {
        guard vw_gate_state(word) != VW_GATE_OPEN else { return }
        waitWhileClosed()
    }

    private func waitWhileClosed() {
        let deadline = closedAt.load(ordering: .relaxed) + holdNanoseconds
        var counted = false
        while vw_gate_state(word) != VW_GATE_OPEN {
            let remaining = deadline - Self.monotonicNanoseconds()
            guard remaining > 0 else { return }
            if !counted {
                counted = true
                waitCount.add(1, ordering: .relaxed)
            }
            guard vw_gate_wait(word, remaining) == 0 else { return }
        }
    }

    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
