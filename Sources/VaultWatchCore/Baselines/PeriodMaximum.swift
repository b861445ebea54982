/// The largest value seen over a sliding window, in four bytes plus a period number.
///
/// The window is cut into periods of half its length; the maximum of the current and the
/// previous period is "the usual maximum", so a peak is forgotten between one and two half-
/// windows after it happened. Exact sets or per-day rings would cost far more per entity.
struct PeriodMaximum: Sendable, Hashable, Codable {
    var period: UInt16 = 0
    var current: UInt16 = 0
    var previous: UInt16 = 0

    /// The usual maximum as of `period`.
    func value(at period: UInt16) -> Int {
        if period == self.period { return Int(max(current, previous)) }
        if period == self.period &+ 1 { return Int(current) }
        return 0
    }

    mutating func record(_ value: Int, at period: UInt16) {
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
