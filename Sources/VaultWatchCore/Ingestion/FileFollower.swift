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
        /// The source's clock at `offset` (set by the `Ingestor`): what the records after it are
        /// judged against (`SourceClock`). Nil when nothing is known (an older state file, a
        /// source read from its start).
        public var clock: SourceClock?
        /// The hash of the bytes just before `offset` (up to 1 KiB; fewer when `offset` is
        /// smaller): what was read last. A file that starts with the same first bytes is this
        /// one grown only if it also holds these where reading stood; otherwise it is another
        /// file, read from its start, and the lines it repeats are said to be read again
        /// (`ReadAgain`). Set by the `Ingestor` when it logs the position; nil when unknown (an
        /// older state file, or a file no longer at its path by then), and then the first bytes
        /// decide alone, as before.
        public var precedingBytes: FileFingerprint?
        /// How far the runs that saved this position read the file and counted its records, when
        /// further than `offset` (set by the `Ingestor`; nil: up to `offset`): a run whose input
        /// ended on records the end decided (`EventBatch.endOfInputDecides`) saves the state from
        /// before them, and counted them. The next run reads them again (the detector's state is
        /// from before them: exact alerts need them) but does not count them as its own, nor
        /// report them late again (`EventBatch.readAgain`). Records that start before it are
        /// those; an envelope's record text straddling it counts as new.
        public var readThrough: Int64?

        public init(
            path: String, device: UInt64, inode: UInt64, offset: Int64, fingerprint: FileFingerprint, line: Int = 1,
            modified: Int64? = nil, skipEvents: Int = 0, clock: SourceClock? = nil, precedingBytes: FileFingerprint? = nil,
            readThrough: Int64? = nil
        ) {
            self.path = path
            self.device = device
            self.inode = inode
            self.offset = offset
            self.fingerprint = fingerprint
            self.line = line
            self.modified = modified
            self.skipEvents = skipEvents
            self.clock = clock
            self.precedingBytes = precedingBytes
            self.readThrough = readThrough
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
        /// Bytes read before are read again (another file that starts with them): report it
        /// (see `ReadAgain`).
        case readAgain(ReadAgain)
    }

    public let path: String
    public let chunkSize: Int
    public let keepsFileOpen: Bool

    typealias Identity = RotatedFileFinder.Identity

    /// A file read up to `end` (or, for generations present at the start, left as it was).
    struct KnownFile {
        var fingerprint: FileFingerprint
        var end: Int64
        var modified: Int64
    }

    /// What the open descriptor is.
    enum OpenFile {
        /// The file the path names (or named when it was last checked).
        case atPath
        /// A file no longer at the path: renamed away while open, a rotated generation or a
        /// copytruncate copy. Read to its end, then the next one.
        case rotated
    }

    var descriptor: Int32 = -1
    var identity: Identity?
    var openFile = OpenFile.atPath
    var offset: Int64 = 0
    /// The hash of the open file's first bytes after any hole (`leadingBytes`), extended as
    /// the first KiB is read.
    var fingerprint = FileFingerprint()
    /// The bytes the fingerprint covers: a copy made while the file was shorter holds fewer of
    /// them, and is recognised by comparing what it holds; checking them where they are is the
    /// truncation check (cheap, however long a hole before them).
    var leadingBytes: [UInt8] = []
    /// Where the open file's data starts: after the hole of zeros a non-appending writer leaves.
    var dataStart: Int64 = 0
    /// The largest size seen of the open file, to count bytes that can no longer be read.
    var largestSize: Int64 = 0
    /// The open file's modification time when last looked at (for the checkpoint).
    var modified: Int64?
    /// `.missing`/`.unreadable` has been reported and nothing opened since.
    var reportedAbsence = false
    var resumeCheckpoint: Checkpoint?
    /// Where to start the first file; nil once it is open.
    var firstOpenStart: StartPosition?
    /// The first file opened is the checkpoint's (see `takeResumption()`).
    var resumedCheckpoint = false
    let finder: RotatedFileFinder
    /// Files of this path already read (or present at the start), by identity, so a generation
    /// is read once. Pruned to what the directory still holds at each look.
    var known: [Identity: KnownFile] = [:]
    /// The file last read at the path: while the path still names it, new generations are copies.
    var lastPathIdentity: Identity?
    /// The last generation that could not be opened had been renamed or removed meanwhile.
    var generationMoved = false
    /// The last finished file had been deleted (by rotation) before it was finished.
    var finishedFileWasDeleted = false
    /// For estimating lines from bytes in loss reports: what the first MiB read held.
    var sampledBytes = 0
    var sampledLines = 0
    /// A blob's modification time when its end was last reached.
    var modifiedAtEnd: Int64 = 0
    /// The hash of the bytes before `offset` where a blob was left (its end, or a checkpoint's
    /// offset): what tells a grown copy renamed over it from another file once the old one can
    /// no longer be read.
    var precedingAtOffset: FileFingerprint?
    /// The file that replaced the one read, and what it repeats of it: said when it is opened.
    var readAgainInReplacement: (Identity, ReadAgain)?
    /// How far a replacement's first bytes are compared with the file it replaced.
    static let readAgainComparisonLimit: Int64 = 1 << 20
    /// Where the data of generations starts (after their holes), for those that hold data:
    /// copies of a non-appending writer's log hold its holes as real zeros, scanned once.
    var dataStarts: [Identity: Int64] = [:]
    /// The open file is a copytruncate copy: when it is finished, the window between the copy
    /// and the truncation follows.
    var windowAfterOpenFile: Window?
    /// A window whose size waits for the next file's first data (see `Window`).
    var pendingWindow: Window?
    /// The next chunk, being read on another thread (`readNextChunkAhead()`).
    var chunkReadAhead: PrefetchedChunk?

    /// What copytruncate's window is known by: the copy, where the data before the window ends
    /// (the copy's end, or further if the file was read further before the truncation), and
    /// a lower bound of its size from the largest size seen of the file (nil when unknown).
    /// A writer that does not append writes its next bytes where the file was cut, so the
    /// start of the next data read (after its hole) gives the window exactly: until then it
    /// is pending. An appending writer starts again at 0: the lower bound is all there is.
    struct Window {
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
        if descriptor >= 0 { Self.closeDescriptor(descriptor) }
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
        if descriptor >= 0 { Self.closeDescriptor(descriptor) }
        descriptor = -1
        chunkReadAhead = nil
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
            if carriesOnInReplacement() { continue }
            // Rotated: the old file is finished through the descriptor, one chunk a poll.
            openFile = .rotated
        }
        return changes
    }
}
