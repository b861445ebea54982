#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows one path with `tail -F` semantics: reads what is appended, and notices rotation by
/// rename, truncation, copy-truncate, deletion and re-creation.
///
/// Poll-based: the owner decides the cadence and calls `poll()`, which reports what happened
/// since the last call as a list of `Change`s, in the order the owner must apply them. Data
/// arrives in chunks of at most `chunkSize` bytes, at most one fresh chunk per call, so a
/// caller catching up on a large file stays in control (it polls again while `poll()` returns
/// data). Bytes of one file are reported exactly once, in order, unless the file is truncated
/// or rewritten in place (then it is read again from 0, after a `.truncated`).
///
/// How changes are noticed, at each poll:
/// - truncation: the open file is shorter than the read offset, or its first bytes no longer
///   hash to the fingerprint (copy-truncate followed by new writes past the old offset);
/// - rotation: at the end of the open file, the path names another (device, inode); the old
///   file is read to its end first (`.data`…), then `.rotated`, then `.opened` for the new one;
/// - deletion: at the end of the open file, the path names nothing; the old file is read to its
///   end, then `.missing`; when a file appears at the path again it is `.opened` from 0.
///
/// With `keepsFileOpen == false` (for the many blobs of a directory tree, so they do not hold a
/// descriptor each) the file is closed whenever its end is reached and a poll first `stat`s the
/// path, returning at once when it has not grown. A replaced file is then reported as `.rotated`
/// without reading the old one's tail (it can no longer be opened): fine for append-only blobs.
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

        public init(path: String, device: UInt64, inode: UInt64, offset: Int64, fingerprint: FileFingerprint, line: Int = 1) {
            self.path = path
            self.device = device
            self.inode = inode
            self.offset = offset
            self.fingerprint = fingerprint
            self.line = line
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
        /// The next bytes of the open file.
        case data([UInt8])
        /// The file shrank or was rewritten in place: the bytes that follow come from offset 0
        /// of the same file. Drop any partial record.
        case truncated
        /// The path now names another file; the old one has been read to its end (when it is
        /// kept open). Finish the old decoder; `.opened` follows.
        case rotated
        /// The path names nothing any more (reported once); the old file has been read to its
        /// end. Finish the decoder and wait: `.opened` follows if a file reappears.
        case missing
        /// The path cannot be opened or read (reported once until that changes).
        case unreadable(IngestionError)
    }

    public let path: String
    public let chunkSize: Int
    public let keepsFileOpen: Bool

    private struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private var descriptor: Int32 = -1
    private var identity: Identity?
    private var offset: Int64 = 0
    private var fingerprint = FileFingerprint()
    /// `.missing`/`.unreadable` has been reported and nothing opened since.
    private var reportedAbsence = false
    private var resumeCheckpoint: Checkpoint?
    private var firstOpenStart: StartPosition?

    /// A follower of `path`; nothing is opened until the first `poll()`.
    /// - Parameters:
    ///   - start: where to begin if the file is not the one `checkpoint` describes.
    ///   - checkpoint: a position saved earlier; it is used when the file at `path` still
    ///     starts with the same bytes (same fingerprint), is at least as long as the offset,
    ///     and is the same inode or has a full 1 KiB fingerprint (a copied file). Otherwise the
    ///     file is read from `start`.
    ///   - chunkSize: the largest read, in bytes.
    ///   - keepsFileOpen: keep the descriptor between polls (needed to finish a file renamed
    ///     away); `false` for append-only blobs, so thousands of them need no descriptors.
    public init(
        path: String, start: StartPosition = .beginning, resumingFrom checkpoint: Checkpoint? = nil,
        chunkSize: Int = 1 << 20, keepsFileOpen: Bool = true
    ) {
        self.path = path
        self.chunkSize = max(chunkSize, 1)
        self.keepsFileOpen = keepsFileOpen
        self.resumeCheckpoint = checkpoint
        self.firstOpenStart = start
    }

    deinit {
        if descriptor >= 0 { closeDescriptor(descriptor) }
    }

    /// The position to save: the file being read and the offset of the next byte. Nil before a
    /// file has been opened, and while the path names nothing.
    public var checkpoint: Checkpoint? {
        guard let identity else { return nil }
        return Checkpoint(path: path, device: identity.device, inode: identity.inode, offset: offset, fingerprint: fingerprint)
    }

    /// The offset of the next byte to read in the current file.
    public var readOffset: Int64 { offset }

    /// Closes the file; a later `poll()` opens it again and carries on from the same offset if
    /// it is still the same file.
    public func close() {
        if descriptor >= 0 { closeDescriptor(descriptor) }
        descriptor = -1
    }

    /// Reads what is new and reports what happened since the last poll.
    ///
    /// Returns at most one chunk of new data beyond what finishing a rotated file needs; an
    /// empty list means nothing changed. Never throws: problems become `.unreadable`/`.missing`.
    public func poll() -> [Change] {
        var changes: [Change] = []
        if descriptor < 0 {
            if !keepsFileOpen, let identity, let status = Self.status(of: path),
               Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino)) == identity,
               Int64(status.st_size) == offset {
                return changes  // an idle blob: not even opened
            }
            guard openPath(&changes) else { return changes }
        }
        let moreRemains = readChunk(&changes)
        if moreRemains { return changes }
        if !keepsFileOpen {
            close()
            return changes
        }
        // At the end of the open file: is the path still this file?
        guard let status = Self.status(of: path) else {
            let error = errno
            drain(&changes)
            forgetFile()
            if error == ENOENT || error == ENOTDIR {
                changes.append(.missing)
            } else {
                changes.append(.unreadable(.opening(path, errorNumber: error)))
            }
            reportedAbsence = true
            return changes
        }
        let current = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        if current != identity {
            drain(&changes)
            forgetFile()
            changes.append(.rotated)
            if openPath(&changes) { _ = readChunk(&changes) }
        }
        return changes
    }

    // MARK: - Opening

    /// Opens the path. With a known identity (a file closed between polls) the same file
    /// carries on silently and another one is reported as `.rotated` first.
    private func openPath(_ changes: inout [Change]) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let error = errno
            if identity != nil {
                // A closed (blob) file that vanished, or a file we lost after a read error.
                forgetFile()
                changes.append(error == ENOENT || error == ENOTDIR ? .missing : .unreadable(.opening(path, errorNumber: error)))
                reportedAbsence = true
            } else if !reportedAbsence {
                changes.append(error == ENOENT || error == ENOTDIR ? .missing : .unreadable(.opening(path, errorNumber: error)))
                reportedAbsence = true
            }
            return false
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let error = errno
            closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
                reportedAbsence = true
            }
            return false
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            closeDescriptor(fd)
            if !reportedAbsence {
                changes.append(.unreadable(.unsupported(path: path, reason: "not a regular file")))
                reportedAbsence = true
            }
            return false
        }
        let opened = Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        descriptor = fd
        reportedAbsence = false
        if let identity {
            if identity == opened { return true }
            forgetFile(keepDescriptor: true)
            changes.append(.rotated)
        }
        identity = opened
        let size = Int64(status.st_size)
        if let checkpoint = resumeCheckpoint.take(), matches(checkpoint, identity: opened, size: size) {
            offset = checkpoint.offset
            fingerprint = checkpoint.fingerprint
        } else if firstOpenStart == .end {
            offset = startOfLastPartialLine(size: size)
            fingerprint = readFingerprint(length: Int(min(size, Int64(FileFingerprint.maximumLength)))) ?? FileFingerprint()
        } else {
            offset = 0
            fingerprint = FileFingerprint()
        }
        firstOpenStart = nil
        changes.append(.opened(offset: offset))
        return true
    }

    private func matches(_ checkpoint: Checkpoint, identity: Identity, size: Int64) -> Bool {
        let sameInode = identity == Identity(device: checkpoint.device, inode: checkpoint.inode)
        guard sameInode || checkpoint.fingerprint.isComplete else { return false }
        guard size >= max(checkpoint.offset, Int64(checkpoint.fingerprint.length)), checkpoint.offset >= 0 else { return false }
        return readFingerprint(length: checkpoint.fingerprint.length) == checkpoint.fingerprint
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

    // MARK: - Reading

    /// Checks for truncation, then reads up to one chunk. Returns whether more may remain.
    private func readChunk(_ changes: inout [Change]) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            failRead(&changes, errno)
            return false
        }
        let size = Int64(status.st_size)
        if size < offset || (fingerprint.length > 0 && readFingerprint(length: fingerprint.length) != fingerprint) {
            offset = 0
            fingerprint = FileFingerprint()
            changes.append(.truncated)
        }
        guard size > offset else { return false }
        let wanted = Int(min(Int64(chunkSize), size - offset))
        guard let bytes = readBytes(at: offset, count: wanted) else {
            failRead(&changes, errno)
            return false
        }
        guard !bytes.isEmpty else { return false }
        accept(bytes, &changes)
        return true
    }

    /// Reads the open file to its end (the path has moved on to another file or to nothing).
    private func drain(_ changes: inout [Change]) {
        while descriptor >= 0, let bytes = readBytes(at: offset, count: chunkSize), !bytes.isEmpty {
            accept(bytes, &changes)
        }
    }

    private func accept(_ bytes: [UInt8], _ changes: inout [Change]) {
        if !fingerprint.isComplete, offset <= Int64(fingerprint.length), Int64(fingerprint.length) < offset + Int64(bytes.count) {
            let skip = fingerprint.length - Int(offset)
            bytes.withUnsafeBytes { fingerprint.extend(with: UnsafeRawBufferPointer(rebasing: $0[skip...])) }
        }
        offset += Int64(bytes.count)
        changes.append(.data(bytes))
    }

    private func failRead(_ changes: inout [Change], _ error: Int32) {
        close()
        changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
    }

    private func forgetFile(keepDescriptor: Bool = false) {
        if !keepDescriptor { close() }
        identity = nil
        offset = 0
        fingerprint = FileFingerprint()
    }

    private func readFingerprint(length: Int) -> FileFingerprint? {
        guard length > 0 else { return FileFingerprint() }
        guard let bytes = readBytes(at: 0, count: length), bytes.count == length else { return nil }
        return bytes.withUnsafeBytes { FileFingerprint(of: $0) }
    }

    /// `pread` of up to `count` bytes; nil on error (with `errno` set), empty at the end.
    private func readBytes(at position: Int64, count: Int) -> [UInt8]? {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var total = 0
            while total < count {
                let result = pread(descriptor, buffer.baseAddress.map { $0 + total }, count - total, off_t(position) + off_t(total))
                if result < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if result == 0 { break }
                total += result
            }
            initialized = total
        }
        return failed ? nil : bytes
    }

    private static func status(of path: String) -> stat? {
        var status = stat()
        return stat(path, &status) == 0 ? status : nil
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
