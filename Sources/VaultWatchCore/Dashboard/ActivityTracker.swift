/// Counts what the dashboard shows, from the same batches the detector receives: per-vault
/// counts by minute and hour of event time, principals, the operation mix, totals and a
/// bounded ring of the newest events. It counts the records the detector took: one it
/// recognised as already taken (`Detector.take`'s `repeats`) is counted as a duplicate only, so
/// the header, the charts and the live activity show a record delivered twice once.
///
/// Memory is bounded by entities, not events: per vault a ring of minutes, a ring of
/// `hourHistory` hours, its principals and its operation names; `recentLimit` events overall.
/// - Complexity: per event, one dictionary look-up for the vault, one for the operation and
///   one set insertion for the principal; no string work (strings are resolved in `snapshot`).
/// - Important: a plain value, not thread-safe; `DashboardModel` owns one behind a lock.
public struct ActivityTracker {
    /// Minutes of per-minute counts kept (the sparkline's span).
    public static let minuteWindow = 60
    /// Hours shown in the baseline chart.
    public static let hourWindow = 72
    /// Hours of counts kept per vault: the chart's span (bands come from the detector).
    public static let hourHistory = hourWindow
    /// Newest events kept for the live-activity panel.
    public static let recentLimit = 256

    fileprivate struct VaultTrack {
        var name: Symbol
        var firstSeen: EventTime
        var firstHour: Int64
        var minuteCounts = [Int32](repeating: 0, count: ActivityTracker.minuteWindow)
        var minuteStamps = [Int64](repeating: .min, count: ActivityTracker.minuteWindow)
        var hourCounts = [Int32](repeating: 0, count: ActivityTracker.hourHistory)
        var hourStamps = [Int64](repeating: .min, count: ActivityTracker.hourHistory)
        var principals: Set<Symbol> = []
        var mixHour: Int64 = .min
        var mixNow: [Symbol: Int] = [:]
        var mixUsual: [Symbol: Int] = [:]
    }

    public let symbols: SymbolTable
    private var tracks: [VaultTrack] = []
    private var trackIndex: [Symbol: Int] = [:]
    private var recent: [AuditEvent] = []
    private var recentNext = 0
    public private(set) var totalEvents = 0
    public private(set) var malformedRecords = 0
    public private(set) var skippedRecords = 0
    /// Reports of data that may have been lost while reading (`DataLoss`), and the newest
    /// ones' text (`file: … may have been lost (reason)`), at most `lossHistory` of them.
    public private(set) var dataLossReports = 0
    public private(set) var recentDataLosses: [String] = []
    public static let lossHistory = 100
    /// SDK challenge requests (`AuditEvent.isChallengeRequest`) among the events.
    public private(set) var challengeRequests = 0
    /// Records already taken, delivered again: not among `totalEvents` nor anywhere else.
    public private(set) var duplicateRecords = 0
    public private(set) var eventClock: EventTime?
    public private(set) var firstEventTime: EventTime?

    public init(symbols: SymbolTable) {
        self.symbols = symbols
        recent.reserveCapacity(Self.recentLimit)
    }

    /// Counts every event of `batch` but those at the positions `repeats` (ascending: the
    /// records the detector recognised as already taken, `Detector.TakenBatch.repeats`), which
    /// are counted as duplicates only, and those read again (`EventBatch.readAgain`), shown but
    /// not counted.
    public mutating func ingest(_ batch: EventBatch, repeats: [Int] = []) {
        malformedRecords += batch.malformedCount
        skippedRecords += batch.skippedCount
        for problem in batch.problems where problem.severity == .lost {
            dataLossReports += 1
            if recentDataLosses.count == Self.lossHistory { recentDataLosses.removeFirst() }
            recentDataLosses.append(problem.description)
        }
        duplicateRecords += repeats.count
        for event in batch.events(skipping: repeats) { ingest(event) }
        // Records read again (`EventBatch.readAgain`) are shown, as the timeline holds them, but
        // are not the run's events: the run before counted them.
        if !batch.readAgain.isEmpty {
            let repeated = Set(repeats)
            totalEvents -= batch.readAgain.reduce(0) { $0 + (repeated.contains($1) ? 0 : 1) }
        }
    }

