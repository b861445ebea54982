import Testing
import VaultWatchCore
@testable import VaultWatchTUI

/// `[keys]` applied to the key table: the handler, the footer and help follow the user's keys,
/// and bad overrides are refused at their file and line.
@Suite struct KeyOverridesTests {
    func overrides(_ text: String) throws -> KeyOverrides {
        try ConfigurationFile.parseKeyOverrides(text, file: "vw.toml")
    }

    func keyMapError(_ text: String) throws -> ConfigurationError? {
        let parsed = try overrides(text)
        do {
            _ = try KeyMap(overrides: parsed)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyActionHasADistinctConfigurationName() async {
        let names = KeyAction.allCases.map(\.configurationName)
        #expect(Set(names).count == names.count)
        for action in KeyAction.allCases { #expect(KeyAction(configurationName: action.configurationName) == action) }
    }

    @Test func everyKeyNameCoreAcceptsIsAKey() async {
        for name in KeyName.namedKeys { #expect(Key(name: name) != nil, "\(name)") }
        #expect(Key(name: "F5") == .function(5))
        #expect(Key(name: "ctrl-x") == .control("x"))
        #expect(Key(name: "shift-tab") == .backTab)
        #expect(Key(name: "ctrl-c") == nil)
        #expect(Key(name: "F1")?.label == "F1")
        #expect(Key(name: "ctrl-x")?.label == "Ctrl-X")
    }

    @Test func overridesReplaceTheDefaultKeys() async throws {
        let map = try KeyMap(overrides: overrides("[keys]\ndismiss = \"x\"\nnext_panel = [\"tab\", \"l\"]\nhelp = \"F1\"\n"))
        #expect(map.action(for: .character("x"), in: .detail) == .dismiss)
        #expect(map.action(for: .character("d"), in: .detail) == nil)
        #expect(map.action(for: .character("l"), in: .dashboard) == .nextPanel)
        #expect(map.action(for: .tab, in: .dashboard) == .nextPanel)
        #expect(map.action(for: .function(1), in: .detail) == .help)
        #expect(map.action(for: .character("?"), in: .dashboard) == nil)
        // Everything not overridden keeps its default.
        #expect(map.action(for: .character("r"), in: .detail) == .resolve)
        #expect(map.footerHints(in: .detail).contains { $0.keys == "x" && $0.hint == "dismiss" })
        #expect(map.footerHints(in: .dashboard).contains { $0.keys == "Tab/l" && $0.hint == "panel" })
    }

    @Test func noOverridesGiveTheDefaultTable() async throws {
        #expect(try KeyMap(overrides: overrides("learning_days = 7\n")) == KeyMap())
    }

    @Test func unknownActionIsRefusedAtItsLine() async throws {
        let problem = try keyMapError("[keys]\ndismiss = \"x\"\nexplode = \"e\"\n")
        #expect(problem?.description.hasPrefix("vw.toml:3: unknown key action keys.explode") == true)
    }

    @Test func aKeyTakenByAGlobalActionConflicts() async throws {
        // `j` moves down everywhere; giving it to dismiss would shadow it in the detail.
        let problem = try keyMapError("[keys]\n\ndismiss = \"j\"\n")
        #expect(problem?.line == 3)
        #expect(problem?.problem.contains("keys.dismiss: j is also the key of move_down") == true)
    }

    @Test func twoOverridesOnOneKeyConflictAtTheLaterLine() async throws {
        let problem = try keyMapError("[keys]\nresolve = \"x\"\ndismiss = \"x\"\n")
        #expect(problem?.line == 3)
        #expect(problem?.problem.contains("keys.dismiss: x is also the key of resolve") == true)
    }

    @Test func theSameKeyInDifferentContextsIsNoConflict() async throws {
        // `n` is next match on the dashboard and next alert in the detail by default.
        let map = try KeyMap(overrides: overrides("[keys]\nnext_alert = \"m\"\nnext_match = \"m\"\n"))
        #expect(map.action(for: .character("m"), in: .dashboard) == .nextMatch)
        #expect(map.action(for: .character("m"), in: .detail) == .nextAlert)
    }

    @Test func rebindingBothSidesOfAConflictIsAllowed() async throws {
        let map = try KeyMap(overrides: overrides("[keys]\nmove_down = \"down\"\ndismiss = \"j\"\n"))
        #expect(map.action(for: .character("j"), in: .detail) == .dismiss)
        #expect(map.action(for: .character("j"), in: .dashboard) == nil)
    }

    @Test func theDefaultTableHasNoConflicts() async {
        #expect(KeyMap.firstConflict(in: KeyMap.defaultBindings, blaming: [:]) == nil)
    }

    @Test func theReducerFollowsTheOverriddenKey() async throws {
        var state = await DashboardFixture.state()
        state.keyMap = try KeyMap(overrides: overrides("[keys]\nnext_panel = \"l\"\n"))
        let start = state.focus
        state.handle(.tab)
        #expect(state.focus == start)
        state.handle(.character("l"))
        #expect(state.focus != start)
        #expect(state.focus.rawValue == (start.rawValue + 1) % Panel.allCases.count)
    }

    @Test func theOverriddenHelpKeyOpensAndClosesHelp() async throws {
        var state = await DashboardFixture.state()
        state.keyMap = try KeyMap(overrides: overrides("[keys]\nhelp = \"F1\"\n"))
        state.handle(.character("?"))
        #expect(!state.isShowingHelp)
        state.handle(.function(1))
        #expect(state.isShowingHelp)
        let help = render(state: state, size: ScreenSize(width: 80, height: 24))
        #expect(help.lines.contains { $0.contains("F1 or Esc closes") })
        #expect(help.lines.last?.contains("F1/Esc close help") == true)
        state.handle(.function(1))
        #expect(!state.isShowingHelp)
    }

    @Test func helpAndFooterShowTheUserKeys() async throws {
        var state = await DashboardFixture.state()
        state.keyMap = try KeyMap(overrides: overrides("[keys]\nnext_theme = \"F7\"\n"))
        let dashboard = render(state: state, size: ScreenSize(width: 160, height: 48))
        #expect(dashboard.lines.last?.contains("F7 theme") == true)
        #expect(dashboard.lines.last?.contains("t theme") == false)
        state.handle(.character("?"))
        let help = render(state: state, size: ScreenSize(width: 160, height: 48))
        #expect(help.lines.contains { $0.contains("F7") && $0.contains("Next theme") })
        #expect(!help.lines.contains { $0.contains(" t ") && $0.contains("Next theme") })
    }
}
