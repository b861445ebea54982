/// Recognises a record the detector has already taken: the same record delivered twice (Azure's
/// at-least-once delivery, a blob delivered again, exports whose periods overlap), from the same
/// source or another, in any input shape. A repeat is counted (`DetectorCounters.duplicateRecords`),
/// never judged and never learned (`Detector.process`, the detector's one entry).
///
/// A record's identity is its `time` to the 100 ns tick the service wrote, its `correlationId`
/// and a digest of what it says about the call (vault, operation, caller, application, address,
/// HTTP status, duration). Neither part alone is an identity: a correlation id is the client's
/// (`x-ms-client-request-id`), which an SDK keeps across the retries of one call and a deployment
/// shares across its requests, and anonymised exports write placeholders; two calls can share a
/// coarse time. Two distinct calls are merged only if the service stamped them in the same 100 ns
/// with the same correlation id, on the same vault, by the same caller from the same address, with
/// the same status and duration (and even then only if 64 bits of digest agree): a retry comes
/// after its failure, so never in the same tick. A record that cannot be told apart that way is
/// judged every time it comes, never dropped: one without a correlation id, or whose time has no
/// digit below the millisecond (a coarse time; a full-precision time whose last four digits are
/// zero, one in 10,000, is taken for coarse too).
///
/// The window: a record is remembered for `span` (48 hours, the late horizon the detector keeps
/// hours for: `ClosedHours.keptHours`) of the stream's time after it is taken, and at least until
/// the clock is `span` past its own hour. The identities are kept by the hour of their time; each
/// hour's table carries the later of its hour and the clock's hour when it last took a record
/// (`HourTable.lastTaken`), and is forgotten when the clock (the latest time before the record
/// looked up) is `span` past the end of that hour: an hour taking records in order is remembered
/// for 48 to 49 hours after its end, as before; a record already days behind the clock when it
/// comes (a backlog restored days later, a day's blob delivered three days late) is remembered for
/// 48 to 49 hours of the clock after it came, so its second delivery is a duplicate (until
/// 6 December it was not remembered at all: the samples' `KeyDelete` twins). A repeat later than
/// that is judged again, as a late record. The edge is decided at each record by the clock it
/// comes at, never by where batches end. At most `capacity` identities (16 bytes each, in tables
/// at most three-quarters full: 21 to 43 MB at the cap): past it the tables that last took a
/// record the longest ago are forgotten first (the oldest hour first among equals), so a tenant
/// writing more than about six records a second keeps less than 48 hours; what goes so is counted
/// (`forgottenPastCapacity`) and `detect`'s summary says it. Saved with the
/// detector's state (format 18; each table's last-taking hour since format 20), so a run resumed
/// from `--state` remembers exactly what one run would.
/// One mechanism wherever records are counted: the detector's entry (`Detector.process`) and
/// `hunt`, which lists a record once as `detect` counts it.
///
/// Where the work is done: a record's digest is made where it is decoded (`identity(time:...)`,
/// from `RecordDecoder.finish`, on the decoding threads) and travels in `AuditEvent.identity`; the
/// detector's one thread only probes its hour's table (`isRepeat`).
/// - Complexity: per record with an identity, one probe of its hour's open-addressed table, in
///   which it is inserted when new (the hours are searched from the newest: one step for records
///   in order); a table that fills doubles, each hour's first sized for the hour before it.
public struct RecordIdentities: Sendable {
    /// A record's identity: its time and the digest of everything else it is known by.
    struct Key: Equatable {
        var time: Int64
        /// Never 0 for a kept key: 0 marks an empty slot of `HourTable`.
        var digest: UInt64
    }

    /// The identities of the records of one hour of event time: an open-addressed table
    /// (linear probing) whose size is a power of two, at most three-quarters full.
    struct HourTable {
        var hour: Int32
        /// The later of `hour` and the clock's hour when the table last took a record: the table
        /// is forgotten when the clock is `span` past the end of this hour (`forget(behind:)`).
        var lastTaken: Int32
        /// Whether the store's rows of `hour` are this table's (`changes(since:)`): false for a
        /// table made since the last save, whose hour's saved rows, if any, are of an earlier
        /// table of the same hour, forgotten since.
        var inRows = false
        private(set) var count = 0
        private var slots: [Key]
        /// Once the window tracks what its saves have not written yet (`tracksOrder`): the
        /// identities taken since, in the order taken; the first `count - ordered.count` are in the
        /// table only (`changes(since:)` writes them in a row of the whole hour).
        var ordered: [Key] = []

