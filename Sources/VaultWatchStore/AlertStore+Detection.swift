import Foundation
import GRDB
import VaultWatchCore

extension AlertStore {
    /// What a detection run saved last: where to resume, what to restore.
    public struct SavedDetection: Sendable {
        /// Every checkpoint, by path: the pack's, and the rows' in place of the pack's for the
        /// paths that have one (a row is written after the pack it overrides).
        public var checkpoints: [FileFollower.Checkpoint]
        /// The paths whose checkpoint is a row of its own, not in the pack.
        public var checkpointRowPaths: Set<String> = []
        public var openAlerts: [AlertAggregator.OpenAlert]
        public var eventClock: EventTime?
        public var detectorSnapshot: DetectorSnapshot?
        /// The held events saved apart from the snapshot, by arrival (`HeldEventRow`).
        public var heldEvents: [HeldEventRow] = []
        /// The records taken lately saved apart from the snapshot, a row per hour (`IdentityHourRow`).
        public var identityHours: [IdentityHourRow] = []
        /// The learned entities an older VaultWatch saved apart from the snapshot (format 6, read,
        /// no longer written), by key (`BaselineRow`).
        public var baselineRows: [BaselineRow] = []

        /// What a file that was never saved to holds: nothing to resume from.
        public static let nothing = SavedDetection(checkpoints: [], openAlerts: [], eventClock: nil, detectorSnapshot: nil)
    }

    /// The name under which the detector's snapshot is kept in `baseline_snapshot`.
    static let detectorSnapshotName = "detector"
    /// The name under which open alerts' states to resume from are kept in `baseline_snapshot`
    /// after a clean stop (`DetectionProgress.resumeStates`), as JSON; no row otherwise.
    static let resumeStatesName = "open_alert_resume"

    /// A checkpoint row's hash of the bytes before its offset; nil for a row without one.
    private static func precedingBytes(hash: Int64?, length: Int?) -> FileFingerprint? {
        guard let hash, let length else { return nil }
        return FileFingerprint(hash: UInt64(bitPattern: hash), length: length)
    }

    /// Saves a detection run's progress in one transaction: all of it or, on failure, none
    /// (the previous save stays whole).
    /// - Complexity: O(alerts + open alerts + checkpoints) row writes and one fsync.
    /// - Returns: how long each part took (for the benchmark).
    @discardableResult
    public func save(_ progress: DetectionProgress, now: Date = Date()) throws(StoreError) -> SaveTimings {
        var storedBeforeRest: [String: Alert?] = [:]
        return try save(progress, now: now, rest: nil, storedBeforeRest: &storedBeforeRest)
    }

