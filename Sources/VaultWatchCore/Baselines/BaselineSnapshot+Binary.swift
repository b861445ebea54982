/// `BaselineSnapshot`'s saved form since format 3: compact binary (`StateWriter`), every name
/// written once. Format 2 was the same model as sorted-key JSON: 97 MiB and 8.9 s per save on
/// the benchmark's synthetic records, most of it the same object ids spelled out again and
/// again; it is still read (`BaselineSnapshot.decode`), so a state file saved by an older
/// VaultWatch keeps its baselines.
///
/// Fields are written in declaration order, each type by one pair of functions here: a field
/// added to the model must be added to both, and `BinaryStateTests` checks that every field of
/// a populated snapshot comes back.
extension BaselineSnapshot {
    /// The first bytes of a binary state: never the start of JSON text.
    static let magic: [UInt8] = Array("VWDS".utf8)

    /// The format version in a binary state's header (nil when the bytes are not binary state).
    static func formatVersion(of data: [UInt8]) -> Int? {
        guard data.starts(with: magic) else { return nil }
        var reader = StateReader(data, offset: magic.count)
        return (try? reader.unsigned()).map { Int(truncatingIfNeeded: $0) }
    }

    /// This state in format `version`: how a decoded state, or one of an older format (for the
    /// tests that it is still read), is written. A detector writes its own straight from its
    /// baselines (`BehaviourBaseline.writeState`), the same bytes.
    func binary() -> [UInt8] {
        var writer = StateWriter(capacity: 64 + 64 * (vaults.count + principals.count + pairs.count + principalRanges.count))
        Self.writeHeader(
            &writer, version: version, eventClock: eventClock, firstEventTime: firstEventTime, currentHour: currentHour, currentDay: currentDay)
        writer.entities(of: self, format: version)
        let format = version
        writer.optional(inFlight) { $0.inFlight($1, version: format) }
        return writer.bytes
    }

    /// The magic, the format version and the fields every binary format starts with.
    static func writeHeader(
        _ writer: inout StateWriter, version: Int, eventClock: Int64?, firstEventTime: Int64?, currentHour: Int32, currentDay: Int32
    ) {
        writer.raw(magic)
        writer.unsigned(UInt64(version))
        writer.optional(eventClock) { $0.signed($1) }
        writer.optional(firstEventTime) { $0.signed($1) }
        writer.signed(currentHour)
        writer.signed(currentDay)
    }

    /// Reads a binary state: whole (formats 3 to 5 and 7), or format 6's header with its `rows`.
    init(binary data: [UInt8], rows: [BaselineRow] = []) throws(BaselineStateError) {
        guard data.starts(with: Self.magic) else { throw BaselineStateError("detector state is not VaultWatch binary state") }
        var reader = StateReader(data, offset: Self.magic.count)
        version = Int(try reader.unsigned(UInt32.self))
        guard (Self.firstBinaryVersion...Self.currentVersion).contains(version) else {
            throw BaselineStateError("detector state version \(version) is not supported (this build reads up to \(Self.currentVersion))")
        }
        guard rows.isEmpty || version == Self.rowsVersion else {
            throw BaselineStateError("detector state version \(version) is whole, yet \(rows.count) rows were saved beside it")
        }
        eventClock = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
        firstEventTime = try reader.optional { reader throws(BaselineStateError) in try reader.signed() }
        currentHour = try reader.signed(Int32.self)
        currentDay = try reader.signed(Int32.self)
        guard version != Self.rowsVersion else {
            _ = try reader.unsigned()  // the bucket size: only the next save needs it
            let vaultOrder = try reader.array { reader throws(BaselineStateError) in try reader.requiredName() }
            (vaults, principals, pairs, vaultApplications, userApplications) = ([], [], [], [], [])
            (principalRanges, vaultRanges, addressBlocks, routineDays, writtenObjects) = ([], [], [], [], [])
            let format = version
            inFlight = try reader.optional { reader throws(BaselineStateError) in try reader.inFlight(version: format) }
            guard reader.isAtEnd else { throw BaselineStateError("detector state is damaged: \(data.count - reader.offset) bytes after its end") }
            try takeRows(rows, vaultOrder: vaultOrder)
            version = Self.currentVersion
            return
        }
        let format = version
        vaults = try reader.array { reader throws(BaselineStateError) in try reader.vault() }
        principals = try reader.array { reader throws(BaselineStateError) in try reader.principal() }
        pairs = try reader.array { reader throws(BaselineStateError) in try reader.pair(format: format) }
        vaultApplications = try reader.array { reader throws(BaselineStateError) in try reader.named() }
        userApplications = try reader.array { reader throws(BaselineStateError) in try reader.named() }
        principalRanges = try reader.array { reader throws(BaselineStateError) in try reader.range() }
        vaultRanges = try reader.array { reader throws(BaselineStateError) in try reader.range() }
        addressBlocks = try reader.array { reader throws(BaselineStateError) in try reader.block(format: format) }
        routineDays = try reader.array { reader throws(BaselineStateError) in try reader.routineDays() }
        writtenObjects = try reader.array { reader throws(BaselineStateError) in try reader.named() }
        inFlight = try reader.optional { reader throws(BaselineStateError) in try reader.inFlight(version: format) }
        version = Self.currentVersion
        guard reader.isAtEnd else { throw BaselineStateError("detector state is damaged: \(data.count - reader.offset) bytes after its end") }
    }
}

