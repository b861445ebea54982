/// The events of the last hours of event time, kept in memory for the dashboard's entity
/// pages: what a principal, an application, an address or a vault did, and the record of each
/// event, without leaving the terminal.
///
/// Compact: the engine's own `AuditEvent` values (strings as symbols, time as ticks, about a
/// hundred bytes) in one ring, oldest first. Bounded twice (`JournalLimits`): events older
/// than `hours` before the newest are dropped, and so is the oldest event whenever
/// `maximumEvents` are held. Events arrive merged by event time (the `Ingestor` merges its
/// sources), so the oldest is at the front; a late event older than the window is not kept.
///
/// Object names and user agents are *transient* symbols (`SymbolTable.internTransient`): the
/// table forgets them after enough newer distinct ones, well within a day on a busy tenant.
/// The journal pins the text of every transient symbol its events carry (one string per
/// distinct symbol, reference-counted, released with the last event that carries it), so a
/// journalled event always resolves its names.
/// - Complexity: `append` is O(1) per event plus a dictionary update per transient symbol;
///   `activity(of:)` scans the journal once (a few milliseconds per million events).
/// - Important: a plain value, not thread-safe; `DashboardModel` owns one behind its lock.
public struct EventJournal {
    /// The most events an entity page lists (newest first); its counts cover them all.
    public static let pageEventLimit = 1_000

    public let limits: JournalLimits
    public let symbols: SymbolTable
    /// The ring: `count` events from `head`, oldest first.
    private var storage: [AuditEvent] = []
    private var head = 0
    public private(set) var count = 0
    private var pins: [Symbol: Pin] = [:]
    /// The newest event time seen: the end of the window.
    public private(set) var newestTime: EventTime?
    /// Increases with every change, so a page is rebuilt only when something new came.
    public private(set) var version = 0
    /// The newest event time dropped because of `maximumEvents` rather than the window: the
    /// journal covers its window only from after it.
    public private(set) var cappedThrough: EventTime?

    private struct Pin {
        var text: String?
        var references: Int
    }

    public init(symbols: SymbolTable, limits: JournalLimits = JournalLimits()) {
        self.symbols = symbols
        self.limits = limits
    }

    /// Keeps `events` (merged by event time), dropping what falls out of the window or over the cap.
    public mutating func append(_ events: some Sequence<AuditEvent>) {
        let window = limits.window.ticks
        var changed = false
        for event in events {
            if newestTime.map({ event.time > $0 }) ?? true { newestTime = event.time }
            guard let newest = newestTime, event.time.ticks >= newest.ticks &- window else { continue }
            if count == limits.maximumEvents {
                let dropped = storage[head].time
                if cappedThrough.map({ dropped > $0 }) ?? true { cappedThrough = dropped }
                removeOldest()
            }
            push(event)
            changed = true
        }
        if let newest = newestTime {
            let cutoff = newest.ticks &- window
            while count > 0, storage[head].time.ticks < cutoff {
                removeOldest()
                changed = true
            }
        }
        if changed { version &+= 1 }
    }

    /// The oldest event held.
    public var oldestTime: EventTime? { count > 0 ? storage[head].time : nil }

    /// The events held, oldest first.
    public var events: [AuditEvent] {
        var result: [AuditEvent] = []
        result.reserveCapacity(count)
        forEach { result.append($0) }
        return result
    }

    /// Bytes the journal holds: its ring's capacity and the pinned strings' text.
    public var estimatedBytes: Int {
        let pinned = pins.values.reduce(0) { $0 + ($1.text?.utf8.count ?? 0) + 48 }
        return storage.capacity * MemoryLayout<AuditEvent>.stride + pinned
    }

    /// How many transient strings the journal pins.
    public var pinnedStringCount: Int { pins.count }

    /// The text of `symbol`: a pinned transient string, else the symbol table's.
    public func string(_ symbol: Symbol) -> String? {
        if Self.isTransient(symbol), let pin = pins[symbol] { return pin.text }
        return symbols.string(symbol)
    }

    /// `event` with its strings resolved (pinned object names and user agents included).
    public func evidence(for event: AuditEvent) -> AlertEvidence {
        var evidence = AlertEvidence(event: event, symbols: symbols)
        if Self.isTransient(event.objectName) { evidence.objectName = string(event.objectName) }
        if Self.isTransient(event.clientInfo) { evidence.clientInfo = string(event.clientInfo) }
        return evidence
    }

