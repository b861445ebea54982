// A family of tenants drawn at random (`vaultwatch demo generate --tenant random --seed N`), to
// measure precision and recall on tenants nobody tuned the detector on. Each seed draws a
// tenant's habits from the generator's pieces with random parameters: the attack date (so
// daylight-saving changes fall inside the history or not), people in zones with daylight saving
// (north and south), half-hour zones and Sunday-to-Thursday weeks, home lines (fixed, dynamic
// IPv4 /16, dynamic IPv6 /32), services on UTC schedules or local ones, configuration providers
// that read every secret at each deploy, scaled-out services, batch jobs every few hours, a
// nightly backup, a weekly certificate renewal, CI bursts, an admin's weekly round, an on-call
// rota, a team's holiday week, a new hire, a month-end close, quiet vaults and a weekly rotation,
// an IPv6-only service. The sixteen attack stories are played by the tenant's cast, whose roles
// keep the habits each story relies on (the developer who never used the payments vault, the
// pipeline that never lists, the admin known on the data vault), and the seventeenth by its
// busiest configuration provider: so every seed must raise the seventeen required alerts, and
// its habits nothing outside the expected ones.

extension DemoScenario {
    /// The default history of a random tenant: six weeks, as Woodgrove.
    public static let randomHistoryDays = 42

    /// A zone a random tenant's people and jobs can live in: standard offset, daylight-saving
    /// rule, working week.
    struct RandomZone {
        var name: String
        var offset: Int
        var daylightSaving: DemoDaylightSaving
        var workweek: Set<Int> = [1, 2, 3, 4, 5]
    }

    static let randomZones: [RandomZone] = [
        RandomZone(name: "Los Angeles", offset: -480, daylightSaving: .unitedStates),
        RandomZone(name: "Chicago", offset: -360, daylightSaving: .unitedStates),
        RandomZone(name: "New York", offset: -300, daylightSaving: .unitedStates),
        RandomZone(name: "São Paulo", offset: -180, daylightSaving: .none),
        RandomZone(name: "London", offset: 0, daylightSaving: .europe),
        RandomZone(name: "Paris", offset: 60, daylightSaving: .europe),
        RandomZone(name: "Lagos", offset: 60, daylightSaving: .none),
        RandomZone(name: "Riyadh", offset: 180, daylightSaving: .none, workweek: [0, 1, 2, 3, 4]),
        RandomZone(name: "Dubai", offset: 240, daylightSaving: .none),
        RandomZone(name: "Pune", offset: 330, daylightSaving: .none),
        RandomZone(name: "Kathmandu", offset: 345, daylightSaving: .none),
        RandomZone(name: "Singapore", offset: 480, daylightSaving: .none),
        RandomZone(name: "Tokyo", offset: 540, daylightSaving: .none),
        RandomZone(name: "Adelaide", offset: 570, daylightSaving: .australia),
        RandomZone(name: "Sydney", offset: 600, daylightSaving: .australia),
    ]

    static let randomPeopleNames = [
        "Aiko Tanaka", "Bruno Costa", "Chloe Martin", "Diego Alvarez", "Elif Yilmaz", "Farah Khan", "Gustav Lind", "Hana Kim",
        "Ivan Petrov", "Jade Wilson", "Kenji Sato", "Leila Nasser", "Mateo Silva", "Nia Adeyemi", "Oskar Nowak", "Paula Souza",
        "Quentin Roux", "Rosa Moreno", "Sven Olsen", "Tara Singh", "Uma Patel", "Victor Hugo", "Wanjiru Kamau", "Xavier Dubois",
        "Yara Haddad", "Zane Cooper", "Amara Obi", "Björn Ek", "Carmen Ruiz", "Dev Sharma", "Erin Walsh", "Femi Bello",
    ]

