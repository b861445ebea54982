import ArgumentParser

/// `vaultwatch demo …`: the bundled demo tenant. A group: `demo generate` writes its logs.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The demo tenant: generate its audit logs.",
        subcommands: [DemoGenerateCommand.self]
    )
}
