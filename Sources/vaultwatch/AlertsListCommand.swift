import ArgumentParser
import Foundation
import VaultWatchCore
import VaultWatchStore
import VaultWatchTUI

/// `vaultwatch alerts list`: one row per stored alert, oldest first sighting first.
struct AlertsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List stored alerts as a table.")

    @Option(help: ArgumentHelp("Only alerts with this status: active, dismissed or resolved.", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Only alerts of this kind, such as KV_TORAccess.", valueName: "kind"))
    var kind: String?

    @Option(help: ArgumentHelp("Only alerts on this vault.", valueName: "vault"))
    var vault: String?

    @Option(help: ArgumentHelp(
        "Only alerts last seen at or after TIME: an ISO-8601 date or date-time (UTC), or an age such as 24h or 7d.",
        valueName: "time"))
    var since: String?

    @OptionGroup var state: StateFileOption

    func validate() throws {
        _ = try filter()
    }

    func filter(now: Date = Date()) throws -> AlertFilter {
        var filter = AlertFilter(vault: vault)
        if let status {
            guard let value = AlertStatus(rawValue: status.lowercased()) else {
                throw ValidationError("--status must be active, dismissed or resolved, not \"\(status)\"")
            }
            filter.status = value
        }
        if let kind {
            guard let value = AlertKind.allCases.first(where: { $0.rawValue.lowercased() == kind.lowercased() }) else {
                throw ValidationError("--kind must be an alert kind such as KV_TORAccess, not \"\(kind)\"")
            }
            filter.kind = value
        }
        if let since {
            guard let time = AlertsTimeArgument.parse(since, now: now) else {
                throw ValidationError("--since must be an ISO-8601 date or date-time, or an age such as 24h or 7d, not \"\(since)\"")
            }
            filter.since = time
        }
        return filter
    }

    func run() throws {
        let store = try state.open(.readOnly)
        let alerts: [Alert]
        do {
            alerts = try store.alerts(matching: try filter())
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        var table = AlertsTable(columns: ["ID", "SEVERITY", "STATUS", "KIND", "VAULT", "COUNT", "LAST SEEN", "WHO"])
        for alert in alerts {
            table.add([
                alert.id, alert.severity.displayName, alert.status.rawValue, alert.kind.rawValue, alert.vault ?? "-",
                String(alert.count), alert.lastSeen.iso8601, alert.upn ?? alert.principalID ?? alert.ip?.description ?? "-",
            ])
        }
        var text = alerts.isEmpty ? "" : table.rendered
        text += "\(alerts.count) \(alerts.count == 1 ? "alert" : "alerts") in \(store.displayName)\n"
        StandardStreams.output(Array(text.utf8))
    }
}

/// `--since` values: an ISO-8601 date (`2024-05-01`, midnight UTC) or date-time, or an age
/// before now (`90m`, `24h`, `7d`).
enum AlertsTimeArgument {
    static func parse(_ text: String, now: Date) -> EventTime? {
        if let time = EventTime.parse(iso8601: text) { return time }
        if let time = EventTime.parse(iso8601: text + "T00:00:00Z") { return time }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "s": seconds = amount
        case "m": seconds = amount * 60
        case "h": seconds = amount * 3600
        case "d": seconds = amount * 86_400
        default: return nil
        }
        let nowSeconds = Int64(now.timeIntervalSince1970)
        return EventTime(secondsSince1970: nowSeconds - seconds)
    }
}
