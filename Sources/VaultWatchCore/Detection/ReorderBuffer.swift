/// Holds events until event time has moved `tolerance` past them, then releases them in
/// event-time order, so behavioural results do not depend on the order records arrive in
/// within that tolerance (late records in the next hour's blob, interleaved sources).
///
/// Ties in time are broken by the event's content, compared as text (vault, principal,
/// operation, object, outcome, source, line), so a shuffle gives the same order, and so does a
/// restarted process, whose symbol table numbers the same strings differently.
/// - Complexity: amortised O(log n) per event, O(1) when records already arrive in order
///   (the sort is skipped, and Swift's sort is linear on sorted runs anyway). Only events of
///   the same time (to the 100 ns tick) cost symbol-table look-ups.
struct ReorderBuffer {
    private let symbols: SymbolTable
    private(set) var pending: [AuditEvent] = []
    private var isSorted = true
    /// Every event earlier than this has been released; an event earlier than it is late.
    private(set) var releasedThrough = EventTime(ticks: .min)

    init(symbols: SymbolTable) {
        self.symbols = symbols
    }

    var isEmpty: Bool { pending.isEmpty }

    /// Whether `event` comes after its turn (earlier than what was already released).
    func isLate(_ event: AuditEvent) -> Bool { event.time < releasedThrough }

    mutating func insert(_ event: AuditEvent) {
        if isSorted, let last = pending.last, event.time <= last.time,
            event.time < last.time || Self.precedes(event, last, symbols: symbols)
        {
            isSorted = false
        }
        pending.append(event)
    }

    /// Releases, in order, the events earlier than `watermark`.
    mutating func release(before watermark: EventTime, _ body: (AuditEvent) -> Void) {
        guard watermark > releasedThrough else { return }
        releasedThrough = watermark
        guard !pending.isEmpty else { return }
        if !isSorted {
            let symbols = self.symbols
            pending.sort { Self.precedes($0, $1, symbols: symbols) }
            isSorted = true
        }
        var count = 0
        while count < pending.count, pending[count].time < watermark {
            body(pending[count])
            count += 1
        }
        if count == pending.count {
            pending.removeAll(keepingCapacity: true)
        } else if count > 0 {
            pending.removeFirst(count)
        }
    }

    /// Releases everything (end of input).
    mutating func releaseAll(_ body: (AuditEvent) -> Void) {
        let last = pending.map(\.time).max() ?? releasedThrough
        release(before: EventTime(ticks: max(last.ticks, releasedThrough.ticks) &+ 1), body)
    }

    /// Event-time order; ties broken by content as text, never by symbol numbers.
    static func precedes(_ lhs: AuditEvent, _ rhs: AuditEvent, symbols: SymbolTable) -> Bool {
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
        return lhs.location.line < rhs.location.line
    }

    // MARK: - Saved state

    /// The held events and the release mark, in a form another process can read.
    struct Snapshot: Codable, Sendable, Equatable {
        var pending: [NamedEvent]
        var releasedThrough: Int64
    }

    /// What a restarted detector needs to hold and release exactly what this buffer would.
    /// - Complexity: O(held events); names are looked up, nothing is released.
    func snapshot() -> Snapshot {
        Snapshot(pending: pending.map(SavedNames(symbols: symbols).named), releasedThrough: releasedThrough.ticks)
    }

    /// A buffer holding what `snapshot` held, its names interned in `symbols`.
    init(restoring snapshot: Snapshot, symbols: SymbolTable) throws(BaselineStateError) {
        self.init(symbols: symbols)
        releasedThrough = EventTime(ticks: snapshot.releasedThrough)
        let names = SavedNames(symbols: symbols)
        for saved in snapshot.pending { insert(try names.event(saved)) }
    }
}
