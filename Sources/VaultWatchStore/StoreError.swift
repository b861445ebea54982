/// Why the state file could not be used, in words a user can act on. Every case names the file.
///
/// Each one ends `detect --state` and the `alerts` commands with one line and exit status 1;
/// nothing reported as stored is lost (a failed transaction leaves the last committed state).
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file is not a SQLite database, or SQLite found it damaged.
    case corrupt(path: String, detail: String)
    /// The file, its directory or its file system cannot be written.
    case readOnly(path: String, detail: String)
    /// The disk (or the file's size limit) is full: the last transaction was rolled back.
    case diskFull(path: String)
    /// The file was written by a newer VaultWatch whose schema this one does not know.
    case newerSchema(path: String, fileVersion: Int, knownVersion: Int)
    /// Another `vaultwatch` is detecting into the same file.
    case inUse(path: String, holder: String?)
    /// `alerts` commands read an existing file only.
    case missing(path: String)
    /// The file or its directory could not be created or opened.
    case cannotOpen(path: String, detail: String)
    /// Any other SQLite failure.
    case database(path: String, detail: String)
    case alertNotFound(id: String, path: String)
    case ambiguousAlertID(prefix: String, matches: [String])
    case statusUnchanged(id: String, status: String)
    /// The detector's saved state could not be read back (a newer format) or written.
    case detectorState(path: String, detail: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let detail):
            "state file \(path) is damaged or not a VaultWatch state database (\(detail)); move it aside to start afresh"
        case .readOnly(let path, let detail):
            "state file \(path) cannot be written (\(detail)); use a writable --state FILE or --no-state"
        case .diskFull(let path):
            "disk full while saving state to \(path); the last save was rolled back, earlier saves are intact"
        case .newerSchema(let path, let fileVersion, let knownVersion):
            "state file \(path) was written by a newer VaultWatch (schema version \(fileVersion); this version knows up to \(knownVersion)); upgrade vaultwatch or use another --state FILE"
        case .inUse(let path, let holder):
            "state file \(path) is in use by another vaultwatch\(holder.map { " (pid \($0))" } ?? ""); stop it or use another --state FILE"
        case .missing(let path):
            "no state file at \(path); run `vaultwatch detect --state \(path) …` first, or name one with --state FILE"
        case .cannotOpen(let path, let detail):
            "cannot open state file \(path): \(detail)"
        case .database(let path, let detail):
            "state file \(path): \(detail)"
        case .alertNotFound(let id, let path):
            "no alert with id \(id) in \(path)"
        case .ambiguousAlertID(let prefix, let matches):
            "alert id \(prefix) is ambiguous: it starts \(matches.count) alerts (\(matches.prefix(3).joined(separator: ", "))…)"
        case .statusUnchanged(let id, let status):
            "alert \(id) is already \(status)"
        case .detectorState(let path, let detail):
            "state file \(path): the detector's saved baselines cannot be used (\(detail)); use another --state FILE"
        }
    }
}
