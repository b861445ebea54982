/// A file lane's next poll, made (and its chunk decoded) on another thread while the merge
/// hands on the chunk before it: reading a file to its end (`detect`), decoding is about half
/// of a run and the merge and the detector most of the rest, so on two cores they overlap
/// instead of taking turns.
///
/// It does what the lane's own `fill` would do first, no more: one `poll()` of the follower,
/// and when that poll found only the next chunk of data, right after the last byte the lane's
/// reader was fed, the reader decodes it into a batch of its own. Whatever else a poll finds
/// (a file opened, rotated, truncated or gone, a hole skipped, the end) is left undecoded for
/// the lane to apply (`SourceLane.fill(after:…)`) exactly as after its own poll, so the events,
/// problems, boundaries and checkpoints are the same whichever thread decoded them.
///
/// - Important: while it runs it owns the lane's follower and reader (the lane gives the reader
///   up and touches neither until it takes the result back); one at a time per lane.
final class LaneReadAhead: @unchecked Sendable {
    /// A chunk decoded by the lane's reader into a batch of its own; boundaries count from it.
    struct Decoded {
        var batch: EventBatch
        var boundaries: [SourceReader.RecordBoundary]
    }

    private let follower: FileFollower
    private var reader: SourceReader?
    /// The follower's checkpoint before the poll, and what the poll found.
    private(set) var before: FileFollower.Checkpoint?
    private(set) var changes: [FileFollower.Change] = []
    /// The poll's chunk, decoded; nil when the poll found anything else.
    private(set) var decoded: Decoded?

    /// Takes the lane's reader (nil when none is open yet); `takeReader()` gives it back.
    init(follower: FileFollower, reader: SourceReader?) {
        self.follower = follower
        self.reader = reader
    }

    /// Polls once and decodes what can be decoded ahead. Run once, off the lane's thread.
    func run() {
        before = follower.checkpoint
        changes = follower.poll()
        guard changes.count == 1, case .data(let bytes) = changes[0], var reader else { return }
        // The lane's own reader, taken out so it is the only copy and decodes in place.
        self.reader = nil
        defer { self.reader = reader }
        guard reader.nextOffset == follower.readOffset - Int64(bytes.count) else { return }
        // A whole chunk: the file likely holds more. The next one is read on another thread
        // while this one is decoded, for the next poll (its `pread`, alone before each chunk's
        // decoding, was ~15% of the read-ahead's time).
        if bytes.count == follower.chunkSize { follower.readNextChunkAhead() }
        var batch = EventBatch()
        // Room for the chunk's events (records are rarely under 512 bytes), so the array is not
        // reallocated and copied as it fills; a chunk of smaller records grows it as before.
        batch.events.reserveCapacity(bytes.count / 512)
        // In pieces on two threads at once (`SourceReader.frameInPieces`): decoding is the larger
        // share of a run, so it gets both cores while the merge and the detector wait for it.
        bytes.withUnsafeBytes { reader.consume($0, into: &batch, inParallel: true) }
        decoded = Decoded(batch: batch, boundaries: reader.takeBoundaries())
    }

    /// The lane's reader, back (once).
    func takeReader() -> SourceReader? {
        defer { reader = nil }
        return reader
    }
}
