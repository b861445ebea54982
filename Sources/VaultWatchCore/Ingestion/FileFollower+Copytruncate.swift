#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// copytruncate: the path's file was cut in place. Its copy is found and its tail read, the
/// copies made since come next, and the window between each copy and its truncation is
/// reported: exactly when a non-appending writer's hole says where the file was cut, else at
/// once with a lower bound (see `Window`).
extension FileFollower {
    /// The path's file was truncated: looks for the copy copytruncate made (a generation with
    /// the same first bytes) and switches to reading its tail from the old offset. Reports
    /// what may have been lost either way; returns whether it switched.
    func recoverFromCopy(_ changes: inout [Change]) -> Bool {
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
            if fd >= 0 { Self.closeDescriptor(fd) }
            noteWindow(window, after: copy.identity, &changes)
            forgetFile()
            changes.append(.rotated)
            return true
        }
        known[copy.identity] = nil
        // The old file's identity now holds the new contents: it is read as the path again.
        Self.closeDescriptor(descriptor)
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
    func noteWindow(_ window: Window, after copyIdentity: Identity?, _ changes: inout [Change]) {
        if let start = dataStartAfter(copyIdentity), start > 0 {
            // Windows of copies that held nothing read count from the earliest end.
            if pendingWindow == nil { pendingWindow = window }
        } else {
            changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: window.lowerBound)))
        }
    }

    /// The first data of a file opened from its start is at `start`: a pending window ends
    /// there (a non-appending writer's hole), or its size is not known (an appending writer).
    func settlePendingWindow(dataStart start: Int64, _ changes: inout [Change]) {
        guard let window = pendingWindow else { return }
        pendingWindow = nil
        if start > 0 {
            let gap = start - window.end
            if gap > 0 { changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: gap, exact: true))) }
        } else {
            changes.append(.lost(loss(.copyTruncate(copy: window.copyPath), bytes: window.lowerBound)))
        }
    }

    /// Where the data of the first file written after the generation `copyIdentity` starts
    /// (the next newer generation holding data, else the path's file): nil when none holds
    /// data yet (a copy still being made, a writer that has not written since).
    func dataStartAfter(_ copyIdentity: Identity?) -> Int64? {
        let generations = finder.generations()
        if let copy = generations.first(where: { $0.identity == copyIdentity }) {
            for generation in generations where RotatedFileFinder.Generation.isOlder(copy, than: generation) {
                if let start = dataStart(of: generation) { return start }
            }
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Self.closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        var status = stat()
        guard fstat(fd, &status) == 0, start < Int64(status.st_size) else { return nil }
        return start
    }

    /// The first data bytes (up to 1 KiB, after any hole) of the file the path names now.
    func pathLeadingData(atPath: Identity?) -> [UInt8] {
        if case .atPath = openFile, identity == atPath, descriptor >= 0, !leadingBytes.isEmpty { return leadingBytes }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { Self.closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        return readBytes(at: start, count: FileFingerprint.maximumLength, descriptor: fd) ?? []
    }
}
