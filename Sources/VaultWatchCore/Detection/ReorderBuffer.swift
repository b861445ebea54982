/// Holds events until event time has moved `tolerance` past them, then releases them in
/// event-time order, so behavioural results do not depend on the order records arrive in
/// within that tolerance (late records in the next hour's blob, interleaved sources).
///
/// Ties in time are broken by the event's content, compared as text (vault, principal,
/// operation, object, outcome, source, line), so a shuffle gives the same order, and so does a
/// restarted process, whose symbol table numbers the same strings differently; events equal in
/// all of that keep their order of arrival (each held event has an arrival number, saved with
/// it, so a restored buffer orders them as the saving one did, and the state store saves each
/// held event once, by its number: `held(since:)`).
/// - Complexity: amortised O(log n) per event, O(1) when records already arrive in order
///   (the sort is skipped, and Swift's sort is linear on sorted runs anyway). Only events of
///   the same time (to the 100 ns tick) cost symbol-table look-ups. Releasing is O(released),
///   not O(held): released events are left in the array before a head index, and the array is
///   compacted once they are a quarter of the held ones (or, when the array is full, a
///   sixteenth), so each released event pays for at most 16 moves, and the array grows only
///   when the held events need it.
struct ReorderBuffer {
    /// A held event and its arrival number.
    struct Held {
        var event: AuditEvent
        var arrival: UInt64
    }

    private let symbols: SymbolTable
    /// The held events are `storage[head...]`; those before `head` were released and wait for
    /// the next compaction. Empty or `head < storage.count`: emptied whole when all are released.
    private var storage: [Held] = []
    private var head = 0
    /// The held events, in arrival order until the next release sorts them.
    var pending: ArraySlice<Held> { storage[head...] }
    /// How many events the array has room for, released ones included (what it costs in memory).
    var capacity: Int { storage.capacity }
    /// The arrival number of the next event inserted.
    private(set) var nextArrival: UInt64 = 0
    private var isSorted = true
    /// Every event earlier than this has been released; an event earlier than it is late.
    private(set) var releasedThrough = EventTime(ticks: .min)

    init(symbols: SymbolTable) {
        self.symbols = symbols
    }

    var isEmpty: Bool { head == storage.count }

    /// Whether `event` comes after its turn (earlier than what was already released).
    func isLate(_ event: AuditEvent) -> Bool { event.time < releasedThrough }

    mutating func insert(_ event: AuditEvent) {
        insert(Held(event: event, arrival: nextArrival))
        nextArrival += 1
    }

    private mutating func insert(_ held: Held) {
        if isSorted, let last = storage.last, held.event.time <= last.event.time,
            held.event.time < last.event.time || Self.precedes(held, last, symbols: symbols)
        {
            isSorted = false
        }
        // Full: make room by dropping the released events rather than doubling the array, when
        // they are at least a sixteenth of the held ones (moving the held ones then costs at
        // most 16 moves per event released since the last compaction). So a buffer holding a
        // steady number of events keeps the capacity that number needs.
        if head > 0, storage.count == storage.capacity, head * 16 >= storage.count - head {
            storage.removeFirst(head)
            head = 0
        }
        storage.append(held)
    }

    /// Releases, in order, the events earlier than `watermark`.
    mutating func release(before watermark: EventTime, _ body: (AuditEvent) -> Void) {
        guard watermark > releasedThrough else { return }
        releasedThrough = watermark
        guard !isEmpty else { return }
        if !isSorted {
            let symbols = self.symbols
            storage[head...].sort { Self.precedes($0, $1, symbols: symbols) }
            isSorted = true
        }
        while head < storage.count, storage[head].event.time < watermark {
            body(storage[head].event)
            head += 1
        }
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head * 4 >= storage.count - head {
            // The released prefix is at least a quarter of what stays: moving what stays costs
            // at most four moves per event released since the last compaction, and the array
            // holds at most a quarter more than the held events (a live stream holds ten
            // minutes of them: 150,000 at 250 lines/s).
            storage.removeFirst(head)
            head = 0
        }
    }

    /// Releases everything (end of input).
    mutating func releaseAll(_ body: (AuditEvent) -> Void) {
        let last = pending.map(\.event.time).max() ?? releasedThrough
        release(before: EventTime(ticks: max(last.ticks, releasedThrough.ticks) &+ 1), body)
    }

