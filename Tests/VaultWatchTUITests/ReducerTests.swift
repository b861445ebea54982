import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// Keys sent through the reducer, checked on the resulting state and effects.
@Suite struct ReducerTests {
    @Test func tabAndNumberKeysMoveThePanelFocus() async {
        var state = await DashboardFixture.state()
        #expect(state.focus == .alerts)
        state.handle(.tab)
        #expect(state.focus == .vaults)
        state.handle(.backTab)
        #expect(state.focus == .alerts)
        state.handle(.character("2"))
        #expect(state.focus == .chart)
        state.handle(.character("3"))
        #expect(state.focus == .activity)
    }

    @Test func movingInTheAlertsPanelSelectsByIdentity() async throws {
        var state = await DashboardFixture.state()
        let alerts = state.visibleAlerts
        #expect(state.selectedAlertID == alerts[0].id)
        state.handle(.character("j"))
        state.handle(.down)
        #expect(state.selectedAlertID == alerts[2].id)
        state.handle(.character("G"))
        #expect(state.selectedAlertID == alerts[alerts.count - 1].id)
        state.handle(.character("g"))
        #expect(state.selectedAlertID == alerts[0].id)
        state.handle(.up)
        #expect(state.selectedAlertID == alerts[0].id, "moving up from the top stays at the top")
    }

    @Test func enterOpensTheAlertAndNextPreviousWalkTheList() async {
        var state = await DashboardFixture.state()
        let alerts = state.visibleAlerts
        state.handle(.enter)
        #expect(state.screen == .detail(alertID: alerts[0].id))
        state.handle(.character("n"))
        #expect(state.screen == .detail(alertID: alerts[1].id))
        state.handle(.character("p"))
        state.handle(.character("p"))
        #expect(state.screen == .detail(alertID: alerts[0].id))
        state.handle(.character("q"))
        #expect(state.screen == .dashboard)
        #expect(state.effects.isEmpty, "q in a detail goes back, it does not quit")
    }

    @Test func dismissAndResolveChangeTheStatusAndAskToPersistIt() async {
        var state = await DashboardFixture.state()
        let first = state.visibleAlerts[0].id
        state.handle(.enter)
        state.handle(.character("d"))
        #expect(state.detailAlert?.status == .dismissed)
        #expect(state.effects == [.alertStatusChanged(alertID: first, status: .dismissed)])
        state.handle(.character("r"))
        #expect(state.detailAlert?.status == .resolved)
        #expect(state.activeAlertCount(of: .medium) == 1)
    }

    @Test func theAlertSelectionFollowsNewAlertsUntilTheAnalystMovesIt() async {
        var state = AppState(sourceDescription: "demo", mode: .replay)
        var snapshot = await DashboardFixture.snapshot()
        let newest = snapshot.alerts.removeFirst()
        state.receive(snapshot)
        #expect(state.selectedAlertID == snapshot.alerts[0].id)
        snapshot.alerts.insert(newest, at: 0)
        state.receive(snapshot)
        #expect(state.selectedAlertID == newest.id, "a new alert at the top takes the selection")
        state.handle(.character("j"))
        let chosen = state.selectedAlertID
        var later = snapshot
        var another = newest
        another.id = "a-later-alert"
        later.alerts.insert(another, at: 0)
        state.receive(later)
        #expect(state.selectedAlertID == chosen, "once moved, the selection stays on the analyst's choice")
        state.handle(.character("g"))
        #expect(state.selectedAlertID == "a-later-alert")
    }

    @Test func qOnTheDashboardQuits() async {
        var state = await DashboardFixture.state()
        state.handle(.character("q"))
        #expect(state.effects == [.quit])
    }

    @Test func helpOpensAndClosesAndSwallowsOtherKeys() async {
        var state = await DashboardFixture.state()
        state.handle(.character("?"))
        #expect(state.isShowingHelp)
        state.handle(.character("q"))
        #expect(!state.isShowingHelp)
        #expect(state.effects.isEmpty, "q closes help before it quits")
        state.handle(.character("?"))
        state.handle(.escape)
        #expect(!state.isShowingHelp)
    }

    @Test func slashTypesAFilterThatNarrowsEveryPanelAndEscClearsIt() async {
        var state = await DashboardFixture.state()
        state.handle(.character("/"))
        #expect(state.isEditingFilter)
        for character in "web" { state.handle(.character(character)) }
        state.handle(.enter)
        #expect(!state.isEditingFilter)
        #expect(state.filter == "web")
        #expect(state.visibleVaults.map(\.name) == ["web-kv"])
        #expect(state.visibleAlerts.allSatisfy { $0.vault == "web-kv" })
        #expect(state.visibleActivity.allSatisfy { $0.vault == "web-kv" })
        state.handle(.escape)
        #expect(state.filter.isEmpty)
        #expect(state.visibleVaults.count == 3)
    }

