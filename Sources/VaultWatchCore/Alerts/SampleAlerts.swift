/// One made-up alert of every kind, marked `isSample`, for `vaultwatch sample-alerts`: lets an
/// operator see what each alert looks like and test the consumers downstream (a SIEM rule, a
/// ticketing hook) without waiting for an attack.
///
/// Entities are invented: Contoso names, all-digit GUIDs and documentation addresses
/// (RFC 5737 `192.0.2.0/24`, `198.51.100.0/24`, `203.0.113.0/24`; RFC 3849 `2001:db8::/32`).
/// The output is the same on every run (fixed times, deterministic ids).
public enum SampleAlerts {
    /// One alert per `AlertKind`, in catalogue order, in `language`.
    public static func all(language: Language = .en) -> [Alert] {
        AlertKind.allCases.map { sample(of: $0, language: language) }
    }

    /// The sample alert of `kind`.
    public static func sample(of kind: AlertKind, language: Language = .en) -> Alert {
        let entry = AlertCatalog(language: language).entry(for: kind)
        let scene = scene(for: kind)
        let firstSeen = EventTime(year: 2025, month: 3, day: 4, hour: 9, minute: 15, second: 7, fractionTicks: 1_234_500)
        let lastSeen = firstSeen + .minutes(Int64(scene.count - 1) * 3)
        let principal: String? = scene.principalID
        let evidence = AlertEvidence(
            time: firstSeen, vault: scene.vault, operation: scene.operation, outcome: scene.outcome,
            httpStatusCode: scene.httpStatusCode, callerIP: scene.ip, principalID: principal,
            upn: scene.isUser ? upn : nil, appID: scene.appID, objectKind: scene.objectKind,
            objectName: scene.objectName, clientInfo: scene.clientInfo, source: "sample-audit-log.jsonl:\(scene.line)")
        return Alert(
            id: AlertID.make(kind: kind, vault: scene.vault, entity: principal ?? scene.ip?.description, firstSeen: firstSeen),
            kind: kind,
            displayName: entry.displayName,
            severity: entry.defaultSeverity,
            vault: scene.vault,
            resourceID: scene.vault.map { resourceIDPrefix + $0 },
            principalID: principal,
            upn: scene.isUser ? upn : nil,
            appID: scene.appID,
            ip: scene.ip,
            firstSeen: firstSeen,
            lastSeen: lastSeen,
            count: scene.count,
            reasons: language == .fr ? scene.frenchReasons : scene.englishReasons,
            evidence: [evidence],
            tactics: entry.attack.tactics,
            techniques: entry.attack.techniques,
            description: entry.description,
            remediation: entry.remediation,
            isSample: true)
    }

    // MARK: - The made-up world

    private static let vault = "contoso-payments-kv"
    private static let resourceIDPrefix =
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/contoso-security-rg/providers/Microsoft.KeyVault/vaults/"
    private static let upn = "alice@contoso.com"
    private static let userPrincipalID = "11111111-1111-1111-1111-111111111111"
    private static let servicePrincipalID = "22222222-2222-2222-2222-222222222222"
    private static let appID = "33333333-3333-3333-3333-333333333333"
    private static let portalClient = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/122.0"
    private static let sdkClient = "azsdk-python-keyvault-secrets/4.8.0 Python/3.12.1 (Linux)"

    /// What happened in one sample.
    private struct Scene {
        var vault: String? = SampleAlerts.vault
        /// Every sample has one caller: a user, or an application's service principal.
        var principalID = SampleAlerts.userPrincipalID
        /// A user has a UPN; a service principal has none.
        var isUser = true
        var appID: String? = SampleAlerts.appID
        var ip: IPAddress? = IPAddress("203.0.113.45")
        var operation = "SecretGet"
        var outcome = Outcome.success
        var httpStatusCode = 200
        var objectKind = ObjectKind.secret
        var objectName: String? = "payments-db-password"
        var clientInfo: String? = SampleAlerts.portalClient
        var count = 1
        var line = 1
        var englishReasons: [String] = []
        var frenchReasons: [String] = []
    }

