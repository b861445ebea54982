import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchTUI

/// The pages an analyst walks from an alert: the alert with an entity selected, a principal's
/// page, a vault's page, an event's page and an original record, at 80×24 and 160×48.
extension ScreenSnapshotTests {
    static let alice = EntityReference(kind: .principal, id: "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8")
    static let paymentsVault = EntityReference(kind: .vault, id: "payments-kv")

    /// The record the listing alert's evidence keeps, with an escape sequence in a field.
    static let evidenceRecord = #"{"time":"2025-03-04T09:15:07.1234567Z","resourceId":"/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/PAYMENTS-KV","operationName":"SecretList","resultType":"Success","callerIpAddress":"203.0.113.45","identity":{"claim":{"oid":"3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8","upn":"alice.martin@contoso.example"}},"properties":{"clientInfo":"evil\u001b[2J","httpStatusCode":200}}"#

    static var alertEntitiesState: AppState {
        get async {
            var state = await DashboardFixture.state()
            state.handle(.enter)
            state.handle(.tab)
            return state
        }
    }

    static var principalState: AppState {
        get async { await DashboardFixture.entityState(alice) }
    }

    static var vaultState: AppState {
        get async { await DashboardFixture.entityState(paymentsVault) }
    }

    static var eventState: AppState {
        get async {
            var state = await DashboardFixture.entityState(alice)
            state.handle(.character("j"))
            state.handle(.enter)
            return state
        }
    }

    static var recordState: AppState {
        get async {
            var state = await DashboardFixture.state()
            state.snapshot.alerts[0].evidence[0].record = evidenceRecord
            state.handle(.enter)
            state.handle(.enter)
            return state
        }
    }

    @Test func alertEntitiesAt80x24() async {
        expectScreen(await Self.alertEntitiesState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › Alert: Suspicious secret listing t…
            ─ Alert ───────────────────────────────────────────────────────── alert 1 of 4 ─
             MEDIUM Suspicious secret listing then mass reads  active
             KV_ListGetAnomaly · first 2026-03-04 14:31:05Z · last 14:31:05 · 23 events

             An identity listed the vault's secrets and then read many of them within the
             hour. It does not usually work this way on this vault: the pattern matches
             someone dumping the vault's contents.

             Why
             • alice@contoso.com listed the secrets of vault contoso-payments-kv, then read
               22 distinct secrets within 9 minutes
             • in 30 days of history alice@contoso.com never read more than 2 secrets
               within an hour of a listing on this vault

             Entities  Enter opens a page
             ▶principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e…
              IP address   203.0.113.45                                        more ↓ PgDn
            ─ Evidence ─────────────────────────────────── 1 event · Enter open · y record ─
             2025-03-04 09:15:07Z  SecretList         200        203.0.113.45     alice@con…

             n next  p prev  d dismiss  r resolve  y record  Enter open         theme: dark
            """)
    }

    @Test func alertEntitiesAt160x48() async {
        expectScreen(await Self.alertEntitiesState, size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › Alert: Suspicious secret listing t…
            ─ Alert ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── alert 1 of 4 ─
             MEDIUM Suspicious secret listing then mass reads  active
             KV_ListGetAnomaly · first 2026-03-04 14:31:05Z · last 14:31:05 · 23 events

             An identity listed the vault's secrets and then read many of them within the hour. It does not usually work this way on this vault: the pattern matches
             someone dumping the vault's contents.

             Why
             • alice@contoso.com listed the secrets of vault contoso-payments-kv, then read 22 distinct secrets within 9 minutes
             • in 30 days of history alice@contoso.com never read more than 2 secrets within an hour of a listing on this vault

             Entities  Enter opens a page
             ▶principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8)
              IP address   203.0.113.45
              vault        payments-kv
              resource     /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/contoso-security-rg/providers/Microsoft.KeyVault/vaults/contoso-payments-kv
              tactics      Discovery, Credential Access
              techniques   T1526 Cloud Service Discovery, T1555.006 Credentials from Password Stores: Cloud Secrets Management Stores

             Baseline: payments-kv, operations per hour against the usual band
               ops/hour, last 72 h  ░ usual  ─ median
               47.0│                                                                                            █
                   │                                                                                            █
                   │                     ▄▄▄              ▄▄▄▄▄▄▄▄▄▄              ▄▄▄▄▄▄▄▄▄▄              ▄▄▄▄▄▄█
                   │                     ███              ██████████              ██████████              ███████
                  0│                     ███▅▅▅▅▅▅▅▅▅▅▅▅▅▅██████████▅▅▅▅▅▅▅▅▅▅▅▅▅▅██████████▅▅▅▅▅▅▅▅▅▅▅▅▅▅███████

             What to do
             Confirm with the identity's owner whether a migration or backup job explains it. If not, disable the identity, revoke its vault access and rotate every secret
             it read.











            ─ Evidence ─────────────────────────────────────────────────────────────────────────────────────────────────────────────────── 1 event · Enter open · y record ─
             2025-03-04 09:15:07Z  SecretList         200        203.0.113.45     alice@contoso.com

             n next  p prev  d dismiss  r resolve  y record  Enter open  Tab panel  ? help  q back  Space pause  t theme                                        theme: dark
            """)
    }

