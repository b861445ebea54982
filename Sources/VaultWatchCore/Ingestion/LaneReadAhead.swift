import Synchronization

/// A file lane's next polls, made (and their chunks decoded) on another thread while the merge
/// hands on what it has: reading a file to its end (`detect`), decoding is about half of a run
/// and the merge and the detector most of the rest, so on two cores they overlap instead of
/// taking turns.
///
/// Each poll is what the lane's own `fill` would make, no more: one `poll()` of the follower,
/// and when that poll found only the next chunk of data, right after the last byte the lane's
/// reader was fed, the reader decodes it into a batch of its own. Whatever else a poll finds (a
/// file opened, rotated, truncated or gone, a hole skipped, the end) is left undecoded for the
/// lane to apply (`SourceLane.fill(after:…)`) exactly as after its own poll, and ends the job.
/// Every poll keeps the follower's checkpoints from before and after it, so the events,
/// problems, boundaries and checkpoints are the same whichever thread decoded them and however
/// many polls the merge takes at once.
///
/// After a decoded chunk the job goes on to the next one by itself: the merge takes the polls
/// made so far (`next()`) without stopping it, so the step from one chunk to the next is not a
/// hand-off through the merge's thread (it was ~30 µs a chunk on the critical path, the merge
/// waking, applying the chunk and starting a new job, 418 times in the tenant's file). The job
/// stops after a chunk shorter than the follower's (the file's end, for now), when
/// `pollsAhead` polls wait untaken (the merge is behind; memory stays bounded), or when asked
/// (`finish()`).
///
/// - Important: until the job is over it owns the lane's follower and reader (the lane gives
///   the reader up and touches neither until `next()` or `finish()` says the job is over and
///   gives it back); one job at a time per lane.
final class LaneReadAhead: @unchecked Sendable {
    /// A chunk decoded by the lane's reader into a batch of its own; boundaries count from it.
    struct Decoded {
        var batch: EventBatch
        var boundaries: [SourceReader.RecordBoundary]
        /// The chunk's length (its bytes are let go once decoded).
        var byteCount: Int
    }

    /// One poll of the follower: its checkpoints before and after, what it found, and the
    /// chunk decoded when it found only that.
    struct Poll {
        var before: FileFollower.Checkpoint?
        var changes: [FileFollower.Change]
        var after: FileFollower.Checkpoint?
        var decoded: Decoded?
    }

    /// What the merge takes at once: the polls made since it last took, in order, and, once the
    /// job is over, the lane's reader back (`isOver`).
    struct Taken {
        var polls: [Poll]
        var isOver: Bool
        var reader: SourceReader?
    }

    /// Polls waiting for the merge before the job stops: a few chunks of the follower's size.
    static let pollsAhead = 4

    private let follower: FileFollower
    /// Whether the job's thread, and the threads it hands the next chunk's read and a chunk's
    /// pieces to, lower their priority (`ThreadPriority`; `watch` and `demo`).
    private let runsAtLowerPriority: Bool
    /// The job's while it runs; the lane's again once it is over.
    private var reader: SourceReader?

    private struct Shared {
        var ready: [Poll] = []
        var isOver = false
        var isAskedToStop = false
        /// The merge, waiting for a poll (or the end) in `next()` or for the end in `finish()`.
        var waiter: (continuation: CheckedContinuation<Void, Never>, untilOver: Bool)?
    }
    private let shared = Mutex(Shared())

    /// Takes the lane's reader (nil when none is open yet) and starts polling.
    init(follower: FileFollower, reader: SourceReader?, runsAtLowerPriority: Bool = false) {
        self.follower = follower
        self.reader = reader
        self.runsAtLowerPriority = runsAtLowerPriority
        // On the cooperative pool, as the one-chunk jobs before it: on a dispatch thread of its
        // own the run took ~7% more CPU under load (one more thread woken, its batches from
        // another allocator arena; docs/performance.md, "5 December, late morning (hotpath)").
        // The pool is never left without a thread for the merge for long: a job stops once
        // `pollsAhead` polls wait untaken.
        Task.detached { [self] in run() }
    }

