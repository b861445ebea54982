/// A row of the state store's records taken lately (`RecordIdentities`): the identities of the
/// records of one hour of event time, saved apart from the detector's state since format 19.
///
/// The window holds up to 48 hours (2^20 identities, 13 bytes each saved): written whole into
/// every save, it was the largest part of the in-flight section on the benchmark's synthetic
/// records, and a following run saving each second rewrote it each second. Saved by the hour, a
/// save writes only the hours whose identities changed since the previous one (records come in
/// time order, so the newest hour or two) and deletes the hours that left the window.
///
/// Encoded as how many, then each identity's time less its hour's start and its digest, in the
/// order the window lists them (not sorted: a row is written when its hour changed, never again
/// to compare).
public struct IdentityHourRow: Sendable, Hashable {
    /// The hour of event time (`EventTime.hourNumber`) whose records these are.
    public var hour: Int32
    /// How many identities the row holds: a save writes the hours whose count changed since.
    public var count: Int
    public var data: [UInt8]

    public init(hour: Int32, count: Int, data: [UInt8]) {
        self.hour = hour
        self.count = count
        self.data = data
    }

    /// The row of `keys`, the identities of the records of `hour`.
    static func row(hour: Int32, keys: some Collection<RecordIdentities.Key>) -> IdentityHourRow {
        var writer = StateWriter(capacity: 4 + 14 * keys.count)
        writer.identities(hour: hour, count: keys.count, keys.lazy.map { ($0.time, $0.digest) })
        return IdentityHourRow(hour: hour, count: keys.count, data: writer.bytes)
    }

    /// The hour as the window saves it (`RecordIdentities.Snapshot.SavedHour`).
    /// - Throws: `BaselineStateError` when the row is damaged, or a time is not within its hour.
    func savedHour() throws(BaselineStateError) -> RecordIdentities.Snapshot.SavedHour {
        var reader = StateReader(data)
        let saved = try reader.identities(hour: hour)
        guard reader.isAtEnd, saved.times.count == count else {
            throw BaselineStateError("detector state is damaged: the row of the records taken in hour \(hour) does not match its count")
        }
        return saved
    }
}

/// One hour's records taken lately, as format 18 writes them inline after the hour's number and
/// `IdentityHourRow` writes them in a row: how many, then each identity's time less the hour's
/// start and its digest.
extension StateWriter {
    mutating func identities(hour: Int32, count: Int, _ keys: some Sequence<(time: Int64, digest: UInt64)>) {
        let start = Int64(hour) &* EventTime.ticksPerHour
        unsigned(UInt64(count))
        for (time, digest) in keys {
            signed(time &- start)
            word(digest)
        }
    }
}

extension StateReader {
    /// What `StateWriter.identities(hour:count:_:)` wrote for `hour`.
    /// - Throws: `BaselineStateError` when it is truncated, or a time is not within its hour.
    mutating func identities(hour: Int32) throws(BaselineStateError) -> RecordIdentities.Snapshot.SavedHour {
        let start = Int64(hour) &* EventTime.ticksPerHour
        let count = try self.count()
        var times: [Int64] = []
        var digests: [UInt64] = []
        times.reserveCapacity(count)
        digests.reserveCapacity(count)
        for _ in 0..<count {
            let offset = try signed()
            guard (0..<EventTime.ticksPerHour).contains(offset) else {
                throw BaselineStateError("detector state is damaged: a record taken in hour \(hour) is not of that hour")
            }
            times.append(start &+ offset)
            digests.append(try word())
        }
        return RecordIdentities.Snapshot.SavedHour(hour: hour, times: times, digests: digests)
    }
}

/// The change to the saved records taken lately since the last save (`Detector.exportProgress`):
/// the rows of the hours whose identities changed, and the hour before which every saved row goes
/// (the window's `keptFrom`). The state store applies it in the save's transaction, so the saved
/// rows always hold exactly the window the detector held at that save.
public struct IdentityChanges: Sendable {
    /// Every hour whose count differs from what was saved (new hours included), whole.
    public var changed: [IdentityHourRow]
    /// Rows of hours before this one are no longer in the window.
    public var keptFrom: Int32
    /// Each kept hour and its count once this is saved: the next save's `savedIdentityHours`.
    public var counts: [Int32: Int]

    public init(changed: [IdentityHourRow], keptFrom: Int32, counts: [Int32: Int]) {
        self.changed = changed
        self.keptFrom = keptFrom
        self.counts = counts
    }
}
