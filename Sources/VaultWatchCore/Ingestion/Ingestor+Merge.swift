#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The k-way merge by event time: which lane's next event comes first, handing events on one at
/// a time as long as they stay no later than every other lane's next one, opening blobs when
/// the merge reaches their hour, holding back for quiet sources in follow mode.
extension Ingestor {
    /// Where a lane's next record stands in the merge: its time, then the lane's order.
    struct MergeKey: Comparable {
        var time: Int64
        var order: Int

        static func < (lhs: MergeKey, rhs: MergeKey) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }
        static let last = MergeKey(time: .max, order: .max)
    }

    enum Step {
        /// Records were handed on.
        case handed
        /// Blobs were opened (their lanes need reading).
        case opened
        /// This lane has no record to compare: read more of it.
        case needs(SourceLane)
        /// Quiet sources hold the merge back (follow mode).
        case blocked
        /// The next record is the first the end of the input decided (`EventBatch.endOfInputDecides`):
        /// the batch so far goes first, alone.
        case cutBeforeEndOfInputDecisions
        /// Nothing is left to merge.
        case finished
    }

    /// One step of the k-way merge: hands on the records of the lane whose next record is the
    /// earliest, as long as they stay no later than every other lane's next record; or opens
    /// the blobs whose hour has come; or says which lane must be read first.
    func step(now: ContinuousClock.Instant) -> Step {
        let limits = configuration.clock
        let wallClock = configuration.wallClock()
        let follows = mode == .follow
        var best: (key: MergeKey, lane: SourceLane)?
        var second: MergeKey?
        var holdLimit: Int64?
        var handedAny = false
        var index = 0
        while index < lanes.count {
            let lane = lanes[index]
            lane.decide(limits: limits, force: false, liveClock: follows ? wallClock : nil)
            // What has no time to be ordered by (problems, spikes) goes at once.
            var handedAtOnce = false
            while lane.hasHead, lane.nextTime(limits: limits, wallClock: wallClock) == nil {
                // The first record whose verdict the end of the input gave starts a batch of its
                // own (what a run saves to resume from is the state before it): here a stretch
                // out of range, handed at once; a record in order when the merge reaches it
                // (below). Reading to the end only: following, a quiet source is judged as it
                // goes, with no end of the input after it.
                if !follows, lane.headIsDecidedByTheEndOfTheInput,
                   cutsBeforeEndOfInputDecision(at: lane.headTime ?? streamTime ?? EventTime(ticks: 0))
                {
                    if handedAtOnce, let checkpoint = lane.checkpoint { changedPositions[lane.name] = checkpoint }
                    return .cutBeforeEndOfInputDecisions
                }
                lane.handFront(into: &pending, limits: limits, streamTime: &streamTime, wallClock: wallClock)
                handedAtOnce = true
                if !lane.hasHead { lane.decide(limits: limits, force: false, liveClock: follows ? wallClock : nil) }
            }
            if handedAtOnce {
                handedAny = true
                if let checkpoint = lane.checkpoint { changedPositions[lane.name] = checkpoint }
                lapseEndOfInputCutOncePassed()
            }
            guard lane.hasHead, let time = lane.nextTime(limits: limits, wallClock: wallClock) else {
                if lane.isDrained {
                    close(lane)
                    lanes.remove(at: index)
                    continue
                }
                if !follows { return .needs(lane) }
                guard let idleSince = lane.idleSince else { return .needs(lane) }
                if now - idleSince >= configuration.quietSourceHold {
                    // Quiet for long enough: it no longer holds the others back; a record it
                    // held for a verdict is judged without its successor.
                    lane.decide(limits: limits, force: true, liveClock: wallClock)
                    if lane.hasHead { continue }
                } else {
                    holdLimit = min(holdLimit ?? .max, lane.lastHandedTime?.ticks ?? .min)
                }
                index += 1
                continue
            }
            let key = MergeKey(time: time.ticks, order: lane.order)
            if let current = best?.key {
                if key < current {
                    second = second.map { min($0, current) } ?? current
                    best = (key, lane)
                } else {
                    second = second.map { min($0, key) } ?? key
                }
            } else {
                best = (key, lane)
            }
            index += 1
        }
        // Blobs whose hour has come are opened before a lane's record of the same time.
        var blobDirectory: DirectorySource?
        var blobKey: Int64?
        for directory in directories {
            guard let key = directory.nextKey?.ticks else { continue }
            if blobKey.map({ key < $0 }) ?? true {
                blobKey = key
                blobDirectory = directory
            }
        }
        if let blobKey, let blobDirectory, best.map({ blobKey <= $0.key.time }) ?? true {
            openBlobs(of: blobDirectory, at: blobKey)
            return .opened
        }
        guard let best else {
            if handedAny { return .handed }
            return holdLimit != nil ? .blocked : .finished
        }
        if let holdLimit, best.key.time > holdLimit { return handedAny ? .handed : .blocked }
        var bound = second ?? .last
        if let blobKey { bound = min(bound, MergeKey(time: blobKey, order: .min)) }
        if let holdLimit { bound = min(bound, MergeKey(time: holdLimit, order: .max)) }
        let lane = best.lane
        if !follows, lane.headIsDecidedByTheEndOfTheInput, cutsBeforeEndOfInputDecision(at: EventTime(ticks: best.key.time)) {
            return .cutBeforeEndOfInputDecisions
        }
        // Event by event (an envelope's events each by their own time), up to a full batch;
        // the lane's position noted once after the run, not record by record.
        let order = lane.order
        let handedFromLane = lane.handRun(
            into: &pending, limits: limits, streamTime: &streamTime, wallClock: wallClock, batchSize: configuration.batchSize,
            liveClock: follows ? wallClock : nil, stopsBeforeUntold: !follows,
            admits: { time in MergeKey(time: time.ticks, order: order) <= bound })
        if handedFromLane, let checkpoint = lane.checkpoint { changedPositions[lane.name] = checkpoint }
        lapseEndOfInputCutOncePassed()
        return .handed
    }

    /// The merge met a record the end of the input decided, at `time`: whether a cut is made
    /// before it (none holds), or else the cut holding reaches it, so that it lapses only once the
    /// stream has gone past every such record since it was made (the next run must read all of
    /// them again while any is within reach).
    func cutsBeforeEndOfInputDecision(at time: EventTime) -> Bool {
        guard let cut = endOfInputCut else {
            endOfInputCut = time
            return true
        }
        if time.ticks > cut.ticks { endOfInputCut = time }
        return false
    }

    /// Once the stream has gone further past the record a cut was made before (and every record
    /// the end of the input decided since) than a stretch is looked through for its end
    /// (`SourceLane.maximumStretchSpan`), the cut lapses: what the end
    /// of that record's source decided stands for this run, as it does when following (a quiet
    /// source is judged after its hold and never again). A source that ends while the others go
    /// on for days (one export file per vault and per week or day) would otherwise have every
    /// later run read again everything after its end, each time, since a file that never grows
    /// leaves the same step untold forever; a record written to it later is read late by the next
    /// run either way, not in order. Marks the pending batch (`EventBatch.endOfInputCutLapses`),
    /// which holds the records that went past; a later record the end of the input decides may
    /// then cut again.
    func lapseEndOfInputCutOncePassed() {
        guard let cut = endOfInputCut, let streamTime,
              streamTime.ticks > cut.ticks, streamTime.ticks &- cut.ticks > SourceLane.maximumStretchSpan.ticks
        else { return }
        endOfInputCut = nil
        pending.endOfInputCutLapses = true
    }

    /// Sends what is pending, and marks the next batch as the first the end of the input decides
    /// (`EventBatch.endOfInputDecides`).
    func cutBeforeEndOfInputDecisions() async {
        await flush()
        // (Also when a send in progress kept the batch: the state saved is then that much
        // earlier, and a run reading on reads that much again.)
        pending.endOfInputDecides = true
    }

    /// Opens the waiting blobs of `directory` whose records start at `key`.
    func openBlobs(of directory: DirectorySource, at key: Int64) {
        while let next = directory.nextKey, next.ticks == key {
            let (blob, start) = directory.waiting[directory.nextWaiting]
            directory.nextWaiting += 1
            addFileLane(
                path: blob.path, hour: blob.hour, start: start, keepsFileOpen: false,
                chunkSize: min(configuration.chunkSize, 256 << 10))
        }
        if directory.nextWaiting == directory.waiting.count {
            directory.waiting.removeAll()
            directory.nextWaiting = 0
        }
    }

    /// A lane read to its end and handed on whole.
    func close(_ lane: SourceLane) {
        lane.endLateRun(into: &pending)
        if let checkpoint = lane.closingCheckpoint { changedPositions[lane.name] = checkpoint }
        closedLaneBytes += lane.bytesRead
        finishedSources += 1
        lane.follower?.close()
    }

    /// Merges as far as the lanes allow now, sending full batches, then what is pending.
    /// Returns whether anything was handed on or opened.
    @discardableResult
    func advance() async -> Bool {
        var progressed = false
        let wallClock = configuration.wallClock()
        merging: while !Task.isCancelled {
            switch step(now: ContinuousClock.now) {
            case .handed, .opened:
                progressed = true
                if pending.events.count >= configuration.batchSize { await flush() }
            case .cutBeforeEndOfInputDecisions:
                await cutBeforeEndOfInputDecisions()
            case .needs(let lane):
                // A lane without a record to compare: poll it once now.
                let found = lane.fill(
                    symbols: symbols, readsToEnd: false, reportsMissing: false, limits: configuration.clock,
                    wallClock: wallClock, resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
                if found == .data {
                    progressed = true
                } else if lane.idleSince == nil {
                    lane.idleSince = lane.quietSince(now: ContinuousClock.now)
                    if retireIfIdleBlob(lane) { lanes.removeAll { $0 === lane } }
                }
            case .blocked, .finished:
                break merging
            }
        }
        await flush()
        return progressed
    }
}
