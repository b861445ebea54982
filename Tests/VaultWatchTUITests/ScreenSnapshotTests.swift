import Foundation
import Testing
import VaultWatchCore
import VaultWatchTestSupport
@testable import VaultWatchTUI

/// Whole-screen snapshots of the fixture world at the smallest supported size and a large
/// one: the dashboard, an alert's detail and help. Rendered to the buffer, no terminal.
@Suite struct ScreenSnapshotTests {
    static let small = ScreenSize(width: 80, height: 24)
    static let large = ScreenSize(width: 160, height: 48)

    func expectScreen(_ state: AppState, size: ScreenSize, equals expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let buffer = render(state: state, size: size)
        #expect(buffer.width == size.width && buffer.height == size.height, sourceLocation: sourceLocation)
        let difference = ScreenComparison.difference(actual: buffer.lines, expected: expected)
        // To refresh a snapshot after an intended change: run with VAULTWATCH_SNAPSHOT_DIR set,
        // read the rendered screens there, and paste the ones that are right.
        if difference != nil, let directory = ProcessInfo.processInfo.environment["VAULTWATCH_SNAPSHOT_DIR"] {
            let name = "\(sourceLocation.fileName)-\(sourceLocation.line).txt"
            try? buffer.lines.joined(separator: "\n").write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8)
        }
        #expect(difference == nil, Comment(rawValue: difference ?? ""), sourceLocation: sourceLocation)
    }

    static var detailState: AppState {
        get async {
        var state = await DashboardFixture.state()
        state.handle(.enter)
        return state
        }
    }

    static var helpState: AppState {
        get async {
        var state = await DashboardFixture.state()
        state.handle(.character("?"))
        return state
        }
    }

    @Test func dashboardAt80x24() async {
        expectScreen(await DashboardFixture.state(), size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
            ─ 1 Vaults ────────────────────────────────────────────────────────── 3 vaults ─
             vault                            ops/min   usual callers  last 60 min    alerts
             hr-kv                                  0     0.1       2  ▁▁▁▁▁█▁▁▁▁▁▁▁█      ·
            ▶payments-kv                          1.4     0.4       2  ▄█▄█▄█▄█▄█▄█▄█      3
             web-kv                               0.2     0.2       2  ▁▁▁█▁▁▁▁█▁▁▁▁█      1
            ─ 2 Baseline ───────────────────────────────────────────────────── payments-kv ─
             ops/hour, last 41 h  ░ usual  ─ median          operation mix       hour usual
             47.0│                                        █  SecretGet           100%   67%
                 │          ▄▄▄▄▄▄▄▄▄▄              ▄▄▄▄▄▄█  SecretList            0%   17%
                0│▃▃▃▃▃▃▃▃▃▃██████████▃▃▃▃▃▃▃▃▃▃▃▃▃▃███████  VaultGet              0%   17%
            ─ 4 Alerts ───────────────────────────────────────────────────── 4 active of 4 ─
            ▶MED  03-04 14:31 Suspicious secret listing then mass reads     payments-kv ×23
             MED  03-04 14:24 Access from a Tor exit node                   payments-kv  ×4
             LOW  03-04 14:17 Sensitive operation                           payments-kv
             INFO 03-04 14:10 Test alert                                    web-kv

            ─ 3 Live activity ─────────────────────────────────────────────── newest first ─
             14:30:46 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:30:45 payments-kv       SecretGet         403 denied alice.martin@contoso.e…
             14:30:06 web-kv            SecretGet         200        alice.martin@contoso.e…
             14:30:04 hr-kv             SecretGet         200        5a4b3c2d-1e0f-4a9b-8c7…
             Enter open  Tab panel  / filter  ? help  q quit  Space pause       theme: dark
            """)
    }

    @Test func alertDetailAt80x24() async {
        expectScreen(await Self.detailState, size: Self.small, equals: """
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

             Entities  Tab selects, Enter opens a page
              principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e…
              IP address   203.0.113.45                                        more ↓ PgDn
            ─ Evidence ─────────────────────────────────── 1 event · Enter open · y record ─
            ▶2025-03-04 09:15:07Z  SecretList         200        203.0.113.45     alice@con…

             n next  p prev  d dismiss  r resolve  y record  Enter open         theme: dark
            """)
    }

    @Test func helpAt80x24() async {
        expectScreen(await Self.helpState, size: Self.small, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/gener…
             events 5,405  malformed 2  learned 9 d       alerts HIGH 0 MED 2 LOW 1 INFO 1
            ─ Help: keys ───────────────────────────────────────────────── ? or Esc closes ─
             Everywhere                              Dashboard
             Enter      Open the selected row        Shift-Tab  Previous panel
             Tab        Next panel or list           1          Vaults panel
             /          Filter panels or events      2          Baseline chart panel
             ?          Show or hide help            3          Live activity panel
             q          Back, or quit                4          Alerts panel
             Esc        Clear filter, then back      n          Next match in the panel
             j/↓        Move down                    N          Previous match in the panel
             k/↑        Move up                      Alert detail
             g/Home     Go to the top                n          Next alert
             G/End      Go to the bottom             p          Previous alert
             PgUp       Page up                      d          Dismiss the alert
             PgDn       Page down                    r          Resolve the alert
             Space      Pause or resume              y          Original record (evidence)
             +          Replay faster                Event record
             -          Replay slower                y          Record, full screen
             t          Next theme


             Severity: HIGH MED LOW INFO   Events: ok denied not found error
             ?/Esc close help                                                   theme: dark
            """)
    }

    /// At 120 columns the alerts sit in a half-width panel: the title gets the room the other
    /// columns do not need, and the baseline legend stays whole.
    @Test func dashboardAt120x30() async {
        expectScreen(await DashboardFixture.state(), size: ScreenSize(width: 120, height: 30), equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                               alerts HIGH 0 MED 2 LOW 1 INFO 1
            ─ 1 Vaults ────────────────────────────────────── 3 vaults ─ ─ 4 Alerts ─────────────────────────────── 4 active of 4 ─
             vault        ops/min   usual callers  last 60 min    alerts ▶MED  14:31 Suspicious secret listing th… payments-kv ×23
             hr-kv              0     0.1       2  ▁▁▁▁▁█▁▁▁▁▁▁▁█      ·  MED  14:24 Access from a Tor exit node   payments-kv  ×4
            ▶payments-kv      1.4     0.4       2  ▄█▄█▄█▄█▄█▄█▄█      3  LOW  14:17 Sensitive operation           payments-kv
             web-kv           0.2     0.2       2  ▁▁▁█▁▁▁▁█▁▁▁▁█      1  INFO 14:10 Test alert                    web-kv
            ─ 2 Baseline ───────────────────────────────── payments-kv ─
             ops/h, 27 h  ░ usual  ─ median    mix           hour usual
             47.0│                          █  SecretGet     100%   67%
                 │                          █  SecretList      0%   17%
                 │                          █  VaultGet        0%   17%
                 │                          █
                 │                          █
                 │                          █
                 │▁▁▁▁▁▁              ▁▁▁▁▁▁█
                 │██████              ███████
                 │██████              ███████
                 │██████              ███████
                 │██████              ███████
                 │██████░░░░░░░░░░░░░░███████
                 │██████▆▆▆▆▆▆▆▆▆▆▆▆▆▆███████
                0│███████████████████████████
            ─ 3 Live activity ─────────────────────────── newest first ─
             14:30:46 payments-kv  SecretGet    200        alice.martin…
             14:30:45 payments-kv  SecretGet    403 denied alice.martin…
             14:30:06 web-kv       SecretGet    200        alice.martin…
             14:30:04 hr-kv        SecretGet    200        5a4b3c2d-1e0…
             14:29:44 payments-kv  SecretGet    200        alice.martin…
             Enter open  Tab panel  / filter  ? help  q quit  Space pause  t theme                                      theme: dark
            """)
    }

    @Test func dashboardAt160x48() async {
        expectScreen(await DashboardFixture.state(), size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
            ─ 1 Vaults ────────────────────────────────────────────────────────── 3 vaults ─ ─ 4 Alerts ─────────────────────────────────────────────────── 4 active of 4 ─
             vault                            ops/min   usual callers  last 60 min    alerts ▶MED  03-04 14:31 Suspicious secret listing then mass reads   payments-kv ×23
             hr-kv                                  0     0.1       2  ▁▁▁▁▁█▁▁▁▁▁▁▁█      ·  MED  03-04 14:24 Access from a Tor exit node                 payments-kv  ×4
            ▶payments-kv                          1.4     0.4       2  ▄█▄█▄█▄█▄█▄█▄█      3  LOW  03-04 14:17 Sensitive operation                         payments-kv
             web-kv                               0.2     0.2       2  ▁▁▁█▁▁▁▁█▁▁▁▁█      1  INFO 03-04 14:10 Test alert                                  web-kv
            ─ 2 Baseline ───────────────────────────────────────────────────── payments-kv ─
             ops/hour, last 41 h  ░ usual  ─ median          operation mix       hour usual
             47.0│                                        █  SecretGet           100%   67%
                 │                                        █  SecretList            0%   17%
                 │                                        █  VaultGet              0%   17%
                 │                                        █
                 │                                        █
                 │                                        █
                 │          ▁▁▁▁▁▁▁▁▁▁              ▁▁▁▁▁▁█
                 │          ██████████              ███████
                 │          ██████████              ███████
                 │          ██████████              ███████
                 │          ██████████              ███████
                 │░░░░░░░░░░██████████░░░░░░░░░░░░░░███████
                 │▆▆▆▆▆▆▆▆▆▆██████████▆▆▆▆▆▆▆▆▆▆▆▆▆▆███████
                0│█████████████████████████████████████████
            ─ 3 Live activity ─────────────────────────────────────────────── newest first ─
             14:30:46 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:30:45 payments-kv       SecretGet         403 denied alice.martin@contoso.e…
             14:30:06 web-kv            SecretGet         200        alice.martin@contoso.e…
             14:30:04 hr-kv             SecretGet         200        5a4b3c2d-1e0f-4a9b-8c7…
             14:29:44 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:28:43 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:28:42 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:27:41 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:26:40 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:26:39 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:25:38 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:25:05 web-kv            VaultGet          200        5a4b3c2d-1e0f-4a9b-8c7…
             14:24:37 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:24:36 payments-kv       SecretGet         403 denied alice.martin@contoso.e…
             14:23:35 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:22:34 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:22:33 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:22:03 hr-kv             SecretGet         200        alice.martin@contoso.e…
             14:21:32 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:20:31 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:20:30 payments-kv       SecretGet         200        alice.martin@contoso.e…
             14:20:04 web-kv            SecretGet         200        5a4b3c2d-1e0f-4a9b-8c7…
             14:19:29 payments-kv       SecretGet         200        alice.martin@contoso.e…
             Enter open  Tab panel  / filter  ? help  q quit  Space pause  t theme                                                                              theme: dark
            """)
    }

    @Test func alertDetailAt160x48() async {
        expectScreen(await Self.detailState, size: Self.large, equals: """
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

             Entities  Tab selects, Enter opens a page
              principal    alice.martin@contoso.example (3f2a1b4c-5d6e-4f70-8192-a3b4c5d6e7f8)
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
            ▶2025-03-04 09:15:07Z  SecretList         200        203.0.113.45     alice@contoso.com

             n next  p prev  d dismiss  r resolve  y record  Enter open  Tab panel  ? help  q back  Space pause  t theme                                        theme: dark
            """)
    }

    @Test func helpAt160x48() async {
        expectScreen(await Self.helpState, size: Self.large, equals: """
             VaultWatch │ REPLAY ×720 │ 2026-03-04 14:30:46Z │ 1234 ev/s │ demo-data/generated
             events 5,405  malformed 2  learned 9 d                                                                                       alerts HIGH 0 MED 2 LOW 1 INFO 1
            ─ Help: keys ───────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────── ? or Esc closes ─
             Everywhere
             Enter      Open the selected row
             Tab        Next panel or list
             /          Filter panels or events
             ?          Show or hide help
             q          Back, or quit
             Esc        Clear filter, then back
             j/↓        Move down
             k/↑        Move up
             g/Home     Go to the top
             G/End      Go to the bottom
             PgUp       Page up
             PgDn       Page down
             Space      Pause or resume
             +          Replay faster
             -          Replay slower
             t          Next theme
             Dashboard
             Shift-Tab  Previous panel
             1          Vaults panel
             2          Baseline chart panel
             3          Live activity panel
             4          Alerts panel
             n          Next match in the panel
             N          Previous match in the panel
             Alert detail
             n          Next alert
             p          Previous alert
             d          Dismiss the alert
             r          Resolve the alert
             y          Original record (evidence)
             Event record
             y          Record, full screen










             Severity: HIGH MED LOW INFO   Events: ok denied not found error
             ?/Esc close help                                                                                                                                   theme: dark
            """)
    }
}

