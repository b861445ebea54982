/// Holds events until event time has moved `tolerance` past them, then releases them in
/// event-time order, so behavioural results do not depend on the order records arrive in
/// within that tolerance (late records in the next hour's blob, interleaved sources).
///
/// Ties in time are broken by the event's content, so a shuffle gives the same order.
/// - Complexity: amortised O(log n) per event, O(1) when records already arrive in order
///   (the sort is skipped, and Swift's sort is linear on sorted runs anyway).
struct ReorderBuffer {
    private(set) var pending: [AuditEvent] = []
    private var isSorted = true
    /// Every event earlier than this has been released; an event earlier than it is late.
    private(set) var releasedThrough = EventTime(ticks: .min)

    var isEmpty: Bool { pending.isEmpty }

    /// Whether `event` comes after its turn (earlier than what was already released).
    func isLate(_ event: AuditEvent) -> Bool { event.time < releasedThrough }

    mutating func insert(_ event: AuditEvent) {
        if let last = pending.last, Self.precedes(event, last) { isSorted = false }
        pending.append(event)
    }

    /// Releases, in order, the events earlier than `watermark`.
    mutating func release(before watermark: EventTime, _ body: (AuditEvent) -> Void) {
        guard watermark > releasedThrough else { return }
        releasedThrough = watermark
        guard !pending.isEmpty else { return }
        if !isSorted {
            pending.sort(by: Self.precedes)
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

    static func precedes(_ lhs: AuditEvent, _ rhs: AuditEvent) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        if lhs.vault != rhs.vault { return lhs.vault < rhs.vault }
        if lhs.principalID != rhs.principalID { return lhs.principalID < rhs.principalID }
        if lhs.operation != rhs.operation { return lhs.operation < rhs.operation }
        if lhs.objectName != rhs.objectName { return lhs.objectName < rhs.objectName }
        if lhs.outcome != rhs.outcome { return lhs.outcome.rawValue < rhs.outcome.rawValue }
        if lhs.location.source != rhs.location.source { return lhs.location.source < rhs.location.source }
        return lhs.location.line < rhs.location.line
    }
}