        /// A table for `hour` with room for `expected` identities before it grows.
        init(hour: Int32, lastTaken: Int32, expected: Int) {
            self.hour = hour
            self.lastTaken = max(hour, lastTaken)
            var size = 16
            while size * 3 < expected * 4 { size <<= 1 }
            slots = Array(repeating: Key(time: 0, digest: 0), count: size)
        }

        /// Inserts `key` (digest not 0); false when it was there already.
        /// - Parameter seed: the process's seed for slot positions (`RecordIdentities.seed`).
        @inline(__always)
        mutating func insert(_ key: Key, seed: Int) -> Bool {
            if (count &+ 1) &* 4 > slots.count &* 3 { grow(seed: seed) }
            let mask = slots.count &- 1
            var index = Self.position(of: key, seed: seed) & mask
            while true {
                let slot = slots[index]
                if slot.digest == 0 {
                    slots[index] = key
                    count &+= 1
                    return true
                }
                if slot == key { return false }
                index = (index &+ 1) & mask
            }
        }

        /// The identities held, in no order.
        var keys: [Key] { slots.filter { $0.digest != 0 } }

        /// Where `key` is looked for first. Digests are stable across processes (they are saved)
        /// and made of what writers chose (correlation ids): the position is mixed with a seed of
        /// this process, so crafted records cannot pile up in one run of slots.
        @inline(__always)
        private static func position(of key: Key, seed: Int) -> Int {
            SymbolHashing.mix(UInt64(bitPattern: key.time) &* 0x9E37_79B9_7F4A_7C15 ^ key.digest, seed: seed)
        }

        @inline(never)
        private mutating func grow(seed: Int) {
            let old = slots
            slots = Array(repeating: Key(time: 0, digest: 0), count: old.count * 2)
            count = 0
            for key in old where key.digest != 0 { _ = insert(key, seed: seed) }
        }
    }

    /// How far behind the clock identities are kept.
    static let span = EventTime.Duration.hours(Int64(ClosedHours.keptHours))
    /// The most identities kept (oldest hours forgotten first beyond it).
    static let capacity = 1 << 20

    /// Kept hours, oldest first.
    private var hours: [HourTable] = []
    private(set) var count = 0
    /// Tables whose `lastTaken` is before this hour are forgotten (the clock's hour less `span`,
    /// at the last forgetting step).
    private var horizon = Int32.min
    /// The clock's hour at the last forgetting step: the hour a table taking a record now notes.
    private var clockHour = Int32.min
    /// The clock at which the horizon moves on to the next hour (`forget(behind:)`).
    private var nextForgetting = Int64.min
    /// Identities forgotten before their time because the window was full (`capacity`, in this
    /// process: a restored window starts at 0): a record delivered again after its identity went
    /// so is judged again, as a new record. `detect`'s summary says how many (a tenant writing more
    /// than about six records a second reaches the capacity within the 48 hours; one writing 292 a
    /// second fills it within one hour, whose table then goes whole).
    private(set) var forgottenPastCapacity = 0
    /// How many times tables were forgotten (behind the clock or past the capacity): what keeps
    /// by the window's hours (`FirstDeliveries`) looks again when it changes.
    private(set) var forgettings = 0
    /// This process's seed for the tables' slot positions (`HourTable.position`).
    private let seed = Int.random(in: .min ... .max)
    /// Whether each hour keeps the identities taken since this was set in the order taken
    /// (`HourTable.ordered`), so that a save writes only those its rows lack: set by the first
    /// save of the window in rows (`changes(since:)`) or by a restore from them (`init(restoring:keepingOrder:)`).
    /// Never set in a run that saves nothing: the probe then only tests it.
    private var tracksOrder = false

    public init() {}

    /// Whether a record has an identity: a correlation id and a time finer than the millisecond.
    @inline(__always)
    static func hasIdentity(time: EventTime, correlation: UInt64) -> Bool {
        correlation != 0 && time.ticks % 10_000 != 0
    }

    /// Whether `event` is a record already taken; if it is not, it is taken now (when it has an
    /// identity, `AuditEvent.identity`, and its hour is within the window behind `clock`).
    /// - Parameter clock: the stream's clock before `event`: the latest time of the records
    ///   before it (`.min` before the first).
    @inline(__always)
    public mutating func isRepeat(_ event: AuditEvent, clock: EventTime) -> Bool {
        guard event.identity != 0 else { return false }
        if clock.ticks >= nextForgetting { forget(behind: clock) }
        return isRepeat(Key(time: event.time.ticks, digest: event.identity), hour: event.time.hourNumber)
    }