// MARK: - Shared shapes

/// The learned entities, one function per kind, as the whole state writes them (format 7, and
/// 5 and older); format 6's rows, still read, hold format 5's encoding: one per entity kind.
extension StateWriter {
    /// Every learned entity, section by section, as in the whole state of `format` (older
    /// formats for the tests that they are still read).
    mutating func entities(of snapshot: BaselineSnapshot, format: Int) {
        array(snapshot.vaults) { $0.vault($1) }
        array(snapshot.principals) { $0.principal($1) }
        array(snapshot.pairs) { $0.pair($1, format: format) }
        array(snapshot.vaultApplications) { $0.named($1) }
        array(snapshot.userApplications) { $0.named($1) }
        array(snapshot.principalRanges) { $0.range($1) }
        array(snapshot.vaultRanges) { $0.range($1) }
        array(snapshot.addressBlocks) { $0.block($1, format: format) }
        array(snapshot.routineDays) { $0.routineDays($1) }
        array(snapshot.writtenObjects) { $0.named($1) }
    }

    mutating func vault(_ vault: BaselineSnapshot.Vault) {
        name(vault.name)
        signed(vault.firstSeen)
        signed(vault.lastSeenDay)
        signed(vault.lastHourWritten)
        array(vault.hourly) { $0.unsigned($1) }
        namedMap(vault.operationLastDay) { $0.signed($1) }
        namedMap(vault.operationMix) { $0.double($1) }
        signed(vault.mixDay)
        signed(vault.knownPrincipals)
        signed(vault.knownUsers)
        signed(vault.knownApplications)
        optional(vault.inferredOffsetHours) { $0.signed($1) }
    }

    mutating func principal(_ principal: BaselineSnapshot.Principal) {
        name(principal.id)
        signed(principal.firstSeen)
        signed(principal.lastSeenHour)
        array(principal.recent) { writer, recent in
            writer.name(recent.vault)
            writer.signed(recent.reachedHour)
            writer.signed(recent.deniedHour)
        }
        periodMaximum(principal.reachedPeak)
        periodMaximum(principal.deniedPeak)
        signed(principal.reachedAlertHour)
        signed(principal.deniedAlertHour)
        signed(principal.today)
        unsigned(principal.reachedToday)
        unsigned(principal.deniedToday)
    }

    mutating func pair(_ pair: BaselineSnapshot.Pair, format: Int) {
        name(pair.vault)
        name(pair.principal)
        signed(pair.lastReachedHour)
        signed(pair.lastDeniedHour)
        bool(pair.isUser)
        array(pair.burstDays) { $0.unsigned($1) }
        unsigned(pair.burstToday)
        unsigned(pair.burstTodayPeak)
        if format >= BaselineSnapshot.objectsVersion { periodMaximum(pair.burstObjects ?? PeriodMaximum()) }
        periodMaximum(pair.listReadPeak)
        if format >= BaselineSnapshot.listReadMemoryVersion { periodMaximum(pair.listReadMemory ?? PeriodMaximum()) }
        unsigned(pair.changeReadDay)
        unsigned(pair.firstSeenDay)
        array(pair.operations) { $0.name($1) }
        array(pair.newOperationsThisHour) { $0.name($1) }
        signed(pair.operationsHour)
    }