    @Test func principalPageAt80x24() async {
        expectScreen(await Self.principalState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › principal alice.martin@contoso.example
            ─ Principal ──────────────────────── baselines and the last 24 h of event time ─
             PRINCIPAL alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8)
             first seen     2026-02-23 14:00:00Z
             usual reach    at most 3 vaults in 24 hours (before today)
             vaults used    hr-kv: since 2026-02-23, busiest hour usually 3 calls (up to 3…
             address ranges 10.1.2.0/24 (last 2026-03-04) · 203.0.113.0/24 (last …
             last 24 h      248 events · 6 refused or failed
                            15:00 ▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▂▂▂▂▂▂▂▂▂▂▂▂██ 14:00
             operations     SecretGet 157 · SecretList 81 · VaultGet 10
             outcomes       success 242 · denied 6
             vaults         payments-kv 150 · web-kv 54 · hr-kv 44
             addresses      10.1.2.3 201 · 203.0.113.45 47
            ─ Events (248) ────────────────────────────────────────────────── newest first ─
            ▶14:30:46 SecretGet        200        203.0.113.45    payments-kv secret-10
             14:30:45 SecretGet        403 denied 203.0.113.45    payments-kv secret-9
             14:30:06 SecretGet        200        10.1.2.3        web-kv secret-6
             14:29:44 SecretGet        200        203.0.113.45    payments-kv secret-8
             14:28:43 SecretGet        200        203.0.113.45    payments-kv secret-7
            ─ Alerts (1) ────────────────────────────────────────────── Tab: events/alerts ─
             MED  03-04 14:31 Suspicious secret listing then mass reads  payments-kv  ×23
             Enter open  Tab panel  / filter  ? help  q back  Space pause       theme: dark
            """)
    }

    @Test func principalPageAt160x48() async {
        expectScreen(await Self.principalState, size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › principal alice.martin@contoso.example
            ─ Principal ──────────────────────── baselines and the last 24 h of event time ─ ─ Events (248) ──────────────────────────────────────────────── newest first ─
             PRINCIPAL alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8)   ▶14:30:46 SecretGet        200        203.0.113.45    payments-kv secret-10
             first seen     2026-02-23 14:00:00Z                                              14:30:45 SecretGet        403 denied 203.0.113.45    payments-kv secret-9
             usual reach    at most 3 vaults in 24 hours (before today)                       14:30:06 SecretGet        200        10.1.2.3        web-kv secret-6
             vaults used    hr-kv: since 2026-02-23, busiest hour usually 3 calls (up to 3)   14:29:44 SecretGet        200        203.0.113.45    payments-kv secret-8
                            · payments-kv: since 2026-02-23, busiest hour usually 8 calls     14:28:43 SecretGet        200        203.0.113.45    payments-kv secret-7
                            (up to 8) · web-kv: since 2026-02-23, busiest hour usually 4      14:28:42 SecretGet        200        203.0.113.45    payments-kv secret-6
                            calls (up to 4)                                                   14:27:41 SecretGet        200        203.0.113.45    payments-kv secret-5
             address ranges 10.1.2.0/24 (last 2026-03-04) · 203.0.113.0/24 (last              14:26:40 SecretGet        200        203.0.113.45    payments-kv secret-4
                            2026-03-04)                                                       14:26:39 SecretGet        200        203.0.113.45    payments-kv secret-3
             last 24 h      248 events · 6 refused or failed                                  14:25:38 SecretGet        200        203.0.113.45    payments-kv secret-2
                            15:00 ▂▂▂▂▂▂▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▂▂▂▂▂▂▂▂▂▂▂▂██ 14:00      14:24:37 SecretGet        200        203.0.113.45    payments-kv secret-1
             operations     SecretGet 157 · SecretList 81 · VaultGet 10                       14:24:36 SecretGet        403 denied 203.0.113.45    payments-kv secret-0
             outcomes       success 242 · denied 6                                            14:23:35 SecretGet        200        203.0.113.45    payments-kv secret-11
             vaults         payments-kv 150 · web-kv 54 · hr-kv 44                            14:22:34 SecretGet        200        203.0.113.45    payments-kv secret-10
             addresses      10.1.2.3 201 · 203.0.113.45 47                                    14:22:33 SecretGet        200        203.0.113.45    payments-kv secret-9
                                                                                              14:22:03 SecretGet        200        10.1.2.3        hr-kv secret-3
                                                                                              14:21:32 SecretGet        200        203.0.113.45    payments-kv secret-8
                                                                                              14:20:31 SecretGet        200        203.0.113.45    payments-kv secret-7
                                                                                              14:20:30 SecretGet        200        203.0.113.45    payments-kv secret-6
                                                                                              14:19:29 SecretGet        200        203.0.113.45    payments-kv secret-5
                                                                                              14:18:28 SecretGet        200        203.0.113.45    payments-kv secret-4
                                                                                              14:18:27 SecretGet        403 denied 203.0.113.45    payments-kv secret-3
                                                                                              14:17:26 SecretGet        200        203.0.113.45    payments-kv secret-2
                                                                                              14:16:25 SecretGet        200        203.0.113.45    payments-kv secret-1
                                                                                              14:16:24 SecretGet        200        203.0.113.45    payments-kv secret-0
                                                                                              14:15:23 SecretGet        200        203.0.113.45    payments-kv secret-11
                                                                                              14:15:03 SecretGet        200        10.1.2.3        web-kv secret-3
                                                                                              14:14:22 SecretGet        200        203.0.113.45    payments-kv secret-10
                                                                                              14:14:21 SecretGet        200        203.0.113.45    payments-kv secret-9
                                                                                              14:13:20 SecretGet        200        203.0.113.45    payments-kv secret-8
                                                                                              14:12:19 SecretGet        200        203.0.113.45    payments-kv secret-7
                                                                                              14:12:18 SecretGet        403 denied 203.0.113.45    payments-kv secret-6
                                                                                              14:11:17 SecretGet        200        203.0.113.45    payments-kv secret-5
                                                                                              14:10:16 SecretGet        200        203.0.113.45    payments-kv secret-4
                                                                                              14:10:15 SecretGet        200        203.0.113.45    payments-kv secret-3
                                                                                              14:09:14 SecretGet        200        203.0.113.45    payments-kv secret-2
                                                                                              14:08:13 SecretGet        200        203.0.113.45    payments-kv secret-1
                                                                                              14:08:12 SecretGet        200        203.0.113.45    payments-kv secret-0
                                                                                              14:07:11 SecretGet        200        203.0.113.45    payments-kv secret-11
                                                                                              14:06:10 SecretGet        200        203.0.113.45    payments-kv secret-10
                                                                                              14:06:09 SecretGet        403 denied 203.0.113.45    payments-kv secret-9
            ─ Alerts (1) ────────────────────────────────────────────── Tab: events/alerts ─  14:05:08 SecretGet        200        203.0.113.45    payments-kv secret-8
             MED  03-04 14:31 Suspicious secret listing then mass reads  payments-kv  ×23     14:04:07 SecretGet        200        203.0.113.45    payments-kv secret-7
             Enter open  Tab panel  / filter  ? help  q back  Space pause  t theme                                                                              theme: dark
            """)
    }

    @Test func vaultPageAt80x24() async {
        expectScreen(await Self.vaultState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › vault payments-kv
            ─ Vault ──────────────────────────── baselines and the last 24 h of event time ─
             VAULT payments-kv
             first seen     2026-02-23 14:00:00Z
             history        9 days; clock UTC
             usual volume   busy hours (UTC) 08–18:00 · usually 24 operations at 08:00, th…
             known          2 principals, 1 users, 0 applications
             principals     alice.martin@contoso.example (since 2026-02-23) · …
             address ranges 10.1.2.0/24 · 203.0.113.0/24
             last 24 h      358 events · 6 refused or failed
                            15:00 ▄▄▄▄▄▄▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▄▄▄▄▄▄▄▄▄▄▄▄██ 14:00
             operations     SecretGet 254 · SecretList 52 · VaultGet 52
            ─ Events (358) ────────────────────────────────────────────────── newest first ─
            ▶14:30:46 SecretGet        200        203.0.113.45    alice.martin@contoso.exam…
             14:30:45 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.exam…
             14:29:44 SecretGet        200        203.0.113.45    alice.martin@contoso.exam…
             14:28:43 SecretGet        200        203.0.113.45    alice.martin@contoso.exam…
            ─ Alerts (3) ────────────────────────────────────────────── Tab: events/alerts ─
             MED  03-04 14:31 Suspicious secret listing then mass reads  payments-kv  ×23
             MED  03-04 14:24 Access from a Tor exit node  payments-kv  ×4
             LOW  03-04 14:17 Sensitive operation  payments-kv
             Enter open  Tab panel  / filter  ? help  q back  Space pause       theme: dark
            """)
    }

    @Test func vaultPageAt160x48() async {
        expectScreen(await Self.vaultState, size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › vault payments-kv
            ─ Vault ──────────────────────────── baselines and the last 24 h of event time ─ ─ Events (358) ──────────────────────────────────────────────── newest first ─
             VAULT payments-kv                                                               ▶14:30:46 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             first seen     2026-02-23 14:00:00Z                                              14:30:45 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.ex…
             history        9 days; clock UTC                                                 14:29:44 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             usual volume   busy hours (UTC) 08–18:00 · usually 24 operations at 08:00, the   14:28:43 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                            busiest hour                                                      14:28:42 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             known          2 principals, 1 users, 0 applications                             14:27:41 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             principals     alice.martin@contoso.example (since 2026-02-23) ·                 14:26:40 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                            5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d (since 2026-02-23)           14:26:39 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             address ranges 10.1.2.0/24 · 203.0.113.0/24                                      14:25:38 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             last 24 h      358 events · 6 refused or failed                                  14:24:37 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                            15:00 ▄▄▄▄▄▄▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▄▄▄▄▄▄▄▄▄▄▄▄██ 14:00      14:24:36 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.ex…
             operations     SecretGet 254 · SecretList 52 · VaultGet 52                       14:23:35 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             outcomes       success 352 · denied 6                                            14:22:34 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             callers        5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d 208 ·                        14:22:33 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                            alice.martin@contoso.example 150                                  14:21:32 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:20:31 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:20:30 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:19:29 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:18:28 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:18:27 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:17:26 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:16:25 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:16:24 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:15:23 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:14:22 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:14:21 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:13:20 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:12:19 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:12:18 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:11:17 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:10:16 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:10:15 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:09:14 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:08:13 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:08:12 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:07:11 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:06:10 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:06:09 SecretGet        403 denied 203.0.113.45    alice.martin@contoso.ex…
                                                                                              14:05:08 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
            ─ Alerts (3) ────────────────────────────────────────────── Tab: events/alerts ─  14:04:07 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             MED  03-04 14:31 Suspicious secret listing then mass reads  payments-kv  ×23     14:04:06 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             MED  03-04 14:24 Access from a Tor exit node  payments-kv  ×4                    14:03:05 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             LOW  03-04 14:17 Sensitive operation  payments-kv                                14:02:04 SecretGet        200        203.0.113.45    alice.martin@contoso.ex…
             Enter open  Tab panel  / filter  ? help  q back  Space pause  t theme                                                                              theme: dark
            """)
    }

    @Test func eventPageAt80x24() async {
        expectScreen(await Self.eventState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › principal alice.martin@contoso.example › event 14:30:45 SecretGet
            ─ Event ────────────────────────────────────────────────────────────────────────
             2026-03-04 14:30:45Z  SecretGet  403 denied
             object secret-9
             Entities  Enter opens a page
            ▶principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7…
             IP address   203.0.113.45
             vault        payments-kv
            ─ Fields read (the original record could not be read again) ──── y full screen ─
             {
               "time": "2026-03-04T14:30:45Z",
               "vault": "payments-kv",
               "operation": "SecretGet",
               "outcome": "denied",
               "httpStatusCode": 403,
               "callerIpAddress": "203.0.113.45",
               "principalId": "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
               "upn": "alice.martin@contoso.example",
               "appId": null,
               "objectKind": null,
               "objectName": "secret-9",                                      3 more lines
             y record  Enter open  Tab panel  ? help  q back  Space pause       theme: dark
            """)
    }

    @Test func eventPageAt160x48() async {
        expectScreen(await Self.eventState, size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › principal alice.martin@contoso.example › event 14:30:45 SecretGet
            ─ Event ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────
             2026-03-04 14:30:45Z  SecretGet  403 denied
             object secret-9
             Entities  Enter opens a page
            ▶principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8)
             IP address   203.0.113.45
             vault        payments-kv
            ─ Fields read (the original record could not be read again) ──────────────────────────────────────────────────────────────────────────────────── y full screen ─
             {
               "time": "2026-03-04T14:30:45Z",
               "vault": "payments-kv",
               "operation": "SecretGet",
               "outcome": "denied",
               "httpStatusCode": 403,
               "callerIpAddress": "203.0.113.45",
               "principalId": "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
               "upn": "alice.martin@contoso.example",
               "appId": null,
               "objectKind": null,
               "objectName": "secret-9",
               "clientInfo": null,
               "source": null
             }





















             y record  Enter open  Tab panel  ? help  q back  Space pause  t theme                                                                              theme: dark
            """)
    }

    @Test func originalRecordAt80x24() async {
        expectScreen(await Self.recordState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › Alert: Suspicious secret listing t… › event 09:15:07 SecretList
            ─ Event ────────────────────────────────────────── sample-audit-log.jsonl:4512 ─
             2025-03-04 09:15:07Z  SecretList  200
             client Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/122.0
             Entities  Enter opens a page
            ▶principal    alice@contoso.com (11111111-1111-1111-1111-111111111111)
             application  33333333-3333-3333-3333-333333333333
             IP address   203.0.113.45
             vault        contoso-payments-kv
            ─ Original record ────────────────────────────────────────────── y full screen ─
             {
               "time": "2025-03-04T09:15:07.1234567Z",
               "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEY
                 VAULT/VAULTS/PAYMENTS-KV",
               "operationName": "SecretList",
               "resultType": "Success",
               "callerIpAddress": "203.0.113.45",
               "identity": {
                 "claim": {
                   "oid": "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
                   "upn": "alice.martin@contoso.example"                      7 more lines
             y record  Enter open  Tab panel  ? help  q back  Space pause       theme: dark
            """)
    }

    @Test func originalRecordAt160x48() async {
        expectScreen(await Self.recordState, size: Self.large, equals: #"""
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › Alert: Suspicious secret listing t… › event 09:15:07 SecretList
            ─ Event ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── sample-audit-log.jsonl:4512 ─
             2025-03-04 09:15:07Z  SecretList  200
             client Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edg/122.0
             Entities  Enter opens a page
            ▶principal    alice@contoso.com (11111111-1111-1111-1111-111111111111)
             application  33333333-3333-3333-3333-333333333333
             IP address   203.0.113.45
             vault        contoso-payments-kv
            ─ Original record ────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── y full screen ─
             {
               "time": "2025-03-04T09:15:07.1234567Z",
               "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/PAYMENTS-KV",
               "operationName": "SecretList",
               "resultType": "Success",
               "callerIpAddress": "203.0.113.45",
               "identity": {
                 "claim": {
                   "oid": "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
                   "upn": "alice.martin@contoso.example"
                 }
               },
               "properties": {
                 "clientInfo": "evil\u001b[2J",
                 "httpStatusCode": 200
               }
             }


















             y record  Enter open  Tab panel  ? help  q back  Space pause  t theme                                                                              theme: dark
            """#)
    }

    /// `y` on an event's page: the record over the whole page, nothing of the page beside it.
    @Test func originalRecordFullScreenAt80x24() async {
        var state = await Self.recordState
        state.handle(.character("y"))
        expectScreen(state, size: Self.small, equals: #"""
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
             Dashboard › Alert: Suspicious secret listing t… › event 09:15:07 SecretList
            ─ Event: Original record ───────────────────────────────────────── y/Esc close ─
             {
               "time": "2025-03-04T09:15:07.1234567Z",
               "resourceId": "/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG/PROVIDERS/MICROSO
                 FT.KEYVAULT/VAULTS/PAYMENTS-KV",
               "operationName": "SecretList",
               "resultType": "Success",
               "callerIpAddress": "203.0.113.45",
               "identity": {
                 "claim": {
                   "oid": "3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8",
                   "upn": "alice.martin@contoso.example"
                 }
               },
               "properties": {
                 "clientInfo": "evil\u001b[2J",
                 "httpStatusCode": 200
               }
             }

             y/Esc close                                                        theme: dark
            """#)
    }
}
