import Foundation
import GRDB
import VaultWatchCore

/// An `Alert` as a row of the `alert` table: scalar fields as columns, lists as JSON text.
enum AlertRow {
    static let columns = """
        id, kind, display_name, severity, status, vault, resource_id, principal_id, upn, app_id, ip, \
        first_seen, last_seen, count, reasons, tactics, techniques, evidence, description, remediation, is_sample
        """

    /// The statement of `upsert`: the stored status, set by a person, is not among the columns
    /// it updates.
    static let upsertSQL = """
        INSERT INTO alert (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET
            kind = excluded.kind, display_name = excluded.display_name, severity = excluded.severity,
            vault = excluded.vault, resource_id = excluded.resource_id, principal_id = excluded.principal_id,
            upn = excluded.upn, app_id = excluded.app_id, ip = excluded.ip, first_seen = excluded.first_seen,
            last_seen = excluded.last_seen, count = excluded.count, reasons = excluded.reasons,
            tactics = excluded.tactics, techniques = excluded.techniques, evidence = excluded.evidence,
            description = excluded.description, remediation = excluded.remediation, is_sample = excluded.is_sample
        """

    /// Inserts `alert`, or updates the stored one's detection fields. The stored status, set by
    /// a person, is kept.
    static func upsert(_ alert: Alert, in db: Database) throws {
        try upsert([alert], in: db)
    }

    /// `upsert` for each of `alerts`, with the statements looked up once for them all: GRDB's
    /// statement cache hashes the whole text of a statement at each look-up (a look-up an alert
    /// was 0.6 M instructions of the demo tenant's end save, 39 alerts).
    static func upsert(_ alerts: [Alert], in db: Database) throws {
        guard !alerts.isEmpty else { return }
        let statement = try db.cachedStatement(sql: upsertSQL)
        var records = EvidenceRecordRow.Writer()
        for alert in alerts {
            try statement.execute(arguments: [
                alert.id, alert.kind.rawValue, alert.displayName, alert.severity.rawValue, alert.status.rawValue,
                alert.vault, alert.resourceID, alert.principalID, alert.upn, alert.appID, alert.ip?.description,
                alert.firstSeen.ticks, alert.lastSeen.ticks, alert.count,
                StoredJSON.strings(alert.reasons), StoredJSON.strings(alert.tactics.map(\.rawValue)),
                StoredJSON.techniques(alert.techniques), StoredJSON.evidence(alert.evidence),
                alert.description, alert.remediation, alert.isSample,
            ])
            try records.save(alert, in: db)
        }
    }

    /// The alert in `row` (selected with `columns`).
    /// - Throws: `StoreError.corrupt` for a value no VaultWatch writes.
    static func alert(from row: Row, decoder: JSONDecoder, path: String) throws -> Alert {
        let id: String = row["id"]
        func bad(_ column: String) -> StoreError {
            .corrupt(path: path, detail: "alert \(id): unreadable \(column)")
        }
        guard let kind = AlertKind(rawValue: row["kind"]) else { throw bad("kind") }
        guard let severity = Severity(rawValue: row["severity"]) else { throw bad("severity") }
        guard let status = AlertStatus(rawValue: row["status"]) else { throw bad("status") }
        func decode<T: Decodable>(_ type: T.Type, _ column: String) throws -> T {
            let text: String = row[column]
            do {
                return try decoder.decode(type, from: Data(text.utf8))
            } catch {
                throw bad(column)
            }
        }
        let tactics = try decode([String].self, "tactics").compactMap(AttackTactic.init(rawValue:))
        let ipText: String? = row["ip"]
        return Alert(
            id: id, kind: kind, displayName: row["display_name"], severity: severity, status: status,
            vault: row["vault"], resourceID: row["resource_id"], principalID: row["principal_id"], upn: row["upn"],
            appID: row["app_id"], ip: ipText.flatMap(IPAddress.init), firstSeen: EventTime(ticks: row["first_seen"]),
            lastSeen: EventTime(ticks: row["last_seen"]), count: row["count"],
            reasons: try decode([String].self, "reasons"),
            evidence: try decode([StoredEvidence].self, "evidence").map(\.evidence), tactics: tactics,
            techniques: try decode([AttackTechnique].self, "techniques"), description: row["description"],
            remediation: row["remediation"], isSample: row["is_sample"])
    }

}
