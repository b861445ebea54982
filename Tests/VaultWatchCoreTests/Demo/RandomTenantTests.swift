import Testing
@testable import VaultWatchCore

/// The random tenant family (`demo generate --tenant random --seed N`): each seed is a consistent
/// tenant whose attack day plays the sixteen stories with its own cast (and the seventeenth on its
/// busiest configuration provider), the same seed gives the
/// same tenant, and across seeds the draw covers the generator's pieces (so a sweep over seeds
/// exercises every habit).
@Suite("Random tenants")
struct RandomTenantTests {
    static let seeds: [UInt64] = Array(1...40)

    @Test("every seed refers only to what it defines, names each vault, identity and application once, and recasts the sixteen stories, with a seventeenth")
    func consistent() {
        for seed in Self.seeds {
            let scenario = DemoScenario.random(seed: seed)
            #expect(scenario.undefinedReferences == [], "seed \(seed)")
            #expect(scenario.stories.count == 17, "seed \(seed)")
            #expect(Set(scenario.stories.flatMap(\.raises).map(\.kind)) == Set(AlertKind.allCases), "seed \(seed)")
            #expect(Set(scenario.vaults.map(\.name)).count == scenario.vaults.count, "seed \(seed): a vault name twice")
            #expect(Set(scenario.identities.map(\.key)).count == scenario.identities.count, "seed \(seed): an identity twice")
            #expect(Set(scenario.applications.map(\.key)).count == scenario.applications.count, "seed \(seed): an application twice")
            let fabrikamVaults = Set(DemoScenario.standard.vaults.map(\.name))
            #expect(scenario.stories.flatMap(\.steps).allSatisfy { !fabrikamVaults.contains($0.vault) }, "seed \(seed)")
            let attackDay = EventTime(year: scenario.attackYear, month: scenario.attackMonth, day: scenario.attackDay)
            #expect((2...4).contains(attackDay.weekday), "seed \(seed): the attack day is a Tuesday to Thursday")
        }
    }

    /// Records more than a day ahead of the machine's clock are out of range, so a tenant whose
    /// days had not come yet raised nothing (seed 24's attack day was 2026-12-08).
    @Test("every seed's tenant ends before December 2026, in the past of the machine that reads it")
    func inThePast() {
        let december = EventTime(year: 2026, month: 12, day: 1)
        for seed in UInt64(1)...400 {
            let scenario = DemoScenario.random(seed: seed)
            let attackDay = EventTime(year: scenario.attackYear, month: scenario.attackMonth, day: scenario.attackDay)
            #expect(attackDay.ticks + EventTime.ticksPerDay <= december.ticks, "seed \(seed): attack day \(attackDay)")
            #expect((2...4).contains(attackDay.weekday), "seed \(seed): the attack day is a Tuesday to Thursday")
        }
    }

    @Test("the same seed draws the same tenant; another seed another one")
    func deterministic() {
        let first = DemoScenario.random(seed: 7)
        let again = DemoScenario.random(seed: 7)
        #expect(first.vaults == again.vaults)
        #expect(first.identities == again.identities)
        #expect(first.routines == again.routines)
        #expect(first.organization == again.organization)
        let other = DemoScenario.random(seed: 8)
        #expect(first.vaults.map(\.name) != other.vaults.map(\.name))
    }

    /// Within one process a `Set`'s order is stable, so `deterministic` cannot see it; across
    /// processes it is not (per-process hash seeds), and a draw that walked a `Set` gave each
    /// `demo generate` run other home-working days. The digest pins seed 1's first week.
    @Test("seed 1's first week is the same bytes in every process")
    func sameBytesInEveryProcess() {
        let tenant = DemoTenant(seed: 1, days: DemoScenario.randomHistoryDays, includesAttackDay: false, scenario: .random(seed: 1))
        var digest: UInt64 = 0xCBF2_9CE4_8422_2325
        for day in 0..<7 {
            for record in tenant.records(onDay: day) { digest = SeededRandom.fnv1a(record.line, start: digest) }
        }
        #expect(digest == Self.seedOneFirstWeek, "digest \(String(digest, radix: 16))")
    }

    static let seedOneFirstWeek: UInt64 = 0x088e_c3df_972d_3eac

    @Test("across seeds the draw covers the pieces: both hemispheres' summer time, half-hour zones, Sunday-to-Thursday weeks, dynamic home lines, starts and pauses, monthly, weekly and nightly jobs")
    func coversThePieces() {
        var rules: Set<DemoDaylightSaving> = []
        var halfHour = false, sundayToThursday = false, dynamicIPv4 = false, dynamicIPv6 = false
        var starts = false, pauses = false, monthly = false, weekly = false, nightly = false, loads = false
        var attackMonths: Set<Int> = []
        for seed in Self.seeds {
            let scenario = DemoScenario.random(seed: seed)
            attackMonths.insert(scenario.attackMonth)
            for identity in scenario.identities {
                rules.insert(identity.daylightSaving)
                halfHour = halfHour || identity.utcOffsetMinutes % 60 != 0
                sundayToThursday = sundayToThursday || identity.workweek == [0, 1, 2, 3, 4]
                for network in [identity.usualNetwork] + (identity.homeNetwork.map { [$0] } ?? []) {
                    guard let block = network.dynamicBlock else { continue }
                    if block.contains(":") { dynamicIPv6 = true } else { dynamicIPv4 = true }
                }
            }
            for routine in scenario.routines {
                if let active = routine.active, active.lowerBound != Int.min { starts = true }
                pauses = pauses || !routine.pauses.isEmpty
                switch routine.rhythm {
                case .monthEnd: monthly = true
                case .weekly: weekly = true
                case .nightly: nightly = true
                case .configurationLoads: loads = true
                default: break
                }
            }
        }
        #expect(rules == [.none, .unitedStates, .europe, .australia])
        #expect(halfHour && sundayToThursday && dynamicIPv4 && dynamicIPv6)
        #expect(starts && pauses && monthly && weekly && nightly && loads)
        #expect(attackMonths.count >= 6, "attack days spread over the year: \(attackMonths.sorted())")
    }

