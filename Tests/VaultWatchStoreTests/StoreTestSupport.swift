import Foundation
import GRDB
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchStore

/// Fixtures for store tests: a fresh state path in a new temporary directory, and alerts with
/// every field filled.
enum StoreFixture {
    static func statePath(_ name: String = "state.sqlite") throws -> String {
        try TestPaths.temporaryDirectory("vaultwatch-store").appendingPathComponent("nested/dir/\(name)").path
    }

    /// A state file as an older VaultWatch left it: the schema migrated up to `version` and
    /// `user_version` saying so, for a test to fill before `AlertStore` migrates the rest.
    static func olderStateFile(schemaVersion version: Int) throws -> (path: String, queue: DatabaseQueue) {
        let path = try statePath()
        try StateFiles.createDirectory(containing: path)
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "v\(version)")
        try queue.write { try $0.execute(sql: "PRAGMA user_version = \(version)") }
        return (path, queue)
    }

    /// One sample alert of each kind, each with a distinct IP and evidence with all fields set.
    static var alerts: [Alert] {
        SampleAlerts.all(language: .en).enumerated().map { index, sample in
            var alert = sample
            alert.id = String(format: "%016x", 0xa1e7_0000 + index)
            alert.ip = IPAddress("2001:db8::\(index + 1)")
            alert.reasons = ["reason \(index)", "second, with \"quotes\", \\ and é\u{1}\t\n"]
            alert.evidence = [
                AlertEvidence(
                    time: EventTime(ticks: 17_145_576_001_234_567 + Int64(index)), vault: alert.vault, operation: "SecretGet",
                    outcome: .denied, httpStatusCode: 403, callerIP: IPAddress("192.0.2.\(index + 1)"),
                    principalID: "p-\(index)", upn: nil, appID: "app-\(index)", objectKind: .secret,
                    objectName: "s\(index)", clientInfo: "curl/8", source: "log.jsonl:\(index + 10)"),
                AlertEvidence(time: EventTime(ticks: 17_145_576_009_999_999)),
            ]
            alert.isSample = index % 2 == 0
            return alert
        }
    }

    static func openAlert(_ alert: Alert) -> AlertAggregator.OpenAlert {
        AlertAggregator.OpenAlert(
            alert: alert, entityPrincipalID: alert.principalID, entityCallerIP: alert.ip, entityOperation: "SecretPurge",
            lastTaken: alert.lastSeen + .hours(72))
    }

    static func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? -1) & 0o777
    }
}