    private mutating func isRepeat(_ key: Key, hour: Int32) -> Bool {
        var index = hours.count - 1
        while index >= 0, hours[index].hour > hour { index -= 1 }
        if index >= 0, hours[index].hour == hour {
            guard hours[index].insert(key, seed: seed) else { return true }
            if hours[index].lastTaken < clockHour { hours[index].lastTaken = clockHour }
            if tracksOrder { hours[index].ordered.append(key) }
        } else {
            // The newest hour's table is sized for the newest's count (a table grown from the
            // smallest by doubling would rehash each hour's identities about twice); a late
            // hour's starts small (a backlog days behind may bring a few records to each hour).
            let newest = index == hours.count - 1
            var table = HourTable(hour: hour, lastTaken: clockHour, expected: newest ? hours.last?.count ?? 0 : 0)
            _ = table.insert(key, seed: seed)
            if tracksOrder { table.ordered = [key] }
            hours.insert(table, at: index + 1)
        }
        count += 1
        if count > Self.capacity { forgetOldestTable() }
        return false
    }

    /// Forgets the tables that last took a record wholly more than `span` behind `clock` (and
    /// whose own hour is), and notes the clock's hour for the tables taking records until the
    /// next step.
    /// - Complexity: O(hours kept), once per hour of the clock.
    mutating func forget(behind clock: EventTime) {
        guard clock.ticks >= Int64.min &+ Self.span.ticks else { return }
        let horizon = EventTime(ticks: clock.ticks &- Self.span.ticks).hourNumber
        clockHour = clock.hourNumber
        // The horizon moves on when the clock is `span` past the end of its hour.
        nextForgetting = (Int64(horizon) &+ 1) &* EventTime.ticksPerHour &+ Self.span.ticks
        guard horizon > self.horizon else { return }
        self.horizon = horizon
        // By index, reading the one field: a closure given each table would copy it (a retain
        // and a release of its arrays per table per hour of the clock: 75 M instructions over
        // the demo tenant's 5,712 hours).
        var index = 0
        var forgot = false
        while index < hours.count {
            if hours[index].lastTaken < horizon {
                count -= hours[index].count
                hours.remove(at: index)
                forgot = true
            } else {
                index += 1
            }
        }
        if forgot { forgettings += 1 }
    }

    /// Past the capacity: forgets the table that last took a record the longest ago (the oldest
    /// hour among equals).
    private mutating func forgetOldestTable() {
        guard var oldest = hours.indices.first else { return }
        for index in hours.indices.dropFirst() where hours[index].lastTaken < hours[oldest].lastTaken {
            oldest = index
        }
        let forgotten = hours.remove(at: oldest).count
        count -= forgotten
        forgottenPastCapacity += forgotten
        forgettings += 1
    }

    /// Whether the window keeps a table for `hour`.
    func keeps(hour: Int32) -> Bool {
        var (low, high) = (0, hours.count)
        while low < high {
            let middle = (low + high) / 2
            if hours[middle].hour < hour { low = middle + 1 } else { high = middle }
        }
        return low < hours.count && hours[low].hour == hour
    }

    /// The hours whose table last took a record in a later hour of the clock, and that hour (the
    /// others' `lastTaken` is their own hour): saved beside the tables since format 20.
    var takenLate: [Int32: Int32] {
        var late: [Int32: Int32] = [:]
        for table in hours where table.lastTaken > table.hour { late[table.hour] = table.lastTaken }
        return late
    }

    // MARK: - Digests

    /// The identity of a record (`AuditEvent.identity`): 0 when it has none (`hasIdentity`), else
    /// the digest of what it says about its call, the same in every process (never 0).
    /// Made where the record is decoded (`RecordDecoder.finish`), with that decoder's `names`.
    @inline(__always)
    static func identity(
        time: EventTime, correlation: UInt64, vault: Symbol, operation: Symbol, principalID: Symbol, appID: Symbol,
        callerIP: IPAddress?, httpStatusCode: UInt16, durationMs: UInt32, names: inout NameDigests
    ) -> UInt64 {
        guard hasIdentity(time: time, correlation: correlation) else { return 0 }
        var value = mix(correlation, names.digest(vault))
        value = mix(value, names.digest(operation))
        value = mix(value, names.digest(principalID))
        value = mix(value, names.digest(appID))
        if let address = callerIP {
            value = mix(value, address.high)
            value = mix(value, address.low)
        }
        value = mix(value, UInt64(httpStatusCode) << 32 | UInt64(durationMs))
        return value == 0 ? 1 : value
    }

