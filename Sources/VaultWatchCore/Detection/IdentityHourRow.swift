/// A row of the state store's records taken lately (`RecordIdentities`): identities of the
/// records of one hour of event time, saved apart from the detector's state since format 19.
///
/// The window holds up to 48 hours (2^20 identities, 13 bytes each saved): written whole into
/// every save, it was the largest part of the in-flight section on the benchmark's synthetic
/// records, and a following run saving each second rewrote it each second. Saved by the hour, a
/// save wrote only the hours whose identities changed since the previous one (records come in
/// time order, so the newest hour or two) and deleted the hours that left the window; but it
/// wrote a changed hour whole, so a live stream rewrote its busy hour at every save (at 250
/// records a second, 450,000 identities, 5.8 MB, half an hour in: twice the rest of the save).
/// Since 6 December (schema v14) an hour is a few rows, each identified by its `first` position
/// in the hour: a save writes a row of the identities the hour's rows lack, merged with its last
/// rows while they are no larger (`RecordIdentities.changes(since:)`).
///
/// Encoded as how many, then each identity's time less its hour's start and its digest, in the
/// order the window lists them (not sorted: a row is written when its hour changed, never again
/// to compare).
public struct IdentityHourRow: Sendable, Hashable {
    /// The hour of event time (`EventTime.hourNumber`) whose records these are.
    public var hour: Int32
    /// Where the row starts among the hour's identities: the rows of an hour, in order of `first`,
    /// hold them all, each starting where the one before ends. A row written replaces those of
    /// its hour from its `first` on.
    public var first: Int
    /// How many identities the row holds.
    public var count: Int
    public var data: [UInt8]

    public init(hour: Int32, first: Int = 0, count: Int, data: [UInt8]) {
        self.hour = hour
        self.first = first
        self.count = count
        self.data = data
    }

    /// The row of `keys`, identities of the records of `hour` from position `first` on.
    static func row(hour: Int32, first: Int, keys: some Collection<RecordIdentities.Key>) -> IdentityHourRow {
        var writer = StateWriter(capacity: 4 + 14 * keys.count)
        writer.identities(hour: hour, count: keys.count, keys.lazy.map { ($0.time, $0.digest) })
        return IdentityHourRow(hour: hour, first: first, count: keys.count, data: writer.takeBytes())
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
/// the rows to write, and the hours whose rows go (tables the window forgot). The state store
/// applies it in the save's transaction (each row replacing its hour's rows from its `first` on),
/// so the saved rows always hold exactly the window the detector held at that save.
public struct IdentityChanges: Sendable {
    /// A row for each hour whose identities are more than its saved rows hold (new hours
    /// included): the identities they lack, with the last rows it merges.
    public var changed: [IdentityHourRow]
    /// The hours saved before whose tables the window has forgotten since (behind the clock or
    /// past its capacity): all their rows go. Since format 20 a table is kept by when it last took
    /// a record, not by its hour, so these need not be the oldest hours.
    public var forgotten: [Int32]
    /// Each kept hour's rows once this is saved, the count of each in order of `first`: the next
    /// save's `savedIdentityHours`.
    public var layout: [Int32: [Int]]

    public init(changed: [IdentityHourRow], forgotten: [Int32], layout: [Int32: [Int]]) {
        self.changed = changed
        self.forgotten = forgotten
        self.layout = layout
    }

    /// The layout (`layout`) of saved rows, by hour in order of `first`.
    public static func layout(of rows: [IdentityHourRow]) -> [Int32: [Int]] {
        var layout: [Int32: [Int]] = [:]
        for row in rows.sorted(by: { ($0.hour, $0.first) < ($1.hour, $1.first) }) { layout[row.hour, default: []].append(row.count) }
        return layout
    }
}
