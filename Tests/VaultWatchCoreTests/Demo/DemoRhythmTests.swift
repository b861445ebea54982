import Testing
import VaultWatchCore

/// The habits of issue 3 point 3 are in the generated tenant: what the behavioural rules must
/// learn as normal.
@Suite("Demo tenant rhythms")
struct DemoRhythmTests {
    /// A week and a day of ordinary history (Monday to the next Tuesday), decoded once.
    struct History {
        let tenant = DemoTenant(seed: 17, days: 7, includesAttackDay: false)
        let symbols = SymbolTable()
        let events: [AuditEvent]

        init() {
            events = DemoDecoding.decode(Array(tenant.records), symbols: symbols).events
        }

        func events(of key: String) -> [AuditEvent] {
            guard let identity = DemoScenario.standard.identity(key) else { return [] }
            return events.filter { symbols.string($0.principalID) == identity.objectID }
        }

        func name(_ symbol: Symbol) -> String { symbols.string(symbol) ?? "" }
    }

    static let history = History()

    @Test("the nightly batch reads about four times more between 01:00 and 03:00")
    func nightlyBatch() {
        let batch = Self.history.events(of: "etl-nightly")
        let night = batch.filter { (1..<3).contains($0.time.components.hour) }.count
        let day = batch.count - night
        let nightRate = Double(night) / 2
        let dayRate = Double(day) / 22
        #expect(nightRate / dayRate > 3.2 && nightRate / dayRate < 4.8, "night \(nightRate)/h, day \(dayRate)/h")
    }

    @Test("people work on weekdays only (in their own time zone) and weekends are quiet")
    func quietWeekends() {
        let history = Self.history
        let weekend = history.events.filter { [0, 6].contains($0.time.weekday) }
        #expect(!weekend.isEmpty)
        // A Sydney Monday morning is a Sunday evening in UTC: weekdays are the person's own.
        let offsets = Dictionary(
            DemoScenario.standard.identities.compactMap { identity in identity.upn.map { ($0, identity.utcOffsetMinutes) } },
            uniquingKeysWith: { first, _ in first })
        let peopleAtWeekends = history.events.filter { event in
            guard let upn = history.symbols.string(event.upn), let offset = offsets[upn] else { return false }
            return [0, 6].contains((event.time + .minutes(Int64(offset))).weekday)
        }
        #expect(peopleAtWeekends.isEmpty, "a person worked at the weekend")
        #expect(weekend.contains { $0.upn != .none }, "Sydney's Monday mornings fall on Sunday UTC")
        // The vaults people and builds use are quiet at weekends; round-the-clock services are not.
        let office = ["kv-ci-build", "kv-dev-shared", "kv-payments-stg"]
        let indexer = DemoScenario.standard.identity("resource-graph")?.objectID
        let officeEvents = history.events.filter {
            office.contains(history.name($0.vault)) && history.name($0.principalID) != indexer
        }
        let weekendPerDay = Double(officeEvents.filter { [0, 6].contains($0.time.weekday) }.count) / 2
        let weekdayPerDay = Double(officeEvents.filter { (1...5).contains($0.time.weekday) }.count) / 6
        #expect(weekendPerDay < 0.3 * weekdayPerDay, "weekend \(weekendPerDay)/day, weekday \(weekdayPerDay)/day")
    }

    @Test("people work in their own business hours")
    func businessHours() throws {
        for key in ["camille", "rahul", "emily"] {
            let identity = try #require(DemoScenario.standard.identity(key))
            for event in Self.history.events(of: key) {
                let components = event.time.components
                let localMinute = ((components.hour * 60 + components.minute + identity.utcOffsetMinutes) % 1440 + 1440) % 1440
                #expect(localMinute >= 8 * 60 + 30 && localMinute < 18 * 60, "\(key) at \(event.time.iso8601)")
            }
        }
    }

    @Test("the web app lists and reads ten secrets at each of its three daily restarts")
    func webAppRestarts() {
        let history = Self.history
        let web = history.events(of: "web-storefront")
        let lists = web.filter { history.name($0.operation) == "SecretList" }
        #expect(lists.count == 3 * history.tenant.dayCount)
        #expect(Set(lists.map { $0.time.components.hour }) == [6, 14, 22])
        for list in lists {
            let after = web.filter { $0.time > list.time && ($0.time - list.time).ticks < 5 * EventTime.ticksPerMinute }
            let secrets = Set(after.filter { history.name($0.operation) == "SecretGet" }.map(\.objectName))
            #expect(secrets.count >= 10, "restart at \(list.time.iso8601) read \(secrets.count) secrets")
        }
    }

