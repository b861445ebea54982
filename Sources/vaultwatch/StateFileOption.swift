import ArgumentParser
import Foundation
import VaultWatchStore

/// `--state FILE` for the `alerts` commands: the state file to read, else the default location
/// (`$XDG_STATE_HOME/vaultwatch/state.sqlite`, else `~/.local/state/vaultwatch/state.sqlite`).
struct StateFileOption: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp(
        "The state file (default: $XDG_STATE_HOME/vaultwatch/state.sqlite, else ~/.local/state/vaultwatch/state.sqlite).",
        valueName: "file"))
    var statePath: String?

    var path: String { statePath ?? StateLocation.defaultFile(environment: ProcessInfo.processInfo.environment) }

    /// Opens the state file.
    /// - Throws: `CommandFailure` with the store's one-line message.
    func open(_ access: AlertStore.Access) throws -> AlertStore {
        do {
            return try AlertStore(path: path, access: access)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}