    mutating func block(_ block: BaselineSnapshot.Block, format: Int) {
        name(block.principal)
        unsigned(block.block)
        unsigned(block.day)
        unsigned(block.distinct)
        array(block.ranges) { $0.unsigned($1) }
        // Format 10: the days each range was used on, and its last day.
        guard format >= BaselineSnapshot.rangeDaysVersion else { return }
        array(block.rangeDays ?? []) { $0.unsigned($1) }
        array(block.rangeLastDays ?? []) { $0.unsigned($1) }
    }

    mutating func routineDays(_ routine: BaselineSnapshot.RoutineDays) {
        name(routine.vault)
        name(routine.principal)
        name(routine.operation)
        array(routine.days) { $0.unsigned($1) }
    }

    mutating func periodMaximum(_ value: PeriodMaximum) {
        unsigned(value.period)
        unsigned(value.current)
        unsigned(value.previous)
    }

    mutating func named(_ value: BaselineSnapshot.Named) {
        name(value.first)
        name(value.second)
        name(value.third)
        unsigned(value.day)
    }

    mutating func range(_ value: BaselineSnapshot.Range) {
        name(value.owner)
        unsigned(value.range)
        unsigned(value.day)
    }

    mutating func band(_ band: BaselineInFlight.Band) {
        double(band.median)
        double(band.mad)
        signed(band.samples)
        signed(band.sameWeekdayMaximum)
        signed(band.threshold)
    }

    /// An event: the one saved form of `NamedEvent`'s fields (0 stands for its absent numbers,
    /// as in the event itself).
    mutating func event(_ event: NamedEvent) {
        signed(event.time)
        name(event.vault)
        name(event.resourceID)
        name(event.operation)
        name(event.operationVersion)
        name(event.principalID)
        name(event.upn)
        name(event.appID)
        name(event.callerIP)
        unsigned(event.httpStatusCode ?? 0)
        name(event.resultSignature)
        unsigned(event.outcome.rawValue)
        unsigned((event.objectKind ?? .none).rawValue)
        name(event.objectName)
        name(event.clientInfo)
        name(event.grantedPrincipalID)
        unsigned(event.durationMs ?? 0)
        name(event.source)
        unsigned(event.line ?? 0)
    }

    /// The reorder buffer's part of what is in flight (its held events, when inline, the release
    /// mark and arrival numbers), then the detector's counters.
    mutating func reorder(_ reorder: ReorderBuffer.Snapshot, counters: DetectorCounters) {
        array(reorder.pending) { $0.event($1) }
        signed(reorder.releasedThrough)
        let arrivals = reorder.arrivals ?? reorder.pending.indices.map { UInt64($0) }
        array(arrivals) { $0.unsigned($1) }
        unsigned(reorder.nextArrival ?? UInt64(arrivals.count))
        for field in DetectorCounters.savedFields { signed(counters[keyPath: field]) }
    }

    /// A live event in `event(_: NamedEvent)`'s form, its names by symbol (`name(_:in:)`).
    mutating func event(_ event: AuditEvent, names: SavedNames) {
        signed(event.time.ticks)
        name(event.vault, in: names)
        name(event.resourceID, in: names)
        name(event.operation, in: names)
        name(event.operationVersion, in: names)
        name(event.principalID, in: names)
        name(event.upn, in: names)
        name(event.appID, in: names)
        name(event.callerIP?.description)
        unsigned(event.httpStatusCode)
        name(event.resultSignature, in: names)
        unsigned(event.outcome.rawValue)
        unsigned(event.objectKind.rawValue)
        name(event.objectName, in: names)
        name(event.clientInfo, in: names)
        name(event.grantedPrincipalID, in: names)
        unsigned(event.durationMs)
        name(event.location.source, in: names)
        unsigned(event.location.line)
    }

