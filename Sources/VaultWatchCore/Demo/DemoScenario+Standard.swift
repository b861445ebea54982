// The shipped demo tenant: Fabrikam, a European online retailer with offices in Paris,
// Bangalore and New York. Everything here is made up; the addresses are public-looking but
// chosen for the demo, and the attackers' addresses come from demo-data's Tor and threat-intel
// lists (documentation ranges), which no background caller ever uses.

extension String {
    fileprivate func replacingSpaces(with separator: String) -> String {
        split(separator: " ").joined(separator: separator)
    }
}

extension DemoScenario {
    /// The scenario `vaultwatch demo` replays and `demo-data/README.md` tells.
    public static let standard: DemoScenario = {
        let production = DemoGUID.named("subscription/fabrikam-production")
        let nonProduction = DemoGUID.named("subscription/fabrikam-nonproduction")

        let vaults = [
            DemoVault(
                name: "kv-payments-prod", purpose: "payments: card processor and payout secrets, signing key",
                subscriptionID: production, resourceGroup: "rg-payments-prod", usesRBAC: true,
                secrets: ["stripe-api-key", "payout-webhook-signing", "payments-db-connection", "adyen-hmac-key", "fraud-service-token"],
                keys: ["payments-signing-key"]),
            DemoVault(
                name: "kv-payments-stg", purpose: "payments staging",
                subscriptionID: nonProduction, resourceGroup: "rg-payments-stg", usesRBAC: true,
                secrets: ["stripe-test-key", "payments-stg-db-connection", "sandbox-webhook-secret"]),
            DemoVault(
                name: "kv-web-prod", purpose: "web shop: configuration of the storefront app, TLS certificate",
                subscriptionID: production, resourceGroup: "rg-web-prod", usesRBAC: false,
                secrets: [
                    "session-signing-key", "db-connection", "redis-connection", "storage-connection", "sendgrid-api-key",
                    "recaptcha-secret", "oauth-client-secret", "cdn-purge-token", "feature-flags-sdk-key", "sentry-dsn",
                    "search-api-key", "maps-api-key",
                ],
                certificates: ["www-fabrikam-com"]),
            DemoVault(
                name: "kv-data-platform", purpose: "data: warehouse and lake credentials for the ETL",
                subscriptionID: production, resourceGroup: "rg-data-prod", usesRBAC: false,
                secrets: [
                    "warehouse-connection", "lake-sas-token", "source-crm-password", "source-erp-password",
                    "spark-cluster-token", "pii-export-key",
                ]),
            DemoVault(
                name: "kv-ci-build", purpose: "CI: tokens the build pipeline uses",
                subscriptionID: nonProduction, resourceGroup: "rg-devops", usesRBAC: true,
                secrets: DemoScenario.ciSecrets),
            DemoVault(
                name: "kv-hr-records", purpose: "HR: payroll and HR system credentials",
                subscriptionID: production, resourceGroup: "rg-corp-hr", location: "francecentral", usesRBAC: true,
                secrets: ["payroll-db-password", "workday-api-secret", "salary-export-key", "ats-api-token"]),
            DemoVault(
                name: "kv-dev-shared", purpose: "shared development secrets", subscriptionID: nonProduction,
                resourceGroup: "rg-dev", usesRBAC: false, hasFirewall: true,
                secrets: ["dev-db-password", "test-stripe-key", "legacy-ftp-password", "dev-storage-connection", "local-oauth-secret"]),
            DemoVault(
                name: "kv-monitoring", purpose: "operations: monitoring and alerting tokens",
                subscriptionID: production, resourceGroup: "rg-ops", usesRBAC: true,
                secrets: ["grafana-api-key", "pagerduty-token", "datadog-api-key", "vaultwatch-test-alert"]),
            DemoVault(
                name: "kv-ml-features", purpose: "data science: feature store and training data",
                subscriptionID: production, resourceGroup: "rg-data-prod", usesRBAC: true,
                secrets: ["feature-store-connection", "training-data-sas", "mlflow-token"]),
            DemoVault(
                name: "kv-iot-gateway", purpose: "IoT: device provisioning and broker credentials",
                subscriptionID: production, resourceGroup: "rg-iot", location: "northeurope", usesRBAC: false,
                secrets: ["dps-enrollment-key", "mqtt-broker-password"], certificates: ["device-ca"]),
        ]

        let applications = [
            DemoApplication(
                key: "portal", displayName: "Azure Portal", appID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
                clientInfos: [
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36 Edg/121.0.0.0",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2.1 Safari/605.1.15",
                    "Mozilla/5.0 (X11; Linux x86_64; rv:122.0) Gecko/20100101 Firefox/122.0",
                ],
                isFirstParty: true),
            DemoApplication(
                key: "cli", displayName: "Microsoft Azure CLI", appID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                clientInfos: [
                    "AZURECLI/2.57.0 (DEB) azsdk-python-keyvault-secrets/4.7.0 Python/3.11.7 (Linux-6.5.0-15-generic-x86_64-with-glibc2.35)",
                    "AZURECLI/2.56.0 (HOMEBREW) azsdk-python-keyvault-secrets/4.7.0 Python/3.11.6 (macOS-14.2.1-arm64-arm-64bit)",
                    "AZURECLI/2.57.0 (MSI) azsdk-python-keyvault-secrets/4.7.0 Python/3.11.7 (Windows-10-10.0.22631-SP0)",
                ],
                isFirstParty: true),
            DemoApplication(
                key: "powershell", displayName: "Microsoft Azure PowerShell", appID: "1950a258-227b-4e31-a9cf-717495945fc2",
                clientInfos: [
                    "azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 8.0.1; Microsoft Windows 10.0.22631) AzurePowershell/v11.2.0 PSVersion/v7.4.1",
                    "azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 8.0.1; Darwin 23.2.0) AzurePowershell/v11.2.0 PSVersion/v7.4.1",
                ],
                isFirstParty: true),
            DemoApplication(
                key: "resource-graph", displayName: "Azure Resource Graph", appID: "509e4652-da8d-478d-a730-e9d4a1996ca4",
                clientInfos: ["AzureResourceGraph.IngestionWorkerService.global/1.24.1.486"], isFirstParty: true),
            DemoApplication(
                key: "payments-api", displayName: "payments-api (App Service, managed identity)",
                clientInfos: ["azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 8.0.1; Linux 5.15.0-1053-azure #61-Ubuntu SMP)"]),
            DemoApplication(
                key: "payments-api-staging", displayName: "payments-api staging slot",
                clientInfos: ["azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 8.0.1; Linux 5.15.0-1053-azure #61-Ubuntu SMP)"]),
            DemoApplication(
                key: "web-storefront", displayName: "web-storefront (App Service, managed identity)",
                clientInfos: ["azsdk-js-keyvault-secrets/4.7.0 core-rest-pipeline/1.13.0 Node/v20.11.0 OS/(x64-Linux-5.15.0-1053-azure)"]),
            DemoApplication(
                key: "cert-renewer", displayName: "cert-renewer (Functions)",
                clientInfos: ["azsdk-python-keyvault-certificates/4.7.0 Python/3.11.7 (Linux-5.15.0-1053-azure-x86_64-with-glibc2.31)"]),
            DemoApplication(
                key: "etl-nightly", displayName: "etl-nightly (Data Factory)",
                clientInfos: ["azsdk-java-azure-security-keyvault-secrets/4.7.3 (17.0.9; Linux; 5.15.0-1053-azure)"]),
            DemoApplication(
                key: "ci-pipeline", displayName: "ci-pipeline (Azure DevOps service connection)",
                clientInfos: ["AZURECLI/2.57.0 (DEB) azsdk-python-keyvault-secrets/4.7.0 Python/3.10.12 (Linux-6.2.0-1019-azure-x86_64-with-glibc2.35)"]),
            DemoApplication(
                key: "hr-sync", displayName: "hr-sync (Logic App)",
                clientInfos: ["azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 6.0.26; Microsoft Windows 10.0.20348)"]),
            DemoApplication(
                key: "monitoring-agent", displayName: "monitoring-agent",
                clientInfos: ["azsdk-go-azsecrets/v1.1.0 (go1.21.6; linux)"]),
            DemoApplication(
                key: "ops-automation", displayName: "ops-automation (Automation account)",
                clientInfos: ["azsdk-net-Security.KeyVault.Secrets/4.5.0 (.NET 6.0.26; Microsoft Windows 10.0.20348) AzurePowershell/v10.4.1 PSVersion/v7.2.18"]),
            DemoApplication(
                key: "ml-training", displayName: "ml-training (Machine Learning workspace)",
                clientInfos: ["azsdk-python-keyvault-secrets/4.7.0 Python/3.10.13 (Linux-5.15.0-1053-azure-x86_64-with-glibc2.31)"]),
            DemoApplication(
                key: "iot-provisioner", displayName: "iot-provisioner",
                clientInfos: ["azsdk-net-Security.KeyVault.Certificates/4.5.1 (.NET 8.0.1; Linux 5.15.0-1053-azure #61-Ubuntu SMP)"]),
            // Only on the attack day.
            DemoApplication(
                key: "data-export-tool", displayName: "data-export-tool (new app registration)",
                clientInfos: ["azsdk-python-keyvault-secrets/4.7.0 Python/3.12.1 (Linux-6.6.10-arch1-1-x86_64-with-glibc2.38)"]),
            DemoApplication(
                key: "invoice-ocr-poc", displayName: "invoice-ocr-poc (new app registration)",
                clientInfos: ["azsdk-python-keyvault-secrets/4.7.0 Python/3.12.1 (Windows-11-10.0.22631-SP0)"]),
        ]

        let domain = "fabrikam.com"
        let paris = 60
        let bangalore = 330
        let newYork = -300
        let parisOffice = DemoNetwork("81.252.154", hosts: [10, 11])
        let bangaloreOffice = DemoNetwork("49.207.182", hosts: [33, 34])
        let newYorkOffice = DemoNetwork("38.140.60", hosts: [120])
        func person(_ key: String, _ name: String, _ offset: Int, office: DemoNetwork, home: DemoNetwork, homeDays: [Int]) -> DemoIdentity {
            DemoIdentity(
                key: key, displayName: name, kind: .user(upn: "\(name.lowercased().replacingSpaces(with: "."))@\(domain)"),
                utcOffsetMinutes: offset, usualNetwork: office, homeNetwork: home, homeWeekdays: homeDays)
        }
        func service(_ key: String, _ network: DemoNetwork, managed resource: String? = nil) -> DemoIdentity {
            DemoIdentity(key: key, displayName: key, kind: .servicePrincipal(managedIdentityResource: resource), usualNetwork: network)
        }
        let site = "/subscriptions/\(production)/resourcegroups/rg-web-prod/providers/Microsoft.Web/sites"
        let identities = [
            person("camille", "Camille Durand", paris, office: parisOffice, home: DemoNetwork("90.84.17", hosts: [203]), homeDays: [5]),
            person(
                "tom", "Tom Becker", paris, office: parisOffice,
                home: DemoNetwork(ipv6: "2a01:e0a:1f2", interfaces: ["8d40:3c1e:b2ff:fe10:5a7", "8d40:9e21:41d3:7c02:11b"]), homeDays: [1]),
            person("rahul", "Rahul Mehta", bangalore, office: bangaloreOffice, home: DemoNetwork("106.51.77", hosts: [142]), homeDays: [3, 5]),
            person("emily", "Emily Carter", newYork, office: newYorkOffice, home: DemoNetwork("73.215.122", hosts: [58]), homeDays: [5]),
            person("lukas", "Lukas Weber", paris, office: parisOffice, home: DemoNetwork("86.247.31", hosts: [77]), homeDays: [1, 2, 4, 5]),
            person("marco", "Marco Rossi", paris, office: parisOffice, home: DemoNetwork("92.184.105", hosts: [19]), homeDays: [3]),
            person("sophie", "Sophie Laurent", paris, office: parisOffice, home: DemoNetwork("109.11.48", hosts: [166]), homeDays: [2]),
            person("priya", "Priya Nair", bangalore, office: bangaloreOffice, home: DemoNetwork("122.171.23", hosts: [88]), homeDays: [1, 4]),
            service("payments-api", DemoNetwork("20.103.218", hosts: [41, 42, 43]), managed: "\(site)/payments-api"),
            service("payments-api-staging", DemoNetwork("20.103.219", hosts: [17]), managed: "\(site)/payments-api/slots/staging"),
            service("web-storefront", DemoNetwork("20.86.93", hosts: [12, 14, 37]), managed: "\(site)/web-storefront"),
            service("cert-renewer", DemoNetwork("13.69.68", hosts: [201])),
            service("etl-nightly", DemoNetwork("51.124.76", hosts: [5, 6])),
            service("ci-pipeline", DemoNetwork("20.238.164", hosts: [70, 71, 72, 73])),
            service("hr-sync", DemoNetwork("40.114.203", hosts: [9])),
            service("monitoring-agent", DemoNetwork("52.236.185", hosts: [30])),
            service("ops-automation", DemoNetwork("52.236.185", hosts: [31])),
            service("ml-training", DemoNetwork("20.73.201", hosts: [140, 141])),
            service("iot-provisioner", DemoNetwork("20.54.119", hosts: [88])),
            service("resource-graph", DemoNetwork("20.189.173", hosts: [4, 5, 6, 7])),
            // Only on the attack day.
            service("data-export-tool", DemoNetwork("4.180.15", hosts: [222])),
            service("invoice-ocr-poc", DemoNetwork("4.210.88", hosts: [54])),
            DemoIdentity(
                key: "contractor", displayName: "Jan Kowalski (guest)",
                kind: .user(upn: "jan.kowalski_northwindpartners.example#EXT#@fabrikam.onmicrosoft.com"),
                utcOffsetMinutes: 60, usualNetwork: DemoNetwork("91.207.175", hosts: [133])),
        ]

        var routines: [DemoRoutine] = []
        // Services on schedules (UTC).
        routines.append(DemoRoutine(
            identity: "payments-api", application: "payments-api", vault: "kv-payments-prod",
            rhythm: .steady(perHour: 9...12),
            operations: DemoOperation.secretReads(["stripe-api-key", "adyen-hmac-key", "payments-db-connection", "fraud-service-token"])
                + [.keySign("payments-signing-key"), .keySign("payments-signing-key")]))
        routines.append(DemoRoutine(
            identity: "payments-api-staging", application: "payments-api-staging", vault: "kv-payments-stg",
            rhythm: .steady(perHour: 2...4), operations: DemoOperation.secretReads(["stripe-test-key", "payments-stg-db-connection"])))
        routines.append(DemoRoutine(
            identity: "web-storefront", application: "web-storefront", vault: "kv-web-prod",
            rhythm: .restarts(hours: [6, 14, 22], readsAtRestart: 10, refreshesPerHour: 2...3),
            operations: DemoOperation.secretReads(Array(vaults[2].secrets.prefix(10)))))
        routines.append(DemoRoutine(
            identity: "cert-renewer", application: "cert-renewer", vault: "kv-web-prod",
            rhythm: .periodic(everyHours: 24, firstHour: 3),
            operations: [.certificateList, .certificateGet("www-fabrikam-com")]))
        routines.append(DemoRoutine(
            identity: "etl-nightly", application: "etl-nightly", vault: "kv-data-platform",
            rhythm: .steady(perHour: 5...7, boostHours: 1..<3, boostFactor: 4),
            operations: DemoOperation.secretReads(["warehouse-connection", "lake-sas-token", "source-crm-password", "source-erp-password"])))
        routines.append(DemoRoutine(
            identity: "ci-pipeline", application: "ci-pipeline", vault: "kv-ci-build",
            rhythm: .builds(weekdayHours: 7..<19, buildsPerHour: 2...4, nightlyHour: 2),
            operations: DemoOperation.secretReads(["acr-push-token", "nuget-feed-pat", "sonar-token", "signing-cert-password"])))
        routines.append(DemoRoutine(
            identity: "hr-sync", application: "hr-sync", vault: "kv-hr-records",
            rhythm: .periodic(everyHours: 4, firstHour: 1),
            operations: DemoOperation.secretReads(["workday-api-secret", "payroll-db-password"])))
        routines.append(DemoRoutine(
            identity: "monitoring-agent", application: "monitoring-agent", vault: "kv-monitoring",
            rhythm: .steady(perHour: 4...4), operations: DemoOperation.secretReads(["grafana-api-key", "datadog-api-key", "pagerduty-token"])))
        routines.append(DemoRoutine(
            identity: "ops-automation", application: "ops-automation", vault: "kv-monitoring",
            rhythm: .periodic(everyHours: 24, firstHour: 5), operations: DemoOperation.secretReads(["pagerduty-token", "grafana-api-key"])))
        routines.append(DemoRoutine(
            identity: "ml-training", application: "ml-training", vault: "kv-ml-features",
            rhythm: .periodic(everyHours: 6, firstHour: 4),
            operations: DemoOperation.secretReads(["feature-store-connection", "training-data-sas", "mlflow-token"])))
        routines.append(DemoRoutine(
            identity: "iot-provisioner", application: "iot-provisioner", vault: "kv-iot-gateway",
            rhythm: .steady(perHour: 3...5), operations: [.secretGet("dps-enrollment-key"), .certificateGet("device-ca"), .secretGet("mqtt-broker-password")]))
        // The first-party indexer reads every vault each hour (ignored by the detector).
        for vault in vaults {
            routines.append(DemoRoutine(
                identity: "resource-graph", application: "resource-graph", vault: vault.name,
                rhythm: .periodic(everyHours: 1, firstHour: 0), operations: [.vaultGet]))
        }
        // People, Monday to Friday in their own time zones.
        func work(_ who: String, _ tool: String, _ vault: String, _ secrets: [String], reads: ClosedRange<Int> = 1...3,
                  denied: DemoOperation? = nil, deniedPercent: Int = 0) {
            routines.append(DemoRoutine(
                identity: who, application: tool, vault: vault, rhythm: .workday(readsPerSession: reads, afternoonPercent: 50),
                operations: DemoOperation.secretReads(secrets), deniedOperation: denied, deniedPercent: deniedPercent))
        }
        work("camille", "portal", "kv-payments-prod", ["payout-webhook-signing", "stripe-api-key", "fraud-service-token"])
        work("camille", "portal", "kv-web-prod", ["oauth-client-secret", "sendgrid-api-key"], reads: 1...2)
        work("camille", "portal", "kv-data-platform", ["warehouse-connection", "spark-cluster-token"], reads: 1...2)
        work("camille", "powershell", "kv-monitoring", ["pagerduty-token", "grafana-api-key"], reads: 1...2)
        work("tom", "powershell", "kv-payments-prod", ["stripe-api-key", "payments-db-connection", "adyen-hmac-key"])
        work("tom", "powershell", "kv-payments-stg", ["stripe-test-key", "sandbox-webhook-secret", "payments-stg-db-connection"])
        work("rahul", "cli", "kv-web-prod", ["redis-connection", "db-connection", "cdn-purge-token"])
        work("rahul", "cli", "kv-ci-build", ["acr-push-token", "k8s-deploy-token", "helm-repo-password"])
        work("rahul", "cli", "kv-dev-shared", ["dev-db-password", "dev-storage-connection", "legacy-ftp-password"])
        work("emily", "cli", "kv-data-platform", ["warehouse-connection", "lake-sas-token", "spark-cluster-token"],
             denied: .secretGet("pii-export-key"), deniedPercent: 40)
        work("emily", "cli", "kv-ml-features", ["feature-store-connection", "mlflow-token"], reads: 1...2)
        work("emily", "portal", "kv-dev-shared", ["dev-db-password", "test-stripe-key"], reads: 1...2)
        work("lukas", "portal", "kv-dev-shared", ["dev-db-password", "local-oauth-secret", "test-stripe-key"])
        work("lukas", "portal", "kv-web-prod", ["feature-flags-sdk-key", "sentry-dsn"], reads: 1...2)
        work("marco", "cli", "kv-dev-shared", ["dev-storage-connection", "dev-db-password"], reads: 1...2)
        work("marco", "cli", "kv-ci-build", ["nuget-feed-pat", "sonar-token"], reads: 1...2)
        work("marco", "portal", "kv-iot-gateway", ["mqtt-broker-password", "dps-enrollment-key"], reads: 1...2)
        work("sophie", "portal", "kv-hr-records", ["workday-api-secret", "ats-api-token", "payroll-db-password"])
        work("priya", "cli", "kv-monitoring", ["datadog-api-key", "grafana-api-key"], reads: 1...2)
        work("priya", "cli", "kv-payments-prod", ["fraud-service-token", "stripe-api-key"], reads: 1...2)

        // The habits of issue 8 (DemoScenario+Habits), and the indexer on their vaults too.
        for vault in DemoScenario.habitVaults {
            routines.append(DemoRoutine(
                identity: "resource-graph", application: "resource-graph", vault: vault.name,
                rhythm: .periodic(everyHours: 1, firstHour: 0), operations: [.vaultGet]))
        }
        routines += DemoScenario.habitRoutines

        return DemoScenario(
            organization: "Fabrikam", tenantID: DemoGUID.named("tenant/fabrikam"),
            attackYear: 2026, attackMonth: 2, attackDay: 17,
            vaults: vaults + DemoScenario.habitVaults, applications: applications + DemoScenario.habitApplications,
            identities: identities + DemoScenario.habitIdentities, routines: routines,
            stories: DemoScenario.standardStories
                + DemoScenario.stolenServiceCredentialStories(
                    routines: routines, identities: identities + DemoScenario.habitIdentities, attackDay: DemoScenario.dayNumber(2026, 2, 17)))
    }()
}
