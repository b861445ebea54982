#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows one path with `tail -F` semantics, and better: rotated generations are finished
/// whatever the lag, copytruncate is recovered from the copy, and every case where data may
/// have been skipped is reported (`.lost`), never silent.
///
/// Poll-based: the owner decides the cadence and calls `poll()`, which reports what happened
/// since the last call as a list of `Change`s, in the order the owner must apply them. Data
/// arrives in chunks of at most `chunkSize` bytes, at most one chunk per call, so a caller
/// catching up on a large file (or on several rotated ones) stays in control: it polls again
/// while `poll()` returns data. Every byte still on disk is reported exactly once, in order:
/// a file's bytes in file order, older generations before newer ones.
///
/// How changes are noticed, at each poll:
/// - rotation by rename: at the end of the open file, the path names another (device, inode).
///   The old file is read to its end through the descriptor kept open (`.data`…, `.rotated`);
///   then the rotated generations in the directory that hold unread data (found by
///   `RotatedFileFinder`: generations that appeared since, and known ones that grew), oldest
///   first (`.openedRotated`, `.data`…, `.rotated` each); then the new file (`.opened`). So
///   several rotations between two polls, or while the reader was paused, lose nothing.
/// - truncation (the open file is shorter than the read offset, or its first bytes no longer
///   hash to the fingerprint): a copy is looked for among the generations (first bytes with
///   the old fingerprint). Found (copytruncate), its tail is read from the old offset, then
///   newer generations, then the file again from 0 (`.opened(offset: 0)`); what was written
///   between the copy and the truncation is reported `.lost`. Not found, the loss is
///   reported and the file is read again from 0 (`.truncated`). A writer that does not append
///   writes on at its old offset after a truncation, leaving a hole of zeros: files are read
///   from after such a hole, fingerprints are of the bytes after it, and its length counts
///   what was written between the copy and the truncation.
/// - deletion: at the end of the open file, the path names nothing; the old file is read to its
///   end, then `.missing`; when a file appears at the path again, generations made meanwhile
///   and then it are read from 0.
/// - restart: a checkpoint whose file is no longer at the path is looked for among the
///   generations (by device and inode, or by fingerprint for a copy); found, it is finished
///   from the checkpoint's offset, then the generations after it, then the path from 0.
///
/// Generations present when the follower starts (without a checkpoint) are not read: they are
/// older than where the user asked to start.
///
/// With `keepsFileOpen == false` (for the many blobs of a directory tree, so they do not hold a
/// descriptor each) the file is closed whenever its end is reached and a poll first `stat`s the
/// path, returning at once when it has not grown. A replaced or shrunk blob is reported
/// `.lost` (the old one's unread tail, if any, can no longer be read), then read from 0.
///
/// - Important: not thread-safe; one owner (the `Ingestor` actor, or a test) calls it. Blocking
///   POSIX calls on regular files only (they do not wait for writers).
public final class FileFollower {
    /// Where a follower stands in a file, for a store to keep across restarts.
    public struct Checkpoint: Sendable, Hashable, Codable {
        public var path: String
        public var device: UInt64
        public var inode: UInt64
        /// The offset of the next byte to read.
        public var offset: Int64
        /// The hash of the file's first bytes (up to 1 KiB), to recognise it again.
        public var fingerprint: FileFingerprint
        /// The line number at `offset` (set by the `Ingestor`), so that lines keep their
        /// numbers after a resume.
        public var line: Int
        /// The file's modification time when last read (nanoseconds since the epoch): if the
        /// file is gone at a restart, the rotated generations modified after it are the ones
        /// written since, still to read. Nil when unknown (an older state file).
        public var modified: Int64?
        /// Events of the record text at `offset` already handed on (set by the `Ingestor`): the
        /// events of one envelope (`{"records":[…]}`) or Log Analytics array are handed on one
        /// at a time by time, so a position can fall inside one; a resume decodes that record
        /// text again and leaves out its first `skipEvents` events (and its problems, handed
        /// on with its first event).
        public var skipEvents: Int

