import Foundation
@testable import VaultWatchCore

/// Builds histories for the behavioural rules: a vault used every working hour by known
/// callers for `days` days, then whatever a test appends; runs them through a `Detector`.
struct BehaviourFixture {
    let base = DetectionFixture()
    var symbols: SymbolTable { base.symbols }
    /// Monday 2025-05-05 00:00 UTC.
    static let start = EventTime(year: 2025, month: 5, day: 5)
    static let vault = "kv-payments"
    static let alice = "aaaaaaaa-0000-4000-8000-000000000001"
    static let service = "bbbbbbbb-0000-4000-8000-000000000002"
    static let portal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
    static let serviceApp = "dddddddd-0000-4000-8000-00000000a002"

    /// A call by alice (a user, through the portal) from her office range.
    func userCall(
        at time: EventTime, vault: String = BehaviourFixture.vault, operation: String = "SecretGet",
        principalID: String = BehaviourFixture.alice, upn: String = "alice@contoso.com",
        appID: String = BehaviourFixture.portal, ip: String = "198.51.100.10", status: UInt16 = 200,
        secret: String = "db-password"
    ) -> AuditEvent {
        base.event(
            at: time, vault: vault, operation: operation, principalID: principalID, upn: upn, appID: appID,
            callerIP: ip, httpStatusCode: status, objectName: secret)
    }

    /// A call by the service principal (no UPN) from its cloud range.
    func serviceCall(
        at time: EventTime, vault: String = BehaviourFixture.vault, operation: String = "SecretGet",
        principalID: String = BehaviourFixture.service, appID: String = BehaviourFixture.serviceApp,
        ip: String = "20.50.1.4", status: UInt16 = 200, secret: String = "api-key"
    ) -> AuditEvent {
        base.event(
            at: time, vault: vault, operation: operation, principalID: principalID, upn: nil, appID: appID,
            callerIP: ip, httpStatusCode: status, objectName: secret)
    }

    /// `days` days of routine: the service reads 5 secrets every hour; alice reads two secrets
    /// at 09:00 and 14:00 on weekdays.
    func history(days: Int, vault: String = BehaviourFixture.vault) -> [AuditEvent] {
        var events: [AuditEvent] = []
        for day in 0..<days {
            let dayStart = Self.start + .days(Int64(day))
            let weekday = dayStart.weekday
            for hour in 0..<24 {
                for call in 0..<5 {
                    events.append(
                        serviceCall(at: dayStart + .hours(Int64(hour)) + .minutes(Int64(call * 7)), vault: vault, secret: "api-key-\(call)"))
                }
                if (1...5).contains(weekday), hour == 9 || hour == 14 {
                    events.append(userCall(at: dayStart + .hours(Int64(hour)) + .minutes(3), vault: vault, operation: "SecretList"))
                    events.append(userCall(at: dayStart + .hours(Int64(hour)) + .minutes(4), vault: vault))
                    events.append(userCall(at: dayStart + .hours(Int64(hour)) + .minutes(5), vault: vault, secret: "other"))
                }
            }
        }
        return events.sorted { $0.time < $1.time }
    }

    // MARK: Shapes the rule tests share

    /// `count` reads by `principal` (the service by default), spread evenly over `within` from
    /// three seconds after `start`.
    func burst(
        at start: EventTime, count: Int, within: EventTime.Duration = .minutes(50), principal: String = BehaviourFixture.service
    ) -> [AuditEvent] {
        let seconds = within.ticks / EventTime.ticksPerSecond
        return (0..<count).map {
            serviceCall(
                at: start + .seconds(3 + Int64($0) * seconds / Int64(max(1, count))), principalID: principal,
                secret: "api-key-\($0 % 4)")
        }
    }

    /// The service lists the vault at `start`, then reads `reads` distinct secrets five seconds apart.
    func listThenRead(at start: EventTime, reads: Int) -> [AuditEvent] {
        [serviceCall(at: start, operation: "SecretList")]
            + (0..<reads).map { serviceCall(at: start + .seconds(Int64(5 * ($0 + 1))), secret: "build-token-\($0)") }
    }

    /// `principal` (the service by default) lists `vaults` other vaults (`kv-other-N`), `spacing`
    /// apart from `start`; refused each time when `denied`.
    func spree(
        vaults: Int, at start: EventTime, spacing: EventTime.Duration = .minutes(1), denied: Bool = false,
        principal: String = BehaviourFixture.service
    ) -> [AuditEvent] {
        (0..<vaults).map { index in
            serviceCall(
                at: start + .seconds(Int64(index) * spacing.ticks / EventTime.ticksPerSecond), vault: "kv-other-\(index)",
                operation: "SecretList", principalID: principal, status: denied ? 403 : 200)
        }
    }

    /// alice changes the vault's access configuration at `time`, granting `granted` when given.
    func accessChange(at time: EventTime, operation: String = "VaultPut", granted: String? = nil) -> AuditEvent {
        var change = userCall(at: time, operation: operation)
        change.objectKind = .vault
        if let granted { change.grantedPrincipalID = symbols.intern(granted) }
        return change
    }

    func configuration(learningDays: Int = 7) -> DetectorConfiguration {
        var configuration = DetectorConfiguration(language: .en)
        configuration.learningDays = learningDays
        return configuration
    }

    /// Runs `events` (in batches of `batchSize`) and returns the final state of every alert.
    func run(
        _ events: [AuditEvent], configuration: DetectorConfiguration? = nil, batchSize: Int = 500
    ) async -> [Alert] {
        let detector = Detector(symbols: symbols, configuration: configuration ?? self.configuration())
        return await finalAlerts(of: events, through: detector, batchSize: batchSize)
    }

    /// Kinds of `alerts`, for compact expectations.
    static func kinds(_ alerts: [Alert]) -> [AlertKind] { alerts.map(\.kind) }

    /// Day `day` (0 = the first day of history) at `hour`:`minute`.
    static func time(day: Int, hour: Int, minute: Int = 0) -> EventTime {
        start + .days(Int64(day)) + .hours(Int64(hour)) + .minutes(Int64(minute))
    }
}
