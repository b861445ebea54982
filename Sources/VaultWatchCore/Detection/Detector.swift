import Foundation

/// Runs the detection rules over batches of events and publishes alerts.
///
/// Rules run on event time (the record's `time`), never the wall clock, so replaying a log
/// gives the alerts of the live run, with the same ids.
///
/// Two paths: the stateless rules (Tor, threat intel, sensitive operations, test alert) run on
/// each event as it arrives; the behavioural rules run on events released by a reorder buffer
/// in event-time order once event time has moved the tolerance (default 10 minutes) past
/// them, so their results do not depend on arrival order within it. A record further behind the
/// records before it than that is late: counted, and still learned and evaluated at once; the
/// closed hour it counts in is judged again once the clock has moved the tolerance past the last
/// late record of that hour (`ReopenedHours`), so a block written late is judged complete; a
/// vault-wide verdict waits until no late record has come for the hour in 48 hours of stream time
/// (or the input ended), so a late run that pauses is judged as one.
/// Results, late counts included, are those of one event at a time, whatever the batches
/// (`process`). `finish()` releases what is held and closes the last hour.
///
/// Alerts leave over `alerts`: each element is an alert's *current state* — a new alert, or
/// an open alert updated by repeats (same `id`, higher `count`, later `lastSeen`). Consumers
/// upsert by `id`. Within one `process` call, an alert touched many times is published once,
/// in its final state, in the order alerts were first touched.
///
/// - Important: `alerts` has exactly one consumer: a second iterator would split the
///   elements between the two, not copy them. Fan out explicitly where two consumers need
///   every alert. The stream buffers without limit so that no alert is ever dropped; its size
///   is bounded by the alerts raised, which is far below the event rate.
/// - Complexity: per event, the stateless checks, then a handful of dictionary look-ups in the
///   baselines; no string work unless a rule fires.
public actor Detector {
    /// Alerts in their current state, in order. One consumer (see the type's notes).
    public nonisolated let alerts: AsyncStream<Alert>

    private enum State {
        case running
        case finished
    }

    private let continuation: AsyncStream<Alert>.Continuation
    private let context: RuleContext
    private let settings: BehaviourSettings
    private var state = State.running

    // The state touched for every event is `@exclusivity(unchecked)`: Swift checks each access
    // to a class's (an actor's) stored property at run time, about twenty per event here, which
    // cost ~5% of a `detect` run (profile in docs/performance.md). The checks have nothing to
    // find: the actor serialises every access, and no access overlaps another to the same
    // property (the reorder buffer's release callback touches the baselines, rules, candidates
    // and reports, never the buffer). Keep it so when changing these methods.
    @exclusivity(unchecked) private var rules: RuleSet
    @exclusivity(unchecked) private var classifier: OperationClassifier
    @exclusivity(unchecked) private var aggregator: AlertAggregator
    @exclusivity(unchecked) var counters = DetectorCounters()
    /// The counters the restored state carried over (zero for a new detector).
    public let restoredCounters: DetectorCounters
    /// What the restored state knows of the runs before (nil for a new detector): the
    /// dashboard's header says it beside this run's counts.
    nonisolated public let runsBefore: RunsBefore?
    /// What the records read again (`EventBatch.readAgain`) added to `counters`: events, late and
    /// duplicate records and challenge requests that the run before counted (it read them after
    /// the state it saved). Never saved: a run's own share is `counters` less `restoredCounters`
    /// and these, but for `outOfRangeRecords`: the records read again that are now out of range
    /// (`EventBatch.readAgainOutOfRange`), this run's verdict, which the run before counted as
    /// events.
    public private(set) var readAgainCounters = DetectorCounters()
    @exclusivity(unchecked) var baseline: BehaviourBaseline
    @exclusivity(unchecked) var reorder: ReorderBuffer
    /// The records taken lately, to recognise one delivered again (`RecordIdentities`).
    @exclusivity(unchecked) var identities: RecordIdentities
    private let suppressions: SuppressionMatcher
    /// Applications and principals that are not behaviour (indexers, allow-lists): few, so a
    /// linear scan beats hashing.
    private let ignoredApplications: [Symbol]
    private let ignoredPrincipals: [Symbol]
    private let tolerance: EventTime.Duration
    /// The late repeats whose runs' reports are still to settle (`LateRunRepeats`).
    var lateRepeats = LateRunRepeats()
    /// The latest event time seen: the detector's clock.
    @exclusivity(unchecked) private var latestEventTime: EventTime?
    /// Open alerts are kept this long past their window and past the last record they took, for
    /// records that arrive out of order (several sources, clock skew between blobs, an hourly
    /// blob appended hours late) and for the rest of a late run (`AlertAggregator`): a repeat
    /// of the window folds into the alert as in order as long as it is no later than the late
    /// horizon the detector keeps hours for (`ClosedHours.keptHours`, 48 hours); later, it is a
    /// backlog's, and opens an alert of its own. An hour was too little: a blob appended 3 hours
    /// late split an alert in two (the thirteenth held-out sweep). Memory: the open alerts of 72
    /// hours of event time, not 25 (a few hundred on a tenant's busiest days).
    static let latenessAllowance = EventTime.Duration.hours(Int64(ClosedHours.keptHours))
    /// The detector catches up (`catchUp(to:)`) before the next event once the watermark reaches
    /// this (the next hour) or the clock reaches `catchUpClock` (an open alert's window ends).
    @exclusivity(unchecked) private var catchUpWatermark = Int64.min
    @exclusivity(unchecked) private var catchUpClock = Int64.min

    // Per-batch scratch, kept to avoid allocating per event.
    @exclusivity(unchecked) private var candidates: [AlertCandidate] = []
    @exclusivity(unchecked) private var touched: [Alert] = []
    @exclusivity(unchecked) private var touchedIndex: [String: Int] = [:]
    @exclusivity(unchecked) private var reports = HourReports()

    public init(symbols: SymbolTable, configuration: DetectorConfiguration = DetectorConfiguration()) {
        self.init(symbols: symbols, configuration: configuration, restored: nil)
    }

    /// A detector that starts from the state exported by `exportState()`: its baselines and,
    /// when the state has them, everything that was in flight (`DetectorInFlight`), so it goes
    /// on exactly as the detector that exported it would have.
    /// - Parameters:
    ///   - rows: the learned entities an older VaultWatch saved as rows beside a format 6
    ///     `state` (read, no longer written), in any order.
    ///   - held: the rows of held events saved apart (`exportProgress(heldSince:)`), in any order,
    ///     read by the format of `state` (a row per event before format 12).
    ///   - identityHours: the rows of the records taken lately saved apart (format 19), in any order.
    /// - Throws: `BaselineStateError` when `state` is not a state this version can read.
    public init(
        symbols: SymbolTable, configuration: DetectorConfiguration = DetectorConfiguration(), restoring state: Data,
        rows: [BaselineRow] = [], held: [HeldEventRow] = [], identityHours: [IdentityHourRow] = []
    ) throws {
        var snapshot = try BaselineSnapshot.decode(state, rows: rows)
        if !held.isEmpty { try snapshot.takeHeld(held, format: Self.stateFormatVersion(of: state)) }
        if !identityHours.isEmpty { try snapshot.takeIdentities(identityHours) }
        var baseline = BehaviourBaseline(settings: configuration.effectiveBehaviour, symbols: symbols)
        try baseline.restore(snapshot)
        var reorder = ReorderBuffer(symbols: symbols)
        if let saved = snapshot.inFlight?.reorder { reorder = try ReorderBuffer(restoring: saved, symbols: symbols) }
        var identities = RecordIdentities()
        if let saved = snapshot.inFlight?.identities {
            // Restored from rows: the next save writes only what they lack.
            identities = try RecordIdentities(restoring: saved, keepingOrder: !identityHours.isEmpty)
        }
        self.init(
            symbols: symbols, configuration: configuration,
            restored: Restored(
                baseline: baseline, reorder: reorder, identities: identities,
                counters: snapshot.inFlight?.counters ?? DetectorCounters(), eventClock: snapshot.eventClock.map(EventTime.init(ticks:)),
                issuedAlertIDs: snapshot.inFlight?.issuedAlertIDs ?? [], lateRepeats: snapshot.inFlight?.lateRepeats ?? [:]))
    }

    /// What `init(restoring:)` read, ready to take over.
    private struct Restored {
        var baseline: BehaviourBaseline
        var reorder: ReorderBuffer
        var identities: RecordIdentities
        var counters: DetectorCounters
        var eventClock: EventTime?
        var issuedAlertIDs: [AlertAggregator.IssuedID]
        var lateRepeats: [String: [Int]]
    }

    private init(symbols: SymbolTable, configuration: DetectorConfiguration, restored: Restored?) {
        let (stream, continuation) = AsyncStream<Alert>.makeStream(bufferingPolicy: .unbounded)
        self.alerts = stream
        self.continuation = continuation
        self.context = RuleContext(
            symbols: symbols, torExits: configuration.torExits, threatIntel: configuration.threatIntel,
            language: configuration.language)
        let settings = configuration.effectiveBehaviour
        self.settings = settings
        self.rules = RuleSet(settings: settings, trustedRanges: configuration.trustedRanges)
        self.classifier = OperationClassifier(symbols: symbols)
        self.aggregator = AlertAggregator(
            symbols: symbols, language: configuration.language, window: configuration.aggregationWindow,
            evidenceLimit: configuration.evidenceLimit,
            records: configuration.keepsOriginalRecords ? configuration.recordFinder ?? RecordFinder(symbols: symbols) : nil,
            idRetention: configuration.clock.maximumLag)
        self.baseline = BehaviourBaseline(settings: settings, symbols: symbols)
        self.suppressions = SuppressionMatcher(configuration.suppressions, symbols: symbols)
        self.ignoredApplications = configuration.ignoredApplicationIDs.union(configuration.allowedApplicationIDs)
            .map { symbols.intern($0.lowercased()) }.sorted()
        self.ignoredPrincipals = configuration.allowedPrincipalIDs.map { symbols.intern($0.lowercased()) }.sorted()
        self.tolerance = .minutes(Int64(max(0, settings.reorderToleranceMinutes)))
        self.reorder = restored?.reorder ?? ReorderBuffer(symbols: symbols)
        self.identities = restored?.identities ?? RecordIdentities()
        self.restoredCounters = restored?.counters ?? DetectorCounters()
        self.runsBefore = restored.flatMap { restored in
            restored.counters.eventsSeen + restored.counters.duplicateRecords == 0 ? nil : RunsBefore(
                events: restored.counters.eventsSeen, duplicates: restored.counters.duplicateRecords,
                firstEventTime: restored.baseline.vaults.lazy.map(\.firstSeen).min(), eventClock: restored.eventClock)
        }
        if let restored {
            self.baseline = restored.baseline
            self.counters = restored.counters
            self.latestEventTime = restored.eventClock
            self.aggregator.restore(issuedIDs: restored.issuedAlertIDs)
            self.lateRepeats = LateRunRepeats(pending: restored.lateRepeats)
        }
    }

    deinit {
        continuation.finish()
    }

    /// Runs every rule on every event of `batch`, then publishes the alerts it opened or updated.
    /// Ignored after `finish()`.
    /// - Returns: the alerts published, as published: the state store saves them with the
    ///   batch's checkpoints in one transaction (`DetectionRecorder`).
    @discardableResult
    public func process(_ batch: EventBatch) -> [Alert] {
        take(batch).alerts
    }

    /// What `take(_:)` did with a batch.
    public struct TakenBatch: Sendable {
        /// The alerts published, as `process(_:)` returns them.
        public var alerts: [Alert]
        /// The positions in the batch's `events`, ascending, of the records already taken
        /// (`RecordIdentities`): counted as duplicates, not taken again. The dashboard counts the
        /// others, so that it shows what the detector took.
        public var repeats: [Int]
        /// The batch's input problems, the reports of late runs settled with the repeats
        /// (`LateRunRepeats`: a record already taken is not late): what `detect` prints.
        public var problems: [InputProblem] = []
    }

    /// `process(_:)`, telling also which events of `batch` were records already taken.
    public func take(_ batch: EventBatch) -> TakenBatch {
        guard case .running = state else { return TakenBatch(alerts: [], repeats: [], problems: batch.problems) }
        var repeats: [Int] = []
        counters.malformedRecords += batch.malformedCount
        counters.skippedRecords += batch.skippedCount
        counters.outOfRangeRecords += batch.outOfRangeCount
        readAgainCounters.outOfRangeRecords += batch.readAgainOutOfRange
        counters.eventsSeen += batch.events.count

        var latest = latestEventTime ?? EventTime(ticks: .min)
        var hasClock = latestEventTime != nil
        var nextReadAgain = batch.readAgain.startIndex
        for (position, event) in batch.events.enumerated() {
            // Read again: taken as any record, its share of the counters noted apart.
            let readAgain = nextReadAgain < batch.readAgain.endIndex && batch.readAgain[nextReadAgain] == position
            if readAgain {
                nextReadAgain += 1
                readAgainCounters.eventsSeen += 1
            }
            // A record already taken (delivered twice, from this source or another) is counted,
            // and nothing else: it moves no clock, raises nothing, teaches nothing.
            if event.identity != 0, identities.isRepeat(event, clock: latest) {
                counters.duplicateRecords += 1
                counters.eventsSeen -= 1
                repeats.append(position)
                if readAgain {
                    readAgainCounters.duplicateRecords += 1
                    readAgainCounters.eventsSeen -= 1
                }
                // Not late either: the reader's report of its run leaves it out (`settle` below).
                lateRepeats.noteRepeat(event, clock: hasClock ? latest : nil, tolerance: tolerance, symbols: context.symbols)
                continue
            }
            // Late is a property of the record: further behind the clock of the records before
            // it than the tolerance, wherever batches end. Held events are released once per
            // batch (cheap), which is the same as releasing after every event except where the
            // next step could see the difference: a late record (evaluated now, after what the
            // clock had released), an hour or day the clock entered (the sensitive-operation
            // rule forgets old routine by the day), an open alert's window the clock has left.
            // Then the detector catches up first, as a batch that ended just before it would.
            var isLate = false
            if hasClock {
                let watermark = latest.ticks &- tolerance.ticks
                isLate = event.time.ticks < watermark
                if isLate || watermark >= catchUpWatermark || latest.ticks >= catchUpClock { catchUp(to: latest) }
            }
            if event.time > latest {
                latest = event.time
                hasClock = true
            }
            if isLate {
                counters.lateRecords += 1
                if readAgain { readAgainCounters.lateRecords += 1 }
            }
            let traits = classifier.traits(for: event.operation)
            rules.evaluate(event, traits: traits, context: context, routine: &baseline.routine, into: &candidates)
            if !candidates.isEmpty { aggregateCandidates(clock: latest) }
            if event.isChallengeRequest {
                counters.challengeRequests += 1
                if readAgain { readAgainCounters.challengeRequests += 1 }
                continue
            }
            guard isBehaviour(event, traits) else { continue }
            if isLate {
                evaluateBehaviour(event, traits: traits, inOrder: false, clock: latest)
                // Its reopened hour is judged once the clock is the tolerance past it.
                catchUpWatermark = min(catchUpWatermark, latest.ticks &+ 1)
            } else {
                reorder.insert(event)
            }
        }
        if hasClock, !batch.events.isEmpty {
            latestEventTime = latest
            catchUp(to: latest)
        }
        return TakenBatch(alerts: publish(), repeats: repeats, problems: lateRepeats.settle(batch.problems))
    }

    /// Releases held events, closes the last hour and ends `alerts` once the alerts already
    /// published are consumed. Later batches are ignored.
    /// - Returns: the alerts the release published (saved by the state store).
    @discardableResult
    public func finish() -> [Alert] {
        guard case .running = state else { return [] }
        let published = flush()
        state = .finished
        continuation.finish()
        return published
    }

    /// Evaluates every held event and the open hour now, as at the end of the input, and
    /// publishes what they raise. The detector keeps running.
    /// - Returns: the alerts published.
    @discardableResult
    public func flush() -> [Alert] {
        let clock = latestEventTime ?? EventTime(ticks: .min)
        judgeReopenedHours(arrivedBefore: .max, clock: clock)
        reorder.releaseAll { event in
            evaluateBehaviour(event, traits: classifier.traits(for: event.operation), inOrder: true, clock: clock)
        }
        reports.removeAll()
        baseline.closeOpenHour(reports: &reports)
        if !reports.isEmpty {
            rules.evaluateHours(reports, context: context, into: &candidates)
            aggregateCandidates(clock: clock)
        }
        return publish()
    }

    /// The alerts that can still take repeats, with their folding keys: saved by the state store
    /// so that a restarted detector keeps aggregating (`restore(openAlerts:eventClock:)`).
    public var openAlerts: [AlertAggregator.OpenAlert] { aggregator.openAlerts }

    /// The ids of the alerts raised and no longer open, saved with the state (format 21).
    var issuedAlertIDs: [AlertAggregator.IssuedID] { aggregator.issuedIDs }

    /// Takes back open alerts and the event clock saved by an earlier run, before the first
    /// batch. Restored alerts are not published again; repeats update them as in one long run.
    public func restore(openAlerts: [AlertAggregator.OpenAlert], eventClock: EventTime?) {
        aggregator.restore(openAlerts)
        catchUpClock = .min
        if let eventClock, latestEventTime.map({ eventClock > $0 }) ?? true { latestEventTime = eventClock }
    }

    /// What the detector has done so far.
    public var currentCounters: DetectorCounters { counters }

    /// Records' identities this run forgot before their 48 hours because the window of records
    /// taken lately was full (`RecordIdentities.forgottenPastCapacity`): a repeat of one of them
    /// is judged as an event. Not saved: each run's own.
    public var identitiesForgottenPastCapacity: Int { identities.forgottenPastCapacity }

    /// The latest event time seen, the clock rules run on; nil before the first event.
    public var eventClock: EventTime? { latestEventTime }

    /// How many entities (vaults, principals, pairs, applications, ranges) the baselines hold.
    public var baselineEntityCount: Int { baseline.entityCount }

    /// How many callers of closed hours the baselines keep for late records (`ClosedHours`).
    public var closedHourCallerCount: Int { baseline.closedHours.entryCount }

    // MARK: - Behaviour

    @inline(__always)
    private func isBehaviour(_ event: AuditEvent, _ traits: OperationTraits) -> Bool {
        if traits.isServiceGenerated { return false }
        if !event.appID.isNone, ignoredApplications.contains(event.appID) { return false }
        if !ignoredPrincipals.isEmpty, !event.principalID.isNone, ignoredPrincipals.contains(event.principalID) {
            return false
        }
        return true
    }

    /// Does what the clock `latest` calls for: judges the reopened hours whose late run it has
    /// passed by the tolerance (`ReopenedHours`), releases the held events it has passed the
    /// tolerance behind, closes the hours it left, forgets the open alerts whose window (and
    /// allowance) it has left; then notes when it must do so again before the next event
    /// (`process`).
    private func catchUp(to latest: EventTime) {
        let watermark = EventTime(ticks: latest.ticks &- tolerance.ticks)
        judgeReopenedHours(arrivedBefore: watermark.ticks, clock: latest)
        releaseBehaviour(before: watermark, clock: latest)
        identities.forget(behind: latest)
        // An alert of a vault whose reopened hour is still to be judged is kept for its verdict.
        let reopened = baseline.reopenedHours
        aggregator.expire(through: EventTime(ticks: latest.ticks &- Self.latenessAllowance.ticks)) { vault in
            reopened.isEmpty ? nil : reopened.earliestHour(of: vault).map(EventTime.startOfHour)
        }
        catchUpWatermark = (watermark.ticks / EventTime.ticksPerHour &+ 1) &* EventTime.ticksPerHour
        if let next = baseline.reopenedHours.nextJudgement { catchUpWatermark = min(catchUpWatermark, next &+ 1) }
        scheduleExpiry()
    }

    /// Judges the reopened hours whose last late record arrived before `watermark`.
    private func judgeReopenedHours(arrivedBefore watermark: Int64, clock: EventTime) {
        guard !baseline.reopenedHours.isEmpty else { return }
        reports.removeAll()
        baseline.judgeReopenedHours(arrivedBefore: watermark, reports: &reports)
        if !reports.isEmpty {
            rules.evaluateHours(reports, context: context, into: &candidates)
            aggregateCandidates(clock: clock)
        }
    }

    /// The clock at which an open alert's window, and its allowance, will have ended.
    private func scheduleExpiry() {
        catchUpClock = aggregator.nextWindowEnd.map { $0.ticks &+ Self.latenessAllowance.ticks } ?? .max
    }

    private func releaseBehaviour(before watermark: EventTime, clock: EventTime) {
        reorder.release(before: watermark) { event in
            evaluateBehaviour(event, traits: classifier.traits(for: event.operation), inOrder: true, clock: clock)
        }
        // Close the hours the watermark has passed even if no later event has come yet.
        if baseline.currentHour != .min, watermark.hourNumber > baseline.currentHour {
            reports.removeAll()
            baseline.advance(to: watermark, reports: &reports)
            if !reports.isEmpty {
                rules.evaluateHours(reports, context: context, into: &candidates)
                aggregateCandidates(clock: clock)
            }
        }
    }

    /// - Parameter clock: the detector's clock when the event arrived.
    private func evaluateBehaviour(_ event: AuditEvent, traits: OperationTraits, inOrder: Bool, clock: EventTime) {
        if inOrder {
            reports.removeAll()
            baseline.advance(to: event.time, reports: &reports)
            if !reports.isEmpty { rules.evaluateHours(reports, context: context, into: &candidates) }
        }
        // Filled in place: returned, the observation (~300 bytes, with the arrays of a sequence's
        // evidence) was copied out with retains and the original released, for every event.
        var observation = BaselineObservation()
        baseline.observe(event, traits: traits, arrival: clock.ticks, into: &observation)
        judge(event, observation, clock: clock)
    }

    /// Runs the per-event behavioural rules on what the baselines knew and settles what they
    /// held back. Apart, not inlined: the caller's `var` observation was copied (~300 bytes) for
    /// each of the two calls that read it; passed here, once, then read in place.
    @inline(never)
    private func judge(_ event: AuditEvent, _ observation: BaselineObservation, clock: EventTime) {
        let fired = rules.evaluateBehaviour(event, observation, context: context, into: &candidates)
        baseline.settle(event, observation, fired: fired)
        if !candidates.isEmpty { aggregateCandidates(clock: clock) }
    }

    // MARK: - Alerts

    /// - Parameter clock: the detector's clock when the candidates' records arrived.
    private func aggregateCandidates(clock: EventTime) {
        for candidate in candidates {
            if !settings.isEnabled(candidate.kind) { continue }
            if !suppressions.isEmpty, suppressions.suppresses(candidate) {
                counters.suppressedAlerts += 1
                continue
            }
            let outcome = aggregator.add(candidate, clock: clock)
            record(outcome)
            if let end = aggregator.nextWindowEnd { catchUpClock = min(catchUpClock, end.ticks &+ Self.latenessAllowance.ticks) }
            if let index = touchedIndex[outcome.alert.id] {
                touched[index] = outcome.alert
            } else {
                touchedIndex[outcome.alert.id] = touched.count
                touched.append(outcome.alert)
            }
        }
        candidates.removeAll(keepingCapacity: true)
    }

    /// Yields the alerts touched since the last publish and returns them.
    @discardableResult
    private func publish() -> [Alert] {
        let published = touched
        for alert in published { continuation.yield(alert) }
        touched.removeAll(keepingCapacity: true)
        touchedIndex.removeAll(keepingCapacity: true)
        return published
    }

    private func record(_ outcome: AlertAggregator.Outcome) {
        if let previous = outcome.previousSeverity {
            counters.alertUpdates += 1
            if previous != outcome.alert.severity {
                counters.adjustAlerts(of: previous, by: -1)
                counters.adjustAlerts(of: outcome.alert.severity, by: 1)
            }
        } else {
            counters.alertsRaised += 1
            counters.adjustAlerts(of: outcome.alert.severity, by: 1)
        }
    }
}