    /// What `entity` did in the window ending at the newest event: hourly counts, operations,
    /// outcomes, counterparts and its newest `eventLimit` events.
    /// - Complexity: one pass over the journal.
    public func activity(of entity: EntityReference, eventLimit: Int = EventJournal.pageEventLimit) -> EntityActivity {
        let end = newestTime ?? EventTime(ticks: 0)
        let endHour = Self.hourStart(end.ticks)
        let hours = limits.hours
        let firstHour = endHour - Int64(hours - 1) * EventTime.ticksPerHour
        let windowStart = EventTime(ticks: end.ticks - limits.window.ticks)
        var hourly = [Int](repeating: 0, count: hours)
        var failures = [Int](repeating: 0, count: hours)
        var operations: [Symbol: Int] = [:]
        var outcomes: [Outcome: Int] = [:]
        var vaults: [Symbol: Int] = [:]
        var callers: [Symbol: Int] = [:]
        var addresses: [IPAddress: Int] = [:]
        var newest: [AuditEvent] = []
        var total = 0
        let matches = matcher(for: entity)
        forEachNewestFirst { event in
            guard event.time >= windowStart, matches(event) else { return }
            total += 1
            let slot = Int((Self.hourStart(event.time.ticks) - firstHour) / EventTime.ticksPerHour)
            let failed = event.outcome != .success && event.outcome != .unknown
            if slot >= 0 && slot < hours {
                hourly[slot] += 1
                if failed { failures[slot] += 1 }
            }
            operations[event.operation, default: 0] += 1
            outcomes[event.outcome, default: 0] += 1
            switch entity.kind {
            case .principal, .application:
                vaults[event.vault, default: 0] += 1
                if let address = event.callerIP { addresses[address, default: 0] += 1 }
            case .address:
                vaults[event.vault, default: 0] += 1
                callers[Self.caller(of: event), default: 0] += 1
            case .vault:
                callers[Self.caller(of: event), default: 0] += 1
            }
            // The newest `eventLimit` by event time (arrival is only roughly in time order):
            // trimmed whenever twice that many are collected.
            newest.append(event)
            if newest.count >= 2 * max(1, eventLimit) {
                newest.sort { $0.time > $1.time }
                newest.removeLast(newest.count - eventLimit)
            }
        }
        newest.sort { $0.time > $1.time }
        if newest.count > eventLimit { newest.removeLast(newest.count - eventLimit) }
        func named(_ counts: [Symbol: Int]) -> [EntityActivity.Count] {
            Self.ordered(counts.map { EntityActivity.Count(name: string($0.key) ?? "(none)", count: $0.value) })
        }
        return EntityActivity(
            entity: entity, firstHour: EventTime(ticks: firstHour), hourlyCounts: hourly, hourlyFailures: failures,
            totalEvents: total, operations: named(operations),
            outcomes: Self.ordered(outcomes.map { EntityActivity.Count(name: $0.key.name, count: $0.value) }),
            vaults: named(vaults), callers: named(callers),
            addresses: Self.ordered(addresses.map { EntityActivity.Count(name: $0.key.description, count: $0.value) }),
            events: newest.map(evidence(for:)),
            journalOldest: cappedThrough.flatMap { $0 >= windowStart ? oldestTime : nil }, windowStart: windowStart, windowEnd: end)
    }

    // MARK: - Pieces

    /// Whether an event involves `entity`, decided on symbols (one comparison per event).
    private func matcher(for entity: EntityReference) -> (AuditEvent) -> Bool {
        switch entity.kind {
        case .principal:
            let symbol = symbols.intern(entity.id)
            return entity.id.contains("@") ? { $0.upn == symbol } : { $0.principalID == symbol }
        case .application:
            let symbol = symbols.intern(entity.id)
            return { $0.appID == symbol }
        case .vault:
            let symbol = symbols.intern(entity.id)
            return { $0.vault == symbol }
        case .address:
            guard let address = IPAddress(entity.id) else { return { _ in false } }
            return { $0.callerIP == address }
        }
    }

    private static func caller(of event: AuditEvent) -> Symbol {
        !event.upn.isNone ? event.upn : (!event.principalID.isNone ? event.principalID : event.appID)
    }

    private static func ordered(_ counts: [EntityActivity.Count]) -> [EntityActivity.Count] {
        counts.sorted { ($0.count, $1.name) > ($1.count, $0.name) }
    }

    static func hourStart(_ ticks: Int64) -> Int64 {
        EventTime(ticks: ticks).hoursSince1970 * EventTime.ticksPerHour
    }

    @inline(__always)
    static func isTransient(_ symbol: Symbol) -> Bool { symbol.rawValue & SymbolTable.transientBit != 0 }

    private func forEach(_ body: (AuditEvent) -> Void) {
        guard count > 0 else { return }
        for offset in 0..<count { body(storage[(head + offset) % storage.count]) }
    }

    private func forEachNewestFirst(_ body: (AuditEvent) -> Void) {
        guard count > 0 else { return }
        for offset in stride(from: count - 1, through: 0, by: -1) { body(storage[(head + offset) % storage.count]) }
    }

    private mutating func push(_ event: AuditEvent) {
        pin(event.objectName)
        pin(event.clientInfo)
        if count < storage.count {
            storage[(head + count) % storage.count] = event
        } else {
            if head != 0 {
                // Full with the oldest mid-array: put it in order before growing.
                storage = Array(storage[head...] + storage[..<head])
                head = 0
            }
            if storage.capacity == storage.count {
                storage.reserveCapacity(min(limits.maximumEvents, max(1024, storage.count * 2)))
            }
            storage.append(event)
        }
        count += 1
    }

    private mutating func removeOldest() {
        let event = storage[head]
        unpin(event.objectName)
        unpin(event.clientInfo)
        head = (head + 1) % storage.count
        count -= 1
        if count == 0 { head = 0 }
    }

    @inline(__always)
    private mutating func pin(_ symbol: Symbol) {
        guard Self.isTransient(symbol) else { return }
        var pin = pins[symbol] ?? Pin(text: symbols.string(symbol), references: 0)
        pin.references += 1
        pins[symbol] = pin
    }

    @inline(__always)
    private mutating func unpin(_ symbol: Symbol) {
        guard Self.isTransient(symbol), var pin = pins[symbol] else { return }
        pin.references -= 1
        if pin.references <= 0 { pins.removeValue(forKey: symbol) } else { pins[symbol] = pin }
    }
}