    /// Event-time order; ties broken by content as text, never by symbol numbers, then by arrival.
    static func precedes(_ lhsHeld: Held, _ rhsHeld: Held, symbols: SymbolTable) -> Bool {
        let lhs = lhsHeld.event, rhs = rhsHeld.event
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        for (left, right) in [
            (lhs.vault, rhs.vault), (lhs.principalID, rhs.principalID), (lhs.operation, rhs.operation),
            (lhs.objectName, rhs.objectName),
        ] where left != right {
            return (symbols.string(left) ?? "") < (symbols.string(right) ?? "")
        }
        if lhs.outcome != rhs.outcome { return lhs.outcome.rawValue < rhs.outcome.rawValue }
        if lhs.location.source != rhs.location.source {
            return (symbols.string(lhs.location.source) ?? "") < (symbols.string(rhs.location.source) ?? "")
        }
        if lhs.location.line != rhs.location.line { return lhs.location.line < rhs.location.line }
        return lhsHeld.arrival < rhsHeld.arrival
    }

    // MARK: - Saved state

    /// The held events and the release mark, in a form another process can read.
    struct Snapshot: Codable, Sendable, Equatable {
        var pending: [NamedEvent]
        var releasedThrough: Int64
        /// Each held event's arrival number, and the next one's (nil in a format 2 state, which
        /// held its events in their order: they are numbered in it).
        var arrivals: [UInt64]?
        var nextArrival: UInt64?
    }

    /// What a restarted detector needs to hold and release exactly what this buffer would.
    /// - Parameter inline: false leaves the held events out (the state store saves them apart,
    ///   each once: `held(since:)`); the release mark and the next arrival number are kept.
    /// - Complexity: O(held events) when inline; names are looked up, nothing is released.
    func snapshot(inline: Bool = true) -> Snapshot {
        let held = inline ? pending : []
        let names = SavedNames(symbols: symbols)
        return Snapshot(
            pending: held.map { names.named($0.event) }, releasedThrough: releasedThrough.ticks, arrivals: held.map(\.arrival),
            nextArrival: nextArrival)
    }

    /// The held events that arrived at `arrival` or later, in one row (`HeldEventRow.block`);
    /// nil when there are none.
    /// - Complexity: O(held events) to find them, plus the encoding of those found.
    func held(since arrival: UInt64) -> HeldEventRow? {
        let names = SavedNames(symbols: symbols)
        // The events' positions, sorted by arrival then position (the order a stable sort of the
        // events by arrival gives), not the events themselves: filtering and sorting the events
        // copied each whole event at every step of the merge (a tenth of a save's export on the
        // synthetic records' first 30,000). Held in arrival order until a release sorts them.
        let held = pending
        var taken: [(arrival: UInt64, position: Int)] = []
        taken.reserveCapacity(held.count)
        var inOrder = true
        for position in held.indices where held[position].arrival >= arrival {
            if let last = taken.last, last.arrival > held[position].arrival { inOrder = false }
            taken.append((held[position].arrival, position))
        }
        if !inOrder { taken.sort { $0.arrival != $1.arrival ? $0.arrival < $1.arrival : $0.position < $1.position } }
        return HeldEventRow.block(of: taken.lazy.map { (arrival: $0.arrival, event: held[$0.position].event) }, names: names)
    }

    /// A buffer holding what `snapshot` held, its names interned in `symbols`.
    init(restoring snapshot: Snapshot, symbols: SymbolTable) throws(BaselineStateError) {
        self.init(symbols: symbols)
        releasedThrough = EventTime(ticks: snapshot.releasedThrough)
        if let arrivals = snapshot.arrivals, arrivals.count != snapshot.pending.count {
            throw BaselineStateError("detector state is damaged: \(snapshot.pending.count) held events, \(arrivals.count) arrival numbers")
        }
        let names = SavedNames(symbols: symbols)
        var next: UInt64 = 0
        for (index, saved) in snapshot.pending.enumerated() {
            let arrival = snapshot.arrivals?[index] ?? UInt64(index)
            insert(Held(event: try names.event(saved), arrival: arrival))
            next = max(next, arrival + 1)
        }
        nextArrival = max(next, snapshot.nextArrival ?? 0)
    }
}
