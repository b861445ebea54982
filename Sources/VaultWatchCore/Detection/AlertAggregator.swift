/// Folds repeats into open alerts: a candidate for the same (kind, vault, entity) within the
/// window (24 h of event time by default) after the open alert's first event updates that
/// alert — count, last seen, severity (the graver one), reasons (the latest), evidence (up to
/// the limit) — instead of opening another. Past the window a new alert opens, with a new id.
///
/// The window runs from `firstSeen`, not from the last repeat, so a caller that keeps going
/// gets one alert per day rather than one alert forever.
///
/// Repeats fold by event time, whenever they arrive: an alert is forgotten only once the
/// detector's clock has passed both its window's end and the clock at which it last took a
/// record (`expire(through:)`). In order the window's end comes later; an alert opened by late
/// records (a backlog days behind the stream) stays open while its late run keeps arriving, so
/// its repeats, and a record delivered twice, fold into it as they would in order.
/// An hour reopened by late records whose verdict is still to come (a vault-wide verdict waits up
/// to 48 hours of stream time for the rest of its late run: `ReopenedHours`) can raise an alert
/// of that hour, which in order folds into the vault's alert open then: such alerts are kept
/// until the verdict is given (`expire(through:holding:)`).
/// Memory is bounded by open alerts: `expire(through:)` forgets those whose window has ended.
///
/// An id is never given to two alerts. A record judged again once its alert is forgotten (delivered
/// again after the duplicate window, `RecordIdentities`: days later, from another export) opens an
/// alert of the same (kind, vault, entity, first seen): an alert of its own, whose id is made with
/// an occurrence number (`AlertID.make`), so the alert already printed or saved under the first id
/// is never replaced by one with less count and evidence. The ids of the alerts forgotten are kept
/// (`issuedAlerts`, saved with the detector's state since format 21), 16 bytes each, while a record
/// of their time can still be read (`idRetention` behind the clock: older records are out of range).
/// - Important: owned by one detector; not thread-safe.
public struct AlertAggregator {
    /// What `add` did.
    public struct Outcome: Sendable {
        /// The alert's current state.
        public var alert: Alert
        /// The severity the alert had before this candidate; nil when the alert is new.
        public var previousSeverity: Severity?

        public var isNew: Bool { previousSeverity == nil }
    }

    private struct Key: Hashable {
        var kind: AlertKind
        var vault: Symbol
        var entity: AlertEntity
    }

    private let symbols: SymbolTable
    private let catalog: AlertCatalog
    /// How long after an alert's first event its repeats fold into it.
    let window: EventTime.Duration
    private let evidenceLimit: Int
    private var open: [Key: Held] = [:]
    /// The ids of the alerts raised that are no longer open (forgotten, or let go for a later
    /// window), as numbers, with their last seen: an id here is not given again (`makeAlert`).
    private var issued: [UInt64: EventTime] = [:]
    /// How long after its last seen a forgotten alert's id is kept (`issued`): the clock limits'
    /// `maximumLag` (a record further behind the stream is out of range, never judged).
    let idRetention: EventTime.Duration
    /// The earliest time an open alert can be forgotten, so `expire` scans only when one can
    /// (of those not kept for an hour still to be judged).
    private var earliestWindowEnd: EventTime?
    /// Some open alert's time to be forgotten has passed, but an hour of its vault still to be
    /// judged keeps it (`expire(through:holding:)`): each `expire` looks again.
    private var keepsAlertsForHours = false

    /// An open alert and the detector's clock when it last took a record.
    private struct Held {
        var alert: Alert
        var lastTaken: EventTime
    }

    /// When `held` can be forgotten: its window has ended and the clock has left its last record.
    private static func expiry(of held: Held, window: EventTime.Duration) -> EventTime {
        max(held.alert.firstSeen + window, held.lastTaken)
    }

    /// Finds evidence events' original records when they are kept (`DetectorConfiguration.keepsOriginalRecords`).
    private let records: RecordFinder?

