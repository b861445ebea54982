import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `vaultwatch` command line (DESIGN.md §6). Usage and input-file errors exit 1 with one
/// line naming the problem; help exits 0.
@main
struct VaultWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vaultwatch",
        abstract: "Watch Azure Key Vault audit logs and raise threat alerts.",
        discussion: "Run `vaultwatch detect PATH…` to print alerts as JSON lines.",
        subcommands: [DetectCommand.self, HuntCommand.self, SampleAlertsCommand.self, DemoCommand.self, AlertsCommand.self, WatchCommand.self]
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help, --version: ArgumentParser's text, on stdout.
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            if let failure = error as? CommandFailure {
                StandardStreams.error("vaultwatch: \(failure.message)")
            } else {
                // One line naming the problem, like every other usage or input-file error
                // (README "Commands"); `--help` shows the usage.
                let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                StandardStreams.error("vaultwatch: \(message)")
            }
            Glibc.exit(1)
        }
    }
}

/// A usage or input-file problem, reported as one line and exit status 1.
struct CommandFailure: Error {
    var message: String
}