        public init(
            path: String, device: UInt64, inode: UInt64, offset: Int64, fingerprint: FileFingerprint, line: Int = 1,
            modified: Int64? = nil, skipEvents: Int = 0
        ) {
            self.path = path
            self.device = device
            self.inode = inode
            self.offset = offset
            self.fingerprint = fingerprint
            self.line = line
            self.modified = modified
            self.skipEvents = skipEvents
        }
    }

    /// Where to begin in a file the follower has not seen before.
    public enum StartPosition: Sendable, Hashable {
        /// From the first byte (`detect`, `watch --from-start`).
        case beginning
        /// After the last complete line present when the file is first opened (`watch`):
        /// only what is written from now on. Later files (after a rotation) start at 0.
        case end
    }

    /// What a poll found, in the order it must be applied.
    public enum Change: Sendable, Hashable {
        /// A file is open at the path and will be read from `offset`: start a fresh decoder.
        case opened(offset: Int64)
        /// A rotated generation of the path (the file at `path`, in the same directory) holds
        /// unread data and is read next, from `offset`: start a fresh decoder for it.
        /// `.rotated` follows once it is finished.
        case openedRotated(path: String, offset: Int64)
        /// The next bytes of the open file.
        case data([UInt8])
        /// The file shrank or was rewritten in place and no copy of it was found: the bytes that
        /// follow come from offset 0 of the same file. Drop any partial record.
        case truncated
        /// The file being read is finished (it was rotated away, or it is a generation read to
        /// its end). Finish the decoder; `.openedRotated` or `.opened` follows.
        case rotated
        /// The path names nothing any more (reported once); the old file has been read to its
        /// end. Finish the decoder and wait: `.opened` follows if a file reappears.
        case missing
        /// The path cannot be opened or read (reported once until that changes).
        case unreadable(IngestionError)
        /// Data may have been skipped: report it (see `DataLoss`).
        case lost(DataLoss)
    }

    public let path: String
    public let chunkSize: Int
    public let keepsFileOpen: Bool

    private typealias Identity = RotatedFileFinder.Identity

    /// A file read up to `end` (or, for generations present at the start, left as it was).
    private struct KnownFile {
        var fingerprint: FileFingerprint
        var end: Int64
        var modified: Int64
    }

    /// What the open descriptor is.
    private enum OpenFile {
        /// The file the path names (or named when it was last checked).
        case atPath
        /// A file no longer at the path: renamed away while open, a rotated generation or a
        /// copytruncate copy. Read to its end, then the next one.
        case rotated
    }

    private var descriptor: Int32 = -1
    private var identity: Identity?
    private var openFile = OpenFile.atPath
    private var offset: Int64 = 0
    /// The hash of the open file's first bytes after any hole (`leadingBytes`), extended as
    /// the first KiB is read.
    private var fingerprint = FileFingerprint()
    /// The bytes the fingerprint covers: a copy made while the file was shorter holds fewer of
    /// them, and is recognised by comparing what it holds; checking them where they are is the
    /// truncation check (cheap, however long a hole before them).
    private var leadingBytes: [UInt8] = []
    /// Where the open file's data starts: after the hole of zeros a non-appending writer leaves.
    private var dataStart: Int64 = 0
    /// The largest size seen of the open file, to count bytes that can no longer be read.
    private var largestSize: Int64 = 0
    /// The open file's modification time when last looked at (for the checkpoint).
    private var modified: Int64?
    /// `.missing`/`.unreadable` has been reported and nothing opened since.
    private var reportedAbsence = false
    private var resumeCheckpoint: Checkpoint?
    /// Where to start the first file; nil once it is open.
    private var firstOpenStart: StartPosition?
    /// The first file opened is the checkpoint's (see `takeResumption()`).
    private var resumedCheckpoint = false
    private let finder: RotatedFileFinder
    /// Files of this path already read (or present at the start), by identity, so a generation
    /// is read once. Pruned to what the directory still holds at each look.
    private var known: [Identity: KnownFile] = [:]
    /// The file last read at the path: while the path still names it, new generations are copies.
    private var lastPathIdentity: Identity?
    /// The last generation that could not be opened had been renamed or removed meanwhile.
    private var generationMoved = false
    /// The last finished file had been deleted (by rotation) before it was finished.
    private var finishedFileWasDeleted = false
    /// For estimating lines from bytes in loss reports: what the first MiB read held.
    private var sampledBytes = 0
    private var sampledLines = 0
    /// A blob's modification time when its end was last reached.
    private var modifiedAtEnd: Int64 = 0
    /// Where the data of generations starts (after their holes), for those that hold data:
    /// copies of a non-appending writer's log hold its holes as real zeros, scanned once.
    private var dataStarts: [Identity: Int64] = [:]
    /// The open file is a copytruncate copy: when it is finished, the window between the copy
    /// and the truncation follows.
    private var windowAfterOpenFile: Window?
    /// A window whose size waits for the next file's first data (see `Window`).
    private var pendingWindow: Window?

