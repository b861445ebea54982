#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Synchronization

/// The next chunk of a file, read (`pread`) on another thread while the chunk before it is
/// decoded: reading a file to its end (`detect`), the copy out of the page cache was ~15% of
/// the read-ahead's time, done alone before each chunk's decoding (`LaneReadAhead`).
///
/// It reads through a duplicate of the follower's descriptor, so that the follower may close or
/// replace its own meanwhile; the bytes are those the file (device, inode) held at `offset` when
/// read. `FileFollower.readChunk` takes them only for that file and offset, after its own checks
/// (truncation, identification), as it would take the bytes of its own `pread`.
///
/// Whoever comes first reads: when the chunk is taken before the queue's thread has started the
/// read (that thread busy, or not yet given a core: on a loaded machine the read-ahead waited
/// for it ~0.17 s of a 1.8 s run, `perf`), the taker reads it itself, as a poll without a read
/// ahead would, and the queue's thread skips it and goes on to the pieces queued behind it. A
/// read already started is waited for.
final class PrefetchedChunk: @unchecked Sendable {
    let identity: RotatedFileFinder.Identity
    let offset: Int64
    private let count: Int
    private let descriptor: Int32
    /// Written once on `queue`, read after `group.wait()`.
    private var bytes: [UInt8]?
    private var isTaken = false
    private let group = DispatchGroup()
    /// Who reads: `queued` until the queue's thread starts the read (`readOnQueue`) or the taker
    /// takes it first (`readByTaker`); the one that moves it from `queued` reads.
    private let reader = Atomic<UInt8>(PrefetchedChunk.queued)
    private static var queued: UInt8 { 0 }
    private static var readOnQueue: UInt8 { 1 }
    private static var readByTaker: UInt8 { 2 }

    /// The queue of the helper that decodes chunks' pieces (`SourceReader.frameInPieces`): the
    /// read is queued just before the pieces of the chunk being decoded, so one thread woken once
    /// reads the next chunk, then takes this one's pieces from the back while the caller's
    /// thread takes them from the front (and all of them while the helper reads).
    static let queue = SourceReader.PieceReader.queue

    /// Starts reading up to `count` bytes at `offset` of the file open at `descriptor`; nil when
    /// the descriptor cannot be duplicated. The reading thread settles its priority first
    /// (`ThreadPriority`; below the dashboard's when `runsAtLowerPriority`).
    init?(descriptor: Int32, identity: RotatedFileFinder.Identity, offset: Int64, count: Int, runsAtLowerPriority: Bool = false) {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else { return nil }
        self.descriptor = duplicate
        self.identity = identity
        self.offset = offset
        self.count = count
        Self.queue.async(group: group) { [self] in
            guard reader.compareExchange(expected: Self.queued, desired: Self.readOnQueue, ordering: .acquiringAndReleasing).exchanged
            else { return }
            ThreadPriority.settleCurrentThread(belowDashboard: runsAtLowerPriority)
            bytes = RotatedFileFinder.read(duplicate, at: offset, count: count)
        }
    }

    /// Waits until the bytes are read (by the queue's thread: nothing has been taken yet).
    func wait() {
        group.wait()
    }

    /// The bytes (empty at the end of the file, nil if the read failed), read here when the
    /// queue's thread has not started reading them, else waited for. Once.
    func take() -> [UInt8]? {
        isTaken = true
        defer { FileFollower.closeDescriptor(descriptor) }
        if reader.compareExchange(expected: Self.queued, desired: Self.readByTaker, ordering: .acquiringAndReleasing).exchanged {
            return RotatedFileFinder.read(descriptor, at: offset, count: count)
        }
        wait()
        defer { bytes = nil }
        return bytes
    }

    deinit {
        // The read's block holds this object, so it is over by now (a wait here would wait for
        // itself when that block lets the object go last, on the queue's thread, before dispatch
        // counts the block done): the descriptor can be closed.
        guard !isTaken else { return }
        FileFollower.closeDescriptor(descriptor)
    }
}
