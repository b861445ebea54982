import GRDB
import VaultWatchCore

/// The original records of an alert's evidence events as rows of `evidence_record`, by the
/// evidence's position in the alert (evidence is only ever appended, so a position keeps its
/// event). Written once per position: an update of the alert rewrites its row, not these.
enum EvidenceRecordRow {
    static func save(_ alert: Alert, in db: Database) throws {
        var writer = Writer()
        try writer.save(alert, in: db)
    }

    /// Saves the records of alert after alert with one statement, looked up at the first record
    /// (`AlertRow.upsert(_:in:)` for many alerts).
    struct Writer {
        private var statement: Statement?

        mutating func save(_ alert: Alert, in db: Database) throws {
            guard alert.evidence.contains(where: { $0.record != nil }) else { return }
            let statement = try self.statement ?? db.cachedStatement(
                sql: "INSERT OR IGNORE INTO evidence_record (alert_id, position, record) VALUES (?, ?, ?)")
            self.statement = statement
            for (position, evidence) in alert.evidence.enumerated() {
                guard let record = evidence.record else { continue }
                try statement.execute(arguments: [alert.id, position, record])
            }
        }
    }

    /// Sets the stored records on `alert`'s evidence.
    static func attach(to alert: inout Alert, in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT position, record FROM evidence_record WHERE alert_id = ?", arguments: [alert.id])
        for row in rows {
            let position: Int = row["position"]
            guard alert.evidence.indices.contains(position) else { continue }
            alert.evidence[position].record = row["record"]
        }
    }
}
