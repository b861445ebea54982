import ArgumentParser

/// `vaultwatch alerts …`: the alerts kept in the state file by `detect --state` and `watch`.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "List, show, export, dismiss or resolve the alerts kept in the state file.",
        discussion: """
            Alerts are kept by `vaultwatch watch` and by `vaultwatch detect --state FILE`. Every \
            subcommand takes --state FILE; without it the default state file is used.
            """,
        subcommands: [
            AlertsListCommand.self, AlertsShowCommand.self, AlertsExportCommand.self, AlertsDismissCommand.self,
            AlertsResolveCommand.self,
        ]
    )
}