    @Test("the CI service is busy on weekdays")
    func ciOnWeekdays() {
        let ci = Self.history.events(of: "ci-pipeline")
        let weekend = ci.filter { [0, 6].contains($0.time.weekday) }.count
        let weekdays = ci.count - weekend
        #expect(Double(weekdays) / 6 > 10 * Double(weekend) / 2, "weekdays \(weekdays), weekend \(weekend)")
    }

    @Test("the indexer reads every vault each hour")
    func indexerEveryHour() {
        let history = Self.history
        let indexer = history.events(of: "resource-graph")
        let vaultCount = DemoScenario.standard.vaults.count
        #expect(indexer.count == vaultCount * 24 * history.tenant.dayCount)
        let slots = Set(indexer.map { "\(history.name($0.vault)) \($0.time.ticks / EventTime.ticksPerHour)" })
        #expect(slots.count == indexer.count)
        #expect(indexer.allSatisfy { history.name($0.appID) == "509e4652-da8d-478d-a730-e9d4a1996ca4" })
    }

    @Test("an engineer is sometimes denied, only where she also succeeds")
    func sometimesDenied() {
        let history = Self.history
        let emily = history.events(of: "emily")
        let denied = emily.filter { $0.outcome == .denied }
        let deniedDays = Set(denied.map { $0.time.ticks / EventTime.ticksPerDay })
        #expect(deniedDays.count >= 1 && deniedDays.count < 6, "denied on \(deniedDays.count) of 6 working days")
        let vaultsWithSuccess = Set(emily.filter { $0.outcome == .success }.map(\.vault))
        #expect(denied.allSatisfy { vaultsWithSuccess.contains($0.vault) })
        let everyoneElseDenied = history.events.filter {
            $0.outcome == .denied && !$0.isChallengeRequest && history.symbols.string($0.upn) != DemoScenario.standard.identity("emily")?.upn
        }
        #expect(everyoneElseDenied.isEmpty)
    }

    @Test("each caller keeps to its own networks (/24, or /48 for IPv6), at most office and home; a dynamic home line stays in its provider block")
    func stableNetworks() {
        let history = Self.history
        var networks: [Symbol: Set<IPAddress>] = [:]
        for event in history.events where !event.isChallengeRequest {
            guard let address = event.callerIP else { continue }
            networks[event.principalID, default: []].insert(address.networkRange)
        }
        let dynamic = Dictionary(
            DemoScenario.standard.identities.compactMap { identity in identity.usualNetwork.dynamicBlock.map { (identity.objectID, $0) } },
            uniquingKeysWith: { first, _ in first })
        for (principal, ranges) in networks {
            if let block = dynamic[history.name(principal)] {
                #expect(ranges.count >= 5, "a new range most days: \(ranges.count)")
                #expect(ranges.allSatisfy { $0.description.hasPrefix(block + (block.contains(":") ? ":" : ".")) }, "\(ranges)")
                continue
            }
            #expect(ranges.count <= 2, "\(history.name(principal)) uses \(ranges.map(\.description).sorted())")
        }
        #expect(dynamic.count == 2, "an IPv4 and an IPv6 dynamic line")
        #expect(history.events.contains { $0.callerIP?.isIPv4 == false }, "no IPv6 caller")
    }

    @Test("the background never deletes or purges, only the nightly job backs up, nothing touches the test object")
    func nothingSensitive() {
        let history = Self.history
        let sensitive = history.events.filter {
            let name = history.name($0.operation)
            return !$0.isChallengeRequest && (name.hasSuffix("Delete") || name.hasSuffix("Purge") || name.hasSuffix("Backup"))
        }
        let backupJob = DemoScenario.standard.identity("backup-runner")?.objectID
        #expect(sensitive.allSatisfy { history.name($0.operation) == "SecretBackup" && history.name($0.principalID) == backupJob })
        let nights = Set(sensitive.map { $0.time.ticks / EventTime.ticksPerDay })
        #expect(nights.count == 8, "every night of the history: \(nights.count)")
        #expect(!history.events.contains { history.name($0.objectName) == "vaultwatch-test-alert" })
    }
}
