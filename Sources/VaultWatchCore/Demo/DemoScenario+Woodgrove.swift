// The second demo tenant: Woodgrove Bank, a retail bank run from New York, London, Pune,
// Singapore and Riyadh. It exists to measure precision and recall on a tenant the detector was
// not tuned on: other names, other zones and habits Fabrikam does not have — New York and
// London moving to summer time in the middle of the history (three weeks apart), half-hour
// and Gulf zones, a Sunday-to-Thursday working week, a follow-the-sun on-call rota on one
// vault, a month-end close, a new employee joining, a team's holiday week, a service whose
// replicas double, an IPv6-only service, twenty quiet application vaults and a weekly secret
// rotation across all of them. Its attack day replays Fabrikam's sixteen stories with
// Woodgrove's cast (`DemoStory.recast`), and the seventeenth on its payments gateway. demo-data/README.md tells it.

extension DemoScenario {
    /// Days since 1970 of a calendar date (for routines that start, stop or pause).
    static func dayNumber(_ year: Int, _ month: Int, _ day: Int) -> Int {
        EventTime.daysFromCivil(year: year, month: month, day: day)
    }

    /// Woodgrove Bank (`vaultwatch demo generate --tenant woodgrove`).
    public static let woodgrove: DemoScenario = {
        let production = DemoGUID.named("subscription/woodgrove-production")
        let nonProduction = DemoGUID.named("subscription/woodgrove-nonproduction")
        func vault(
            _ name: String, _ purpose: String, production isProduction: Bool = true, group: String, location: String = "eastus",
            rbac: Bool = true, firewall: Bool = false, secrets: [String], keys: [String] = [], certificates: [String] = []
        ) -> DemoVault {
            DemoVault(
                name: name, purpose: purpose, subscriptionID: isProduction ? production : nonProduction, resourceGroup: group,
                location: location, usesRBAC: rbac, hasFirewall: firewall, secrets: secrets, keys: keys, certificates: certificates)
        }
        let onlineBankingSecrets = [
            "netbank-session-key", "netbank-db-connection", "netbank-redis", "netbank-storage", "netbank-mail-key", "netbank-captcha",
            "netbank-oauth-secret", "netbank-cdn-token", "netbank-flags-key", "netbank-sentry-dsn", "netbank-search-key", "netbank-maps-key",
        ]
        let ledgerSecrets = (1...30).map { "ledger-feed-\($0 < 10 ? "0" : "")\($0)" }
        let gatewaySecrets = (1...20).map { "gateway-config-\($0 < 10 ? "0" : "")\($0)" }
        var vaults = [
            vault("kv-cards-prod", "cards: card processing and settlement secrets, signing key", group: "rg-cards-prod",
                  secrets: ["visa-gateway-key", "settlement-webhook-signing", "cards-db-connection", "mastercard-hmac-key", "fraud-score-token"],
                  keys: ["cards-signing-key"]),
            vault("kv-cards-uat", "cards acceptance testing", production: false, group: "rg-cards-uat",
                  secrets: ["visa-test-key", "cards-uat-db-connection", "uat-webhook-secret"]),
            vault("kv-online-banking", "online banking: the web app's configuration, TLS certificate", group: "rg-netbank", rbac: false,
                  secrets: onlineBankingSecrets, certificates: ["www-woodgrovebank-com"]),
            vault("kv-risk-data", "risk: warehouse, core banking and treasury credentials", group: "rg-risk", rbac: false,
                  secrets: ["risk-warehouse", "risk-lake-sas", "core-banking-password", "treasury-password", "risk-spark-token", "pii-export-key"]),
            vault("kv-build", "CI: tokens the build agents use", production: false, group: "rg-devops", secrets: DemoScenario.ciSecrets),
            vault("kv-people", "HR: payroll and HR system credentials", group: "rg-hr", location: "uaenorth",
                  secrets: ["payroll-db-password", "hris-api-secret", "compensation-export-key", "recruiting-api-token"]),
            vault("kv-sandbox", "shared development secrets (firewalled)", production: false, group: "rg-dev", rbac: false, firewall: true,
                  secrets: ["sandbox-db-password", "test-card-key", "old-sftp-password", "sandbox-storage", "local-oidc-secret"]),
            vault("kv-observability", "operations: monitoring tokens, the reserved vaultwatch-test-alert", group: "rg-ops",
                  secrets: ["grafana-api-key", "opsgenie-token", "splunk-hec-token", "vaultwatch-test-alert"]),
            vault("kv-market-data", "markets: FX and pricing feeds", group: "rg-markets", location: "uksouth",
                  secrets: ["fx-feed-key", "market-data-token", "pricing-db-connection"]),
            vault("kv-branch-riyadh", "the Riyadh branch: core and ATM switch credentials", group: "rg-branch-riyadh", location: "uaenorth",
                  rbac: false, secrets: ["branch-core-password", "teller-api-key", "atm-switch-key"], certificates: ["branch-ca"]),
            vault("kv-incident", "incident response: the on-call rota's break-glass secrets", group: "rg-ops",
                  secrets: ["pager-escalation-key", "status-page-token", "break-glass-db", "war-room-bridge"]),
            vault("kv-ledger", "general ledger: the month-end close reads every feed", group: "rg-finance", secrets: ledgerSecrets),
            vault("kv-payments-gateway", "payments gateway: a configuration provider reads it all at start", group: "rg-gateway",
                  secrets: gatewaySecrets),
            vault("kv-mobile", "mobile banking API (IPv6-only egress)", group: "rg-mobile", secrets: ["mobile-push-key", "mobile-jwt-secret", "mobile-db"]),
        ]
        let appVaults = (1...20).map { number -> DemoVault in
            let name = "app-\(number < 10 ? "0" : "")\(number)"
            return vault("kv-\(name)", "\(name): one application's secrets, rotated weekly", production: number % 4 != 0, group: "rg-apps",
                         secrets: (1...(4 + number % 5)).map { "\(name)-secret-\($0)" })
        }
        vaults += appVaults

        let firstParty = DemoScenario.standard.applications.filter(\.isFirstParty)
        func app(_ key: String, _ name: String, _ agent: String) -> DemoApplication {
            DemoApplication(key: key, displayName: name, clientInfos: [agent])
        }
        let dotnet = "azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.6; Linux 5.15.0-1064-azure #73-Ubuntu SMP)"
        let python = "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.3 (Linux-6.5.0-1021-azure-x86_64-with-glibc2.35)"
        let java = "azsdk-java-azure-security-keyvault-secrets/4.8.3 (21.0.3; Linux; 5.15.0-1064-azure)"
        let go = "azsdk-go-azsecrets/v1.1.0 (go1.22.4; linux)"
        var applications = firstParty + [
            app("cards-api", "cards-api (App Service, managed identity)", dotnet),
            app("cards-api-uat", "cards-api UAT slot", dotnet),
            app("netbank-web", "netbank-web (App Service, managed identity)",
                "azsdk-js-keyvault-secrets/4.8.0 core-rest-pipeline/1.16.0 Node/v20.14.0 OS/(x64-Linux-5.15.0-1064-azure)"),
            app("cert-manager", "cert-manager (AKS)", "azsdk-go-azcertificates/v1.1.0 (go1.22.4; linux)"),
            app("risk-batch", "risk-batch (Synapse pipeline)", java),
            app("build-agents", "build-agents (GitHub Actions, federated credential)",
                "AZURECLI/2.61.0 (DEB) azsdk-python-keyvault-secrets/4.8.0 Python/3.11.9 (Linux-6.5.0-1021-azure-x86_64-with-glibc2.35)"),
            app("people-sync", "people-sync (Logic App)", dotnet),
            app("monitor-agent", "monitor-agent", go),
            app("runbook-ops", "runbook-ops (Automation account)", dotnet + " AzurePowershell/v12.0.0 PSVersion/v7.4.2"),
            app("fx-rates", "fx-rates (Functions, every 6 hours)", python),
            app("branch-app", "branch-app (AKS in UAE North, configuration provider)", dotnet),
            app("pager-bot", "pager-bot", go),
            app("ledger-api", "ledger-api", java),
            app("gl-close", "gl-close (month-end close, Data Factory)", java),
            app("payments-gateway", "payments-gateway (AKS, configuration provider)", dotnet),
            app("mobile-api", "mobile-api (IPv6-only AKS cluster)", go),
            app("secret-rotator", "secret-rotator (Functions, weekly)", python),
            // Only on the attack day.
            app("model-export-tool", "model-export-tool (new app registration)",
                "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.4 (Linux-6.9.3-arch1-1-x86_64-with-glibc2.39)"),
            app("statement-ocr-poc", "statement-ocr-poc (new app registration)",
                "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.4 (Windows-11-10.0.22631-SP0)"),
        ]
        applications += appVaults.map { app(String($0.name.dropFirst(3)), "\($0.name.dropFirst(3)) (App Service)", dotnet) }

        let newYork = -300
        let london = 0
        let pune = 330
        let singapore = 480
        let riyadh = 180
        let lagos = 60
        let sundayToThursday: Set<Int> = [0, 1, 2, 3, 4]
        func person(
            _ key: String, _ name: String, _ offset: Int, _ rule: DemoDaylightSaving = .none, workweek: Set<Int> = [1, 2, 3, 4, 5],
            office: DemoNetwork, home: DemoNetwork, homeDays: [Int]
        ) -> DemoIdentity {
            let upn = name.lowercased().split(separator: " ").joined(separator: ".") + "@woodgrovebank.com"
            return DemoIdentity(
                key: key, displayName: name, kind: .user(upn: upn), utcOffsetMinutes: offset, daylightSaving: rule, workweek: workweek,
                usualNetwork: office, homeNetwork: home, homeWeekdays: homeDays)
        }
        func service(_ key: String, _ network: DemoNetwork, offset: Int = 0, _ rule: DemoDaylightSaving = .none,
                     workweek: Set<Int> = [1, 2, 3, 4, 5]) -> DemoIdentity {
            DemoIdentity(key: key, displayName: key, kind: .servicePrincipal(managedIdentityResource: nil), utcOffsetMinutes: offset,
                         daylightSaving: rule, workweek: workweek, usualNetwork: network)
        }
        let newYorkOffice = DemoNetwork("64.124.18", hosts: [21, 22])
        let londonOffice = DemoNetwork("195.171.40", hosts: [9, 10])
        let puneOffice = DemoNetwork("115.112.91", hosts: [60, 61])
        let singaporeOffice = DemoNetwork("203.117.34", hosts: [150])
        let riyadhOffice = DemoNetwork("212.26.52", hosts: [77])
        var identities = [
            person("grace", "Grace Okafor", newYork, .unitedStates, office: newYorkOffice, home: DemoNetwork("71.190.44", hosts: [12]), homeDays: [5]),
            person("dmitri", "Dmitri Volkov", london, .europe, office: londonOffice,
                   home: DemoNetwork(ipv6: "2a00:23c7:9d1", interfaces: ["41a0:3c1e:b2ff:fe20:1b7", "41a0:9e21:41d3:7c02:2a8"]), homeDays: [1]),
            person("ananya", "Ananya Iyer", pune, office: puneOffice, home: DemoNetwork("49.36.112", hosts: [18]), homeDays: [2, 4]),
            person("wei", "Wei Chen", singapore, office: singaporeOffice, home: DemoNetwork("118.189.66", hosts: [201]), homeDays: [5]),
            person("jonas", "Jonas Berg", london, .europe, office: londonOffice, home: DemoNetwork("86.12.77", hosts: [45]), homeDays: [1, 3, 5]),
            person("kofi", "Kofi Mensah", lagos, office: DemoNetwork("102.89.33", hosts: [14]), home: DemoNetwork("105.112.16", hosts: [90]),
                   homeDays: [3]),
            person("fatima", "Fatima Al-Harbi", riyadh, workweek: sundayToThursday, office: riyadhOffice,
                   home: DemoNetwork("51.36.140", hosts: [3]), homeDays: [3]),
            person("omar", "Omar Haddad", riyadh, workweek: sundayToThursday, office: riyadhOffice,
                   home: DemoNetwork("51.39.201", hosts: [66]), homeDays: [0]),
            person("arjun", "Arjun Rao", pune, office: puneOffice, home: DemoNetwork("106.215.9", hosts: [130]), homeDays: [1, 3]),
            person("sam", "Sam Rivera", newYork, .unitedStates, office: newYorkOffice, home: DemoNetwork("98.116.27", hosts: [8]), homeDays: [2]),
            person("emma", "Emma Clarke", london, .europe, office: londonOffice, home: DemoNetwork("81.106.220", hosts: [31]), homeDays: [4]),
            person("li", "Li Na Tan", singapore, office: singaporeOffice, home: DemoNetwork("116.86.93", hosts: [5]), homeDays: [1]),
            person("lucia", "Lucia Fernandez", newYork, .unitedStates, office: newYorkOffice, home: DemoNetwork("108.41.150", hosts: [72]),
                   homeDays: [5]),
            service("cards-api", DemoNetwork("20.119.8", hosts: [40, 41, 42])),
            service("cards-api-uat", DemoNetwork("20.119.9", hosts: [17])),
            service("netbank-web", DemoNetwork("20.85.160", hosts: [12, 13, 14])),
            service("cert-manager", DemoNetwork("20.85.161", hosts: [90])),
            service("risk-batch", DemoNetwork("40.76.201", hosts: [5, 6])),
            service("build-agents", DemoNetwork("4.175.112", hosts: [30, 31, 32, 33])),
            service("people-sync", DemoNetwork("20.46.133", hosts: [9])),
            service("monitor-agent", DemoNetwork("52.188.41", hosts: [30])),
            service("runbook-ops", DemoNetwork("52.188.41", hosts: [31])),
            service("fx-rates", DemoNetwork("51.140.72", hosts: [19])),
            service("branch-app", DemoNetwork("20.46.150", hosts: [20, 21, 22]), offset: riyadh, workweek: sundayToThursday),
            service("pager-bot", DemoNetwork("52.188.42", hosts: [7])),
            service("ledger-api", DemoNetwork("20.121.66", hosts: [50, 51])),
            service("gl-close", DemoNetwork("20.121.67", hosts: [8]), offset: newYork, .unitedStates),
            service("payments-gateway", DemoNetwork("20.121.90", hosts: [10, 11, 12, 13, 14, 15]), offset: newYork, .unitedStates),
            service("mobile-api", .dynamic(block: "2603:1030")),
            service("secret-rotator", DemoNetwork("20.121.99", hosts: [4])),
            service("resource-graph", DemoNetwork("20.189.173", hosts: [4, 5, 6, 7])),
            service("model-export-tool", DemoNetwork("4.236.180", hosts: [71])),
            service("statement-ocr-poc", DemoNetwork("4.227.12", hosts: [140])),
            DemoIdentity(
                key: "pierre", displayName: "Pierre Lambert (guest)",
                kind: .user(upn: "pierre.lambert_contoso-consulting.example#EXT#@woodgrovebank.onmicrosoft.com"),
                utcOffsetMinutes: 60, usualNetwork: DemoNetwork("185.22.174", hosts: [91])),
        ]
        identities += appVaults.enumerated().map { index, vault in
            service(String(vault.name.dropFirst(3)), DemoNetwork("20.242.\(10 + index)", hosts: [5]), offset: newYork, .unitedStates)
        }

        var routines: [DemoRoutine] = []
        func routine(_ who: String, _ tool: String, _ vault: String, _ rhythm: DemoRhythm, _ operations: [DemoOperation],
                     active: Range<Int>? = nil, pauses: [Range<Int>] = []) {
            routines.append(DemoRoutine(identity: who, application: tool, vault: vault, rhythm: rhythm, operations: operations,
                                        active: active, pauses: pauses))
        }
        // Services on UTC schedules.
        routine("cards-api", "cards-api", "kv-cards-prod", .steady(perHour: 9...12),
                DemoOperation.secretReads(["visa-gateway-key", "mastercard-hmac-key", "cards-db-connection", "fraud-score-token"])
                    + [.keySign("cards-signing-key"), .keySign("cards-signing-key")])
        routine("cards-api-uat", "cards-api-uat", "kv-cards-uat", .steady(perHour: 2...4),
                DemoOperation.secretReads(["visa-test-key", "cards-uat-db-connection"]))
        routine("netbank-web", "netbank-web", "kv-online-banking", .restarts(hours: [5, 13, 21], readsAtRestart: 10, refreshesPerHour: 2...3),
                DemoOperation.secretReads(Array(onlineBankingSecrets.prefix(10))))
        routine("cert-manager", "cert-manager", "kv-online-banking", .periodic(everyHours: 24, firstHour: 4),
                [.certificateList, .certificateGet("www-woodgrovebank-com")])
        routine("risk-batch", "risk-batch", "kv-risk-data", .steady(perHour: 5...7, boostHours: 4..<6, boostFactor: 4),
                DemoOperation.secretReads(["risk-warehouse", "risk-lake-sas", "core-banking-password", "treasury-password"]))
        routine("build-agents", "build-agents", "kv-build", .builds(weekdayHours: 12..<23, buildsPerHour: 1...3, nightlyHour: 6),
                DemoOperation.secretReads(["acr-push-token", "nuget-feed-pat", "sonar-token", "signing-cert-password"]))
        routine("people-sync", "people-sync", "kv-people", .periodic(everyHours: 6, firstHour: 2),
                DemoOperation.secretReads(["hris-api-secret", "payroll-db-password"]))
        routine("monitor-agent", "monitor-agent", "kv-observability", .steady(perHour: 4...4),
                DemoOperation.secretReads(["grafana-api-key", "splunk-hec-token", "opsgenie-token"]))
        routine("runbook-ops", "runbook-ops", "kv-observability", .periodic(everyHours: 24, firstHour: 9),
                DemoOperation.secretReads(["opsgenie-token", "grafana-api-key"]))
        routine("fx-rates", "fx-rates", "kv-market-data", .periodic(everyHours: 6, firstHour: 3),
                DemoOperation.secretReads(["fx-feed-key", "market-data-token", "pricing-db-connection"]))
        routine("pager-bot", "pager-bot", "kv-incident", .steady(perHour: 4...4), DemoOperation.secretReads(["pager-escalation-key", "status-page-token"]))
        routine("ledger-api", "ledger-api", "kv-ledger", .steady(perHour: 2...5), DemoOperation.secretReads(Array(ledgerSecrets.prefix(3))))
        routine("mobile-api", "mobile-api", "kv-mobile", .steady(perHour: 3...6), DemoOperation.secretReads(["mobile-push-key", "mobile-jwt-secret", "mobile-db"]))
        for vault in vaults {
            routine("resource-graph", "resource-graph", vault.name, .periodic(everyHours: 1, firstHour: 0), [.vaultGet])
        }

        // People, in their own zones (New York and London change to summer time in March).
        func work(_ who: String, _ tool: String, _ vault: String, _ secrets: [String], reads: ClosedRange<Int> = 1...3,
                  denied: DemoOperation? = nil, deniedPercent: Int = 0, active: Range<Int>? = nil, pauses: [Range<Int>] = []) {
            routines.append(DemoRoutine(
                identity: who, application: tool, vault: vault, rhythm: .workday(readsPerSession: reads, afternoonPercent: 50),
                operations: DemoOperation.secretReads(secrets), deniedOperation: denied, deniedPercent: deniedPercent,
                active: active, pauses: pauses))
        }
        // The Pune team's holiday week (Holi, 2–6 March 2026): nothing, then back to work.
        let holi = [dayNumber(2026, 3, 2)..<dayNumber(2026, 3, 7)]
        work("grace", "portal", "kv-cards-prod", ["settlement-webhook-signing", "visa-gateway-key", "fraud-score-token"])
        work("grace", "portal", "kv-online-banking", ["netbank-oauth-secret", "netbank-mail-key"], reads: 1...2)
        work("grace", "portal", "kv-risk-data", ["risk-warehouse", "risk-spark-token"], reads: 1...2)
        work("grace", "powershell", "kv-observability", ["opsgenie-token", "grafana-api-key"], reads: 1...2)
        work("dmitri", "powershell", "kv-cards-prod", ["visa-gateway-key", "cards-db-connection", "mastercard-hmac-key"])
        work("dmitri", "powershell", "kv-cards-uat", ["visa-test-key", "uat-webhook-secret", "cards-uat-db-connection"])
        work("ananya", "cli", "kv-online-banking", ["netbank-redis", "netbank-db-connection", "netbank-cdn-token"], pauses: holi)
        work("ananya", "cli", "kv-build", ["acr-push-token", "k8s-deploy-token", "helm-repo-password"], pauses: holi)
        work("ananya", "cli", "kv-sandbox", ["sandbox-db-password", "sandbox-storage", "old-sftp-password"], pauses: holi)
        work("wei", "cli", "kv-risk-data", ["risk-warehouse", "risk-lake-sas", "risk-spark-token"],
             denied: .secretGet("pii-export-key"), deniedPercent: 30)
        work("wei", "cli", "kv-market-data", ["fx-feed-key", "pricing-db-connection"], reads: 1...2)
        work("wei", "portal", "kv-sandbox", ["sandbox-db-password", "test-card-key"], reads: 1...2)
        work("jonas", "portal", "kv-sandbox", ["sandbox-db-password", "local-oidc-secret", "test-card-key"])
        work("jonas", "portal", "kv-online-banking", ["netbank-flags-key", "netbank-sentry-dsn"], reads: 1...2)
        work("kofi", "cli", "kv-sandbox", ["sandbox-storage", "sandbox-db-password"], reads: 1...2)
        work("kofi", "cli", "kv-build", ["nuget-feed-pat", "sonar-token"], reads: 1...2)
        work("kofi", "portal", "kv-branch-riyadh", ["teller-api-key", "branch-core-password"], reads: 1...2)
        work("fatima", "portal", "kv-people", ["hris-api-secret", "recruiting-api-token", "payroll-db-password"])
        work("omar", "portal", "kv-branch-riyadh", ["branch-core-password", "atm-switch-key"], reads: 1...2)
        work("arjun", "cli", "kv-observability", ["splunk-hec-token", "grafana-api-key"], reads: 1...2, pauses: holi)
        work("arjun", "cli", "kv-cards-prod", ["fraud-score-token", "visa-gateway-key"], reads: 1...2, pauses: holi)
        // A new employee: Lucia joins the online-banking team on Monday 16 March.
        let joined = dayNumber(2026, 3, 16)..<Int.max
        work("lucia", "cli", "kv-online-banking", ["netbank-db-connection", "netbank-redis", "netbank-flags-key"], active: joined)
        work("lucia", "cli", "kv-sandbox", ["sandbox-db-password", "sandbox-storage"], reads: 1...2, active: joined)

        // Habits Fabrikam does not have.
        // Follow the sun: the on-call engineers of New York, London and Singapore on one vault.
        for who in ["sam", "emma", "li"] {
            routine(who, "cli", "kv-incident", .officeHours(sessions: 1...3, readsPerSession: 1...3),
                    DemoOperation.secretReads(["pager-escalation-key", "status-page-token", "break-glass-db", "war-room-bridge"]))
        }
        // The Riyadh branch: a configuration provider deploying on Sunday-to-Thursday working days.
        routine("branch-app", "branch-app", "kv-branch-riyadh",
                .configurationLoads(deploysPerWorkday: 1...2, replicas: 1...3, nightlyPercent: 50),
                DemoOperation.secretReads(["branch-core-password", "teller-api-key", "atm-switch-key"]))
        // The month-end close reads every ledger feed each hour of a New York evening, once a month.
        routine("gl-close", "gl-close", "kv-ledger", .monthEnd(hours: 17...22), [.secretList] + DemoOperation.secretReads(ledgerSecrets))
        // The payments gateway scales out on 9 March: twice the replicas, so twice the restart burst.
        let scaledOut = dayNumber(2026, 3, 9)
        let gatewayLoad = DemoOperation.secretReads(gatewaySecrets)
        routine("payments-gateway", "payments-gateway", "kv-payments-gateway",
                .configurationLoads(deploysPerWorkday: 1...3, replicas: 2...3, nightlyPercent: 60), gatewayLoad, active: Int.min..<scaledOut)
        routine("payments-gateway", "payments-gateway", "kv-payments-gateway",
                .configurationLoads(deploysPerWorkday: 1...3, replicas: 4...6, nightlyPercent: 60), gatewayLoad, active: scaledOut..<Int.max)
        // Twenty quiet application vaults: a few reads on New York weekdays, nothing at weekends
        // (their median hour is zero); and a weekly rotation of every secret of all twenty by
        // one automation identity, Saturday night UTC.
        for vault in appVaults {
            let name = String(vault.name.dropFirst(3))
            routine(name, name, vault.name, .officeHours(sessions: 1...2, readsPerSession: 1...2), DemoOperation.secretReads(vault.secrets))
            routine("secret-rotator", "secret-rotator", vault.name, .weekly(weekdays: [6], hours: 1...3),
                    [.secretList] + vault.secrets.flatMap { [DemoOperation.secretGet($0), .secretSet($0)] })
        }

        return DemoScenario(
            organization: "Woodgrove", tenantID: DemoGUID.named("tenant/woodgrove"),
            attackYear: 2026, attackMonth: 3, attackDay: 31,
            vaults: vaults, applications: applications, identities: identities, routines: routines,
            stories: DemoScenario.standardStories.map { $0.recast(DemoScenario.woodgroveCast) }
                + DemoScenario.stolenServiceCredentialStories(routines: routines, identities: identities, attackDay: dayNumber(2026, 3, 31)))
    }()

