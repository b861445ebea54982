#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Recognising files: the open file's first bytes after any hole (its fingerprint's bytes),
/// where a generation's data starts, and whether two files' first bytes agree (a copy made
/// while the file was shorter holds fewer of them).
extension FileFollower {
    /// Takes the open file's identification from the file: where its data starts (after any
    /// hole) and its bytes from there up to `end` (at most `FileFingerprint.maximumLength`).
    func identify(through end: Int64) {
        identify { start in end - start }
    }

    /// The same, with the first `length` bytes of data (a checkpoint's fingerprint's).
    func identify(length: Int) {
        identify { _ in Int64(length) }
    }

    func identify(length: (_ start: Int64) -> Int64) {
        let size = currentSize() ?? 0
        let start = min(RotatedFileFinder.leadingZeroLength(descriptor), size)
        let count = Int(max(0, min(min(length(start), size - start), Int64(FileFingerprint.maximumLength))))
        let bytes = count > 0 ? readBytes(at: start, count: count) ?? [] : []
        dataStart = start
        leadingBytes = bytes
        fingerprint = bytes.withUnsafeBytes { FileFingerprint(of: $0) }
    }

    func forgetIdentification() {
        dataStart = 0
        leadingBytes = []
        fingerprint = FileFingerprint()
        precedingAtOffset = nil
    }

    /// Whether the open file no longer starts with the bytes read from it: truncated and
    /// written again (by an appending writer from 0; by a non-appending one after a longer
    /// hole, which puts zeros where those bytes were). Reads at most 1 KiB and a byte.
    func identificationChanged() -> Bool {
        guard !leadingBytes.isEmpty else { return false }
        guard readBytes(at: dataStart, count: leadingBytes.count) == leadingBytes else { return true }
        return dataStart > 0 && readBytes(at: 0, count: 1) != [0]
    }

    /// Where `generation`'s data starts (after any hole), nil when it holds only zeros so far
    /// (a copy being made, or a copy of a file that held nothing but its hole).
    func dataStart(of generation: RotatedFileFinder.Generation) -> Int64? {
        if let start = dataStarts[generation.identity], start < generation.size { return start }
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Self.closeDescriptor(fd) }
        let start = RotatedFileFinder.leadingZeroLength(fd)
        var status = stat()
        guard fstat(fd, &status) == 0, Self.identity(of: status) == generation.identity, start < Int64(status.st_size) else {
            return nil
        }
        dataStarts[generation.identity] = start
        return start
    }

    /// Up to `count` bytes of `generation`'s data (after its hole); nil when it has none.
    func leadingData(of generation: RotatedFileFinder.Generation, count: Int) -> [UInt8]? {
        guard let start = dataStart(of: generation) else { return nil }
        let fd = open(generation.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Self.closeDescriptor(fd) }
        return readBytes(at: start, count: count, descriptor: fd)
    }

    /// Whether `fd`, another file now at the path, holds what was read of the open file, so
    /// that reading carries on from `offset` in it: a file replaced by a rename over it (an
    /// editor, `mv tmp log`, a sync tool writing a grown copy aside) that starts with the same
    /// bytes. What was read is compared where it can be: its first bytes (the fingerprint's),
    /// and, when more was read, the bytes just before `offset` with `previous` (the replaced
    /// file, when still open); without it, a full fingerprint must agree, as a checkpoint's
    /// must for a copied file (`matches`). Reads at most 3 KiB.
    func holdsWhatWasRead(_ fd: Int32, size: Int64, previous: Int32?) -> Bool {
        guard !leadingBytes.isEmpty, size >= offset,
              min(RotatedFileFinder.leadingZeroLength(fd), size) == dataStart,
              readBytes(at: dataStart, count: leadingBytes.count, descriptor: fd) == leadingBytes else { return false }
        let covered = dataStart + Int64(leadingBytes.count)
        guard offset > covered else { return true }
        guard let previous else {
            // The replaced file is closed (a blob): the hash of what was read last decides.
            if let kept = precedingAtOffset { return Self.precedingBytes(before: offset, descriptor: fd) == kept }
            return fingerprint.isComplete
        }
        let count = Int(min(offset - covered, Int64(FileFingerprint.maximumLength)))
        let before = readBytes(at: offset - Int64(count), count: count, descriptor: previous)
        return before != nil && before == readBytes(at: offset - Int64(count), count: count, descriptor: fd)
    }

    /// The hash of the bytes just before `offset` in `fd` (up to `FileFingerprint.maximumLength`),
    /// or nil when they cannot all be read: what a checkpoint keeps of what was read last
    /// (`Checkpoint.precedingBytes`). One `pread` of at most 1 KiB.
    static func precedingBytes(before offset: Int64, descriptor fd: Int32) -> FileFingerprint? {
        let count = Int(min(max(offset, 0), Int64(FileFingerprint.maximumLength)))
        guard count > 0, let bytes = RotatedFileFinder.read(fd, at: offset - Int64(count), count: count), bytes.count == count else {
            return nil
        }
        return bytes.withUnsafeBytes { FileFingerprint(of: $0) }
    }

    /// The hash of the bytes before `checkpoint`'s offset in the file at its path, when the path
    /// still names the checkpoint's file (device and inode); nil otherwise. For the `Ingestor`
    /// to complete the positions it logs; thread-safe (opens the path, touches no follower).
    public static func precedingBytes(of checkpoint: Checkpoint) -> FileFingerprint? {
        let fd = open(checkpoint.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { closeDescriptor(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, identity(of: status) == Identity(device: checkpoint.device, inode: checkpoint.inode) else {
            return nil
        }
        return precedingBytes(before: checkpoint.offset, descriptor: fd)
    }

    /// Whether `fd` holds, before `checkpoint`'s offset, the bytes read there (true when the
    /// checkpoint does not say: an older state file).
    static func holdsPrecedingBytes(of checkpoint: Checkpoint, descriptor fd: Int32) -> Bool {
        guard let expected = checkpoint.precedingBytes else { return true }
        return precedingBytes(before: checkpoint.offset, descriptor: fd) == expected
    }

    /// Whether two files' first data bytes agree as far as both go: one is a copy of the
    /// other made when it was shorter (or the same). False when either holds none.
    static func agree(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        let count = min(first.count, second.count)
        return count > 0 && first.prefix(count) == second.prefix(count)
    }
}
