/// The callers of each vault's hours closed lately (`HourCallers`), kept so that a record
/// arriving after its hour closed is judged with the attribution the hour had when it closed:
/// a deploy whose records come late is still its principal's usual burst.
///
/// Only hours that raised no volume alert are kept (a late record does not count in an hour
/// that alerted), and only the last `keptHours` hours of event time (and the hours a late run
/// is adding to, until judged: `ReopenedHours`): in an hour older than that, only the late
/// records are put down to their callers (README "One timeline from many sources").
///
/// Memory: one entry per (vault, principal) that called in each of the last `keptHours` hours,
/// and the objects of those whose hour could be more replicas of their usual load (`HourCallers`).
struct ClosedHours: Sendable, Equatable {
    /// Two days: an hourly blob appended after its hour, a block written a day late.
    static let keptHours: Int32 = 48

    /// Hour number → vault → its callers in that hour.
    private(set) var hours: [Int32: [Symbol: HourCallers]] = [:]

    /// Whether a late record of `hour` is judged with its callers, the open hour being `currentHour`.
    static func keeps(_ hour: Int32, currentHour: Int32) -> Bool { hour > currentHour &- keptHours }

    /// Keeps a closed hour's callers (an hour without callers needs no entry: a late record
    /// starts it empty).
    mutating func keep(_ callers: HourCallers, vault: Symbol, hour: Int32) {
        guard !callers.isEmpty else { return }
        var callers = callers
        callers.sort()
        hours[hour, default: [:]][vault] = callers
    }

    /// The callers of `vault` in `hour` (empty when none called in order).
    func callers(of vault: Symbol, in hour: Int32) -> HourCallers { hours[hour]?[vault] ?? HourCallers() }

    /// `principal` among the callers of `vault` in `hour`, nil when it did not call.
    func caller(_ principal: Symbol, of vault: Symbol, in hour: Int32) -> HourCallers.Caller? {
        hours[hour]?[vault]?[principal]
    }

    /// One more call by `principal` on `object` of `vault` in `hour` (a late record), in place: a
    /// copy of the hour's callers would cost as many of them for each late record. `newCaller`
    /// and `newReplicas` are its limits when it had not called in the hour; `isUsualObject` tells
    /// the objects its learned hours touched (`HourCallers.addCall`). Returns its calls in the hour now.
    mutating func addCall(
        by principal: Symbol, object: Symbol, vault: Symbol, hour: Int32, newCaller: HourCallers.Caller, newReplicas: HourCallers.Replicas?,
        isUsualObject: ((Symbol) -> Bool)?
    ) -> HourCallers.Caller {
        hours[hour, default: [:]][vault, default: HourCallers()].addCall(
            by: principal, object: object, newCaller: newCaller, newReplicas: newReplicas, isUsualObject: isUsualObject)
    }

    /// Notes the late call that took `principal` over its threshold in `vault`'s `hour`, judged
    /// within its ceiling (`HourCallers.noteCrossing`).
    mutating func noteCrossing(_ event: AuditEvent, of principal: Symbol, vault: Symbol, hour: Int32) {
        hours[hour]?[vault]?.noteCrossing(event, of: principal)
    }

    /// Marks `principal`'s hour on `vault` as one whose listing raised `KV_ListGetAnomaly` (a late
    /// listing: `HourCallers.markListingAlerted`).
    mutating func markListingAlerted(of principal: Symbol, vault: Symbol, hour: Int32) {
        hours[hour]?[vault]?.markListingAlerted(of: principal)
    }

    /// Drops the callers of `vault` in `hour` (the hour alerted: nothing more counts in it).
    mutating func remove(vault: Symbol, hour: Int32) {
        hours[hour]?[vault] = nil
        if hours[hour]?.isEmpty == true { hours[hour] = nil }
    }

    /// Forgets the hours a late record is no longer judged with, the open hour being
    /// `currentHour`, except `reopened` (hours a late run is adding to: `ReopenedHours`), whose
    /// callers go once the hour is judged.
    mutating func forget(currentHour: Int32, keeping reopened: Set<Int32>) {
        func kept(_ hour: Int32) -> Bool { Self.keeps(hour, currentHour: currentHour) || reopened.contains(hour) }
        // Removed one by one: it runs at every hour, where one hour leaves, and filtering
        // rebuilt the whole table (and retained every hour's callers) each time.
        var forgotten: [Int32] = []
        for hour in hours.keys where !kept(hour) { forgotten.append(hour) }
        for hour in forgotten { hours.removeValue(forKey: hour) }
    }

    var entryCount: Int { hours.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }
}