    public mutating func ingest(_ event: AuditEvent) {
        totalEvents += 1
        if event.isChallengeRequest { challengeRequests += 1 }
        if eventClock.map({ event.time > $0 }) ?? true { eventClock = event.time }
        if firstEventTime.map({ event.time < $0 }) ?? true { firstEventTime = event.time }
        if recent.count < Self.recentLimit {
            recent.append(event)
        } else {
            recent[recentNext] = event
        }
        recentNext = (recentNext + 1) % Self.recentLimit

        let index: Int
        if let known = trackIndex[event.vault] {
            index = known
        } else {
            index = tracks.count
            trackIndex[event.vault] = index
            tracks.append(VaultTrack(name: event.vault, firstSeen: event.time, firstHour: event.time.hoursSince1970))
        }
        let minute = event.time.ticks / EventTime.ticksPerMinute
        let hour = event.time.hoursSince1970
        let clockMinute = (eventClock?.ticks ?? event.time.ticks) / EventTime.ticksPerMinute
        tracks[index].count(minute: minute, clockMinute: clockMinute)
        tracks[index].count(hour: hour)
        if event.time < tracks[index].firstSeen {
            tracks[index].firstSeen = event.time
            tracks[index].firstHour = hour
        }
        if !event.principalID.isNone { tracks[index].principals.insert(event.principalID) }
        tracks[index].countOperation(event.operation, hour: hour)
    }

    /// The names of the vaults seen, for asking the detector for their baselines.
    public var vaultNames: [String] { tracks.compactMap { symbols.string($0.name) } }

    /// The newest events, newest first.
    public var recentEvents: [AuditEvent] {
        guard recent.count == Self.recentLimit else { return recent.reversed() }
        return Array((recent[recentNext...] + recent[..<recentNext]).reversed())
    }

    /// The dashboard's view of every vault at the event clock, sorted by name; `openAlerts`
    /// gives the active alerts per vault name. Bands, thresholds and the usual mix are the
    /// detector's (`baselines`, by vault name: `Detector.baselineSummaries`), so the chart
    /// compares with what the rules compare with; a vault the detector has not summarised yet
    /// shows no band (there is no second estimate of the band).
    /// - Complexity: O(vaults × (hourWindow × weeks + operations)); strings resolved here.
    public func vaultActivities(openAlerts: [String: Int] = [:], baselines: [String: VaultBaselineSummary] = [:]) -> [VaultActivity] {
        guard let clock = eventClock else { return [] }
        let clockMinute = clock.ticks / EventTime.ticksPerMinute
        let clockHour = clock.hoursSince1970
        var result: [VaultActivity] = []
        result.reserveCapacity(tracks.count)
        for track in tracks {
            let name = symbols.string(track.name) ?? "(no vault)"
            var minutes: [Int] = []
            minutes.reserveCapacity(Self.minuteWindow)
            for minute in (clockMinute - Int64(Self.minuteWindow) + 1)...clockMinute {
                minutes.append(track.count(atMinute: minute))
            }
            var hours: [Int] = []
            var bands: [BaselineBand?] = []
            hours.reserveCapacity(Self.hourWindow)
            bands.reserveCapacity(Self.hourWindow)
            for hour in (clockHour - Int64(Self.hourWindow) + 1)...clockHour {
                hours.append(hour < track.firstHour ? 0 : track.count(atHour: hour))
                let time = EventTime(ticks: hour * EventTime.ticksPerHour)
                let band = baselines[name]?.band(weekday: time.weekday, hour: time.components.hour)
                bands.append(band.map { BaselineBand(median: $0.median, medianAbsoluteDeviation: $0.mad, threshold: Double($0.threshold)) })
            }
            let nowMix = track.mixHour == clockHour ? track.mixNow : [:]
            var usualMix = shares(track.mixUsual)
            if let summary = baselines[name], !summary.operationMix.isEmpty {
                usualMix = summary.operationMix.filter { $0.usualShare > 0 }.map {
                    OperationShare(operation: $0.operation, count: 0, fraction: $0.usualShare)
                }
            }
            result.append(VaultActivity(
                name: name, minuteCounts: minutes, hourlyCounts: hours, hourlyBand: bands,
                principalCount: track.principals.count,
                operationMixNow: shares(nowMix), operationMixUsual: usualMix,
                openAlerts: openAlerts[name] ?? 0,
                daysOfHistory: Int((clock.ticks - track.firstSeen.ticks) / EventTime.ticksPerDay)))
        }
        result.sort { $0.name < $1.name }
        return result
    }

