#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Blobs of a directory tree (`keepsFileOpen == false`): closed between polls, `stat`ed first,
/// read only when they changed; a shrunk, rewritten or replaced blob is reported.
extension FileFollower {
    /// One poll of a file closed between polls: `stat` first, read only when it changed.
    func pollBlob(_ changes: inout [Change]) {
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
                // Replaced by a grown copy (a sync tool renames one over it): read on from where
                // it was (the same first bytes, and the same bytes before where reading stood).
                // Replaced by other contents: said, and read from its start, with what it
                // repeats of what was read (its first bytes, compared with those kept).
                var again: ReadAgain?
                if let identity, opened.identity != identity,
                   !holdsWhatWasRead(opened.descriptor, size: Int64(opened.status.st_size), previous: nil) {
                    again = readAgain(from: opened.descriptor)
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
                    if let again { changes.append(.readAgain(again)) }
                }
            }
        }
        if case .read = readChunk(&changes) { return }
        var status = stat()
        if descriptor >= 0, fstat(descriptor, &status) == 0 {
            precedingAtOffset = Self.precedingBytes(before: offset, descriptor: descriptor)
            modifiedAtEnd = RotatedFileFinder.modificationTime(status)
        }
        close()
    }

    func reportReplaced(_ changes: inout [Change]) {
        let unread = largestSize - offset
        changes.append(.lost(loss(.replaced, bytes: unread > 0 ? unread : nil)))
    }

    /// What `fd`, a blob that replaced the one read and is read from its start, repeats of it:
    /// its first lines that are the first lines read (compared with the bytes kept, 1 KiB).
    func readAgain(from fd: Int32) -> ReadAgain? {
        guard !leadingBytes.isEmpty, dataStart == 0, let start = readBytes(at: 0, count: leadingBytes.count, descriptor: fd) else { return nil }
        return ReadAgain.agreeing(start, leadingBytes, path: path, isLowerBound: offset > Int64(leadingBytes.count), replacedAt: offset)
    }
}