    /// What is in flight, as format `version` holds it (an older format is written for tests
    /// of reading it).
    mutating func inFlight(_ inFlight: DetectorInFlight, version: Int) {
        let baselines = inFlight.baselines
        array(baselines.operations) { $0.name($1) }
        array(baselines.vaultHours) { writer, hour in
            writer.name(hour.vault)
            writer.signed(hour.hour)
            writer.signed(hour.count)
            writer.optional(hour.band) { $0.band($1) }
            writer.optional(hour.crossing) { $0.event($1) }
            writer.namedMap(hour.operations) { $0.unsigned($1) }
            writer.array(hour.newOperations) { $0.name($1) }
            writer.optional(hour.rareSample) { $0.event($1) }
            writer.namedMap(hour.unexplained) { $0.unsigned($1) }
        }
        array(baselines.pairHours) { writer, hour in
            writer.name(hour.vault)
            writer.name(hour.principal)
            writer.signed(hour.count)
            writer.optional(hour.band) { $0.band($1) }
            writer.signed(hour.threshold)
            writer.optional(hour.crossing) { $0.event($1) }
            // Format 11: the ceiling of more replicas of the usual load, and the hour's objects.
            guard version >= BaselineSnapshot.objectsVersion else { return }
            writer.signed(hour.ceiling ?? hour.threshold)
            writer.array(hour.objects ?? []) { $0.name($1) }
            // Format 13: whether a listing that alerted was open in the hour.
            guard version >= BaselineSnapshot.replicasVersion else { return }
            writer.bool(hour.listingAlerted ?? false)
        }
        array(baselines.lists) { writer, list in
            writer.name(list.vault)
            writer.name(list.principal)
            writer.signed(list.start)
            writer.array(list.secrets) { $0.name($1) }
            writer.signed(list.distinct)
            writer.bool(list.alerted)
            writer.array(list.events ?? []) { $0.event($1) }
        }
        array(baselines.changes) { writer, change in
            writer.event(change.event)
            writer.bool(change.consumed)
        }
        reorder(inFlight.reorder, counters: inFlight.counters)
        // Format 7: the callers of the hours closed lately.
        guard version >= BaselineSnapshot.closedHoursVersion else { return }
        array(baselines.closedHours ?? []) { writer, closed in
            writer.name(closed.vault)
            writer.signed(closed.hour)
            writer.array(closed.callers) { writer, caller in
                writer.name(caller.principal)
                writer.signed(caller.count)
                // Before format 13 a caller whose hour was more replicas was saved with its
                // ceiling as its threshold and its habit, as the detectors that read it judge it.
                let limit = caller.replicas.map {
                    BurstHistory.limit(threshold: caller.threshold, ceiling: $0.ceiling, objects: $0.objects.count, usualObjects: $0.usualObjects)
                } ?? caller.threshold
                let older = version < BaselineSnapshot.replicasVersion && limit > caller.threshold
                writer.signed(older ? limit : caller.habit)
                writer.signed(older ? limit : caller.threshold)
                writer.signed(caller.usualBurst)
                // Format 13: the objects of a caller whose hour was more replicas of its usual load.
                guard version >= BaselineSnapshot.replicasVersion else { return }
                writer.optional(caller.replicas) { writer, replicas in
                    writer.signed(replicas.ceiling)
                    writer.signed(replicas.usualObjects)
                    writer.array(replicas.objects) { $0.name($1) }
                    writer.optional(replicas.crossing) { $0.event($1) }
                }
            }
        }
        // Format 9: the closed hours a late run is adding to.
        guard version >= BaselineSnapshot.reopenedHoursVersion else { return }
        array(baselines.reopenedHours ?? []) { writer, reopened in
            writer.name(reopened.vault)
            writer.signed(reopened.hour)
            writer.signed(reopened.lastArrival)
            writer.bool(reopened.attributed)
            writer.bool(reopened.armed)
            writer.optional(reopened.crossing) { $0.event($1) }
            writer.array(reopened.principalCrossings) { $0.event($1) }
        }
    }
}

