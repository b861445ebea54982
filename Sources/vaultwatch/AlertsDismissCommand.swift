import ArgumentParser

/// `vaultwatch alerts dismiss ID`: the alert was not a threat (a false positive, expected activity).
struct AlertsDismissCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dismiss", abstract: "Mark a stored alert dismissed (not a threat).")

    @Argument(help: ArgumentHelp("The alert's id, or a unique prefix of at least 4 digits.", valueName: "id"))
    var id: String

    @Option(help: ArgumentHelp("Why, kept in the alert's status history.", valueName: "text"))
    var reason: String?

    @OptionGroup var state: StateFileOption

    func run() throws {
        try AlertsStatusChange.run(.dismissed, id: id, reason: reason, state: state)
    }
}
