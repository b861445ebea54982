/// Folds repeats into open alerts: a candidate for the same (kind, vault, entity) within the
/// window (24 h of event time by default) after the open alert's first event updates that
/// alert — count, last seen, severity (the graver one), reasons (the latest), evidence (up to
/// the limit) — instead of opening another. Past the window a new alert opens, with a new id.
///
/// The window runs from `firstSeen`, not from the last repeat, so a caller that keeps going
/// gets one alert per day rather than one alert forever.
/// Memory is bounded by open alerts: `expire(through:)` forgets those whose window has ended.
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
    private let window: EventTime.Duration
    private let evidenceLimit: Int
    private var open: [Key: Alert] = [:]
    /// The earliest end of an open alert's window, so `expire` scans only when one has ended.
    private var earliestWindowEnd: EventTime?

    /// Finds evidence events' original records when they are kept (`DetectorConfiguration.keepsOriginalRecords`).
    private let records: RecordFinder?

    public init(
        symbols: SymbolTable, language: Language, window: EventTime.Duration = .hours(24), evidenceLimit: Int = 10,
        records: RecordFinder? = nil
    ) {
        self.symbols = symbols
        self.records = records
        self.catalog = AlertCatalog(language: language)
        self.window = window
        self.evidenceLimit = max(0, evidenceLimit)
    }

    /// How many alerts can still take repeats.
    public var openAlertCount: Int { open.count }

    /// An open alert with the key its repeats fold under, as text rather than symbols, so that
    /// it can be saved and restored in another process (the state store; restart semantics).
    public struct OpenAlert: Sendable, Hashable {
        public var alert: Alert
        public var entityPrincipalID: String?
        public var entityCallerIP: IPAddress?
        public var entityOperation: String?

        public init(alert: Alert, entityPrincipalID: String?, entityCallerIP: IPAddress?, entityOperation: String?) {
            self.alert = alert
            self.entityPrincipalID = entityPrincipalID
            self.entityCallerIP = entityCallerIP
            self.entityOperation = entityOperation
        }
    }

    /// The open alerts, ordered by id.
    public var openAlerts: [OpenAlert] {
        open.map { key, alert in
            OpenAlert(
                alert: alert, entityPrincipalID: symbols.string(key.entity.principalID),
                entityCallerIP: key.entity.callerIP, entityOperation: symbols.string(key.entity.operation))
        }.sorted { $0.alert.id < $1.alert.id }
    }

    /// Takes back open alerts saved by `openAlerts`, so their repeats fold into them.
    public mutating func restore(_ alerts: [OpenAlert]) {
        for saved in alerts {
            let entity = AlertEntity(
                principalID: symbols.intern(saved.entityPrincipalID ?? ""), callerIP: saved.entityCallerIP,
                operation: symbols.intern(saved.entityOperation ?? ""))
            open[Key(kind: saved.alert.kind, vault: symbols.intern(saved.alert.vault ?? ""), entity: entity)] = saved.alert
            let windowEnd = saved.alert.firstSeen + window
            if earliestWindowEnd.map({ windowEnd < $0 }) ?? true { earliestWindowEnd = windowEnd }
        }
    }

    /// Opens an alert for `candidate`, or folds it into the open alert of its (kind, vault, entity).
    public mutating func add(_ candidate: AlertCandidate) -> Outcome {
        let key = Key(kind: candidate.kind, vault: candidate.event.vault, entity: candidate.entity)
        let event = candidate.event
        if var alert = open[key], event.time < alert.firstSeen + window {
            let previous = alert.severity
            alert.count += 1
            alert.lastSeen = max(alert.lastSeen, event.time)
            alert.firstSeen = min(alert.firstSeen, event.time)
            alert.severity = max(alert.severity, candidate.severity)
            alert.reasons = candidate.reasons
            for evidence in [event] + candidate.relatedEvents where alert.evidence.count < evidenceLimit {
                alert.evidence.append(self.evidence(evidence))
            }
            if !candidate.isVaultWide {
                if alert.upn == nil { alert.upn = symbols.string(event.upn) }
                if alert.appID == nil { alert.appID = symbols.string(event.appID) }
                if alert.principalID == nil { alert.principalID = symbols.string(event.principalID) }
                if alert.ip == nil { alert.ip = event.callerIP }
            }
            if alert.resourceID == nil { alert.resourceID = symbols.string(event.resourceID) }
            open[key] = alert
            return Outcome(alert: alert, previousSeverity: previous)
        }
        let alert = makeAlert(candidate)
        open[key] = alert
        let windowEnd = alert.firstSeen + window
        if earliestWindowEnd.map({ windowEnd < $0 }) ?? true { earliestWindowEnd = windowEnd }
        return Outcome(alert: alert, previousSeverity: nil)
    }

    /// Forgets open alerts whose window ended at or before `time`: later repeats open new alerts.
    /// - Complexity: O(1) unless a window has ended, then O(open alerts).
    public mutating func expire(through time: EventTime) {
        guard let earliest = earliestWindowEnd, earliest <= time else { return }
        let window = self.window
        open = open.filter { $0.value.firstSeen + window > time }
        earliestWindowEnd = open.values.lazy.map { $0.firstSeen + window }.min()
    }

    private func makeAlert(_ candidate: AlertCandidate) -> Alert {
        let event = candidate.event
        let entry = catalog.entry(for: candidate.kind)
        let attack = candidate.attack ?? entry.attack
        let vault = symbols.string(event.vault)
        return Alert(
            id: AlertID.make(
                kind: candidate.kind, vault: vault, entity: candidate.entity.text(symbols: symbols),
                firstSeen: event.time),
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

    /// An evidence event with its strings, and its original record when records are kept.
    private func evidence(_ event: AuditEvent) -> AlertEvidence {
        var evidence = AlertEvidence(event: event, symbols: symbols)
        if let records { evidence.record = records.record(for: event) }
        return evidence
    }
}