    /// What copytruncate's window is known by: the copy, where the data before the window ends
    /// (the copy's end, or further if the file was read further before the truncation), and
    /// a lower bound of its size from the largest size seen of the file (nil when unknown).
    /// A writer that does not append writes its next bytes where the file was cut, so the
    /// start of the next data read (after its hole) gives the window exactly: until then it
    /// is pending. An appending writer starts again at 0: the lower bound is all there is.
    private struct Window {
        var copyPath: String
        var end: Int64
        var lowerBound: Int64?
    }

    /// Transitions (finish a file, open the next) a poll may make before it returns.
    private static let maximumTransitionsPerPoll = 64

    /// A follower of `path`; nothing is opened until the first `poll()`.
    /// - Parameters:
    ///   - start: where to begin if the file is not the one `checkpoint` describes.
    ///   - checkpoint: a position saved earlier; it is used when the file at `path` still
    ///     starts with the same bytes (same fingerprint), is at least as long as the offset,
    ///     and is the same inode or has a full 1 KiB fingerprint (a copied file). Otherwise
    ///     the file is looked for among the path's rotated generations (it was rotated while
    ///     nothing read it): found, it is finished from the offset, then the newer generations
    ///     and the path from 0; gone, that is reported and the path is read from 0.
    ///   - chunkSize: the largest read, in bytes.
    ///   - keepsFileOpen: keep the descriptor between polls (needed to finish a file renamed
    ///     away); `false` for append-only blobs, so thousands of them need no descriptors.
    ///     Rotated generations are only looked for with `true`.
    public init(
        path: String, start: StartPosition = .beginning, resumingFrom checkpoint: Checkpoint? = nil,
        chunkSize: Int = 1 << 20, keepsFileOpen: Bool = true
    ) {
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        self.keepsFileOpen = keepsFileOpen
        self.resumeCheckpoint = checkpoint
        self.firstOpenStart = start
        self.finder = RotatedFileFinder(path: path)
    }

    deinit {
        if descriptor >= 0 { closeDescriptor(descriptor) }
    }

    /// The position to save: the file being read (the path's, or a rotated generation being
    /// finished, which a restart finds again by device and inode) and the offset of the next
    /// byte. Nil before a file has been opened, and while the path names nothing.
    public var checkpoint: Checkpoint? {
        guard let identity else { return nil }
        return Checkpoint(
            path: path, device: identity.device, inode: identity.inode, offset: offset, fingerprint: fingerprint,
            modified: modified)
    }

    /// The offset of the next byte to read in the current file.
    public var readOffset: Int64 { offset }

    /// Whether the file just opened (`.opened`/`.openedRotated`) is the checkpoint's, resumed at
    /// its offset: true once, then false (so a checkpoint's line and events to skip apply to
    /// it, not to a file read from 0 because the checkpoint's is gone).
    public func takeResumption() -> Bool {
        defer { resumedCheckpoint = false }
        return resumedCheckpoint
    }

    /// Closes the file; a later `poll()` opens it again and carries on from the same offset if
    /// it is still the same file.
    public func close() {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        descriptor = -1
    }