extension StateReader {
    mutating func vault() throws(BaselineStateError) -> BaselineSnapshot.Vault {
        BaselineSnapshot.Vault(
            name: try requiredName(), firstSeen: try signed(), lastSeenDay: try signed(Int32.self),
            lastHourWritten: try signed(Int32.self),
            hourly: try array { reader throws(BaselineStateError) in try reader.unsigned(UInt32.self) },
            operationLastDay: try namedMap { reader throws(BaselineStateError) in try reader.signed(Int32.self) },
            operationMix: try namedMap { reader throws(BaselineStateError) in try reader.double() },
            mixDay: try signed(Int32.self), knownPrincipals: try signed(Int.self),
            knownUsers: try signed(Int.self), knownApplications: try signed(Int.self),
            inferredOffsetHours: try optional { reader throws(BaselineStateError) in try reader.signed(Int.self) })
    }

    mutating func principal() throws(BaselineStateError) -> BaselineSnapshot.Principal {
        BaselineSnapshot.Principal(
            id: try requiredName(), firstSeen: try signed(), lastSeenHour: try signed(Int32.self),
            recent: try array { reader throws(BaselineStateError) in
                BaselineSnapshot.RecentVault(
                    vault: try reader.requiredName(), reachedHour: try reader.signed(Int32.self), deniedHour: try reader.signed(Int32.self))
            },
            reachedPeak: try periodMaximum(), deniedPeak: try periodMaximum(),
            reachedAlertHour: try signed(Int32.self), deniedAlertHour: try signed(Int32.self),
            today: try signed(Int32.self), reachedToday: try unsigned(UInt16.self),
            deniedToday: try unsigned(UInt16.self))
    }

    mutating func pair(format: Int) throws(BaselineStateError) -> BaselineSnapshot.Pair {
        BaselineSnapshot.Pair(
            vault: try requiredName(), principal: try requiredName(),
            lastReachedHour: try signed(Int32.self), lastDeniedHour: try signed(Int32.self),
            isUser: try bool(),
            burstDays: try array { reader throws(BaselineStateError) in try reader.unsigned(UInt32.self) },
            burstToday: try unsigned(UInt16.self), burstTodayPeak: try unsigned(UInt16.self),
            burstObjects: format >= BaselineSnapshot.objectsVersion ? try periodMaximum() : nil,
            listReadPeak: try periodMaximum(), listReadMemory: format >= BaselineSnapshot.listReadMemoryVersion ? try periodMaximum() : nil,
            changeReadDay: try unsigned(UInt16.self),
            firstSeenDay: try unsigned(UInt16.self),
            operations: try array { reader throws(BaselineStateError) in try reader.requiredName() },
            newOperationsThisHour: try array { reader throws(BaselineStateError) in try reader.requiredName() },
            operationsHour: try signed(Int32.self))
    }

    mutating func block(format: Int) throws(BaselineStateError) -> BaselineSnapshot.Block {
        let withDays = format >= BaselineSnapshot.rangeDaysVersion
        return BaselineSnapshot.Block(
            principal: try requiredName(), block: try unsigned(), day: try unsigned(UInt16.self),
            distinct: try unsigned(UInt8.self),
            ranges: try array { reader throws(BaselineStateError) in try reader.unsigned(UInt16.self) },
            rangeDays: withDays ? try array { reader throws(BaselineStateError) in try reader.unsigned(UInt8.self) } : nil,
            rangeLastDays: withDays ? try array { reader throws(BaselineStateError) in try reader.unsigned(UInt16.self) } : nil)
    }

    mutating func routineDays() throws(BaselineStateError) -> BaselineSnapshot.RoutineDays {
        BaselineSnapshot.RoutineDays(
            vault: try requiredName(), principal: try requiredName(), operation: try requiredName(),
            days: try array { reader throws(BaselineStateError) in try reader.unsigned(UInt16.self) })
    }

    mutating func periodMaximum() throws(BaselineStateError) -> PeriodMaximum {
        PeriodMaximum(period: try unsigned(UInt16.self), current: try unsigned(UInt16.self), previous: try unsigned(UInt16.self))
    }