    public init(
        symbols: SymbolTable, language: Language, window: EventTime.Duration = .hours(24), evidenceLimit: Int = 10,
        records: RecordFinder? = nil, idRetention: EventTime.Duration = ClockLimits().maximumLag
    ) {
        self.symbols = symbols
        self.idRetention = idRetention
        self.records = records
        self.catalog = AlertCatalog(language: language)
        self.window = window
        self.evidenceLimit = max(0, evidenceLimit)
    }

    /// When the first open alert can be forgotten (nil when none is open): `expire(through:)`
    /// changes nothing before it, but for alerts kept for an hour still to be judged, which are
    /// looked at again at each `expire` (when their hour is judged, the detector catches up).
    var nextWindowEnd: EventTime? { earliestWindowEnd }

    /// How many alerts can still take repeats.
    public var openAlertCount: Int { open.count }

    /// An open alert with the key its repeats fold under, as text rather than symbols, so that
    /// it can be saved and restored in another process (the state store; restart semantics).
    public struct OpenAlert: Sendable, Hashable {
        public var alert: Alert
        public var entityPrincipalID: String?
        public var entityCallerIP: IPAddress?
        public var entityOperation: String?
        /// The detector's clock when the alert last took a record; nil from a state file older
        /// than this field (the alert is then kept for its window alone, as before).
        public var lastTaken: EventTime?

        public init(
            alert: Alert, entityPrincipalID: String?, entityCallerIP: IPAddress?, entityOperation: String?,
            lastTaken: EventTime? = nil
        ) {
            self.alert = alert
            self.entityPrincipalID = entityPrincipalID
            self.entityCallerIP = entityCallerIP
            self.entityOperation = entityOperation
            self.lastTaken = lastTaken
        }
    }

    /// The open alerts, ordered by id.
    public var openAlerts: [OpenAlert] {
        open.map { key, held in
            OpenAlert(
                alert: held.alert, entityPrincipalID: symbols.string(key.entity.principalID),
                entityCallerIP: key.entity.callerIP, entityOperation: symbols.string(key.entity.operation),
                lastTaken: held.lastTaken)
        }.sorted { $0.alert.id < $1.alert.id }
    }

    /// The id of an alert raised and no longer open (`AlertID`'s 16 hex digits as a number), with
    /// its last seen: saved with the detector's state (format 21), so that a resumed run gives no
    /// id twice, as one run does.
    public struct IssuedID: Sendable, Hashable, Codable {
        public var id: UInt64
        public var lastSeen: Int64

        public init(id: UInt64, lastSeen: Int64) {
            self.id = id
            self.lastSeen = lastSeen
        }
    }

    /// The ids of the alerts raised and no longer open, in order of id.
    public var issuedIDs: [IssuedID] {
        issued.map { IssuedID(id: $0.key, lastSeen: $0.value.ticks) }.sorted { $0.id < $1.id }
    }

    /// Takes back the ids `issuedIDs` gave (a detector restored from its state, before the first batch).
    public mutating func restore(issuedIDs: [IssuedID]) {
        for saved in issuedIDs { issued[saved.id] = EventTime(ticks: saved.lastSeen) }
    }

    /// Notes that `alert`, raised, is no longer open: its id is not given again.
    private mutating func retire(_ alert: Alert) {
        if let number = UInt64(alert.id, radix: 16) { issued[number] = alert.lastSeen }
    }

    /// Takes back open alerts saved by `openAlerts`, so their repeats fold into them.
    public mutating func restore(_ alerts: [OpenAlert]) {
        for saved in alerts {
            let entity = AlertEntity(
                principalID: symbols.intern(saved.entityPrincipalID ?? ""), callerIP: saved.entityCallerIP,
                operation: symbols.intern(saved.entityOperation ?? ""))
            let held = Held(alert: saved.alert, lastTaken: saved.lastTaken ?? saved.alert.firstSeen)
            open[Key(kind: saved.alert.kind, vault: symbols.intern(saved.alert.vault ?? ""), entity: entity)] = held
            let expiry = Self.expiry(of: held, window: window)
            if earliestWindowEnd.map({ expiry < $0 }) ?? true { earliestWindowEnd = expiry }
        }
    }