/// Names from the directory appear beside the ids on screen: in live activity, the alert's
/// entities and its evidence, never hiding the id.
@Suite struct DirectoryNamesOnScreenTests {
    static let names = DirectoryNames(entries: [
        "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d": "Batch MI",
        "11111111-1111-1111-1111-111111111111": "Alice Martin",
        "33333333-3333-3333-3333-333333333333": "Payroll app",
    ])

    @Test func activityShowsTheNameBeforeTheID() async {
        var state = await DashboardFixture.state()
        state.names = Self.names
        let lines = render(state: state, size: ScreenSize(width: 160, height: 48)).lines
        #expect(lines.contains { $0.contains("Batch MI 5a4b3c2d-1e0f") })
        var unnamed = await DashboardFixture.state()
        unnamed.names = .empty
        #expect(!render(state: unnamed, size: ScreenSize(width: 160, height: 48)).lines.contains { $0.contains("Batch MI") })
    }

    @Test func alertEntitiesShowNamesBesideIDs() async {
        var state = await DashboardFixture.state()
        state.names = Self.names
        state.handle(.character("j"))  // the Tor alert: the sample's principal and application
        state.handle(.enter)
        let lines = render(state: state, size: ScreenSize(width: 160, height: 48)).lines
        #expect(lines.contains { $0.contains("principal    alice@contoso.com (11111111-1111-1111-1111-111111111111, Alice Martin)") })
        #expect(lines.contains { $0.contains("application  33333333-3333-3333-3333-333333333333 (Payroll app)") })
    }
}
