import VaultWatchCore
import VaultWatchTUI

extension DetectionOptions {
    /// The dashboard's key table: the defaults with the `[keys]` of `--config FILE` applied, so
    /// the key handler, the footer and the help screen all show the user's keys.
    /// - Throws: `CommandFailure` naming the file, line and problem of a bad `[keys]` line.
    func keyMap() throws -> KeyMap {
        guard let configPath else { return KeyMap() }
        do {
            return try KeyMap(overrides: ConfigurationFile.keyOverrides(path: configPath))
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}