    /// Opens an alert for `candidate`, or folds it into the open alert of its (kind, vault, entity).
    /// - Parameter clock: the detector's clock when the candidate's record arrived; nil for its
    ///   own time (a record in order).
    public mutating func add(_ candidate: AlertCandidate, clock: EventTime? = nil) -> Outcome {
        let key = Key(kind: candidate.kind, vault: candidate.event.vault, entity: candidate.entity)
        let event = candidate.event
        let taken = max(clock ?? event.time, event.time)
        if var held = open[key], event.time < held.alert.firstSeen + window {
            var alert = held.alert
            let previous = alert.severity
            // The rules that judge one record alone run as records arrive, which may be out of
            // time order within the reorder tolerance: the folded alert is made the same
            // whatever that order (the reasons of the latest record, the earliest records as
            // evidence in time order, the caller of the earliest), all but its id, which names
            // the record that opened it when it was published.
            let isEarliest = event.time < alert.firstSeen
            alert.count += 1
            if event.time > alert.lastSeen || (event.time == alert.lastSeen && !candidate.reasons.lexicographicallyPrecedes(alert.reasons)) {
                alert.reasons = candidate.reasons
            }
            alert.lastSeen = max(alert.lastSeen, event.time)
            alert.firstSeen = min(alert.firstSeen, event.time)
            alert.severity = max(alert.severity, candidate.severity)
            if candidate.relatedEvents.isEmpty {
                insertEvidence(of: event, into: &alert.evidence)
            } else {
                // A sequence (a change and its reads, a listing and its reads) keeps its own order.
                for evidence in [event] + candidate.relatedEvents where alert.evidence.count < evidenceLimit {
                    alert.evidence.append(self.evidence(evidence))
                }
            }
            if !candidate.isVaultWide {
                if isEarliest || alert.upn == nil { alert.upn = symbols.string(event.upn) ?? alert.upn }
                if isEarliest || alert.appID == nil { alert.appID = symbols.string(event.appID) ?? alert.appID }
                if isEarliest || alert.principalID == nil { alert.principalID = symbols.string(event.principalID) ?? alert.principalID }
                if isEarliest || alert.ip == nil { alert.ip = event.callerIP ?? alert.ip }
            }
            if isEarliest || alert.resourceID == nil { alert.resourceID = symbols.string(event.resourceID) ?? alert.resourceID }
            held.alert = alert
            held.lastTaken = max(held.lastTaken, taken)
            open[key] = held
            return Outcome(alert: alert, previousSeverity: previous)
        }
        // An open alert of the key whose window this candidate is past is let go: its id is taken.
        if let replaced = open[key] { retire(replaced.alert) }
        let alert = makeAlert(candidate)
        let held = Held(alert: alert, lastTaken: taken)
        open[key] = held
        let expiry = Self.expiry(of: held, window: window)
        if earliestWindowEnd.map({ expiry < $0 }) ?? true { earliestWindowEnd = expiry }
        return Outcome(alert: alert, previousSeverity: nil)
    }

    /// Forgets open alerts whose window ended, and whose last record was taken, at or before
    /// `time`: later repeats open new alerts. But for an alert of a vault with an hour still to
    /// be judged (`holding` gives its start, nil when there is none) that its window reaches: a
    /// verdict on that hour can still fold into it, as in order (a late hour's vault-wide verdict
    /// is given when its late run is over, up to 48 hours of stream time after its last record,
    /// where in order the hour's alert folds into the one open then).
    /// - Complexity: O(1) unless an alert can be forgotten or one is kept for an hour to be judged,
    ///   then O(open alerts).
    public mutating func expire(through time: EventTime, holding: (Symbol) -> EventTime? = { _ in nil }) {
        guard keepsAlertsForHours || (earliestWindowEnd.map { $0 <= time } ?? false) else { return }
        let window = self.window
        var kept = false
        var forgotten: [Key] = []
        for (key, held) in open where Self.expiry(of: held, window: window) <= time {
            if let hour = holding(key.vault), held.alert.firstSeen + window > hour {
                kept = true
            } else {
                forgotten.append(key)
            }
        }
        for key in forgotten {
            if let held = open.removeValue(forKey: key) { retire(held.alert) }
        }
        if !forgotten.isEmpty, !issued.isEmpty {
            let horizon = time.ticks &- idRetention.ticks
            issued = issued.filter { $0.value.ticks >= horizon }
        }
        keepsAlertsForHours = kept
        earliestWindowEnd = open.values.lazy.map { Self.expiry(of: $0, window: window) }.filter { $0 > time }.min()
    }

