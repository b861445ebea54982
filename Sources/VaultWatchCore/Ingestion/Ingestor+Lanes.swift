#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AsyncAlgorithms

/// The sources' lanes: opening a lane per file and stream and listing trees, reading them to
/// their end, or following them (streams pumped as chunks arrive, files and trees polled, new
/// blobs picked up, idle hourly blobs retired and re-checked for late appends).
extension Ingestor {
    /// Makes a lane per file and stream and lists each tree (its blobs open lazily).
    func open() {
        let now = ContinuousClock.now
        let start = mode == .follow ? configuration.start : .beginning
        let namedFiles = Set(sources.compactMap { source -> String? in
            if case .file(let path) = source { return path } else { return nil }
        })
        // Trees are listed first, so that every input is known before any file opens: an input
        // under another path than its checkpoint's resumes from it (`CheckpointAdoption`).
        var listings: [Int: (directory: DirectorySource, found: [BlobDirectory.Blob], errors: [IngestionError])] = [:]
        var inputs: [String] = []
        for (index, source) in sources.enumerated() {
            switch source {
            case .file(let path):
                inputs.append(path)
            case .directory(let path):
                // Files named on the command line are never gone from a tree, even inside it.
                let readBefore = resumePoints.keys.filter { !namedFiles.contains($0) }
                let directory = DirectorySource(root: path, lastScan: now, readBefore: readBefore)
                let (found, errors) = directory.directory.scanForNewFiles()
                listings[index] = (directory, found, errors)
                inputs += found.map(\.path)
            case .stream:
                break
            }
        }
        adoptCheckpoints(of: inputs)
        for (index, source) in sources.enumerated() {
            switch source {
            case .file(let path):
                addFileLane(path: path, hour: nil, start: start, keepsFileOpen: true, chunkSize: fileChunkSize)
                totalBytes += Self.size(of: path)
                totalSources += 1
            case .directory:
                guard let (directory, found, errors) = listings[index] else { continue }
                handOverGoneBlobs(of: directory)
                for error in errors { report(error) }
                directory.reportedErrors = Set(errors)
                directory.add(found, start: start)
                totalSources += found.count
                for blob in found { totalBytes += Self.size(of: blob.path) }
                directories.append(directory)
            case .stream(let path):
                let lowered = configuration.runsAtLowerPriority
                let reader = path == "-"
                    ? StreamReader.standardInput(chunkSize: configuration.chunkSize, runsAtLowerPriority: lowered)
                    : StreamReader(name: path, chunkSize: configuration.chunkSize, runsAtLowerPriority: lowered)
                let lane = SourceLane(name: path, input: .stream(reader), hour: nil, order: nextLaneOrder)
                nextLaneOrder += 1
                lanes.append(lane)
                streamReaders.append(reader)
                totalSources += 1
            }
        }
    }

    /// Inputs without a checkpoint of their own that hold the file of a checkpoint saved under a
    /// path this run does not read resume from it (`CheckpointAdoption`), said once each; the
    /// checkpoints of paths that name nothing any more (moved) are handed over as gone, so the
    /// store forgets them. Inputs that hold one but cannot be told which are read from their
    /// start, said as well. At the start, `inputs` are all the run's files and blobs; in follow
    /// mode, the blobs a tree's later scans find (a tree being synced to its new root), matched
    /// with the checkpoints no input has taken (`unclaimedCheckpoints`).
    func adoptCheckpoints(of inputs: [String], atStart: Bool = true) {
        if atStart {
            guard !resumePoints.isEmpty else { return }
            let named = Set(inputs)
            unclaimedCheckpoints = resumePoints.filter { !named.contains($0.key) && $0.value.offset > 0 }
        }
        // A blob found later under a path that has its own checkpoint is no longer unclaimed.
        for path in inputs where unclaimedCheckpoints[path] != nil { unclaimedCheckpoints[path] = nil }
        let fresh = atStart ? inputs : inputs.filter { resumePoints[$0] == nil }
        guard !unclaimedCheckpoints.isEmpty, !fresh.isEmpty else { return }
        var saved = unclaimedCheckpoints
        if atStart { for path in inputs { if let own = resumePoints[path] { saved[path] = own } } }
        let matched = CheckpointAdoption.matching(inputs: fresh, saved: saved)
        for adoption in matched.adoptions {
            resumePoints[adoption.checkpoint.path] = adoption.checkpoint
            unclaimedCheckpoints[adoption.previousPath] = nil
            // Saved with the first batch even if the file holds nothing new: the consumer keeps
            // what it is given, and forgets the moved path's checkpoint.
            changedPositions[adoption.checkpoint.path] = adoption.checkpoint
            if adoption.previousPathIsGone, configuration.keepsPositions {
                goneBlobs.withLock { _ = $0.insert(adoption.previousPath) }
            }
        }
        // Said grouped: a tree of thousands of blobs moved is one line, not thousands.
        let problems = matched.lines().map { InputProblem(source: $0.source, line: 0, reason: $0.reason) }
        pending.problems += problems
        if !problems.isEmpty { resumedElsewhere.withLock { $0 += problems.map(\.description) } }
    }

