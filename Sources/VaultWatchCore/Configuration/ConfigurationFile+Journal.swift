import TOMLKit

extension ConfigurationReader {
    /// `[journal]`: how much of the event stream the dashboard keeps in memory for entity
    /// pages (`JournalLimits`): `hours` of event time, and at most `events` events.
    func applyJournal(_ root: TOMLTable, to configuration: inout DetectorConfiguration) throws(ConfigurationError) {
        guard let section = root["journal"] else { return }
        guard let table = section.table else { throw error("journal", "journal must be a table: [journal]") }
        try check(table, path: "journal", allowed: ["hours", "events"])
        if let hours = try integer(table, "hours", path: "journal", range: 1...(24 * 31)) {
            configuration.journal.hours = hours
        }
        if let events = try integer(table, "events", path: "journal", range: 1_000...100_000_000) {
            configuration.journal.maximumEvents = events
        }
    }
}
