#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The next chunk of a file, read (`pread`) on another thread while the chunk before it is
/// decoded: reading a file to its end (`detect`), the copy out of the page cache was ~15% of
/// the read-ahead's time, done alone before each chunk's decoding (`LaneReadAhead`).
///
/// It reads through a duplicate of the follower's descriptor, so that the follower may close or
/// replace its own meanwhile; the bytes are those the file (device, inode) held at `offset` when
/// read. `FileFollower.readChunk` takes them only for that file and offset, after its own checks
/// (truncation, identification), as it would take the bytes of its own `pread`.
final class PrefetchedChunk: @unchecked Sendable {
    let identity: RotatedFileFinder.Identity
    let offset: Int64
    private let descriptor: Int32
    /// Written once on `queue`, read after `group.wait()`.
    private var bytes: [UInt8]?
    private var isTaken = false
    private let group = DispatchGroup()

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
        Self.queue.async(group: group) { [self] in
            ThreadPriority.settleCurrentThread(belowDashboard: runsAtLowerPriority)
            bytes = RotatedFileFinder.read(duplicate, at: offset, count: count)
        }
    }

    /// Waits until the bytes are read.
    func wait() {
        group.wait()
    }

    /// Waits for the read; its bytes (empty at the end of the file, nil if it failed). Once.
    func take() -> [UInt8]? {
        wait()
        isTaken = true
        FileFollower.closeDescriptor(descriptor)
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
