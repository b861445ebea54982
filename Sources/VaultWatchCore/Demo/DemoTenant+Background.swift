/// The ordinary days: each routine's calls for one day, from its own stream.
extension DemoTenant {
    func backgroundCalls(dayStart: EventTime, dayNumber: Int) -> [DemoCall] {
        var calls: [DemoCall] = []
        let weekday = dayStart.weekday
        for (index, routine) in scenario.routines.enumerated() {
            guard let identity = identities[routine.identity], let application = applications[routine.application],
                let vault = vaults[routine.vault]
            else { continue }
            // Local-time habits check each local day themselves (`localCalls`).
            if !routine.rhythm.isLocalTime && !routine.runs(onDay: dayNumber) { continue }
            var random = SeededRandom(seed: seed, stream: "routine", index, dayNumber)
            let network = identity.network(onWeekday: weekday, dayNumber: dayNumber)
            let clientInfo = Self.clientInfo(of: application, for: identity)
            // Milliseconds after midnight UTC (integers only: the same on every machine).
            var emitted: [(millisecond: Int, operation: DemoOperation, outcome: DemoOutcome)] = []
            /// A time within the given second, to the millisecond.
            func jittered(_ second: Int) -> Int { second * 1000 + random.below(1000) }
            func burst(at second: Int, _ operations: [DemoOperation], spacing: ClosedRange<Int>, outcome: DemoOutcome = .success) {
                var at = jittered(second)
                for operation in operations {
                    emitted.append((at, operation, outcome))
                    at += random.number(in: spacing) * 1000 + random.below(1000)
                }
            }
            let reads = routine.operations
            switch routine.rhythm {
            case .steady(let perHour, let boostHours, let boostFactor):
                for hour in 0..<24 {
                    var count = random.number(in: perHour)
                    if boostHours.contains(hour) { count *= boostFactor }
                    for _ in 0..<count where !reads.isEmpty {
                        emitted.append((jittered(hour * 3600 + random.below(3600)), random.element(of: reads), .success))
                    }
                }
            case .restarts(let hours, let readsAtRestart, let refreshesPerHour):
                for hour in 0..<24 {
                    if hours.contains(hour) {
                        burst(at: hour * 3600 + random.number(in: 60...240), [.secretList] + reads.prefix(readsAtRestart), spacing: 0...1)
                    } else {
                        for _ in 0..<random.number(in: refreshesPerHour) where !reads.isEmpty {
                            emitted.append((jittered(hour * 3600 + random.below(3600)), random.element(of: Array(reads.prefix(3))), .success))
                        }
                    }
                }
            case .builds(let weekdayHours, let buildsPerHour, let nightlyHour):
                if (1...5).contains(weekday) {
                    for hour in weekdayHours {
                        for _ in 0..<random.number(in: buildsPerHour) {
                            burst(at: hour * 3600 + random.below(3540), reads, spacing: 1...3)
                        }
                    }
                }
                burst(at: nightlyHour * 3600 + random.number(in: 0...600), reads, spacing: 1...3)
            case .periodic(let everyHours, let firstHour):
                for hour in stride(from: firstHour, to: 24, by: max(1, everyHours)) {
                    burst(at: hour * 3600 + random.number(in: 0...900), reads, spacing: 1...4)
                }
            case .workday(let readsPerSession, let afternoonPercent):
                guard identity.workweek.contains(weekday), !reads.isEmpty, routine.runs(onDay: dayNumber) else { break }
                let offsetSeconds = identity.utcOffsetMinutes(onLocalDay: dayNumber) * 60
                let morning = random.number(in: (8 * 60 + 30)...(11 * 60 + 45)) * 60 - offsetSeconds + random.below(60)
                var session: [DemoOperation] = application.key == "portal" ? [.vaultGet, .secretList] : [.secretList]
                session += random.distinctElements(random.number(in: readsPerSession), of: reads)
                burst(at: morning, session, spacing: 4...40)
                if let denied = routine.deniedOperation, random.chance(percent: routine.deniedPercent) {
                    burst(at: morning + 600 + random.below(1800), [denied], spacing: 1...2, outcome: .denied)
                }
                if random.chance(percent: afternoonPercent) {
                    let afternoon = random.number(in: (13 * 60 + 30)...(17 * 60 + 15)) * 60 - offsetSeconds + random.below(60)
                    burst(at: afternoon, random.distinctElements(random.number(in: 1...2), of: reads), spacing: 5...30)
                }
            case .configurationLoads, .weekly, .nightly, .officeHours, .monthEnd:
                emitted += Self.localCalls(
                    of: routine, index: index, identity: identity, seed: seed, dayNumber: dayNumber)
            }
            for (millisecond, operation, outcome) in emitted where millisecond >= 0 && millisecond < 86_400_000 {
                let ticks = dayStart.ticks + Int64(millisecond) * 10_000 + Int64(random.below(10_000))
                calls.append(DemoCall(
                    ticks: ticks, sequence: calls.count, identity: identity, application: application, clientInfo: clientInfo,
                    vault: vault, operation: operation, address: network.address(using: &random), outcome: outcome))
            }
        }
        return calls
    }

