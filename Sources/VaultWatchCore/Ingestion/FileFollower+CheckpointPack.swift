/// Many checkpoints as one value: the state file keeps the checkpoints of a tree of thousands of
/// blobs in one row (`source_checkpoint_pack`) instead of a row each, which cost the demo
/// tenant's 4,992 blobs some 40 ms a run, and 2.9 MiB to write and `fsync`.
///
/// Exact: every field of every checkpoint comes back as it went in. The form is `StateWriter`'s
/// (varints), sorted by path, each path written as the bytes it shares with the previous one (a
/// blob tree's paths differ only near their end) and the rest.
///
/// Versions: 2 adds the hash of the bytes before each offset (`precedingBytes`) after the clock;
/// 1, without it, is still read (its checkpoints have none: their first bytes decide alone); 3
/// adds the clock's `furthestAccepted` after its late run (2 is still read: none); 4 adds how far
/// the runs read past the offset (`readThrough`, as its distance from the offset) after the hash
/// (3 is still read: none).
extension FileFollower.Checkpoint {
    /// The version of the packed form, written first so that a later form can be told apart.
    static let packFormatVersion: UInt64 = 4

    /// `checkpoints` (in any order, one per path) as bytes for `unpacked(from:)`.
    /// - Complexity: O(n log n) for the sort, then O(bytes).
    public static func packed(_ checkpoints: [Self]) -> [UInt8] {
        let sorted = checkpoints.sorted { $0.path < $1.path }
        var writer = StateWriter(capacity: 64 + sorted.count * 48)
        writer.unsigned(packFormatVersion)
        writer.unsigned(UInt64(sorted.count))
        var previous: [UInt8] = []
        for checkpoint in sorted {
            let path = Array(checkpoint.path.utf8)
            var shared = 0
            while shared < previous.count, shared < path.count, previous[shared] == path[shared] { shared += 1 }
            writer.unsigned(UInt64(shared))
            writer.unsigned(UInt64(path.count - shared))
            writer.raw(Array(path[shared...]))
            writer.unsigned(checkpoint.device)
            writer.unsigned(checkpoint.inode)
            writer.signed(checkpoint.offset)
            writer.unsigned(checkpoint.fingerprint.hash)
            writer.signed(checkpoint.fingerprint.length)
            writer.signed(checkpoint.line)
            writer.optional(checkpoint.modified) { $0.signed($1) }
            writer.signed(checkpoint.skipEvents)
            writer.optional(checkpoint.clock) { writer, clock in
                writer.optional(clock.lastAccepted) { $0.signed($1) }
                writer.optional(clock.stretchShift) { $0.signed($1) }
                writer.optional(clock.lateRun) { writer, run in
                    writer.name(run.source)
                    writer.signed(run.firstLine)
                    writer.signed(run.lastLine)
                    writer.signed(run.count)
                    writer.signed(run.mostBehind)
                }
                writer.optional(clock.furthestAccepted) { $0.signed($1) }
            }
            writer.optional(checkpoint.precedingBytes) { writer, print in
                // A hash is as long as random: 8 bytes, not a 10-byte varint. Its length is the
                // offset's up to 1 KiB: the difference (0) is written.
                writer.raw((0..<8).map { UInt8(truncatingIfNeeded: print.hash >> (8 * $0)) })
                writer.signed(Int64(print.length) &- Self.precedingLength(at: checkpoint.offset))
            }
            writer.optional(checkpoint.readThrough) { $0.signed($1 &- checkpoint.offset) }
            previous = path
        }
        return writer.bytes
    }

    /// The checkpoints `packed(_:)` wrote, sorted by path.
    /// - Throws: `BaselineStateError` naming what is damaged (truncated, a number out of range,
    ///   an unknown version); never traps.
    public static func unpacked(from bytes: [UInt8]) throws(BaselineStateError) -> [Self] {
        var reader = StateReader(bytes, damage: "read positions are damaged")
        let version = try reader.unsigned()
        guard (1...packFormatVersion).contains(version) else {
            throw BaselineStateError("read positions in an unknown form (version \(version))")
        }
        let count = try reader.count()
        var checkpoints: [Self] = []
        checkpoints.reserveCapacity(count)
        var previous: [UInt8] = []
        for _ in 0..<count {
            let shared = try reader.unsigned()
            guard shared <= UInt64(previous.count) else {
                throw BaselineStateError("read positions are damaged: a path shares more than the previous path's length")
            }
            let rest = try reader.count()
            let path = Array(previous[..<Int(shared)]) + (try reader.raw(count: rest))
            let device = try reader.unsigned()
            let inode = try reader.unsigned()
            let offset = try reader.signed()
            let hash = try reader.unsigned()
            let length = try reader.signed(Int.self)
            let line = try reader.signed(Int.self)
            let modified = try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in try reader.signed() }
            let skipEvents = try reader.signed(Int.self)
            let clock = try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in try Self.unpackedClock(&reader, version: version) }
            let precedingBytes = version < 2 ? nil : try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in
                let hash = try reader.raw(count: 8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let length = try reader.signed() &+ Self.precedingLength(at: offset)
                guard let length = Int(exactly: length) else { throw BaselineStateError("read positions are damaged: a hash length out of range") }
                return FileFingerprint(hash: hash, length: length)
            }
            let readThrough = version < 4 ? nil : try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in
                try reader.signed() &+ offset
            }
            checkpoints.append(Self(
                path: String(decoding: path, as: UTF8.self), device: device, inode: inode, offset: offset,
                fingerprint: FileFingerprint(hash: hash, length: length), line: line, modified: modified, skipEvents: skipEvents,
                clock: clock, precedingBytes: precedingBytes, readThrough: readThrough))
            previous = path
        }
        guard reader.isAtEnd else { throw BaselineStateError("read positions are damaged: bytes after the last one") }
        return checkpoints
    }

    /// How many bytes before `offset` its `precedingBytes` hash, as the `Ingestor` takes them.
    private static func precedingLength(at offset: Int64) -> Int64 {
        min(max(offset, 0), Int64(FileFingerprint.maximumLength))
    }

    private static func unpackedClock(_ reader: inout StateReader, version: UInt64) throws(BaselineStateError) -> SourceClock {
        let lastAccepted = try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in try reader.signed() }
        let stretchShift = try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in try reader.signed() }
        let lateRun = try reader.optional { (reader: inout StateReader) throws(BaselineStateError) -> SourceClock.LateRun in
            SourceClock.LateRun(
                source: try reader.requiredName(), firstLine: try reader.signed(Int.self), lastLine: try reader.signed(Int.self),
                count: try reader.signed(Int.self), mostBehind: try reader.signed())
        }
        let furthestAccepted = version < 3 ? nil : try reader.optional { (reader: inout StateReader) throws(BaselineStateError) in try reader.signed() }
        return SourceClock(lastAccepted: lastAccepted, furthestAccepted: furthestAccepted, stretchShift: stretchShift, lateRun: lateRun)
    }
}
