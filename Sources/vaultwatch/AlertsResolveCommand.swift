import ArgumentParser

/// `vaultwatch alerts resolve ID`: the alert was dealt with (credentials rotated, access revoked).
struct AlertsResolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Mark a stored alert resolved (dealt with).")

    @Argument(help: ArgumentHelp("The alert's id, or a unique prefix of at least 4 digits.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("What was done, kept in the alert's status history.", valueName: "text"))
    var reason: String?

    @OptionGroup var state: StateFileOption

    func run() throws {
        try AlertsStatusChange.run(.resolved, id: id, reason: reason, state: state)
    }
}