    /// Reads what is new and reports what happened since the last poll.
    ///
    /// Returns at most one chunk of data; an empty list means nothing changed. Never throws:
    /// problems become `.unreadable`/`.missing`/`.lost`.
    public func poll() -> [Change] {
        var changes: [Change] = []
        if !keepsFileOpen {
            pollBlob(&changes)
            return changes
        }
        for _ in 0..<Self.maximumTransitionsPerPoll {
            if descriptor < 0 {
                guard reopen(&changes) else { return changes }
            }
            if case .atPath = openFile, offset == 0, nextGeneration() != nil {
                // Nothing read from this file yet, and a generation appeared: the file was
                // rotated (or copytruncated) before its first bytes were read, so no
                // fingerprint could tell. What the generations hold comes first.
                forgetFile()
                continue
            }
            switch readChunk(&changes) {
            case .read, .failed: return changes
            case .switched: continue
            case .atEnd: break
            }
            if case .rotated = openFile {
                finishFile(&changes)
                changes.append(.rotated)
                continue
            }
            // At the end of the path's file: is the path still this file?
            guard let status = Self.status(of: path) else {
                let error = errno
                // Renamed away or deleted: what it still holds comes first.
                openFile = .rotated
                while case .read = readChunk(&changes) {}
                finishFile(&changes)
                if error == ENOENT || error == ENOTDIR {
                    changes.append(.missing)
                } else {
                    changes.append(.unreadable(.opening(path, errorNumber: error)))
                }
                reportedAbsence = true
                return changes
            }
            guard Self.identity(of: status) != identity else { return changes }
            // Rotated: the old file is finished through the descriptor, one chunk a poll.
            openFile = .rotated
        }
        return changes
    }

    // MARK: - Opening

