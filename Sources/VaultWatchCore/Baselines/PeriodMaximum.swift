/// The largest value seen over a sliding window, in four bytes plus a period number.
///
/// The window is cut into periods of half its length; the maximum of the current and the
/// previous period is "the usual maximum", so a peak is forgotten between one and two half-
/// windows after it happened. Exact sets or per-day rings would cost far more per entity.
struct PeriodMaximum: Sendable, Hashable, Codable {
    var period: UInt16 = 0
    var current: UInt16 = 0
    var previous: UInt16 = 0

    /// The usual maximum as of `period`. A late record's period, the one before the current
    /// one, gets the maximum of its own period (what came before it is no longer kept); an
    /// older one gets nothing.
    func value(at period: UInt16) -> Int {
        if period == self.period { return Int(max(current, previous)) }
        if period == self.period &+ 1 { return Int(current) }
        if period &+ 1 == self.period { return Int(previous) }
        return 0
    }

    /// The maximum over at least the whole window as of `period`, unless a record of `period`
    /// itself displaced an older one: `value(at:)`, and the period before the previous one
    /// while it is still held (nothing was recorded in `period`).
    ///
    /// Why: `value(at:)` forgets a peak between one and two half-windows after it, so a fact
    /// that recurs about once a window is forgotten before it recurs (a month-end close whose
    /// first run fell in the learning days, 28 days later, was judged as if it had never read
    /// after a list). Held this way a peak lasts between two and three half-windows, at least
    /// the window, with the same four bytes; once the period holds a newer record, that one is
    /// the fact's latest size.
    func valueOverWindow(at period: UInt16) -> Int {
        max(value(at: period), value(at: period &- 1))
    }

    /// Records `value` in `period`; a late record of the previous period counts in it, an
    /// older one is too old to matter (it must not take the maximum back to its period).
    mutating func record(_ value: Int, at period: UInt16) {
        if period < self.period {
            if period &+ 1 == self.period { previous = max(previous, UInt16(clamping: value)) }
            return
        }
        rotate(to: period)
        current = max(current, UInt16(clamping: value))
    }

    private mutating func rotate(to period: UInt16) {
        guard period != self.period else { return }
        previous = period == self.period &+ 1 ? current : 0
        current = 0
        self.period = period
    }
}