    /// The stable digest of each permanent name, by its symbol's number (0: not computed yet):
    /// symbols are numbered per process, names are the same in every process. One per decoder
    /// (not thread-safe); a name's digest is computed once per decoder.
    struct NameDigests {
        private let symbols: SymbolTable
        private var digests: [UInt64] = []

        init(symbols: SymbolTable) {
            self.symbols = symbols
        }

        /// The digest of `symbol`'s name, 0 for `Symbol.none`.
        @inline(__always)
        mutating func digest(_ symbol: Symbol) -> UInt64 {
            if symbol.isNone { return 0 }
            let index = Int(symbol.rawValue)
            if symbol.rawValue & SymbolTable.transientBit == 0, index < digests.count, digests[index] != 0 {
                return digests[index]
            }
            return newDigest(symbol)
        }

        @inline(never)
        private mutating func newDigest(_ symbol: Symbol) -> UInt64 {
            let digest = StableHash.digest((symbols.string(symbol) ?? "").utf8) | 1
            guard symbol.rawValue & SymbolTable.transientBit == 0 else { return digest }
            let index = Int(symbol.rawValue)
            if index >= digests.count { digests.append(contentsOf: repeatElement(0, count: index + 1 - digests.count)) }
            digests[index] = digest
            return digest
        }
    }

    /// Folds `word` into `value`: the symbols' own 64-bit mix (`SymbolHashing.mix`, SplitMix64's
    /// finaliser) with no seed, so the digest is the same in every process.
    @inline(__always)
    static func mix(_ value: UInt64, _ word: UInt64) -> UInt64 {
        UInt64(truncatingIfNeeded: SymbolHashing.mix(value ^ word, seed: 0))
    }