    mutating func named() throws(BaselineStateError) -> BaselineSnapshot.Named {
        .init(first: try requiredName(), second: try requiredName(), third: try name(), day: try unsigned(UInt16.self))
    }

    mutating func range() throws(BaselineStateError) -> BaselineSnapshot.Range {
        .init(owner: try requiredName(), range: try unsigned(), day: try unsigned(UInt16.self))
    }

    mutating func band() throws(BaselineStateError) -> BaselineInFlight.Band {
        .init(
            median: try double(), mad: try double(), samples: try signed(Int.self), sameWeekdayMaximum: try signed(Int.self),
            threshold: try signed(Int.self))
    }

    mutating func event() throws(BaselineStateError) -> NamedEvent {
        let time = try signed()
        let vault = try name(), resourceID = try name(), operation = try name(), operationVersion = try name()
        let principalID = try name(), upn = try name(), appID = try name(), callerIP = try name()
        let httpStatusCode = try unsigned(UInt16.self)
        let resultSignature = try name()
        let outcomeValue = try unsigned(UInt8.self)
        guard let outcome = Outcome(rawValue: outcomeValue) else { throw BaselineStateError("detector state is damaged: outcome \(outcomeValue)") }
        let kindValue = try unsigned(UInt8.self)
        guard let objectKind = ObjectKind(rawValue: kindValue) else { throw BaselineStateError("detector state is damaged: object kind \(kindValue)") }
        let objectName = try name(), clientInfo = try name(), grantedPrincipalID = try name()
        let durationMs = try unsigned(UInt32.self)
        let source = try name()
        let line = try unsigned(UInt32.self)
        return NamedEvent(
            time: time, vault: vault, resourceID: resourceID, operation: operation, operationVersion: operationVersion,
            principalID: principalID, upn: upn, appID: appID, callerIP: callerIP,
            httpStatusCode: httpStatusCode == 0 ? nil : httpStatusCode, resultSignature: resultSignature, outcome: outcome,
            objectKind: objectKind == .none ? nil : objectKind, objectName: objectName, clientInfo: clientInfo,
            grantedPrincipalID: grantedPrincipalID, durationMs: durationMs == 0 ? nil : durationMs, source: source,
            line: line == 0 ? nil : line)
    }

