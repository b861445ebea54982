// The habits of real tenants (issue 8): the part of Fabrikam that is busy in ways a naive
// detector calls anomalous — a Sydney team and its service on Sydney time, a configuration
// provider that reads every secret at each deploy and node-pool restart, CI that reads 25
// secrets twice a week, a sparse certificate vault renewed weekly, home lines whose address
// changes every day, a nightly backup job, an admin's weekly portal round, and every SDK
// client's unauthenticated first request. Each recurs through the history, so it is learnable;
// demo-data/README.md tells them.

extension DemoScenario {
    /// Sydney in February: AEDT, UTC+11.
    static let sydneyOffset = 660

    static let ordersSecrets = [
        "orders-db-connection", "orders-db-readonly", "orders-redis", "orders-servicebus", "orders-eventhub",
        "orders-storage", "orders-search-key", "payments-gateway-key", "payments-webhook-secret", "tax-service-key",
        "shipping-api-key", "shipping-webhook-secret", "inventory-api-key", "pricing-api-key", "loyalty-api-key",
        "email-api-key", "sms-api-key", "push-notification-key", "maps-api-key", "fraud-score-key",
        "address-validation-key", "currency-rates-key", "feature-flags-key", "telemetry-key", "sentry-dsn",
        "oauth-client-secret", "jwt-signing-secret", "session-encryption-key", "cdn-signing-key", "recaptcha-secret",
        "erp-connector-password", "warehouse-api-key", "returns-api-key", "support-desk-token",
    ]

    static let releaseSecrets = [
        "app-store-connect-key", "play-console-key", "apple-signing-password", "android-keystore-password", "codesign-cert-password",
        "npm-token", "pypi-token", "nuget-api-key", "maven-central-password", "docker-registry-token",
        "helm-chart-token", "github-release-token", "sentry-release-token", "crashlytics-key", "testflight-token",
        "firebase-deploy-token", "cdn-purge-key", "status-page-token", "release-notes-token", "slack-release-webhook",
        "jira-release-token", "s3-artifacts-key", "gcs-artifacts-key", "azure-artifacts-pat", "notary-token",
    ]

    static let edgeCertificates = [
        "edge-www", "edge-api", "edge-cdn", "edge-shop", "edge-auth", "edge-static", "edge-images", "edge-status",
        "edge-partners", "edge-mail",
    ]

    static let habitVaults: [DemoVault] = {
        let production = DemoGUID.named("subscription/fabrikam-production")
        let nonProduction = DemoGUID.named("subscription/fabrikam-nonproduction")
        return [
            DemoVault(
                name: "kv-orders-au", purpose: "Sydney: the orders service's configuration (a configuration provider reads it all at start)",
                subscriptionID: production, resourceGroup: "rg-orders-au", location: "australiaeast", usesRBAC: true,
                secrets: ordersSecrets, keys: ["orders-signing-key"], certificates: ["orders-api-tls"]),
            DemoVault(
                name: "kv-release", purpose: "release engineering: store and registry credentials the release pipeline reads",
                subscriptionID: nonProduction, resourceGroup: "rg-devops", usesRBAC: true, secrets: releaseSecrets),
            DemoVault(
                name: "kv-edge-certs", purpose: "edge TLS certificates, renewed once a week and otherwise untouched",
                subscriptionID: production, resourceGroup: "rg-edge", usesRBAC: true, secrets: [], certificates: edgeCertificates),
        ]
    }()

    static let habitApplications = [
        DemoApplication(
            key: "orders-api", displayName: "orders-api (AKS, workload identity, configuration provider)",
            clientInfos: ["azsdk-net-Security.KeyVault.Secrets/4.6.0 (.NET 8.0.4; Linux 5.15.0-1061-azure #70-Ubuntu SMP)"]),
        DemoApplication(
            key: "release-pipeline", displayName: "release-pipeline (GitHub Actions, federated credential)",
            clientInfos: ["azsdk-js-keyvault-secrets/4.8.0 core-rest-pipeline/1.15.2 Node/v20.12.2 OS/(x64-Linux-6.5.0-1018-azure)"]),
        DemoApplication(
            key: "backup-runner", displayName: "backup-runner (Automation runbook)",
            clientInfos: ["azsdk-python-keyvault-secrets/4.8.0 Python/3.11.9 (Linux-5.15.0-1061-azure-x86_64-with-glibc2.35)"]),
        DemoApplication(
            key: "cert-rotator", displayName: "cert-rotator (Functions, weekly)",
            clientInfos: ["azsdk-python-keyvault-certificates/4.8.0 Python/3.11.9 (Linux-5.15.0-1061-azure-x86_64-with-glibc2.35)"]),
    ]