    /// The digest of a `correlationId`'s bytes, its ASCII letters case folded (a GUID may be
    /// written in either case; no other byte is folded: `_` and DEL, `[` and `{` stay apart), the
    /// same in every process; 0 for an empty one (no correlation id), never for another. Eight
    /// bytes at a time, the tail in one overlapping load: the decoder calls it for every record.
    /// Its value is the one of format 18's windows (which folded every byte `| 0x20`) for every id
    /// of letters, digits and `-` (GUIDs): a window saved by format 18 stays valid.
    @inline(__always)
    static func correlationDigest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        guard count > 0 else { return 0 }
        var value = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= count {
            value = mix(value, foldingLetters(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        if offset < count {
            var tail: UInt64 = 0
            if count >= 8 {
                // The last eight bytes, shifted so that the tail's bytes come first: the word read
                // byte by byte below, in one load.
                tail = bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) >> (UInt64(8 - (count - offset)) &* 8)
            } else {
                var shift: UInt64 = 0
                while offset < count {
                    tail |= UInt64(bytes[offset]) << shift
                    shift += 8
                    offset += 1
                }
            }
            value = mix(value, foldingLetters(tail))
        }
        return value == 0 ? 1 : value
    }

    /// `word` with each of its bytes that is an ASCII capital letter made small (`| 0x20`), the
    /// others untouched, eight at a time.
    @inline(__always)
    static func foldingLetters(_ word: UInt64) -> UInt64 {
        let high: UInt64 = 0x8080_8080_8080_8080
        let low = word & ~high
        // A byte's high bit: set in `fromA` when its low seven bits are at least "A" (0x41), in
        // `pastZ` when they are past "Z" (0x5A); no carry crosses a byte (0x7F + 0x3F < 0x100).
        let fromA = low &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = low &+ 0x2525_2525_2525_2525
        let capitals = fromA & ~pastZ & ~word & high
        return word | capitals >> 2
    }

    // MARK: - Saved state

    /// The window as saved: each kept hour's identities, in order.
    struct Snapshot: Codable, Sendable, Equatable {
        struct SavedHour: Codable, Sendable, Equatable {
            var hour: Int32
            var times: [Int64]
            var digests: [UInt64]
        }
        /// Format 18 and 19's window start: the rows of hours before it were not the window's
        /// (`BaselineSnapshot.takeIdentities`). `Int32.min` since format 20, whose rows are
        /// exactly the window.
        var keptFrom: Int32
        var hours: [SavedHour]
        /// The hours whose table last took a record in a later hour of the clock, and that hour
        /// (`HourTable.lastTaken`; an hour not here, its own). Since format 20: an older window's
        /// tables are taken as last taken in their own hour, as it kept them.
        var lastTaken: [Int32: Int32] = [:]
    }

    /// The window in a form another process can read; each hour's identities sorted, so a
    /// restored window saves the same bytes again.
    /// - Complexity: O(n log n) in the identities kept.
    func snapshot() -> Snapshot {
        Snapshot(
            keptFrom: .min,
            hours: hours.map { hour in
                let keys = hour.keys.sorted { $0.time != $1.time ? $0.time < $1.time : $0.digest < $1.digest }
                return Snapshot.SavedHour(hour: hour.hour, times: keys.map(\.time), digests: keys.map(\.digest))
            },
            lastTaken: takenLate)
    }

    /// What changed since the save that left `saved` in the store (each kept hour's rows, the
    /// count of each in order; empty: nothing saved): for each hour whose identities are more than
    /// its rows hold, one row of those they lack (an hour only gains identities until it leaves
    /// the window), merged with the hour's last rows while the last is no larger than the new one
    /// — a binary counter: an hour has at most about log2 of its count rows, and an identity is
    /// written again about that many times, not at every save. A row that would start before what
    /// the hour keeps in order (`HourTable.ordered`) is the whole hour. Then every hour keeps its
    /// identities in order from here on (`tracksOrder`).
    /// - Complexity: O(hours kept + identities written), not O(identities of the changed hours).
    mutating func changes(since saved: [Int32: [Int]]) -> IdentityChanges {
        var layout: [Int32: [Int]] = [:]
        layout.reserveCapacity(hours.count)
        var changed: [IdentityHourRow] = []
        for index in hours.indices {
            let hour = hours[index].hour
            // A table made since the last save: its hour's saved rows, if any, are of a table
            // forgotten since, and go.
            var rows = hours[index].inRows ? saved[hour] ?? [] : []
            hours[index].inRows = true
            let savedCount = rows.reduce(0, +)
            let count = hours[index].count
            guard savedCount != count else {
                layout[hour] = rows
                continue
            }
            // Rows holding more than the hour (never written so) are replaced by the whole hour.
            if savedCount > count { rows = [] }
            var first = rows.isEmpty ? 0 : savedCount
            var size = count - first
            while let last = rows.last, last <= size {
                rows.removeLast()
                first -= last
                size += last
            }
            let unordered = count - hours[index].ordered.count
            if first < unordered || rows.isEmpty {
                // The whole hour, from its table: what it keeps in order is written with it.
                (first, size, rows) = (0, count, [])
                changed.append(IdentityHourRow.row(hour: hour, first: 0, keys: hours[index].keys))
                hours[index].ordered = []
            } else {
                let start = first - unordered
                changed.append(IdentityHourRow.row(hour: hour, first: first, keys: hours[index].ordered[start...]))
            }
            layout[hour] = rows + [size]
        }
        tracksOrder = true
        let forgotten = saved.keys.filter { layout[$0] == nil }.sorted()
        return IdentityChanges(changed: changed, forgotten: forgotten, layout: layout)
    }

    /// A window holding what `snapshot` held.
    /// - Parameter keepingOrder: the snapshot's hours are the store's rows put together in order
    ///   (`IdentityHourRow`): each hour keeps its identities in that order (`HourTable.ordered`),
    ///   and from now on those it takes (`tracksOrder`), so the next save writes only what the
    ///   rows lack, merging with any of them.
    init(restoring snapshot: Snapshot, keepingOrder: Bool = false) throws(BaselineStateError) {
        self.init()
        tracksOrder = keepingOrder
        var previous = Int32.min
        for saved in snapshot.hours {
            guard saved.times.count == saved.digests.count, saved.hour > previous || hours.isEmpty else {
                throw BaselineStateError("detector state is damaged: the records already read are not in order of their hours")
            }
            previous = saved.hour
            var table = HourTable(hour: saved.hour, lastTaken: snapshot.lastTaken[saved.hour] ?? saved.hour, expected: saved.times.count)
            table.inRows = keepingOrder
            for (time, digest) in zip(saved.times, saved.digests) {
                // A digest of 0 (never made now: `identity` gives 1) is kept as 1.
                let key = Key(time: time, digest: digest == 0 ? 1 : digest)
                if table.insert(key, seed: seed), keepingOrder { table.ordered.append(key) }
            }
            count += table.count
            hours.append(table)
        }
    }
}