    @discardableResult
    func addFileLane(
        path: String, hour: BlobDirectory.Hour?, start: FileFollower.StartPosition, keepsFileOpen: Bool, chunkSize: Int
    ) -> SourceLane {
        let follower = FileFollower(
            path: path, start: start, resumingFrom: resumePoints[path], chunkSize: chunkSize, keepsFileOpen: keepsFileOpen)
        let lane = SourceLane(name: path, input: .file(follower), hour: hour, order: nextLaneOrder, lineStarts: configuration.lineStarts)
        nextLaneOrder += 1
        lanes.append(lane)
        return lane
    }

    static func size(of path: String) -> Int64 {
        var status = stat()
        return stat(path, &status) == 0 ? Int64(status.st_size) : 0
    }

    func readToEnd() async {
        while !Task.isCancelled {
            switch step(now: ContinuousClock.now) {
            case .handed, .opened:
                if pending.events.count >= configuration.batchSize { await flush() }
            case .cutBeforeEndOfInputDecisions:
                await cutBeforeEndOfInputDecisions()
            case .needs(let lane):
                await fill(lane)
            case .blocked, .finished:
                await takeReadAhead()
                return
            }
        }
        await takeReadAhead()
    }

    /// Reads more of `lane` (read-to-end): a chunk of a file, or the next chunk of a stream.
    /// A file's next chunks are then read and decoded ahead on another thread (`LaneReadAhead`)
    /// while the merge hands these on; the merge takes what that job decoded as it needs more,
    /// and the job goes on.
    func fill(_ lane: SourceLane) async {
        settlePriority()
        let wallClock = configuration.wallClock()
        switch lane.input {
        case .file(let follower):
            let resumePoint = { (offset: Int64) in self.resumePoint(of: lane.name, openedAt: offset) }
            if let ahead = readAhead, ahead.lane === lane {
                let taken = await ahead.job.next()
                _ = lane.fill(
                    after: taken, symbols: symbols, readsToEnd: true, reportsMissing: true, limits: configuration.clock,
                    wallClock: wallClock, resumePoint: resumePoint)
                // Still reading ahead: the lane's reader and follower are the job's.
                guard taken.isOver else { return }
                readAhead = nil
            } else {
                // Another lane's read-ahead is given back to it first: one runs at a time.
                await takeReadAhead()
                _ = lane.fill(
                    symbols: symbols, readsToEnd: true, reportsMissing: true, limits: configuration.clock, wallClock: wallClock,
                    resumePoint: resumePoint)
            }
            if lanes.count > Self.openFileLimit {
                follower.close()
            } else if let job = lane.readAhead(runsAtLowerPriority: configuration.runsAtLowerPriority) {
                readAhead = (lane, job)
            }
        case .stream(let reader):
            reader.start()
            do {
                if let chunk = try await Self.nextChunk(of: reader) {
                    lane.absorb(chunk, symbols: symbols, limits: configuration.clock, wallClock: configuration.wallClock())
                    return
                }
            } catch let error as IngestionError {
                lane.report(error)
            } catch {
                lane.report(.unreadable(path: reader.name, reason: "\(error)"))
            }
            reader.stop()
            lane.end(limits: configuration.clock, wallClock: configuration.wallClock())
        }
    }

