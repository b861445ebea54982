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

    /// A serial queue of its own (targeting an overcommitting global queue): the read gets a
    /// thread while the caller's decodes.
    private static let queue = DispatchQueue(label: "vaultwatch.read-next-chunk")

    /// Starts reading up to `count` bytes at `offset` of the file open at `descriptor`; nil when
    /// the descriptor cannot be duplicated.
    init?(descriptor: Int32, identity: RotatedFileFinder.Identity, offset: Int64, count: Int) {
        let duplicate = dup(descriptor)
        guard duplicate >= 0 else { return nil }
        self.descriptor = duplicate
        self.identity = identity
        self.offset = offset
        Self.queue.async(group: group) { [self] in
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
        guard !isTaken else { return }
        // The read must be over before its descriptor is closed (and its number reused).
        group.wait()
        FileFollower.closeDescriptor(descriptor)
    }
}
