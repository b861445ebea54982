#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading the open file a chunk at a time, after the truncation check; loss reports and the
/// small POSIX helpers the other concerns share.
extension FileFollower {
    enum ReadResult {
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
    func readChunk(_ changes: inout [Change]) -> ReadResult {
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
        guard let bytes = takeChunkReadAhead(at: offset, count: wanted, of: Self.identity(of: status))
            ?? readBytes(at: offset, count: wanted)
        else {
            failRead(&changes, errno)
            return .failed
        }
        guard !bytes.isEmpty else { return .atEnd }
        accept(bytes, &changes)
        return .read
    }

    /// Starts reading the chunk after the last one read on another thread (`PrefetchedChunk`),
    /// for the next poll to take instead of reading it then: a caller reading to the end calls
    /// it as it starts decoding the chunk it has (`LaneReadAhead`).
    /// - Parameter runsAtLowerPriority: the reading thread lowers its priority (`ThreadPriority`).
    func readNextChunkAhead(runsAtLowerPriority: Bool = false) {
        guard keepsFileOpen, descriptor >= 0, let identity, chunkReadAhead == nil else { return }
        chunkReadAhead = PrefetchedChunk(
            descriptor: descriptor, identity: identity, offset: offset, count: chunkSize, runsAtLowerPriority: runsAtLowerPriority)
    }

    /// The chunk read ahead (`readNextChunkAhead()`), when it is of `file` at `position`: at most
    /// `count` bytes of it, as the `pread` it stands for would give after the checks made since.
    /// Nil for any other file or offset (it is dropped), and when it found nothing or failed:
    /// read now instead (which reports a failure).
    private func takeChunkReadAhead(at position: Int64, count: Int, of file: Identity) -> [UInt8]? {
        guard let ahead = chunkReadAhead else { return nil }
        chunkReadAhead = nil
        guard ahead.offset == position, ahead.identity == file, var bytes = ahead.take(), !bytes.isEmpty else { return nil }
        if bytes.count > count { bytes.removeLast(bytes.count - count) }
        return bytes
    }

    /// The size of the open file now, or nil if it cannot be read.
    func currentSize() -> Int64? {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : nil
    }

    /// How many bytes at the start of the open file are zero (see `RotatedFileFinder`).
    func leadingZeroLength(size: Int64) -> Int64 {
        min(RotatedFileFinder.leadingZeroLength(descriptor), size)
    }

    func accept(_ bytes: [UInt8], _ changes: inout [Change]) {
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

    /// A loss of `bytes` (a lower bound unless `exact`), with the lines they likely held.
    func loss(_ reason: DataLoss.Reason, bytes: Int64?, exact: Bool = false) -> DataLoss {
        var lines: Int?
        if let bytes, sampledLines > 0 {
            let averageLine = Double(sampledBytes) / Double(sampledLines)
            lines = Int((Double(bytes) / averageLine).rounded(.up))
        }
        return DataLoss(path: path, reason: reason, bytes: bytes, lines: lines, bytesAreExact: exact)
    }

    func failRead(_ changes: inout [Change], _ error: Int32) {
        close()
        changes.append(.unreadable(.unreadable(path: path, reason: IngestionError.text(error))))
    }

    func forgetFile() {
        close()
        identity = nil
        openFile = .atPath
        offset = 0
        forgetIdentification()
        largestSize = 0
        modified = nil
        windowAfterOpenFile = nil
    }

    /// The fingerprint of the open file (or `fd`): its first `length` bytes after any zeros.
    func readFingerprint(length: Int, descriptor fd: Int32? = nil) -> FileFingerprint? {
        RotatedFileFinder.fingerprint(descriptor: fd ?? descriptor, length: length)
    }

    /// `pread` of up to `count` bytes; nil on error (with `errno` set), empty at the end.
    func readBytes(at position: Int64, count: Int, descriptor fd: Int32? = nil) -> [UInt8]? {
        RotatedFileFinder.read(fd ?? descriptor, at: position, count: count)
    }

    static func status(of path: String) -> stat? {
        var status = stat()
        return stat(path, &status) == 0 ? status : nil
    }

    /// `close(2)` (the plain name is `close()`'s inside the class).
    static func closeDescriptor(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #elseif canImport(Darwin)
        _ = Darwin.close(descriptor)
        #endif
    }

    static func identity(of status: stat) -> Identity {
        Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
