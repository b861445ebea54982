import GRDB

/// The state file's schema, as versioned migrations from the first schema on.
///
/// A migration, once released, never changes: a new schema is a new migration appended here.
/// Versions are the migrations' numbers (`v1` is 1); `PRAGMA user_version` holds the latest
/// applied, so a file written by a newer VaultWatch is recognised and refused by name.
///
/// An older file applies the migrations it lacks, one transaction each (`migrator`); a new file
/// is created at the latest schema in one step (`createLatest(in:)`, from `latestSchema`), which
/// the tests hold equal to what the migrations leave.
enum StoreSchema {
    /// One step of the schema: its identifier (`v3`) and its statements.
    struct Migration: Sendable {
        let identifier: String
        let apply: @Sendable (Database) throws -> Void
    }

    /// The migration identifiers in order; the version of each is its position from 1.
    static var identifiers: [String] { migrations.map(\.identifier) }

    static var latestVersion: Int { migrations.count }

    /// The version a migration identifier stands for (`v3` → 3), or nil for a foreign one.
    static func version(of identifier: String) -> Int? {
        guard identifier.hasPrefix("v") else { return nil }
        return Int(identifier.dropFirst())
    }

    /// Every migration, each in its own transaction, for a file that has some or none of them.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations { migrator.registerMigration(migration.identifier, migrate: migration.apply) }
        return migrator
    }

    /// Creates the latest schema in a new, empty file, in the caller's transaction: the tables
    /// and indexes as a file migrated from `v1` has them (`latestSchema`), every migration
    /// recorded as applied as `migrator` records it (`grdb_migrations`), and `user_version`.
    ///
    /// Why not run the migrations: each `ALTER TABLE … ADD COLUMN` makes SQLite rewrite the
    /// table's statement and parse the whole schema again, and seven of them were 2.9 ms of the
    /// demo tenant's 0.1 s `detect --state` run (issue 11), paid by the file every first run
    /// creates. `StoreSchemaTests` checks that a file created here and a file migrated from
    /// every older version have the same tables, columns, indexes and applied migrations.
    static func createLatest(in db: Database) throws {
        try db.execute(sql: latestSchema)
        let applied = migrations.map { "('\($0.identifier)')" }.joined(separator: ", ")
        try db.execute(sql: """
            CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
            INSERT INTO grdb_migrations (identifier) VALUES \(applied);
            PRAGMA user_version = \(latestVersion);
            """)
    }

    /// The schema every migration leaves, as statements creating it at once: each table's
    /// columns in the order the migrations added them, each index as its migration made it.
    /// It repeats the migrations' statements on purpose: a migration, once released, never
    /// changes, while this text follows the latest schema; text shared between the two would let
    /// an edit meant for new files change what an old file's upgrade runs.
    /// - Important: a new migration changes this too (the tests fail until it does).
    static let latestSchema = """
        CREATE TABLE alert (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            display_name TEXT NOT NULL,
            severity TEXT NOT NULL,
            status TEXT NOT NULL,
            vault TEXT,
            resource_id TEXT,
            principal_id TEXT,
            upn TEXT,
            app_id TEXT,
            ip TEXT,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            count INTEGER NOT NULL,
            reasons TEXT NOT NULL,
            tactics TEXT NOT NULL,
            techniques TEXT NOT NULL,
            evidence TEXT NOT NULL,
            description TEXT NOT NULL,
            remediation TEXT NOT NULL,
            is_sample INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX alert_by_first_seen ON alert(first_seen, kind, id);
        CREATE INDEX alert_by_vault ON alert(vault);
        CREATE INDEX alert_by_last_seen ON alert(last_seen);
        CREATE TABLE alert_status_change (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT,
            alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
            previous_status TEXT NOT NULL,
            status TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            reason TEXT
        );
        CREATE INDEX alert_status_change_by_alert ON alert_status_change(alert_id, sequence);
        CREATE TABLE source_checkpoint (
            path TEXT PRIMARY KEY NOT NULL,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            offset INTEGER NOT NULL,
            fingerprint_hash INTEGER NOT NULL,
            fingerprint_length INTEGER NOT NULL,
            line INTEGER NOT NULL DEFAULT 1,
            modified INTEGER,
            skip_events INTEGER NOT NULL DEFAULT 0,
            clock TEXT,
            preceding_hash INTEGER,
            preceding_length INTEGER,
            read_through INTEGER
        );
        CREATE TABLE baseline_snapshot (
            name TEXT PRIMARY KEY NOT NULL,
            format_version INTEGER NOT NULL,
            data BLOB NOT NULL,
            saved_at TEXT NOT NULL
        );
        CREATE TABLE open_alert (
            alert_id TEXT PRIMARY KEY NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
            entity_principal_id TEXT,
            entity_ip TEXT,
            entity_operation TEXT,
            last_taken INTEGER
        );
        CREATE TABLE detection_progress (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            event_clock INTEGER,
            saved_at TEXT NOT NULL
        );
        CREATE TABLE evidence_record (
            alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            record TEXT NOT NULL,
            PRIMARY KEY (alert_id, position)
        );
        CREATE TABLE held_event (
            arrival INTEGER PRIMARY KEY NOT NULL,
            time INTEGER NOT NULL,
            event BLOB NOT NULL
        );
        CREATE INDEX held_event_by_time ON held_event(time);
        CREATE TABLE baseline_row (
            key INTEGER PRIMARY KEY NOT NULL,
            section INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE source_checkpoint_pack (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            data BLOB NOT NULL
        );
        CREATE TABLE record_identity_row (
            hour INTEGER NOT NULL,
            first INTEGER NOT NULL,
            count INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (hour, first)
        );
        """

    static let migrations: [Migration] = [
        // v1: the first schema. Alerts (fields as columns, lists as JSON), their status
        // history, per-source read checkpoints and the detector's opaque snapshots.
        Migration(identifier: "v1") { db in
            try db.execute(sql: """
                CREATE TABLE alert (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    status TEXT NOT NULL,
                    vault TEXT,
                    resource_id TEXT,
                    principal_id TEXT,
                    upn TEXT,
                    app_id TEXT,
                    ip TEXT,
                    first_seen INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    reasons TEXT NOT NULL,
                    tactics TEXT NOT NULL,
                    techniques TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    description TEXT NOT NULL,
                    remediation TEXT NOT NULL,
                    is_sample INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX alert_by_first_seen ON alert(first_seen, kind, id);
                CREATE TABLE alert_status_change (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                    previous_status TEXT NOT NULL,
                    status TEXT NOT NULL,
                    changed_at TEXT NOT NULL,
                    reason TEXT
                );
                CREATE INDEX alert_status_change_by_alert ON alert_status_change(alert_id, sequence);
                CREATE TABLE source_checkpoint (
                    path TEXT PRIMARY KEY NOT NULL,
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    offset INTEGER NOT NULL,
                    fingerprint_hash INTEGER NOT NULL,
                    fingerprint_length INTEGER NOT NULL
                );
                CREATE TABLE baseline_snapshot (
                    name TEXT PRIMARY KEY NOT NULL,
                    format_version INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    saved_at TEXT NOT NULL
                );
                """)
        },
        // v2: what a restarted detector needs to keep aggregating (the open alerts' folding
        // keys, the event clock), the line number at each checkpoint (evidence names the same
        // lines after a resume), and indexes for the `alerts list` filters.
        Migration(identifier: "v2") { db in
            try db.execute(sql: """
                CREATE TABLE open_alert (
                    alert_id TEXT PRIMARY KEY NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                    entity_principal_id TEXT,
                    entity_ip TEXT,
                    entity_operation TEXT
                );
                CREATE TABLE detection_progress (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    event_clock INTEGER,
                    saved_at TEXT NOT NULL
                );
                ALTER TABLE source_checkpoint ADD COLUMN line INTEGER NOT NULL DEFAULT 1;
                CREATE INDEX alert_by_vault ON alert(vault);
                CREATE INDEX alert_by_last_seen ON alert(last_seen);
                """)
        },
        // v3: each checkpoint's file modification time, so that a restart whose file was
        // rotated away and deleted still reads the generations written after it.
        Migration(identifier: "v3") { db in
            try db.execute(sql: "ALTER TABLE source_checkpoint ADD COLUMN modified INTEGER")
        },
        // v4: the original record of evidence events, as the log wrote it (at most 32 KiB each),
        // by the evidence's position in its alert. A row of its own, written once: an alert's
        // row is rewritten at every update, its evidence records never change.
        Migration(identifier: "v4") { db in
            try db.execute(sql: """
                CREATE TABLE evidence_record (
                    alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (alert_id, position)
                ) WITHOUT ROWID;
                """)
        },
        // v5: the events of the record text at each checkpoint already handed on (a position
        // inside an envelope or a Log Analytics array); 0 for older rows, whose positions are
        // all between record texts.
        Migration(identifier: "v5") { db in
            try db.execute(sql: "ALTER TABLE source_checkpoint ADD COLUMN skip_events INTEGER NOT NULL DEFAULT 0")
        },
        // v6: the events the detector holds for reordering, one row each (`HeldEventRow`), saved
        // once when taken and deleted once released, instead of inside every save of the
        // detector's state. An older file's held events stay inside its saved state, read once.
        Migration(identifier: "v6") { db in
            try db.execute(sql: """
                CREATE TABLE held_event (
                    arrival INTEGER PRIMARY KEY NOT NULL,
                    time INTEGER NOT NULL,
                    event BLOB NOT NULL
                );
                CREATE INDEX held_event_by_time ON held_event(time);
                """)
        },
        // v7: the detector's learned entities, one row each (`BaselineRow`, detector state
        // format 6), written when they change instead of inside every save of the state. An
        // older file's entities stay inside its saved state, read once.
        Migration(identifier: "v7") { db in
            try db.execute(sql: """
                CREATE TABLE baseline_row (
                    key INTEGER PRIMARY KEY NOT NULL,
                    section INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        },
        // v8: each source's clock at its checkpoint (`SourceClock`, JSON): the time of its last
        // record taken as right, the stretch stamped ahead it is inside, its run of late records.
        // NULL for older rows: a resume there judges the source as read from that point.
        Migration(identifier: "v8") { db in
            try db.execute(sql: "ALTER TABLE source_checkpoint ADD COLUMN clock TEXT")
        },
        // v9: checkpoints packed in one row (`FileFollower.Checkpoint.packed`), so that a tree of
        // thousands of blobs is one row, not thousands; a `source_checkpoint` row overrides the
        // pack's entry for its path. An older file's rows stay rows until a save packs them.
        Migration(identifier: "v9") { db in
            try db.execute(sql: """
                CREATE TABLE source_checkpoint_pack (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    data BLOB NOT NULL
                );
                """)
        },
        // v10: the hash of the bytes before each checkpoint's offset (`Checkpoint.precedingBytes`),
        // so that a file at the path that starts like the checkpoint's but differs where reading
        // stood is read from its start (and said), not read on from the middle of another file.
        // NULL for older rows (the pack keeps it from its version 2).
        Migration(identifier: "v10") { db in
            try db.execute(sql: """
                ALTER TABLE source_checkpoint ADD COLUMN preceding_hash INTEGER;
                ALTER TABLE source_checkpoint ADD COLUMN preceding_length INTEGER;
                """)
        },
        // v11: the detector's clock when each open alert last took a record
        // (`AlertAggregator.OpenAlert.lastTaken`), so that a resumed run keeps a late run's alert
        // open as one run would. NULL for older rows: kept for its window alone, as before.
        Migration(identifier: "v11") { db in
            try db.execute(sql: "ALTER TABLE open_alert ADD COLUMN last_taken INTEGER")
        },
        // v12: evidence's original records in a table with rowids. In a WITHOUT ROWID table a
        // row keeps about 1 KB of a 4 KiB page and spills the rest into an overflow page of its
        // own, so each record of 1 to 2 KB took a page or two: 66 pages for the demo tenant's
        // 80 KB of records, a third of a new file's first save, written twice (the log, then the
        // close's checkpoint; issue 11). In a rowid table they share pages (25). Rows are copied.
        Migration(identifier: "v12") { db in
            try db.execute(sql: """
                ALTER TABLE evidence_record RENAME TO evidence_record_v4;
                CREATE TABLE evidence_record (
                    alert_id TEXT NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (alert_id, position)
                );
                INSERT INTO evidence_record (alert_id, position, record)
                    SELECT alert_id, position, record FROM evidence_record_v4;
                DROP TABLE evidence_record_v4;
                """)
        },
        // v13: the records the detector took lately (its duplicate window), a row per hour of
        // event time (`IdentityHourRow`, detector state format 19), written when the hour's
        // records change and deleted when it leaves the window, instead of inside every save of
        // the detector's state. An older file's window stays inside its saved state, read once.
        Migration(identifier: "v13") { db in
            try db.execute(sql: """
                CREATE TABLE record_identity_hour (
                    hour INTEGER PRIMARY KEY NOT NULL,
                    count INTEGER NOT NULL,
                    data BLOB NOT NULL
                );
                """)
        },
        // v14: an hour of the records taken lately in a few rows, each from its `first` position
        // among the hour's identities (`IdentityHourRow`): a save writes the identities the
        // hour's rows lack, merged with its last rows while they are no larger, rather than the
        // whole hour each time it changed (a live stream's busy hour at every save). A v13 row is
        // a whole hour: it becomes the hour's row from position 0.
        Migration(identifier: "v14") { db in
            try db.execute(sql: """
                CREATE TABLE record_identity_row (
                    hour INTEGER NOT NULL,
                    first INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    data BLOB NOT NULL,
                    PRIMARY KEY (hour, first)
                );
                INSERT INTO record_identity_row (hour, first, count, data) SELECT hour, 0, count, data FROM record_identity_hour;
                DROP TABLE record_identity_hour;
                """)
        },
        // v15: how far the runs that saved each checkpoint read its file past the offset
        // (`Checkpoint.readThrough`): a run whose input ended on records the end decided saves
        // the state from before them, and counted them; the next run reads them again without
        // counting them as its own. NULL for older rows (the pack keeps it from its form 4).
        Migration(identifier: "v15") { db in
            try db.execute(sql: "ALTER TABLE source_checkpoint ADD COLUMN read_through INTEGER")
        },
    ]
}
