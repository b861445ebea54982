import Foundation
import Testing
@testable import VaultWatchCore

/// A configured `timezone` with daylight saving keeps the hour-of-week baselines in the vault's
/// local time across the change: a team working 09:00–17:00 local, busiest in its first hour,
/// is judged the week after the clocks move against the same local hours as before, so its
/// 09:00 is usual and nothing alerts.
///
/// The bands are what can fail: read with the zone's winter offset as a fixed offset (the
/// control), the week after the change the team's 09:00 falls where the history has 08:00
/// (nobody at work), and the band there says so. Alerts alone could not show it: each person's
/// hour is within that person's habit whatever the hour, so the volume rule puts the hour
/// down to its callers (`OperationVolumeAnomalyRule`) and stays quiet either way.
@Suite("Daylight saving")
struct DaylightSavingTests {
    let fixture = BehaviourFixture()
    static let team = (10..<34).map { "da000000-0000-4000-8000-0000000000\($0)" }
    static let service = "da000000-0000-4000-8000-0000000000ff"

    /// Three weeks before the spring change and one after, every weekday: each of 24 people reads
    /// four secrets at 09:00 local, then one secret an hour until 17:00; a service reads two
    /// secrets every hour of the day.
    func tenant(zone: TimeZone, changeDay: EventTime) -> [AuditEvent] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var events: [AuditEvent] = []
        let firstDay = EventTime(ticks: changeDay.ticks - EventTime.Duration.days(27).ticks)  // a Monday: the change is on a Sunday
        for day in 0..<33 {
            let utcMidnight = firstDay + .days(Int64(day))
            let date = Date(timeIntervalSince1970: Double(utcMidnight.secondsSince1970))
            let parts = calendar.dateComponents(in: TimeZone(identifier: "UTC") ?? zone, from: date)
            for hour in 0..<24 {
                for call in 0..<2 {
                    events.append(fixture.serviceCall(
                        at: utcMidnight + .hours(Int64(hour)) + .minutes(Int64(20 * call + 5)), vault: "kv-team", principalID: Self.service,
                        secret: "service-\(call)"))
                }
            }
            let weekday = utcMidnight.weekday
            guard (1...5).contains(weekday) else { continue }
            for localHour in 9..<17 {
                // The instant of this local hour on this local date, daylight saving applied.
                var local = DateComponents()
                local.year = parts.year
                local.month = parts.month
                local.day = parts.day
                local.hour = localHour
                guard let start = calendar.date(from: local) else { continue }
                let startTime = EventTime(secondsSince1970: Int64(start.timeIntervalSince1970))
                for (index, person) in Self.team.enumerated() {
                    // Four reads in the first hour, one in each later one: the hour's volume is
                    // the team's, no one's burst (a burst is put down to its principal first).
                    let begin = startTime + .minutes(Int64(index))
                    for read in 0..<(localHour == 9 ? 4 : 1) {
                        events.append(fixture.userCall(
                            at: begin + .minutes(Int64(read * 5)), vault: "kv-team", principalID: person, upn: "person\(index)@contoso.com",
                            secret: "team-\(read)"))
                    }
                }
            }
        }
        return events.sorted { $0.time < $1.time }
    }

    func configuration(_ zone: TimeZone) -> DetectorConfiguration {
        var configuration = fixture.configuration()
        configuration.behaviour.timeZones = TimeZoneSettings(global: zone)
        return configuration
    }

    /// Alerts first seen from the Monday after the change on.
    func alertsAfterTheChange(_ alerts: [Alert], changeDay: EventTime) -> [Alert] {
        alerts.filter { $0.firstSeen >= changeDay + .days(1) }
    }

    /// The bands a detector holds for the Monday after the change, having read up to its start,
    /// at the UTC hours that are 08:00 and 09:00 local that Monday.
    func mondayBands(
        _ events: [AuditEvent], zone: TimeZone, changeDay: EventTime, summer: Int
    ) async throws -> (eight: VolumeBand, nine: VolumeBand) {
        let detector = Detector(symbols: fixture.symbols, configuration: configuration(zone))
        let monday = changeDay + .days(1)
        _ = await finalAlerts(of: events.filter { $0.time < monday }, through: detector, batchSize: 500)
        let summary = try #require(await detector.baselineSummary(vault: "kv-team"))
        func band(localHour: Int) throws -> VolumeBand {
            let utc = ((localHour * 3600 - summer) / 3600 + 24) % 24
            return try #require(summary.band(weekday: 1, hour: utc), "no band at \(utc):00 UTC")
        }
        return (try band(localHour: 8), try band(localHour: 9))
    }

    @Test(arguments: [
        ("Europe/Paris", EventTime(year: 2026, month: 3, day: 29)),
        ("America/New_York", EventTime(year: 2026, month: 3, day: 8)),
    ])
    func aTeamOnLocalHoursIsJudgedOnLocalHoursTheWeekAfterTheClocksMove(zoneName: String, changeDay: EventTime) async throws {
        let zone = try #require(TimeZone(identifier: zoneName))
        // The records really span a change of offset.
        let winter = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(changeDay.secondsSince1970 - 2 * 86_400)))
        let summer = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(changeDay.secondsSince1970 + 2 * 86_400)))
        #expect(summer == winter + 3600)
        let events = tenant(zone: zone, changeDay: changeDay)

        // Local 09:00 the Monday after is judged against the team's 09:00 (24 people, four reads
        // each, and the service's two), local 08:00 against the service alone.
        let local = try await mondayBands(events, zone: zone, changeDay: changeDay, summer: summer)
        #expect(local.nine.median == 98 && local.eight.median == 2, "\(zoneName): 09:00 \(local.nine), 08:00 \(local.eight)")
        let alerts = alertsAfterTheChange(await fixture.run(events, configuration: configuration(zone)), changeDay: changeDay)
        #expect(alerts.isEmpty, "\(zoneName): \(alerts.map { "\($0.kind.rawValue) \($0.firstSeen.iso8601) \($0.reasons.first ?? "")" })")

        // The control: the winter offset as a fixed one reads that Monday's 09:00 as 08:00.
        let fixed = try #require(TimeZone(secondsFromGMT: winter))
        let shifted = try await mondayBands(events, zone: fixed, changeDay: changeDay, summer: summer)
        #expect(shifted.nine.median == 2, "\(zoneName) as a fixed offset: 09:00 \(shifted.nine)")
    }
}
