import GRDB

/// What a state file says of its schema, read in one transaction when it is opened: the version
/// it was last brought to, the migrations recorded in it, and whether it holds anything at all.
///
/// Why one read: every run opens its file, and the version check and the migrations' check each
/// read it on their own (two transactions, `PRAGMA user_version` and `grdb_migrations` twice, and
/// GRDB's listing of every table to ask whether `grdb_migrations` is one): 6 of the 30 statements
/// SQLite prepared before a short `detect --state` on an existing file read its first record
/// (issue 11). The schema itself is read, and a damaged file refused, by the connection's setting
/// up (GRDB reads `sqlite_master` as it opens), before this.
struct SchemaState {
    /// `PRAGMA user_version`: the latest migration applied (0 for a file VaultWatch never wrote).
    let userVersion: Int
    /// The migrations recorded as applied, known to this VaultWatch or not.
    let applied: Set<String>
    /// Nothing in the file yet: no table, no index.
    let isEmpty: Bool

    init(of queue: DatabaseQueue, path: String) throws(StoreError) {
        do {
            (userVersion, applied, isEmpty) = try queue.read { db in
                (try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0,
                 try StoreSchema.migrator.appliedIdentifiers(db),
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0)
            }
        } catch {
            throw AlertStore.storeError(error, path: path)
        }
    }

    /// Every migration this VaultWatch knows is applied, and the version is the latest.
    var isCurrent: Bool {
        userVersion == StoreSchema.latestVersion && Set(StoreSchema.identifiers).isSubset(of: applied)
    }

    /// Refuses a file written by a newer VaultWatch: a version above the latest known, or a
    /// migration this one does not know, naming both versions.
    func refuseNewer(path: String) throws(StoreError) {
        let unknown = applied.subtracting(StoreSchema.identifiers)
        let fileVersion = ([userVersion] + unknown.map { StoreSchema.version(of: $0) ?? StoreSchema.latestVersion + 1 }).max() ?? 0
        if fileVersion > StoreSchema.latestVersion || !unknown.isEmpty {
            throw StoreError.newerSchema(path: path, fileVersion: max(fileVersion, StoreSchema.latestVersion + 1), knownVersion: StoreSchema.latestVersion)
        }
    }
}