    private static func scene(for kind: AlertKind) -> Scene {
        var scene = Scene()
        switch kind {
        case .torAccess:
            scene.ip = IPAddress("198.51.100.23")
            scene.count = 4
            scene.line = 1_207
            scene.englishReasons = [
                "caller IP 198.51.100.23 is listed in the Tor exit list tor-exit-addresses.txt (1204 addresses)",
                "alice@contoso.com called SecretGet on secret payments-db-password in vault contoso-payments-kv; the call succeeded (HTTP 200)",
            ]
            scene.frenchReasons = [
                "l'IP appelante 198.51.100.23 figure dans la liste de sorties Tor tor-exit-addresses.txt (1204 adresses)",
                "alice@contoso.com a appelé SecretGet sur le secret payments-db-password du coffre contoso-payments-kv ; l'appel a réussi (HTTP 200)",
            ]
        case .suspiciousIPAccess:
            scene.ip = IPAddress("192.0.2.77")
            scene.count = 2
            scene.line = 311
            scene.englishReasons = [
                "caller IP 192.0.2.77 is listed in the threat-intel list blocked-networks.txt (86 addresses and ranges)",
                "alice@contoso.com called SecretGet on secret payments-db-password in vault contoso-payments-kv; the call succeeded (HTTP 200)",
            ]
            scene.frenchReasons = [
                "l'IP appelante 192.0.2.77 figure dans la liste de menaces blocked-networks.txt (86 adresses et plages)",
                "alice@contoso.com a appelé SecretGet sur le secret payments-db-password du coffre contoso-payments-kv ; l'appel a réussi (HTTP 200)",
            ]
        case .suspiciousIPAccessDenied:
            scene.ip = IPAddress("192.0.2.78")
            scene.outcome = .denied
            scene.httpStatusCode = 403
            scene.count = 9
            scene.line = 318
            scene.englishReasons = [
                "caller IP 192.0.2.78 is listed in the threat-intel list blocked-networks.txt (86 addresses and ranges)",
                "alice@contoso.com called SecretGet on secret payments-db-password in vault contoso-payments-kv; the call was refused (HTTP 403)",
            ]
            scene.frenchReasons = [
                "l'IP appelante 192.0.2.78 figure dans la liste de menaces blocked-networks.txt (86 adresses et plages)",
                "alice@contoso.com a appelé SecretGet sur le secret payments-db-password du coffre contoso-payments-kv ; l'appel a été refusé (HTTP 403)",
            ]
        case .putGetAnomaly:
            scene.operation = "VaultPut"
            scene.objectKind = .vault
            scene.objectName = nil
            scene.count = 6
            scene.line = 2_040
            scene.englishReasons = [
                "alice@contoso.com changed the access policies of vault contoso-payments-kv at 09:15 UTC, granting secret get and list to 22222222-2222-2222-2222-222222222222",
                "22222222-2222-2222-2222-222222222222 read 5 secrets on vault contoso-payments-kv within 12 minutes of the change",
                "alice@contoso.com has no policy change followed by secret reads on this vault in 30 days of history",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a modifié les stratégies d'accès du coffre contoso-payments-kv à 09:15 UTC, accordant la lecture et la liste des secrets à 22222222-2222-2222-2222-222222222222",
                "22222222-2222-2222-2222-222222222222 a lu 5 secrets du coffre contoso-payments-kv dans les 12 minutes suivant la modification",
                "alice@contoso.com n'a aucune modification de stratégie suivie de lectures de secrets sur ce coffre en 30 jours d'historique",
            ]
        case .listGetAnomaly:
            scene.operation = "SecretList"
            scene.objectName = nil
            scene.count = 23
            scene.line = 4_512
            scene.englishReasons = [
                "alice@contoso.com listed the secrets of vault contoso-payments-kv, then read 22 distinct secrets within 9 minutes",
                "in 30 days of history alice@contoso.com never read more than 2 secrets within an hour of a listing on this vault",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a listé les secrets du coffre contoso-payments-kv, puis a lu 22 secrets distincts en 9 minutes",
                "en 30 jours d'historique, alice@contoso.com n'a jamais lu plus de 2 secrets dans l'heure suivant une liste sur ce coffre",
            ]
        case .userAnomaly:
            scene.count = 3
            scene.line = 781
            scene.englishReasons = [
                "user alice@contoso.com has not accessed vault contoso-payments-kv in 30 days of history; the vault has 7 known users",
            ]
            scene.frenchReasons = [
                "l'utilisateur alice@contoso.com n'a pas accédé au coffre contoso-payments-kv en 30 jours d'historique ; le coffre compte 7 utilisateurs connus",
            ]
        case .appAnomaly:
            scene.isUser = false
            scene.principalID = servicePrincipalID
            scene.clientInfo = sdkClient
            scene.count = 12
            scene.line = 932
            scene.englishReasons = [
                "application 33333333-3333-3333-3333-333333333333 has not accessed vault contoso-payments-kv in 30 days of history; the vault has 4 known applications",
            ]
            scene.frenchReasons = [
                "l'application 33333333-3333-3333-3333-333333333333 n'a pas accédé au coffre contoso-payments-kv en 30 jours d'historique ; le coffre compte 4 applications connues",
            ]
        case .userAppAnomaly:
            scene.count = 2
            scene.line = 1_650
            scene.englishReasons = [
                "alice@contoso.com and application 33333333-3333-3333-3333-333333333333 both use vault contoso-payments-kv, but never together in 30 days of history",
            ]
            scene.frenchReasons = [
                "alice@contoso.com et l'application 33333333-3333-3333-3333-333333333333 utilisent toutes deux le coffre contoso-payments-kv, mais jamais ensemble en 30 jours d'historique",
            ]
        case .userAccessDeniedAnomaly:
            scene.outcome = .denied
            scene.httpStatusCode = 403
            scene.count = 5
            scene.line = 2_218
            scene.englishReasons = [
                "alice@contoso.com was refused by vault contoso-payments-kv 5 times (HTTP 403) and has never used it in 30 days of history",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a été refusée 5 fois par le coffre contoso-payments-kv (HTTP 403) et ne l'a jamais utilisé en 30 jours d'historique",
            ]
        case .operationPatternAnomaly:
            scene.operation = "KeyExport"
            scene.objectKind = .key
            scene.objectName = "card-token-signing"
            scene.line = 3_004
            scene.englishReasons = [
                "vault contoso-payments-kv has no KeyExport in 30 days of history; alice@contoso.com has never performed it on any vault",
            ]
            scene.frenchReasons = [
                "le coffre contoso-payments-kv n'a aucun KeyExport en 30 jours d'historique ; alice@contoso.com ne l'a jamais effectué sur aucun coffre",
            ]
        case .operationVolumeAnomaly:
            scene.isUser = false
            scene.principalID = servicePrincipalID
            scene.clientInfo = sdkClient
            scene.count = 142
            scene.line = 5_870
            scene.englishReasons = [
                "142 operations on vault contoso-payments-kv this hour; usual for Tuesday 09:00 is 20 ± 6 (threshold 44)",
            ]
            scene.frenchReasons = [
                "142 opérations sur le coffre contoso-payments-kv cette heure-ci ; l'habitude pour un mardi à 09:00 est de 20 ± 6 (seuil 44)",
            ]
        case .accountVolumeAnomaly:
            scene.vault = "contoso-hr-kv"
            scene.count = 17
            scene.line = 6_101
            scene.englishReasons = [
                "alice@contoso.com reached 17 distinct vaults in 24 hours; its usual maximum is 2 (threshold 7)",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a atteint 17 coffres distincts en 24 heures ; son maximum habituel est de 2 (seuil 7)",
            ]
        case .accountVolumeAccessDeniedAnomaly:
            scene.vault = "contoso-hr-kv"
            scene.outcome = .denied
            scene.httpStatusCode = 403
            scene.count = 11
            scene.line = 6_188
            scene.englishReasons = [
                "11 distinct vaults refused alice@contoso.com in 24 hours; usually at most 0",
            ]
            scene.frenchReasons = [
                "11 coffres distincts ont refusé alice@contoso.com en 24 heures ; d'habitude 0 au plus",
            ]
        case .unusualAccessSuspiciousIP:
            scene.ip = IPAddress("2001:db8:4f2a::17")
            scene.count = 3
            scene.line = 7_342
            scene.englishReasons = [
                "alice@contoso.com reached vault contoso-payments-kv from 2001:db8:4f2a::/48, a range never seen for this identity in 30 days of history and outside the trusted ranges",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a atteint le coffre contoso-payments-kv depuis 2001:db8:4f2a::/48, une plage jamais vue pour cette identité en 30 jours d'historique et hors des plages de confiance",
            ]
        case .sensitiveOperation:
            scene.operation = "SecretPurge"
            scene.line = 8_015
            scene.englishReasons = [
                "secret payments-db-password was purged by alice@contoso.com; purges cannot be undone",
            ]
            scene.frenchReasons = [
                "le secret payments-db-password a été purgé par alice@contoso.com ; une purge est irréversible",
            ]
        case .testAlert:
            scene.objectName = RuleContext.testObjectName
            scene.line = 9_001
            scene.englishReasons = [
                "alice@contoso.com called SecretGet on secret vaultwatch-test-alert in vault contoso-payments-kv; the call succeeded (HTTP 200)",
            ]
            scene.frenchReasons = [
                "alice@contoso.com a appelé SecretGet sur le secret vaultwatch-test-alert du coffre contoso-payments-kv ; l'appel a réussi (HTTP 200)",
            ]
        }
        return scene
    }
}
