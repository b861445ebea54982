#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening what comes next: the first file (from a checkpoint, at the path or among the rotated
/// generations, else from the start position), the next generation holding unread data once a
/// file is finished, or the path's file; and remembering what was read so nothing is read twice.
extension FileFollower {
    /// Opens what comes next when no file is open: the first file, the same file again after
    /// `close()`, or, once a file is finished, the next generation holding unread data or else
    /// the path's file. Returns whether a file is open.
    func reopen(_ changes: inout [Change], attempts: Int = 8) -> Bool {
        if firstOpenStart != nil { return openFirst(&changes) }
        if let identity {
            // Closed by the owner: the same file carries on, another one means ours was
            // replaced while we did not hold it (its tail, if any, is looked for below).
            if case .atPath = openFile, let opened = openPath(&changes) {
                if opened.identity == identity {
                    adopt(opened)
                    return true
                }
                Self.closeDescriptor(opened.descriptor)
            }
            known[identity] = KnownFile(fingerprint: fingerprint, end: offset, modified: 0)
            forgetFile()
            changes.append(.rotated)
        }
        // While the path names nothing, the directory is not listed at each poll: generations
        // are made by rotating the path's file, so they are looked for once it is back.
        guard Self.status(of: path) != nil else {
            _ = openPath(&changes)
            return false
        }
        if let next = nextGeneration() {
            if finishedFileWasDeleted {
                changes.append(.lost(DataLoss(path: path, reason: .generationsDeleted)))
            }
            finishedFileWasDeleted = false
            if openGeneration(next.generation, at: next.start, &changes) {
                if next.isCopy {
                    // copytruncate made this copy while nothing read the file: what was written
                    // between the copy and the truncation follows it, gone.
                    windowAfterOpenFile = Window(copyPath: next.generation.path, end: next.generation.size, lowerBound: nil)
                }
                return true
            }
            if generationMoved {
                // Renamed on by a rotation between the listing and the open: list again.
                return attempts > 0 ? reopen(&changes, attempts: attempts - 1) : false
            }
            // Listed but not readable (no permission): skip it, said aloud.
            known[next.generation.identity] = KnownFile(
                fingerprint: FileFingerprint(), end: next.generation.size, modified: next.generation.modified)
            let unread = next.generation.size - next.start
            changes.append(.lost(loss(.generationUnreadable(next.generation.path), bytes: unread > 0 ? unread : nil)))
            return reopen(&changes, attempts: attempts)  // the next one (each failure is remembered: this ends)
        }
        finishedFileWasDeleted = false
        guard let opened = openPath(&changes) else { return false }
        adopt(opened)
        offset = 0
        forgetIdentification()
        changes.append(.opened(offset: 0))
        if let (replacement, again) = readAgainInReplacement, replacement == opened.identity { changes.append(.readAgain(again)) }
        readAgainInReplacement = nil
        return true
    }

    /// The first open: from the checkpoint (at the path or among the generations), else from
    /// `start`. Generations older than where reading starts are remembered as read.
    func openFirst(_ changes: inout [Change]) -> Bool {
        let start = firstOpenStart ?? .beginning
        guard let opened = openPath(&changes) else {
            // Nothing at the path: a checkpointed file may still be among the generations.
            if keepsFileOpen, let checkpoint = resumeCheckpoint, let found = generation(matching: checkpoint, excluding: nil) {
                firstOpenStart = nil
                resumeCheckpoint = nil
                return resume(checkpoint, in: found, &changes)
            }
            return false
        }
        firstOpenStart = nil
        let size = Int64(opened.status.st_size)
        let saved = resumeCheckpoint
        resumeCheckpoint = nil
        if let checkpoint = saved {
            if matches(checkpoint, descriptor: opened.descriptor, identity: opened.identity, size: size) {
                settleGenerations(olderThan: nil)
                adopt(opened)
                offset = checkpoint.offset
                identify(length: checkpoint.fingerprint.length)
                precedingAtOffset = checkpoint.precedingBytes
                resumedCheckpoint = true
                changes.append(.opened(offset: offset))
                return true
            }
            if keepsFileOpen, let found = generation(matching: checkpoint, excluding: opened.identity) {
                Self.closeDescriptor(opened.descriptor)
                return resume(checkpoint, in: found, &changes)
            }
            // The checkpoint's file is gone: everything at the path came after it, and so did
            // the generations modified after it (read first, as new ones); older ones are read.
            changes.append(.lost(DataLoss(path: path, reason: keepsFileOpen ? .checkpointedFileGone : .replaced)))
            settleGenerations(olderThan: nil, modifiedAfter: checkpoint.modified)
            adopt(opened)
            lastPathIdentity = nil  // generations left to read are older than it, not copies of it
            offset = 0
            forgetIdentification()
            changes.append(.opened(offset: 0))
            if checkpoint.fingerprint.length > 0,
               readFingerprint(length: checkpoint.fingerprint.length, descriptor: opened.descriptor) == checkpoint.fingerprint {
                // Another file that starts as the checkpoint's did (it differs where reading
                // stood): its first bytes hash as those read did, they were read before and
                // come again.
                let start = readBytes(at: 0, count: checkpoint.fingerprint.length) ?? []
                if let again = ReadAgain.agreeing(
                    start, start, path: path, isLowerBound: checkpoint.offset > Int64(start.count), replacedAt: checkpoint.offset) {
                    changes.append(.readAgain(again))
                }
            }
            return true
        }
        settleGenerations(olderThan: nil)
        adopt(opened)
        if start == .end {
            offset = startOfLastPartialLine(size: size)
            identify(through: size)
        } else {
            offset = 0
            forgetIdentification()
        }
        changes.append(.opened(offset: offset))
        return true
    }