    /// `save(_:now:)`, and then what `rest` hands over (the end of a run: `SaveRest`): its alerts,
    /// written after the stored state of those it names first touched is read into
    /// `storedBeforeRest`, and its states to resume from. In the same transaction when `rest` is
    /// there by the time the rest of the save is written; else that transaction commits as a save
    /// of its own (the progress without the rest, as a kill before the rest would leave it) and
    /// the rest is written, once it comes, in a second one.
    func save(
        _ progress: DetectionProgress, now: Date = Date(), rest: SaveRest?, storedBeforeRest: inout [String: Alert?]
    ) throws(StoreError) -> SaveTimings {
        let path = displayName
        let startedEmpty = holdsNothingSaved
        let savedAt = Self.iso8601(now)
        let clock = ContinuousClock()
        var timings = SaveTimings()
        let started = clock.now
        var mark = started
        var restLeft = rest
        func lap(_ part: WritableKeyPath<SaveTimings, Duration>) {
            let now = clock.now
            timings[keyPath: part] += now - mark
            mark = now
        }
        try write { db in
            try AlertRow.upsert(progress.alerts, in: db)
            timings.alertRows = progress.alerts.count
            lap(\.alerts)
            // Open alerts not touched since the last save are stored already, in this state.
            if let closed = progress.closedAlertIDs {
                let delete = try db.makeStatement(sql: "DELETE FROM open_alert WHERE alert_id = ?")
                for id in closed { try delete.execute(arguments: [id]) }
            } else {
                try db.execute(sql: "DELETE FROM open_alert")
            }
            let insertOpen = try db.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO open_alert (alert_id, entity_principal_id, entity_ip, entity_operation, last_taken)
                    VALUES (?, ?, ?, ?, ?)
                    """)
            for open in progress.openAlerts {
                try insertOpen.execute(arguments: [
                    open.alert.id, open.entityPrincipalID, open.entityCallerIP?.description, open.entityOperation,
                    open.lastTaken?.ticks,
                ])
            }
            timings.openAlertRows = progress.openAlerts.count + (progress.closedAlertIDs?.count ?? 0)
            lap(\.openAlerts)
            if let pack = progress.checkpointPack {
                try db.execute(
                    sql: """
                        INSERT INTO source_checkpoint_pack (id, data) VALUES (1, ?)
                        ON CONFLICT(id) DO UPDATE SET data = excluded.data
                        """,
                    arguments: [Data(FileFollower.Checkpoint.packed(pack))])
                try db.execute(sql: "DELETE FROM source_checkpoint")
                timings.checkpointRows += 1
            } else if !progress.forgottenCheckpointRows.isEmpty {
                let deleteCheckpoint = try db.makeStatement(sql: "DELETE FROM source_checkpoint WHERE path = ?")
                for path in progress.forgottenCheckpointRows { try deleteCheckpoint.execute(arguments: [path]) }
            }
            let upsertCheckpoint = try db.makeStatement(sql: """
                INSERT INTO source_checkpoint
                    (path, device, inode, offset, fingerprint_hash, fingerprint_length, line, modified, skip_events, clock,
                     preceding_hash, preceding_length, read_through)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET device = excluded.device, inode = excluded.inode, offset = excluded.offset,
                    fingerprint_hash = excluded.fingerprint_hash, fingerprint_length = excluded.fingerprint_length,
                    line = excluded.line, modified = excluded.modified, skip_events = excluded.skip_events,
                    clock = excluded.clock, preceding_hash = excluded.preceding_hash, preceding_length = excluded.preceding_length,
                    read_through = excluded.read_through
                """)
            for checkpoint in progress.checkpoints {
                let clock = checkpoint.clock.map(StoredJSON.clock)
                try upsertCheckpoint.execute(arguments: [
                    checkpoint.path, Int64(bitPattern: checkpoint.device), Int64(bitPattern: checkpoint.inode),
                    checkpoint.offset, Int64(bitPattern: checkpoint.fingerprint.hash), checkpoint.fingerprint.length,
                    checkpoint.line, checkpoint.modified, checkpoint.skipEvents, clock,
                    checkpoint.precedingBytes.map { Int64(bitPattern: $0.hash) }, checkpoint.precedingBytes?.length,
                    checkpoint.readThrough,
                ])
            }
            timings.checkpointRows += progress.checkpoints.count
            try db.execute(
                sql: """
                    INSERT INTO detection_progress (id, event_clock, saved_at) VALUES (1, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET event_clock = excluded.event_clock, saved_at = excluded.saved_at
                    """,
                arguments: [progress.eventClock?.ticks, savedAt])
            lap(\.checkpoints)
            if let snapshot = progress.detectorSnapshot {
                try db.execute(
                    sql: """
                        INSERT INTO baseline_snapshot (name, format_version, data, saved_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT(name) DO UPDATE SET format_version = excluded.format_version, data = excluded.data,
                            saved_at = excluded.saved_at
                        """,
                    arguments: [Self.detectorSnapshotName, snapshot.formatVersion, snapshot.data, savedAt])
                if progress.heldEvents == nil { try db.execute(sql: "DELETE FROM held_event") }
                timings.baselineRows = 1
                // The whole state holds its entities: rows an older VaultWatch saved (format 6) go.
                try db.execute(sql: "DELETE FROM baseline_row")
                timings.baselineRows += db.changesCount
            }
            lap(\.baselines)
            if let held = progress.heldEvents {
                // The events the buffer holds now: every held event is at or after the release
                // mark, every released one before it; a row goes once its latest event is released.
                if held.replacesSaved {
                    try db.execute(sql: "DELETE FROM held_event")
                } else {
                    try db.execute(sql: "DELETE FROM held_event WHERE time < ?", arguments: [held.releasedThrough])
                }
                timings.heldEventRows = db.changesCount
                if let row = held.added {
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO held_event (arrival, time, event) VALUES (?, ?, ?)",
                        arguments: [Int64(bitPattern: row.arrival), row.time, Data(row.data)])
                    timings.heldEventRows += 1
                }
            }
            lap(\.heldEvents)
            if let identities = progress.identities {
                // The window's hours as the detector holds them now: those it forgot go; a row
                // written replaces its hour's rows from its first position on (those it merges).
                timings.identityHourRows = 0
                if !identities.forgotten.isEmpty {
                    let forgotten = try db.makeStatement(sql: "DELETE FROM record_identity_row WHERE hour = ?")
                    for hour in identities.forgotten {
                        try forgotten.execute(arguments: [hour])
                        timings.identityHourRows += db.changesCount
                    }
                }
                if !identities.changed.isEmpty {
                    let replaced = try db.makeStatement(sql: "DELETE FROM record_identity_row WHERE hour = ? AND first >= ?")
                    let insert = try db.makeStatement(sql: "INSERT INTO record_identity_row (hour, first, count, data) VALUES (?, ?, ?, ?)")
                    for row in identities.changed {
                        try replaced.execute(arguments: [row.hour, row.first])
                        timings.identityHourRows += db.changesCount
                        try insert.execute(arguments: [row.hour, row.first, row.count, Data(row.data)])
                    }
                    timings.identityHourRows += identities.changed.count
                    timings.identitiesWritten += identities.changed.reduce(0) { $0 + $1.count }
                }
            } else if progress.detectorSnapshot != nil {
                // A snapshot that holds its window itself.
                try db.execute(sql: "DELETE FROM record_identity_row")
            }
            lap(\.identities)
            // The end's rest: in this transaction if the finish has handed it over by now (one
            // commit, one `fsync`); if not, this transaction commits now as a save of its own, and
            // the rest follows in a second one (see `SaveRest`).
            if let rest, let contents = rest.handedOver {
                try Self.write(rest: contents, in: db, path: path, startedEmpty: startedEmpty, savedAt: savedAt, timings: &timings, storedBefore: &storedBeforeRest)
                restLeft = nil
            } else {
                try Self.write(resumeStates: progress.resumeStates, in: db, savedAt: savedAt)
            }
            lap(\.alerts)
        }
        lap(\.commit)
        if let restLeft {
            let contents = restLeft.wait()
            mark = clock.now
            try write { db in
                try Self.write(rest: contents, in: db, path: path, startedEmpty: startedEmpty, savedAt: savedAt, timings: &timings, storedBefore: &storedBeforeRest)
                lap(\.alerts)
            }
            lap(\.commit)
        }
        return timings
    }

    /// Writes the end's rest (`SaveRest`): the alerts the finish touched, those it touched first
    /// read as the file held them before (into `storedBefore`: no save of this run wrote them), and
    /// its open alerts' states to resume from.
    private static func write(
        rest: SaveRest.Contents, in db: Database, path: String, startedEmpty: Bool, savedAt: String,
        timings: inout SaveTimings, storedBefore: inout [String: Alert?]
    ) throws {
        var before: [String: Alert] = [:]
        if !startedEmpty { before = try storedAlerts(exactIDs: rest.firstTouched, in: db, path: path) }
        for id in rest.firstTouched { storedBefore[id] = .some(before[id]) }
        try AlertRow.upsert(rest.alerts, in: db)
        timings.alertRows += rest.alerts.count
        try write(resumeStates: rest.resumeStates, in: db, savedAt: savedAt)
    }

    /// Replaces the open alerts' states to resume from (`resumeStatesName`); none deletes them.
    private static func write(resumeStates: [Alert], in db: Database, savedAt: String) throws {
        if resumeStates.isEmpty {
            try db.execute(sql: "DELETE FROM baseline_snapshot WHERE name = ?", arguments: [resumeStatesName])
        } else {
            let data = try JSONEncoder().encode(resumeStates.map(StoredAlert.init))
            try db.execute(
                sql: """
                    INSERT INTO baseline_snapshot (name, format_version, data, saved_at) VALUES (?, 1, ?, ?)
                    ON CONFLICT(name) DO UPDATE SET format_version = 1, data = excluded.data, saved_at = excluded.saved_at
                    """,
                arguments: [resumeStatesName, data, savedAt])
        }
    }

    /// The last saved progress: checkpoints, open alerts (with their stored state) and the
    /// detector's snapshot. Empty for a new file.
    public func savedDetection() throws(StoreError) -> SavedDetection {
        let path = displayName
        return try read { db in
            var checkpoints: [String: FileFollower.Checkpoint] = [:]
            if let pack = try Data.fetchOne(db, sql: "SELECT data FROM source_checkpoint_pack WHERE id = 1") {
                do {
                    for checkpoint in try FileFollower.Checkpoint.unpacked(from: [UInt8](pack)) {
                        checkpoints[checkpoint.path] = checkpoint
                    }
                } catch {
                    throw StoreError.corrupt(path: path, detail: "the saved read positions are unreadable (\(error))")
                }
            }
            let rows = try Row.fetchAll(
                db, sql: """
                    SELECT path, device, inode, offset, fingerprint_hash, fingerprint_length, line, modified, skip_events, clock,
                        preceding_hash, preceding_length, read_through
                    FROM source_checkpoint
                    """
            ).map { row in
                let sourcePath: String = row["path"]
                var clock: SourceClock?
                if let text: String = row["clock"] {
                    guard let decoded = try? JSONDecoder().decode(SourceClock.self, from: Data(text.utf8)) else {
                        throw StoreError.corrupt(path: path, detail: "the saved clock of source \(sourcePath) is unreadable")
                    }
                    clock = decoded
                }
                return FileFollower.Checkpoint(
                    path: sourcePath, device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]),
                    offset: row["offset"],
                    fingerprint: FileFingerprint(hash: UInt64(bitPattern: row["fingerprint_hash"]), length: row["fingerprint_length"]),
                    line: row["line"], modified: row["modified"], skipEvents: row["skip_events"], clock: clock,
                    precedingBytes: Self.precedingBytes(hash: row["preceding_hash"], length: row["preceding_length"]),
                    readThrough: row["read_through"])
            }
            for checkpoint in rows { checkpoints[checkpoint.path] = checkpoint }
            let decoder = JSONDecoder()
            // The alert's columns unqualified: `open_alert` has none of their names (SQLite would
            // refuse an ambiguous one). Qualifying each at every open (Foundation's trimming of
            // the list) was 1.2 M instructions before the first read of an existing file.
            let openRows = try Row.fetchAll(db, sql: """
                SELECT \(AlertRow.columns), open_alert.entity_principal_id, open_alert.entity_ip, open_alert.entity_operation,
                    open_alert.last_taken
                FROM open_alert JOIN alert ON alert.id = open_alert.alert_id ORDER BY alert.id
                """)
            // After a clean stop, open alerts its end updated resume from their state before it.
            var resumeStates: [String: Alert] = [:]
            if let data = try Data.fetchOne(
                db, sql: "SELECT data FROM baseline_snapshot WHERE name = ?", arguments: [Self.resumeStatesName]) {
                let stored: [StoredAlert]
                do {
                    stored = try decoder.decode([StoredAlert].self, from: data)
                } catch {
                    throw StoreError.corrupt(path: path, detail: "open alerts' states to resume from: unreadable")
                }
                for entry in stored {
                    guard let alert = entry.alert else {
                        throw StoreError.corrupt(path: path, detail: "open alert \(entry.id): unreadable state to resume from")
                    }
                    resumeStates[alert.id] = alert
                }
            }
            var openAlerts: [AlertAggregator.OpenAlert] = []
            for row in openRows {
                let ipText: String? = row["entity_ip"]
                let lastTaken: Int64? = row["last_taken"]
                let stored = try AlertRow.alert(from: row, decoder: decoder, path: path)
                var resumed = resumeStates[stored.id] ?? stored
                resumed.status = stored.status
                openAlerts.append(AlertAggregator.OpenAlert(
                    alert: resumed,
                    entityPrincipalID: row["entity_principal_id"], entityCallerIP: ipText.flatMap(IPAddress.init),
                    entityOperation: row["entity_operation"], lastTaken: lastTaken.map(EventTime.init(ticks:))))
            }
            let clock = try Int64?.fetchOne(db, sql: "SELECT event_clock FROM detection_progress WHERE id = 1") ?? nil
            var snapshot: DetectorSnapshot?
            if let row = try Row.fetchOne(
                db, sql: "SELECT format_version, data FROM baseline_snapshot WHERE name = ?", arguments: [Self.detectorSnapshotName]) {
                snapshot = DetectorSnapshot(formatVersion: row["format_version"], data: row["data"])
            }
            let held = try Row.fetchAll(db, sql: "SELECT arrival, time, event FROM held_event ORDER BY arrival").map { row in
                let data: Data = row["event"]
                return HeldEventRow(arrival: UInt64(bitPattern: row["arrival"]), time: row["time"], data: [UInt8](data))
            }
            let identityHours = try Row.fetchAll(db, sql: "SELECT hour, first, count, data FROM record_identity_row ORDER BY hour, first").map { row in
                let data: Data = row["data"]
                return IdentityHourRow(hour: row["hour"], first: row["first"], count: row["count"], data: [UInt8](data))
            }
            let baselineRows = try Row.fetchAll(db, sql: "SELECT key, section, data FROM baseline_row ORDER BY key").map { row in
                let data: Data = row["data"]
                let section: Int = row["section"]
                return BaselineRow(key: row["key"], section: UInt8(exactly: section) ?? 0, data: [UInt8](data))
            }
            return SavedDetection(
                checkpoints: checkpoints.values.sorted { $0.path < $1.path }, checkpointRowPaths: Set(rows.map(\.path)),
                openAlerts: openAlerts, eventClock: clock.map(EventTime.init(ticks:)),
                detectorSnapshot: snapshot, heldEvents: held, identityHours: identityHours, baselineRows: baselineRows)
        }
    }
}