    /// The newest events as the live-activity panel shows them, newest event time first
    /// (sources read one after another arrive slightly out of order).
    public func activityEvents(limit: Int = ActivityTracker.recentLimit) -> [ActivityEvent] {
        recentEvents.sorted { $0.time > $1.time }.prefix(limit).map { event in
            ActivityEvent(
                time: event.time, vault: symbols.string(event.vault) ?? "",
                operation: symbols.string(event.operation) ?? "",
                caller: symbols.string(event.upn) ?? symbols.string(event.principalID) ?? symbols.string(event.appID) ?? "",
                callerIP: event.callerIP?.description ?? "", outcome: event.outcome,
                httpStatusCode: Int(event.httpStatusCode), objectName: symbols.string(event.objectName) ?? "",
                principalID: symbols.string(event.principalID) ?? "", appID: symbols.string(event.appID) ?? "")
        }
    }

    private func shares(_ counts: [Symbol: Int]) -> [OperationShare] {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return [] }
        return counts
            .map { OperationShare(operation: symbols.string($0.key) ?? "(none)", count: $0.value, fraction: Double($0.value) / Double(total)) }
            .sorted { ($0.count, $1.operation) > ($1.count, $0.operation) }
    }
}

extension ActivityTracker.VaultTrack {
    mutating func count(minute: Int64, clockMinute: Int64) {
        guard minute > clockMinute - Int64(ActivityTracker.minuteWindow) else { return }
        let slot = Int(((minute % Int64(ActivityTracker.minuteWindow)) + Int64(ActivityTracker.minuteWindow)) % Int64(ActivityTracker.minuteWindow))
        if minuteStamps[slot] != minute {
            guard minuteStamps[slot] < minute else { return }  // a newer minute owns the slot
            minuteStamps[slot] = minute
            minuteCounts[slot] = 0
        }
        minuteCounts[slot] += 1
    }

    mutating func count(hour: Int64) {
        let slot = Self.hourSlot(hour)
        if hourStamps[slot] != hour {
            guard hourStamps[slot] < hour else { return }
            hourStamps[slot] = hour
            hourCounts[slot] = 0
        }
        hourCounts[slot] += 1
    }

    mutating func countOperation(_ operation: Symbol, hour: Int64) {
        if hour > mixHour {
            mixHour = hour
            mixNow.removeAll(keepingCapacity: true)
        }
        if hour == mixHour { mixNow[operation, default: 0] += 1 }
        mixUsual[operation, default: 0] += 1
    }

    func count(atMinute minute: Int64) -> Int {
        let window = Int64(ActivityTracker.minuteWindow)
        let slot = Int(((minute % window) + window) % window)
        return minuteStamps[slot] == minute ? Int(minuteCounts[slot]) : 0
    }

    func count(atHour hour: Int64) -> Int {
        let slot = Self.hourSlot(hour)
        return hourStamps[slot] == hour ? Int(hourCounts[slot]) : 0
    }

    static func hourSlot(_ hour: Int64) -> Int {
        let history = Int64(ActivityTracker.hourHistory)
        return Int(((hour % history) + history) % history)
    }
}