    /// The calls of a local-time habit that fall on UTC day `dayNumber`, in milliseconds after
    /// its midnight UTC. Each local day is generated from its own stream, whichever UTC day
    /// asks, so a call that crosses midnight UTC is emitted exactly once.
    static func localCalls(
        of routine: DemoRoutine, index: Int, identity: DemoIdentity, seed: UInt64, dayNumber: Int
    ) -> [(millisecond: Int, operation: DemoOperation, outcome: DemoOutcome)] {
        var result: [(millisecond: Int, operation: DemoOperation, outcome: DemoOutcome)] = []
        let reads = routine.operations
        for localDay in (dayNumber - 1)...(dayNumber + 1) where routine.runs(onDay: localDay) {
            var random = SeededRandom(seed: seed, stream: "habit", index, localDay)
            let offsetMilliseconds = identity.utcOffsetMinutes(onLocalDay: localDay) * 60_000
            let weekday = ((localDay % 7) + 11) % 7
            let isWorkday = identity.workweek.contains(weekday)
            let base = (localDay - dayNumber) * 86_400_000 - offsetMilliseconds
            var calls: [(millisecond: Int, operation: DemoOperation, outcome: DemoOutcome)] = []
            /// A client starting at local `second`: its challenge, then `operations` a second or so apart.
            func client(at second: Int, _ operations: [DemoOperation], spacing: ClosedRange<Int> = 0...1) {
                guard let first = operations.first else { return }
                var at = second * 1000 + random.below(1000)
                calls.append((at, first, .challenge))
                at += 40 + random.below(200)
                for operation in operations {
                    calls.append((at, operation, .success))
                    at += random.number(in: spacing) * 1000 + random.below(1000)
                }
            }
            switch routine.rhythm {
            case .configurationLoads(let deploys, let replicas, let nightlyPercent):
                let load = [DemoOperation.secretList] + reads
                if isWorkday {
                    for _ in 0..<random.number(in: deploys) {
                        let start = random.number(in: 8...19) * 3600 + random.below(3000)
                        for replica in 0..<random.number(in: replicas) { client(at: start + replica * random.number(in: 20...90), load) }
                    }
                }
                if random.chance(percent: nightlyPercent) {
                    let start = random.number(in: 0...4) * 3600 + random.below(3000)
                    for replica in 0..<random.number(in: 1...2) { client(at: start + replica * random.number(in: 30...120), load) }
                }
            case .weekly(let weekdays, let hours):
                if weekdays.contains(weekday) { client(at: random.number(in: hours) * 3600 + random.below(3000), reads, spacing: 1...8) }
            case .nightly(let hours):
                client(at: random.number(in: hours) * 3600 + random.below(3000), reads, spacing: 1...3)
            case .officeHours(let sessions, let readsPerSession):
                guard isWorkday, !reads.isEmpty else { break }
                for _ in 0..<random.number(in: sessions) {
                    let start = random.number(in: 9...16) * 3600 + random.below(3000)
                    client(at: start, random.distinctElements(random.number(in: readsPerSession), of: reads), spacing: 4...60)
                }
            case .monthEnd(let hours):
                guard isWorkday, Self.isLastWorkday(localDay, workweek: identity.workweek) else { break }
                for hour in hours { client(at: hour * 3600 + random.below(600), reads, spacing: 1...4) }
            case .steady, .restarts, .builds, .periodic, .workday:
                break
            }
            for call in calls {
                let millisecond = base + call.millisecond
                if millisecond >= 0 && millisecond < 86_400_000 { result.append((millisecond, call.operation, call.outcome)) }
            }
        }
        return result
    }

    /// Whether `day` is the last day of its month that is in `workweek`.
    static func isLastWorkday(_ day: Int, workweek: Set<Int>) -> Bool {
        let (_, month, _) = EventTime.civilFromDays(day)
        var later = day + 1
        while EventTime.civilFromDays(later).1 == month {
            if workweek.contains(((later % 7) + 11) % 7) { return false }
            later += 1
        }
        return true
    }

    /// The user agent a caller keeps for an application (one of the application's variants,
    /// chosen by the caller's name so it never changes).
    static func clientInfo(of application: DemoApplication, for identity: DemoIdentity) -> String {
        guard !application.clientInfos.isEmpty else { return "" }
        let index = Int(SeededRandom.fnv1a(identity.key.utf8) % UInt64(application.clientInfos.count))
        return application.clientInfos[index]
    }
}