    /// Found held out (random seeds 101 and 120): a person whose home-working days fell on days
    /// without work until weeks into the history (seed 101's engineer-4, first home day on
    /// 23 October) calls from a network the detector never saw for them, and
    /// `KV_UnusualAccessSuspiciousIP` asks once: expected, not required. The expectation is
    /// checked against the calls the generator makes: each person's first successful call from
    /// home, after the learning period and not within a newcomer's own first week.
    @Test("a person's home line first used after the learning period is an expected alert on that day, and only then")
    func homeLineFirstUsedAfterLearning() {
        let learningDays = BehaviourSettings().learningDays
        var found = 0
        for seed: UInt64 in [1, 101, 120] {
            let tenant = DemoTenant(seed: seed, days: DemoScenario.randomHistoryDays, includesAttackDay: false, scenario: .random(seed: seed))
            var firstCall: [String: Int] = [:]
            var firstHome: [String: Int] = [:]
            for index in 0..<tenant.dayCount {
                let start = tenant.dayStart(index)
                for call in tenant.backgroundCalls(dayStart: start, dayNumber: Int(start.ticks / EventTime.ticksPerDay))
                where call.outcome == .success && call.identity.upn != nil {
                    let key = call.identity.key
                    if firstCall[key] == nil { firstCall[key] = index }
                    if firstHome[key] == nil, call.identity.homeNetwork != nil, call.identity.homeWeekdays.contains(start.weekday) {
                        firstHome[key] = index
                    }
                }
            }
            var expected: Set<String> = []
            for (key, home) in firstHome {
                guard let first = firstCall[key], let identity = tenant.identities[key], home >= learningDays,
                    first < learningDays || home - first >= learningDays
                else { continue }
                expected.insert("\(identity.objectID) \(tenant.dayStart(home))")
            }
            let alerts = tenant.homeLineAlerts
            #expect(alerts.allSatisfy { $0.kind == .unusualAccessSuspiciousIP && !$0.isRequired && $0.vault == nil }, "seed \(seed)")
            #expect(Set(alerts.map { "\($0.principalID ?? "") \($0.from)" }) == expected, "seed \(seed): \(alerts.map(\.story))")
            found += alerts.count
            if seed == 101 {
                #expect(alerts.map(\.principalName) == ["yara.haddad@contoso-101.example"])
                #expect(alerts.first?.from == EventTime(year: 2026, month: 10, day: 23))
            }
        }
        #expect(found == 2, "seed 1 has every home day within the learning days; 101 and 120 one late first home day each")
    }

    /// Found held out (random seed 246, the eighth sweep): the Tor admin story lists the payments
    /// vault and reads three secrets; the admin, who lists it each morning, reads two more of his
    /// own at 11:13 from his usual address, and five distinct secrets within the hour of a listing
    /// raise `KV_ListGetAnomaly` on the story's listing. A true alert of the story, which no
    /// expectation allowed: the story may raise it (its hour and the next quarter), not must.
    @Test("the Tor admin story may raise KV_ListGetAnomaly on its own listing: random seed 246's alert is expected, not required")
    func torAdminListingThenReads() throws {
        let scenario = DemoScenario.random(seed: 246)
        let tenant = DemoTenant(seed: 246, days: DemoScenario.randomHistoryDays, scenario: scenario)
        let story = try #require(scenario.stories.first { $0.title == "A known admin through Tor" })
        let step = try #require(story.steps.first)
        let admin = try #require(tenant.identities[step.identity])
        #expect(step.vault == "kv-cards-43" && admin.upn == "kenji.sato@contoso-246.example")
        // The alert `detect` raises on the tenant's blob tree (its first sighting: the fifth read).
        let firstSeen = EventTime(year: 2026, month: 2, day: 24, hour: 11, minute: 13, second: 43)
        let matching = tenant.expectedAlerts.filter {
            $0.matches(kind: .listGetAnomaly, vault: step.vault, principalID: admin.objectID, firstSeen: firstSeen)
        }
        #expect(matching.count == 1, "\(matching.map(\.story))")
        #expect(matching.allSatisfy { !$0.isRequired && $0.story == story.title })
    }

    @Test("Australian summer time runs from the first Sunday of October to the first Sunday of April")
    func australianSummerTime() {
        let april5 = DemoScenario.dayNumber(2026, 4, 5)
        let october4 = DemoScenario.dayNumber(2026, 10, 4)
        #expect(DemoDaylightSaving.australia.extraMinutes(onDay: april5 - 1) == 60)
        #expect(DemoDaylightSaving.australia.extraMinutes(onDay: april5) == 0)
        #expect(DemoDaylightSaving.australia.extraMinutes(onDay: october4 - 1) == 0)
        #expect(DemoDaylightSaving.australia.extraMinutes(onDay: october4) == 60)
        #expect(DemoDaylightSaving.australia.extraMinutes(onDay: DemoScenario.dayNumber(2026, 12, 25)) == 60)
    }
}
