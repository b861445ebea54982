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
/// The window: the identities of the records whose time is within `span` (48 hours, the late
/// horizon the detector keeps hours for: `ClosedHours.keptHours`) behind the stream's clock, by
/// the hour of their time: a record is remembered until the clock (the latest time before the
/// record looked up) is `span` past the end of its hour, so for 48 to 49 hours; a repeat older
/// than that is judged as a late record. The edge is decided at each record by the clock it comes
/// at, never by where batches end. At most `capacity`
/// identities (16 bytes each, in sets at most three-quarters full: 21 to 43 MB at the cap): past it
/// the oldest hours are forgotten first, so a tenant writing more than about six records a second
/// keeps less than 48 hours. Saved with the detector's state (format 18), so a run resumed from
/// `--state` recognises what the run before it took.
///
/// One mechanism wherever records are counted: the detector's entry (`Detector.process`) and
/// `hunt`, which lists a record once as `detect` counts it.
/// - Complexity: per record with an identity, a digest of a dozen words and one set insertion
///   into its hour (the hours are searched from the newest: one step for records in order).
public struct RecordIdentities: Sendable {
    /// A record's identity: its time and the digest of everything else it is known by.
    struct Key: Hashable {
        var time: Int64
        var digest: UInt64

        func _rawHashValue(seed: Int) -> Int {
            SymbolHashing.mix(UInt64(bitPattern: time) &* 0x9E37_79B9_7F4A_7C15 ^ digest, seed: seed)
        }
    }

    /// The identities of the records of one hour of event time.
    struct Hour {
        var hour: Int32
        var keys: Set<Key>
    }

    /// How far behind the clock identities are kept.
    static let span = EventTime.Duration.hours(Int64(ClosedHours.keptHours))
    /// The most identities kept (oldest hours forgotten first beyond it).
    static let capacity = 1 << 20

    private let symbols: SymbolTable
    /// Kept hours, oldest first.
    private var hours: [Hour] = []
    private(set) var count = 0
    /// Records of hours before this one are not kept (forgotten, or never within the window).
    private(set) var keptFrom = Int32.min
    /// The clock at which `keptFrom` moves on to the next hour (`forget(behind:)`).
    private var nextForgetting = Int64.min
    /// The stable digest of each permanent name, by its symbol's number (0: not computed yet):
    /// symbols are numbered per process, names are the same in every process.
    private var nameDigests: [UInt64] = []

    public init(symbols: SymbolTable) {
        self.symbols = symbols
    }

    /// Whether a record has an identity: a correlation id and a time finer than the millisecond.
    @inline(__always)
    static func hasIdentity(_ event: AuditEvent) -> Bool {
        event.correlation != 0 && event.time.ticks % 10_000 != 0
    }

    /// Whether `event` is a record already taken; if it is not, it is taken now (when it has an
    /// identity and its hour is within the window behind `clock`).
    /// - Parameter clock: the stream's clock before `event`: the latest time of the records
    ///   before it (`.min` before the first).
    @inline(__always)
    public mutating func isRepeat(_ event: AuditEvent, clock: EventTime) -> Bool {
        guard Self.hasIdentity(event) else { return false }
        if clock.ticks >= nextForgetting { forget(behind: clock) }
        return isRepeat(Key(time: event.time.ticks, digest: digest(event)), hour: event.time.hourNumber)
    }

    private mutating func isRepeat(_ key: Key, hour: Int32) -> Bool {
        guard hour >= keptFrom else { return false }
        var index = hours.count - 1
        while index >= 0, hours[index].hour > hour { index -= 1 }
        if index >= 0, hours[index].hour == hour {
            guard hours[index].keys.insert(key).inserted else { return true }
        } else {
            // Sized for the newest hour's count: a set grown from one by doubling rehashed each
            // hour's identities about twice (a quarter of the window's samples in a profile of `detect`).
            var keys = Set<Key>(minimumCapacity: hours.last?.keys.count ?? 0)
            keys.insert(key)
            hours.insert(Hour(hour: hour, keys: keys), at: index + 1)
        }
        count += 1
        if count > Self.capacity { forgetOldestHour() }
        return false
    }