    /// Opens what comes next when no file is open: the first file, the same file again after
    /// `close()`, or, once a file is finished, the next generation holding unread data or else
    /// the path's file. Returns whether a file is open.
    private func reopen(_ changes: inout [Change], attempts: Int = 8) -> Bool {
        if firstOpenStart != nil { return openFirst(&changes) }
        if let identity {
            // Closed by the owner: the same file carries on, another one means ours was
            // replaced while we did not hold it (its tail, if any, is looked for below).
            if case .atPath = openFile, let opened = openPath(&changes) {
                if opened.identity == identity {
                    adopt(opened)
                    return true
                }
                closeDescriptor(opened.descriptor)
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
        return true
    }

    /// The first open: from the checkpoint (at the path or among the generations), else from
    /// `start`. Generations older than where reading starts are remembered as read.
    private func openFirst(_ changes: inout [Change]) -> Bool {
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
        if let checkpoint = resumeCheckpoint.take() {
            if matches(checkpoint, descriptor: opened.descriptor, identity: opened.identity, size: size) {
                settleGenerations(olderThan: nil)
                adopt(opened)
                offset = checkpoint.offset
                identify(length: checkpoint.fingerprint.length)
                resumedCheckpoint = true
                changes.append(.opened(offset: offset))
                return true
            }
            if keepsFileOpen, let found = generation(matching: checkpoint, excluding: opened.identity) {
                closeDescriptor(opened.descriptor)
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
    private func resume(_ checkpoint: Checkpoint, in found: RotatedFileFinder.Generation, _ changes: inout [Change]) -> Bool {
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

    /// The generation holding the checkpoint's file: the same device and inode with the same
    /// first bytes (renamed), else a file with the same first bytes (copied), at least as long
    /// as the offset.
    private func generation(matching checkpoint: Checkpoint, excluding excluded: Identity?) -> RotatedFileFinder.Generation? {
        let generations = finder.generations().filter { $0.identity != excluded && $0.size >= checkpoint.offset }
        let wanted = Identity(device: checkpoint.device, inode: checkpoint.inode)
        if let renamed = generations.first(where: {
            $0.identity == wanted && RotatedFileFinder.fingerprint(of: $0.path, length: checkpoint.fingerprint.length) == checkpoint.fingerprint
        }) {
            return renamed
        }
        guard checkpoint.fingerprint.length > 0 else { return nil }
        return generations.first {
            RotatedFileFinder.fingerprint(of: $0.path, length: checkpoint.fingerprint.length) == checkpoint.fingerprint
        }
    }

    /// Remembers the generations present now as read, except `reference` and those newer than
    /// it, or those modified after `modifiedAfter` (still to read).
    private func settleGenerations(olderThan reference: RotatedFileFinder.Generation?, modifiedAfter: Int64? = nil) {
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
    private func nextGeneration() -> (generation: RotatedFileFinder.Generation, start: Int64, isCopy: Bool)? {
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

    private struct OpenedFile {
        var descriptor: Int32
        var status: stat
        var identity: Identity
    }

    /// Opens the path if it names a readable regular file; reports absence once.
    private func openPath(_ changes: inout [Change]) -> OpenedFile? {
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
            closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
                reportedAbsence = true
            }
            return nil
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unsupported(path: path, reason: "not a regular file")))
                reportedAbsence = true
            }
            return nil
        }
        reportedAbsence = false
        return OpenedFile(descriptor: fd, status: status, identity: Self.identity(of: status))
    }

    /// Makes `opened` the path's file being read (the caller sets offset and fingerprint).
    private func adopt(_ opened: OpenedFile) {
        if descriptor >= 0, descriptor != opened.descriptor { closeDescriptor(descriptor) }
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
    private func openGeneration(_ generation: RotatedFileFinder.Generation, at start: Int64, _ changes: inout [Change]) -> Bool {
        generationMoved = false
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            generationMoved = errno == ENOENT
            return false
        }
        var status = stat()
        guard fstat(fd, &status) == 0, Self.identity(of: status) == generation.identity else {
            generationMoved = true
            closeDescriptor(fd)
            return false
        }
        if descriptor >= 0 { closeDescriptor(descriptor) }
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
    private func finishFile(_ changes: inout [Change]) {
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

    private func matches(_ checkpoint: Checkpoint, descriptor fd: Int32, identity: Identity, size: Int64) -> Bool {
        let sameInode = identity == Identity(device: checkpoint.device, inode: checkpoint.inode)
        guard sameInode || checkpoint.fingerprint.isComplete else { return false }
        guard size >= max(checkpoint.offset, Int64(checkpoint.fingerprint.length)), checkpoint.offset >= 0 else { return false }
        return readFingerprint(length: checkpoint.fingerprint.length, descriptor: fd) == checkpoint.fingerprint
    }

    /// The offset just after the last newline of the file, so that following from the end
    /// starts on a record boundary (a record being written when we start is read whole).
    private func startOfLastPartialLine(size: Int64) -> Int64 {
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

    // MARK: - Blobs

    /// One poll of a file closed between polls: `stat` first, read only when it changed.
    private func pollBlob(_ changes: inout [Change]) {
        if descriptor < 0 {
            if let identity, let status = Self.status(of: path), Self.identity(of: status) == identity,
               Int64(status.st_size) == offset, RotatedFileFinder.modificationTime(status) == modifiedAtEnd {
                return  // an idle blob: not even opened (a rewrite of the same size changes the time)
            }
            if firstOpenStart != nil {
                guard openFirst(&changes) else { return }
            } else {
                guard let opened = openPath(&changes) else {
                    if identity != nil {
                        // A blob that vanished (retention deletes old ones): only what it held
                        // beyond our offset is a loss.
                        if largestSize > offset { reportReplaced(&changes) }
                        forgetFile()
                    }
                    return
                }
                if let identity, opened.identity != identity {
                    reportReplaced(&changes)
                    forgetFile()
                    changes.append(.rotated)
                }
                let isSame = identity != nil
                adopt(opened)
                if !isSame {
                    offset = 0
                    forgetIdentification()
                    changes.append(.opened(offset: 0))
                }
            }
        }
        if case .read = readChunk(&changes) { return }
        var status = stat()
        if descriptor >= 0, fstat(descriptor, &status) == 0 { modifiedAtEnd = RotatedFileFinder.modificationTime(status) }
        close()
    }

    private func reportReplaced(_ changes: inout [Change]) {
        let unread = largestSize - offset
        changes.append(.lost(loss(.replaced, bytes: unread > 0 ? unread : nil)))
    }

    // MARK: - Reading

    private enum ReadResult {
        /// A chunk was read.
        case read
        /// Nothing more to read now.
        case atEnd
        /// The file could not be read (reported); it is closed.
        case failed
        /// Truncation switched the reading to a copy: read again.
        case switched
    }

    /// Checks for truncation, then reads up to one chunk.
    private func readChunk(_ changes: inout [Change]) -> ReadResult {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            failRead(&changes, errno)
            return .failed
        }
        let size = Int64(status.st_size)
        if size < offset || identificationChanged() {
            if case .rotated = openFile {
                // A rotated file cut short (by hand: rotation does not do that): its tail is gone.
                let unread = largestSize - offset
                changes.append(.lost(loss(.truncatedWithoutCopy, bytes: unread > 0 ? unread : nil)))
                offset = size
                identify(through: size)
                return .atEnd
            }
            if recoverFromCopy(&changes) { return .switched }
            offset = 0
            forgetIdentification()
            largestSize = size
            changes.append(.truncated)
        }
        largestSize = max(largestSize, size)
        modified = RotatedFileFinder.modificationTime(status)
        if offset == 0, size > 0 {
            // Zeros at the start are a hole a non-appending writer left after a truncation,
            // never records: skip them. Until data follows them, wait.
            let start = leadingZeroLength(size: size)
            guard start < size else { return .atEnd }
            offset = start
            if start > 0 { identify(through: size) }
            settlePendingWindow(dataStart: start, &changes)
        }
        guard size > offset else { return .atEnd }
        let wanted = Int(min(Int64(chunkSize), size - offset))
        guard let bytes = readBytes(at: offset, count: wanted) else {
            failRead(&changes, errno)
            return .failed
        }
        guard !bytes.isEmpty else { return .atEnd }
        accept(bytes, &changes)
        return .read
    }

    /// The path's file was truncated: looks for the copy copytruncate made (a generation with
    /// the same first bytes) and switches to reading its tail from the old offset. Reports
    /// what may have been lost either way; returns whether it switched.
    private func recoverFromCopy(_ changes: inout [Change]) -> Bool {
        // A writer that does not append (no O_APPEND) writes on at its own offset after the
        // truncation, leaving a hole of zeros up to where the file was cut: its length says
        // exactly how long the file had become. Else the largest size seen is a lower bound.
        let size = currentSize() ?? 0
        let holeAtPath = size > 0 ? leadingZeroLength(size: size) : 0
        let unreadBeforeTruncation = max(largestSize, holeAtPath) - offset
        guard keepsFileOpen, !leadingBytes.isEmpty else {
            changes.append(.lost(loss(.truncatedWithoutCopy, bytes: unreadBeforeTruncation > 0 ? unreadBeforeTruncation : nil)))
            return false
        }
        // Copies hold the file's first bytes as far as they go (one made while the file was
        // shorter than the fingerprint holds fewer).
        let copies = finder.generations().filter { generation in
            generation.identity != identity
                && leadingData(of: generation, count: leadingBytes.count).map { Self.agree($0, leadingBytes) } ?? false
        }
        // Every copy of what was read is known: none is read again from 0 later.
        for copy in copies {
            known[copy.identity] = KnownFile(fingerprint: fingerprint, end: min(offset, copy.size), modified: copy.modified)
        }
        guard let copy = copies.max(by: { $0.size < $1.size }) else {
            changes.append(.lost(loss(.truncatedWithoutCopy, bytes: unreadBeforeTruncation > 0 ? unreadBeforeTruncation : nil)))
            return false
        }
        // Bytes seen in the file beyond what the copy holds (and beyond what was read) were
        // written between the copy and the truncation: a lower bound of the window.
        let seenBeyond = largestSize - max(copy.size, offset)
        let window = Window(copyPath: copy.path, end: max(copy.size, offset), lowerBound: seenBeyond > 0 ? seenBeyond : nil)
        let fd = copy.size > offset ? open(copy.path, O_RDONLY | O_CLOEXEC) : -1
        var status = stat()
        guard fd >= 0, fstat(fd, &status) == 0, Self.identity(of: status) == copy.identity else {
            // Nothing left to read in the copy (or it was renamed on meanwhile: it is listed
            // again). The file is finished as it was; what follows comes in order: copies made
            // since, which the path's new contents would otherwise overtake, then the path from
            // its start.
            if fd >= 0 { closeDescriptor(fd) }
            noteWindow(window, after: copy.identity, &changes)
            forgetFile()
            changes.append(.rotated)
            return true
        }
        known[copy.identity] = nil
        // The old file's identity now holds the new contents: it is read as the path again.
        closeDescriptor(descriptor)
        descriptor = fd
        identity = copy.identity
        openFile = .rotated
        largestSize = Int64(status.st_size)
        windowAfterOpenFile = window
        return true
    }

    /// A copytruncate window follows the copy `copyIdentity` (finished, or holding nothing
    /// unread). When the next file holding data starts after a hole, a non-appending writer
    /// went on where the file was cut: the window is held until that data is read, and counted
    /// exactly then. Otherwise (an appending writer, or nothing written since: nothing can
    /// tell yet) it is reported now, with its lower bound if there is one.
    private func noteWindow(_ window: Window, after copyIdentity: Identity?, _ changes: inout [Change]) {
        if let start = dataStartAfter(copyIdentity), start > 0 {
            // Windows of copies that held nothing read count from the earliest end.
            if pendingWindow == nil { pendingWindow = window }
        } else {
            changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: window.lowerBound)))
        }
    }

    /// The first data of a file opened from its start is at `start`: a pending window ends
    /// there (a non-appending writer's hole), or its size is not known (an appending writer).
    private func settlePendingWindow(dataStart start: Int64, _ changes: inout [Change]) {
        guard let window = pendingWindow.take() else { return }
        if start > 0 {
            let gap = start - window.end
            if gap > 0 { changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: gap))) }
        } else {
            changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: window.lowerBound)))
        }
    }

    /// Where the data of the first file written after the generation `copyIdentity` starts
    /// (the next newer generation holding data, else the path's file): nil when none holds
    /// data yet (a copy still being made, a writer that has not written since).
    private func dataStartAfter(_ copyIdentity: Identity?) -> Int64? {
        let generations = finder.generations()
        if let copy = generations.first(where: { $0.identity == copyIdentity }) {
            for generation in generations where RotatedFileFinder.Generation.isOlder(copy, than: generation) {
                if let start = dataStart(of: generation) { return start }
            }
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        var status = stat()
        guard fstat(fd, &status) == 0, start < Int64(status.st_size) else { return nil }
        return start
    }

    /// The first data bytes (up to 1 KiB, after any hole) of the file the path names now.
    private func pathLeadingData(atPath: Identity?) -> [UInt8] {
        if case .atPath = openFile, identity == atPath, descriptor >= 0, !leadingBytes.isEmpty { return leadingBytes }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        return readBytes(at: start, count: FileFingerprint.maximumLength, descriptor: fd) ?? []
    }

    /// The size of the open file now, or nil if it cannot be read.
    private func currentSize() -> Int64? {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : nil
    }

    /// How many bytes at the start of the open file are zero (see `RotatedFileFinder`).
    private func leadingZeroLength(size: Int64) -> Int64 {
        min(RotatedFileFinder.leadingZeroLength(descriptor), size)
    }

    private func accept(_ bytes: [UInt8], _ changes: inout [Change]) {
        let covered = dataStart + Int64(fingerprint.length)
        if !fingerprint.isComplete, leadingBytes.count == fingerprint.length, offset <= covered,
           covered < offset + Int64(bytes.count) {
            let skip = Int(covered - offset)
            let added = bytes[skip...].prefix(FileFingerprint.maximumLength - leadingBytes.count)
            leadingBytes += added
            added.withUnsafeBytes { fingerprint.extend(with: $0) }
        }
        if sampledBytes < 1 << 20 {
            sampledBytes += bytes.count
            for byte in bytes where byte == UInt8(ascii: "\n") { sampledLines += 1 }
        }
        offset += Int64(bytes.count)
        changes.append(.data(bytes))
    }

    /// A loss of `bytes`, with the lines they likely held.
    private func loss(_ reason: DataLoss.Reason, bytes: Int64?) -> DataLoss {
        var lines: Int?
        if let bytes, sampledLines > 0 {
            let averageLine = Double(sampledBytes) / Double(sampledLines)
            lines = Int((Double(bytes) / averageLine).rounded(.up))
        }
        return DataLoss(path: path, reason: reason, bytes: bytes, lines: lines)
    }

    private func failRead(_ changes: inout [Change], _ error: Int32) {
        close()
        changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
    }

    private func forgetFile() {
        close()
        identity = nil
        openFile = .atPath
        offset = 0
        forgetIdentification()
        largestSize = 0
        modified = nil
        windowAfterOpenFile = nil
    }

    /// Takes the open file's identification from the file: where its data starts (after any
    /// hole) and its bytes from there up to `end` (at most `FileFingerprint.maximumLength`).
    private func identify(through end: Int64) {
        identify { start in end - start }
    }

    /// The same, with the first `length` bytes of data (a checkpoint's fingerprint's).
    private func identify(length: Int) {
        identify { _ in Int64(length) }
    }

    private func identify(length: (_ start: Int64) -> Int64) {
        let size = currentSize() ?? 0
        let start = min(RotatedFileFinder.leadingZeroLength(descriptor), size)
        let count = Int(max(0, min(min(length(start), size - start), Int64(FileFingerprint.maximumLength))))
        let bytes = count > 0 ? readBytes(at: start, count: count) ?? [] : []
        dataStart = start
        leadingBytes = bytes
        fingerprint = bytes.withUnsafeBytes { FileFingerprint(of: $0) }
    }

    private func forgetIdentification() {
        dataStart = 0
        leadingBytes = []
        fingerprint = FileFingerprint()
    }

    /// Whether the open file no longer starts with the bytes read from it: truncated and
    /// written again (by an appending writer from 0; by a non-appending one after a longer
    /// hole, which puts zeros where those bytes were). Reads at most 1 KiB and a byte.
    private func identificationChanged() -> Bool {
        guard !leadingBytes.isEmpty else { return false }
        guard readBytes(at: dataStart, count: leadingBytes.count) == leadingBytes else { return true }
        return dataStart > 0 && readBytes(at: 0, count: 1) != [0]
    }

    /// Where `generation`'s data starts (after any hole), nil when it holds only zeros so far
    /// (a copy being made, or a copy of a file that held nothing but its hole).
    private func dataStart(of generation: RotatedFileFinder.Generation) -> Int64? {
        if let start = dataStarts[generation.identity], start < generation.size { return start }
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        var status = stat()
        guard fstat(fd, &status) == 0, Self.identity(of: status) == generation.identity, start < Int64(status.st_size) else {
            return nil
        }
        dataStarts[generation.identity] = start
        return start
    }

    /// Up to `count` bytes of `generation`'s data (after its hole); nil when it has none.
    private func leadingData(of generation: RotatedFileFinder.Generation, count: Int) -> [UInt8]? {
        guard let start = dataStart(of: generation) else { return nil }
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        return readBytes(at: start, count: count, descriptor: fd)
    }

    /// Whether two files' first data bytes agree as far as both go: one is a copy of the
    /// other made when it was shorter (or the same). False when either holds none.
    private static func agree(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        let count = min(first.count, second.count)
        return count > 0 && first.prefix(count) == second.prefix(count)
    }

    /// The fingerprint of the open file (or `fd`): its first `length` bytes after any zeros.
    private func readFingerprint(length: Int, descriptor fd: Int32? = nil) -> FileFingerprint? {
        RotatedFileFinder.fingerprint(descriptor: fd ?? descriptor, length: length)
    }

    /// `pread` of up to `count` bytes; nil on error (with `errno` set), empty at the end.
    private func readBytes(at position: Int64, count: Int, descriptor fd: Int32? = nil) -> [UInt8]? {
        RotatedFileFinder.read(fd ?? descriptor, at: position, count: count)
    }

    private static func status(of path: String) -> stat? {
        var status = stat()
        return stat(path, &status) == 0 ? status : nil
    }

    private static func identity(of status: stat) -> Identity {
        Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}

/// `close(2)`, out of reach of `FileFollower.close()` inside the class.
private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

extension Optional {
    /// The value, leaving nil behind.
    fileprivate mutating func take() -> Wrapped? {
        defer { self = nil }
        return self
    }
}
