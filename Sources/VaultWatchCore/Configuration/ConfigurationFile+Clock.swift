import TOMLKit

extension ConfigurationReader {
    /// `[clock]`: which record times are plausible (`ClockLimits`). `max_jump_hours` bounds how
    /// far a record may stray from its neighbours in its source and ahead of the wall clock;
    /// `max_lag_days` how far behind the stream's time it may be (default: `window_days`).
    func applyClock(_ root: TOMLTable, to configuration: inout DetectorConfiguration) throws(ConfigurationError) {
        guard let section = root["clock"] else { return }
        guard let table = section.table else { throw error("clock", "clock must be a table: [clock]") }
        try check(table, path: "clock", allowed: ["max_jump_hours", "max_lag_days"])
        if let hours = try integer(table, "max_jump_hours", path: "clock", range: 1...(24 * 365)) {
            configuration.clock.maximumJump = .hours(Int64(hours))
        }
        if let days = try integer(table, "max_lag_days", path: "clock", range: 1...3650) {
            configuration.clock.maximumLag = .days(Int64(days))
        }
    }
}
