import ArgumentParser

@main
struct VaultWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaultwatch",
        abstract: "Watch Azure Key Vault audit logs and raise threat alerts.",
        subcommands: []
    )
}
