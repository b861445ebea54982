import TOMLKit

extension ConfigurationReader {
    /// `[clock]`: which record times are plausible (`ClockLimits`). `max_ahead_hours` bounds how
    /// far ahead of the wall clock a record may be, `max_jump_days` how far it may stray from its
    /// neighbours in its source, `max_lag_days` how far behind the stream's time it may be
    /// (default: `window_days`).
    func applyClock(_ root: TOMLTable, to configuration: inout DetectorConfiguration) throws(ConfigurationError) {
        guard let section = root["clock"] else { return }
        guard let table = section.table else { throw error("clock", "clock must be a table: [clock]") }
        try check(table, path: "clock", allowed: ["max_ahead_hours", "max_jump_days", "max_lag_days"])
        if let hours = try integer(table, "max_ahead_hours", path: "clock", range: 1...(24 * 365)) {
            configuration.clock.maximumAhead = .hours(Int64(hours))
        }
        if let days = try integer(table, "max_jump_days", path: "clock", range: 1...3650) {
            configuration.clock.maximumJump = .days(Int64(days))
        }
        if let days = try integer(table, "max_lag_days", path: "clock", range: 1...3650) {
            configuration.clock.maximumLag = .days(Int64(days))
        }
    }
}