    /// Forgets the identities of the hours wholly more than `span` behind `clock`.
    mutating func forget(behind clock: EventTime) {
        guard clock.ticks >= Int64.min &+ Self.span.ticks else { return }
        let horizon = EventTime(ticks: clock.ticks &- Self.span.ticks).hourNumber
        // The horizon moves on when the clock is `span` past the end of its hour.
        nextForgetting = (Int64(horizon) &+ 1) &* EventTime.ticksPerHour &+ Self.span.ticks
        guard horizon > keptFrom else { return }
        keptFrom = horizon
        var dropped = 0
        while dropped < hours.count, hours[dropped].hour < horizon {
            count -= hours[dropped].keys.count
            dropped += 1
        }
        if dropped > 0 { hours.removeFirst(dropped) }
    }

    private mutating func forgetOldestHour() {
        guard !hours.isEmpty else { return }
        let oldest = hours.removeFirst()
        count -= oldest.keys.count
        keptFrom = max(keptFrom, oldest.hour &+ 1)
    }

    // MARK: - Digests

    /// The digest of what a record says about its call, the same in every process.
    @inline(__always)
    private mutating func digest(_ event: AuditEvent) -> UInt64 {
        var value = Self.mix(event.correlation, nameDigest(event.vault))
        value = Self.mix(value, nameDigest(event.operation))
        value = Self.mix(value, nameDigest(event.principalID))
        value = Self.mix(value, nameDigest(event.appID))
        if let address = event.callerIP {
            value = Self.mix(value, address.high)
            value = Self.mix(value, address.low)
        }
        value = Self.mix(value, UInt64(event.httpStatusCode) << 32 | UInt64(event.durationMs))
        return value
    }

    @inline(__always)
    private mutating func nameDigest(_ symbol: Symbol) -> UInt64 {
        if symbol.isNone { return 0 }
        let index = Int(symbol.rawValue)
        if symbol.rawValue & SymbolTable.transientBit == 0, index < nameDigests.count, nameDigests[index] != 0 {
            return nameDigests[index]
        }
        return newNameDigest(symbol)
    }

    @inline(never)
    private mutating func newNameDigest(_ symbol: Symbol) -> UInt64 {
        let digest = StableHash.digest((symbols.string(symbol) ?? "").utf8) | 1
        guard symbol.rawValue & SymbolTable.transientBit == 0 else { return digest }
        let index = Int(symbol.rawValue)
        if index >= nameDigests.count { nameDigests.append(contentsOf: repeatElement(0, count: index + 1 - nameDigests.count)) }
        nameDigests[index] = digest
        return digest
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
        var keptFrom: Int32
        var hours: [SavedHour]
    }

    /// The window in a form another process can read; each hour's identities sorted, so a
    /// restored window saves the same bytes again.
    /// - Complexity: O(n log n) in the identities kept.
    func snapshot() -> Snapshot {
        Snapshot(
            keptFrom: keptFrom,
            hours: hours.map { hour in
                let keys = hour.keys.sorted { $0.time != $1.time ? $0.time < $1.time : $0.digest < $1.digest }
                return Snapshot.SavedHour(hour: hour.hour, times: keys.map(\.time), digests: keys.map(\.digest))
            })
    }

    /// What changed since the save that held `saved` (each kept hour's count then; empty: nothing
    /// saved): the hours whose count differs, each as a row of all its identities (an hour only
    /// gains identities until it leaves the window), the window's start, and every kept hour's count.
    /// - Complexity: O(hours kept + identities of the changed hours).
    func changes(since saved: [Int32: Int]) -> IdentityChanges {
        var counts: [Int32: Int] = [:]
        counts.reserveCapacity(hours.count)
        var changed: [IdentityHourRow] = []
        for hour in hours {
            counts[hour.hour] = hour.keys.count
            if saved[hour.hour] != hour.keys.count { changed.append(IdentityHourRow.row(hour: hour.hour, keys: hour.keys)) }
        }
        return IdentityChanges(changed: changed, keptFrom: keptFrom, counts: counts)
    }

    /// A window holding what `snapshot` held.
    init(restoring snapshot: Snapshot, symbols: SymbolTable) throws(BaselineStateError) {
        self.init(symbols: symbols)
        keptFrom = snapshot.keptFrom
        var previous = Int32.min
        for saved in snapshot.hours {
            guard saved.times.count == saved.digests.count, saved.hour > previous || hours.isEmpty else {
                throw BaselineStateError("detector state is damaged: the records already read are not in order of their hours")
            }
            previous = saved.hour
            var keys = Set<Key>(minimumCapacity: saved.times.count)
            for (time, digest) in zip(saved.times, saved.digests) { keys.insert(Key(time: time, digest: digest)) }
            count += keys.count
            hours.append(Hour(hour: saved.hour, keys: keys))
        }
    }
}
