import ArgumentParser
import VaultWatchCore

/// `--directory FILE`: display names for object and app ids, from `az ad sp list --all` /
/// `az ad user list` / Microsoft Graph JSON or an `id,displayName` CSV, over the built-in table
/// of Microsoft first-party applications (and over the configuration's `directory`, if any).
struct DirectoryOption: ParsableArguments {
    @Option(name: .customLong("directory"), help: ArgumentHelp(
        "Display names for object and app ids: az ad sp list / az ad user list / Graph JSON, or an id,displayName CSV.",
        valueName: "file"))
    var directoryPath: String?

    /// `base` with the names of `--directory` over it.
    /// - Throws: `CommandFailure` naming the file and line of a bad entry.
    func names(over base: DirectoryNames = .builtIn) throws -> DirectoryNames {
        guard let directoryPath else { return base }
        do {
            return try DirectoryFile.load(path: directoryPath, over: base)
        } catch {
            throw CommandFailure(message: error.description)
        }
    }
}