    mutating func inFlight(version: Int) throws(BaselineStateError) -> DetectorInFlight {
        let operations = try array { reader throws(BaselineStateError) in try reader.requiredName() }
        let vaultHours = try array { reader throws(BaselineStateError) in
            BaselineInFlight.OpenVaultHour(
                vault: try reader.requiredName(), hour: try reader.signed(Int32.self), count: try reader.signed(Int.self),
                band: try reader.optional { reader throws(BaselineStateError) in try reader.band() },
                crossing: try reader.optional { reader throws(BaselineStateError) in try reader.event() },
                operations: try reader.namedMap { reader throws(BaselineStateError) in try reader.unsigned(UInt32.self) },
                newOperations: try reader.array { reader throws(BaselineStateError) in try reader.requiredName() },
                rareSample: try reader.optional { reader throws(BaselineStateError) in try reader.event() },
                unexplained: try reader.namedMap { reader throws(BaselineStateError) in try reader.unsigned(UInt32.self) })
        }
        let pairHours = try array { reader throws(BaselineStateError) in
            var hour = BaselineInFlight.OpenPairHour(
                vault: try reader.requiredName(), principal: try reader.requiredName(), count: try reader.signed(Int.self),
                band: try reader.optional { reader throws(BaselineStateError) in try reader.band() },
                threshold: try reader.signed(Int.self),
                crossing: try reader.optional { reader throws(BaselineStateError) in try reader.event() })
            // Format 11 keeps the ceiling of more replicas of the usual load, and the hour's objects.
            if version >= BaselineSnapshot.objectsVersion {
                hour.ceiling = try reader.signed(Int.self)
                hour.objects = try reader.array { reader throws(BaselineStateError) in try reader.requiredName() }
            }
            // Format 13 keeps whether a listing that alerted was open in the hour.
            if version >= BaselineSnapshot.replicasVersion { hour.listingAlerted = try reader.bool() }
            return hour
        }
        let lists = try array { reader throws(BaselineStateError) in
            BaselineInFlight.OpenList(
                vault: try reader.requiredName(), principal: try reader.requiredName(), start: try reader.signed(),
                secrets: try reader.array { reader throws(BaselineStateError) in try reader.requiredName() },
                distinct: try reader.signed(Int.self), alerted: try reader.bool(),
                // Format 5 keeps the sequence's events for its alert's evidence.
                events: version >= 5 ? try reader.array { reader throws(BaselineStateError) in try reader.event() } : nil)
        }
        let changes = try array { reader throws(BaselineStateError) in
            BaselineInFlight.OpenChange(event: try reader.event(), consumed: try reader.bool())
        }
        let pending = try array { reader throws(BaselineStateError) in try reader.event() }
        let releasedThrough = try signed()
        // Format 3 had no arrival numbers: its held events arrived in the order saved.
        var arrivals: [UInt64]?
        var nextArrival: UInt64?
        if version >= 4 {
            arrivals = try array { reader throws(BaselineStateError) in try reader.unsigned() }
            nextArrival = try unsigned()
        }
        var counters = DetectorCounters()
        for field in DetectorCounters.savedFields { counters[keyPath: field] = try signed(Int.self) }
        // Format 7 keeps the callers of the hours closed lately, for late records.
        var closedHours: [BaselineInFlight.ClosedHour]?
        if version >= BaselineSnapshot.closedHoursVersion {
            closedHours = try array { reader throws(BaselineStateError) in
                BaselineInFlight.ClosedHour(
                    vault: try reader.requiredName(), hour: try reader.signed(Int32.self),
                    callers: try reader.array { reader throws(BaselineStateError) in
                        var caller = BaselineInFlight.ClosedHour.Caller(
                            principal: try reader.requiredName(), count: try reader.signed(Int.self), habit: try reader.signed(Int.self),
                            threshold: try reader.signed(Int.self), usualBurst: try reader.signed(Int.self))
                        // Format 13 keeps the objects of a caller whose hour was more replicas.
                        if version >= BaselineSnapshot.replicasVersion {
                            caller.replicas = try reader.optional { reader throws(BaselineStateError) in
                                BaselineInFlight.ClosedHour.Replicas(
                                    ceiling: try reader.signed(Int.self), usualObjects: try reader.signed(Int.self),
                                    objects: try reader.array { reader throws(BaselineStateError) in try reader.requiredName() },
                                    crossing: try reader.optional { reader throws(BaselineStateError) in try reader.event() })
                            }
                        }
                        return caller
                    })
            }
        }
        // Format 9 keeps the closed hours a late run is adding to.
        var reopenedHours: [BaselineInFlight.ReopenedHour]?
        if version >= BaselineSnapshot.reopenedHoursVersion {
            reopenedHours = try array { reader throws(BaselineStateError) in
                BaselineInFlight.ReopenedHour(
                    vault: try reader.requiredName(), hour: try reader.signed(Int32.self), lastArrival: try reader.signed(),
                    attributed: try reader.bool(), armed: try reader.bool(), crossing: try reader.optional { reader throws(BaselineStateError) in try reader.event() },
                    principalCrossings: try reader.array { reader throws(BaselineStateError) in try reader.event() })
            }
        }
        return DetectorInFlight(
            baselines: BaselineInFlight(
                operations: operations, vaultHours: vaultHours, pairHours: pairHours, lists: lists, changes: changes,
                closedHours: closedHours, reopenedHours: reopenedHours),
            reorder: ReorderBuffer.Snapshot(
                pending: pending, releasedThrough: releasedThrough, arrivals: arrivals, nextArrival: nextArrival),
            counters: counters)
    }
}

extension DetectorCounters {
    /// The counters a saved state keeps, in their saved order.
    static var savedFields: [WritableKeyPath<DetectorCounters, Int>] {
        [
            \.eventsSeen, \.malformedRecords, \.skippedRecords, \.outOfRangeRecords, \.alertsRaised, \.alertUpdates,
            \.suppressedAlerts, \.lateRecords, \.challengeRequests, \.informationalAlerts, \.lowAlerts, \.mediumAlerts,
            \.highAlerts,
        ]
    }
}
