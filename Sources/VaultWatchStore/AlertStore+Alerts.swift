import Foundation
import GRDB
import VaultWatchCore

extension AlertStore {
    /// Stored alerts matching `filter`, ordered as `detect` prints them: by first sighting,
    /// then kind, then id.
    public func alerts(matching filter: AlertFilter = AlertFilter()) throws(StoreError) -> [Alert] {
        let path = displayName
        return try read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let status = filter.status {
                conditions.append("status = ?")
                _ = arguments.append(contentsOf: [status.rawValue])
            }
            if let kind = filter.kind {
                conditions.append("kind = ?")
                _ = arguments.append(contentsOf: [kind.rawValue])
            }
            if let vault = filter.vault {
                conditions.append("vault = ?")
                _ = arguments.append(contentsOf: [vault.lowercased()])
            }
            if let since = filter.since {
                conditions.append("last_seen >= ?")
                _ = arguments.append(contentsOf: [since.ticks])
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let decoder = JSONDecoder()
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(AlertRow.columns) FROM alert \(whereClause) ORDER BY first_seen, kind, id",
                arguments: arguments)
            var alerts: [Alert] = []
            while let row = try rows.next() { alerts.append(try AlertRow.alert(from: row, decoder: decoder, path: path)) }
            return alerts
        }
    }

    /// The alert whose id is `id`, or the only one whose id starts with it (at least 4 digits),
    /// with its evidence's original records (`alerts(matching:)` leaves them out: they are
    /// read for one alert at a time).
    /// - Throws: `StoreError.alertNotFound` or `.ambiguousAlertID`.
    public func alert(id: String) throws(StoreError) -> Alert {
        let path = displayName
        let key = id.lowercased()
        return try read { db in
            var alert = try Self.alert(key: key, id: id, path: path, db: db)
            try EvidenceRecordRow.attach(to: &alert, in: db)
            return alert
        }
    }

    /// The stored alerts whose ids are among `ids` (without their evidence's original records),
    /// by id; an id the file does not hold has no entry. One read for them all: the recorder
    /// asks once a save for the alerts it is about to write, not once an alert.
    func storedAlerts(exactIDs ids: [String]) throws(StoreError) -> [String: Alert] {
        guard !ids.isEmpty else { return [:] }
        let path = displayName
        return try read { db in try Self.storedAlerts(exactIDs: ids, in: db, path: path) }
    }

    /// `storedAlerts(exactIDs:)` in a transaction already open.
    static func storedAlerts(exactIDs ids: [String], in db: Database, path: String) throws -> [String: Alert] {
        var alerts: [String: Alert] = [:]
        let decoder = JSONDecoder()
        // In slices: SQLite limits the parameters of one statement (999 before 3.32).
        var start = ids.startIndex
        while start < ids.endIndex {
            let slice = ids[start..<min(ids.endIndex, start + 500)]
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            let rows = try Row.fetchCursor(
                db, sql: "SELECT \(AlertRow.columns) FROM alert WHERE id IN (\(marks))", arguments: StatementArguments(Array(slice)))
            while let row = try rows.next() {
                let alert = try AlertRow.alert(from: row, decoder: decoder, path: path)
                alerts[alert.id] = alert
            }
            start = slice.endIndex
        }
        return alerts
    }

    private static func alert(key: String, id: String, path: String, db: Database) throws -> Alert {
        let decoder = JSONDecoder()
        if let row = try Row.fetchOne(db, sql: "SELECT \(AlertRow.columns) FROM alert WHERE id = ?", arguments: [key]) {
            return try AlertRow.alert(from: row, decoder: decoder, path: path)
        }
        guard key.count >= 4, key.allSatisfy(\.isHexDigit) else { throw StoreError.alertNotFound(id: id, path: path) }
        let rows = try Row.fetchAll(
            db, sql: "SELECT \(AlertRow.columns) FROM alert WHERE id >= ? AND id < ? ORDER BY id LIMIT 4",
            arguments: [key, key + "g"])
        if rows.count > 1 { throw StoreError.ambiguousAlertID(prefix: id, matches: rows.map { $0["id"] }) }
        guard let row = rows.first else { throw StoreError.alertNotFound(id: id, path: path) }
        return try AlertRow.alert(from: row, decoder: decoder, path: path)
    }

    /// The alert's status changes, oldest first.
    public func statusHistory(alertID: String) throws(StoreError) -> [AlertStatusChange] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT previous_status, status, changed_at, reason FROM alert_status_change WHERE alert_id = ? ORDER BY sequence",
                arguments: [alertID]
            ).map { row in
                AlertStatusChange(
                    alertID: alertID, previousStatus: AlertStatus(rawValue: row["previous_status"]) ?? .active,
                    status: AlertStatus(rawValue: row["status"]) ?? .active, changedAt: row["changed_at"],
                    reason: row["reason"])
            }
        }
    }

    /// Moves an alert to `status` (a person dismissing or resolving it; `.active` reopens it)
    /// and records the change with its time and reason, in one transaction. Detection never
    /// changes a status back: repeats update the alert and keep the status set here.
    /// - Parameters:
    ///   - id: the alert's id or a unique prefix of it.
    ///   - now: the wall-clock time recorded for the change.
    /// - Returns: the alert in its new state.
    /// - Throws: `StoreError.alertNotFound`, `.ambiguousAlertID`, `.statusUnchanged`, or a storage failure.
    @discardableResult
    public func setStatus(_ status: AlertStatus, alertID id: String, reason: String? = nil, now: Date = Date()) throws(StoreError) -> Alert {
        var alert = try alert(id: id)
        guard alert.status != status else { throw StoreError.statusUnchanged(id: alert.id, status: alert.status.rawValue) }
        let previous = alert.status
        let reason = reason.flatMap { $0.isEmpty ? nil : $0 }
        let changedAt = Self.iso8601(now)
        try write { db in
            try db.execute(sql: "UPDATE alert SET status = ? WHERE id = ?", arguments: [status.rawValue, alert.id])
            try db.execute(
                sql: "INSERT INTO alert_status_change (alert_id, previous_status, status, changed_at, reason) VALUES (?, ?, ?, ?, ?)",
                arguments: [alert.id, previous.rawValue, status.rawValue, changedAt, reason])
        }
        alert.status = status
        return alert
    }

    /// How many alerts are stored.
    public func alertCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert") ?? 0 }
    }

    /// Wall-clock time as ISO-8601 UTC to the millisecond.
    static func iso8601(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        return EventTime(ticks: milliseconds * (EventTime.ticksPerSecond / 1000)).iso8601
    }
}
