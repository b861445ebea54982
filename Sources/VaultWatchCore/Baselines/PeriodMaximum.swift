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
        let holders = Self.holders(of: period, stored: self.period)
        return Int(max(holders.current ? current : 0, holders.previous ? previous : 0))
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
        switch Self.recording(at: period, stored: self.period) {
        case .tooOld: return
        case .previous: previous = max(previous, UInt16(clamping: value))
        case .current: current = max(current, UInt16(clamping: value))
        case .rotating(let keepsCurrent):
            previous = keepsCurrent ? current : 0
            current = UInt16(clamping: value)
            self.period = period
        }
    }

    // MARK: - The periods' rules, shared with `ObjectFingerprint`

    /// Which of a value's two periods, the current one being `stored`, hold it as of `asked`.
    static func holders(of asked: UInt16, stored: UInt16) -> (current: Bool, previous: Bool) {
        if asked == stored { return (true, true) }
        if asked == stored &+ 1 { return (true, false) }
        if asked &+ 1 == stored { return (false, true) }
        return (false, false)
    }

    /// Where a record of period `period` goes, the current period being `stored`.
    enum Recording: Equatable {
        /// Older than the previous period: too old to matter (it must not take the value back).
        case tooOld
        /// A late record of the previous period.
        case previous
        case current
        /// A new period: the current one becomes the previous one when it is the period just
        /// before (`keepsCurrent`), else both are emptied.
        case rotating(keepsCurrent: Bool)
    }

    static func recording(at period: UInt16, stored: UInt16) -> Recording {
        if period < stored { return period &+ 1 == stored ? .previous : .tooOld }
        if period == stored { return .current }
        return .rotating(keepsCurrent: period == stored &+ 1)
    }
}