    /// Stops the read-ahead in flight, if any, after its chunk, and hands its lane what it read.
    func takeReadAhead() async {
        guard let ahead = readAhead else { return }
        readAhead = nil
        let lane = ahead.lane
        _ = lane.fill(
            after: await ahead.job.finish(), symbols: symbols, readsToEnd: true, reportsMissing: true, limits: configuration.clock,
            wallClock: configuration.wallClock(), resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
    }

    /// The stream's next chunk, nil at its end (the channel hands each chunk to one `next()`).
    private nonisolated static func nextChunk(of reader: StreamReader) async throws -> [UInt8]? {
        var iterator = reader.chunks.makeAsyncIterator()
        return try await iterator.next()
    }

    func follow() async {
        let pollsFiles = sources.contains { if case .stream = $0 { return false } else { return true } }
        await withTaskGroup(of: Void.self) { group in
            for lane in lanes {
                guard case .stream(let reader) = lane.input else { continue }
                let order = lane.order
                group.addTask { await self.pump(reader, into: order) }
            }
            if pollsFiles {
                group.addTask { await self.pollLoop() }
            }
            await group.waitForAll()
        }
        // Every source was a stream and all have ended: hand on what is left.
        if !Task.isCancelled {
            merging: while true {
                switch step(now: ContinuousClock.now) {
                case .handed:
                    if pending.events.count >= configuration.batchSize { await flush() }
                case .cutBeforeEndOfInputDecisions:
                    await cutBeforeEndOfInputDecisions()
                case .opened, .needs, .blocked, .finished:
                    break merging
                }
            }
        }
    }

    /// Feeds a stream to its lane as chunks arrive, and merges what it can at once (a quiet
    /// pipe's lines are handed on promptly).
    func pump(_ reader: StreamReader, into order: Int) async {
        reader.start()
        do {
            for try await chunk in reader.chunks {
                settlePriority()
                guard let lane = lanes.first(where: { $0.order == order }) else { return }
                lane.absorb(chunk, symbols: symbols, limits: configuration.clock, wallClock: configuration.wallClock())
                await advance()
            }
        } catch let error as IngestionError {
            lanes.first { $0.order == order }?.report(error)
        } catch {
            lanes.first { $0.order == order }?.report(.unreadable(path: reader.name, reason: "\(error)"))
        }
        guard !Task.isCancelled else { return }
        lanes.first { $0.order == order }?.end(limits: configuration.clock, wallClock: configuration.wallClock())
        await advance()
    }

    func pollLoop() async {
        while !Task.isCancelled {
            settlePriority()
            let now = ContinuousClock.now
            var readAny = false
            for directory in directories where now - directory.lastScan >= configuration.directoryScanInterval {
                directory.lastScan = now
                rescan(directory)
                recheckRetiredBlobs(of: directory)
            }
            // Quiet lanes are polled again for appends.
            for lane in lanes where !lane.hasHead && lane.idleSince != nil {
                if case .file = lane.input {
                    let found = lane.fill(
                        symbols: symbols, readsToEnd: false, reportsMissing: false, limits: configuration.clock,
                        wallClock: configuration.wallClock(), resumePoint: { self.resumePoint(of: lane.name, openedAt: $0) })
                    if found == .data { readAny = true }
                }
            }
            if await advance() { readAny = true }
            retireIdleBlobs()
            if !readAny {
                await sendIdleBatchIfUnacknowledged()
                do { try await Task.sleep(for: configuration.pollInterval) } catch { return }
            }
        }
    }

    func rescan(_ directory: DirectorySource) {
        let (fresh, errors) = directory.directory.scanForNewFiles()
        handOverGoneBlobs(of: directory)
        for error in errors where !directory.reportedErrors.contains(error) {
            report(error)
        }
        directory.reportedErrors = Set(errors)
        adoptCheckpoints(of: fresh.map(\.path), atStart: false)
        directory.add(fresh, start: .beginning)
        totalSources += fresh.count
        // Blobs of hours long over that were written to since they were settled (Azure appends
        // late): read on from where reading stopped, then settled again once idle.
        for (blob, checkpoint) in directory.directory.takeChangedSettledBlobs() {
            resumePoints[blob.path] = checkpoint
            resumedLines.remove(blob.path)
            addFileLane(
                path: blob.path, hour: blob.hour, start: .beginning, keepsFileOpen: false, chunkSize: min(configuration.chunkSize, 256 << 10))
        }
    }

    /// Hands the blobs `directory`'s last listing found gone to the consumer (`takeBlobsGone()`).
    /// Kept only where positions are (`Configuration.keepsPositions`): a run that nobody asks where
    /// to resume (`detect` without a state file, `hunt`) would otherwise keep every blob deleted
    /// from a tree it follows for months.
    func handOverGoneBlobs(of directory: DirectorySource) {
        let gone = directory.directory.takeGoneBlobs()
        guard configuration.keepsPositions, !gone.isEmpty else { return }
        goneBlobs.withLock { $0.formUnion(gone) }
    }

    /// Stops polling hourly blobs well behind the newest one once they are idle and handed on
    /// whole (`retireIfIdleBlob`), those that were not yet when the merge found them idle: the
    /// tree's newest hour has moved on since.
    func retireIdleBlobs() {
        guard !directories.isEmpty else { return }
        lanes.removeAll { retireIfIdleBlob($0) }
    }

    /// Retires `lane` when it is an hourly blob well behind its tree's newest one, idle and handed
    /// on whole: its hour is over, and polling thousands of them each round would cost more than
    /// it finds. It is re-checked at each directory scan for late appends. Returns whether it was
    /// retired (the caller removes it from `lanes`). The merge retires a blob as soon as it finds
    /// it idle (`advance()`), so that a tree caught up with keeps only its last hours' blobs as
    /// lanes, whatever the blobs' hold (`SourceLane.quietSince`).
    func retireIfIdleBlob(_ lane: SourceLane) -> Bool {
        guard let hour = lane.hour, lane.idleSince != nil, lane.queuedRecordCount == 0,
              let directory = directories.first(where: { lane.name.hasPrefix($0.directory.root) }),
              hour.hoursSinceEpoch < directory.newestHour - configuration.blobFollowWindowHours else { return false }
        closedLaneBytes += lane.bytesRead
        lane.endLateRun(into: &pending)
        lane.follower?.close()
        directory.retired.append((BlobDirectory.Blob(path: lane.name, hour: hour), lane.checkpoint))
        return true
    }

    /// Re-opens retired blobs that grew (Azure appends to an hour's blob after the hour); those
    /// older than `blobRecheckHours` behind the newest blob are no longer `stat`ed each scan but
    /// settled in the tree's listing (`BlobDirectory.settle`), whose scans find them if they change
    /// (a `stat` relative to the directory the scan lists anyway), and their hours forgotten in its
    /// list of paths.
    ///
    /// Where reading of a blob stands: the last record it handed on, or, for one that handed none
    /// in this run, the position it was resumed from. A blob with neither (empty when the merge
    /// reached it: Azure creates an append blob, then appends; a copy tool creates the file, then
    /// writes) is `stat`ed at each scan until it is written, whatever its hour: settling it needs
    /// a position, and it used to be dropped instead, its records read only by the next run.
    func recheckRetiredBlobs(of directory: DirectorySource) {
        // No hourly blob yet (an empty tree, or only other files): nothing is behind the newest.
        let oldestRechecked = directory.newestHour == .min ? .min : directory.newestHour - configuration.blobRecheckHours
        directory.retired.removeAll { blob, checkpoint in
            let position = checkpoint ?? resumePoints[blob.path]
            if let position, (blob.hour?.hoursSinceEpoch).map({ $0 < oldestRechecked }) ?? true {
                directory.directory.settle(position)
                return true
            }
            let size = Self.size(of: blob.path)
            guard size > (position?.offset ?? 0), let hour = blob.hour else { return false }
            if let checkpoint {
                resumePoints[blob.path] = checkpoint
                resumedLines.remove(blob.path)
            }
            addFileLane(
                path: blob.path, hour: hour, start: .beginning, keepsFileOpen: false, chunkSize: min(configuration.chunkSize, 256 << 10))
            return true
        }
        if oldestRechecked > Int.min / 2 { directory.directory.forgetHours(before: oldestRechecked) }
    }
}
