import ArgumentParser
import VaultWatchCore

/// `--config FILE`: the configuration file (TOML, docs/configuration.md), read the same way by
/// every command that takes it: `detect`, `watch` and `demo` for everything in it, `hunt` for
/// its clock limits and directory, `alerts show` and `alerts export` for its directory. Unknown
/// keys and bad lines stop every one of them alike.
struct ConfigurationOption: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file (TOML): thresholds, learning, allow-lists, suppressions, clock limits, directory, journal. See docs/configuration.md.", valueName: "file"))
    var path: String?

    /// The file over `base` (`base` itself without `--config`).
    /// - Throws: `CommandFailure` naming the file, line and problem.
    func load(over base: DetectorConfiguration = DetectorConfiguration()) throws -> DetectorConfiguration {
        guard let path else { return base }
        do {
            return try ConfigurationFile.load(path: path, over: base)
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}
