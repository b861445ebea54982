/// Runs the detection rules over batches of events and publishes alerts.
///
/// Rules run on event time (the record's `time`), never the wall clock, so replaying a log
/// gives the alerts of the live run, with the same ids.
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
/// - Complexity: per event, one operation-symbol look-up and each rule's checks (two IP-list
///   look-ups, symbol comparisons); no allocation and no string work unless a rule fires.
public actor Detector {
    /// Alerts in their current state, in order. One consumer (see the type's notes).
    public nonisolated let alerts: AsyncStream<Alert>

    private enum State {
        case running
        case finished
    }

    private let continuation: AsyncStream<Alert>.Continuation
    private let context: RuleContext
    private var state = State.running
    private var rules = RuleSet()
    private var classifier: OperationClassifier
    private var aggregator: AlertAggregator
    private var counters = DetectorCounters()
    /// The latest event time seen: the detector's clock.
    private var latestEventTime: EventTime?
    /// Open alerts are kept this long past their window, for records that arrive a little out
    /// of order (several sources, clock skew between blobs).
    private static let latenessAllowance = EventTime.Duration.hours(1)

    public init(symbols: SymbolTable, configuration: DetectorConfiguration = DetectorConfiguration()) {
        let (stream, continuation) = AsyncStream<Alert>.makeStream(bufferingPolicy: .unbounded)
        self.alerts = stream
        self.continuation = continuation
        self.context = RuleContext(
            symbols: symbols, torExits: configuration.torExits, threatIntel: configuration.threatIntel,
            language: configuration.language)
        self.classifier = OperationClassifier(symbols: symbols)
        self.aggregator = AlertAggregator(
            symbols: symbols, language: configuration.language, window: configuration.aggregationWindow,
            evidenceLimit: configuration.evidenceLimit)
    }

    deinit {
        continuation.finish()
    }

    /// Runs every rule on every event of `batch`, then publishes the alerts it opened or updated.
    /// Ignored after `finish()`.
    public func process(_ batch: EventBatch) {
        guard case .running = state else { return }
        counters.malformedRecords += batch.malformedCount
        counters.skippedRecords += batch.skippedCount
        counters.eventsSeen += batch.events.count

        var candidates: [AlertCandidate] = []  // allocates only when a rule fires
        var touched: [Alert] = []
        var touchedIndex: [String: Int] = [:]
        var latest = latestEventTime ?? EventTime(ticks: .min)
        for event in batch.events {
            if event.time > latest { latest = event.time }
            let traits = classifier.traits(for: event.operation)
            rules.evaluate(event, traits: traits, context: context, into: &candidates)
            guard !candidates.isEmpty else { continue }
            for candidate in candidates {
                let outcome = aggregator.add(candidate)
                record(outcome)
                if let index = touchedIndex[outcome.alert.id] {
                    touched[index] = outcome.alert
                } else {
                    touchedIndex[outcome.alert.id] = touched.count
                    touched.append(outcome.alert)
                }
            }
            candidates.removeAll(keepingCapacity: true)
        }
        if !batch.events.isEmpty {
            latestEventTime = latest
            aggregator.expire(through: EventTime(ticks: latest.ticks - Self.latenessAllowance.ticks))
        }
        for alert in touched { continuation.yield(alert) }
    }

    /// Ends `alerts` once the alerts already published are consumed. Later batches are ignored.
    public func finish() {
        state = .finished
        continuation.finish()
    }

    /// What the detector has done so far.
    public var currentCounters: DetectorCounters { counters }

    /// The latest event time seen, the clock rules run on; nil before the first event.
    public var eventClock: EventTime? { latestEventTime }

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