    /// Resumes a checkpoint in the rotated generation that holds its file: generations older
    /// than it count as read, newer ones are read after it.
    func resume(_ checkpoint: Checkpoint, in found: RotatedFileFinder.Generation, _ changes: inout [Change]) -> Bool {
        settleGenerations(olderThan: found)
        let isCopy = found.identity != Identity(device: checkpoint.device, inode: checkpoint.inode)
        if isCopy {
            // copytruncate while nothing read: what was written between copy and truncation
            // is gone, and nothing tells how much.
            changes.append(.lost(DataLoss(path: path, reason: .copyTruncate(copy: found.path))))
        }
        guard openGeneration(found, at: checkpoint.offset, &changes) else { return false }
        identify(length: checkpoint.fingerprint.length)
        resumedCheckpoint = true
        return true
    }

    /// The file holding the checkpoint's file: the same device and inode with the same first
    /// bytes (renamed: among the generations, or under any name beside the path or its
    /// resolved target, as the old target of a symbolic link moved to another file), else a
    /// generation with the same first bytes (copied), at least as long as the offset.
    func generation(matching checkpoint: Checkpoint, excluding excluded: Identity?) -> RotatedFileFinder.Generation? {
        let generations = finder.generations().filter { $0.identity != excluded && $0.size >= checkpoint.offset }
        let wanted = Identity(device: checkpoint.device, inode: checkpoint.inode)
        let holdsWhatWasRead = { (file: RotatedFileFinder.Generation) -> Bool in
            let fd = open(file.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { return false }
            defer { Self.closeDescriptor(fd) }
            return RotatedFileFinder.fingerprint(descriptor: fd, length: checkpoint.fingerprint.length) == checkpoint.fingerprint
                && Self.holdsPrecedingBytes(of: checkpoint, descriptor: fd)
        }
        let holdsCheckpointedFile = { (file: RotatedFileFinder.Generation) in
            file.identity == wanted && file.size >= checkpoint.offset && holdsWhatWasRead(file)
        }
        if let renamed = generations.first(where: holdsCheckpointedFile) { return renamed }
        if wanted != excluded, let renamed = finder.file(withIdentity: wanted), renamed.path != path, holdsCheckpointedFile(renamed) {
            return renamed
        }
        guard checkpoint.fingerprint.length > 0 else { return nil }
        return generations.first(where: holdsWhatWasRead)
    }

    /// Remembers the generations present now as read, except `reference` and those newer than
    /// it, or those modified after `modifiedAfter` (still to read).
    func settleGenerations(olderThan reference: RotatedFileFinder.Generation?, modifiedAfter: Int64? = nil) {
        guard keepsFileOpen else { return }
        for generation in finder.generations() {
            if let reference, generation.identity == reference.identity || !RotatedFileFinder.Generation.isOlder(generation, than: reference) {
                continue
            }
            if let modifiedAfter, generation.modified > modifiedAfter { continue }
            let length = Int(min(generation.size, Int64(FileFingerprint.maximumLength)))
            guard let print = RotatedFileFinder.fingerprint(of: generation.path, length: length) else { continue }
            known[generation.identity] = KnownFile(fingerprint: print, end: generation.size, modified: generation.modified)
        }
    }

    /// The oldest generation holding data not read yet, and where to start in it: a generation
    /// not seen before (from 0), one already read that grew since (a writer that wrote on
    /// after the rename), or a copy of a file already read (from where that one ended).
    /// Forgets known files the directory no longer holds.
    ///
    /// A generation not seen before while the path still names the file last read there was
    /// made by copying it (rename would have changed the path's file): `isCopy`, for
    /// copytruncate's window to be reported.
    func nextGeneration() -> (generation: RotatedFileFinder.Generation, start: Int64, isCopy: Bool)? {
        let generations = finder.generations()
        let atPath = Self.status(of: path).map(Self.identity(of:))
        known = known.filter { entry in generations.contains { $0.identity == entry.key } }
        dataStarts = dataStarts.filter { entry in generations.contains { $0.identity == entry.key } }
        var pathData: [UInt8]?
        for generation in generations where generation.identity != atPath {
            if let file = known[generation.identity] {
                if generation.modified == file.modified && generation.size == file.end { continue }
                if RotatedFileFinder.fingerprint(of: generation.path, length: file.fingerprint.length) == file.fingerprint {
                    if generation.size > file.end { return (generation, file.end, false) }
                    known[generation.identity]?.modified = generation.modified
                    continue
                }
                // Same inode, other first bytes: a new file that reused the number.
                known[generation.identity] = nil
            }
            // Nothing but zeros (or nothing) yet: a copy being made, or one of a file that held
            // only its hole; nothing to read in it now.
            guard let data = leadingData(of: generation, count: FileFingerprint.maximumLength), !data.isEmpty else { continue }
            let print = data.withUnsafeBytes { FileFingerprint(of: $0) }
            if print.isComplete, let original = known.values.first(where: { $0.fingerprint == print }) {
                // A copy of a file already read: only what it holds beyond that is new.
                if generation.size > original.end { return (generation, original.end, false) }
                known[generation.identity] = KnownFile(fingerprint: print, end: generation.size, modified: generation.modified)
                continue
            }
            // A copy of what the path holds now (copytruncate copied it and has not truncated
            // it yet, or is copying it): the path is read instead, and the copy once the path
            // is cut.
            if pathData == nil { pathData = pathLeadingData(atPath: atPath) }
            if Self.agree(data, pathData ?? []) { continue }
            return (generation, 0, atPath != nil && atPath == lastPathIdentity)
        }
        return nil
    }

    struct OpenedFile {
        var descriptor: Int32
        var status: stat
        var identity: Identity
    }

    /// Opens the path if it names a readable regular file; reports absence once.
    func openPath(_ changes: inout [Change]) -> OpenedFile? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let error = errno
            if !reportedAbsence {
                changes.append(error == ENOENT || error == ENOTDIR ? .missing : .unreadable(.opening(path, errorNumber: error)))
                reportedAbsence = true
            }
            return nil
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let error = errno
            Self.closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
                reportedAbsence = true
            }
            return nil
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            Self.closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unsupported(path: path, reason: "not a regular file")))
                reportedAbsence = true
            }
            return nil
        }
        reportedAbsence = false
        return OpenedFile(descriptor: fd, status: status, identity: Self.identity(of: status))
    }

    /// At the end of the path's file, the path names another one: when the old file was
    /// replaced (no name left to it, so it is no rotated generation) by one that holds what was
    /// read (`holdsWhatWasRead`), reading carries on in the new one from the same offset,
    /// silently, as in one file: nothing read twice, and a partial last line is completed by
    /// the new file's bytes. Returns whether it switched.
    ///
    /// Otherwise the new file is another one, read from its start once the old one is finished:
    /// if it starts with lines of the old one, how many (compared up to 1 MiB) is said then
    /// (`readAgainInReplacement`), as those lines come a second time.
    func carriesOnInReplacement() -> Bool {
        var status = stat()
        guard case .atPath = openFile, descriptor >= 0, fstat(descriptor, &status) == 0, status.st_nlink == 0 else { return false }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        var replacement = stat()
        guard fstat(fd, &replacement) == 0, (replacement.st_mode & S_IFMT) == S_IFREG,
              holdsWhatWasRead(fd, size: Int64(replacement.st_size), previous: descriptor) else {
            if fstat(fd, &replacement) == 0 {
                let shorter = min(Int64(status.st_size), Int64(replacement.st_size))
                let count = Int(min(shorter, Self.readAgainComparisonLimit))
                if count > 0, let start = readBytes(at: 0, count: count, descriptor: fd), let read = readBytes(at: 0, count: count),
                   let again = ReadAgain.agreeing(
                       start, read, path: path, isLowerBound: shorter > Self.readAgainComparisonLimit, replacedAt: offset) {
                    readAgainInReplacement = (Self.identity(of: replacement), again)
                }
            }
            Self.closeDescriptor(fd)
            return false
        }
        adopt(OpenedFile(descriptor: fd, status: replacement, identity: Self.identity(of: replacement)))
        return true
    }

    /// Makes `opened` the path's file being read (the caller sets offset and fingerprint).
    func adopt(_ opened: OpenedFile) {
        if descriptor >= 0, descriptor != opened.descriptor { Self.closeDescriptor(descriptor) }
        let size = Int64(opened.status.st_size)
        largestSize = identity == opened.identity ? max(largestSize, size) : size
        modified = RotatedFileFinder.modificationTime(opened.status)
        descriptor = opened.descriptor
        identity = opened.identity
        lastPathIdentity = opened.identity
        openFile = .atPath
    }

    /// Opens a rotated generation to read it from `start`; false (and nothing changes) when it
    /// is no longer the file listed.
    func openGeneration(_ generation: RotatedFileFinder.Generation, at start: Int64, _ changes: inout [Change]) -> Bool {
        generationMoved = false
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            generationMoved = errno == ENOENT
            return false
        }
        var status = stat()
        guard fstat(fd, &status) == 0, Self.identity(of: status) == generation.identity else {
            generationMoved = true
            Self.closeDescriptor(fd)
            return false
        }
        if descriptor >= 0 { Self.closeDescriptor(descriptor) }
        descriptor = fd
        identity = generation.identity
        openFile = .rotated
        offset = start
        largestSize = Int64(status.st_size)
        modified = RotatedFileFinder.modificationTime(status)
        identify(through: start)
        changes.append(.openedRotated(path: generation.path, offset: start))
        return true
    }

    /// Remembers the open file as read to `offset` and closes it.
    func finishFile(_ changes: inout [Change]) {
        var status = stat()
        if let identity, descriptor >= 0, fstat(descriptor, &status) == 0 {
            known[identity] = KnownFile(fingerprint: fingerprint, end: offset, modified: RotatedFileFinder.modificationTime(status))
            finishedFileWasDeleted = status.st_nlink == 0
        }
        if var window = windowAfterOpenFile {
            window.end = max(window.end, offset)
            noteWindow(window, after: identity, &changes)
        }
        forgetFile()
    }

    func matches(_ checkpoint: Checkpoint, descriptor fd: Int32, identity: Identity, size: Int64) -> Bool {
        let sameInode = identity == Identity(device: checkpoint.device, inode: checkpoint.inode)
        guard sameInode || checkpoint.fingerprint.isComplete else { return false }
        guard size >= max(checkpoint.offset, Int64(checkpoint.fingerprint.length)), checkpoint.offset >= 0 else { return false }
        return readFingerprint(length: checkpoint.fingerprint.length, descriptor: fd) == checkpoint.fingerprint
            && Self.holdsPrecedingBytes(of: checkpoint, descriptor: fd)
    }

    /// The offset just after the last newline of the file, so that following from the end
    /// starts on a record boundary (a record being written when we start is read whole).
    func startOfLastPartialLine(size: Int64) -> Int64 {
        let window = Int64(64 * 1024)
        var end = size
        while end > 0 && size - end < 1 << 20 {
            let start = max(0, end - window)
            guard let bytes = readBytes(at: start, count: Int(end - start)), bytes.count == Int(end - start) else { return size }
            if let index = bytes.lastIndex(of: UInt8(ascii: "\n")) { return start + Int64(index) + 1 }
            end = start
        }
        return end == 0 ? 0 : size
    }
}