    static let habitIdentities: [DemoIdentity] = [
        DemoIdentity(
            key: "orders-api", displayName: "orders-api", kind: .servicePrincipal(managedIdentityResource: nil),
            utcOffsetMinutes: sydneyOffset, usualNetwork: DemoNetwork("20.211.64", hosts: [10, 11, 12, 13])),
        // Works from home: her ISP gives her a new IPv6 /48 every day, always inside one /32.
        DemoIdentity(
            key: "mia", displayName: "Mia Nguyen", kind: .user(upn: "mia.nguyen@fabrikam.com"), utcOffsetMinutes: sydneyOffset,
            usualNetwork: .dynamic(block: "2001:8003")),
        DemoIdentity(
            key: "olivia", displayName: "Olivia Brown", kind: .user(upn: "olivia.brown@fabrikam.com"), utcOffsetMinutes: sydneyOffset,
            usualNetwork: DemoNetwork("1.120.8", hosts: [40])),
        // Works from home in Lyon: a new /24 every day, always inside one /16.
        DemoIdentity(
            key: "noah", displayName: "Noah Girard", kind: .user(upn: "noah.girard@fabrikam.com"), utcOffsetMinutes: 60,
            usualNetwork: .dynamic(block: "78.193")),
        DemoIdentity(
            key: "release-pipeline", displayName: "release-pipeline", kind: .servicePrincipal(managedIdentityResource: nil),
            usualNetwork: DemoNetwork("20.42.73", hosts: [16, 17, 18, 19])),
        DemoIdentity(
            key: "backup-runner", displayName: "backup-runner", kind: .servicePrincipal(managedIdentityResource: nil),
            usualNetwork: DemoNetwork("13.69.70", hosts: [5])),
        DemoIdentity(
            key: "cert-rotator", displayName: "cert-rotator", kind: .servicePrincipal(managedIdentityResource: nil),
            usualNetwork: DemoNetwork("13.69.71", hosts: [22])),
    ]

    static let habitRoutines: [DemoRoutine] = {
        var routines: [DemoRoutine] = []
        routines.append(DemoRoutine(
            identity: "orders-api", application: "orders-api", vault: "kv-orders-au",
            rhythm: .configurationLoads(deploysPerWorkday: 1...3, replicas: 2...4, nightlyPercent: 70),
            operations: DemoOperation.secretReads(ordersSecrets)))
        routines.append(DemoRoutine(
            identity: "mia", application: "cli", vault: "kv-orders-au", rhythm: .officeHours(sessions: 1...3, readsPerSession: 1...4),
            operations: DemoOperation.secretReads(Array(ordersSecrets.prefix(12)))))
        let browsing: [DemoOperation] = [.vaultGet, .secretList, .keyList, .certificateList, .keyGet("orders-signing-key")]
            + ordersSecrets.prefix(8).map { .secretListVersions($0) } + ordersSecrets.prefix(8).map { .secretGet($0) }
            + [.certificateGet("orders-api-tls"), .certificatePolicyGet("orders-api-tls")]
        routines.append(DemoRoutine(
            identity: "olivia", application: "portal", vault: "kv-orders-au", rhythm: .weekly(weekdays: [1], hours: 10...15),
            operations: browsing))
        routines.append(DemoRoutine(
            identity: "backup-runner", application: "backup-runner", vault: "kv-orders-au", rhythm: .nightly(hours: 1...3),
            operations: ordersSecrets.prefix(6).map { .secretBackup($0) }))
        routines.append(DemoRoutine(
            identity: "release-pipeline", application: "release-pipeline", vault: "kv-release",
            rhythm: .weekly(weekdays: [2, 4], hours: 0...23), operations: DemoOperation.secretReads(releaseSecrets)))
        routines.append(DemoRoutine(
            identity: "noah", application: "cli", vault: "kv-release", rhythm: .officeHours(sessions: 1...2, readsPerSession: 1...3),
            operations: DemoOperation.secretReads(Array(releaseSecrets.prefix(6)))))
        routines.append(DemoRoutine(
            identity: "cert-rotator", application: "cert-rotator", vault: "kv-edge-certs", rhythm: .weekly(weekdays: [3], hours: 0...23),
            operations: [.certificateList] + edgeCertificates.flatMap { [DemoOperation.certificateGet($0), .certificateImport($0)] }))
        return routines
    }()
}
