import ArgumentParser
import Foundation
import VaultWatchStore

/// `--state FILE` / `--no-state` for `watch`: unlike `detect`, `watch` keeps its state by
/// default (DESIGN.md §6), in `$XDG_STATE_HOME/vaultwatch/state.sqlite`, else
/// `~/.local/state/vaultwatch/state.sqlite`, so a restarted dashboard resumes where it stopped.
struct WatchStateOptions: ParsableArguments {
    @Option(name: .customLong("state"), help: ArgumentHelp(
        "Resume from and save to this state file (default: $XDG_STATE_HOME/vaultwatch/state.sqlite, else ~/.local/state/vaultwatch/state.sqlite).",
        valueName: "file"))
    var statePath: String?

    @Flag(name: .customLong("no-state"), help: "Keep everything in memory: a restart learns again and reads from the start or the end.")
    var noState = false

    func validate() throws {
        if noState, statePath != nil { throw ValidationError("--state and --no-state cannot be used together") }
    }

    /// The state file to use, or nil with `--no-state`.
    func path(environment: [String: String]) -> String? {
        noState ? nil : statePath ?? StateLocation.defaultFile(environment: environment)
    }
}
