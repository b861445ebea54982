#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Batches and positions: sending what was handed on (waiting for the consumer), the positions
/// each batch reaches for `checkpoints(throughBatch:)`, and where a resumed file starts.
extension Ingestor {
    /// While the input is quiet and the consumer has not yet asked for the checkpoints of
    /// some batch that moved a position, sends it an empty batch every poll round: a consumer
    /// that saves after batches (the state store saves at most so often) then gets the chance to
    /// save what it has processed, instead of waiting for the next record, which may come hours
    /// later. Stops as soon as the consumer has asked (`checkpoints(throughBatch:)`), so a
    /// consumer that saves sees one or a few such batches per quiet period.
    func sendIdleBatchIfUnacknowledged() async {
        guard !isSending, pending.isEmpty,
            checkpointLog.withLock({ log in log.deltas.contains { !$0.positions.isEmpty } })
        else { return }
        isSending = true
        defer { isSending = false }
        sentBatchCount += 1
        logPositions([:], ofBatch: sentBatchCount)
        await batches.send(EventBatch())
    }

    /// Keeps the positions a sent batch reached until the consumer asks for them.
    func logPositions(_ positions: [String: FileFollower.Checkpoint], ofBatch number: Int) {
        checkpointLog.withLock { log in
            log.deltas.append((number, positions))
            // A consumer that never asks must not make the log grow without end. Batches this
            // far back were taken long ago (one consumer takes them in turn), so their
            // positions count as acknowledged.
            while log.deltas.count > Self.retainedCheckpointBatches {
                log.moved.merge(log.deltas.removeFirst().positions) { _, new in new }
            }
        }
    }

    /// Sends what is pending (waiting for the consumer to take it) with the positions it
    /// reaches. One send at a time, so batches arrive in the order their positions are logged.
    func flush() async {
        guard !isSending else { return }
        isSending = true
        defer { isSending = false }
        while !pending.isEmpty {
            let batch = pending
            pending = EventBatch()
            // Room for as many events as the batch just sent: filled event by event from empty,
            // the array was reallocated and its events (~100 bytes each) copied a dozen times.
            pending.events.reserveCapacity(batch.events.count)
            sentBatchCount += 1
            sentEventCount += batch.events.count
            let number = sentBatchCount
            if configuration.keepsPositions { logPositions(changedPositions.mapValues(Self.completed), ofBatch: number) }
            changedPositions = [:]
            await batches.send(batch)
            // The consumer took it; this may go on on another of the pool's threads.
            settlePriority()
        }
    }

    /// `checkpoint` with the hash of the bytes before its offset (`Checkpoint.precedingBytes`),
    /// read from its file while it is still at its path: once per file per batch, one `pread`
    /// of at most 1 KiB, instead of hashing every record's bytes as they are read.
    static func completed(_ checkpoint: FileFollower.Checkpoint) -> FileFollower.Checkpoint {
        guard checkpoint.precedingBytes == nil, checkpoint.offset > 0 else { return checkpoint }
        var completed = checkpoint
        completed.precedingBytes = FileFollower.precedingBytes(of: checkpoint)
        return completed
    }

    /// The line number to count from in `name` opened at `offset`, the events of the record
    /// text there already handed on, the source's clock there and how far the runs before read
    /// it: the checkpoint's when the file resumes there (once), else line 1, none and nothing
    /// known.
    func resumePoint(of name: String, openedAt offset: Int64) -> SourceLane.ResumePoint {
        guard let saved = resumePoints[name], saved.offset == offset, resumedLines.insert(name).inserted else { return .init() }
        return SourceLane.ResumePoint(line: saved.line, skipEvents: saved.skipEvents, clock: saved.clock, readThrough: saved.readThrough)
    }

    func report(_ error: IngestionError, source: String? = nil) {
        pending.problems.append(InputProblem(source: source ?? error.path, line: 0, reason: error.reason))
    }
}