    @Test func enterOnAVaultOpensItsPageWithItsAlerts() async {
        var state = await DashboardFixture.state()
        state.handle(.character("1"))
        state.handle(.character("g"))
        state.handle(.character("j"))
        state.handle(.character("j"))
        #expect(state.selectedVaultName == "web-kv")
        state.handle(.enter)
        let vault = EntityReference(kind: .vault, id: "web-kv")
        #expect(state.screen == .entity(vault))
        #expect(state.effects == [.entityFocused(vault)])
        #expect(state.entityAlerts.map(\.vault) == ["web-kv"])
        state.handle(.character("q"))
        #expect(state.screen == .dashboard)
        #expect(state.focus == .vaults, "going back finds the dashboard as it was left")
        #expect(state.selectedVaultName == "web-kv")
        #expect(state.effects == [.entityFocused(vault), .entityFocused(nil)])
    }

    @Test func spaceAndSpeedKeysDriveTheReplay() async {
        var state = await DashboardFixture.state()
        state.handle(.character(" "))
        #expect(state.isPaused)
        state.handle(.character("+"))
        #expect(state.speed == 1440)
        state.handle(.character("-"))
        state.handle(.character("-"))
        #expect(state.speed == 360)
        #expect(state.effects == [
            .replayChanged(speed: 720, isPaused: true), .replayChanged(speed: 1440, isPaused: true),
            .replayChanged(speed: 720, isPaused: true), .replayChanged(speed: 360, isPaused: true),
        ])
    }

    @Test func pausingALiveDisplayHoldsSnapshotsUntilResumed() async {
        var state = AppState(sourceDescription: "stdin", mode: .live)
        state.handle(.character(" "))
        var snapshot = await DashboardFixture.snapshot()
        snapshot.sequence = 7
        state.receive(snapshot)
        #expect(state.snapshot.sequence == 0)
        state.handle(.character(" "))
        #expect(state.snapshot.sequence == 7)
    }

    @Test func tCyclesThemes() async {
        var state = await DashboardFixture.state()
        #expect(state.themeName == "dark")
        state.handle(.character("t"))
        #expect(state.themeName == "light")
        for _ in 0..<3 { state.handle(.character("t")) }
        #expect(state.themeName == "dark")
    }

    @Test func yShowsTheRawJSONOfTheSelectedEvidence() async {
        var state = await DashboardFixture.state()
        state.handle(.character("y"))
        #expect(!state.isShowingRawJSON, "y means nothing on the dashboard")
        state.handle(.enter)
        state.handle(.character("y"))
        #expect(state.isShowingRawJSON)
        let screen = render(state: state, size: ScreenSize(width: 100, height: 30)).lines.joined(separator: "\n")
        #expect(screen.contains("\"operation\": \"SecretList\""))
        state.handle(.escape)
        #expect(!state.isShowingRawJSON)
        #expect(state.screen != .dashboard, "Esc closes the JSON, not the detail")
    }

    @Test func aNewMediumAlertMarksTheHeaderAndRingsWhenAsked() async {
        var state = AppState(sourceDescription: "demo", mode: .replay)
        state.ringsBell = true
        state.tick(now: 100)
        state.receive(await DashboardFixture.snapshot())
        #expect(state.isMarked)
        #expect(state.markText.hasPrefix("NEW MEDIUM"))
        #expect(state.effects == [.bell])
        state.tick(now: 104)
        #expect(!state.isMarked)
    }

    @Test func keyOverridesReplaceTheDefaultKeysEverywhere() async throws {
        let map = try KeyMap(overrides: KeyOverrides(file: "vw.toml", overrides: [
            KeyOverrides.Override(action: "next_theme", keys: ["T"]), KeyOverrides.Override(action: "help", keys: ["h", "?"]),
        ]))
        #expect(map.action(for: .character("T"), in: .dashboard) == .nextTheme)
        #expect(map.action(for: .character("t"), in: .dashboard) == nil)
        #expect(map.action(for: .character("h"), in: .detail) == .help)
        #expect(map.footerHints(in: .dashboard).contains { $0.keys == "T" && $0.hint == "theme" })
        #expect(throws: ConfigurationError.self) {
            try KeyMap(overrides: KeyOverrides(file: "vw.toml", overrides: [KeyOverrides.Override(action: "explode", keys: ["x"])]))
        }
    }

    @Test func noDefaultBindingUsesAControlLetter() async {
        for binding in KeyMap.defaultBindings {
            for key in binding.keys {
                if case .character(let character) = key {
                    #expect(!(character.asciiValue.map { $0 < 0x20 } ?? false), "\(binding.action) is bound to a control character")
                }
            }
        }
    }
}