    private func makeAlert(_ candidate: AlertCandidate) -> Alert {
        let event = candidate.event
        let entry = catalog.entry(for: candidate.kind)
        let attack = candidate.attack ?? entry.attack
        let vault = symbols.string(event.vault)
        let entity = candidate.entity.text(symbols: symbols)
        var id = AlertID.make(kind: candidate.kind, vault: vault, entity: entity, firstSeen: event.time)
        if !issued.isEmpty {
            // Raised before and forgotten since (judged again after the duplicate window): the
            // next occurrence's id, never the one the first alert was printed and saved under.
            var occurrence = 0
            while let number = UInt64(id, radix: 16), issued[number] != nil {
                occurrence += 1
                id = AlertID.make(kind: candidate.kind, vault: vault, entity: entity, firstSeen: event.time, occurrence: occurrence)
            }
        }
        return Alert(
            id: id,
            kind: candidate.kind,
            displayName: entry.displayName,
            severity: candidate.severity,
            vault: vault,
            resourceID: symbols.string(event.resourceID),
            principalID: candidate.isVaultWide ? nil : symbols.string(event.principalID),
            upn: candidate.isVaultWide ? nil : symbols.string(event.upn),
            appID: candidate.isVaultWide ? nil : symbols.string(event.appID),
            ip: candidate.isVaultWide ? nil : event.callerIP,
            firstSeen: event.time,
            lastSeen: event.time,
            count: 1,
            reasons: candidate.reasons,
            evidence: ([event] + candidate.relatedEvents).prefix(evidenceLimit).map(evidence),
            tactics: attack.tactics,
            techniques: attack.techniques,
            description: entry.description,
            remediation: entry.remediation)
    }

    /// Puts `event` among the alert's evidence events in time order (ties by content, so the
    /// order records arrive in does not matter), keeping the `evidenceLimit` earliest. Its
    /// original record is read only when it is kept: a repeat past the limit reads nothing.
    private func insertEvidence(of event: AuditEvent, into list: inout [AlertEvidence]) {
        var evidence = AlertEvidence(event: event, symbols: symbols)
        let key = Self.orderKey(evidence)
        let position = list.lastIndex { !key.lexicographicallyPrecedes(Self.orderKey($0)) }.map { $0 + 1 } ?? 0
        guard position < evidenceLimit else { return }
        if let records { evidence.record = records.record(for: event) }
        list.insert(evidence, at: position)
        if list.count > evidenceLimit { list.removeLast(list.count - evidenceLimit) }
    }

    /// Evidence order: time, then the fields a record is told apart by (never where it was read).
    private static func orderKey(_ evidence: AlertEvidence) -> [String] {
        [
            String(evidence.time.ticks + (1 << 62)), evidence.operation ?? "", evidence.principalID ?? "", evidence.objectName ?? "",
            evidence.callerIP?.description ?? "", evidence.appID ?? "", String(evidence.httpStatusCode ?? 0), evidence.clientInfo ?? "",
        ]
    }

    /// An evidence event with its strings, and its original record when records are kept.
    private func evidence(_ event: AuditEvent) -> AlertEvidence {
        var evidence = AlertEvidence(event: event, symbols: symbols)
        if let records { evidence.record = records.record(for: event) }
        return evidence
    }
}
