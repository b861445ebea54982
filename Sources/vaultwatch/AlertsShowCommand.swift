import ArgumentParser
import VaultWatchCore
import VaultWatchStore
import VaultWatchTUI

/// `vaultwatch alerts show ID`: one alert in full, as a person reads it: what happened, why it
/// was raised, who and what was involved, the evidence events, what to do, and its status history.
struct AlertsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one stored alert in full.")

    @Argument(help: ArgumentHelp("The alert's id, or a unique prefix of at least 4 digits.", valueName: "id"))
    var id: String

    @OptionGroup var state: StateFileOption

    @OptionGroup var configurationFile: ConfigurationOption

    @OptionGroup var directory: DirectoryOption

    func run() throws {
        // Names from the configuration's `directory`, then `--directory` over them.
        let names = try directory.names(over: configurationFile.load().directory)
        let store = try state.open(.readOnly)
        do {
            let alert = try store.alert(id: id)
            let history = try store.statusHistory(alertID: alert.id)
            StandardStreams.output(Array(Self.text(for: alert, history: history, names: names).utf8))
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// The alert as text; every value from the logs is made safe for the terminal. Ids are
    /// followed by their display name from `names` when it is known.
    static func text(for alert: Alert, history: [AlertStatusChange], names: DirectoryNames = .builtIn) -> String {
        func safe(_ text: String?) -> String { text.map(TerminalSafeText.sanitize) ?? "-" }
        func labelled(_ id: String?) -> String { safe(id.map(names.label(for:))) }
        var lines: [String] = []
        lines.append("\(safe(alert.displayName)) [\(alert.kind.rawValue)]\(alert.isSample ? " (sample)" : "")")
        lines.append("id \(alert.id) · \(alert.severity.displayName) · \(alert.status.rawValue)")
        lines.append("")
        lines.append("Description")
        lines.append("  \(safe(alert.description))")
        lines.append("")
        lines.append("Reasons")
        if alert.reasons.isEmpty { lines.append("  -") }
        for reason in alert.reasons { lines.append("  - \(safe(reason))") }
        lines.append("")
        lines.append("Entities")
        lines.append("  vault         \(safe(alert.vault))")
        lines.append("  resource id   \(safe(alert.resourceID))")
        lines.append("  principal id  \(labelled(alert.principalID))")
        lines.append("  user (UPN)    \(safe(alert.upn))")
        lines.append("  application   \(labelled(alert.appID))")
        lines.append("  caller IP     \(safe(alert.ip?.description))")
        lines.append("")
        lines.append("Activity")
        lines.append("  first seen    \(alert.firstSeen.iso8601)")
        lines.append("  last seen     \(alert.lastSeen.iso8601)")
        lines.append("  count         \(alert.count)")
        lines.append("  tactics       \(alert.tactics.isEmpty ? "-" : alert.tactics.map(\.rawValue).joined(separator: ", "))")
        lines.append("  techniques    \(alert.techniques.isEmpty ? "-" : alert.techniques.map(\.description).joined(separator: ", "))")
        lines.append("")
        lines.append("Evidence (\(alert.evidence.count) of \(alert.count) events)")
        for event in alert.evidence {
            var parts = [event.time.iso8601, safe(event.operation), event.outcome.name]
            if let code = event.httpStatusCode { parts.append(String(code)) }
            parts.append("from \(safe(event.callerIP?.description))")
            parts.append("by \(event.upn.map(safe) ?? labelled(event.principalID ?? event.appID))")
            if let name = event.objectName { parts.append("on \(event.objectKind.name) \(safe(name))") }
            if let source = event.source { parts.append("(\(safe(source)))") }
            lines.append("  " + parts.joined(separator: "  "))
            // The record as the log wrote it, one member a line, neutralised like every field.
            if let record = event.record {
                lines.append("    original record:")
                for line in RecordText.lines(record) { lines.append("      " + line) }
            }
        }
        lines.append("")
        lines.append("Remediation")
        lines.append("  \(safe(alert.remediation))")
        lines.append("")
        lines.append("Status history")
        lines.append("  active since first seen")
        for change in history {
            var line = "  \(change.changedAt)  \(change.previousStatus.rawValue) → \(change.status.rawValue)"
            if let reason = change.reason { line += ": \(safe(reason))" }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
