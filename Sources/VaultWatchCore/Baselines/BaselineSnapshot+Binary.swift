/// `BaselineSnapshot`'s saved form since format 3: compact binary (`StateWriter`), every name
/// written once, read here; the one writer is the detector's (`BehaviourBaseline.writeState`,
/// straight from its baselines). Format 2 was the same model as sorted-key JSON: 97 MiB and 8.9 s per save on
/// the benchmark's synthetic records, most of it the same object ids spelled out again and
/// again; it is still read (`BaselineSnapshot.decode`), so a state file saved by an older
/// VaultWatch keeps its baselines.
///
/// A field added to the state is written there and read here, in the same order;
/// `BinaryStateTests` checks that every field of a populated state is read, and `SavedStateTests`
/// that a detector restored from a state writes the same state again.
extension BaselineSnapshot {
    /// The first bytes of a binary state: never the start of JSON text.
    static let magic: [UInt8] = Array("VWDS".utf8)

    /// The format version in a binary state's header (nil when the bytes are not binary state).
    static func formatVersion(of data: [UInt8]) -> Int? {
        guard data.starts(with: magic) else { return nil }
        var reader = StateReader(data, offset: magic.count)
        return (try? reader.unsigned()).map { Int(truncatingIfNeeded: $0) }
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
        if version >= Self.relativeStampsVersion { reader.measureStamps(fromDay: currentDay, hour: currentHour) }
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
        principalRanges = try reader.array { reader throws(BaselineStateError) in try reader.range(format: format) }
        vaultRanges = try reader.array { reader throws(BaselineStateError) in try reader.range(format: format) }
        addressBlocks = try reader.array { reader throws(BaselineStateError) in try reader.block(format: format) }
        routineDays = try reader.array { reader throws(BaselineStateError) in try reader.routineDays() }
        writtenObjects = try reader.array { reader throws(BaselineStateError) in try reader.named() }
        inFlight = try reader.optional { reader throws(BaselineStateError) in
            // Format 16: the in-flight section numbers its own names (written beside the entities).
            if format >= Self.sectionNamesVersion { reader.clearNames() }
            return try reader.inFlight(version: format)
        }
        version = Self.currentVersion
        guard reader.isAtEnd else { throw BaselineStateError("detector state is damaged: \(data.count - reader.offset) bytes after its end") }
    }
}

// MARK: - Shared shapes

/// The shapes the detector's writer shares between its entities and what is in flight.
extension StateWriter {
    /// An `ObjectFingerprint`: its period, then its words.
    mutating func fingerprint(_ value: ObjectFingerprint) {
        unsigned(value.period)
        array(value.words) { $0.unsigned($1) }
    }

    mutating func periodMaximum(_ value: PeriodMaximum) {
        unsigned(value.period)
        unsigned(value.current)
        unsigned(value.previous)
    }

    mutating func band(_ band: BaselineInFlight.Band) {
        double(band.median)
        double(band.mad)
        signed(band.samples)
        signed(band.sameWeekdayMaximum)
        signed(band.threshold)
    }

    /// A network range or provider block (`RangeKey.range(of:)`, `AddressBlocks.block(of:)`):
    /// an IPv4 one is tagged in its top bit, which made its varint 10 bytes; since format 14 the
    /// tag is rotated to the lowest bit, so an IPv4 /24 takes 4 bytes (on the benchmark's
    /// synthetic records, half a million ranges: 3 MB of a 16 MB state).
    mutating func networkRange(_ range: UInt64, format: Int) {
        unsigned(format >= BaselineSnapshot.compactRangesVersion ? (range << 1 | range >> 63) : range)
    }