    /// A tenant drawn from `seed`: the same seed, the same tenant. `historyDays` places the
    /// habits that start, stop or pause (a new hire, a scale-out, a holiday) inside the history.
    public static func random(seed: UInt64, historyDays: Int = DemoScenario.randomHistoryDays) -> DemoScenario {
        var random = SeededRandom(seed: seed, stream: "random-tenant")
        let organization = "Tenant \(seed)"
        let production = DemoGUID.named("subscription/random-\(seed)-production")
        let nonProduction = DemoGUID.named("subscription/random-\(seed)-nonproduction")

        // The attack day: a Tuesday, Wednesday or Thursday of 2026, so the history can hold a
        // summer-time change (March, April, October, November) or none.
        let firstCandidate = dayNumber(2026, 1, 10) + historyDays / 2
        var attackDay = random.number(in: firstCandidate...dayNumber(2026, 12, 20))
        while !(2...4).contains(DemoDaylightSaving.weekday(attackDay)) { attackDay += 1 }
        // A generated tenant must lie in the past of the machine that reads it: records more than
        // a day ahead of its clock are out of range and never judged (README "Clocks"), so a draw
        // in December 2026 (when this generator was written) gave a tenant without alerts until
        // its days had passed. Such a draw moves back 52 weeks: the same weekday of 2025.
        if attackDay >= dayNumber(2026, 12, 1) { attackDay -= 364 }
        let (attackYear, attackMonth, attackDate) = EventTime.civilFromDays(attackDay)
        let historyStart = attackDay - historyDays

        // Names: each story role and each extra person gets a distinct name.
        var names = random.distinctElements(randomPeopleNames.count, of: randomPeopleNames)
        func nextName() -> String { names.isEmpty ? "Pat Doe \(random.below(1000))" : names.removeFirst() }

        // Networks: distinct public-looking /24s, never in the attack stories' ranges (documentation
        // ranges, the hotel's 88.27.140.0/24) nor in another caller's.
        var usedBlocks: Set<String> = []
        func freshBlock() -> String {
            while true {
                let first = random.element(of: [24, 31, 37, 46, 62, 71, 77, 81, 86, 90, 94, 109, 151, 176, 185, 212])
                let block = "\(first).\(random.number(in: 1...254))"
                if usedBlocks.insert(block).inserted { return block }
            }
        }
        func office() -> DemoNetwork { DemoNetwork("\(freshBlock()).\(random.number(in: 1...254))", hosts: [random.number(in: 2...250)]) }
        func azure() -> DemoNetwork {
            let first = random.element(of: [4, 13, 20, 40, 51, 52])
            var block = ""
            repeat { block = "\(first).\(random.number(in: 1...254))" } while !usedBlocks.insert(block).inserted
            let hosts = (0..<random.number(in: 1...4)).map { _ in random.number(in: 2...250) }
            return DemoNetwork("\(block).\(random.number(in: 1...254))", hosts: Array(Set(hosts)).sorted())
        }
        func home() -> DemoNetwork {
            switch random.below(4) {
            case 0: return .dynamic(block: freshBlock())
            case 1: return .dynamic(block: "2a0\(random.number(in: 1...9)):\(String(random.number(in: 0x100...0xfff), radix: 16))")
            case 2:
                return DemoNetwork(ipv6: "2a02:\(String(random.number(in: 0x100...0xfff), radix: 16)):\(String(random.number(in: 0x100...0xfff), radix: 16))",
                                   interfaces: ["\(String(random.number(in: 0x1000...0xffff), radix: 16)):3c1e:b2ff:fe20:1b7"])
            default: return DemoNetwork("\(freshBlock()).\(random.number(in: 1...254))", hosts: [random.number(in: 2...250)])
            }
        }

        // Zones: the tenant has two to four offices; people and local jobs live in them.
        let zones = random.distinctElements(random.number(in: 2...4), of: randomZones)
        var offices: [String: DemoNetwork] = [:]
        for zone in zones { offices[zone.name] = office() }

        var identities: [DemoIdentity] = []
        /// Zones whose working morning (08:30–11:45 local, summer time included) and afternoon
        /// fall on the same UTC day: where the `workday` rhythm (a morning listing) is generated.
        func morningIsSameUTCDay(_ offset: Int) -> Bool { offset + 60 <= 8 * 60 + 30 && offset >= -6 * 60 }
        func person(_ key: String, zone: RandomZone? = nil, listsEachMorning: Bool = false) -> DemoIdentity {
            let listingZones = zones.filter { morningIsSameUTCDay($0.offset) }
            let zone = zone ?? (listsEachMorning
                ? random.element(of: listingZones.isEmpty ? randomZones.filter { morningIsSameUTCDay($0.offset) } : listingZones)
                : random.element(of: zones))
            if offices[zone.name] == nil { offices[zone.name] = office() }
            let name = nextName()
            let upn = name.lowercased().split(separator: " ").joined(separator: ".") + "@contoso-\(seed).example"
            let homeDays = random.distinctElements(random.number(in: 0...2), of: zone.workweek.sorted()).sorted()
            let identity = DemoIdentity(
                key: key, displayName: name, kind: .user(upn: upn), utcOffsetMinutes: zone.offset, daylightSaving: zone.daylightSaving,
                workweek: zone.workweek, usualNetwork: offices[zone.name] ?? office(), homeNetwork: home(), homeWeekdays: homeDays)
            identities.append(identity)
            return identity
        }
        func service(_ key: String, zone: RandomZone? = nil, network: DemoNetwork? = nil) -> DemoIdentity {
            let identity = DemoIdentity(
                key: key, displayName: key, kind: .servicePrincipal(managedIdentityResource: nil), utcOffsetMinutes: zone?.offset ?? 0,
                daylightSaving: zone?.daylightSaving ?? .none, workweek: zone?.workweek ?? [1, 2, 3, 4, 5], usualNetwork: network ?? azure())
            identities.append(identity)
            return identity
        }

        // Vaults of the story roles, named at random; every name once.
        var vaultNames: Set<String> = []
        func vaultName(_ stem: String) -> String {
            while true {
                let name = "kv-\(stem)-\(random.number(in: 10...99))"
                if vaultNames.insert(name).inserted { return name }
            }
        }
        func pick(_ choices: [String]) -> String { vaultName(random.element(of: choices)) }
        let standardVaults = DemoScenario.standard.vaults
        let roleNames: [String: [String]] = [
            "kv-payments-prod": ["payments", "cards", "billing", "checkout"], "kv-payments-stg": ["payments-stg", "cards-uat", "billing-test"],
            "kv-web-prod": ["web", "storefront", "online", "frontdoor"], "kv-data-platform": ["data", "analytics", "lakehouse", "risk"],
            "kv-ci-build": ["ci", "build", "devops", "pipelines"], "kv-hr-records": ["hr", "people", "payroll"],
            "kv-dev-shared": ["dev", "sandbox", "shared-dev"], "kv-monitoring": ["monitoring", "observability", "ops"],
            "kv-ml-features": ["ml", "research", "market-data"], "kv-iot-gateway": ["iot", "branch", "edge-gateway", "devices"],
        ]
        var cast: [String: String] = [:]
        var vaults: [DemoVault] = []
        for template in standardVaults {
            var vault = template
            vault.name = pick(roleNames[template.name] ?? [String(template.name.dropFirst(3))])
            vault.subscriptionID = template.subscriptionID == DemoScenario.standard.vaults[0].subscriptionID ? production : nonProduction
            vault.resourceGroup = "rg-" + vault.name.dropFirst(3)
            vault.location = random.element(of: ["westeurope", "eastus", "uksouth", "southeastasia", "australiaeast", "centralindia"])
            vault.usesRBAC = random.chance(percent: 60)
            vault.secrets += (0..<random.number(in: 0...6)).map { "\(vault.name.dropFirst(3))-extra-\($0 + 1)" }
            cast[template.name] = vault.name
            vaults.append(vault)
        }
        func vault(_ role: String) -> String { cast[role] ?? role }
        /// The secrets a habit may read on a vault: never the reserved `vaultwatch-test-alert`,
        /// which any operation turns into `KV_TestAlert` (the operator's end-to-end check).
        func readable(_ vaultName: String) -> [String] {
            (vaults.first { $0.name == vaultName }?.secrets ?? []).filter { $0 != RuleContext.testObjectName }
        }
        func secrets(_ role: String) -> [String] { vaults.first { $0.name == vault(role) }?.secrets ?? [] }

        // Applications: the first-party tools and one per service; the stories' new ones.
        var applications = DemoScenario.standard.applications.filter(\.isFirstParty)
        func app(_ key: String) {
            let agent = random.element(of: [
                "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.6; Linux 5.15.0-1064-azure #73-Ubuntu SMP)",
                "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.3 (Linux-6.5.0-1021-azure-x86_64-with-glibc2.35)",
                "azsdk-java-azure-security-keyvault-secrets/4.8.3 (21.0.3; Linux; 5.15.0-1064-azure)",
                "azsdk-go-azsecrets/v1.1.0 (go1.22.4; linux)",
            ])
            applications.append(DemoApplication(key: key, displayName: key, clientInfos: [agent]))
        }

        var routines: [DemoRoutine] = []
        func routine(_ who: String, _ tool: String, _ vaultName: String, _ rhythm: DemoRhythm, _ operations: [DemoOperation],
                     denied: DemoOperation? = nil, deniedPercent: Int = 0, active: Range<Int>? = nil, pauses: [Range<Int>] = []) {
            routines.append(DemoRoutine(identity: who, application: tool, vault: vaultName, rhythm: rhythm, operations: operations,
                                        deniedOperation: denied, deniedPercent: deniedPercent, active: active, pauses: pauses))
        }
        /// A person's working days on a vault: a morning session that lists and reads, or
        /// sessions through the day (local time either way; far-east mornings fall on the UTC
        /// day before, which only the local-time rhythm generates).
        func work(_ who: DemoIdentity, _ tool: String, _ vaultName: String, _ reads: [String], denied: DemoOperation? = nil,
                  listing: Bool = false, active: Range<Int>? = nil, pauses: [Range<Int>] = []) {
            if morningIsSameUTCDay(who.utcOffsetMinutes) && (listing || denied != nil || random.chance(percent: 50)) {
                routine(who.key, tool, vaultName, .workday(readsPerSession: 1...random.number(in: 1...3), afternoonPercent: random.number(in: 20...70)),
                        DemoOperation.secretReads(reads), denied: denied, deniedPercent: denied == nil ? 0 : random.number(in: 10...40),
                        active: active, pauses: pauses)
            } else {
                routine(who.key, tool, vaultName, .officeHours(sessions: 1...random.number(in: 1...3), readsPerSession: 1...random.number(in: 1...3)),
                        DemoOperation.secretReads(reads), active: active, pauses: pauses)
            }
        }

        // The story roles and the habits their stories rely on.
        let developer = person("developer")            // never on the payments vault (story: denied there)
        let security = person("security")              // runs the end-to-end test
        let paymentsEngineer = person("payments-engineer", listsEachMorning: true)  // lists as the hotel story does
        let sre = person("sre")
        let admin = person("admin", listsEachMorning: true)  // portal on payments and data (Tor story; access change)
        let newcomerDeveloper = person("hr-outsider")  // never on the HR vault
        let dataEngineer = person("data-engineer")     // CLI on the data vault, never the portal
        let guest = DemoIdentity(
            key: "guest", displayName: "\(nextName()) (guest)",
            kind: .user(upn: "guest_partner.example#EXT#@contoso-\(seed).onmicrosoft.com"), utcOffsetMinutes: 60,
            usualNetwork: office())
        identities.append(guest)
        work(developer, random.element(of: ["portal", "cli"]), vault("kv-web-prod"), random.distinctElements(3, of: secrets("kv-web-prod")))
        work(developer, "cli", vault("kv-dev-shared"), random.distinctElements(3, of: secrets("kv-dev-shared")))
        work(security, "cli", vault("kv-monitoring"), ["grafana-api-key", "pagerduty-token"])
        work(paymentsEngineer, "powershell", vault("kv-payments-prod"), ["stripe-api-key", "payments-db-connection", "adyen-hmac-key"],
             denied: random.chance(percent: 40) ? .secretGet("payout-webhook-signing") : nil, listing: true)
        if random.chance(percent: 50) {
            work(paymentsEngineer, "powershell", vault("kv-payments-stg"), ["stripe-test-key", "payments-stg-db-connection"])
        }
        work(sre, "cli", vault("kv-dev-shared"), ["dev-db-password", "legacy-ftp-password", "dev-storage-connection"])
        work(sre, "cli", vault("kv-monitoring"), ["datadog-api-key", "grafana-api-key"])
        work(admin, "portal", vault("kv-payments-prod"), ["payout-webhook-signing", "stripe-api-key", "fraud-service-token"], listing: true)
        work(admin, "portal", vault("kv-data-platform"), ["warehouse-connection", "spark-cluster-token"], listing: true)
        work(newcomerDeveloper, random.element(of: ["portal", "cli"]), vault("kv-web-prod"), random.distinctElements(2, of: secrets("kv-web-prod")))
        work(dataEngineer, "cli", vault("kv-data-platform"), ["warehouse-connection", "lake-sas-token", "spark-cluster-token"])
        if random.chance(percent: 60) {
            work(dataEngineer, "cli", vault("kv-ml-features"), random.distinctElements(2, of: secrets("kv-ml-features")))
        }
        let hrPerson = person("hr-admin", listsEachMorning: true)  // the portal's VaultGet and listing are known on the HR vault
        work(hrPerson, "portal", vault("kv-hr-records"), ["workday-api-secret", "ats-api-token", "payroll-db-password"], listing: true)

        // Services of the story roles.
        for key in ["payments-api", "web-frontend", "build-pipeline", "etl-batch", "ops-automation", "monitor-agent", "people-sync",
                    "feature-service", "gateway-app", "staging-api", "exfil-tool", "ocr-poc"] { app(key) }
        _ = service("payments-api")
        routine("payments-api", "payments-api", vault("kv-payments-prod"), .steady(perHour: random.number(in: 3...8)...random.number(in: 9...16)),
                DemoOperation.secretReads(["stripe-api-key", "adyen-hmac-key", "payments-db-connection", "fraud-service-token"])
                    + [.keySign("payments-signing-key"), .keySign("payments-signing-key")])
        let webZone = random.element(of: zones)
        _ = service("web-frontend", zone: webZone)
        let webLoad = ["db-connection", "storage-connection", "oauth-client-secret", "sendgrid-api-key"]
            + secrets("kv-web-prod").filter { !["db-connection", "storage-connection", "oauth-client-secret", "sendgrid-api-key"].contains($0) }
                .prefix(random.number(in: 2...8))
        if random.chance(percent: 50) {
            let hours = random.distinctElements(random.number(in: 1...4), of: Array(0..<24)).sorted()
            routine("web-frontend", "web-frontend", vault("kv-web-prod"),
                    .restarts(hours: hours, readsAtRestart: webLoad.count, refreshesPerHour: 1...random.number(in: 2...6)),
                    DemoOperation.secretReads(Array(webLoad)))
        } else {
            routine("web-frontend", "web-frontend", vault("kv-web-prod"),
                    .configurationLoads(deploysPerWorkday: 1...random.number(in: 1...4), replicas: 1...random.number(in: 2...5),
                                        nightlyPercent: random.number(in: 0...80)), DemoOperation.secretReads(Array(webLoad)))
        }
        _ = service("build-pipeline")
        let buildStart = random.number(in: 0...12)
        routine("build-pipeline", "build-pipeline", vault("kv-ci-build"),
                .builds(weekdayHours: buildStart..<(buildStart + random.number(in: 6...11)), buildsPerHour: 1...random.number(in: 1...4),
                        nightlyHour: random.number(in: 0...23)),
                DemoOperation.secretReads(random.distinctElements(random.number(in: 3...6), of: DemoScenario.ciSecrets)))
        _ = service("etl-batch")
        let boostStart = random.number(in: 0...20)
        routine("etl-batch", "etl-batch", vault("kv-data-platform"),
                .steady(perHour: random.number(in: 2...5)...random.number(in: 6...10), boostHours: boostStart..<(boostStart + random.number(in: 1...3)),
                        boostFactor: random.number(in: 1...4)),
                DemoOperation.secretReads(["warehouse-connection", "lake-sas-token", "source-crm-password", "source-erp-password"]))
        _ = service("ops-automation")
        routine("ops-automation", "ops-automation", vault("kv-monitoring"), .periodic(everyHours: 24, firstHour: random.number(in: 0...23)),
                DemoOperation.secretReads(["pagerduty-token", "grafana-api-key"]))
        _ = service("monitor-agent")
        routine("monitor-agent", "monitor-agent", vault("kv-monitoring"), .steady(perHour: random.number(in: 1...6)...6),
                DemoOperation.secretReads(["grafana-api-key", "datadog-api-key"]))
        _ = service("people-sync")
        routine("people-sync", "people-sync", vault("kv-hr-records"), .periodic(everyHours: random.element(of: [4, 6, 8, 12]), firstHour: random.number(in: 0...3)),
                DemoOperation.secretReads(["workday-api-secret", "payroll-db-password"]))
        _ = service("feature-service")
        routine("feature-service", "feature-service", vault("kv-ml-features"), .periodic(everyHours: random.element(of: [1, 2, 3, 6]), firstHour: 0),
                DemoOperation.secretReads(Array(secrets("kv-ml-features").prefix(2))))
        let gatewayZone = random.element(of: zones)
        _ = service("gateway-app", zone: gatewayZone)
        routine("gateway-app", "gateway-app", vault("kv-iot-gateway"),
                .configurationLoads(deploysPerWorkday: 1...random.number(in: 1...3), replicas: 1...random.number(in: 1...4), nightlyPercent: random.number(in: 0...70)),
                DemoOperation.secretReads(secrets("kv-iot-gateway")))
        _ = service("staging-api")
        routine("staging-api", "staging-api", vault("kv-payments-stg"), .steady(perHour: 1...random.number(in: 2...5)),
                DemoOperation.secretReads(["stripe-test-key", "payments-stg-db-connection"]))
        _ = service("exfil-tool")
        _ = service("ocr-poc")
        if random.chance(percent: 70) {
            _ = service("resource-graph", network: DemoNetwork("20.189.173", hosts: [4, 5, 6, 7]))
            for vault in vaults { routine("resource-graph", "resource-graph", vault.name, .periodic(everyHours: 1, firstHour: 0), [.vaultGet]) }
        }

        // Extra people on random vaults (the story roles' vaults excepted where a story needs a stranger).
        let open = vaults.map(\.name).filter { $0 != vault("kv-hr-records") }
        for index in 0..<random.number(in: 2...6) {
            let who = person("engineer-\(index + 1)")
            for vaultName in random.distinctElements(random.number(in: 1...3), of: open) {
                let held = readable(vaultName)
                work(who, random.element(of: ["cli", "powershell", "portal"]), vaultName, random.distinctElements(random.number(in: 2...4), of: held))
            }
        }

        // Optional habits, each drawn with its parameters.
        var habits: [String] = []
        if random.chance(percent: 60) {  // a team's holiday week
            let zone = random.element(of: zones)
            let start = historyStart + random.number(in: 7...max(8, historyDays - 10))
            let holiday = start..<(start + random.number(in: 3...7))
            for index in routines.indices {
                guard let identity = identities.first(where: { $0.key == routines[index].identity }), identity.upn != nil,
                    identity.utcOffsetMinutes == zone.offset, identity.workweek == zone.workweek
                else { continue }
                routines[index].pauses.append(holiday)
            }
            habits.append("holiday week in \(zone.name)")
        }
        if random.chance(percent: 60) {  // an on-call rota across zones on one vault
            let rotaVault = vaultName("incident")
            let rotaSecrets = ["pager-escalation-key", "status-page-token", "break-glass-db", "war-room-bridge"]
            vaults.append(DemoVault(name: rotaVault, purpose: "incident response", subscriptionID: production, resourceGroup: "rg-ops",
                                    usesRBAC: true, secrets: rotaSecrets))
            app("pager-bot")
            _ = service("pager-bot")
            routine("pager-bot", "pager-bot", rotaVault, .steady(perHour: 1...random.number(in: 1...5)), DemoOperation.secretReads(Array(rotaSecrets.prefix(2))))
            for zone in random.distinctElements(random.number(in: 2...3), of: randomZones) {
                let who = person("on-call-\(zone.name.lowercased().split(separator: " ").joined(separator: "-"))", zone: zone)
                routine(who.key, "cli", rotaVault, .officeHours(sessions: 1...3, readsPerSession: 1...3), DemoOperation.secretReads(rotaSecrets))
            }
            habits.append("on-call rota")
        }
        if random.chance(percent: 60) {  // a new hire
            let zone = random.element(of: zones)
            let hire = person("new-hire", zone: zone)
            let first = historyStart + random.number(in: 10...max(11, historyDays - 5))
            for vaultName in random.distinctElements(random.number(in: 1...2), of: open) {
                let held = readable(vaultName)
                work(hire, "cli", vaultName, random.distinctElements(3, of: held), active: first..<Int.max)
            }
            habits.append("new hire")
        }
        if random.chance(percent: 60) {  // a configuration provider scaled out
            let zone = random.element(of: zones)
            let name = "scaled-service"
            let scaledVault = vaultName("scaled")
            let load = (1...random.number(in: 8...30)).map { "config-\($0)" }
            vaults.append(DemoVault(name: scaledVault, purpose: "a configuration provider's vault", subscriptionID: production,
                                    resourceGroup: "rg-scaled", usesRBAC: true, secrets: load))
            app(name)
            _ = service(name, zone: zone)
            let low = random.number(in: 1...3)
            let change = historyStart + random.number(in: 10...max(11, historyDays - 10))
            let deploys = 1...random.number(in: 1...3)
            routine(name, name, scaledVault, .configurationLoads(deploysPerWorkday: deploys, replicas: low...(low + 1), nightlyPercent: 50),
                    DemoOperation.secretReads(load), active: Int.min..<change)
            routine(name, name, scaledVault, .configurationLoads(deploysPerWorkday: deploys, replicas: (2 * low)...(2 * low + 2), nightlyPercent: 50),
                    DemoOperation.secretReads(load), active: change..<Int.max)
            habits.append("scale-out")
        }
        if random.chance(percent: 50) {  // a month-end close
            let zone = random.element(of: zones)
            let ledger = vaultName("ledger")
            let feeds = (1...random.number(in: 10...30)).map { "ledger-feed-\($0)" }
            vaults.append(DemoVault(name: ledger, purpose: "general ledger", subscriptionID: production, resourceGroup: "rg-finance",
                                    usesRBAC: true, secrets: feeds))
            app("ledger-api")
            app("gl-close")
            _ = service("ledger-api")
            _ = service("gl-close", zone: zone)
            routine("ledger-api", "ledger-api", ledger, .steady(perHour: 1...random.number(in: 2...5)), DemoOperation.secretReads(Array(feeds.prefix(3))))
            let start = random.number(in: 14...20)
            routine("gl-close", "gl-close", ledger, .monthEnd(hours: start...(start + random.number(in: 1...5))), [.secretList] + DemoOperation.secretReads(feeds))
            habits.append("month-end close")
        }
        if random.chance(percent: 60) {  // quiet vaults and a weekly rotation of all their secrets
            let count = random.number(in: 3...15)
            let rotationDay = random.number(in: 0...6)
            let rotationHours = random.number(in: 0...20)
            app("secret-rotator")
            _ = service("secret-rotator")
            let zone = random.element(of: zones)
            for number in 1...count {
                let name = "quiet-\(number)"
                let quiet = DemoVault(name: vaultName(name), purpose: "one application's secrets",
                                      subscriptionID: production, resourceGroup: "rg-apps", usesRBAC: true,
                                      secrets: (1...random.number(in: 3...8)).map { "\(name)-secret-\($0)" })
                vaults.append(quiet)
                app(name)
                _ = service(name, zone: zone)
                routine(name, name, quiet.name, .officeHours(sessions: 1...2, readsPerSession: 1...2), DemoOperation.secretReads(quiet.secrets))
                routine("secret-rotator", "secret-rotator", quiet.name, .weekly(weekdays: [rotationDay], hours: rotationHours...(rotationHours + 2)),
                        [.secretList] + quiet.secrets.flatMap { [DemoOperation.secretGet($0), .secretSet($0)] })
            }
            habits.append("\(count) quiet vaults")
        }
        if random.chance(percent: 50) {  // an IPv6-only service
            let mobile = vaultName("mobile")
            vaults.append(DemoVault(name: mobile, purpose: "an IPv6-only service", subscriptionID: production, resourceGroup: "rg-mobile",
                                    usesRBAC: true, secrets: ["mobile-push-key", "mobile-jwt-secret", "mobile-db"]))
            app("mobile-api")
            _ = service("mobile-api", network: .dynamic(block: "2603:\(String(random.number(in: 0x1000...0x1fff), radix: 16))"))
            routine("mobile-api", "mobile-api", mobile, .steady(perHour: 1...random.number(in: 2...8)),
                    DemoOperation.secretReads(["mobile-push-key", "mobile-jwt-secret", "mobile-db"]))
            habits.append("IPv6-only service")
        }
        if random.chance(percent: 50) {  // a nightly backup job
            app("backup-runner")
            _ = service("backup-runner")
            let start = random.number(in: 0...20)
            routine("backup-runner", "backup-runner", vault("kv-web-prod"), .nightly(hours: start...(start + random.number(in: 0...3))),
                    secrets("kv-web-prod").prefix(random.number(in: 2...6)).map { .secretBackup($0) })
            habits.append("nightly backup")
        }
        if random.chance(percent: 50) {  // a weekly certificate renewal on a sparse vault
            let certificates = (1...random.number(in: 3...10)).map { "edge-\($0)" }
            let certVault = vaultName("certs")
            vaults.append(DemoVault(name: certVault, purpose: "TLS certificates renewed weekly", subscriptionID: production,
                                    resourceGroup: "rg-edge", usesRBAC: true, secrets: [], certificates: certificates))
            app("cert-rotator")
            _ = service("cert-rotator")
            routine("cert-rotator", "cert-rotator", certVault, .weekly(weekdays: [random.number(in: 0...6)], hours: 0...23),
                    [.certificateList] + certificates.flatMap { [DemoOperation.certificateGet($0), .certificateImport($0)] })
            habits.append("weekly renewal")
        }
        if random.chance(percent: 50) {  // CI reading many secrets a few times a week
            let release = vaultName("release")
            let releaseSecrets = (1...random.number(in: 10...30)).map { "release-token-\($0)" }
            vaults.append(DemoVault(name: release, purpose: "release credentials", subscriptionID: nonProduction, resourceGroup: "rg-devops",
                                    usesRBAC: true, secrets: releaseSecrets))
            app("release-pipeline")
            _ = service("release-pipeline")
            routine("release-pipeline", "release-pipeline", release,
                    .weekly(weekdays: random.distinctElements(random.number(in: 1...3), of: [1, 2, 3, 4, 5]).sorted(), hours: 0...23),
                    DemoOperation.secretReads(releaseSecrets))
            habits.append("release CI")
        }
        if random.chance(percent: 40) {  // an admin's weekly round in the portal
            let roundVault = vault("kv-web-prod")
            let held = secrets("kv-web-prod")
            let browsing: [DemoOperation] = [.vaultGet, .secretList, .keyList, .certificateList]
                + held.prefix(6).map { .secretListVersions($0) } + held.prefix(6).map { .secretGet($0) }
            let roundAdmin = person("portal-admin")
            routine(roundAdmin.key, "portal", roundVault, .weekly(weekdays: [random.element(of: roundAdmin.workweek.sorted())], hours: 10...15), browsing)
            habits.append("admin's weekly round")
        }

        let stories = DemoScenario.standardStories.map { $0.recast(cast.merging(randomCast) { _, role in role }) }
            + DemoScenario.stolenServiceCredentialStories(routines: routines, identities: identities, attackDay: attackDay)
        return DemoScenario(
            organization: organization + " (" + habits.joined(separator: ", ") + ")", tenantID: DemoGUID.named("tenant/random-\(seed)"),
            attackYear: attackYear, attackMonth: attackMonth, attackDay: attackDate,
            vaults: vaults, applications: applications, identities: identities, routines: routines, stories: stories)
    }

    /// Who plays each role of Fabrikam's stories in a random tenant (vaults come from the draw).
    static let randomCast: [String: String] = [
        "lukas": "developer", "priya": "security", "tom": "payments-engineer", "rahul": "sre", "camille": "admin",
        "marco": "hr-outsider", "emily": "data-engineer", "contractor": "guest", "web-storefront": "web-frontend",
        "data-export-tool": "exfil-tool", "ci-pipeline": "build-pipeline", "invoice-ocr-poc": "ocr-poc", "etl-nightly": "etl-batch",
        "ops-automation": "ops-automation", "payments-api": "payments-api",
    ]
}
