import Foundation
import GRDB
import Testing
@testable import VaultWatchStore

/// A new state file is created with the latest schema in one transaction
/// (`StoreSchema.createLatest`); an older file applies the migrations it lacks one at a time.
/// Both must leave the same file, or a new file and an upgraded one would behave differently.
@Suite("The schema of a new file")
struct StoreSchemaTests {
    /// Everything that defines a schema: each table, index and trigger's statement as SQLite
    /// keeps it (`ALTER TABLE … ADD COLUMN` splices its column into the `CREATE TABLE` text, so
    /// white space is left out), each table's columns (name, type, not null, default, key), the
    /// applied migrations and `user_version`.
    static func schema(of queue: DatabaseQueue) throws -> [String] {
        try queue.read { db in
            let objects = try Row.fetchAll(
                db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
            var lines = objects.map { row -> String in
                let sql: String? = row["sql"]
                let text = (sql ?? "").filter { !$0.isWhitespace }
                return "\(row["type"] as String) \(row["name"] as String) on \(row["tbl_name"] as String): \(text)"
            }
            for table in objects where (table["type"] as String) == "table" {
                let name: String = table["name"]
                for column in try Row.fetchAll(db, sql: "PRAGMA table_xinfo(\(name.quotedDatabaseIdentifier))") {
                    lines.append("column \(name).\(column["name"] as String) \(column["type"] as String) notnull=\(column["notnull"] as Int) default=\(column["dflt_value"] as String? ?? "-") pk=\(column["pk"] as Int)")
                }
            }
            lines += try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier").map { "applied \($0)" }
            lines.append("user_version \(try Int.fetchOne(db, sql: "PRAGMA user_version") ?? -1)")
            return lines
        }
    }

    /// A file of every older version, upgraded migration by migration, against a new file.
    @Test(arguments: 1..<StoreSchema.latestVersion)
    func aNewFileHasTheSchemaOfAFileMigratedStepByStep(from version: Int) throws {
        // Step by step, as a file of that version is upgraded.
        let (migratedPath, olderQueue) = try StoreFixture.olderStateFile(schemaVersion: version)
        try olderQueue.close()
        _ = try AlertStore(path: migratedPath, access: .detection)
        let migrated = try DatabaseQueue(path: migratedPath)
        // In one step, as `detect --state` creates a new file.
        let newPath = try StoreFixture.statePath()
        // A file that did not exist appears at its first save (`NewFileSetUp`).
        try AlertStore(path: newPath, access: .detection).save(DetectionProgress())
        let created = try DatabaseQueue(path: newPath)

        let expected = try Self.schema(of: migrated)
        #expect(expected.contains("applied v\(StoreSchema.latestVersion)"))
        #expect(expected.contains { $0.hasPrefix("column source_checkpoint.skip_events") })
        // A migration added to `StoreSchema.migrations` without `latestSchema` following it,
        // or a column in another place or of another type, fails here, table by table and
        // column by column.
        let actual = try Self.schema(of: created)
        #expect(actual.filter { !expected.contains($0) } == [], "in a new file only")
        #expect(expected.filter { !actual.contains($0) } == [], "in a migrated file only")
        #expect(actual == expected)
    }

    /// The point of `createLatest`: a new file's tables are made once, never altered after
    /// (each `ALTER TABLE` rewrites and parses the whole schema again).
    @Test func aNewFileIsCreatedWithoutAlteringATable() throws {
        let queue = try DatabaseQueue()
        let run = try queue.write { db in
            var statements: [String] = []
            db.trace { event in statements.append("\(event)") }
            try StoreSchema.createLatest(in: db)
            db.trace(options: [])
            return statements
        }
        #expect(run.contains { $0.hasPrefix("CREATE TABLE source_checkpoint") })
        #expect(run.filter { $0.uppercased().contains("ALTER TABLE") } == [])
        #expect(try queue.read { try StoreSchema.migrator.hasCompletedMigrations($0) })
    }

    /// A save rewrites the detector's state, one blob of megabytes, a page at a time: a new file
    /// is made of 16 KiB pages (a quarter of the system calls of 4 KiB pages); a file made
    /// before keeps its pages (SQLite can change them only by rewriting the whole file). Either
    /// way SQLite copies the log into the database after about 4 MiB of it, as with 1,000 pages of 4 KiB.
    @Test func aNewFileHasLargePagesAndAnOlderFileKeepsItsOwn() throws {
        let newPath = try StoreFixture.statePath()
        let created = try AlertStore(path: newPath, access: .detection)
        try created.save(DetectionProgress(alerts: [StoreFixture.alerts[0]]))
        #expect(try created.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 16_384)
        #expect(try created.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 256)
        let (olderPath, olderQueue) = try StoreFixture.olderStateFile(schemaVersion: StoreSchema.latestVersion - 1)
        try olderQueue.close()
        let older = try AlertStore(path: olderPath, access: .detection)
        try older.save(DetectionProgress(alerts: [StoreFixture.alerts[0]]))
        #expect(try older.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 4_096)
        #expect(try older.read { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 1_024)
        #expect(try AlertStore(path: newPath, access: .readOnly).alerts() == [StoreFixture.alerts[0]])
    }

    @Test func aNewFileRecordsEveryMigrationAsAppliedAndOpensAgain() throws {
        let path = try StoreFixture.statePath()
        let store = try AlertStore(path: path, access: .detection)
        try store.save(DetectionProgress(alerts: [StoreFixture.alerts[0]]))
        // GRDB's migrator records each migration it runs; `createLatest` records them all, so
        // the next open finds nothing to apply (a migration run twice would fail).
        #expect(try store.read { try StoreSchema.migrator.appliedIdentifiers($0) } == Set(StoreSchema.identifiers))
        #expect(try store.read { try StoreSchema.migrator.hasCompletedMigrations($0) })
        let reopened = try AlertStore(path: path, access: .readWrite)
        #expect(try reopened.alerts() == [StoreFixture.alerts[0]])
    }
}