    /// Who plays each role of the attack day's stories at Woodgrove: Fabrikam's names → Woodgrove's.
    static let woodgroveCast: [String: String] = [
        // People and identities.
        "lukas": "jonas", "priya": "arjun", "tom": "dmitri", "rahul": "ananya", "camille": "grace", "marco": "kofi",
        "emily": "wei", "contractor": "pierre", "web-storefront": "netbank-web", "data-export-tool": "model-export-tool",
        "ci-pipeline": "build-agents", "invoice-ocr-poc": "statement-ocr-poc", "etl-nightly": "risk-batch",
        "ops-automation": "runbook-ops", "payments-api": "cards-api",
        // Vaults.
        "kv-payments-prod": "kv-cards-prod", "kv-payments-stg": "kv-cards-uat", "kv-web-prod": "kv-online-banking",
        "kv-data-platform": "kv-risk-data", "kv-ci-build": "kv-build", "kv-hr-records": "kv-people", "kv-dev-shared": "kv-sandbox",
        "kv-monitoring": "kv-observability", "kv-ml-features": "kv-market-data", "kv-iot-gateway": "kv-branch-riyadh",
        // Objects.
        "stripe-api-key": "visa-gateway-key", "adyen-hmac-key": "mastercard-hmac-key", "payments-db-connection": "cards-db-connection",
        "payout-webhook-signing": "settlement-webhook-signing", "legacy-ftp-password": "old-sftp-password",
        "db-connection": "netbank-db-connection", "storage-connection": "netbank-storage", "oauth-client-secret": "netbank-oauth-secret",
        "sendgrid-api-key": "netbank-mail-key", "warehouse-connection": "risk-warehouse", "source-crm-password": "core-banking-password",
        "source-erp-password": "treasury-password", "lake-sas-token": "risk-lake-sas", "salary-export-key": "compensation-export-key",
    ]
}