    /// Polls and decodes until a poll cannot be decoded ahead, the file's end for now, too many
    /// polls untaken, or a request to stop.
    private func run() {
        ThreadPriority.settleCurrentThread(belowDashboard: runsAtLowerPriority)
        // The lane's own reader, taken out so it is the only copy and decodes in place.
        var reader = self.reader
        self.reader = nil
        while true {
            // Below a dashboard, each chunk waits while a frame is drawn (`FrameGate`).
            if runsAtLowerPriority { FrameGate.dashboard.passThrough() }
            let before = follower.checkpoint
            let changes = follower.poll()
            var poll = Poll(before: before, changes: changes, after: follower.checkpoint, decoded: nil)
            var goesOn = false
            if changes.count == 1, case .data(let bytes) = changes[0], var decoding = reader,
                decoding.nextOffset == follower.readOffset - Int64(bytes.count)
            {
                reader = nil
                // A whole chunk: the file likely holds more. The next one is read on another thread
                // while this one is decoded, for the next poll (its `pread`, alone before each
                // chunk's decoding, was ~15% of the read-ahead's time).
                goesOn = bytes.count == follower.chunkSize
                if goesOn { follower.readNextChunkAhead(runsAtLowerPriority: runsAtLowerPriority) }
                var batch = EventBatch()
                // Room for the chunk's events (records are rarely under 512 bytes), so the array is
                // not reallocated and copied as it fills; a chunk of smaller records grows it.
                batch.events.reserveCapacity(bytes.count / 512)
                // In pieces on two threads at once (`SourceReader.frameInPieces`): decoding is the
                // larger share of a run, so it gets both cores while the merge and the detector wait.
                bytes.withUnsafeBytes {
                    decoding.consume($0, into: &batch, inParallel: true, helperRunsAtLowerPriority: runsAtLowerPriority)
                }
                poll.decoded = Decoded(batch: batch, boundaries: decoding.takeBoundaries(), byteCount: bytes.count)
                // The chunk's bytes are not needed once decoded: let go here, as the next chunk is
                // read, rather than up to `pollsAhead` chunks later on the merge's thread (more
                // megabytes alive at once, given back to the allocator and faulted in again).
                poll.changes = [.data([])]
                reader = decoding
            }
            let (isOver, waiter) = shared.withLock { shared -> (Bool, CheckedContinuation<Void, Never>?) in
                shared.ready.append(poll)
                if !goesOn || shared.isAskedToStop || shared.ready.count >= Self.pollsAhead {
                    // The reader is the lane's again: handed back under the lock that says so.
                    self.reader = reader
                    shared.isOver = true
                }
                guard let waiter = shared.waiter, shared.isOver || !waiter.untilOver else { return (shared.isOver, nil) }
                shared.waiter = nil
                return (shared.isOver, waiter.continuation)
            }
            waiter?.resume()
            if isOver { return }
        }
    }

    /// Whether the job has stopped polling (its last polls may still wait to be taken).
    var isOver: Bool { shared.withLock { $0.isOver } }

    /// The polls made since the merge last took, waiting for at least one (or the job's end).
    func next() async -> Taken {
        await wait(untilOver: false)
        return take()
    }

    /// Asks the job to stop after the chunk it is decoding and waits for it: the polls not taken
    /// yet, and the reader back.
    func finish() async -> Taken {
        shared.withLock { $0.isAskedToStop = true }
        await wait(untilOver: true)
        return take()
    }

    private func wait(untilOver: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let isReady = shared.withLock { shared in
                if shared.isOver || (!untilOver && !shared.ready.isEmpty) { return true }
                shared.waiter = (continuation, untilOver)
                return false
            }
            if isReady { continuation.resume() }
        }
    }

    private func take() -> Taken {
        shared.withLock { shared in
            defer { shared.ready = [] }
            guard shared.isOver else { return Taken(polls: shared.ready, isOver: false, reader: nil) }
            defer { reader = nil }
            return Taken(polls: shared.ready, isOver: true, reader: reader)
        }
    }
}