    /// An event: every field, by name (0 stands for its absent numbers, as in the event itself),
    /// read back as a `NamedEvent` (`StateReader.event()`); its names written by symbol
    /// (`name(_:in:)`). The one saved form of an event: in the state, in held events' rows.
    mutating func event(_ event: AuditEvent, names: SavedNames) {
        signed(event.time.ticks)
        name(event.vault, in: names)
        name(event.resourceID, in: names)
        name(event.operation, in: names)
        name(event.operationVersion, in: names)
        name(event.principalID, in: names)
        name(event.upn, in: names)
        name(event.appID, in: names)
        if let address = event.callerIP {
            // Its text written without a string (`IPAddress.withDescriptionUTF8`): the same bytes.
            _ = address.withDescriptionUTF8 { name(utf8: $0) }
        } else {
            unsigned(UInt64(0))
        }
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
            lastReachedHour: try hour(), lastDeniedHour: try hour(),
            isUser: try bool(),
            burstDays: format >= BaselineSnapshot.burstDayBytesVersion
                ? try burstDays() : try array { reader throws(BaselineStateError) in try reader.unsigned(UInt32.self) },
            burstToday: try unsigned(UInt16.self), burstTodayPeak: try unsigned(UInt16.self),
            burstObjects: format >= BaselineSnapshot.objectsVersion ? try periodMaximum() : nil,
            listReadPeak: try periodMaximum(), listReadMemory: format >= BaselineSnapshot.listReadMemoryVersion ? try periodMaximum() : nil,
            objectFingerprint: format >= BaselineSnapshot.fingerprintVersion
                ? try optional { reader throws(BaselineStateError) in try reader.fingerprint() } : nil,
            changeReadDay: try day(),
            firstSeenDay: try day(),
            operations: try array { reader throws(BaselineStateError) in try reader.requiredName() },
            newOperationsThisHour: try array { reader throws(BaselineStateError) in try reader.requiredName() },
            operationsHour: try hour())
    }

    /// A pair's burst days as format 17 writes them (`BurstHistory.dayBytes`).
    mutating func burstDays() throws(BaselineStateError) -> [UInt32] {
        guard let days = BurstDays.days(decoding: try counted()) else {
            throw BaselineStateError("detector state is damaged: a pair's burst days are not well formed (before byte \(offset))")
        }
        return days
    }

    mutating func block(format: Int) throws(BaselineStateError) -> BaselineSnapshot.Block {
        let withDays = format >= BaselineSnapshot.rangeDaysVersion
        return BaselineSnapshot.Block(
            principal: try requiredName(), block: try networkRange(format: format), day: try unsigned(UInt16.self),
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

    mutating func fingerprint() throws(BaselineStateError) -> ObjectFingerprint {
        let period = try unsigned(UInt16.self)
        let words = try array { reader throws(BaselineStateError) in try reader.unsigned(UInt64.self) }
        guard let fingerprint = ObjectFingerprint(period: period, words: words) else {
            throw BaselineStateError(
                "detector state is damaged: an object fingerprint of \(words.count) words (\(2 * ObjectFingerprint.wordsPerPeriod) expected)")
        }
        return fingerprint
    }

    mutating func periodMaximum() throws(BaselineStateError) -> PeriodMaximum {
        PeriodMaximum(period: try unsigned(UInt16.self), current: try unsigned(UInt16.self), previous: try unsigned(UInt16.self))
    }

    mutating func named() throws(BaselineStateError) -> BaselineSnapshot.Named {
        .init(first: try requiredName(), second: try requiredName(), third: try name(), day: try day())
    }

    mutating func range(format: Int) throws(BaselineStateError) -> BaselineSnapshot.Range {
        .init(owner: try requiredName(), range: try networkRange(format: format), day: try day())
    }

    /// A network range or provider block (`RangeKey`, `AddressBlocks`) as `StateWriter.networkRange` wrote it.
    mutating func networkRange(format: Int) throws(BaselineStateError) -> UInt64 {
        let saved = try unsigned()
        return format >= BaselineSnapshot.compactRangesVersion ? (saved >> 1 | saved << 63) : saved
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
                events: version >= BaselineSnapshot.listEventsVersion ? try reader.array { reader throws(BaselineStateError) in try reader.event() } : nil)
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
                                    newObjects: version >= BaselineSnapshot.fingerprintVersion ? try reader.signed(Int.self) : 0,
                                    objects: try reader.array { reader throws(BaselineStateError) in try reader.requiredName() },
                                    crossing: try reader.optional { reader throws(BaselineStateError) in try reader.event() },
                                    // Format 15 keeps the mark of a listing that alerted in the hour.
                                    listingAlerted: version >= BaselineSnapshot.listingMarkVersion ? try reader.bool() : false)
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
        // Format 18 keeps the records taken lately and how many came again.
        var identities: RecordIdentities.Snapshot?
        if version >= BaselineSnapshot.identitiesVersion {
            counters.duplicateRecords = try signed(Int.self)
            // Format 20 has no window start: its rows are the window.
            let keptFrom = version >= BaselineSnapshot.identityLastTakenVersion ? Int32.min : try signed(Int32.self)
            let hours = try array { reader throws(BaselineStateError) in try reader.identities(hour: try reader.signed(Int32.self)) }
            var lastTaken: [Int32: Int32] = [:]
            if version >= BaselineSnapshot.identityLastTakenVersion {
                for _ in 0..<(try count()) {
                    let hour = try signed(Int32.self)
                    let distance = try unsigned()
                    guard distance > 0, distance <= UInt64(Int32.max), Int64(hour) + Int64(distance) <= Int64(Int32.max) else {
                        throw BaselineStateError("detector state is damaged: a table of the records taken lately last took one before its hour")
                    }
                    lastTaken[hour] = hour + Int32(distance)
                }
            }
            identities = RecordIdentities.Snapshot(keptFrom: keptFrom, hours: hours, lastTaken: lastTaken)
        }
        // Format 21 keeps the ids of the alerts raised and no longer open.
        var issuedAlertIDs: [AlertAggregator.IssuedID]?
        if version >= BaselineSnapshot.issuedAlertIDsVersion {
            issuedAlertIDs = try array { reader throws(BaselineStateError) in
                AlertAggregator.IssuedID(id: try reader.word(), lastSeen: try reader.signed())
            }
        }
        // Format 22 keeps the lines of the late repeats whose runs' reports are not settled yet.
        var lateRepeats: [String: [Int]]?
        if version >= BaselineSnapshot.lateRepeatsVersion {
            lateRepeats = try namedMap { reader throws(BaselineStateError) in
                try reader.array { reader throws(BaselineStateError) in try reader.signed(Int.self) }
            }
        }
        return DetectorInFlight(
            baselines: BaselineInFlight(
                operations: operations, vaultHours: vaultHours, pairHours: pairHours, lists: lists, changes: changes,
                closedHours: closedHours, reopenedHours: reopenedHours),
            reorder: ReorderBuffer.Snapshot(
                pending: pending, releasedThrough: releasedThrough, arrivals: arrivals, nextArrival: nextArrival),
            counters: counters, identities: identities, issuedAlertIDs: issuedAlertIDs, lateRepeats: lateRepeats)
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
