// The attack day of the standard scenario: sixteen stories, one for each alert kind, and a
// seventeenth played by the tenant's busiest configuration provider, each at its own time and,
// where two share a vault, in different hours, so every alert can be traced to the story that
// caused it. demo-data/README.md tells them; expected-alerts.json is
// generated from them (`vaultwatch demo generate --expected-alerts FILE`).

extension DemoScenario {
    static let standardStories: [DemoStory] = [
        DemoStory(
            title: "A developer tries the payments vault",
            hour: 7, minute: 30,
            narrative: """
                Lukas Weber, a web developer who has never used kv-payments-prod, opens it in the portal from \
                home and tries to read stripe-api-key twice. He has no role on the vault: both reads are denied (403).
                """,
            steps: [
                DemoStep(identity: "lukas", application: "portal", vault: "kv-payments-prod",
                         operations: [.secretGet("stripe-api-key"), .secretGet("stripe-api-key")], spacing: 20...60, outcome: .denied)
            ],
            raises: [DemoExpectation(.userAccessDeniedAnomaly, vault: "kv-payments-prod", principal: "lukas")]),
        DemoStory(
            title: "The operator's end-to-end test",
            hour: 8, minute: 10,
            narrative: """
                Priya Nair (security, Bangalore) checks the alert pipeline the documented way: she reads the \
                reserved secret vaultwatch-test-alert in kv-monitoring with the Azure CLI.
                """,
            steps: [
                DemoStep(identity: "priya", application: "cli", vault: "kv-monitoring", operations: [.secretGet("vaultwatch-test-alert")])
            ],
            raises: [DemoExpectation(.testAlert, vault: "kv-monitoring", principal: "priya")]),
        DemoStory(
            title: "A payments engineer on hotel wifi",
            hour: 9, minute: 5,
            narrative: """
                Tom Becker, at a conference in Barcelona, reads two payments secrets with Azure PowerShell as \
                he does every day, but from the hotel's network (88.27.140.0/24), a range never seen for him.
                """,
            steps: [
                DemoStep(identity: "tom", application: "powershell", vault: "kv-payments-prod",
                         operations: [.secretList, .secretGet("stripe-api-key"), .secretGet("adyen-hmac-key")],
                         spacing: 5...40, source: .address("88.27.140.61"))
            ],
            raises: [DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-payments-prod", principal: "tom")]),
        DemoStory(
            title: "An old secret purged",
            hour: 9, minute: 40,
            narrative: """
                Rahul Mehta (SRE) cleans up kv-dev-shared: he deletes legacy-ftp-password and, a minute later, \
                purges it, so it can never be recovered.
                """,
            steps: [
                DemoStep(identity: "rahul", application: "cli", vault: "kv-dev-shared",
                         operations: [.secretDelete("legacy-ftp-password")]),
                DemoStep(minute: 1, identity: "rahul", application: "cli", vault: "kv-dev-shared",
                         operations: [.secretPurge("legacy-ftp-password")]),
            ],
            raises: [DemoExpectation(.sensitiveOperation, vault: "kv-dev-shared", principal: "rahul")],
            mayAlsoRaise: [DemoExpectation(.operationPatternAnomaly, vault: "kv-dev-shared", principal: "rahul")]),
        DemoStory(
            title: "A known admin through Tor",
            hour: 10, minute: 20,
            narrative: """
                Camille Durand's portal session is replayed through a Tor exit (198.51.100.23): the caller \
                lists the secrets of kv-payments-prod and reads three of them.
                """,
            steps: [
                DemoStep(identity: "camille", application: "portal", vault: "kv-payments-prod",
                         operations: [.secretList, .secretGet("stripe-api-key"), .secretGet("adyen-hmac-key"), .secretGet("payments-db-connection")],
                         spacing: 3...15, source: .address("198.51.100.23"))
            ],
            raises: [DemoExpectation(.torAccess, vault: "kv-payments-prod", principal: "camille")],
            // The story's listing and three reads are a listing followed by reads: with the admin's
            // own reads of the same hour (an admin who lists each morning, random seed 246), five
            // distinct secrets within the hour raise `KV_ListGetAnomaly` on the story's listing. A
            // true alert of the story, not required: whether it fires depends on the cast's own
            // reads that hour and the list→reads it learned there.
            mayAlsoRaise: [
                DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-payments-prod", principal: "camille"),
                DemoExpectation(.listGetAnomaly, vault: "kv-payments-prod", principal: "camille"),
            ]),
        DemoStory(
            title: "A leaked application secret reused",
            hour: 11, minute: 5,
            narrative: """
                The storefront's credentials leaked in a public repository. From 198.51.100.7, an address on \
                the threat-intel list, a script (python-requests) signs in as web-storefront and reads four secrets of kv-web-prod.
                """,
            steps: [
                DemoStep(identity: "web-storefront", application: "web-storefront", vault: "kv-web-prod",
                         operations: DemoOperation.secretReads(["db-connection", "storage-connection", "oauth-client-secret", "sendgrid-api-key"]),
                         spacing: 1...4, source: .address("198.51.100.7"), clientInfo: "python-requests/2.31.0")
            ],
            raises: [DemoExpectation(.suspiciousIPAccess, vault: "kv-web-prod", principal: "web-storefront")],
            mayAlsoRaise: [DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-web-prod", principal: "web-storefront")]),
        DemoStory(
            title: "A password spray stopped by the firewall",
            hour: 11, minute: 40,
            narrative: """
                Lukas Weber's password was sprayed from 192.0.2.200 (threat intel). With it, the attacker tries \
                to list kv-dev-shared; the vault's firewall refuses the address (403).
                """,
            steps: [
                DemoStep(identity: "lukas", application: "cli", vault: "kv-dev-shared", operations: [.secretList, .secretList],
                         spacing: 30...90, source: .address("192.0.2.200"), outcome: .blockedByFirewall,
                         clientInfo: "AZURECLI/2.49.0 (PIP) azsdk-python-keyvault-secrets/4.7.0 Python/3.9.2 (Linux-5.10.0-21-amd64-x86_64-with-glibc2.31)")
            ],
            raises: [DemoExpectation(.suspiciousIPAccessDenied, vault: "kv-dev-shared", principal: "lukas")],
            mayAlsoRaise: [
                DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-dev-shared", principal: "lukas"),
                DemoExpectation(.userAppAnomaly, vault: "kv-dev-shared", principal: "lukas"),
            ]),
        DemoStory(
            title: "An access policy granted, then secrets read",
            hour: 12, minute: 30,
            narrative: """
                Camille Durand adds an access policy on kv-data-platform (VaultPut) granting secret get/list to \
                a new app registration, data-export-tool. Six minutes later data-export-tool lists the vault \
                and reads three secrets.
                """,
            steps: [
                DemoStep(identity: "camille", application: "portal", vault: "kv-data-platform",
                         operations: [.vaultGet, .vaultPut(granting: "data-export-tool")], spacing: 20...50),
                DemoStep(minute: 6, identity: "data-export-tool", application: "data-export-tool", vault: "kv-data-platform",
                         operations: [.secretList] + DemoOperation.secretReads(["warehouse-connection", "source-crm-password", "source-erp-password"]),
                         spacing: 2...6),
            ],
            raises: [DemoExpectation(.putGetAnomaly, vault: "kv-data-platform", principal: "camille")],
            mayAlsoRaise: [
                DemoExpectation(.putGetAnomaly, vault: "kv-data-platform", principal: "data-export-tool"),
                DemoExpectation(.appAnomaly, vault: "kv-data-platform", principal: "data-export-tool"),
                DemoExpectation(.operationPatternAnomaly, vault: "kv-data-platform", principal: nil),
                DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-data-platform", principal: "data-export-tool"),
            ]),
        DemoStory(
            title: "A pipeline identity dumps the CI vault",
            hour: 13, minute: 15,
            narrative: """
                A malicious pull request runs in the build pipeline: the ci-pipeline identity, which normally \
                reads its four build secrets, lists kv-ci-build and reads every one of its 24 secrets in two minutes.
                """,
            steps: [
                DemoStep(identity: "ci-pipeline", application: "ci-pipeline", vault: "kv-ci-build",
                         operations: [.secretList] + DemoOperation.secretReads(DemoScenario.ciSecrets), spacing: 1...5)
            ],
            raises: [DemoExpectation(.listGetAnomaly, vault: "kv-ci-build", principal: "ci-pipeline")],
            mayAlsoRaise: [
                DemoExpectation(.operationPatternAnomaly, vault: "kv-ci-build", principal: "ci-pipeline"),
                DemoExpectation(.operationVolumeAnomaly, vault: "kv-ci-build", principal: nil),
            ]),
        DemoStory(
            title: "A new user on the HR vault",
            hour: 14, minute: 5,
            narrative: """
                Marco Rossi, a developer who has never touched kv-hr-records, opens it in the portal, lists it \
                and reads payroll-db-password and salary-export-key.
                """,
            steps: [
                DemoStep(identity: "marco", application: "portal", vault: "kv-hr-records",
                         operations: [.vaultGet, .secretList, .secretGet("payroll-db-password"), .secretGet("salary-export-key")],
                         spacing: 10...45)
            ],
            raises: [DemoExpectation(.userAnomaly, vault: "kv-hr-records", principal: "marco")]),
        DemoStory(
            title: "An unknown application on the payments vault",
            hour: 14, minute: 50,
            narrative: """
                invoice-ocr-poc, an app registration created for a proof of concept and never seen on any vault, \
                reads stripe-api-key and payments-db-connection from kv-payments-prod.
                """,
            steps: [
                DemoStep(identity: "invoice-ocr-poc", application: "invoice-ocr-poc", vault: "kv-payments-prod",
                         operations: DemoOperation.secretReads(["stripe-api-key", "payments-db-connection"]), spacing: 2...8)
            ],
            raises: [DemoExpectation(.appAnomaly, vault: "kv-payments-prod", principal: "invoice-ocr-poc")],
            mayAlsoRaise: [DemoExpectation(.unusualAccessSuspiciousIP, vault: "kv-payments-prod", principal: "invoice-ocr-poc")]),
        DemoStory(
            title: "A known user with a known app, never together",
            hour: 15, minute: 30,
            narrative: """
                Emily Carter always reads kv-data-platform with the Azure CLI; the portal is used there too, but \
                only by Camille. Today Emily reads two secrets of kv-data-platform through the portal.
                """,
            steps: [
                DemoStep(identity: "emily", application: "portal", vault: "kv-data-platform",
                         operations: DemoOperation.secretReads(["warehouse-connection", "lake-sas-token"]), spacing: 10...40)
            ],
            raises: [DemoExpectation(.userAppAnomaly, vault: "kv-data-platform", principal: "emily")]),
        DemoStory(
            title: "A volume spike",
            hour: 16, minute: 3,
            narrative: """
                A faulty release of etl-nightly loses its secret cache: from 16:03 it reads its four secrets \
                of kv-data-platform about 900 times in the hour, where it usually reads 5 to 7.
                """,
            steps: [
                DemoStep(identity: "etl-nightly", application: "etl-nightly", vault: "kv-data-platform",
                         operations: DemoScenario.repeated(
                             DemoOperation.secretReads(["warehouse-connection", "lake-sas-token", "source-crm-password", "source-erp-password"]),
                             count: 900),
                         spacing: 2...4)
            ],
            raises: [DemoExpectation(.operationVolumeAnomaly, vault: "kv-data-platform", principal: nil)]),
        DemoStory(
            title: "One identity touches many vaults",
            hour: 17, minute: 0,
            narrative: """
                The ops-automation identity, which reads two secrets of kv-monitoring once a day, holds a \
                subscription-wide role. Its stolen credentials are used to list nine other vaults in ten minutes.
                """,
            steps: DemoScenario.sweep(
                identity: "ops-automation", application: "ops-automation",
                vaults: ["kv-payments-prod", "kv-payments-stg", "kv-web-prod", "kv-data-platform", "kv-ci-build", "kv-hr-records",
                         "kv-dev-shared", "kv-ml-features", "kv-iot-gateway"],
                outcome: .success),
            raises: [DemoExpectation(.accountVolumeAnomaly, vault: nil, principal: "ops-automation")],
            mayAlsoRaise: [
                DemoExpectation(.appAnomaly, vault: nil, principal: "ops-automation"),
                DemoExpectation(.operationPatternAnomaly, vault: nil, principal: "ops-automation"),
            ]),
        DemoStory(
            title: "One identity denied on many vaults",
            hour: 18, minute: 20,
            narrative: """
                A guest account (Jan Kowalski, a contractor's user invited last month) probes the tenant with \
                the Azure CLI: it tries to list seven vaults and is refused by each.
                """,
            steps: DemoScenario.sweep(
                identity: "contractor", application: "cli",
                vaults: ["kv-payments-prod", "kv-web-prod", "kv-data-platform", "kv-ci-build", "kv-hr-records", "kv-ml-features",
                         "kv-monitoring"],
                outcome: .denied),
            raises: [DemoExpectation(.accountVolumeAccessDeniedAnomaly, vault: nil, principal: "contractor")],
            mayAlsoRaise: [DemoExpectation(.userAccessDeniedAnomaly, vault: nil, principal: "contractor")]),
        DemoStory(
            title: "An unusual operation",
            hour: 20, minute: 15,
            narrative: """
                The payments-api identity, which only ever reads secrets and signs with its key, overwrites \
                payout-webhook-signing (SecretSet) on kv-payments-prod: someone is redirecting payout notifications.
                """,
            steps: [
                DemoStep(identity: "payments-api", application: "payments-api", vault: "kv-payments-prod",
                         operations: [.secretSet("payout-webhook-signing")])
            ],
            raises: [DemoExpectation(.operationPatternAnomaly, vault: "kv-payments-prod", principal: "payments-api")]),
    ]

    /// The seventeenth story's title (`stolenServiceCredentialStories`).
    static let stolenServiceCredentialTitle = "A configuration provider's credential reads other secrets"

    /// The seventeenth story, a stolen service credential, played by the tenant's busiest
    /// configuration provider on the attack day (none without one): the one whose usual burst, as
    /// the detector learns it (`learnedBand`), is the largest. Fabrikam's is orders-api on
    /// kv-orders-au; Woodgrove's, its scaled-out payments gateway; a random tenant's, whichever of
    /// its providers (a scaled-out service, the web front end, the IoT gateway app) loads the most.
    ///
    /// What it checks: a credential reading as many objects as the service's load, but ones it
    /// never reads, more than its threshold (three times its usual burst) and no more than the
    /// replicas' ceiling (five times), is not more replicas of its usual load (`ObjectFingerprint`):
    /// the objects decide, not the ceiling. The caller reads the load's `N` secrets'
    /// `backoffice-` twins in turn, as many reads as halfway between the threshold and the ceiling
    /// the detector learns for the provider from the tenant's own days (`histories`: the tenant's
    /// seed, `DemoScenario.sizedStolenServiceCredential`, the window's days before the attack day;
    /// a scenario before a tenant is generated from it is sized on sixteen drawn histories). Sized before on the provider's largest
    /// deploy (four times its most replicas), the reads were above the ceiling on 18 of 44
    /// held-out tenants, which the ceiling alone would have caught; sized on the drawn histories,
    /// one tenant's own days were far enough from them to leave the reads under its threshold. A
    /// small provider (no ceiling above its threshold: a usual burst of a dozen calls or less)
    /// reads twice `principal_minimum`, a mass read. The reads are spaced to fit in one hour.
    static func stolenServiceCredentialStories(
        routines: [DemoRoutine], identities: [DemoIdentity], attackDay: Int, histories: [UInt64] = Array(usualBurstHistories)
    ) -> [DemoStory] {
        let people = Dictionary(identities.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let providers: [(routine: DemoRoutine, secrets: [String], band: VolumeBand)] = routines.compactMap { routine in
            guard case .configurationLoads = routine.rhythm, routine.runs(onDay: attackDay), let identity = people[routine.identity] else { return nil }
            let secrets = routine.operations.compactMap { operation -> String? in
                if case .secretGet(let name) = operation { return name }
                return nil
            }
            guard !secrets.isEmpty,
                let band = learnedBand(of: identity, on: routine.vault, routines: routines, before: attackDay, histories: histories)
            else { return nil }
            return (routine, secrets, band)
        }
        guard let (provider, secrets, band) = providers.max(by: { $0.band.median < $1.band.median }) else { return [] }
        let volume = BehaviourSettings().operationVolume
        let ceiling = BurstHistory.replicaCeiling(band: band, threshold: band.threshold, settings: volume)
        let reads = ceiling > band.threshold ? max(secrets.count, (band.threshold + ceiling + 1) / 2) : 2 * volume.principalMinimum
        let others = secrets.map { "backoffice-\($0)" }
        // Each call takes its spacing and up to a second more: 3,300 s at most, so the reads
        // starting at :05 end within the hour (Fabrikam's 560 reads: 2 to 4 seconds apart).
        let slowest = max(1, min(5, 3300 / reads - 1))
        return [
            DemoStory(
                title: stolenServiceCredentialTitle,
                hour: 12, minute: 5,
                narrative: """
                    \(provider.identity)'s workload identity token is stolen. With no deploy and no restart, its caller \
                    reads \(others.count) secrets kept in \(provider.vault) that \(provider.identity) never reads, in turn: \
                    \(reads) reads of as many objects as a replica's start reads, above its usual burst's threshold \
                    and within the replicas' ceiling.
                    """,
                steps: [
                    DemoStep(identity: provider.identity, application: provider.application, vault: provider.vault,
                             operations: DemoScenario.repeated(DemoOperation.secretReads(others), count: reads),
                             spacing: min(2, slowest)...slowest)
                ],
                raises: [DemoExpectation(.operationVolumeAnomaly, vault: provider.vault, principal: provider.identity)],
                mayAlsoRaise: [DemoExpectation(.operationVolumeAnomaly, vault: provider.vault, principal: nil)])
        ]
    }

    /// The scenario with its seventeenth story sized on the days a tenant of `seed` generates from
    /// it (`DemoTenant`): the window's before the attack day. The story keeps its place (its
    /// stream is its index).
    func sizedStolenServiceCredential(seed: UInt64) -> DemoScenario {
        guard let index = stories.firstIndex(where: { $0.title == Self.stolenServiceCredentialTitle }) else { return self }
        let attackDay = DemoScenario.dayNumber(attackYear, attackMonth, attackDay)
        var sized = self
        let recast = Self.stolenServiceCredentialStories(
            routines: routines, identities: identities, attackDay: attackDay, histories: [seed])
        if let story = recast.first { sized.stories[index] = story }
        return sized
    }

    /// How many histories of a routine a scenario's seventeenth story is sized on before a tenant
    /// is generated from it with its seed.
    static let usualBurstHistories: ClosedRange<UInt64> = 1...16

    /// The band the detector learns for `identity` on `vault` by day `day` (nil: no active day):
    /// the busiest hours of its local-time routines there (`routines` are the scenario's) on the
    /// window's days before `day`, generated as a tenant of seed `history`
    /// generates them (`DemoTenant.localCalls`), learned by the detector's own `BurstHistory`
    /// (the highest of the window's, its last seven and its last three active days' medians: a
    /// service that scaled out is judged by its new size); of several `histories`, the band of
    /// median usual burst.
    static func learnedBand(
        of identity: DemoIdentity, on vault: String, routines: [DemoRoutine], before day: Int, histories: [UInt64]
    ) -> VolumeBand? {
        let settings = BehaviourSettings()
        let own = routines.indices.filter {
            routines[$0].identity == identity.key && routines[$0].vault == vault && routines[$0].rhythm.isLocalTime
        }
        var bands: [VolumeBand] = []
        for seed in histories {
            var history = BurstHistory()
            for earlier in (day - settings.windowDays)..<day {
                var hours = [Int](repeating: 0, count: 24)
                for index in own {
                    for call in DemoTenant.localCalls(of: routines[index], index: index, identity: identity, seed: seed, dayNumber: earlier)
                    where call.outcome == .success {
                        hours[call.millisecond / 3_600_000] += 1
                    }
                }
                for count in hours where count > 0 {
                    history.observe(count: count, objects: nil, day: HourCalendar.stamp(day: Int32(earlier)), settings: settings)
                }
            }
            if let band = history.band(before: HourCalendar.stamp(day: Int32(day)), settings: settings) { bands.append(band) }
        }
        bands.sort { $0.median < $1.median }
        return bands.isEmpty ? nil : bands[(bands.count - 1) / 2]
    }

    static let ciSecrets = [
        "acr-push-token", "nuget-feed-pat", "sonar-token", "signing-cert-password", "npm-publish-token",
        "github-app-private-key", "docker-hub-token", "codecov-token", "terraform-backend-key",
        "aws-deploy-secret", "pypi-token", "slack-webhook", "jira-api-token", "artifactory-password",
        "snyk-token", "sentry-auth-token", "cosign-password", "helm-repo-password", "k8s-deploy-token",
        "pagerduty-events-key", "smtp-relay-password", "apple-notarize-password", "play-store-key",
        "cloudflare-api-token",
    ]

    static func repeated(_ operations: [DemoOperation], count: Int) -> [DemoOperation] {
        (0..<count).map { operations[$0 % operations.count] }
    }

    /// One secret listing per vault, a minute apart.
    static func sweep(identity: String, application: String, vaults: [String], outcome: DemoOutcome) -> [DemoStep] {
        vaults.enumerated().map { index, vault in
            DemoStep(minute: index, identity: identity, application: application, vault: vault, operations: [.secretList],
                     spacing: 1...20, outcome: outcome)
        }
    }
}
